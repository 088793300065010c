package steps

import "testing"

// A Map's iterations enter their states at the same instant; their scopes
// keep their event IDs apart, and a second run of one gives the same ID.
func TestEventIDScopesKeepMapIterationsApart(t *testing.T) {
	inv := Invocation{ExecutionID: "arn:aws:states:eu-west-2:000000000000:execution:tender:tender-x",
		State: "RecordEvaluation", EnteredTime: "2026-11-23T12:00:00.123Z"}
	plain, _ := inv.EventID(0)
	a, _ := inv.EventID(0, "bid-1/user-a")
	b, _ := inv.EventID(0, "bid-2/user-a")
	again, err := inv.EventID(0, "bid-1/user-a")
	if err != nil {
		t.Fatal(err)
	}
	if a == b || a == plain || b == plain {
		t.Errorf("EventID: scopes give %s, %s and no scope %s; want all different", a, b, plain)
	}
	if again != a {
		t.Errorf("EventID again = %s; want %s", again, a)
	}
	if old, _ := inv.eventID(0); old != plain {
		t.Errorf("eventID = %s; want EventID with no scope, %s", old, plain)
	}
}
