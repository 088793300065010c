package web_test

import (
	"slices"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// seedFounders stores coopN (founder A applied) and the founder users.
func seedFounders(e *apiEnv) {
	seedTwo(e)
	for _, id := range []string{founderA, founderB} {
		must(e.t, e.store.PutUser(e.t.Context(), testUsers[id]))
	}
	_, err := e.store.SaveUserByEmail(e.t.Context(), &pathway.User{ID: "user-founder-mail", Name: "Mo Example",
		Role: pathway.RoleFounder, Email: "mo@example.org"})
	must(e.t, err)
}

func TestInviteFounderAPI(t *testing.T) {
	e := newAPI(t)
	seedFounders(e)
	path := "/api/coops/" + coopN + "/founders"

	res := e.do("POST", path, founderA, `{"user":"`+founderB+`"}`)
	if res.status != 201 {
		t.Fatalf("invite by user = %d %s", res.status, res.body)
	}
	var f struct{ ID, Name, Email string }
	res.decode(t, &f)
	if f.ID != founderB || f.Name != "Bay Example" {
		t.Errorf("invited %+v", f)
	}
	// A retry answers the same and adds nobody twice.
	if again := e.do("POST", path, founderA, `{"user":"`+founderB+`"}`); again.status != 201 || again.body != res.body {
		t.Errorf("retried invite = %d %s, want the same 201", again.status, again.body)
	}
	res = e.do("POST", path, founderB, `{"email":"MO@example.org"}`)
	res.decode(t, &f)
	if res.status != 201 || f.ID != "user-founder-mail" || f.Email != "mo@example.org" {
		t.Fatalf("invite by email = %d %s", res.status, res.body)
	}

	var v struct {
		Founders    []string
		FounderList []struct {
			ID, Name  string
			Applicant bool
		}
	}
	e.do("GET", "/api/coops/"+coopN, founderB, "").decode(t, &v)
	if !slices.Equal(v.Founders, []string{founderA, founderB, "user-founder-mail"}) || len(v.FounderList) != 3 ||
		!v.FounderList[0].Applicant || v.FounderList[1].Applicant || v.FounderList[1].Name != "Bay Example" {
		t.Errorf("co-op view founders %+v", v)
	}
	if n := len(slices.DeleteFunc(e.events(coopN), func(a string) bool { return a != pathway.ActionFounderInvited })); n != 2 {
		t.Errorf("%d invitation events, want 2", n)
	}
}

func TestInviteFounderAPIErrors(t *testing.T) {
	e := newAPI(t)
	seedFounders(e)
	path := "/api/coops/" + coopN + "/founders"
	tests := []struct {
		name, user, path, body string
		status                 int
		field                  string
	}{
		{"no body", founderA, path, `{}`, 400, "email"},
		{"bad email", founderA, path, `{"email":"nobody at example"}`, 400, "email"},
		{"unknown email with no invitations here", founderA, path, `{"email":"new@example.org"}`, 400, "email"},
		{"unknown user", founderA, path, `{"user":"user-nobody"}`, 400, "user"},
		{"both", founderA, path, `{"user":"` + founderB + `","email":"mo@example.org"}`, 400, "user"},
		{"unknown field", founderA, path, `{"mail":"mo@example.org"}`, 400, ""},
		{"founder of another co-op", founderB, path, `{"user":"` + founderB + `"}`, 404, ""},
		{"agency of another programme", staffSouth, path, `{"user":"` + founderB + `"}`, 404, ""},
		{"agency of the programme", staffNorth, path, `{"user":"` + founderB + `"}`, 403, ""},
		{"missing co-op", founderA, "/api/coops/coop-missing/founders", `{"user":"` + founderB + `"}`, 404, ""},
		{"nobody signed in", "", path, `{"user":"` + founderB + `"}`, 401, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.do("POST", tc.path, tc.user, tc.body).wantError(t, tc.status, tc.field)
		})
	}
	if c, _ := e.store.GetCoop(t.Context(), coopN); len(c.Founders) != 1 {
		t.Errorf("refused invitations changed the founders: %v", c.Founders)
	}
}

