package store_test

import (
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/web"
)

// Lists that stay fast: the inbox (GET /api/tasks), the board and a
// co-op's page cost the same with 1,000 and with 100,000 co-ops, through
// the whole handler. The fixture is the scale fixture's (the measured
// programme has a tenth of the co-ops, in every stage) with the measured
// programme's agency, and its open tasks in the agency's inboxes as a
// load run leaves them: 2,275 agency tasks at 100,000 co-ops (22 at
// 1,000), and a tenth as many escalations to the lead, each carrying its
// co-op's name as PutTask stores it.

const listsAgency = "org-measured-cda"

// listsUser is the agency's lead, whose inbox is both partitions.
var listsUser = &pathway.User{ID: "user-measured-lead", Name: "Lead Example", Role: pathway.RoleAgency, Organisation: listsAgency, Lead: true}

// listsRequests are the requests measured, by name.
var listsRequests = []struct{ name, path string }{
	{"api-tasks", "/api/tasks"},
	{"board", "/board"},
	{"coop-page", "/coops/" + columnID(0)},
}

// fixedUser authenticates every request as one user.
type fixedUser struct{ u *pathway.User }

func (a fixedUser) Authenticate(*http.Request) (*pathway.User, error) { return a.u, nil }

// listsFixture is a scale fixture with the agency, its inboxes and the
// whole handler over them.
type listsFixture struct {
	*scaleFixture
	h     http.Handler
	tasks int
}

var listsFixtures struct {
	sync.Mutex
	built map[*scaleFixture]*listsFixture
}

// inboxTasks is how many open agency tasks a fixture of n co-ops has.
func inboxTasks(n int) int { return n * 2275 / 100_000 }

