package store_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/dynamo/dynamotest"
	"github.com/coopcarepathway/pathway/shared/embedded"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/oklog/ulid/v2"
	"go.etcd.io/bbolt"
)

// Scale. A pipeline page must cost the same with 1,000 and with 100,000
// co-ops in other programmes and stages: the page is one index partition,
// read by a seek and a walk of the page, never a scan. The proof counts
// what the engines report they read (the embedded engine's visited
// entries, DynamoDB Local's ConsumedCapacity and items evaluated), not
// time, which a loaded machine blurs; the benchmarks give the time.
//
// The fixture at each size: the measured column (columnSize co-ops of
// pageProgramme in pageStage, created through CreateCoop with their first
// event) and n other co-ops spread over otherProgrammes programmes (the
// measured one among them) and every stage but the measured column,
// written with the engines' PutBatch as exactly the items CreateCoop
// stores (store.CoopItem, checked against what CreateCoop stored), with
// their stage counters. Founder links and events have no index keys, so
// they cannot touch a pipeline partition; loading them would only make
// DynamoDB Local slower to seed. The fixture of each engine and size is
// built once per run and shared by the test and the benchmarks.

const (
	pageProgramme   = "prog-measured"
	pageStage       = pathway.StageAwaitingPanel
	columnSize      = 4 * pageSize
	pageSize        = pathway.DefaultPageSize
	otherProgrammes = 10
	// The control column: a column of others that grows with n.
	controlProgramme = "prog-00"
	controlStage     = pathway.StageApplied
	// maxGrowth is how much more a page may cost at 100,000 co-ops than
	// at 1,000.
	maxGrowth = 1.5
)

// scaleSizes are the numbers of other co-ops.
var scaleSizes = []int{1_000, 100_000}

var scaleStart = time.Date(2026, 1, 5, 9, 0, 0, 123456789, time.UTC)

// scaleCoop returns a valid co-op of typical size.
func scaleCoop(id, programme, stage string, entered time.Time) *pathway.Coop {
	return &pathway.Coop{
		ID: id, Name: "Calderbrook Home Care Co-op " + id, Programme: programme,
		LegalForm: pathway.FormCooperativeSociety, Origin: "new-start", LocalAuthority: "Calderdale",
		Services:            []string{"home-care", "carers-services"},
		RegulatedActivities: []string{"personal-care"},
		Members: []pathway.Member{
			{Name: "Invented Worker", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
			{Name: "Invented Carer", Class: pathway.ClassFamilyCarer, Role: pathway.MemberOrdinary, Votes: 1},
			{Name: "Invented Neighbour", Class: pathway.ClassCommunity, Role: pathway.MemberOrdinary, Votes: 1},
		},
		Founders: []string{"user-" + id},
		Stage:    stage, StageEnteredAt: entered, CreatedAt: entered, UpdatedAt: entered,
	}
}

// otherCoop returns other co-op i: a small one, since DynamoDB Local
// takes longer to load larger items, and only the measured column's size
// shows in a page's cost.
func otherCoop(i int, programme, stage string) *pathway.Coop {
	c := scaleCoop(otherID(i), programme, stage, scaleStart.Add(time.Duration(i)*time.Second))
	c.Name, c.Services, c.RegulatedActivities, c.Members = "Co-op "+c.ID, c.Services[:1], nil, c.Members[:1]
	return c
}

// columnID and otherID are the IDs of the fixture's co-ops.
func columnID(j int) string { return fmt.Sprintf("coop-column-%03d", j) }
func otherID(i int) string  { return fmt.Sprintf("coop-other-%07d", i) }

// otherPlace returns the programme and stage of other co-op i: every
// programme and stage but the measured column.
func otherPlace(i int) (programme, stage string) {
	programme = fmt.Sprintf("prog-%02d", i%otherProgrammes)
	if i%otherProgrammes == otherProgrammes-1 {
		programme = pageProgramme
	}
	stage = pathway.Stages[(i/otherProgrammes)%len(pathway.Stages)]
	if programme == pageProgramme && stage == pageStage {
		stage = pathway.StageApplied
	}
	return programme, stage
}

// loadChunk is how many other co-ops loadOthers builds and loads at a
// time: building all 100,000 items first would only make the garbage
// collector work (slowly, under -race) for a larger heap.
const loadChunk = 5_000

// loadOthers loads the items of n other co-ops, then their stage
// counters, with putBatch.
func loadOthers(tb testing.TB, n int, putBatch func([]table.Item) error) {
	tb.Helper()
	counts := map[[2]string]int64{}
	items := make([]table.Item, 0, loadChunk)
	for from := 0; from < n; from += loadChunk {
		items = items[:0]
		for i := from; i < min(from+loadChunk, n); i++ {
			programme, stage := otherPlace(i)
			it, err := store.CoopItem(otherCoop(i, programme, stage))
			if err != nil {
				tb.Fatal(err)
			}
			items = append(items, it)
			counts[[2]string{programme, stage}]++
		}
		if err := putBatch(items); err != nil {
			tb.Fatal(err)
		}
	}
	items = items[:0]
	for k, c := range counts {
		items = append(items, store.CountItem(k[0], k[1], c))
	}
	if err := putBatch(items); err != nil {
		tb.Fatal(err)
	}
}

// cost is what an engine reports it read.
type cost struct {
	visited  int64   // embedded: bucket entries stepped over
	requests int     // DynamoDB: requests answered
	read     float64 // DynamoDB: read capacity units
	items    int     // DynamoDB: items evaluated
}

func (c cost) minus(d cost) cost {
	return cost{c.visited - d.visited, c.requests - d.requests, c.read - d.read, c.items - d.items}
}

func (c cost) String() string {
	return fmt.Sprintf("%d entries visited, %d requests, %.1f RCU, %d items read", c.visited, c.requests, c.read, c.items)
}

// meter sums what a DynamoDB engine reports.
type meter struct {
	mu  sync.Mutex
	sum cost
}

func (m *meter) add(u dynamo.Usage) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.sum.requests++
	m.sum.read += u.Read
	m.sum.items += u.Items
}

