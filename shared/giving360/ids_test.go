package giving360

import (
	"errors"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// fieldsOf returns the fields named by a pathway.Invalid error, or fails.
func fieldsOf(t *testing.T, err error) map[string]string {
	t.Helper()
	var pe *pathway.Error
	if !errors.As(err, &pe) || pe.Code != pathway.EINVALID {
		t.Fatalf("error = %v, want a pathway invalid error", err)
	}
	return pe.Fields
}

func TestGrantID(t *testing.T) {
	cases := []struct {
		name, prefix, id, want string
	}{
		{"plain", "360G-examplefund", "01JAPP0001", "360G-examplefund-01JAPP0001"},
		{"slashes and spaces to _", "360G-examplefund", `APP/2027\3 b`, "360G-examplefund-APP_2027_3_b"},
		{"special characters to _", "360G-examplefund", "a.b:c#d£", "360G-examplefund-a_b_c_d_"},
		{"hyphen and underscore kept", "360G-example_fund-2", "a-b_c", "360G-example_fund-2-a-b_c"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := GrantID(c.prefix, c.id)
			if err != nil || got != c.want {
				t.Errorf("GrantID(%q, %q) = %q, %v; want %q", c.prefix, c.id, got, err, c.want)
			}
		})
	}
}

func TestGrantIDRefuses(t *testing.T) {
	cases := []struct {
		name, prefix, id, field string
	}{
		{"empty prefix", "", "1", "prefix"},
		{"no 360G", "examplefund", "1", "prefix"},
		{"lower-case g", "360g-examplefund", "1", "prefix"},
		{"nothing after 360G-", "360G-", "1", "prefix"},
		{"slash in prefix", "360G-example/fund", "1", "prefix"},
		{"space in prefix", "360G-example fund", "1", "prefix"},
		{"trailing hyphen", "360G-examplefund-", "1", "prefix"},
		{"empty id", "360G-examplefund", "", "id"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := GrantID(c.prefix, c.id)
			if got != "" {
				t.Errorf("id = %q, want none", got)
			}
			fields := fieldsOf(t, err)
			if len(fields) != 1 || fields[c.field] == "" {
				t.Errorf("fields = %v, want only %s", fields, c.field)
			}
		})
	}
}

func TestRecipientID(t *testing.T) {
	const p = "360G-examplefund"
	cases := []struct {
		name          string
		r             Recipient
		id, companyNo string
	}{
		{"co-operative society", Recipient{Name: "A", LegalForm: pathway.FormCooperativeSociety, RegisterNumber: "7654R"}, "GB-MPR-7654R", ""},
		{"community benefit society, IP number tidied", Recipient{Name: "A", LegalForm: pathway.FormCommunityBenefit, RegisterNumber: " ip 031455 "}, "GB-MPR-IP031455", ""},
		{"CIC keeps leading zero", Recipient{Name: "A", LegalForm: pathway.FormCommunityInterest, RegisterNumber: "09506232"}, "GB-COH-09506232", "09506232"},
		{"company number lost its zero in a spreadsheet", Recipient{Name: "A", LegalForm: pathway.FormGuarantee, RegisterNumber: "7444723"}, "GB-COH-07444723", "07444723"},
		{"Scottish company", Recipient{Name: "A", LegalForm: pathway.FormPrivateCompany, RegisterNumber: "sc123456"}, "GB-COH-SC123456", "SC123456"},
		{"society not registered yet", Recipient{Name: "A", LegalForm: pathway.FormCooperativeSociety, InternalRef: "coop-9"}, p + "-coop-9", ""},
		{"not yet incorporated", Recipient{Name: "A", LegalForm: pathway.FormNotYetIncorporated, RegisterNumber: "123", InternalRef: "coop 9/x"}, p + "-coop_9_x", ""},
		{"no legal form", Recipient{Name: "A", InternalRef: "coop-9"}, p + "-coop-9", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id, no, err := RecipientID(p, c.r)
			if err != nil || id != c.id || no != c.companyNo {
				t.Errorf("RecipientID = %q, %q, %v; want %q, %q", id, no, err, c.id, c.companyNo)
			}
		})
	}
}

func TestRecipientIDRefuses(t *testing.T) {
	const p = "360G-examplefund"
	cases := []struct {
		name, prefix string
		r            Recipient
		field        string
	}{
		{"no name", p, Recipient{InternalRef: "x"}, "name"},
		{"unknown legal form", p, Recipient{Name: "A", LegalForm: "plc", InternalRef: "x"}, "legalForm"},
		{"society number with symbols", p, Recipient{Name: "A", LegalForm: pathway.FormCooperativeSociety, RegisterNumber: "IP/31455"}, "registerNumber"},
		{"company number too long", p, Recipient{Name: "A", LegalForm: pathway.FormCommunityInterest, RegisterNumber: "123456789"}, "registerNumber"},
		{"company number letters in the wrong place", p, Recipient{Name: "A", LegalForm: pathway.FormCommunityInterest, RegisterNumber: "1234567A"}, "registerNumber"},
		{"no number and no reference", p, Recipient{Name: "A", LegalForm: pathway.FormCommunityBenefit}, "internalRef"},
		{"bad prefix", "GB-examplefund", Recipient{Name: "A", InternalRef: "x"}, "prefix"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			id, _, err := RecipientID(c.prefix, c.r)
			if id != "" {
				t.Errorf("id = %q, want none", id)
			}
			fields := fieldsOf(t, err)
			if len(fields) != 1 || fields[c.field] == "" {
				t.Errorf("fields = %v, want only %s", fields, c.field)
			}
		})
	}
}
