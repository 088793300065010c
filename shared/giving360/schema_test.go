package giving360

import (
	"bytes"
	"encoding/json"

	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/giving360/givingschema"
)

func TestPackageValidatesAgainstOfficialSchema(t *testing.T) {
	var buf bytes.Buffer
	meta := Meta{Issued: day("2027-07-01"), DownloadURL: "https://pathway.example.org/funders/f1/360giving.json"}
	if err := WriteJSON(&buf, testFunder(), testGrants(), meta); err != nil {
		t.Fatal(err)
	}
	if err := givingschema.Validate(buf.Bytes()); err != nil {
		t.Fatalf("our package is invalid: %v\n%s", err, buf.Bytes())
	}
	// The smallest grant (no programme, dates or location) validates alone.
	buf.Reset()
	if err := WriteJSON(&buf, testFunder(), testGrants()[2:], Meta{}); err != nil {
		t.Fatal(err)
	}
	if err := givingschema.Validate(buf.Bytes()); err != nil {
		t.Fatalf("one-grant package is invalid: %v\n%s", err, buf.Bytes())
	}
}

// The broken packages prove the validator is live: if the schemas were not
// loaded or checked, these would pass too.
func TestBrokenPackagesAreRejected(t *testing.T) {
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
			err := givingschema.Validate(data)
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
