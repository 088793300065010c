package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
)

// burst is how many requests each crash test sends; workers how many at
// once.
const (
	burst   = 200
	workers = 8
)

// outcome is what one request of a burst got: a status, or no answer.
type outcome struct {
	status int
	body   map[string]any
}

// try sends one request and reports a transport failure (the server died
// under it) as an error instead of failing the test.
func (c *client) try(method, path string, body any, hdr ...string) (outcome, error) {
	b, _ := json.Marshal(body)
	req, _ := http.NewRequest(method, c.base+path, bytes.NewReader(b))
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	res, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return outcome{}, err
	}
	defer res.Body.Close()
	raw, err := io.ReadAll(res.Body)
	if err != nil {
		return outcome{}, err // cut off half way: no answer either
	}
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return outcome{status: res.StatusCode, body: m}, nil
}

// burstAndKill sends n requests from workers goroutines and kills the
// server with SIGKILL once killAfter of them have been answered. It returns
// each request's outcome; a request that got no answer has status 0.
func burstAndKill(s *server, n, killAfter int, send func(i int) (outcome, error)) []outcome {
	out := make([]outcome, n)
	var answered atomic.Int32
	var once sync.Once
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				o, err := send(i)
				if err != nil {
					continue
				}
				out[i] = o
				if int(answered.Add(1)) >= killAfter {
					once.Do(s.kill)
				}
			}
		}()
	}
	for i := range n {
		next <- i
	}
	close(next)
	wg.Wait()
	once.Do(s.kill)
	return out
}

// crashApplication is an application the demo programme's screening
// accepts, told apart by its number (the e2e tests' one application).
func crashApplication(i int) map[string]any {
	return map[string]any{
		"name": fmt.Sprintf("Crash Test Care Co-op %03d", i), "programme": demo.ProgStartUp, "legalForm": "co-operative-society",
		"origin": "new-start", "localAuthority": "Somerset", "services": []string{"home-care"},
		"regulatedActivities": []string{"personal-care"},
		"members": []map[string]string{
			{"name": "Ash Example", "class": "worker", "role": "director"},
			{"name": "Bea Example", "class": "worker", "role": "registered-manager"},
			{"name": "Cal Example", "class": "service-user", "role": "director"},
		},
	}
}

// stageOf reads a co-op's stage, or "" if the founder cannot see it.
func (c *client) stageOf(id string) string {
	status, view := c.do("GET", "/api/coops/"+id, nil)
	if status != 200 {
		return ""
	}
	s, _ := coop(view)["stage"].(string)
	return s
}

// waitAll polls until every co-op's stage satisfies done, or fails naming
// those that never did.
func (c *client) waitAll(ids []string, what string, done func(stage string) bool) {
	c.t.Helper()
	left := ids
	for deadline := time.Now().Add(3 * time.Minute); len(left) > 0 && time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		var still []string
		for _, id := range left {
			if !done(c.stageOf(id)) {
				still = append(still, id)
			}
		}
		left = still
	}
	if len(left) > 0 {
		c.t.Fatalf("%d co-ops never %s, e.g. %s at %q", len(left), what, left[0], c.stageOf(left[0]))
	}
}

// TestCrashDuringApplications kills the compiled server with SIGKILL in
// the middle of a burst of 200 applications. After a restart every
// application answered 201 has its workflow run (it leaves "applied"), and
// every one that got no answer can be sent again with its Idempotency-Key
// and then runs too: nothing answered is lost, nothing is half done.
func TestCrashDuringApplications(t *testing.T) {
	bin, data := buildServer(t), t.TempDir()
	s := launch(t, bin, data, "--demo", "--index-lag", "50ms", "--sweep-every", "1s")
	founder := signIn(t, s.URL, demo.UserFounderMendip)
	killAfter := 20 + rand.IntN(burst-40)
	key := func(i int) string { return fmt.Sprintf("crash-apply-%03d", i) }
	out := burstAndKill(s, burst, killAfter, func(i int) (outcome, error) {
		return founder.try("POST", "/api/coops", crashApplication(i), "Idempotency-Key", key(i))
	})

	s = launch(t, bin, data, "--index-lag", "50ms", "--sweep-every", "1s")
	founder.base = s.URL
	var ids []string
	unanswered := 0
	for i, o := range out {
		switch o.status {
		case 201:
		case 0:
			unanswered++
			o.body = founder.must(201, "POST", "/api/coops", crashApplication(i), "Idempotency-Key", key(i))
		default:
			t.Fatalf("application %d = %d %v, want 201 or no answer", i, o.status, o.body)
		}
		id, _ := coop(o.body)["id"].(string)
		ids = append(ids, id)
	}
	t.Logf("killed after %d answers; %d of %d got no answer and were sent again", killAfter, unanswered, burst)
	founder.waitAll(ids, "left the applied stage", func(stage string) bool { return stage != "" && stage != "applied" })
}

// TestCrashDuringDecisions kills the compiled server with SIGKILL in the
// middle of a burst of 200 panel decisions. After a restart every decision
// answered 200 takes effect (the co-op moves on to CQC preparation), and
// every decision that got no answer is either taken or still open to be
// answered again.
func TestCrashDuringDecisions(t *testing.T) {
	bin, data := buildServer(t), t.TempDir()
	s := launch(t, bin, data, "--demo", "--index-lag", "50ms", "--sweep-every", "1s")
	founder := signIn(t, s.URL, demo.UserFounderMendip)
	agency := signIn(t, s.URL, demo.UserAgencyPennine)
	ids := make([]string, burst)
	for i := range ids {
		v := founder.must(201, "POST", "/api/coops", crashApplication(i), "Idempotency-Key", fmt.Sprintf("crash-decide-%03d", i))
		ids[i], _ = coop(v)["id"].(string)
	}
	founder.waitAll(ids, "reached the panel", func(stage string) bool { return stage == "awaiting-panel" })
	tasks := make([]string, burst)
	for i, id := range ids {
		tasks[i] = fmt.Sprint(agency.openTask(id, "panel-decision")["id"])
	}

	killAfter := 20 + rand.IntN(burst-40)
	decide := func(c *client, i int) (outcome, error) {
		return c.try("POST", "/api/tasks/"+tasks[i]+"/decision", map[string]string{"outcome": "accept", "notes": "Crash test."})
	}
	out := burstAndKill(s, burst, killAfter, func(i int) (outcome, error) { return decide(agency, i) })

	s = launch(t, bin, data, "--index-lag", "50ms", "--sweep-every", "1s")
	founder.base, agency.base = s.URL, s.URL
	unanswered, retried := 0, 0
	for i, o := range out {
		switch o.status {
		case 200:
		case 0:
			unanswered++
			// Taken already (409), or still open and taken now (200).
			again, err := decide(agency, i)
			if err != nil || again.status != 200 && again.status != 409 {
				t.Fatalf("decision %d sent again = %d %v %v", i, again.status, again.body, err)
			}
			if again.status == 200 {
				retried++
			}
		default:
			t.Fatalf("decision %d = %d %v, want 200 or no answer", i, o.status, o.body)
		}
	}
	t.Logf("killed after %d answers; %d got no answer, of which %d were still open", killAfter, unanswered, retried)
	founder.waitAll(ids, "moved on from the panel", func(stage string) bool {
		return stage == "cqc-preparing" || stage == "cqc-ready"
	})
}
