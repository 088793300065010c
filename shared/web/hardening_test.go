package web_test

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// Input and sessions, tried as an attacker would (issue "Hardening and
// speed"): each case gets the answer the issue names.

// TestAnswersRefuseDatesThatCannotBe: a CQC submission or decision dated
// 0001-01-01 (whose reminder and escalation would fall due an hour later),
// before 2000, before the co-op applied or in the future is a 400 naming
// the field, and nothing reaches the workflow.
func TestAnswersRefuseDatesThatCannotBe(t *testing.T) {
	// The co-ops of seedTasks applied on 7 March 2027; today is 10 March.
	tests := []struct{ name, task, body, field string }{
		{"submitted on 0001-01-01", "task-n-submission", `{"submittedOn":"0001-01-01"}`, "submittedOn"},
		{"submitted before 2000", "task-n-submission", `{"submittedOn":"1999-12-31"}`, "submittedOn"},
		{"submitted before the co-op applied", "task-n-submission", `{"submittedOn":"2027-03-06"}`, "submittedOn"},
		{"submitted tomorrow", "task-n-submission", `{"submittedOn":"2027-03-11"}`, "submittedOn"},
		{"decided on 0001-01-01", "task-n-cqc-founder", `{"outcome":"refused","decidedOn":"0001-01-01"}`, "decidedOn"},
		{"decided before 2000", "task-n-cqc-founder", `{"outcome":"refused","decidedOn":"1999-06-01"}`, "decidedOn"},
		{"decided before the co-op applied", "task-n-cqc-founder", `{"outcome":"refused","decidedOn":"2027-01-31"}`, "decidedOn"},
	}
	e := newAPI(t)
	seedTasks(e)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			e.decision(tc.task, founderA, tc.body).wantError(t, 400, tc.field)
		})
	}
	if n := len(e.wf.sendCalls()); n != 0 {
		t.Errorf("%d answers reached the workflow, want none", n)
	}
	// The day the co-op applied and today are fine.
	if res := e.decision("task-n-submission", founderA, `{"submittedOn":"2027-03-07"}`); res.status != 200 {
		t.Errorf("submitted the day the co-op applied = %d %s", res.status, res.body)
	}
}

// TestFreeTextRefusesControlAndDirectionCharacters: NUL, ESC and the
// right-to-left override (and their kin) in any free-text field of an
// application, a checklist item or a task's answer are a 400 naming the
// field, and nothing is stored.
func TestFreeTextRefusesControlAndDirectionCharacters(t *testing.T) {
	samples := map[string]string{"NUL": `\u0000`, "ESC": `\u001b[2J`, "right-to-left override": `\u202e`, "bell": `\u0007`}
	e := newAPI(t)
	seedTasks(e)
	item := "/api/coops/" + coopN + "/checklist/ORG-LEGAL"
	for name, c := range samples {
		t.Run(name, func(t *testing.T) {
			for _, tc := range []struct {
				what, method, path, user, body, field string
			}{
				{"co-op name", "POST", "/api/coops", founderA, application(map[string]string{"name": `"Hollin ` + c + `Bank"`}), "name"},
				{"local authority", "POST", "/api/coops", founderA, application(map[string]string{"localAuthority": `"Cumb` + c + `erland"`}), "localAuthority"},
				{"member name", "POST", "/api/coops", founderA, application(map[string]string{"members": `[{"name":"Ira` + c + `","class":"worker","role":"director"}]`}), "members[0].name"},
				{"evidence", "PUT", item, founderA, `{"status":"done","evidence":"Rules ` + c + `agreed."}`, "evidence"},
				{"evidence link", "PUT", item, founderA, `{"status":"done","evidence":"Rules.","link":"https://example.test/` + c + `"}`, "link"},
				{"panel notes", "POST", "/api/tasks/task-n-panel/decision", staffNorth, `{"outcome":"decline","notes":"Not ` + c + `yet."}`, "notes"},
			} {
				res := e.do(tc.method, tc.path, tc.user, tc.body)
				res.wantError(t, 400, tc.field)
				if _, _, fields := errorOf(t, res.body); fields[tc.field] != pathway.UnsafeTextMessage && tc.field != "link" {
					t.Errorf("%s: %s = %q, want %q", tc.what, tc.field, fields[tc.field], pathway.UnsafeTextMessage)
				}
			}
		})
	}
	if it := e.item("ORG-LEGAL"); it.Version != 1 {
		t.Errorf("the item changed: %+v", it)
	}
	if n := len(e.wf.sendCalls()); n != 0 {
		t.Errorf("%d answers reached the workflow, want none", n)
	}
	// Evidence over several lines, with tabs, is fine, and a browser's
	// "\r\n" is stored as "\n".
	if res := e.do("PUT", item, founderA, `{"status":"done","evidence":"Rules agreed.\r\n\tSigned copy in the drive."}`); res.status != 200 {
		t.Fatalf("evidence over two lines = %d %s", res.status, res.body)
	}
	if it := e.item("ORG-LEGAL"); it.Evidence != "Rules agreed.\n\tSigned copy in the drive." {
		t.Errorf("evidence stored as %q", it.Evidence)
	}
	// The agency's comment when it returns the item.
	e.do("POST", item+"/verify", staffNorth, `{"outcome":"returned","comment":"Sign \u202eit"}`).wantError(t, 400, "comment")
	if res := e.do("POST", item+"/verify", staffNorth, `{"outcome":"returned","comment":"Please sign it.\nThen send it again."}`); res.status != 200 {
		t.Errorf("a comment over two lines = %d %s", res.status, res.body)
	}
}

