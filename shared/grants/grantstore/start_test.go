package grantstore_test

import (
	"encoding/json"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/oklog/ulid/v2"
)

// testCreateApplicationStart: the workflow's start is stored with the
// application, where shared/store's outbox finds it; a retried create
// stores no second start; a failed create stores none.
func testCreateApplicationStart(t *testing.T, tb table.Table, s *grantstore.Store) {
	st := store.New(tb)
	start := func() *pathway.Delivery {
		return &pathway.Delivery{ID: ulid.Make().String(), Kind: pathway.DeliverStart, Subject: grants.Subject("app-s"),
			StateMachine: pathway.WorkflowGrant, Name: "grant-app-s", Payload: json.RawMessage(`{"application":"app-s"}`), By: "user-founder", CreatedAt: base}
	}
	a := application("app-s", "prog-1", "coop-1", at(1))
	must(t, s.CreateApplicationStart(ctx, a, event("app-s", grants.ActionSubmitted), start()))
	pending, err := st.PendingDeliveries(ctx, 10)
	must(t, err)
	if len(pending) != 1 || pending[0].StateMachine != pathway.WorkflowGrant || pending[0].Name != "grant-app-s" || pending[0].Version != 1 {
		t.Fatalf("pending = %+v", pending)
	}
	// The outbox can finish it, as it does every delivery.
	must(t, st.FinishDelivery(ctx, pending[0], nil))
	retry := application("app-s", "prog-1", "coop-1", at(2))
	must(t, s.CreateApplicationStart(ctx, retry, event("app-s", grants.ActionSubmitted), start()))
	if pending, _ = st.PendingDeliveries(ctx, 10); len(pending) != 0 {
		t.Errorf("a retried create stored another start: %+v", pending)
	}
	// A create that fails (the ID is another co-op's) stores no start.
	other := application("app-s", "prog-1", "coop-2", at(3))
	if err := s.CreateApplicationStart(ctx, other, nil, start()); pathway.ErrorCode(err) != pathway.ECONFLICT {
		t.Fatalf("err = %v, want conflict", err)
	}
	if pending, _ = st.PendingDeliveries(ctx, 10); len(pending) != 0 {
		t.Errorf("a failed create stored a start: %+v", pending)
	}
}
