package project_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/dynamo/dynamotest"
	"github.com/coopcarepathway/pathway/shared/embedded"
	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/insight/project"
	"github.com/coopcarepathway/pathway/shared/table"
)

// engines runs f on a fresh embedded table and on DynamoDB Local.
func engines(t *testing.T, f func(t *testing.T, tb table.Table)) {
	t.Run("embedded", func(t *testing.T) {
		tb, err := embedded.Open(filepath.Join(t.TempDir(), "t.db"), embedded.Options{NoSync: true})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = tb.Close() })
		f(t, tb)
	})
	t.Run("dynamo", func(t *testing.T) {
		client, name := dynamotest.New(t)
		f(t, dynamo.New(client, name))
	})
}

// counting wraps a table, counting transactions and failing the one
// numbered failAt (from 1) to stand for a crash between two of them.
type counting struct {
	table.Table
	n, failAt atomic.Int64
	maxWrites atomic.Int64
}

var errCrash = errors.New("crash")

func (c *counting) Transact(ctx context.Context, writes ...table.Write) error {
	n := c.n.Add(1)
	if w := int64(len(writes)); w > c.maxWrites.Load() {
		c.maxWrites.Store(w)
	}
	if n == c.failAt.Load() {
		return errCrash
	}
	return c.Table.Transact(ctx, writes...)
}

var at = time.Date(2026, 3, 4, 9, 0, 0, 0, time.UTC)

// checkCells fails the test unless the cells of every scope in want hold
// exactly want's counters (a cell left at zero counts as absent).
func checkCells(t *testing.T, p *project.Projector, src *things, scopes ...string) {
	t.Helper()
	want := src.want()
	for _, scope := range scopes {
		keys := append([]string{insight.Wildcard}, tags(300)...)
		got, err := p.Cells(t.Context(), scope, keys...)
		if err != nil {
			t.Fatal(err)
		}
		for _, k := range keys {
			w := want[insight.Cell{Scope: scope, Key: k}]
			g := nonZero(got[k])
			if !maps.Equal(g, w) && (len(g) != 0 || len(w) != 0) {
				t.Errorf("cell %s/%s = %v; want %v", scope, k, g, w)
			}
		}
	}
}

// nonZero drops counters at zero, which a table keeps once created.
func nonZero(c insight.Counters) insight.Counters {
	out := insight.Counters{}
	for k, v := range c {
		if v != 0 {
			out[k] = v
		}
	}
	return out
}

func refresh(t *testing.T, p *project.Projector, id string) {
	t.Helper()
	if err := p.Refresh(t.Context(), "thing", id, at); err != nil {
		t.Fatalf("Refresh(%s): %v", id, err)
	}
}

func TestRefresh(t *testing.T) {
	engines(t, func(t *testing.T, tb table.Table) {
		src, ct := newThings(), &counting{Table: tb}
		p := project.New(ct, src)
		src.set("a", &thing{Name: "Alpha", Scope: "s1", N: 5, Tags: []string{"red", "blue"}})
		src.set("b", &thing{Name: "Beta", Scope: "s1", N: 2, Tags: []string{"red"}})
		refresh(t, p, "a")
		refresh(t, p, "b")
		got, err := p.Cells(t.Context(), "s1", "*", "red", "blue", "green")
		if err != nil {
			t.Fatal(err)
		}
		if got["*"]["things"] != 2 || got["*"]["n"] != 7 || got["red"]["n"] != 7 || got["blue"]["things"] != 1 {
			t.Fatalf("cells = %v", got)
		}
		if _, ok := got["green"]; ok {
			t.Fatalf("an untouched cell is listed: %v", got)
		}
		// A repeated refresh reads, finds nothing new and writes nothing.
		before := ct.n.Load()
		refresh(t, p, "a")
		if n := ct.n.Load() - before; n != 0 {
			t.Fatalf("a repeated refresh made %d transactions", n)
		}
		// A change moves a's share: out of blue, into green, n changed.
		src.set("a", &thing{Name: "Alpha", Scope: "s1", N: 1, Tags: []string{"red", "green"}})
		refresh(t, p, "a")
		checkCells(t, p, src, "s1")
		// The facts carry what the source keeps from them (the first time).
		later := at.Add(time.Hour)
		if err := p.Refresh(t.Context(), "thing", "a", later); err != nil {
			t.Fatal(err)
		}
		facts, err := p.Facts(t.Context(), "thing", "a")
		if err != nil {
			t.Fatal(err)
		}
		var f thing
		if err := json.Unmarshal(facts, &f); err != nil || f.N != 1 || !f.Seen.Equal(at) {
			t.Fatalf("facts = %s (%v)", facts, err)
		}
		// A subject that goes away takes its share with it.
		src.set("b", nil)
		refresh(t, p, "b")
		checkCells(t, p, src, "s1")
		if facts, err := p.Facts(t.Context(), "thing", "b"); err != nil || facts != nil {
			t.Fatalf("facts of a removed thing = %s, %v", facts, err)
		}
		if facts, err := p.Facts(t.Context(), "thing", "never"); err != nil || facts != nil {
			t.Fatalf("facts of an unknown thing = %s, %v", facts, err)
		}
		// A kind no source serves adds nothing and is no error.
		if err := p.Refresh(t.Context(), "other", "x", at); err != nil {
			t.Fatal(err)
		}
	})
}

