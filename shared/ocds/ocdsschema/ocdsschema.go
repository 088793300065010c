// Package ocdsschema validates Open Contracting Data Standard release
// packages against the official OCDS 1.1.5 schemas, embedded here byte for
// byte with the UK extension's schema fragment (PROVENANCE.md). Tests use
// it; nothing that deploys links it.
//
// # How the UK extension is checked
//
// The UK extension (cabinetoffice/ocds_uk_extension) is not a schema of its
// own: its release-schema.json is a JSON Merge Patch (RFC 7386) of
// "definitions" to lay over the OCDS release schema, together with nine
// other extensions it depends on (awardCriteria, bid, communication, …),
// which are not copied here. Validate therefore checks a package twice:
//
//  1. against the official release package and release schemas exactly as
//     published. OCDS 1.1 allows additional properties, so a package
//     carrying the UK fields (standstillPeriod, noticeType, …) must pass the
//     core schema as it stands; this is the check the issue asks for.
//  2. against the release schema with the UK patch merged into the
//     definitions that core OCDS 1.1.5 has (Award, Document, Period, Value,
//     Tender, Contract, Organization, Planning, Amendment). All their $refs
//     point at core definitions, so they merge cleanly without the missing
//     dependencies. The patch's definitions that belong to those dependency
//     extensions (AwardCriteria, Communication, FrameworkAgreement,
//     OtherRequirements, Subcontract, Suitability, Observation,
//     PerformanceFailure) are left out: without their extension they would
//     be stubs nothing refers to. So Award.standstillPeriod is checked as a
//     Period (its dates must be date-times), assessmentSummariesDateSent as a
//     date-time, Document.noticeType and Value.amountGross by type.
//
// Neither the UK extension nor core OCDS publishes a codelist for
// noticeType; Find a Tender writes the notice's number ("UK4", "UK6", …).
//
// Draft-04 "id" is honoured by the library (it resolves the package's $ref
// to the release schema by that URL, registered here so there is no
// network), and the OCDS-only keywords (codelist, openCodelist, deprecated,
// mergeStrategy, wholeListMerge, omitWhenMerged, versionId) are unknown to
// draft-04 and so ignored, as OCDS intends. Formats (date-time, uri) are
// asserted, which draft-04 does by default.
package ocdsschema

import (
	"bytes"
	_ "embed"
	"fmt"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The URLs the schemas are published at: the package schema's own id and
// the id (and $ref target) of the release schema.
const (
	PackageURL = "https://standard.open-contracting.org/schema/1__1__5/release-package-schema.json"
	ReleaseURL = "https://standard.open-contracting.org/schema/1__1__5/release-schema.json"
)

var (
	//go:embed release-package-schema.json
	packageJSON []byte
	//go:embed release-schema.json
	releaseJSON []byte
	//go:embed uk-release-schema.json
	ukPatchJSON []byte
)

// Core returns the compiled official release package schema.
var Core = sync.OnceValues(func() (*jsonschema.Schema, error) {
	release, err := jsonschema.UnmarshalJSON(bytes.NewReader(releaseJSON))
	if err != nil {
		return nil, err
	}
	return compile(release)
})

// WithUK returns the release package schema whose release schema has the
// UK extension's patch merged into the core definitions (see the package
// comment for which and why).
var WithUK = sync.OnceValues(func() (*jsonschema.Schema, error) {
	release, err := jsonschema.UnmarshalJSON(bytes.NewReader(releaseJSON))
	if err != nil {
		return nil, err
	}
	patch, err := jsonschema.UnmarshalJSON(bytes.NewReader(ukPatchJSON))
	if err != nil {
		return nil, err
	}
	merged, err := mergeUK(release, patch)
	if err != nil {
		return nil, err
	}
	return compile(merged)
})

func compile(release any) (*jsonschema.Schema, error) {
	pkg, err := jsonschema.UnmarshalJSON(bytes.NewReader(packageJSON))
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource(PackageURL, pkg); err != nil {
		return nil, err
	}
	if err := c.AddResource(ReleaseURL, release); err != nil {
		return nil, err
	}
	return c.Compile(PackageURL)
}

// mergeUK merges the UK patch's definitions that core OCDS has into the
// release schema and returns it; MergedDefinitions names them.
func mergeUK(release, patch any) (any, error) {
	defs, ok := field(release, "definitions")
	if !ok {
		return nil, fmt.Errorf("ocdsschema: release schema has no definitions")
	}
	ukDefs, ok := field(patch, "definitions")
	if !ok {
		return nil, fmt.Errorf("ocdsschema: UK extension patch has no definitions")
	}
	for name, def := range ukDefs {
		if core, ok := defs[name]; ok {
			defs[name] = mergePatch(core, def)
		}
	}
	return release, nil
}

// MergedDefinitions lists the release schema definitions the UK patch is
// merged into, for tests and for the record.
func MergedDefinitions() ([]string, error) {
	release, err := jsonschema.UnmarshalJSON(bytes.NewReader(releaseJSON))
	if err != nil {
		return nil, err
	}
	patch, err := jsonschema.UnmarshalJSON(bytes.NewReader(ukPatchJSON))
	if err != nil {
		return nil, err
	}
	defs, _ := field(release, "definitions")
	ukDefs, _ := field(patch, "definitions")
	var names []string
	for name := range ukDefs {
		if _, ok := defs[name]; ok {
			names = append(names, name)
		}
	}
	return names, nil
}

func field(doc any, name string) (map[string]any, bool) {
	m, ok := doc.(map[string]any)
	if !ok {
		return nil, false
	}
	v, ok := m[name].(map[string]any)
	return v, ok
}

// mergePatch applies an RFC 7386 JSON Merge Patch: objects merge key by
// key, null deletes, anything else replaces.
func mergePatch(target, patch any) any {
	p, ok := patch.(map[string]any)
	if !ok {
		return patch
	}
	t, ok := target.(map[string]any)
	if !ok {
		t = map[string]any{}
	}
	for k, v := range p {
		if v == nil {
			delete(t, k)
			continue
		}
		t[k] = mergePatch(t[k], v)
	}
	return t
}

// Validate reports whether data is a valid OCDS 1.1 release package: first
// against the official schemas as published, then with the UK extension's
// fields merged in. The error names the JSON pointer of each fault (for
// example "/releases/0/ocid").
func Validate(data []byte) error {
	for _, schema := range []func() (*jsonschema.Schema, error){Core, WithUK} {
		sch, err := schema()
		if err != nil {
			return err
		}
		inst, err := unmarshal(data)
		if err != nil {
			return err
		}
		if err := sch.Validate(inst); err != nil {
			return err
		}
	}
	return nil
}

func unmarshal(data []byte) (any, error) { return jsonschema.UnmarshalJSON(bytes.NewReader(data)) }
