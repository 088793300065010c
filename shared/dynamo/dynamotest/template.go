package dynamotest

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/infra/repotest"
	"github.com/coopcarepathway/pathway/infra/templatecheck"
	"gopkg.in/yaml.v3"
)

// TableResource is the logical ID of the table in template.yaml.
const TableResource = "Table"

// cfnKey is one element of a CloudFormation KeySchema.
type cfnKey struct {
	AttributeName string `yaml:"AttributeName"`
	KeyType       string `yaml:"KeyType"`
}

// cfnThroughput is a CloudFormation ProvisionedThroughput.
type cfnThroughput struct {
	ReadCapacityUnits  string `yaml:"ReadCapacityUnits"`
	WriteCapacityUnits string `yaml:"WriteCapacityUnits"`
}

// cfnIndex is a CloudFormation global or local secondary index.
type cfnIndex struct {
	IndexName  string   `yaml:"IndexName"`
	KeySchema  []cfnKey `yaml:"KeySchema"`
	Projection struct {
		ProjectionType   string   `yaml:"ProjectionType"`
		NonKeyAttributes []string `yaml:"NonKeyAttributes"`
	} `yaml:"Projection"`
	ProvisionedThroughput *cfnThroughput `yaml:"ProvisionedThroughput"`
}

// cfnTable holds the properties of an AWS::DynamoDB::Table that shape the
// data: keys, indexes and billing. Properties DynamoDB Local cannot honour
// (encryption, point-in-time recovery, deletion protection) are left out.
type cfnTable struct {
	BillingMode          string `yaml:"BillingMode"`
	AttributeDefinitions []struct {
		AttributeName string `yaml:"AttributeName"`
		AttributeType string `yaml:"AttributeType"`
	} `yaml:"AttributeDefinitions"`
	KeySchema              []cfnKey       `yaml:"KeySchema"`
	GlobalSecondaryIndexes []cfnIndex     `yaml:"GlobalSecondaryIndexes"`
	LocalSecondaryIndexes  []cfnIndex     `yaml:"LocalSecondaryIndexes"`
	ProvisionedThroughput  *cfnThroughput `yaml:"ProvisionedThroughput"`
}

// TemplateTable reads the table resource from the project's template.yaml
// and returns it as a CreateTableInput without a table name.
func TemplateTable() (*dynamodb.CreateTableInput, error) {
	root, err := repotest.Dir()
	if err != nil {
		return nil, err
	}
	path := filepath.Join(root, "template.yaml")
	src, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	in, err := ParseTable(src, TableResource)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return in, nil
}

// ParseTable translates the AWS::DynamoDB::Table resource with the logical
// ID in a CloudFormation (or SAM) YAML template into a CreateTableInput.
// The template is read as yaml.Node so that intrinsic-function tags such as
// !Ref elsewhere in it do not stop the parse.
func ParseTable(src []byte, logicalID string) (*dynamodb.CreateTableInput, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return nil, fmt.Errorf("parse template: %w", err)
	}
	if len(doc.Content) == 0 {
		return nil, errors.New("the template is empty")
	}
	resources := templatecheck.Get(doc.Content[0], "Resources")
	if resources == nil {
		return nil, errors.New("the template has no Resources")
	}
	res := templatecheck.Get(resources, logicalID)
	if res == nil {
		return nil, fmt.Errorf("the template has no resource %s", logicalID)
	}
	if typ := templatecheck.Get(res, "Type"); typ == nil || typ.Value != "AWS::DynamoDB::Table" {
		return nil, fmt.Errorf("Resources.%s is not an AWS::DynamoDB::Table", logicalID)
	}
	props := templatecheck.Get(res, "Properties")
	if props == nil {
		return nil, fmt.Errorf("Resources.%s has no Properties", logicalID)
	}
	var t cfnTable
	if err := props.Decode(&t); err != nil {
		return nil, fmt.Errorf("Resources.%s.Properties: %w", logicalID, err)
	}
	return t.input(fmt.Sprintf("Resources.%s.Properties", logicalID))
}

