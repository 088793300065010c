package steps

import (
	"slices"
	"testing"
)

// The events one state entry records keep their order when listed by ID,
// though they share the entry's millisecond, and a second run of the entry
// gives the same IDs.
func TestEventIDsKeepTheStatesOrder(t *testing.T) {
	inv := Invocation{ExecutionID: "arn:aws:states:eu-west-2:000000000000:execution:application:coop-x",
		State: "AwaitPanelDecision", EnteredTime: "2026-11-23T12:00:00.123Z"}
	var ids []string
	for n := range 40 {
		id, err := inv.eventID(n)
		if err != nil {
			t.Fatal(err)
		}
		again, _ := inv.eventID(n)
		if again != id {
			t.Fatalf("event %d: IDs %s and %s for the same entry", n, id, again)
		}
		ids = append(ids, id)
	}
	if !slices.IsSorted(ids) {
		t.Fatalf("IDs of one entry are not in the order recorded: %v", ids)
	}
	if _, err := inv.eventID(256); err == nil {
		t.Fatal("event 256 of an entry was given an ID that would sort before event 0")
	}
}
