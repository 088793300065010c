package web_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// application returns a valid application body with one field replaced
// (a JSON fragment per key), or removed when the value is "-".
func application(changes map[string]string) string {
	fields := map[string]string{
		"name":                `"Hollin Bank Care Co-op"`,
		"programme":           `"` + progNorth + `"`,
		"legalForm":           `"co-operative-society"`,
		"origin":              `"new-start"`,
		"localAuthority":      `"Cumberland"`,
		"services":            `["home-care"]`,
		"regulatedActivities": `["personal-care"]`,
		"members":             `[{"name":"Ira Example","class":"worker","role":"director"},{"name":"Jo Example","class":"service-user","role":"registered-manager"}]`,
	}
	for k, v := range changes {
		if v == "-" {
			delete(fields, k)
		} else {
			fields[k] = v
		}
	}
	parts := make([]string, 0, len(fields))
	for k, v := range fields {
		parts = append(parts, fmt.Sprintf("%q:%s", k, v))
	}
	return "{" + strings.Join(parts, ",") + "}"
}

func TestProgrammes(t *testing.T) {
	e := newAPI(t)
	e.do("GET", "/api/programmes", "", "").wantError(t, 401, "")
	for _, user := range everyone {
		res := e.do("GET", "/api/programmes", user, "")
		if res.status != 200 {
			t.Fatalf("%s: status %d %s", user, res.status, res.body)
		}
		var got struct {
			Programmes []struct{ ID, Name, Agency, AgencyName, Eligibility string }
		}
		res.decode(t, &got)
		if len(got.Programmes) != 2 {
			t.Fatalf("%s: got %d programmes, want the 2 open ones: %s", user, len(got.Programmes), res.body)
		}
		north := got.Programmes[0]
		if north.ID != progNorth || north.AgencyName != "Fellgate Co-op Development" ||
			!strings.Contains(north.Eligibility, "in England") || !strings.Contains(north.Eligibility, "home care or supported living") ||
			!strings.Contains(north.Eligibility, "at least 2 founding members") {
			t.Errorf("north programme = %+v", north)
		}
	}
}

func TestApplyCreatesCoopAndStartsWorkflow(t *testing.T) {
	e := newAPI(t)
	res := e.do("POST", "/api/coops", founderA, application(nil))
	if res.status != 201 {
		t.Fatalf("status = %d %s", res.status, res.body)
	}
	var v struct {
		ID, Stage, NextStep string
		Founders            []string
		Members             []pathway.Member
	}
	res.decode(t, &v)
	if v.Stage != pathway.StageApplied || len(v.Founders) != 1 || v.Founders[0] != founderA || len(v.Members) != 2 || v.NextStep == "" {
		t.Errorf("co-op = %+v", v)
	}
	if loc := res.header.Get("Location"); loc != "/api/coops/"+v.ID {
		t.Errorf("Location = %q, want /api/coops/%s", loc, v.ID)
	}
	starts := e.wf.startCalls()
	if len(starts) != 1 || starts[0].StateMachine != pathway.WorkflowApplication || starts[0].Name != v.ID ||
		string(starts[0].Input) != `{"coopId":"`+v.ID+`"}` {
		t.Fatalf("starts = %+v", starts)
	}
	if ev := e.events(v.ID); len(ev) != 1 || ev[0] != "application.submitted" {
		t.Errorf("events = %v", ev)
	}
	// The founder can open it at its Location.
	if got := e.do("GET", res.header.Get("Location"), founderA, ""); got.status != 200 {
		t.Errorf("GET Location = %d", got.status)
	}
}

