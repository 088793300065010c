package main

import (
	"fmt"
	"math/rand/v2"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
)

// loadFor is how long TestMixedLoad loads the server: LOAD_SECONDS, or 20 s.
func loadFor(t *testing.T) time.Duration {
	if s := os.Getenv("LOAD_SECONDS"); s != "" {
		var n int
		if _, err := fmt.Sscan(s, &n); err != nil || n < 1 {
			t.Fatalf("LOAD_SECONDS=%q is not a number of seconds", s)
		}
		return time.Duration(n) * time.Second
	}
	return 20 * time.Second
}

// TestMixedLoad loads the compiled server from several goroutines at once
// with what founders and agency staff do — applications, board pages,
// inboxes, co-op views and panel decisions — for 20 s (LOAD_SECONDS), with
// index lag on. Afterwards no workflow may have failed or be stuck: every
// co-op applied for leaves "applied", none records a failed step, and
// every decision taken moves its co-op on.
func TestMixedLoad(t *testing.T) {
	bin, data := buildServer(t), t.TempDir()
	s := launch(t, bin, data, "--demo", "--index-lag", "50ms", "--sweep-every", "1s")
	founder := signIn(t, s.URL, demo.UserFounderMendip)
	agency := signIn(t, s.URL, demo.UserAgencyPennine)

	var mu sync.Mutex
	var applied, decided []string
	var requests, failures atomic.Int64
	fail := func(format string, args ...any) {
		failures.Add(1)
		t.Errorf(format, args...)
	}
	end := time.Now().Add(loadFor(t))
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for n := 0; time.Now().Before(end) && failures.Load() < 10; n++ {
				requests.Add(1)
				switch rand.IntN(6) {
				case 0:
					o, err := founder.try("POST", "/api/coops", crashApplication(n), "Idempotency-Key", fmt.Sprintf("load-%d-%d", w, n))
					if err != nil || o.status != 201 {
						fail("apply = %d %v %v", o.status, o.body, err)
						continue
					}
					mu.Lock()
					applied = append(applied, fmt.Sprint(coop(o.body)["id"]))
					mu.Unlock()
				case 1:
					if status := getPage(agency, "/board"); status != 200 {
						fail("board page = %d", status)
					}
				case 2:
					if o, err := agency.try("GET", "/api/tasks", nil); err != nil || o.status != 200 {
						fail("inbox = %d %v", o.status, err)
					}
				case 3:
					if status := getPage(agency, "/tasks"); status != 200 {
						fail("inbox page = %d", status)
					}
				default:
					if id, ok := decideOne(agency, fail); ok {
						mu.Lock()
						decided = append(decided, id)
						mu.Unlock()
					}
				}
			}
		}()
	}
	wg.Wait()
	t.Logf("%d requests, %d applications, %d decisions", requests.Load(), len(applied), len(decided))
	founder.waitAll(applied, "left the applied stage without a failure", func(stage string) bool {
		return stage != "" && stage != "applied"
	})
	for _, id := range applied {
		if f, _ := coop(founder.must(200, "GET", "/api/coops/"+id, nil))["failure"].(string); f != "" {
			t.Errorf("co-op %s records a failed step: %s", id, f)
		}
	}
	// Decided co-ops include the demo's, which the agency sees and the
	// founder of the load does not.
	agency.waitAll(decided, "moved on after the panel's decision", func(stage string) bool {
		return stage != "" && stage != "applied" && stage != "awaiting-panel"
	})
}

// decideOne answers the oldest open panel decision of the agency's inbox,
// if there is one, and returns its co-op. A 409 (answered by another
// worker a moment earlier) is no failure.
func decideOne(agency *client, fail func(string, ...any)) (string, bool) {
	o, err := agency.try("GET", "/api/tasks", nil)
	if err != nil || o.status != 200 {
		fail("inbox = %d %v", o.status, err)
		return "", false
	}
	for _, task := range list(o.body, "tasks") {
		if task["kind"] != "panel-decision" {
			continue
		}
		outcome := []string{"accept", "decline", "defer"}[rand.IntN(3)]
		d, err := agency.try("POST", fmt.Sprintf("/api/tasks/%v/decision", task["id"]), map[string]string{"outcome": outcome, "notes": "Load test."})
		if err != nil || d.status != 200 && d.status != 409 {
			fail("decision = %d %v %v", d.status, d.body, err)
			return "", false
		}
		if d.status == 200 && outcome != "defer" {
			return fmt.Sprint(task["coop"]), true
		}
		return "", false
	}
	return "", false
}

// getPage fetches a page as the client's user and returns its status.
func getPage(c *client, path string) int {
	req, _ := http.NewRequest("GET", c.base+path, nil)
	req.Header.Set("Authorization", "Bearer "+c.token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0
	}
	res.Body.Close()
	return res.StatusCode
}
