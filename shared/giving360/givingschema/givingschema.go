// Package givingschema validates 360Giving data against the official
// schemas (1.4.x), embedded here byte for byte (PROVENANCE.md). Tests use
// it; nothing that deploys links it.
package givingschema

import (
	"bytes"
	_ "embed"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The package schema's $id is the 1.4.3 URL but it refers to the grant
// schema by the 1.4.2 URL, so each is registered under the URL used to
// reach it; the library would otherwise try to read the URL as a file.
const (
	PackageURL = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-package-schema.json"
	GrantURL   = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"
)

var (
	//go:embed 360-giving-package-schema.json
	packageJSON []byte
	//go:embed 360-giving-schema.json
	grantJSON []byte
)

// Package returns the compiled package schema. awardDate is oneOf
// [format date-time, pattern YYYY-MM-DD]; in draft 2020-12 format is only
// an annotation by default, so a plain date would match both branches and
// fail the oneOf: the compiler asserts formats.
var Package = sync.OnceValues(func() (*jsonschema.Schema, error) {
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	for url, raw := range map[string][]byte{PackageURL: packageJSON, GrantURL: grantJSON} {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, err
		}
		if err := c.AddResource(url, doc); err != nil {
			return nil, err
		}
	}
	return c.Compile(PackageURL)
})

// Validate reports whether data is a valid 360Giving package.
func Validate(data []byte) error {
	sch, err := Package()
	if err != nil {
		return err
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}
