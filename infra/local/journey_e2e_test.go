package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
	"github.com/coopcarepathway/pathway/infra/syncbuf"
)

// server is the compiled local server running as its own process, so the
// test can kill it as abruptly as a crash or a power cut would.
type server struct {
	URL string
	cmd *exec.Cmd
	out *syncbuf.Buffer
}

// buildServer compiles ./infra/local once per test binary run.
func buildServer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "pathway-local")
	cmd := exec.Command("go", "build", "-o", bin, ".")
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go build ./infra/local: %v", err)
	}
	return bin
}

// launch starts the binary on a free port over the data directory and waits
// for its welcome line.
func launch(t *testing.T, bin, data string, args ...string) *server {
	t.Helper()
	tmpl, err := filepath.Abs("../../template.yaml")
	if err != nil {
		t.Fatal(err)
	}
	out := &syncbuf.Buffer{}
	cmd := exec.Command(bin, append([]string{"--addr", "127.0.0.1:0", "--data", data, "--template", tmpl}, args...)...)
	cmd.Dir = filepath.Dir(tmpl)
	cmd.Stdout, cmd.Stderr = out, out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s := &server{cmd: cmd, out: out}
	t.Cleanup(func() { s.kill() })
	re := regexp.MustCompile(`running at (http://\S+)`)
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if m := re.FindStringSubmatch(out.String()); m != nil {
			s.URL = m[1]
			return s
		}
	}
	t.Fatalf("the local server did not start:\n%s", out.String())
	return nil
}

// kill ends the process with SIGKILL: no shutdown code runs.
func (s *server) kill() {
	if s.cmd.ProcessState == nil {
		_ = s.cmd.Process.Signal(syscall.SIGKILL)
		_ = s.cmd.Wait()
	}
}

// client calls the API as one signed-in user.
type client struct {
	t     *testing.T
	base  string
	token string
}

func (c *client) do(method, path string, body any, hdr ...string) (int, map[string]any) {
	c.t.Helper()
	var r io.Reader
	if body != nil {
		b, _ := json.Marshal(body)
		r = bytes.NewReader(b)
	}
	req, _ := http.NewRequest(method, c.base+path, r)
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatalf("%s %s: %v", method, path, err)
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	var v any
	if len(raw) > 0 {
		if err := json.Unmarshal(raw, &v); err != nil {
			c.t.Fatalf("%s %s: %d, not JSON: %s", method, path, res.StatusCode, raw)
		}
	}
	m, _ := v.(map[string]any)
	if m == nil {
		m = map[string]any{"items": v}
	}
	return res.StatusCode, m
}

// must calls the API and fails the test unless the status is want.
func (c *client) must(want int, method, path string, body any, hdr ...string) map[string]any {
	c.t.Helper()
	status, m := c.do(method, path, body, hdr...)
	if status != want {
		c.t.Fatalf("%s %s = %d, want %d: %v", method, path, status, want, m)
	}
	return m
}

// waitStage polls the co-op until it reaches the stage: workflows move it
// asynchronously, as they do in AWS.
func (c *client) waitStage(id, stage string) map[string]any {
	c.t.Helper()
	var last map[string]any
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		last = c.must(200, "GET", "/api/coops/"+id, nil)
		if coop(last)["stage"] == stage {
			return last
		}
	}
	c.t.Fatalf("co-op %s did not reach %s: %v", id, stage, last)
	return nil
}

// coop returns the co-op record of a co-op view, wherever the view keeps it.
func coop(view map[string]any) map[string]any {
	if c, ok := view["coop"].(map[string]any); ok {
		return c
	}
	return view
}

// openTask waits for the caller's open task of the kind for the co-op,
// looking through every page of the inbox.
func (c *client) openTask(coopID, kind string) map[string]any {
	c.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		for path := "/api/tasks?limit=100"; path != ""; {
			page := c.must(200, "GET", path, nil)
			for _, t := range list(page, "tasks") {
				if t["coop"] == coopID && t["kind"] == kind || t["coopId"] == coopID && t["kind"] == kind {
					return t
				}
			}
			path = ""
			if next, _ := page["next"].(string); next != "" {
				path = "/api/tasks?limit=100&cursor=" + url.QueryEscape(next)
			}
		}
	}
	c.t.Fatalf("no open %s task for %s", kind, coopID)
	return nil
}

// list returns the array under key, or the top-level array.
func list(m map[string]any, key string) []map[string]any {
	raw, ok := m[key].([]any)
	if !ok {
		raw, _ = m["items"].([]any)
	}
	out := make([]map[string]any, 0, len(raw))
	for _, v := range raw {
		if o, ok := v.(map[string]any); ok {
			out = append(out, o)
		}
	}
	return out
}

func signIn(t *testing.T, base, user string) *client {
	return &client{t: t, base: base, token: login(t, base, user)}
}

