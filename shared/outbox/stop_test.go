package outbox_test

import (
	"errors"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/oklog/ulid/v2"
)

// storeStop stores a co-op and, with its event, a stop delivery, as the
// journey's withdrawal does.
func storeStop(t *testing.T, st pathway.Store, ob *outbox.Outbox) *pathway.Delivery {
	t.Helper()
	c := &pathway.Coop{ID: "coop-stop", Name: "Stop Co-op", Programme: "prog-x", LegalForm: pathway.FormCooperativeSociety,
		Origin: pathway.OriginNewStart, LocalAuthority: "Calderdale", Services: []string{"home-care"},
		RegulatedActivities: []string{pathway.ActivityPersonalCare},
		Members:             []pathway.Member{{Name: "Ash Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
		Founders:            []string{"user-a"}, Stage: pathway.StageApplied, StageEnteredAt: t0, CreatedAt: t0, UpdatedAt: t0}
	d := ob.NewStop(pathway.CoopSubject(c.ID), pathway.WorkflowApplication, c.ID, "The co-op's journey ended.", "user-a")
	e := &pathway.Event{ID: ulid.Make().String(), Coop: c.ID, At: t0, Actor: "user-a", Action: pathway.ActionApplicationSubmitted,
		Summary: "Applied.", To: c.Stage, Notices: []*pathway.Delivery{d}}
	if err := st.CreateCoop(t.Context(), c, e, nil); err != nil {
		t.Fatal(err)
	}
	return d
}

// A stop delivery reaches an engine that can stop executions with its
// execution and cause, and is finished; while the engine fails, or
// cannot stop executions at all (a wiring mistake), it stays pending.
func TestStopDelivery(t *testing.T) {
	now := func() time.Time { return t0 }
	st, wf := testkit.Store(t), &testkit.Workflows{}
	d := storeStop(t, st, outbox.New(st, wf, now, nil))

	// An engine without StopExecution: kept, with the reason.
	if res, err := outbox.New(st, &fakeWorkflows{}, now, nil).Send(t.Context(), d); err != nil || res != outbox.Later {
		t.Fatalf("without a stopper: %v, %v; want Later", res, err)
	}
	wf.FailStops(errors.New("throttled"), 1)
	ob := outbox.New(st, wf, now, nil)
	if res, err := ob.Send(t.Context(), d); err != nil || res != outbox.Later {
		t.Fatalf("failing: %v, %v; want Later", res, err)
	}
	if p, _ := st.PendingDeliveries(t.Context(), 10); len(p) != 1 || p[0].Attempts != 2 {
		t.Fatalf("pending %+v; want the stop, tried twice", p)
	}
	if res, err := ob.Send(t.Context(), d); err != nil || res != outbox.Sent {
		t.Fatalf("send: %v, %v", res, err)
	}
	stops := wf.Stops()
	if len(stops) != 1 || stops[0].Machine != pathway.WorkflowApplication || stops[0].Name != "coop-stop" || stops[0].Cause != "The co-op's journey ended." {
		t.Fatalf("stops %+v", stops)
	}
	if p, _ := st.PendingDeliveries(t.Context(), 10); len(p) != 0 {
		t.Fatalf("%d left pending after the stop was sent", len(p))
	}
}