// scaleFixture is one engine's table at one size.
type scaleFixture struct {
	engine string
	n      int
	store  *store.Store
	table  *embedded.Table // embedded only
	meter  *meter          // DynamoDB only
	column []*pathway.Coop // the measured column, oldest entry first
	// batch loads items with the engine's PutBatch (other fixtures
	// built on this one, such as the inbox's).
	batch func([]table.Item) error
}

// cost returns the engine's running total.
func (f *scaleFixture) cost() cost {
	if f.table != nil {
		return cost{visited: f.table.Visited()}
	}
	f.meter.mu.Lock()
	defer f.meter.mu.Unlock()
	return f.meter.sum
}

// fixtures holds every fixture built in this run, and what removes them
// when the run ends (TestMain).
var fixtures struct {
	sync.Mutex
	built   map[string]*builtFixture
	cleanup []func()
}

// builtFixture is one fixture, built once; its lock lets fixtures of
// other engines and sizes be built meanwhile.
type builtFixture struct {
	sync.Mutex
	f *scaleFixture
}

// onCleanup adds f to what TestMain runs when the run ends.
func onCleanup(f func()) {
	fixtures.Lock()
	defer fixtures.Unlock()
	fixtures.cleanup = append(fixtures.cleanup, f)
}

func TestMain(m *testing.M) {
	code := m.Run()
	fixtures.Lock()
	for _, f := range slices.Backward(fixtures.cleanup) {
		f()
	}
	fixtures.Unlock()
	os.Exit(code)
}

// fixture returns the fixture of engine ("embedded" or "dynamo") with n
// other co-ops, building it the first time. The embedded table syncs every
// commit, as in production; the DynamoDB one is in DynamoDB Local, and
// the test or benchmark skips without it (fails in CI).
func fixture(tb testing.TB, engine string, n int) *scaleFixture {
	tb.Helper()
	var client *dynamodb.Client
	if engine == "dynamo" {
		client = dynamotest.Client(tb) // skips without DynamoDB Local
	}
	key := fmt.Sprintf("%s/%d", engine, n)
	fixtures.Lock()
	if fixtures.built == nil {
		fixtures.built = map[string]*builtFixture{}
	}
	b := fixtures.built[key]
	if b == nil {
		b = &builtFixture{}
		fixtures.built[key] = b
	}
	fixtures.Unlock()
	b.Lock()
	defer b.Unlock()
	if b.f != nil {
		return b.f
	}
	start := time.Now()
	var f *scaleFixture
	if engine == "dynamo" {
		f = dynamoFixture(tb, client, n)
	} else {
		f = embeddedFixture(tb, n)
	}
	b.f = f
	tb.Logf("%s: %d co-ops in the column and %d others loaded in %v", key, columnSize, n, time.Since(start).Round(time.Millisecond))
	return f
}