func listsFor(tb testing.TB, engine string, n int) *listsFixture {
	tb.Helper()
	f := fixture(tb, engine, n)
	listsFixtures.Lock()
	defer listsFixtures.Unlock()
	if lf := listsFixtures.built[f]; lf != nil {
		return lf
	}
	ctx := context.Background()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(f.store.PutOrganisation(ctx, &pathway.Organisation{ID: listsAgency, Name: "Measured Co-op Development", Kind: pathway.OrgAgency}))
	must(f.store.PutProgramme(ctx, &pathway.Programme{ID: pageProgramme, Name: "Measured Start-up", Agency: listsAgency,
		Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	agency, lead := inboxTasks(n), inboxTasks(n)/10
	var items []table.Item
	for i := range agency + lead {
		id := otherID(i * 37 % n)
		role := pathway.RoleAgency
		if i >= agency {
			role = pathway.RoleAgencyLead
		}
		t := &pathway.Task{ID: fmt.Sprintf("task-measured-%06d", i), Kind: pathway.TaskPanelDecision, Coop: id, CoopName: "Co-op " + id,
			Organisation: listsAgency, Role: role, Title: "Panel decision", Due: scaleStart.Add(time.Duration(i*7919%(agency+lead)) * time.Minute),
			Token: "token-" + id, Status: pathway.TaskOpen, CreatedAt: scaleStart}
		its, err := store.TaskItems(t)
		must(err)
		items = append(items, its...)
	}
	for from := 0; from < len(items); from += loadChunk {
		must(f.batch(items[from:min(from+loadChunk, len(items))]))
	}
	svc := journey.New(f.store, nil, time.Now)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	lf := &listsFixture{scaleFixture: f, tasks: agency + lead, h: web.New(web.Config{
		Store: f.store, Journey: svc, Auth: fixedUser{listsUser}, Logger: quiet, QuietRequests: true,
		Pages: pages.New(pages.Config{Journey: svc, Logger: quiet}),
	})}
	// DynamoDB's indexes are eventually consistent: wait for the inbox.
	deadline := time.Now().Add(time.Minute)
	for {
		got, err := svc.Inbox(ctx, listsUser)
		must(err)
		if len(got) == agency+lead {
			break
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the inbox shows %d tasks, want %d", len(got), agency+lead)
		}
		time.Sleep(50 * time.Millisecond)
	}
	if listsFixtures.built == nil {
		listsFixtures.built = map[*scaleFixture]*listsFixture{}
	}
	listsFixtures.built[f] = lf
	return lf
}

// get serves one request through the handler and checks its answer.
func (lf *listsFixture) get(tb testing.TB, path string) *httptest.ResponseRecorder {
	req := httptest.NewRequest("GET", path, nil)
	req.Header.Set("Accept-Encoding", "gzip")
	rec := httptest.NewRecorder()
	lf.h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		tb.Fatalf("GET %s = %d: %.300s", path, rec.Code, rec.Body.String())
	}
	return rec
}

// TestListsDoNotGrow: the first page of a lead's inbox, the board and a
// co-op's page read no more at 100,000 co-ops than 1.5 times what they
// read at 1,000: index entries visited (embedded), read capacity and items
// read (DynamoDB Local), through the whole handler.
func TestListsDoNotGrow(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("loads 100,000 co-ops into each engine")
	}
	small, large := scaleSizes[0], scaleSizes[1]
	for _, engine := range []string{"embedded", "dynamo"} {
		t.Run(engine, func(t *testing.T) {
			costs := map[int]map[string]cost{}
			for _, n := range scaleSizes {
				lf := listsFor(t, engine, n)
				costs[n] = map[string]cost{}
				for _, r := range listsRequests {
					before := lf.cost()
					body := lf.get(t, r.path)
					costs[n][r.name] = lf.cost().minus(before)
					gz := body.Body.Len()
					zr, err := gzip.NewReader(body.Body)
					if err != nil {
						t.Fatalf("%s: not gzipped: %v", r.name, err)
					}
					plain, _ := io.Copy(io.Discard, zr)
					t.Logf("%7d co-ops (%d open tasks): %s cost %v; %d bytes, %d gzipped", n, lf.tasks, r.name, costs[n][r.name], plain, gz)
				}
			}
			for _, r := range listsRequests {
				a, b := costs[small][r.name], costs[large][r.name]
				metrics := map[string][2]float64{"entries visited": {float64(a.visited), float64(b.visited)}}
				if engine == "dynamo" {
					metrics = map[string][2]float64{"RCU": {a.read, b.read}, "items read": {float64(a.items), float64(b.items)}}
				}
				for what, v := range metrics {
					if v[1] > maxGrowth*v[0] || v[0] <= 0 && v[1] > 0 {
						t.Errorf("%s: %.1f %s at %d co-ops but %.1f at %d; want at most %.1f times more", r.name, v[0], what, small, v[1], large, maxGrowth)
					}
				}
			}
		})
	}
}

// BenchmarkLists measures the server time of the first page of a lead's
// inbox (GET /api/tasks), the board and a co-op's page, through the whole
// handler (gzip included), at 1,000 and 100,000 co-ops, on the embedded
// store (fsync on) and on DynamoDB Local, where the time is Java's and the
// column that matters is items read per request (items/op). Run:
// bash infra/dynamodb-local/run.sh go test -run '^$' -bench Lists ./shared/store/
func BenchmarkLists(b *testing.B) {
	for _, engine := range []string{"embedded", "dynamo"} {
		b.Run(engine, func(b *testing.B) {
			for _, n := range scaleSizes {
				b.Run(fmt.Sprintf("coops=%d", n), func(b *testing.B) {
					lf := listsFor(b, engine, n)
					for _, r := range listsRequests {
						b.Run(r.name, func(b *testing.B) {
							times := make([]time.Duration, 0, b.N)
							before := lf.cost()
							size := 0
							b.ReportAllocs()
							for b.Loop() {
								start := time.Now()
								size = lf.get(b, r.path).Body.Len()
								times = append(times, time.Since(start))
							}
							slices.Sort(times)
							b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
							b.ReportMetric(float64(size), "gzip-bytes")
							if engine == "dynamo" {
								c := lf.cost().minus(before)
								b.ReportMetric(float64(c.items)/float64(len(times)), "items/op")
								b.ReportMetric(c.read/float64(len(times)), "RCU/op")
							}
						})
					}
				})
			}
		})
	}
}
