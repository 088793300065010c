package outbox_test

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// refresher records the refreshes it is asked for and fails on demand.
type refresher struct {
	mu    sync.Mutex
	got   []string
	fails int
}

func (r *refresher) Refresh(_ context.Context, kind, id string, at time.Time) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.fails > 0 {
		r.fails--
		return errors.New("table busy")
	}
	r.got = append(r.got, fmt.Sprintf("%s/%s@%s", kind, id, at.Format(time.RFC3339)))
	return nil
}

func (r *refresher) calls() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.got...)
}

// grantEvent is an event about a grant application of co-op c1, which
// asks for both to be refreshed.
func grantEvent(id string) *pathway.Event {
	return &pathway.Event{ID: id, Subject: pathway.Subject{Kind: pathway.SubjectGrantApplication, ID: "ga1"},
		Coop: "c1", At: t0, Actor: "u1", Action: "grant.submitted", Summary: "Submitted."}
}

func TestInsightDeliveries(t *testing.T) {
	st := testkit.Store(t)
	ctx := t.Context()
	testkit.Must(t, st.AppendEvent(ctx, grantEvent("01JEVENT0000000000000000A1")))
	now := func() time.Time { return t0.Add(time.Second) }
	// An outbox without a refresher leaves them untouched for one that has.
	plain := outbox.New(st, &fakeWorkflows{}, now, nil)
	if n, err := plain.Sweep(ctx, true); err != nil || n != 0 {
		t.Fatalf("sweep without a refresher = %d, %v", n, err)
	}
	pending, err := st.PendingInsight(ctx, 10)
	testkit.Must(t, err)
	if len(pending) != 2 || pending[0].Attempts != 0 || pending[1].Attempts != 0 {
		t.Fatalf("pending insight = %+v; want two, untried", pending)
	}
	// One with a refresher sends both, due at once (no grace), and
	// finishes them; a failed refresh is retried later.
	r := &refresher{fails: 1}
	ob := outbox.New(st, &fakeWorkflows{}, now, nil).WithInsight(r)
	if n, err := ob.SweepInsight(ctx); err != nil || n != 1 {
		t.Fatalf("SweepInsight = %d, %v; want 1 sent, 1 failed", n, err)
	}
	later := func() time.Time { return t0.Add(time.Hour) }
	ob = outbox.New(st, &fakeWorkflows{}, later, nil).WithInsight(r)
	if n, err := ob.Sweep(ctx, false); err != nil || n != 1 {
		t.Fatalf("Sweep = %d, %v; want the retried one", n, err)
	}
	got := r.calls()
	want := map[string]bool{"grant-application/ga1@" + t0.Format(time.RFC3339): true, "coop/c1@" + t0.Format(time.RFC3339): true}
	if len(got) != 2 || !want[got[0]] || !want[got[1]] || got[0] == got[1] {
		t.Fatalf("refreshed %v; want %v", got, want)
	}
	if pending, _ := st.PendingInsight(ctx, 10); len(pending) != 0 {
		t.Fatalf("left pending: %+v", pending)
	}
}

// TestScheduledSweepDrainsInsight: the scheduled invocation takes page
// after page of insight deliveries while it has time, not one a minute.
func TestScheduledSweepDrainsInsight(t *testing.T) {
	st := testkit.Store(t)
	for i := range 250 {
		e := grantEvent(fmt.Sprintf("01JEVENT00000000000000%04d", i))
		e.Subject.ID = fmt.Sprint("ga", i)
		testkit.Must(t, st.AppendEvent(t.Context(), e))
	}
	r := &refresher{}
	ob := outbox.New(st, &fakeWorkflows{}, func() time.Time { return t0.Add(time.Second) }, nil).WithInsight(r)
	h := ob.OrHTTP(nil)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	out, err := h(ctx, []byte(`{"source":"aws.events","detail-type":"Scheduled Event","detail":{}}`))
	if err != nil || out.(outbox.SweepResult).Sent != 500 || len(r.calls()) != 500 {
		t.Fatalf("scheduled sweep = %+v, %v; refreshed %d; want all 500 (250 applications and their co-op)", out, err, len(r.calls()))
	}
}