// embeddedFixture loads an embedded table without fsync and reopens it
// with fsync on.
func embeddedFixture(tb testing.TB, n int) *scaleFixture {
	dir, err := os.MkdirTemp("", "store-scale-")
	if err != nil {
		tb.Fatal(err)
	}
	onCleanup(func() { os.RemoveAll(dir) })
	path := filepath.Join(dir, "coops.db")
	tbl, err := embedded.Open(path, embedded.Options{NoSync: true})
	if err != nil {
		tb.Fatal(err)
	}
	f := &scaleFixture{engine: "embedded", n: n, store: store.New(tbl)}
	f.load(tb, func(items []table.Item) error { return tbl.PutBatch(context.Background(), items) })
	if err := tbl.Close(); err != nil {
		tb.Fatal(err)
	}
	if f.table, err = embedded.Open(path, embedded.Options{}); err != nil {
		tb.Fatal(err)
	}
	f.store = store.New(f.table)
	f.batch = func(items []table.Item) error { return f.table.PutBatch(context.Background(), items) }
	onCleanup(func() { f.table.Close() })
	return f
}

// dynamoFixture loads a new table in DynamoDB Local, whose engine reports
// its usage to the fixture's meter; the table is deleted when the run ends.
func dynamoFixture(tb testing.TB, client *dynamodb.Client, n int) *scaleFixture {
	ctx := context.Background()
	name := dynamotest.TableName(fmt.Sprintf("store-scale-%d", n))
	if err := dynamotest.CreateTable(ctx, client, name); err != nil {
		tb.Fatal(err)
	}
	onCleanup(func() { client.DeleteTable(context.Background(), &dynamodb.DeleteTableInput{TableName: &name}) })
	f := &scaleFixture{engine: "dynamo", n: n, meter: &meter{}}
	tbl := dynamo.New(client, name)
	tbl.Observe(f.meter.add)
	f.store = store.New(tbl)
	f.batch = func(items []table.Item) error { return tbl.PutBatch(ctx, items) }
	f.load(tb, f.batch)
	return f
}

// load creates the measured column through CreateCoop, checks that
// store.CoopItem is what CreateCoop stored, loads the others with
// putBatch, and waits until the pipeline index shows the whole column
// (DynamoDB's indexes are eventually consistent).
func (f *scaleFixture) load(tb testing.TB, putBatch func([]table.Item) error) {
	tb.Helper()
	ctx := context.Background()
	// Eight at a time: DynamoDB Local takes a while over each transaction.
	f.column = make([]*pathway.Coop, columnSize)
	errs := make([]error, columnSize)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for j := w; j < columnSize; j += 8 {
				c := scaleCoop(columnID(j), pageProgramme, pageStage, scaleStart.Add(time.Duration(j)*time.Minute))
				e := &pathway.Event{ID: ulid.Make().String(), Coop: c.ID, At: c.CreatedAt, Actor: c.Founders[0],
					Action: "application.submitted", Summary: "Applied to the programme"}
				f.column[j], errs[j] = c, f.store.CreateCoop(ctx, c, e, nil)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		tb.Fatal(err)
	}
	want, err := store.CoopItem(f.column[0])
	if err != nil {
		tb.Fatal(err)
	}
	got, err := f.store.Table().Get(ctx, want.PK, want.SK)
	if err != nil || got.GSI1PK != want.GSI1PK || got.GSI1SK != want.GSI1SK || got.GSI2PK != want.GSI2PK ||
		got.Version != want.Version || !bytes.Equal(got.Body, want.Body) {
		tb.Fatalf("store.CoopItem = %+v\nbut CreateCoop stored %+v (%v)", want, got, err)
	}
	loadOthers(tb, f.n, putBatch)
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(10 * time.Millisecond) {
		n, err := f.columnLen(ctx)
		if err != nil {
			tb.Fatal(err)
		}
		if n == columnSize {
			return
		}
		if time.Now().After(deadline) {
			tb.Fatalf("the pipeline shows %d of the column's %d co-ops", n, columnSize)
		}
	}
}

// columnLen counts the co-ops the measured column lists.
func (f *scaleFixture) columnLen(ctx context.Context) (int, error) {
	n := 0
	filter := pathway.CoopFilter{Programme: pageProgramme, Stage: pageStage, Limit: pathway.MaxPageSize}
	for {
		p, err := f.store.ListCoops(ctx, filter)
		if err != nil {
			return 0, err
		}
		n += len(p.Coops)
		if p.Next == "" {
			return n, nil
		}
		filter.Cursor = p.Next
	}
}

