package dynamotest

import (
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// A template with intrinsic-function tags and other resources, as SAM
// templates have: only the table resource is read.
const sample = `
Transform: AWS::Serverless-2016-10-31
Globals:
  Function:
    Environment:
      Variables:
        TABLE_NAME: !Ref Store
Resources:
  Bucket:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "${AWS::StackName}-files"
  Store:
    Type: AWS::DynamoDB::Table
    Properties:
      TableName: !Sub "${AWS::StackName}-store"
      BillingMode: PROVISIONED
      ProvisionedThroughput: { ReadCapacityUnits: 7, WriteCapacityUnits: 3 }
      AttributeDefinitions:
        - { AttributeName: PK, AttributeType: S }
        - { AttributeName: SK, AttributeType: S }
        - { AttributeName: N1, AttributeType: N }
      KeySchema:
        - { AttributeName: PK, KeyType: HASH }
        - { AttributeName: SK, KeyType: RANGE }
      GlobalSecondaryIndexes:
        - IndexName: ByN
          KeySchema:
            - { AttributeName: N1, KeyType: HASH }
          Projection: { ProjectionType: INCLUDE, NonKeyAttributes: [name] }
      LocalSecondaryIndexes:
        - IndexName: ByPKN
          KeySchema:
            - { AttributeName: PK, KeyType: HASH }
            - { AttributeName: N1, KeyType: RANGE }
          Projection: { ProjectionType: KEYS_ONLY }
`

func TestParseTable(t *testing.T) {
	in, err := ParseTable([]byte(sample), "Store")
	if err != nil {
		t.Fatalf("ParseTable: %v", err)
	}
	if in.BillingMode != types.BillingModeProvisioned {
		t.Errorf("BillingMode = %q", in.BillingMode)
	}
	if p := in.ProvisionedThroughput; p == nil || aws.ToInt64(p.ReadCapacityUnits) != 7 || aws.ToInt64(p.WriteCapacityUnits) != 3 {
		t.Errorf("ProvisionedThroughput = %+v", p)
	}
	if len(in.AttributeDefinitions) != 3 || in.AttributeDefinitions[2].AttributeType != types.ScalarAttributeTypeN {
		t.Errorf("AttributeDefinitions = %+v", in.AttributeDefinitions)
	}
	if len(in.KeySchema) != 2 || aws.ToString(in.KeySchema[1].AttributeName) != "SK" || in.KeySchema[1].KeyType != types.KeyTypeRange {
		t.Errorf("KeySchema = %+v", in.KeySchema)
	}
	if len(in.GlobalSecondaryIndexes) != 1 {
		t.Fatalf("GlobalSecondaryIndexes = %+v", in.GlobalSecondaryIndexes)
	}
	g := in.GlobalSecondaryIndexes[0]
	if aws.ToString(g.IndexName) != "ByN" || len(g.KeySchema) != 1 || g.Projection.ProjectionType != types.ProjectionTypeInclude ||
		len(g.Projection.NonKeyAttributes) != 1 || g.ProvisionedThroughput == nil {
		t.Errorf("GSI = %+v %+v", g, g.Projection)
	}
	if len(in.LocalSecondaryIndexes) != 1 || in.LocalSecondaryIndexes[0].Projection.ProjectionType != types.ProjectionTypeKeysOnly {
		t.Errorf("LocalSecondaryIndexes = %+v", in.LocalSecondaryIndexes)
	}
}

func TestParseTableErrors(t *testing.T) {
	for _, tc := range []struct{ name, src, id, want string }{
		{"missing resource", sample, "Nope", "no resource Nope"},
		{"not a table", sample, "Bucket", "not an AWS::DynamoDB::Table"},
		{"bad yaml", "Resources: [", "Store", "parse template"},
		{"no resources", "Outputs: {}", "Store", "no Resources"},
		{"bad key type", strings.Replace(sample, "KeyType: RANGE }\n      GlobalSecondaryIndexes", "KeyType: SORT }\n      GlobalSecondaryIndexes", 1), "Store",
			"Properties.KeySchema[1]"},
		{"bad projection", strings.Replace(sample, "INCLUDE", "SOME", 1), "Store", "GlobalSecondaryIndexes[0].Projection.ProjectionType"},
		{"bad billing", strings.Replace(sample, "BillingMode: PROVISIONED", "BillingMode: FREE", 1), "Store", "BillingMode"},
		{"bad throughput", strings.Replace(sample, "ReadCapacityUnits: 7", "ReadCapacityUnits: lots", 1), "Store", "ProvisionedThroughput.ReadCapacityUnits"},
	} {
		_, err := ParseTable([]byte(tc.src), tc.id)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one mentioning %q", tc.name, err, tc.want)
		}
	}
}

// TestTemplateTable reads the project's own template: the table the
// engine's tests create is the one that deploys.
func TestTemplateTable(t *testing.T) {
	in, err := TemplateTable()
	if err != nil {
		t.Fatalf("TemplateTable: %v", err)
	}
	if in.BillingMode != types.BillingModePayPerRequest || in.ProvisionedThroughput != nil {
		t.Errorf("billing %q %+v, want on-demand", in.BillingMode, in.ProvisionedThroughput)
	}
	indexes := map[string]string{}
	for _, g := range in.GlobalSecondaryIndexes {
		var keys []string
		for _, k := range g.KeySchema {
			keys = append(keys, aws.ToString(k.AttributeName))
		}
		indexes[aws.ToString(g.IndexName)] = strings.Join(keys, "/")
	}
	// The engine queries these indexes by these key names.
	for name, keys := range map[string]string{"GSI1": "GSI1PK/GSI1SK", "GSI2": "GSI2PK/GSI2SK"} {
		if indexes[name] != keys {
			t.Errorf("index %s keys %q, want %q", name, indexes[name], keys)
		}
	}
}

func TestTableNameIsUniqueAndValid(t *testing.T) {
	a, b := TableName("TestX/sub test:#1"), TableName("TestX/sub test:#1")
	if a == b {
		t.Fatalf("two names are the same: %s", a)
	}
	if unsafeName.MatchString(a) || len(a) > 255 {
		t.Fatalf("name %q is not a valid table name", a)
	}
	if long := TableName(strings.Repeat("x", 400)); len(long) > 255 {
		t.Fatalf("name of %d characters", len(long))
	}
}