// input translates the decoded properties; at names the properties in
// error messages.
func (t *cfnTable) input(at string) (*dynamodb.CreateTableInput, error) {
	in := &dynamodb.CreateTableInput{BillingMode: types.BillingModeProvisioned}
	switch t.BillingMode {
	case "PAY_PER_REQUEST":
		in.BillingMode = types.BillingModePayPerRequest
	case "", "PROVISIONED":
		// CloudFormation's default is PROVISIONED.
	default:
		return nil, fmt.Errorf("%s.BillingMode: unknown mode %q", at, t.BillingMode)
	}
	if len(t.AttributeDefinitions) == 0 {
		return nil, fmt.Errorf("%s.AttributeDefinitions: none given", at)
	}
	for i, a := range t.AttributeDefinitions {
		if a.AttributeName == "" || (a.AttributeType != "S" && a.AttributeType != "N" && a.AttributeType != "B") {
			return nil, fmt.Errorf("%s.AttributeDefinitions[%d]: want a name and a type of S, N or B", at, i)
		}
		in.AttributeDefinitions = append(in.AttributeDefinitions, types.AttributeDefinition{
			AttributeName: aws.String(a.AttributeName), AttributeType: types.ScalarAttributeType(a.AttributeType),
		})
	}
	var err error
	if in.KeySchema, err = keySchema(t.KeySchema, at+".KeySchema"); err != nil {
		return nil, err
	}
	provisioned := in.BillingMode == types.BillingModeProvisioned
	if in.ProvisionedThroughput, err = throughput(t.ProvisionedThroughput, provisioned, at+".ProvisionedThroughput"); err != nil {
		return nil, err
	}
	for i, x := range t.GlobalSecondaryIndexes {
		where := fmt.Sprintf("%s.GlobalSecondaryIndexes[%d]", at, i)
		gsi := types.GlobalSecondaryIndex{IndexName: aws.String(x.IndexName)}
		if gsi.KeySchema, gsi.Projection, err = index(x, where); err != nil {
			return nil, err
		}
		if gsi.ProvisionedThroughput, err = throughput(x.ProvisionedThroughput, provisioned, where+".ProvisionedThroughput"); err != nil {
			return nil, err
		}
		in.GlobalSecondaryIndexes = append(in.GlobalSecondaryIndexes, gsi)
	}
	for i, x := range t.LocalSecondaryIndexes {
		lsi := types.LocalSecondaryIndex{IndexName: aws.String(x.IndexName)}
		if lsi.KeySchema, lsi.Projection, err = index(x, fmt.Sprintf("%s.LocalSecondaryIndexes[%d]", at, i)); err != nil {
			return nil, err
		}
		in.LocalSecondaryIndexes = append(in.LocalSecondaryIndexes, lsi)
	}
	return in, nil
}

// index translates an index's name, keys and projection.
func index(x cfnIndex, at string) ([]types.KeySchemaElement, *types.Projection, error) {
	if x.IndexName == "" {
		return nil, nil, fmt.Errorf("%s.IndexName: none given", at)
	}
	keys, err := keySchema(x.KeySchema, at+".KeySchema")
	if err != nil {
		return nil, nil, err
	}
	p := &types.Projection{ProjectionType: types.ProjectionType(x.Projection.ProjectionType)}
	switch p.ProjectionType {
	case types.ProjectionTypeAll, types.ProjectionTypeKeysOnly:
	case types.ProjectionTypeInclude:
		p.NonKeyAttributes = x.Projection.NonKeyAttributes
	default:
		return nil, nil, fmt.Errorf("%s.Projection.ProjectionType: unknown type %q", at, x.Projection.ProjectionType)
	}
	return keys, p, nil
}

// keySchema translates a KeySchema: a HASH key and at most one RANGE key.
func keySchema(ks []cfnKey, at string) ([]types.KeySchemaElement, error) {
	if len(ks) == 0 || len(ks) > 2 {
		return nil, fmt.Errorf("%s: want one or two keys, got %d", at, len(ks))
	}
	out := make([]types.KeySchemaElement, len(ks))
	for i, k := range ks {
		if k.AttributeName == "" || (k.KeyType != "HASH" && k.KeyType != "RANGE") {
			return nil, fmt.Errorf("%s[%d]: want a name and a KeyType of HASH or RANGE", at, i)
		}
		out[i] = types.KeySchemaElement{AttributeName: aws.String(k.AttributeName), KeyType: types.KeyType(k.KeyType)}
	}
	return out, nil
}

// throughput translates ProvisionedThroughput; a provisioned table or index
// without one gets a small default so DynamoDB Local accepts it.
func throughput(p *cfnThroughput, provisioned bool, at string) (*types.ProvisionedThroughput, error) {
	if !provisioned {
		return nil, nil
	}
	if p == nil {
		return &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(5), WriteCapacityUnits: aws.Int64(5)}, nil
	}
	r, err := strconv.ParseInt(p.ReadCapacityUnits, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%s.ReadCapacityUnits: %w", at, err)
	}
	w, err := strconv.ParseInt(p.WriteCapacityUnits, 10, 64)
	if err != nil {
		return nil, fmt.Errorf("%s.WriteCapacityUnits: %w", at, err)
	}
	return &types.ProvisionedThroughput{ReadCapacityUnits: aws.Int64(r), WriteCapacityUnits: aws.Int64(w)}, nil
}
