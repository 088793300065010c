package web_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

const doneBody = `{"status":"done","evidence":"Registered with the FCA as a co-operative society.","link":"https://example.test/rules.pdf"}`

// item returns a stored checklist item of coopN.
func (e *apiEnv) item(id string) *pathway.ChecklistItem {
	e.t.Helper()
	it, err := e.store.GetChecklistItem(e.t.Context(), coopN, id)
	must(e.t, err)
	return it
}

func TestChecklistGet(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	var v struct {
		Coop     string
		Items    []pathway.ChecklistItem
		Progress struct{ Done, Verified, Total, Required int }
	}
	e.do("GET", "/api/coops/"+coopN+"/checklist", founderA, "").decode(t, &v)
	if v.Coop != coopN || len(v.Items) != 3 || v.Progress.Total != 3 || v.Progress.Required != 2 || v.Progress.Done != 0 {
		t.Errorf("checklist = %+v", v)
	}
}

func TestChecklistMarkDone(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	path := "/api/coops/" + coopN + "/checklist/ORG-LEGAL"
	res := e.do("PUT", path, founderA, doneBody)
	if res.status != 200 {
		t.Fatalf("status = %d %s", res.status, res.body)
	}
	it := e.item("ORG-LEGAL")
	if it.Status != pathway.ItemDone || it.Link != "https://example.test/rules.pdf" || it.UpdatedBy != founderA || it.Version != 2 {
		t.Errorf("item = %+v", it)
	}
	if !hasAction(e.events(coopN), "checklist.item-done") {
		t.Errorf("no event: %v", e.events(coopN))
	}
	// Marking it done again updates the evidence.
	if res := e.do("PUT", path, founderA, `{"status":"done","evidence":"Rules attached."}`); res.status != 200 || e.item("ORG-LEGAL").Link != "" {
		t.Errorf("second update = %d %s", res.status, res.body)
	}

	bad := []struct{ name, body, field string }{
		{"no status", `{"evidence":"x"}`, "status"},
		{"verified by a founder", `{"status":"verified","evidence":"x"}`, "status"},
		{"no evidence", `{"status":"done"}`, "evidence"},
		{"blank evidence", `{"status":"done","evidence":"  "}`, "evidence"},
		{"long evidence", `{"status":"done","evidence":"` + strings.Repeat("e", 4001) + `"}`, "evidence"},
		{"http link", `{"status":"done","evidence":"x","link":"http://example.test/a.pdf"}`, "link"},
		{"relative link", `{"status":"done","evidence":"x","link":"/files/a.pdf"}`, "link"},
		{"link with a password", `{"status":"done","evidence":"x","link":"https://u:p@example.test/a"}`, "link"},
		{"link not a string", `{"status":"done","evidence":"x","link":5}`, "link"},
		{"unknown field", `{"status":"done","evidence":"x","version":3}`, "version"},
		{"malformed", `{"status":`, ""},
		{"oversized", `{"evidence":"` + strings.Repeat("a", web.MaxBodyBytes) + `"}`, ""},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			e.do("PUT", path, founderA, tc.body).wantError(t, 400, tc.field)
		})
	}
	e.do("PUT", "/api/coops/"+coopN+"/checklist/NO-SUCH-ITEM", founderA, doneBody).wantError(t, 404, "")
	e.do("PUT", "/api/coops/"+coopN+"/checklist/"+strings.Repeat("X", 40), founderA, doneBody).wantError(t, 404, "")
	e.do("PUT", path, "", doneBody).wantError(t, 401, "")
	for _, user := range everyone {
		if user == founderA {
			continue
		}
		status := 404
		if canSee(coopN, user) {
			status = 403 // the agency sees the checklist but only founders mark items done
		}
		e.do("PUT", path, user, doneBody).wantError(t, status, "")
	}
	// A verified item cannot change.
	it = e.item("FIN-BP")
	it.Status = pathway.ItemVerified
	must(t, e.store.UpdateChecklistItem(t.Context(), it, nil))
	e.do("PUT", "/api/coops/"+coopN+"/checklist/FIN-BP", founderA, doneBody).wantError(t, 409, "")
}