// measurePages reads the first three pages of the measured column and
// returns what each cost, checking each holds the right co-ops.
func measurePages(t *testing.T, f *scaleFixture) []cost {
	t.Helper()
	var costs []cost
	filter := pathway.CoopFilter{Programme: pageProgramme, Stage: pageStage}
	for page := range 3 {
		before := f.cost()
		p, err := f.store.ListCoops(t.Context(), filter)
		if err != nil {
			t.Fatalf("page %d: %v", page, err)
		}
		costs = append(costs, f.cost().minus(before))
		if len(p.Coops) != pageSize || p.Next == "" {
			t.Fatalf("page %d holds %d co-ops (next %q); the column has more", page, len(p.Coops), p.Next)
		}
		for k, c := range p.Coops {
			// Newest stage entry first: the column's last co-op first.
			if want := f.column[columnSize-1-page*pageSize-k]; c.ID != want.ID {
				t.Fatalf("page %d lists %s at %d; want %s", page, c.ID, k, want.ID)
			}
		}
		filter.Cursor = p.Next
	}
	return costs
}

// controlCost returns what reading a whole other column costs: at 100,000
// others it holds about a hundred times the co-ops it holds at 1,000. It
// is the test's control, showing that the costs counted grow with what a
// query reads, so a flat page cost means the page read no more.
func controlCost(t *testing.T, f *scaleFixture) (cost, int) {
	t.Helper()
	before := f.cost()
	n, listed := 0, 0
	filter := pathway.CoopFilter{Programme: controlProgramme, Stage: controlStage, Limit: pathway.MaxPageSize}
	for {
		p, err := f.store.ListCoops(t.Context(), filter)
		if err != nil {
			t.Fatal(err)
		}
		listed += len(p.Coops)
		n++
		if p.Next == "" {
			return f.cost().minus(before), listed
		}
		filter.Cursor = p.Next
	}
}

// TestPipelinePageDoesNotScan proves, on both engines, that a pipeline
// page of 25 co-ops costs at most maxGrowth times more with 100,000 other
// co-ops than with 1,000, counting what the engine read: entries visited
// (embedded), read capacity and items read (DynamoDB Local). Under -race
// on two cores, loading 100,000 co-ops takes about 15 s on the embedded
// engine and 40–50 s in DynamoDB Local (DynamoDB Local's own pace), the
// only place the repository loads that many; -short skips the test,
// except in CI, which always runs it.
func TestPipelinePageDoesNotScan(t *testing.T) {
	if testing.Short() && os.Getenv("CI") != "true" {
		t.Skip("loads 100,000 co-ops into each engine")
	}
	small, large := scaleSizes[0], scaleSizes[1]
	for _, engine := range []string{"embedded", "dynamo"} {
		t.Run(engine, func(t *testing.T) {
			pages, control := map[int][]cost{}, map[int]cost{}
			for _, n := range scaleSizes {
				f := fixture(t, engine, n)
				pages[n] = measurePages(t, f)
				var listed int
				control[n], listed = controlCost(t, f)
				t.Logf("%7d others: the control column (%d co-ops) cost %v", n, listed, control[n])
				for i, c := range pages[n] {
					t.Logf("%7d others: page %d cost %v", n, i, c)
				}
			}
			// metrics returns the numbers compared: entries visited, or
			// read capacity and items read.
			metrics := func(c cost) map[string]float64 {
				if engine == "embedded" {
					return map[string]float64{"entries visited": float64(c.visited)}
				}
				return map[string]float64{"RCU": c.read, "items read": float64(c.items)}
			}
			for what, a := range metrics(control[small]) {
				if b := metrics(control[large])[what]; b < 10*a || a <= 0 {
					t.Fatalf("control failed: reading a whole column costs %.1f %s at %d others and %.1f at %d; the count does not track what is read",
						a, what, small, b, large)
				}
			}
			for i := range pages[small] {
				for what, a := range metrics(pages[small][i]) {
					b := metrics(pages[large][i])[what]
					if a <= 0 || b > maxGrowth*a {
						t.Errorf("page %d: %.1f %s at %d others but %.1f at %d; want at most %.1f times more",
							i, a, what, small, b, large, maxGrowth)
					}
				}
				// Reading one entry past the page tells whether another
				// follows (and, descending, the seek may land on one
				// more); nothing else may be read.
				if c := pages[large][i]; c.visited > pageSize+2 || c.items > pageSize+1 {
					t.Errorf("page %d at %d others: %v; want at most a page and one more", i, large, c)
				}
			}
		})
	}
}

