// Package fromtemplate reads a Lambda function's configured memory from
// template.yaml, for the local server, which bills each request and step as
// the function template.yaml deploys it would be (on AWS the function reads
// its own, metered.EnvMemoryMB). It is apart from metered so that the
// Lambda functions link no YAML parser.
package fromtemplate

import (
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/coopcarepathway/pathway/infra/templatecheck"
	"gopkg.in/yaml.v3"
)

// lambdaDefaultMB is Lambda's memory when neither the function nor the
// template's Globals set one.
const lambdaDefaultMB = 128

// MemoryMB returns the MemorySize of the function logicalID in the
// template src: its own, else Globals.Function's, else Lambda's default.
func MemoryMB(src []byte, logicalID string) (int, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		return 0, fmt.Errorf("parse template: %w", err)
	}
	if len(doc.Content) == 0 {
		return 0, errors.New("the template is empty")
	}
	root := doc.Content[0]
	fn := templatecheck.Get(root, "Resources", logicalID)
	if fn == nil {
		return 0, fmt.Errorf("the template has no resource %s", logicalID)
	}
	for _, n := range []*yaml.Node{
		templatecheck.Get(fn, "Properties", "MemorySize"),
		templatecheck.Get(root, "Globals", "Function", "MemorySize"),
	} {
		if n == nil {
			continue
		}
		mb, err := strconv.Atoi(n.Value)
		if err != nil || mb <= 0 {
			return 0, fmt.Errorf("%s's MemorySize %q is not a number of MB", logicalID, n.Value)
		}
		return mb, nil
	}
	return lambdaDefaultMB, nil
}

// File is MemoryMB of the template at path.
func File(path, logicalID string) (int, error) {
	src, err := os.ReadFile(path)
	if err != nil {
		return 0, err
	}
	return MemoryMB(src, logicalID)
}