// TestIfMatchBlankOrMalformed: an If-Match header that is there but blank,
// repeated or not a version is a 400 naming If-Match (a blank one used to
// skip the version check), and nothing changes.
func TestIfMatchBlankOrMalformed(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	path := "/api/coops/" + coopN + "/checklist/ORG-LEGAL"
	for _, v := range []string{"", " ", `""`, `"1`, `1"`, "*", "0", "-1", "+1", "1.0", "1, 2", `W/""`, "99999999999999999999", "one"} {
		for _, route := range []struct{ method, path, user, body string }{
			{"PUT", path, founderA, doneBody},
			{"POST", path + "/verify", staffNorth, `{"outcome":"accepted"}`},
		} {
			res := e.do(route.method, route.path, route.user, route.body, "If-Match", v)
			res.wantError(t, 400, "If-Match")
			if !strings.Contains(res.body, "If-Match") {
				t.Errorf("If-Match %q: the message does not name the header: %s", v, res.body)
			}
		}
	}
	// Two If-Match headers are as bad as one that cannot be read.
	r := httptest.NewRequest("PUT", path, strings.NewReader(doneBody))
	r.Header.Set("Content-Type", "application/json")
	r.Header.Set(testUserHeadr, founderA)
	r.Header.Add("If-Match", "1")
	r.Header.Add("If-Match", "2")
	rec := httptest.NewRecorder()
	e.h.ServeHTTP(rec, r)
	reply{status: rec.Code, body: rec.Body.String()}.wantError(t, 400, "If-Match")
	if it := e.item("ORG-LEGAL"); it.Version != 1 || it.Status != pathway.ItemNotStarted {
		t.Fatalf("the item changed: %+v", it)
	}
	// Without the header there is no version to check; with a good one
	// in any of its forms, it is checked.
	for _, v := range []string{"1", `"2"`, `W/"3"`, " 4 "} {
		if res := e.do("PUT", path, founderA, doneBody, "If-Match", v); res.status != 200 {
			t.Errorf("If-Match %q = %d %s", v, res.status, res.body)
		}
	}
	if res := e.do("PUT", path, founderA, doneBody); res.status != 200 {
		t.Errorf("no If-Match = %d %s", res.status, res.body)
	}
}

// cookieOrBearer signs in the test user a bearer token or, failing that,
// the session cookie names, as the local sign-in does: the Authorization
// header wins, and SessionID is the credential either way.
type cookieOrBearer struct{}

func (cookieOrBearer) Authenticate(r *http.Request) (*pathway.User, error) {
	id := cookieOrBearer{}.SessionID(r)
	u, ok := testUsers[id]
	if !ok {
		return nil, pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue.")
	}
	cp := *u
	return &cp, nil
}

func (cookieOrBearer) SessionID(r *http.Request) string {
	if token, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return token
	}
	if c, err := r.Cookie(sessionCookie); err == nil {
		return c.Value
	}
	return ""
}