// BenchmarkGetCoop reads co-ops all over the table (embedded, fsync on).
func BenchmarkGetCoop(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("coops=%d", n), func(b *testing.B) {
			f, ctx := fixture(b, "embedded", n), b.Context()
			ids := make([]string, 1024)
			for j := range ids {
				ids[j] = otherID(j * 7919 % n) // a prime stride: all over the file
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				if _, err := f.store.GetCoop(ctx, ids[i%len(ids)]); err != nil {
					b.Fatal(err)
				}
				i++
			}
		})
	}
}

// BenchmarkUpdateCoop moves co-ops between two stages with their events:
// UpdateCoop's read, and one transaction of the conditional put, the
// event and two counter additions, with fsync (embedded).
func BenchmarkUpdateCoop(b *testing.B) {
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("coops=%d", n), func(b *testing.B) {
			f, ctx := fixture(b, "embedded", n), b.Context()
			// A hundred co-ops all over the file, read once; each
			// iteration updates one at the version it last stored.
			coops := make([]*pathway.Coop, 100)
			for j := range coops {
				c, err := f.store.GetCoop(ctx, otherID(j*(n/len(coops))))
				if err != nil {
					b.Fatal(err)
				}
				coops[j] = c
			}
			b.ReportAllocs()
			i := 0
			for b.Loop() {
				c := coops[i%len(coops)]
				i++
				// Between two stages neither of which is the measured
				// column's, so the page fixture stays as it is.
				from, to := c.Stage, pathway.StageCQCReady
				if from == to {
					to = pathway.StageCQCSubmitted
				}
				when := c.UpdatedAt.Add(time.Minute)
				e := &pathway.Event{ID: ulid.Make().String(), Coop: c.ID, At: when, Actor: pathway.ActorSystem,
					Action: "stage.changed", Summary: "Moved on", From: from, To: to}
				c.Stage, c.StageEnteredAt, c.UpdatedAt = to, when, when
				if err := f.store.UpdateCoop(ctx, c, e); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBareCommit is the floor under BenchmarkUpdateCoop: a bbolt
// transaction that puts one small value in the same file, with fsync. On
// a loaded machine fsync alone may take milliseconds; compare the two
// from the same run.
func BenchmarkBareCommit(b *testing.B) {
	bucket := []byte("bench.bare")
	for _, n := range scaleSizes {
		b.Run(fmt.Sprintf("coops=%d", n), func(b *testing.B) {
			db := fixture(b, "embedded", n).table.DB()
			err := db.Update(func(tx *bbolt.Tx) error {
				_, err := tx.CreateBucketIfNotExists(bucket)
				return err
			})
			if err != nil {
				b.Fatal(err)
			}
			val := bytes.Repeat([]byte("x"), 100)
			i := 0
			for b.Loop() {
				key := fmt.Appendf(nil, "%02d", i%100) // a hundred keys, rewritten: the file does not grow
				i++
				if err := db.Update(func(tx *bbolt.Tx) error { return tx.Bucket(bucket).Put(key, val) }); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkPipelinePage reads the second page of the measured column (by
// cursor) on both engines, reporting on DynamoDB Local the read capacity
// and items read per page, and on the embedded engine the entries visited.
func BenchmarkPipelinePage(b *testing.B) {
	for _, engine := range []string{"embedded", "dynamo"} {
		b.Run(engine, func(b *testing.B) {
			for _, n := range scaleSizes {
				b.Run(fmt.Sprintf("coops=%d", n), func(b *testing.B) {
					f, ctx := fixture(b, engine, n), b.Context()
					filter := pathway.CoopFilter{Programme: pageProgramme, Stage: pageStage}
					first, err := f.store.ListCoops(ctx, filter)
					if err != nil || first.Next == "" {
						b.Fatalf("first page: %+v, %v", first, err)
					}
					filter.Cursor = first.Next
					if engine == "dynamo" {
						// DynamoDB Local's JVM is slow until it has
						// compiled its query path; the first size would
						// pay for that.
						for start := time.Now(); time.Since(start) < 2*time.Second; {
							if _, err := f.store.ListCoops(ctx, filter); err != nil {
								b.Fatal(err)
							}
						}
					}
					b.ReportAllocs()
					before := f.cost()
					for b.Loop() {
						p, err := f.store.ListCoops(ctx, filter)
						if err != nil || len(p.Coops) != pageSize {
							b.Fatalf("page: %d co-ops, %v", len(p.Coops), err)
						}
					}
					c := f.cost().minus(before)
					if engine == "dynamo" {
						b.ReportMetric(c.read/float64(b.N), "RCU/op")
						b.ReportMetric(float64(c.items)/float64(b.N), "items/op")
					} else {
						b.ReportMetric(float64(c.visited)/float64(b.N), "visited/op")
					}
				})
			}
		})
	}
}
