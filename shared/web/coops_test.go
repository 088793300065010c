package web_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Co-ops of the visibility tables: one per agency, with different founders.
const (
	coopN = "coop-north-care"
	coopS = "coop-south-care"
)

// seedTwo stores a co-op in each agency's programme: coopN (founder A,
// preparing for CQC, with a checklist) and coopS (founder B, awaiting the
// panel, with a panel task).
func seedTwo(e *apiEnv) {
	e.seedCoop(coopN, progNorth, founderA, pathway.StageCQCPreparing, testNow.AddDate(0, 0, -3))
	e.seedChecklist(coopN)
	e.seedTask("task-n-checklist", pathway.TaskChecklist, coopN, "", pathway.RoleFounder, "tok-n-checklist", testNow.AddDate(0, 2, 0))
	e.seedCoop(coopS, progSouth, founderB, pathway.StageAwaitingPanel, testNow.AddDate(0, 0, -2))
	e.seedTask("task-s-panel", pathway.TaskPanelDecision, coopS, agencySouth, pathway.RoleAgency, "tok-s-panel", testNow.AddDate(0, 0, 7))
}

// visibility says which callers see each co-op: its founder and the
// agency running its programme (staff and lead alike).
var visibility = map[string][]string{
	coopN: {founderA, staffNorth, leadNorth},
	coopS: {founderB, staffSouth},
}

// canSee reports whether the user sees the co-op.
func canSee(coop, user string) bool {
	return slices.Contains(visibility[coop], user)
}

func TestCoopViewForEveryRole(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	missing := e.do("GET", "/api/coops/coop-missing", founderA, "")
	missing.wantError(t, 404, "")
	for _, path := range []string{"/api/coops/%s", "/api/coops/%s/events", "/api/coops/%s/checklist"} {
		for _, coop := range []string{coopN, coopS} {
			p := fmt.Sprintf(path, coop)
			e.do("GET", p, "", "").wantError(t, 401, "")
			for _, user := range everyone {
				res := e.do("GET", p, user, "")
				if canSee(coop, user) {
					if res.status != 200 {
						t.Errorf("%s as %s = %d %s, want 200", p, user, res.status, res.body)
					}
					continue
				}
				if res.status != 404 || res.body != missing.body {
					t.Errorf("%s as %s = %d %s, want the 404 of a missing co-op", p, user, res.status, res.body)
				}
			}
		}
	}
}

func TestCoopView(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	item, err := e.store.GetChecklistItem(t.Context(), coopN, "ORG-LEGAL")
	must(t, err)
	item.Status = pathway.ItemVerified
	must(t, e.store.UpdateChecklistItem(t.Context(), item, nil))
	item, err = e.store.GetChecklistItem(t.Context(), coopN, "POL-EXTRA")
	must(t, err)
	item.Status = pathway.ItemDone
	must(t, e.store.UpdateChecklistItem(t.Context(), item, nil))

	res := e.do("GET", "/api/coops/"+coopN, founderA, "")
	if res.status != 200 {
		t.Fatalf("status %d %s", res.status, res.body)
	}
	var v struct {
		ID, Stage, NextStep, ProgrammeName string
		Checklist                          struct{ Done, Verified, Total, Required, RequiredVerified int }
		OpenTasks                          []map[string]any
	}
	res.decode(t, &v)
	if v.ID != coopN || v.Stage != pathway.StageCQCPreparing || v.ProgrammeName != "Fellgate Start-up" {
		t.Errorf("view = %+v", v)
	}
	if c := v.Checklist; c.Done != 2 || c.Verified != 1 || c.Total != 3 || c.Required != 2 || c.RequiredVerified != 1 {
		t.Errorf("checklist progress = %+v, want done 2, verified 1, total 3, required 2 (1 verified)", c)
	}
	if !strings.Contains(v.NextStep, "1 of 2 required items verified") {
		t.Errorf("next step = %q", v.NextStep)
	}
	// The founders' checklist task, and the agency's check of the item
	// marked done (its work queue).
	kinds := func() map[any]any {
		out := map[any]any{}
		for _, t := range v.OpenTasks {
			out[t["kind"]] = t["canAct"]
		}
		return out
	}
	if k := kinds(); len(k) != 2 || k[pathway.TaskChecklist] != true || k[pathway.TaskChecklistVerification] != false {
		t.Errorf("open tasks = %v", v.OpenTasks)
	}
	if strings.Contains(res.body, "tok-n-checklist") || strings.Contains(res.body, `"token"`) {
		t.Errorf("the view shows a task token: %s", res.body)
	}
	// The agency sees the founders' task but cannot act on it.
	e.do("GET", "/api/coops/"+coopN, staffNorth, "").decode(t, &v)
	if k := kinds(); len(k) != 2 || k[pathway.TaskChecklist] != false || k[pathway.TaskChecklistVerification] != true {
		t.Errorf("agency's open tasks = %v", v.OpenTasks)
	}
}