// TestCookieSignedInAPIWritesNeedJSONFromThisSite: an API request that
// changes something and is signed in by the session cookie (which a
// browser sends with a form or script on any other site) needs a JSON
// content type and a same-site Origin or Sec-Fetch-Site, else 403 and
// nothing is stored; a bearer token, which only its holder can send,
// needs neither.
func TestCookieSignedInAPIWritesNeedJSONFromThisSite(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	h := web.New(web.Config{
		Store: e.store, Workflows: e.wf, Auth: cookieOrBearer{}, Now: func() time.Time { return testNow },
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)),
	})
	send := func(method, path, body string, headers ...string) reply {
		t.Helper()
		r := httptest.NewRequest(method, path, strings.NewReader(body)) // Host: example.com, over http
		for i := 0; i+1 < len(headers); i += 2 {
			if headers[i] == "Cookie" {
				r.AddCookie(&http.Cookie{Name: sessionCookie, Value: headers[i+1]})
				continue
			}
			r.Header.Set(headers[i], headers[i+1])
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, r)
		return reply{status: rec.Code, header: rec.Header(), body: rec.Body.String()}
	}
	coops := func() int {
		t.Helper()
		cs, err := e.store.ListFounderCoops(t.Context(), founderA)
		must(t, err)
		return len(cs)
	}
	before := coops()
	body := application(nil)
	refused := []struct {
		name    string
		headers []string
	}{
		{"no content type, foreign Origin", []string{"Cookie", founderA, "Origin", "https://evil.example"}},
		{"no content type, no Origin", []string{"Cookie", founderA}},
		{"text/plain from this site", []string{"Cookie", founderA, "Content-Type", "text/plain", "Origin", "http://example.com"}},
		{"a form from this site", []string{"Cookie", founderA, "Content-Type", "application/x-www-form-urlencoded", "Sec-Fetch-Site", "same-origin"}},
		{"JSON with another parameter", []string{"Cookie", founderA, "Content-Type", "application/json; boundary=x", "Origin", "http://example.com"}},
		{"JSON from a foreign Origin", []string{"Cookie", founderA, "Content-Type", "application/json", "Origin", "https://evil.example"}},
		{"JSON from this host over the other scheme", []string{"Cookie", founderA, "Content-Type", "application/json", "Origin", "https://example.com"}},
		{"JSON from a null Origin", []string{"Cookie", founderA, "Content-Type", "application/json", "Origin", "null"}},
		{"JSON saying nothing of where it comes from", []string{"Cookie", founderA, "Content-Type", "application/json"}},
		{"JSON cross-site", []string{"Cookie", founderA, "Content-Type", "application/json", "Sec-Fetch-Site", "cross-site", "Origin", "http://example.com"}},
	}
	for _, tc := range refused {
		t.Run(tc.name, func(t *testing.T) {
			res := send("POST", "/api/coops", body, tc.headers...)
			res.wantError(t, http.StatusForbidden, "")
			if code, _, _ := errorOf(t, res.body); code != pathway.EFORBIDDEN {
				t.Errorf("code = %q, want %q", code, pathway.EFORBIDDEN)
			}
		})
	}
	// Every route that changes something is guarded alike.
	item := "/api/coops/" + coopN + "/checklist/ORG-LEGAL"
	send("PUT", item, doneBody, "Cookie", founderA, "Content-Type", "application/json", "Origin", "https://evil.example").wantError(t, 403, "")
	send("POST", item+"/verify", `{"outcome":"accepted"}`, "Cookie", staffNorth, "Origin", "https://evil.example").wantError(t, 403, "")
	send("POST", "/api/tasks/task-s-panel/decision", `{"outcome":"accept"}`, "Cookie", staffSouth, "Content-Type", "text/plain").wantError(t, 403, "")
	if n := coops(); n != before {
		t.Fatalf("refused requests stored %d co-ops", n-before)
	}
	if it := e.item("ORG-LEGAL"); it.Version != 1 {
		t.Errorf("a refused request changed the item: %+v", it)
	}
	if n := len(e.wf.sendCalls()); n != 0 {
		t.Errorf("a refused request sent %d answers", n)
	}

	accepted := []struct {
		name    string
		headers []string
	}{
		{"JSON from this site's Origin", []string{"Cookie", founderA, "Content-Type", "application/json", "Origin", "http://example.com"}},
		{"JSON with a charset, same-origin", []string{"Cookie", founderA, "Content-Type", "application/json; charset=utf-8", "Sec-Fetch-Site", "same-origin"}},
		{"JSON, same-site", []string{"Cookie", founderA, "Content-Type", "application/json", "Sec-Fetch-Site", "same-site"}},
		{"JSON over HTTPS from this site", []string{"Cookie", founderA, "Content-Type", "application/json", "X-Forwarded-Proto", "https", "Origin", "https://example.com"}},
		{"a bearer token, no content type, foreign Origin", []string{"Authorization", "Bearer " + founderA, "Origin", "https://evil.example"}},
		{"a bearer token and a cookie, no content type", []string{"Authorization", "Bearer " + founderA, "Cookie", founderA, "Origin", "https://evil.example"}},
	}
	for _, tc := range accepted {
		t.Run(tc.name, func(t *testing.T) {
			if res := send("POST", "/api/coops", body, tc.headers...); res.status != http.StatusCreated {
				t.Errorf("status = %d %s, want 201", res.status, res.body)
			}
		})
	}
	// Reading needs neither: a link from another site may open the API.
	if res := send("GET", "/api/coops/"+coopN, "", "Cookie", founderA, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site"); res.status != 200 {
		t.Errorf("cookie GET from another site = %d %s", res.status, res.body)
	}
	// Without a sign-in the answer is still 401, not 403.
	send("POST", "/api/coops", body, "Origin", "https://evil.example").wantError(t, 401, "")
	var v struct{ ID string }
	res := send("POST", "/api/coops", body, "Cookie", founderA, "Content-Type", "application/json", "Origin", "http://example.com")
	if err := json.Unmarshal([]byte(res.body), &v); err != nil || v.ID == "" {
		t.Errorf("same-site apply = %d %s", res.status, res.body)
	}
}
