package main

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
	"github.com/coopcarepathway/pathway/infra/syncbuf"
)

var urlLine = regexp.MustCompile(`running at (http://\S+)`)

// start runs the server as `go run ./infra/local` would, on a free port,
// and returns its URL and a function that stops it and returns the exit code.
func start(t *testing.T, args ...string) (string, func() int) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncbuf.Buffer
	done := make(chan int, 1)
	go func() { done <- run(ctx, append([]string{"--addr", "127.0.0.1:0"}, args...), &stdout, &stderr) }()
	// Starting is set-up, not what the tests check: with --demo it drives
	// co-ops through the real workflows, which takes a while on a loaded
	// two-core machine under -race.
	deadline := time.Now().Add(120 * time.Second)
	for {
		if m := urlLine.FindStringSubmatch(stdout.String()); m != nil {
			stop := func() int { cancel(); return <-done }
			t.Cleanup(func() { cancel() })
			return m[1], stop
		}
		select {
		case code := <-done:
			t.Fatalf("server exited with %d:\n%s%s", code, stdout.String(), stderr.String())
		case <-time.After(20 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			cancel()
			t.Fatalf("server did not start:\n%s%s", stdout.String(), stderr.String())
		}
	}
}

// get makes a GET with a bearer token and returns status and body.
func get(t *testing.T, url, token string) (int, string) {
	t.Helper()
	return send(t, "GET", url, token, "", nil)
}

func login(t *testing.T, base, user string) string {
	t.Helper()
	res, err := http.Post(base+"/auth/dev-login", "application/json", strings.NewReader(`{"user":"`+user+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var out struct{ Token string }
	if err := json.NewDecoder(res.Body).Decode(&out); err != nil || res.StatusCode != 200 {
		t.Fatalf("login %s: %d %v", user, res.StatusCode, err)
	}
	return out.Token
}

// TestServeDemo is the README's first command end to end: the server starts
// with demo data, answers /healthz, shows a live demo co-op to its founder
// and its open panel decision to the agency, stops cleanly, and after a
// restart with --demo again has changed nothing and still accepts the
// earlier token.
func TestServeDemo(t *testing.T) {
	data := t.TempDir()
	base, stop := start(t, "--data", data, "--demo")
	if status, body := get(t, base+"/healthz", ""); status != 200 {
		t.Fatalf("healthz = %d %s", status, body)
	}
	coop := base + "/api/coops/" + demo.CalderdeneID()
	if status, _ := get(t, coop, ""); status != 401 {
		t.Errorf("anonymous co-op = %d, want 401", status)
	}
	token := login(t, base, demo.UserFounderCalder)
	status, before := get(t, coop, token)
	if status != 200 || !strings.Contains(before, `"stage":"cqc-preparing"`) || !strings.Contains(before, `"kind":"checklist"`) {
		t.Fatalf("live demo co-op = %d %s, want it preparing for CQC with its checklist task", status, before)
	}
	agency := login(t, base, demo.UserAgencyPennine)
	if status, body := get(t, base+"/api/tasks", agency); status != 200 || !strings.Contains(body, `"kind":"panel-decision"`) {
		t.Errorf("agency tasks = %d %s, want a panel decision to answer", status, body)
	}
	lead := login(t, base, demo.UserCouncilLead)
	if status, body := get(t, base+"/api/tenders/"+demo.TenderContracted, lead); status != 200 || !strings.Contains(body, `"status":"contracted"`) {
		t.Errorf("demo contracted tender = %d %s, want it contracted", status, body)
	}
	if code := stop(); code != 0 {
		t.Fatalf("exit code %d after SIGINT-style shutdown, want 0", code)
	}

	// Same data directory, --demo again: nothing changed, token valid.
	base, stop = start(t, "--data", data, "--demo")
	if status, after := get(t, base+"/api/coops/"+demo.CalderdeneID(), token); status != 200 || version(after) != version(before) || version(before) == "" {
		t.Errorf("after restart = %d %s, want version %s as before", status, after, version(before))
	}
	status, body := get(t, base+"/auth/dev-users", "")
	var users []map[string]string
	if err := json.Unmarshal([]byte(body), &users); err != nil || len(users) != len(demo.Users) {
		t.Errorf("dev-users after a second --demo = %d users (%v), want %d", len(users), err, len(demo.Users))
	}
	if code := stop(); code != 0 {
		t.Errorf("exit code %d", code)
	}
}

// version returns the "version" field of a co-op's JSON.
func version(body string) string {
	return regexp.MustCompile(`"version":(\d+)`).FindString(body)
}

func TestFlags(t *testing.T) {
	var out, errs syncbuf.Buffer
	if code := run(context.Background(), []string{"--no-such-flag"}, &out, &errs); code != 2 || !strings.Contains(errs.String(), "-data") {
		t.Errorf("bad flag: code %d, stderr %q", code, errs.String())
	}
	if code := run(context.Background(), []string{"--data", t.TempDir(), "extra"}, &out, &errs); code != 2 {
		t.Errorf("stray argument: code %d", code)
	}
	// A second server on the same data directory cannot open the store
	// (bbolt locks the file) and says so instead of hanging.
	data := t.TempDir()
	_, stop := start(t, "--data", data)
	defer stop()
	errs = syncbuf.Buffer{}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if code := run(ctx, []string{"--addr", "127.0.0.1:0", "--data", data}, &out, &errs); code != 1 || !strings.Contains(errs.String(), "another local server") {
		t.Errorf("second server on the same data: code %d, stderr %q", code, errs.String())
	}
}
