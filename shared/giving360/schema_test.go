package giving360

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// The official schemas, copied byte for byte into testdata (PROVENANCE.md
// there). The package schema's $id is the 1.4.3 URL but it refers to the
// grant schema by the 1.4.2 URL, so each is registered under the URL used
// to reach it; the library would otherwise try to read the URL as a file.
const (
	packageSchemaURL = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.3/schema/360-giving-package-schema.json"
	grantSchemaURL   = "https://raw.githubusercontent.com/ThreeSixtyGiving/standard/1.4.2/schema/360-giving-schema.json"
)

func packageSchema(t *testing.T) *jsonschema.Schema {
	t.Helper()
	c := jsonschema.NewCompiler()
	// awardDate is oneOf [format date-time, pattern YYYY-MM-DD]. In draft
	// 2020-12 format is only an annotation by default, so a plain date would
	// match both branches and fail the oneOf; asserting formats fixes that.
	c.AssertFormat()
	for url, file := range map[string]string{
		packageSchemaURL: "testdata/360-giving-package-schema.json",
		grantSchemaURL:   "testdata/360-giving-schema.json",
	} {
		f, err := os.Open(file)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(f)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		if err := c.AddResource(url, doc); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile(packageSchemaURL)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validate(sch *jsonschema.Schema, data []byte) error {
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		return err
	}
	return sch.Validate(inst)
}

func TestPackageValidatesAgainstOfficialSchema(t *testing.T) {
	sch := packageSchema(t)
	var buf bytes.Buffer
	meta := Meta{Issued: day("2027-07-01"), DownloadURL: "https://pathway.example.org/funders/f1/360giving.json"}
	if err := WriteJSON(&buf, testFunder(), testGrants(), meta); err != nil {
		t.Fatal(err)
	}
	if err := validate(sch, buf.Bytes()); err != nil {
		t.Fatalf("our package is invalid: %v\n%s", err, buf.Bytes())
	}
	// The smallest grant (no programme, dates or location) validates alone.
	buf.Reset()
	if err := WriteJSON(&buf, testFunder(), testGrants()[2:], Meta{}); err != nil {
		t.Fatal(err)
	}
	if err := validate(sch, buf.Bytes()); err != nil {
		t.Fatalf("one-grant package is invalid: %v\n%s", err, buf.Bytes())
	}
}

// The broken packages prove the validator is live: if the schemas were not
// loaded or checked, these would pass too.
func TestBrokenPackagesAreRejected(t *testing.T) {
	sch := packageSchema(t)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, testFunder(), testGrants(), Meta{}); err != nil {
		t.Fatal(err)
	}
	good := buf.Bytes()
	cases := []struct {
		name   string
		mutate func(pkg map[string]any)
		want   string // a word the validator's message must hold
	}{
		{"no funding organisation", func(p map[string]any) { delete(grant0(p), "fundingOrganization") }, "fundingOrganization"},
		{"empty grants", func(p map[string]any) { p["grants"] = []any{} }, "minItems"},
		{"award date in UK order", func(p map[string]any) { grant0(p)["awardDate"] = "14/03/2027" }, "awardDate"},
		{"amount as text", func(p map[string]any) { grant0(p)["amountAwarded"] = "12345.67" }, "amountAwarded"},
		{"funder without id", func(p map[string]any) {
			delete(grant0(p)["fundingOrganization"].([]any)[0].(map[string]any), "id")
		}, "id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var pkg map[string]any
			if err := json.Unmarshal(good, &pkg); err != nil {
				t.Fatal(err)
			}
			c.mutate(pkg)
			data, _ := json.Marshal(pkg)
			err := validate(sch, data)
			if err == nil {
				t.Fatalf("broken package passed:\n%s", data)
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error does not mention %s: %v", c.want, err)
			}
		})
	}
}

func grant0(pkg map[string]any) map[string]any {
	return pkg["grants"].([]any)[0].(map[string]any)
}
