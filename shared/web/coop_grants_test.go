package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestCoopAPIHasGrantFacts: the co-op's view adds "grants" (applications
// sent, awards, pence awarded and paid) for its agency and founders,
// and keeps every field it had.
func TestCoopAPIHasGrantFacts(t *testing.T) {
	f := newGrantFixture(t)
	facts := func(user string) (grants.Facts, map[string]json.RawMessage) {
		t.Helper()
		w := f.do(t, user, "GET", "/api/coops/"+gCoop, "")
		wantStatus(t, w, http.StatusOK)
		var v struct {
			Grants *grants.Facts `json:"grants"`
		}
		var all map[string]json.RawMessage
		must(t, json.Unmarshal(w.Body.Bytes(), &v))
		must(t, json.Unmarshal(w.Body.Bytes(), &all))
		if v.Grants == nil {
			t.Fatalf("no grants in %s", w.Body)
		}
		return *v.Grants, all
	}
	got, all := facts(gAgent)
	if got != (grants.Facts{}) {
		t.Errorf("before any application: %+v", got)
	}
	for _, field := range []string{"id", "name", "stage", "programmeName", "checklist", "openTasks", "nextStep", "founderList", "founders"} {
		if _, ok := all[field]; !ok {
			t.Errorf("field %q lost from the co-op's view", field)
		}
	}

	id := f.applyAPI(t, strings.Replace(gApplication, gProg, gSmall, 1))
	f.moveTo(t, id, grants.StatusInReview, grants.StatusAwaitingDecision)
	f.task(t, id, "decision-"+id, grants.TaskDecision, pathway.RoleFunderLead, "")
	award := `{"outcome":"award","amount":400000,"conditions":[],"tranches":[{"amount":400000,"trigger":"agreement"}],"feedback":"Strong."}`
	wantStatus(t, f.do(t, gLead, "POST", "/api/tasks/decision-"+id+"/decision", award), http.StatusOK)
	want := grants.Facts{Applications: 1, Awards: 1, Awarded: 400_000}
	for _, u := range []string{gAgent, gFounder} {
		if got, _ := facts(u); got != want {
			t.Errorf("%s sees %+v, want %+v", u, got, want)
		}
	}
	// The agency's pipeline board has them on the co-op's card.
	w := f.do(t, gAgent, "GET", "/api/board", "")
	wantStatus(t, w, http.StatusOK)
	var b struct {
		Programmes []struct {
			ID      string `json:"id"`
			Columns []struct {
				Stage string `json:"stage"`
				Cards []struct {
					ID     string       `json:"id"`
					Name   string       `json:"name"`
					Grants grants.Facts `json:"grants"`
				} `json:"cards"`
			} `json:"columns"`
		} `json:"programmes"`
	}
	must(t, json.Unmarshal(w.Body.Bytes(), &b))
	found := false
	for _, p := range b.Programmes {
		for _, col := range p.Columns {
			for _, c := range col.Cards {
				if c.ID == gCoop {
					found = c.Name == "Alder Care Co-operative" && c.Grants == want && p.ID == gDevProg && col.Stage != ""
				}
			}
		}
	}
	if !found {
		t.Errorf("board without the co-op's card and its grants: %s", w.Body)
	}
	// Someone who may not see the co-op learns nothing of its grants.
	wantStatus(t, f.do(t, gFounder2, "GET", "/api/coops/"+gCoop, ""), http.StatusNotFound)
}
