package project_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/insight/project"
	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// coops is a source of kind coop whose truth is the count of events in
// the co-op's trail: what reaches the cells is what the events say.
type coops struct{ st pathway.Store }

func (coops) Kind() string { return pathway.SubjectCoop }

func (c coops) Next(ctx context.Context, id string, _ json.RawMessage, _ time.Time) (json.RawMessage, error) {
	page, err := c.st.ListEvents(ctx, pathway.CoopSubject(id), "", 100)
	if err != nil {
		return nil, err
	}
	return json.Marshal(map[string]int{"events": len(page.Events)})
}

func (coops) Contribute(facts json.RawMessage) (insight.Contribution, error) {
	var f struct{ Events int64 }
	if err := json.Unmarshal(facts, &f); err != nil {
		return nil, err
	}
	c := insight.Contribution{}
	c.Add(insight.Cell{Scope: "agency", Key: insight.Wildcard}, "coops", 1)
	c.Add(insight.Cell{Scope: "agency", Key: insight.Wildcard}, "events", f.Events)
	return c, nil
}

func (coops) Index(json.RawMessage) insight.Index { return insight.Index{} }

// TestEventsReachTheCells: events stored for a co-op ask for refreshes,
// which the outbox's sweep sends to the projector; the cells then hold the
// truth, however many deliveries there were and however often swept.
func TestEventsReachTheCells(t *testing.T) {
	st := testkit.Store(t)
	p := project.New(st.Table(), coops{st})
	ctx := t.Context()
	for _, id := range []string{"01JEV0000000000000000000A1", "01JEV0000000000000000000A2", "01JEV0000000000000000000A3"} {
		testkit.Must(t, st.AppendEvent(ctx, &pathway.Event{ID: id, Coop: "c1", At: at,
			Actor: "u1", Action: "coop.noted", Summary: "Noted."}))
	}
	testkit.Must(t, st.AppendEvent(ctx, &pathway.Event{ID: "01JEV0000000000000000000B1", Coop: "c2", At: at,
		Actor: "u1", Action: "coop.noted", Summary: "Noted."}))
	ob := outbox.New(st, &testkit.Workflows{}, func() time.Time { return at }, nil).WithInsight(p)
	for range 2 {
		if _, err := ob.SweepInsight(ctx); err != nil {
			t.Fatal(err)
		}
	}
	got, err := p.Cells(ctx, "agency", insight.Wildcard)
	testkit.Must(t, err)
	if c := got[insight.Wildcard]; c["coops"] != 2 || c["events"] != 4 {
		t.Fatalf("cells = %v; want 2 co-ops, 4 events", got)
	}
	if left, _ := st.PendingInsight(ctx, 10); len(left) != 0 {
		t.Fatalf("left in the queue: %+v", left)
	}
}