func TestChecklistStages(t *testing.T) {
	for _, tc := range []struct {
		stage string
		want  int
	}{
		{pathway.StageAwaitingPanel, 409},
		{pathway.StageCQCReady, 200}, // optional items can still be finished
		{pathway.StageCQCSubmitted, 200},
		{pathway.StageCQCRegistered, 409},
		{pathway.StageWithdrawn, 409},
	} {
		t.Run(tc.stage, func(t *testing.T) {
			e := newAPI(t)
			seedTwo(e)
			c, err := e.store.GetCoop(t.Context(), coopN)
			must(t, err)
			c.Stage = tc.stage
			must(t, e.store.UpdateCoop(t.Context(), c, nil))
			res := e.do("PUT", "/api/coops/"+coopN+"/checklist/POL-EXTRA", founderA, doneBody)
			if tc.want != 200 {
				res.wantError(t, tc.want, "")
				return
			}
			if res.status != 200 {
				t.Fatalf("status %d %s", res.status, res.body)
			}
			if res := e.do("POST", "/api/coops/"+coopN+"/checklist/POL-EXTRA/verify", staffNorth, `{"outcome":"accepted"}`); res.status != 200 {
				t.Errorf("verify = %d %s", res.status, res.body)
			}
		})
	}
}

func TestChecklistIfMatch(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	path := "/api/coops/" + coopN + "/checklist/ORG-LEGAL"
	e.do("PUT", path, founderA, doneBody, "If-Match", "soon").wantError(t, 400, "If-Match")
	e.do("PUT", path, founderA, doneBody, "If-Match", `"2"`).wantError(t, 409, "") // it is at version 1
	if res := e.do("PUT", path, founderA, doneBody, "If-Match", `"1"`); res.status != 200 {
		t.Fatalf("matching version = %d %s", res.status, res.body)
	}
	// The agency loaded version 2; the founders change the evidence; the
	// agency's verification of what it saw is refused.
	if res := e.do("PUT", path, founderA, `{"status":"done","evidence":"New evidence."}`, "If-Match", "2"); res.status != 200 {
		t.Fatalf("second edit = %d %s", res.status, res.body)
	}
	e.do("POST", path+"/verify", staffNorth, `{"outcome":"accepted"}`, "If-Match", `W/"2"`).wantError(t, 409, "")
	if res := e.do("POST", path+"/verify", staffNorth, `{"outcome":"accepted"}`, "If-Match", `"3"`); res.status != 200 {
		t.Fatalf("verify of the seen version = %d %s", res.status, res.body)
	}
}

func TestChecklistConcurrentEditsLoseNothing(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	replies := concurrently(20, func(i int) reply {
		return e.do("PUT", "/api/coops/"+coopN+"/checklist/ORG-LEGAL", founderA,
			`{"status":"done","evidence":"Edit `+strings.Repeat("x", i)+`"}`)
	})
	ok := 0
	for _, r := range replies {
		switch r.status {
		case 200:
			ok++
		case 409:
		default:
			t.Errorf("status %d, want 200 or 409", r.status)
		}
	}
	// Every 200 is one stored update: none was overwritten unseen.
	if it := e.item("ORG-LEGAL"); it.Version != 1+ok {
		t.Errorf("version %d after %d successful edits, want %d", it.Version, ok, 1+ok)
	}
	done := 0
	for _, a := range e.events(coopN) {
		if a == "checklist.item-done" {
			done++
		}
	}
	if done != ok {
		t.Errorf("%d events for %d successful edits", done, ok)
	}
}

