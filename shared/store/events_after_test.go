package store_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestEventsAfter: a reader that keeps its place in a subject's trail gets
// the events after it, oldest first, never the one it names, never another
// subject's, on both engines.
func TestEventsAfter(t *testing.T) {
	for name, mk := range map[string]func(testing.TB) *store.Store{"embedded": testkit.Store, "dynamo": testkit.DynamoStore} {
		t.Run(name, func(t *testing.T) {
			st := mk(t)
			ctx := context.Background()
			at := time.Date(2027, 3, 1, 9, 0, 0, 0, time.UTC)
			var ids []string
			for i := range 5 {
				id := fmt.Sprintf("01J0000000000000000000000%d", i)
				ids = append(ids, id)
				e := &pathway.Event{ID: id, Coop: "coop-1", At: at.Add(time.Duration(i) * time.Hour), Actor: pathway.ActorSystem,
					Action: "test.moved", Summary: "Moved", To: pathway.StageApplied}
				if err := st.AppendEvent(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			other := &pathway.Event{ID: "01J00000000000000000000009", Coop: "coop-2", At: at, Actor: pathway.ActorSystem, Action: "test.moved", Summary: "Moved"}
			if err := st.AppendEvent(ctx, other); err != nil {
				t.Fatal(err)
			}
			for _, tc := range []struct {
				after string
				limit int
				want  []string
			}{
				{"", 10, ids},
				{ids[1], 10, ids[2:]},
				{ids[1], 2, ids[2:4]},
				{ids[4], 10, nil},
			} {
				got, err := st.EventsAfter(ctx, pathway.CoopSubject("coop-1"), tc.after, tc.limit)
				if err != nil {
					t.Fatal(err)
				}
				var gotIDs []string
				for _, e := range got {
					gotIDs = append(gotIDs, e.ID)
				}
				if fmt.Sprint(gotIDs) != fmt.Sprint(tc.want) {
					t.Errorf("after %q limit %d: %v, want %v", tc.after, tc.limit, gotIDs, tc.want)
				}
			}
		})
	}
}