func TestRemoveFounderAPI(t *testing.T) {
	e := newAPI(t)
	seedFounders(e)
	base := "/api/coops/" + coopN + "/founders/"
	if res := e.do("POST", "/api/coops/"+coopN+"/founders", founderA, `{"user":"`+founderB+`"}`); res.status != 201 {
		t.Fatalf("invite = %d %s", res.status, res.body)
	}
	e.do("DELETE", base+founderA, founderB, "").wantError(t, 403, "")
	e.do("DELETE", base+founderB, staffNorth, "").wantError(t, 403, "")
	e.do("DELETE", base+founderB, staffSouth, "").wantError(t, 404, "")

	if res := e.do("DELETE", base+founderB, founderB, ""); res.status != 204 || res.body != "" {
		t.Fatalf("leave = %d %q, want 204", res.status, res.body)
	}
	// The founder who left no longer sees the co-op, and cannot leave twice.
	e.do("GET", "/api/coops/"+coopN, founderB, "").wantError(t, 404, "")
	e.do("DELETE", base+founderB, founderB, "").wantError(t, 404, "")
	// The last founder stays.
	e.do("DELETE", base+founderA, founderA, "").wantError(t, 400, "user")
	// Removing someone who is no founder (a retried removal) is done already.
	if res := e.do("DELETE", base+founderB, founderA, ""); res.status != 204 {
		t.Errorf("removing a former founder = %d %s, want 204", res.status, res.body)
	}
	actions := e.events(coopN)
	if !hasAction(actions, pathway.ActionFounderLeft) || hasAction(actions, pathway.ActionFounderRemoved) {
		t.Errorf("events %v, want one leaving and no removal", actions)
	}
}

func TestConcurrentInvitesAllLand(t *testing.T) {
	e := newAPI(t)
	seedFounders(e)
	ids := []string{"user-founder-c1", "user-founder-c2", "user-founder-c3", "user-founder-c4"}
	for _, id := range ids {
		must(t, e.store.PutUser(t.Context(), &pathway.User{ID: id, Name: "Co " + id[len(id)-2:], Role: pathway.RoleFounder}))
	}
	replies := concurrently(len(ids), func(i int) reply {
		return e.do("POST", "/api/coops/"+coopN+"/founders", founderA, `{"user":"`+ids[i]+`"}`)
	})
	for i, r := range replies {
		if r.status != 201 {
			t.Fatalf("invite %s = %d %s", ids[i], r.status, r.body)
		}
	}
	c, err := e.store.GetCoop(t.Context(), coopN)
	must(t, err)
	for _, id := range ids {
		if !slices.Contains(c.Founders, id) {
			t.Errorf("%s lost: %v", id, c.Founders)
		}
	}
}

func TestDraftAPI(t *testing.T) {
	e := newAPI(t)
	const path = "/api/drafts/application"
	e.do("GET", path, founderA, "").wantError(t, 404, "")
	res := e.do("PUT", path, founderA, `{"key":"k1","application":{"name":"Hollin Bank","members":[{"name":"Ira Example"}]},"version":0}`)
	if res.status != 200 {
		t.Fatalf("PUT = %d %s", res.status, res.body)
	}
	var d struct {
		Key         string
		Application struct{ Name string }
		Version     int
	}
	res.decode(t, &d)
	if d.Version != 1 {
		t.Fatalf("version %d, want 1", d.Version)
	}
	e.do("PUT", path, founderA, `{"key":"k1","application":{"name":"Stale"},"version":0}`).wantError(t, 409, "")
	e.do("PUT", path, founderA, `{"version":-1}`).wantError(t, 400, "version")
	e.do("GET", path, founderB, "").wantError(t, 404, "")
	e.do("GET", path, staffNorth, "").wantError(t, 403, "")
	e.do("GET", path, founderA, "").decode(t, &d)
	if d.Key != "k1" || d.Application.Name != "Hollin Bank" || d.Version != 1 {
		t.Errorf("GET = %+v", d)
	}
	if res := e.do("DELETE", path, founderA, ""); res.status != 204 {
		t.Fatalf("DELETE = %d %s", res.status, res.body)
	}
	e.do("GET", path, founderA, "").wantError(t, 404, "")
}
