package pathway_test

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// oneOf returns the codes a struct field's validate tag allows with
// oneof (after dive, for a list), in the tag's order.
func oneOf(t *testing.T, v any, field string) []string {
	t.Helper()
	f, ok := reflect.TypeOf(v).FieldByName(field)
	if !ok {
		t.Fatalf("%T has no field %s", v, field)
	}
	for rule := range strings.SplitSeq(f.Tag.Get("validate"), ",") {
		if codes, ok := strings.CutPrefix(rule, "oneof="); ok {
			return strings.Fields(codes)
		}
	}
	t.Fatalf("%T.%s has no oneof rule", v, field)
	return nil
}

// TestValidatorKnowsTheEnumerations: the records' validate rules allow
// exactly the codes of each enumeration, so a value added to one list and
// not the other is caught here, not by a founder whose answer is refused.
func TestValidatorKnowsTheEnumerations(t *testing.T) {
	tests := []struct {
		record any
		field  string
		terms  []pathway.Term
	}{
		{pathway.Coop{}, "LegalForm", pathway.LegalForms},
		{pathway.Coop{}, "Origin", pathway.Origins},
		{pathway.Coop{}, "Services", pathway.Services},
		{pathway.Coop{}, "RegulatedActivities", pathway.RegulatedActivities},
		{pathway.Member{}, "Class", pathway.MemberClasses},
		{pathway.Member{}, "Role", pathway.MemberRoles},
	}
	for _, tt := range tests {
		tag, codes := oneOf(t, tt.record, tt.field), pathway.TermCodes(tt.terms)
		if !slices.Equal(slices.Sorted(slices.Values(tag)), slices.Sorted(slices.Values(codes))) {
			t.Errorf("%T.%s allows %v, but the enumeration is %v", tt.record, tt.field, tag, codes)
		}
		for _, term := range tt.terms {
			if term.Name == "" {
				t.Errorf("%T.%s: %q has no words for people", tt.record, tt.field, term.Code)
			}
		}
	}
	for _, a := range pathway.RegulatedActivities {
		if a.Formal == "" {
			t.Errorf("regulated activity %q has no formal name", a.Code)
		}
	}
	// Every stage the validator takes is a stage of the table, and no other.
	for _, code := range append(slices.Clone(pathway.Stages), "flying") {
		c := eligibleCoop()
		c.Stage = code
		if err := c.Validate(); (err == nil) != pathway.IsStage(code) {
			t.Errorf("stage %q: Validate() = %v", code, err)
		}
	}
	groups := []string{pathway.GroupOrganisation, pathway.GroupPeople, pathway.GroupPurpose, pathway.GroupPolicies,
		pathway.GroupFinance, pathway.GroupInsurance, pathway.GroupSubmission}
	if got := pathway.TermCodes(pathway.ChecklistGroups); !slices.Equal(got, groups) {
		t.Errorf("checklist groups %v, want %v", got, groups)
	}
}

func TestTermName(t *testing.T) {
	if got := pathway.TermName(pathway.LegalForms, pathway.FormGuarantee); got != "Company limited by guarantee" {
		t.Errorf("TermName(legal form) = %q", got)
	}
	if got := pathway.TermName(pathway.MemberRoles, "honorary-president"); got != "Honorary president" {
		t.Errorf("TermName(unknown) = %q, want the code made readable", got)
	}
	if got := pathway.ServiceName("shared-lives"); got != "Shared Lives" {
		t.Errorf("ServiceName = %q", got)
	}
	if got := pathway.ServiceName("gardening"); got != "gardening" || pathway.IsCareService("gardening") {
		t.Errorf("an unknown service: %q, care service %v", got, pathway.IsCareService("gardening"))
	}
}
