package giving360

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestWriteJSONAmountsAreExact(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteJSON(&buf, testFunder(), testGrants(), Meta{}); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"amountAwarded": 12345.67,`, `"amountAppliedFor": 15000,`, `"amountAwarded": 1000,`, `"amountAwarded": 0.99,`} {
		if !strings.Contains(buf.String(), want) {
			t.Errorf("output lacks %s:\n%s", want, buf.String())
		}
	}
}

func TestWriteJSONFields(t *testing.T) {
	grants := testGrants()
	grants[0].Recipient.Name = "Care & Share Co-op"
	var buf bytes.Buffer
	if err := WriteJSON(&buf, testFunder(), grants, Meta{}); err != nil {
		t.Fatal(err)
	}
	var pkg jsonPackage
	if err := json.Unmarshal(buf.Bytes(), &pkg); err != nil {
		t.Fatal(err)
	}
	if pkg.Version != "1.4" || pkg.License != LicenceCCBY4 || pkg.Publisher.Identifier != "GB-CHC-9999991" || pkg.Issued != "" {
		t.Errorf("package metadata = %+v", pkg)
	}
	g := pkg.Grants[0]
	if g.ID != "360G-examplefund-01JAPP0001" || g.Currency != "GBP" || g.AwardDate != "2027-03-14" {
		t.Errorf("grant 0 = %+v", g)
	}
	if r := g.RecipientOrganization[0]; r.ID != "GB-MPR-7654R" || r.Name != "Care & Share Co-op" || r.CompanyNumber != "" {
		t.Errorf("society recipient = %+v", r)
	}
	if l := g.BeneficiaryLocation; len(l) != 1 || l[0].Name != "Leeds" || l[0].CountryCode != "GB" {
		t.Errorf("beneficiary location = %+v", l)
	}
	if strings.Contains(buf.String(), `\u0026`) {
		t.Error("& is escaped for HTML; the file is not HTML")
	}
	if r := pkg.Grants[1].RecipientOrganization[0]; r.ID != "GB-COH-09506232" || r.CompanyNumber != "09506232" {
		t.Errorf("company recipient = %+v", r)
	}
	third := pkg.Grants[2]
	if third.RecipientOrganization[0].ID != "360G-examplefund-coop_3" || third.GrantProgramme != nil || third.PlannedDates != nil || third.BeneficiaryLocation != nil || third.AmountAppliedFor != "" {
		t.Errorf("unregistered grant = %+v", third)
	}
}

// A decision taken at 23:30 UTC on 30 June is on 1 July in the UK (BST).
func TestAwardDateIsTheUKDay(t *testing.T) {
	g := testGrants()[2:]
	g[0].AwardDate = time.Date(2027, 6, 30, 23, 30, 0, 0, time.UTC)
	var buf bytes.Buffer
	if err := WriteJSON(&buf, testFunder(), g, Meta{}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), `"awardDate": "2027-07-01"`) {
		t.Errorf("award date not the UK day:\n%s", buf.String())
	}
}

func TestWriteJSONWithNoGrants(t *testing.T) {
	var buf bytes.Buffer
	err := WriteJSON(&buf, testFunder(), nil, Meta{})
	if pathway.ErrorCode(err) != pathway.ENOTFOUND || buf.Len() != 0 {
		t.Errorf("err = %v, wrote %q; want not found and nothing written", err, buf.String())
	}
}

func TestBadInputNamesEachField(t *testing.T) {
	cases := []struct {
		name   string
		f      func(*Funder, []Grant, *Meta)
		fields []string
	}{
		{"funder", func(f *Funder, _ []Grant, _ *Meta) { *f = Funder{Prefix: "examplefund", OrgID: "GB CHC 1"} },
			[]string{"funder.prefix", "funder.orgID", "funder.name"}},
		{"grant basics", func(_ *Funder, g []Grant, _ *Meta) {
			g[1].ID, g[1].Title, g[1].Description, g[1].AmountPence, g[1].AwardDate = "", "", "", 0, time.Time{}
			g[2].AppliedForPence = -1
		}, []string{"grants[1].id", "grants[1].title", "grants[1].description", "grants[1].amount", "grants[1].awardDate", "grants[2].appliedFor"}},
		{"recipient", func(_ *Funder, g []Grant, _ *Meta) {
			g[1].Recipient.RegisterNumber = "ABC"
			g[2].Recipient.InternalRef = ""
		}, []string{"grants[1].recipient.registerNumber", "grants[2].recipient.internalRef"}},
		{"same id once sanitised", func(_ *Funder, g []Grant, _ *Meta) { g[0].ID, g[2].ID = "APP/1", "APP 1" },
			[]string{"grants[2].id"}},
		{"planned dates", func(_ *Funder, g []Grant, _ *Meta) {
			g[0].PlannedEnd = day("2027-03-31")
			g[1].PlannedEnd = day("2027-03-31")
		}, []string{"grants[0].plannedEnd", "grants[1].plannedStart"}},
		{"negative amount", func(_ *Funder, g []Grant, _ *Meta) { g[0].AmountPence = -100 }, []string{"grants[0].amount"}},
		{"meta links", func(_ *Funder, _ []Grant, m *Meta) { m.Licence, m.DownloadURL = "CC BY 4.0", "/funders/1.json" },
			[]string{"meta.licence", "meta.downloadURL"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f, g, m := testFunder(), testGrants(), Meta{}
			c.f(&f, g, &m)
			var buf bytes.Buffer
			fields := fieldsOf(t, WriteJSON(&buf, f, g, m))
			if buf.Len() != 0 {
				t.Errorf("wrote %d bytes despite the error", buf.Len())
			}
			if len(fields) != len(c.fields) {
				t.Errorf("fields = %v, want %v", fields, c.fields)
			}
			for _, k := range c.fields {
				if fields[k] == "" {
					t.Errorf("no message for %s in %v", k, fields)
				}
			}
		})
	}
}
