package ocdsschema

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

// The official example (docs/examples/award.json at tag 1__1__5, copied
// byte for byte into testdata) must pass: if it did not, the schemas or
// their wiring would be wrong, not our output.
func TestOfficialExampleValidates(t *testing.T) {
	data, err := os.ReadFile("testdata/example-award-release-package.json")
	if err != nil {
		t.Fatal(err)
	}
	if err := Validate(data); err != nil {
		t.Fatalf("official example rejected: %v", err)
	}
}

func TestUKPatchMergesIntoCoreDefinitionsOnly(t *testing.T) {
	got, err := MergedDefinitions()
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(got)
	want := []string{"Amendment", "Award", "Contract", "Document", "Organization", "Period", "Planning", "Tender", "Value"}
	if !slices.Equal(got, want) {
		t.Errorf("merged %v, want %v", got, want)
	}
}

// Each broken package is rejected, with a message naming the field. The
// UK cases pass the core schema (OCDS allows extra properties) and are
// caught only by the merged one: they prove the merge is live.
func TestBrokenPackagesAreRejected(t *testing.T) {
	good, err := os.ReadFile("testdata/example-award-release-package.json")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		mutate   func(pkg map[string]any)
		want     string
		coreOnly bool // true: the core schema alone rejects it
	}{
		{"no ocid", func(p map[string]any) { delete(release0(p), "ocid") }, "ocid", true},
		{"unknown tag", func(p map[string]any) { release0(p)["tag"] = []any{"awarded"} }, "/releases/0/tag/0", true},
		{"no publisher", func(p map[string]any) { delete(p, "publisher") }, "publisher", true},
		{"version with patch", func(p map[string]any) { p["version"] = "1.1.5" }, "/version", true},
		{"date not a date-time", func(p map[string]any) { release0(p)["date"] = "14/03/2027" }, "/releases/0/date", true},
		{"standstill in UK order", func(p map[string]any) {
			award0(p)["standstillPeriod"] = map[string]any{"startDate": "14/03/2027"}
		}, "/releases/0/awards/0/standstillPeriod/startDate", false},
		{"summaries sent as a day", func(p map[string]any) {
			award0(p)["assessmentSummariesDateSent"] = "2027-03-14"
		}, "/releases/0/awards/0/assessmentSummariesDateSent", false},
		{"notice type as a number", func(p map[string]any) {
			award0(p)["documents"] = []any{map[string]any{"id": "d1", "noticeType": 6}}
		}, "/releases/0/awards/0/documents/0/noticeType", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var pkg map[string]any
			if err := json.Unmarshal(good, &pkg); err != nil {
				t.Fatal(err)
			}
			c.mutate(pkg)
			data, _ := json.Marshal(pkg)
			err := Validate(data)
			if err == nil {
				t.Fatalf("broken package passed")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error does not name %s: %v", c.want, err)
			}
			sch, _ := Core()
			inst, _ := unmarshal(data)
			if coreErr := sch.Validate(inst); (coreErr != nil) != c.coreOnly {
				t.Errorf("core schema alone: err = %v, want rejected = %v", coreErr, c.coreOnly)
			}
		})
	}
}

func release0(pkg map[string]any) map[string]any {
	return pkg["releases"].([]any)[0].(map[string]any)
}

func award0(pkg map[string]any) map[string]any {
	return release0(pkg)["awards"].([]any)[0].(map[string]any)
}
