package ocds

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/ocds/ocdsschema"
)

func TestHandBuiltPackageValidates(t *testing.T) {
	data, err := Marshal(handBuilt())
	if err != nil {
		t.Fatal(err)
	}
	if err := ocdsschema.Validate(data); err != nil {
		t.Fatalf("hand-built package invalid: %v\n%s", err, data)
	}
	// The UK fields are written where they apply.
	for _, want := range []string{`"noticeType": "UK4"`, `"noticeType": "UK6"`, `"noticeType": "UK7"`,
		`"standstillPeriod"`, `"assessmentSummariesDateSent": "2027-02-26T16:00:00Z"`, `"amount": 680000.5`, `"amount": 499999.99`} {
		if !strings.Contains(string(data), want) {
			t.Errorf("package lacks %s", want)
		}
	}
}

// Broken packages fail with a message naming the field at fault.
func TestBrokenPackagesAreRejected(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(p *Package)
		want   string
	}{
		{"missing ocid", func(p *Package) { p.Releases[1].OCID = "" }, "/releases/1/ocid"},
		{"bad tag", func(p *Package) { p.Releases[0].Tag = []string{"awarded"} }, "/releases/0/tag/0"},
		{"no releases", func(p *Package) { p.Releases = nil }, "releases"},
		{"contract without award", func(p *Package) { p.Releases[2].Contracts[0].AwardID = "" }, "awardID"},
		{"standstill end not a date-time", func(p *Package) {
			p.Releases[1].Awards[0].StandstillPeriod.EndDate = "2027-03-10"
		}, "/releases/1/awards/0/standstillPeriod/endDate"},
		{"unknown tender status", func(p *Package) { p.Releases[0].Tender.Status = "open" }, "/releases/0/tender/status"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := handBuilt()
			c.mutate(p)
			data, err := Marshal(p)
			if err != nil {
				t.Fatal(err)
			}
			err = ocdsschema.Validate(data)
			if err == nil {
				t.Fatal("broken package passed")
			}
			if !strings.Contains(err.Error(), c.want) {
				t.Errorf("error does not name %s: %v", c.want, err)
			}
		})
	}
}

func TestAmountIsExact(t *testing.T) {
	cases := []struct {
		pence int64
		want  string
	}{
		{0, "0"}, {1, "0.01"}, {10, "0.1"}, {150, "1.5"}, {66354000, "663540"},
		{68000050, "680000.5"}, {49999999, "499999.99"},
		// 2^53+1 pence: through a float64 it would print …992.
		{9007199254740993, "90071992547409.93"},
	}
	for _, c := range cases {
		v := GBP(c.pence)
		b, err := json.Marshal(v)
		if err != nil {
			t.Fatal(err)
		}
		if want := `{"amount":` + c.want + `,"currency":"GBP"}`; string(b) != want {
			t.Errorf("GBP(%d) = %s, want %s", c.pence, b, want)
		}
	}
	g, _ := json.Marshal(GBPGross(12345))
	if string(g) != `{"amount":123.45,"currency":"GBP","amountGross":123.45}` {
		t.Errorf("GBPGross = %s", g)
	}
}