// TestJourneyOverHTTP carries a new co-op from its application to CQC
// registration through the API of the compiled local server, killing the
// server while the panel decision is pending.
func TestJourneyOverHTTP(t *testing.T) {
	bin, data := buildServer(t), t.TempDir()
	s := launch(t, bin, data, "--demo", "--index-lag", "50ms")
	founder := signIn(t, s.URL, demo.UserFounderMendip)
	application := crashApplication(0)
	application["name"] = "Mendip Valley Care Co-op"
	created := founder.must(201, "POST", "/api/coops", application, "Idempotency-Key", "e2e-apply-1")
	id, _ := coop(created)["id"].(string)
	if id == "" {
		t.Fatalf("created co-op has no id: %v", created)
	}
	again := founder.must(201, "POST", "/api/coops", application, "Idempotency-Key", "e2e-apply-1")
	if coop(again)["id"] != id {
		t.Fatalf("a retried POST made another co-op: %v", again)
	}
	founder.waitStage(id, "awaiting-panel")

	agency := signIn(t, s.URL, demo.UserAgencyPennine)
	panel := agency.openTask(id, "panel-decision")

	// A crash while the panel decision is pending: the callback, its token
	// and the task survive, and the decision carries the co-op on.
	s.kill()
	s = launch(t, bin, data, "--index-lag", "50ms", "--sweep-every", "200ms")
	founder.base, agency.base = s.URL, s.URL
	taskID := fmt.Sprint(panel["id"])
	agency.must(200, "POST", "/api/tasks/"+taskID+"/decision", map[string]string{"outcome": "accept", "notes": "Strong founding group."})
	agency.must(409, "POST", "/api/tasks/"+taskID+"/decision", map[string]string{"outcome": "accept"})
	founder.waitStage(id, "cqc-preparing")

	completeChecklist(t, founder, agency, id)
	founder.waitStage(id, "cqc-ready")
	// The founder is told by email of the panel's decision and of the
	// returned item (the local server writes mails to /local/mail).
	waitMail(t, s.URL, demo.DemoEmail("Bryony Tallack"), "A decision about Mendip Valley Care Co-op", "accepted the co-op")
	waitMail(t, s.URL, demo.DemoEmail("Bryony Tallack"), "Checklist item returned: ", "Please add the signed version.")

	sub := founder.openTask(id, "cqc-submission")
	today := time.Now().UTC().Format("2006-01-02")
	founder.must(200, "POST", fmt.Sprintf("/api/tasks/%v/decision", sub["id"]), map[string]string{"submittedOn": today})
	founder.waitStage(id, "cqc-submitted")

	dec := founder.openTask(id, "cqc-decision")
	founder.must(200, "POST", fmt.Sprintf("/api/tasks/%v/decision", dec["id"]),
		map[string]string{"outcome": "registered", "providerId": "1-234567890", "decidedOn": today})
	view := founder.waitStage(id, "cqc-registered")
	if coop(view)["providerId"] != "1-234567890" {
		t.Errorf("registered co-op has provider id %v", coop(view)["providerId"])
	}

	// Ordered by when each was written: event IDs carry milliseconds, so
	// two events of the same millisecond may be listed either way round.
	events := founder.allEvents(id)
	at := func(e map[string]any) time.Time {
		t, _ := time.Parse(time.RFC3339Nano, fmt.Sprint(e["at"]))
		return t
	}
	sort.SliceStable(events, func(i, j int) bool { return at(events[i]).Before(at(events[j])) })
	var stages []string
	for _, e := range events {
		if to, _ := e["to"].(string); to != "" {
			stages = append(stages, to)
		}
	}
	want := []string{"applied", "awaiting-panel", "cqc-preparing", "cqc-ready", "cqc-submitted", "cqc-registered"}
	if strings.Join(stages, ",") != strings.Join(want, ",") {
		t.Errorf("stage changes in the audit trail = %v, want %v (each once, in order)", stages, want)
	}
	checkJourneyCost(t, s, data, id)
}

// allEvents reads a co-op's whole audit trail, page by page.
func (c *client) allEvents(id string) []map[string]any {
	c.t.Helper()
	var all []map[string]any
	cursor := ""
	for range 100 {
		page := c.must(200, "GET", "/api/coops/"+id+"/events?limit=100&cursor="+url.QueryEscape(cursor), nil)
		all = append(all, list(page, "events")...)
		if cursor, _ = page["next"].(string); cursor == "" {
			return all
		}
	}
	c.t.Fatalf("the audit trail of %s did not end after 100 pages", id)
	return nil
}

// completeChecklist has the founders mark every required item done and the
// agency verify it, returning the first item once with a comment.
func completeChecklist(t *testing.T, founder, agency *client, id string) {
	t.Helper()
	// The registration workflow builds the checklist just after the panel's
	// acceptance, so it appears a moment after the stage changes.
	var items []map[string]any
	for deadline := time.Now().Add(30 * time.Second); len(items) == 0 && time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		items = list(founder.must(200, "GET", "/api/coops/"+id+"/checklist", nil), "items")
	}
	if len(items) < 10 {
		t.Fatalf("checklist has %d items, want the full CQC list", len(items))
	}
	path := func(item map[string]any) string { return fmt.Sprintf("/api/coops/%s/checklist/%v", id, item["id"]) }
	evidence := map[string]string{"status": "done", "evidence": "Uploaded to the shared drive.", "link": "https://example.org/evidence"}
	for i, item := range items {
		founder.must(200, "PUT", path(item), evidence)
		if i == 0 {
			agency.must(200, "POST", path(item)+"/verify", map[string]string{"outcome": "returned", "comment": "Please add the signed version."})
			founder.must(200, "PUT", path(item), evidence)
		}
		agency.must(200, "POST", path(item)+"/verify", map[string]string{"outcome": "accepted"})
	}
}