func TestChecklistVerify(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	verify := func(item, user, body string) reply {
		return e.do("POST", "/api/coops/"+coopN+"/checklist/"+item+"/verify", user, body)
	}
	// Only an item marked done can be verified.
	verify("ORG-LEGAL", staffNorth, `{"outcome":"accepted"}`).wantError(t, 409, "")
	for _, id := range []string{"ORG-LEGAL", "FIN-BP", "POL-EXTRA"} {
		if res := e.do("PUT", "/api/coops/"+coopN+"/checklist/"+id, founderA, doneBody); res.status != 200 {
			t.Fatalf("mark %s done = %d %s", id, res.status, res.body)
		}
	}
	bad := []struct{ name, body, field string }{
		{"no outcome", `{}`, "outcome"},
		{"unknown outcome", `{"outcome":"approved"}`, "outcome"},
		{"returned without comment", `{"outcome":"returned"}`, "comment"},
		{"returned with blank comment", `{"outcome":"returned","comment":" "}`, "comment"},
		{"long comment", `{"outcome":"accepted","comment":"` + strings.Repeat("c", 2001) + `"}`, "comment"},
		{"unknown field", `{"outcome":"accepted","by":"someone"}`, "by"},
		{"malformed", `{"outcome"`, ""},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			verify("ORG-LEGAL", staffNorth, tc.body).wantError(t, 400, tc.field)
		})
	}
	verify("NO-SUCH-ITEM", staffNorth, `{"outcome":"accepted"}`).wantError(t, 404, "")
	verify("ORG-LEGAL", "", `{"outcome":"accepted"}`).wantError(t, 401, "")
	for _, user := range everyone {
		if user == staffNorth || user == leadNorth {
			continue
		}
		status := 404
		if canSee(coopN, user) {
			status = 403 // the founders cannot verify their own evidence
		}
		verify("ORG-LEGAL", user, `{"outcome":"accepted"}`).wantError(t, status, "")
	}

	// Returned with a comment, done again, then accepted.
	if res := verify("ORG-LEGAL", staffNorth, `{"outcome":"returned","comment":"Attach the registered rules."}`); res.status != 200 {
		t.Fatalf("return = %d %s", res.status, res.body)
	}
	if it := e.item("ORG-LEGAL"); it.Status != pathway.ItemReturned || it.Comment != "Attach the registered rules." {
		t.Errorf("returned item = %+v", it)
	}
	verify("ORG-LEGAL", staffNorth, `{"outcome":"accepted"}`).wantError(t, 409, "")
	e.do("PUT", "/api/coops/"+coopN+"/checklist/ORG-LEGAL", founderA, doneBody)
	for _, id := range []string{"ORG-LEGAL", "POL-EXTRA"} {
		if res := verify(id, leadNorth, `{"outcome":"accepted"}`); res.status != 200 {
			t.Fatalf("verify %s = %d %s", id, res.status, res.body)
		}
	}
	if n := len(e.wf.sendCalls()); n != 0 {
		t.Fatalf("the checklist wait was released with a required item unverified (%d sends)", n)
	}
	// The last required item releases the registration workflow's wait.
	if res := verify("FIN-BP", staffNorth, `{"outcome":"accepted"}`); res.status != 200 {
		t.Fatalf("verify last = %d %s", res.status, res.body)
	}
	sends := e.wf.sendCalls()
	if len(sends) != 1 || sends[0].token != "tok-n-checklist" {
		t.Fatalf("sends = %+v, want one release of the checklist token", sends)
	}
	var out map[string]any
	must(t, json.Unmarshal(sends[0].output, &out))
	if out["coopId"] != coopN || out["by"] != staffNorth {
		t.Errorf("release payload = %s", sends[0].output)
	}
	acts := e.events(coopN)
	if !hasAction(acts, "checklist.item-verified") || !hasAction(acts, "checklist.item-returned") {
		t.Errorf("events = %v", acts)
	}
	// The wait is answered: a verified item cannot be verified again, and
	// nothing is sent twice.
	verify("FIN-BP", staffNorth, `{"outcome":"accepted"}`).wantError(t, 409, "")
	if n := len(e.wf.sendCalls()); n != 1 {
		t.Errorf("the release was accepted %d times", n)
	}
}

// A release the workflow service cannot take at once is kept: the
// verification stands (200), and the outbox sends the release later.
func TestChecklistReleaseRetry(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	for _, id := range []string{"ORG-LEGAL", "FIN-BP"} {
		e.do("PUT", "/api/coops/"+coopN+"/checklist/"+id, founderA, doneBody)
	}
	verify := func(item string) reply {
		return e.do("POST", "/api/coops/"+coopN+"/checklist/"+item+"/verify", staffNorth, `{"outcome":"accepted"}`)
	}
	if res := verify("ORG-LEGAL"); res.status != 200 {
		t.Fatalf("verify = %d %s", res.status, res.body)
	}
	e.wf.failSends(errors.New("connection refused"), 1)
	if res := verify("FIN-BP"); res.status != 200 {
		t.Fatalf("verify with the workflow service down = %d %s, want 200", res.status, res.body)
	}
	if e.item("FIN-BP").Status != pathway.ItemVerified || len(e.wf.sendCalls()) != 0 {
		t.Fatalf("the verification was not kept, or the release got through: %+v", e.wf.sendCalls())
	}
	if n, err := outbox.New(e.store, e.wf, nil, nil).Sweep(t.Context(), true); err != nil || n != 1 {
		t.Fatalf("sweep = %d, %v; want the release sent", n, err)
	}
	if sends := e.wf.sendCalls(); len(sends) != 1 || sends[0].token != "tok-n-checklist" {
		t.Fatalf("sends = %+v", sends)
	}
	verify("FIN-BP").wantError(t, 409, "")
}