func TestConcurrentRefreshes(t *testing.T) {
	engines(t, func(t *testing.T, tb table.Table) {
		src := newThings()
		p := project.New(tb, src)
		const workers, rounds = 8, 6
		ids := []string{"a", "b", "c"}
		var wg sync.WaitGroup
		errs := make(chan error, workers*rounds)
		for w := range workers {
			wg.Go(func() {
				for r := range rounds {
					id := ids[(w+r)%len(ids)]
					// Change the truth and refresh, racing other workers on
					// the same subject and on others sharing its cells.
					src.set(id, &thing{Name: id, Scope: "s", N: int64(w*10 + r), Tags: tags(1 + (w+r)%4)})
					if err := p.Refresh(context.Background(), "thing", id, at); err != nil {
						errs <- err
					}
				}
			})
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Fatal(err)
		}
		// Each subject's last refresh may have read a truth that another
		// worker changed afterwards; one more refresh each settles them.
		for _, id := range ids {
			refresh(t, p, id)
		}
		checkCells(t, p, src, "s")
	})
}

func TestChunkedRefreshSurvivesACrash(t *testing.T) {
	engines(t, func(t *testing.T, tb table.Table) {
		src, ct := newThings(), &counting{Table: tb}
		p := project.New(ct, src)
		// 251 cells: the pending record, then chunks of 90, 90 and 71.
		src.set("big", &thing{Name: "Big", Scope: "s", N: 3, Tags: tags(250)})
		ct.failAt.Store(3) // the second chunk's transaction fails
		err := p.Refresh(t.Context(), "thing", "big", at)
		if !errors.Is(err, errCrash) {
			t.Fatalf("Refresh with a crash = %v", err)
		}
		if facts, _ := p.Facts(t.Context(), "thing", "big"); facts != nil {
			t.Fatalf("facts applied before the last chunk: %s", facts)
		}
		// Half done: the first chunk's cells counted, the others not yet.
		got, err := p.Cells(t.Context(), "s", "*", "t200")
		if err != nil {
			t.Fatal(err)
		}
		if got["*"]["things"] != 1 || got["t200"]["things"] != 0 {
			t.Fatalf("after the crash: %v", got)
		}
		// The next refresh (a sweep's retry) finishes the change once.
		ct.failAt.Store(0)
		refresh(t, p, "big")
		checkCells(t, p, src, "s")
		if m := ct.maxWrites.Load(); m > table.MaxWrites {
			t.Fatalf("a transaction of %d writes", m)
		}
		// A shrink is chunked too, and exact.
		src.set("big", &thing{Name: "Big", Scope: "s", N: 4, Tags: tags(2)})
		refresh(t, p, "big")
		checkCells(t, p, src, "s")
		before := ct.n.Load()
		refresh(t, p, "big")
		if n := ct.n.Load() - before; n != 0 {
			t.Fatalf("a repeated refresh made %d transactions", n)
		}
	})
}

func TestConcurrentChunkedRefreshes(t *testing.T) {
	engines(t, func(t *testing.T, tb table.Table) {
		src := newThings()
		p := project.New(tb, src)
		src.set("big", &thing{Name: "Big", Scope: "s", N: 1, Tags: tags(200)})
		var wg sync.WaitGroup
		errs := make([]error, 4)
		for i := range errs {
			wg.Go(func() { errs[i] = p.Refresh(context.Background(), "thing", "big", at) })
		}
		wg.Wait()
		if err := errors.Join(errs...); err != nil {
			t.Fatal(err)
		}
		checkCells(t, p, src, "s")
	})
}

func TestList(t *testing.T) {
	engines(t, func(t *testing.T, tb table.Table) {
		src := newThings()
		p := project.New(tb, src)
		for i := range 7 {
			id := fmt.Sprint("id", i)
			src.set(id, &thing{Name: fmt.Sprintf("name-%d", i), Scope: "s", N: 1})
			refresh(t, p, id)
		}
		src.set("other", &thing{Name: "name-x", Scope: "elsewhere", N: 1})
		refresh(t, p, "other")
		src.set("id3", nil) // gone: no longer listed
		refresh(t, p, "id3")
		var names []string
		q := insight.ListQuery{Index: table.IndexGSI1, PK: "THINGS#s", Prefix: "name-", Limit: 4}
		deadline := time.Now().Add(5 * time.Second) // indexes may lag
		for {
			names = names[:0]
			q.Cursor = ""
			for {
				page, err := p.List(t.Context(), q)
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range page.Facts {
					var th thing
					if err := json.Unmarshal(f, &th); err != nil {
						t.Fatal(err)
					}
					names = append(names, th.Name)
				}
				if q.Cursor = page.Next; q.Cursor == "" {
					break
				}
			}
			if fmt.Sprint(names) == "[name-0 name-1 name-2 name-4 name-5 name-6]" || time.Now().After(deadline) {
				break
			}
			time.Sleep(100 * time.Millisecond)
		}
		if fmt.Sprint(names) != "[name-0 name-1 name-2 name-4 name-5 name-6]" {
			t.Fatalf("listed %v", names)
		}
		page, err := p.List(t.Context(), insight.ListQuery{Index: table.IndexGSI1, PK: "THINGS#s", Limit: 2, Desc: true})
		if err != nil || len(page.Facts) != 2 || page.Next == "" {
			t.Fatalf("descending page = %+v, %v", page, err)
		}
		if _, err := p.List(t.Context(), insight.ListQuery{PK: "THINGS#s"}); err == nil {
			t.Fatal("listing the table itself: no error")
		}
	})
}