func TestApplyBadInput(t *testing.T) {
	e := newAPI(t)
	tests := []struct {
		name   string
		change map[string]string
		field  string
	}{
		{"no name", map[string]string{"name": "-"}, "name"},
		{"blank name", map[string]string{"name": `"   "`}, "name"},
		{"short name", map[string]string{"name": `"H"`}, "name"},
		{"long name", map[string]string{"name": `"` + strings.Repeat("a", 201) + `"`}, "name"},
		{"name not a string", map[string]string{"name": `42`}, "name"},
		{"no programme", map[string]string{"programme": "-"}, "programme"},
		{"unknown programme", map[string]string{"programme": `"prog-nowhere"`}, "programme"},
		{"closed programme", map[string]string{"programme": `"` + progClosed + `"`}, "programme"},
		{"no legal form", map[string]string{"legalForm": "-"}, "legalForm"},
		{"unknown legal form", map[string]string{"legalForm": `"partnership-llp"`}, "legalForm"},
		{"no origin", map[string]string{"origin": "-"}, "origin"},
		{"unknown origin", map[string]string{"origin": `"takeover"`}, "origin"},
		{"no local authority", map[string]string{"localAuthority": "-"}, "localAuthority"},
		{"long local authority", map[string]string{"localAuthority": `"` + strings.Repeat("x", 101) + `"`}, "localAuthority"},
		{"no services", map[string]string{"services": `[]`}, "services"},
		{"services missing", map[string]string{"services": "-"}, "services"},
		{"unknown service", map[string]string{"services": `["gardening"]`}, "services[0]"},
		{"repeated service", map[string]string{"services": `["home-care","home-care"]`}, "services"},
		{"services not a list", map[string]string{"services": `"home-care"`}, "services"},
		{"unknown regulated activity", map[string]string{"regulatedActivities": `["surgery"]`}, "regulatedActivities[0]"},
		{"repeated regulated activity", map[string]string{"regulatedActivities": `["personal-care","personal-care"]`}, "regulatedActivities"},
		{"no members", map[string]string{"members": `[]`}, "members"},
		{"member without name", map[string]string{"members": `[{"class":"worker","role":"director"}]`}, "members[0].name"},
		{"member with unknown class", map[string]string{"members": `[{"name":"Ira Example","class":"owner","role":"director"}]`}, "members[0].class"},
		{"member with unknown role", map[string]string{"members": `[{"name":"Ira Example","class":"worker","role":"ceo"}]`}, "members[0].role"},
		{"member with votes", map[string]string{"members": `[{"name":"Ira Example","class":"worker","role":"director","votes":3}]`}, "votes"},
		{"unknown field", map[string]string{"colour": `"red"`}, "colour"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.do("POST", "/api/coops", founderA, application(tc.change)).wantError(t, 400, tc.field)
		})
	}
	for name, body := range map[string]string{
		"malformed":   `{"name": "x",}`,
		"truncated":   `{"name": "x"`,
		"empty":       ``,
		"array":       `[]`,
		"two objects": application(nil) + application(nil),
		"oversized":   `{"name":"` + strings.Repeat("a", web.MaxBodyBytes) + `"}`,
	} {
		t.Run(name, func(t *testing.T) {
			e.do("POST", "/api/coops", founderA, body).wantError(t, 400, "")
		})
	}
	if n := len(e.wf.startCalls()); n != 0 {
		t.Errorf("bad requests started %d workflows", n)
	}
	if cs, _ := e.store.ListFounderCoops(t.Context(), founderA); len(cs) != 0 {
		t.Errorf("bad requests created %d co-ops", len(cs))
	}
}

func TestApplyOnlyFounders(t *testing.T) {
	e := newAPI(t)
	e.do("POST", "/api/coops", "", application(nil)).wantError(t, 401, "")
	for _, user := range []string{staffNorth, leadNorth, staffSouth, funderUser, commissioner} {
		e.do("POST", "/api/coops", user, application(nil)).wantError(t, 403, "")
	}
	if n := len(e.wf.startCalls()); n != 0 {
		t.Errorf("refused requests started %d workflows", n)
	}
}

func TestApplyIdempotencyKey(t *testing.T) {
	e := newAPI(t)
	first := e.do("POST", "/api/coops", founderA, application(nil), web.IdempotencyKeyHeader, "key-1")
	if first.status != 201 {
		t.Fatalf("first = %d %s", first.status, first.body)
	}
	// The same application, spaced differently, is the same request.
	spaced := strings.ReplaceAll(application(nil), ",", " , ")
	again := e.do("POST", "/api/coops", founderA, spaced, web.IdempotencyKeyHeader, "key-1")
	if again.status != 201 || again.body != first.body || again.header.Get("Location") != first.header.Get("Location") {
		t.Fatalf("replay = %d %s %q, want the first response byte for byte", again.status, again.body, again.header.Get("Location"))
	}
	e.do("POST", "/api/coops", founderA, application(map[string]string{"name": `"Another Co-op"`}),
		web.IdempotencyKeyHeader, "key-1").wantError(t, 409, "")
	// Another founder's key of the same name is theirs alone.
	other := e.do("POST", "/api/coops", founderB, application(nil), web.IdempotencyKeyHeader, "key-1")
	if other.status != 201 || other.header.Get("Location") == first.header.Get("Location") {
		t.Fatalf("other founder = %d %s", other.status, other.header.Get("Location"))
	}
	if cs, _ := e.store.ListFounderCoops(t.Context(), founderA); len(cs) != 1 {
		t.Errorf("founder A has %d co-ops, want 1", len(cs))
	}
	if n := len(e.wf.startCalls()); n != 2 {
		t.Errorf("started %d workflows, want 2", n)
	}
	for _, key := range []string{strings.Repeat("k", 256), "has space", "tab\tkey"} {
		e.do("POST", "/api/coops", founderA, application(nil), web.IdempotencyKeyHeader, key).wantError(t, 400, web.IdempotencyKeyHeader)
	}
	// A request that failed validation is not remembered: corrected, it
	// goes through under the same key.
	e.do("POST", "/api/coops", founderA, application(map[string]string{"name": "-"}), web.IdempotencyKeyHeader, "key-2").wantError(t, 400, "name")
	if res := e.do("POST", "/api/coops", founderA, application(nil), web.IdempotencyKeyHeader, "key-2"); res.status != 201 {
		t.Errorf("corrected request = %d %s", res.status, res.body)
	}
}

