package store_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestEventsAskForInsight: an event about a co-op, a grant application or
// a tender stores, with it, a refresh of its subject and of its co-op; the
// same event written again stores the same deliveries, not more.
func TestEventsAskForInsight(t *testing.T) {
	at := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	ev := func(id string, s pathway.Subject, coop string) *pathway.Event {
		return &pathway.Event{ID: id, Subject: s, Coop: coop, At: at, Actor: "u1", Action: "x.y", Summary: "Done."}
	}
	for _, c := range []struct {
		name string
		e    *pathway.Event
		want []pathway.Subject
	}{
		{"co-op", ev("01E1", pathway.CoopSubject("c1"), "c1"), []pathway.Subject{pathway.CoopSubject("c1")}},
		{"grant application of a co-op", ev("01E2", pathway.Subject{Kind: pathway.SubjectGrantApplication, ID: "g1"}, "c1"),
			[]pathway.Subject{{Kind: pathway.SubjectGrantApplication, ID: "g1"}, pathway.CoopSubject("c1")}},
		{"tender", ev("01E3", pathway.Subject{Kind: pathway.SubjectTender, ID: "t1"}, ""), []pathway.Subject{{Kind: pathway.SubjectTender, ID: "t1"}}},
		{"bid of a co-op", ev("01E4", pathway.Subject{Kind: pathway.SubjectBid, ID: "b1"}, "c2"), []pathway.Subject{pathway.CoopSubject("c2")}},
		{"bid of nobody", ev("01E5", pathway.Subject{Kind: pathway.SubjectBid, ID: "b2"}, ""), nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			st := testkit.Store(t)
			for range 2 {
				writes, err := store.WithEvent(nil, c.e)
				testkit.Must(t, err)
				testkit.Must(t, st.Table().Transact(t.Context(), writes...))
			}
			got, err := st.PendingInsight(t.Context(), 10)
			testkit.Must(t, err)
			if len(got) != len(c.want) {
				t.Fatalf("deliveries %+v; want refreshes of %v", got, c.want)
			}
			for i, d := range got {
				if d.Kind != pathway.DeliverInsight || !d.NotBefore.Equal(at) || !d.CreatedAt.Equal(at) {
					t.Errorf("delivery %+v", d)
				}
				found := false
				for _, s := range c.want {
					found = found || s == d.Subject
				}
				if !found {
					t.Errorf("delivery %d for %v; want one of %v", i, d.Subject, c.want)
				}
			}
			if pend, _ := st.PendingDeliveries(t.Context(), 10); len(pend) != 0 {
				t.Errorf("insight deliveries in the answers' queue: %+v", pend)
			}
		})
	}
}

func TestWithRefresh(t *testing.T) {
	st := testkit.Store(t)
	at := time.Date(2027, 1, 2, 3, 4, 5, 0, time.UTC)
	writes, err := store.WithRefresh(nil, pathway.Subject{Kind: pathway.SubjectTender, ID: "t9"}, at)
	testkit.Must(t, err)
	if writes, err = store.WithRefresh(writes, pathway.Subject{Kind: pathway.SubjectBid, ID: "b9"}, at); err != nil || len(writes) != 1 {
		t.Fatalf("a bid asks for no refresh: %d writes, %v", len(writes), err)
	}
	testkit.Must(t, st.Table().Transact(t.Context(), writes...))
	got, err := st.PendingInsight(t.Context(), 10)
	testkit.Must(t, err)
	if len(got) != 1 || got[0].Subject.ID != "t9" || got[0].Kind != pathway.DeliverInsight {
		t.Fatalf("pending %+v", got)
	}
}