func TestEvents(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	for i := range 3 {
		must(t, e.store.AppendEvent(t.Context(), &pathway.Event{ID: fmt.Sprintf("01J0000000000000000000000%d", i), Coop: coopN,
			At: testNow, Actor: pathway.ActorSystem, Action: "test.event", Summary: "Something happened."}))
	}
	var page struct {
		Events []pathway.Event
		Next   string
	}
	e.do("GET", "/api/coops/"+coopN+"/events?limit=2", staffNorth, "").decode(t, &page)
	if len(page.Events) != 2 || page.Next == "" {
		t.Fatalf("first page = %+v", page)
	}
	var rest struct {
		Events []pathway.Event
		Next   string
	}
	e.do("GET", "/api/coops/"+coopN+"/events?limit=2&cursor="+page.Next, staffNorth, "").decode(t, &rest)
	if len(rest.Events) != 2 || rest.Next != "" || rest.Events[0].ID == page.Events[1].ID {
		t.Fatalf("second page = %+v", rest)
	}
	e.do("GET", "/api/coops/"+coopN+"/events?cursor=not-a-cursor", founderA, "").wantError(t, 400, "cursor")
	e.do("GET", "/api/coops/"+coopN+"/events?limit=ten", founderA, "").wantError(t, 400, "limit")
	e.do("GET", "/api/coops/"+coopN+"/events?limit=0", founderA, "").wantError(t, 400, "limit")
	// Another co-op's cursor is not valid here.
	e.do("GET", "/api/coops/"+coopS+"/events?cursor="+page.Next, founderB, "").wantError(t, 400, "cursor")
}

func TestPipeline(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	for i := range 3 {
		e.seedCoop(fmt.Sprintf("coop-north-%d", i), progNorth, founderA, pathway.StageAwaitingPanel, testNow.Add(time.Duration(i)*time.Hour))
	}
	base := "/api/coops?programme=" + progNorth + "&stage=awaiting-panel"
	var page struct {
		Coops []pathway.Coop
		Next  string
	}
	e.do("GET", base+"&limit=2", staffNorth, "").decode(t, &page)
	if len(page.Coops) != 2 || page.Coops[0].ID != "coop-north-2" || page.Coops[1].ID != "coop-north-1" || page.Next == "" {
		t.Fatalf("first page = %+v, want the two newest", page)
	}
	next := page.Next
	page.Next = ""
	e.do("GET", base+"&limit=2&cursor="+next, leadNorth, "").decode(t, &page)
	if len(page.Coops) != 1 || page.Coops[0].ID != "coop-north-0" || page.Next != "" {
		t.Fatalf("second page = %+v", page)
	}
	// The co-op in another stage is in its own column only.
	e.do("GET", "/api/coops?programme="+progNorth+"&stage=cqc-preparing", staffNorth, "").decode(t, &page)
	if len(page.Coops) != 1 || page.Coops[0].ID != coopN {
		t.Errorf("cqc-preparing = %+v", page)
	}

	tests := []struct {
		name, query, user string
		status            int
		field             string
	}{
		{"no caller", base, "", 401, ""},
		{"founder", base, founderA, 403, ""},
		{"funder", base, funderUser, 403, ""},
		{"commissioner", base, commissioner, 403, ""},
		{"another agency", base, staffSouth, 403, ""},
		{"unknown programme", "/api/coops?programme=prog-nowhere&stage=applied", staffNorth, 404, ""},
		{"no programme", "/api/coops?stage=applied", staffNorth, 400, "programme"},
		{"no stage", "/api/coops?programme=" + progNorth, staffNorth, 400, "stage"},
		{"unknown stage", "/api/coops?programme=" + progNorth + "&stage=dreaming", staffNorth, 400, "stage"},
		{"bad cursor", base + "&cursor=!!", staffNorth, 400, "cursor"},
		{"cursor of another stage", "/api/coops?programme=" + progNorth + "&stage=applied&cursor=" + next, staffNorth, 400, "cursor"},
		{"bad limit", base + "&limit=-1", staffNorth, 400, "limit"},
		{"limit not a number", base + "&limit=lots", staffNorth, 400, "limit"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.do("GET", tc.query, tc.user, "").wantError(t, tc.status, tc.field)
		})
	}
	// A limit above the maximum is cut to it rather than refused.
	if res := e.do("GET", base+"&limit=1000", staffNorth, ""); res.status != 200 {
		t.Errorf("large limit = %d %s", res.status, res.body)
	}
}