func TestApplyConcurrentDuplicates(t *testing.T) {
	e := newAPI(t)
	replies := concurrently(20, func(int) reply {
		return e.do("POST", "/api/coops", founderA, application(nil), web.IdempotencyKeyHeader, "double-click")
	})
	for i, r := range replies {
		if r.status != 201 || r.body != replies[0].body {
			t.Errorf("reply %d = %d %s, want 201 and the same body as the first", i, r.status, r.body)
		}
	}
	cs, err := e.store.ListFounderCoops(t.Context(), founderA)
	must(t, err)
	if len(cs) != 1 {
		t.Fatalf("%d co-ops created, want 1", len(cs))
	}
	for _, s := range e.wf.startCalls() {
		if s.Name != cs[0].ID {
			t.Errorf("an execution for %q was started, want only %q", s.Name, cs[0].ID)
		}
	}
}

// A workflow service that fails when the application is sent does not
// lose the application: the founder gets 201 (the start is stored with the
// co-op), and the outbox's sweep starts the workflow once the service is
// back.
func TestApplyWorkflowUnavailable(t *testing.T) {
	e := newAPI(t)
	e.wf.failStart(errors.New("connection reset"))
	res := e.do("POST", "/api/coops", founderA, application(nil), web.IdempotencyKeyHeader, "retry-me")
	if res.status != 201 || strings.Contains(res.body, "connection reset") {
		t.Fatalf("apply with the workflow service down = %d %s, want 201", res.status, res.body)
	}
	cs, _ := e.store.ListFounderCoops(t.Context(), founderA)
	if len(cs) != 1 || len(e.wf.startCalls()) != 0 {
		t.Fatalf("co-ops %+v, starts %+v after the failed start", cs, e.wf.startCalls())
	}
	pending, err := e.store.PendingDeliveries(t.Context(), 10)
	if err != nil || len(pending) != 1 || pending[0].Name != cs[0].ID || pending[0].Attempts != 1 {
		t.Fatalf("pending deliveries = %+v, %v; want the co-op's start, tried once", pending, err)
	}
	// A sweep starts it; a second sweep has nothing left to send.
	ob := outbox.New(e.store, e.wf, nil, nil)
	if n, err := ob.Sweep(t.Context(), true); err != nil || n != 1 {
		t.Fatalf("sweep = %d, %v; want 1 sent", n, err)
	}
	starts := e.wf.startCalls()
	if len(starts) != 1 || starts[0].Name != cs[0].ID || starts[0].StateMachine != pathway.WorkflowApplication {
		t.Fatalf("starts after the sweep = %+v", starts)
	}
	if n, _ := ob.Sweep(t.Context(), true); n != 0 {
		t.Fatalf("a second sweep sent %d", n)
	}
	// The retry of the same request starts nothing new: same execution name.
	retry := e.do("POST", "/api/coops", founderA, application(nil), web.IdempotencyKeyHeader, "retry-me")
	if retry.status != 201 {
		t.Fatalf("retry = %d %s", retry.status, retry.body)
	}
	for _, s := range e.wf.startCalls() {
		if s.Name != cs[0].ID {
			t.Fatalf("an execution for another co-op was started: %+v", s)
		}
	}
	// Starting an execution that exists already is not an error.
	e.wf.failStart(fmt.Errorf("%w: ExecutionAlreadyExists: exists", pathway.ErrAlreadyStarted))
	if res := e.do("POST", "/api/coops", founderA, application(nil), web.IdempotencyKeyHeader, "another"); res.status != 201 {
		t.Errorf("ExecutionAlreadyExists = %d %s, want 201", res.status, res.body)
	}
	if pending, _ := e.store.PendingDeliveries(t.Context(), 10); len(pending) != 0 {
		t.Errorf("a start of an existing execution is still pending: %+v", pending)
	}
	var body map[string]any
	must(t, json.Unmarshal([]byte(retry.body), &body))
	if _, ok := body["openTasks"]; !ok {
		t.Errorf("view lacks openTasks: %s", retry.body)
	}
}
