package journey_test

import (
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

func TestChecklistProgress(t *testing.T) {
	item := func(status string, required bool) *pathway.ChecklistItem {
		return &pathway.ChecklistItem{Status: status, Required: required}
	}
	tests := []struct {
		name     string
		items    []*pathway.ChecklistItem
		want     pathway.Progress
		complete bool
	}{
		{"empty", nil, pathway.Progress{}, false},
		{"nothing started", []*pathway.ChecklistItem{item(pathway.ItemNotStarted, true), item(pathway.ItemReturned, true)},
			pathway.Progress{Total: 2, Required: 2}, false},
		{"done and verified", []*pathway.ChecklistItem{item(pathway.ItemDone, true), item(pathway.ItemVerified, true), item(pathway.ItemVerified, false)},
			pathway.Progress{Done: 3, Verified: 2, Total: 3, Required: 2, RequiredVerified: 1}, false},
		{"every required verified", []*pathway.ChecklistItem{item(pathway.ItemVerified, true), item(pathway.ItemNotStarted, false)},
			pathway.Progress{Done: 1, Verified: 1, Total: 2, Required: 1, RequiredVerified: 1}, true},
		{"only optional items", []*pathway.ChecklistItem{item(pathway.ItemVerified, false)},
			pathway.Progress{Done: 1, Verified: 1, Total: 1}, false},
	}
	for _, tc := range tests {
		got := pathway.ChecklistProgress(tc.items)
		if got != tc.want || got.Complete() != tc.complete {
			t.Errorf("%s: %+v complete=%v, want %+v complete=%v", tc.name, got, got.Complete(), tc.want, tc.complete)
		}
	}
}

func TestEligibilitySummary(t *testing.T) {
	p := &pathway.Programme{Name: "P", Eligibility: pathway.Eligibility{MinFounders: 1}}
	got := journey.EligibilitySummary(p)
	if strings.Contains(got, "England") || !strings.Contains(got, "a care or support service") || !strings.Contains(got, "at least 1 founding member,") {
		t.Errorf("summary = %q", got)
	}
	p.Eligibility = pathway.Eligibility{MinFounders: 3, EnglandOnly: true, Services: []string{"home-care", "shared-lives", "meals"}}
	got = journey.EligibilitySummary(p)
	for _, want := range []string{"in England", "home care, Shared Lives or meals", "at least 3 founding members", "one vote for each member"} {
		if !strings.Contains(got, want) {
			t.Errorf("summary %q lacks %q", got, want)
		}
	}
}

func TestCoopID(t *testing.T) {
	a, b := journey.CoopID("u1", "k"), journey.CoopID("u1", "k")
	if a != b || !strings.HasPrefix(a, "coop-") {
		t.Errorf("same caller and key: %q and %q", a, b)
	}
	if journey.CoopID("u2", "k") == a || journey.CoopID("u1", "k2") == a {
		t.Error("another caller or key gave the same ID")
	}
	if journey.CoopID("u1", "") == journey.CoopID("u1", "") {
		t.Error("two requests without a key got the same ID")
	}
	for _, id := range []string{a, journey.CoopID("u1", "")} {
		if len(id) > 64 || strings.ToLower(id) != id {
			t.Errorf("ID %q is not a short lower-case ID", id)
		}
	}
}

func TestFingerprint(t *testing.T) {
	app := journey.Application{Name: "Hollin Bank", Programme: "p", Services: []string{"home-care"},
		Members: []journey.Member{{Name: "Ira Example", Class: "worker", Role: "director"}}}
	spaced := app
	spaced.Name = "  Hollin Bank "
	spaced.Members = []journey.Member{{Name: " Ira Example", Class: "worker", Role: "director"}}
	spaced.RegulatedActivities = []string{}
	if app.Fingerprint() != spaced.Fingerprint() {
		t.Error("spacing changed the fingerprint")
	}
	other := app
	other.Services = []string{"meals"}
	if other.Fingerprint() == app.Fingerprint() {
		t.Error("another service gave the same fingerprint")
	}
	if app.Name != "Hollin Bank" || app.Members[0].Name != "Ira Example" {
		t.Error("Fingerprint changed the application")
	}
}

// An application is checked by the co-op's rules, and only its own fields
// are named: never the ID, stage or founders that Apply gives the co-op.
func TestApplicationValidate(t *testing.T) {
	want := map[string]string{
		"name": "Enter the name", "programme": "Enter the programme", "legalForm": "Enter the legal form",
		"origin": "Enter the origin", "localAuthority": "Enter the local authority",
		"services": "Enter the services", "members": "Enter the members",
	}
	if got := pathway.ErrorFields(journey.Application{}.Validate()); !maps.Equal(got, want) {
		t.Errorf("empty application: fields = %v, want %v", got, want)
	}
	app := journey.Application{Name: "Hollin Bank", Programme: "prog-a", LegalForm: pathway.FormCooperativeSociety,
		Origin: pathway.OriginNewStart, LocalAuthority: "Cumberland", Services: []string{"home-care", "gardening"},
		Members: []journey.Member{{Name: "Ira Example", Class: "owner", Role: pathway.MemberDirector}}}
	got := pathway.ErrorFields(app.Validate())
	if keys := slices.Sorted(maps.Keys(got)); !slices.Equal(keys, []string{"members[0].class", "services[1]"}) ||
		!strings.HasPrefix(got["services[1]"], "Must be one of: home-care, ") ||
		got["members[0].class"] != "Must be one of: worker, service-user, family-carer, community, supporter" {
		t.Errorf("fields = %v, want the unknown service and class named", got)
	}
	app.Services, app.Members[0].Class = []string{"home-care"}, pathway.ClassWorker
	if err := app.Validate(); err != nil {
		t.Errorf("valid application: %v", err)
	}
}

func TestAnswerFor(t *testing.T) {
	for kind, want := range map[string]string{
		pathway.TaskPanelDecision:   "*journey.PanelAnswer",
		pathway.TaskPanelEscalation: "*journey.PanelAnswer",
		pathway.TaskCQCSubmission:   "*journey.SubmissionAnswer",
		pathway.TaskCQCDecision:     "*journey.CQCAnswer",
		pathway.TaskCQCEscalation:   "*journey.CQCAnswer",
	} {
		a, err := journey.AnswerFor(kind)
		if err != nil || typeName(a) != want {
			t.Errorf("AnswerFor(%q) = %s, %v; want %s", kind, typeName(a), err, want)
		}
	}
	for _, kind := range []string{pathway.TaskChecklist, pathway.TaskChecklistVerification, "something-new"} {
		if _, err := journey.AnswerFor(kind); pathway.ErrorCode(err) != pathway.ECONFLICT {
			t.Errorf("AnswerFor(%q) = %v, want ECONFLICT", kind, err)
		}
	}
}

func typeName(v any) string {
	switch v.(type) {
	case *journey.PanelAnswer:
		return "*journey.PanelAnswer"
	case *journey.SubmissionAnswer:
		return "*journey.SubmissionAnswer"
	case *journey.CQCAnswer:
		return "*journey.CQCAnswer"
	}
	return "?"
}

// Without a workflow service, applying is an internal error, never a
// co-op left without its workflow being reported as created.
func TestApplyWithoutWorkflows(t *testing.T) {
	st := testkit.Store(t)
	ctx := t.Context()
	if err := st.PutOrganisation(ctx, &pathway.Organisation{ID: "org-a", Name: "A", Kind: pathway.OrgAgency}); err != nil {
		t.Fatal(err)
	}
	if err := st.PutProgramme(ctx, &pathway.Programme{ID: "prog-a", Name: "A", Agency: "org-a", Pathway: pathway.PathwayStartUp,
		Open: true, PanelDays: 7, Eligibility: pathway.Eligibility{MinFounders: 1}}); err != nil {
		t.Fatal(err)
	}
	svc := journey.New(st, nil, func() time.Time { return time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC) })
	u := &pathway.User{ID: "u1", Name: "Ash Example", Role: pathway.RoleFounder}
	app := journey.Application{Name: "Hollin Bank", Programme: "prog-a", LegalForm: pathway.FormCooperativeSociety,
		Origin: pathway.OriginNewStart, LocalAuthority: "Cumberland", Services: []string{"home-care"},
		Members: []journey.Member{{Name: "Ira Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}}}
	if _, err := svc.Apply(ctx, u, journey.CoopID(u.ID, "k"), app); pathway.ErrorCode(err) != pathway.EINTERNAL {
		t.Errorf("Apply without workflows = %v, want an internal error", err)
	}
	staff := &pathway.User{ID: "u2", Name: "Cal Example", Role: pathway.RoleAgency, Organisation: "org-a"}
	if _, err := svc.Apply(ctx, staff, "coop-x", app); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
		t.Errorf("Apply by staff = %v, want EFORBIDDEN", err)
	}
}
