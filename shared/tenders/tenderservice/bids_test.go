package tenderservice_test

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// TestBidsAreSealedUntilTheDeadline: before the deadline no council user
// reads a bid (the lead, an evaluator, other staff, another council):
// every read is "not found", and the tender shows only the count.
// Founders see only their co-ops' bids.
func TestBidsAreSealedUntilTheDeadline(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	id := f.published(t)
	a := f.bid(t, "founderA", id, coopA, 50_000_00)
	b := f.bid(t, "founderB", id, coopB, 55_000_00)
	for _, who := range []string{"lead", "eval1", "staff", "other"} {
		u := users[who]
		_, err := f.svc.Bid(ctx, u, a)
		wantCode(t, err, pathway.ENOTFOUND)
		_, err = f.svc.TenderBids(ctx, u, id)
		wantCode(t, err, pathway.ENOTFOUND)
		_, err = f.svc.Summary(ctx, u, a)
		wantCode(t, err, pathway.ENOTFOUND)
		_, err = f.svc.Declare(ctx, u, a, tenders.DeclarationAnswer{})
		wantCode(t, err, pathway.ENOTFOUND)
	}
	v, err := f.svc.Tender(ctx, users["eval1"], id)
	must(t, err)
	if v.Bids != 2 || !v.Sealed {
		t.Errorf("council sees %d bids, sealed %v", v.Bids, v.Sealed)
	}
	_, err = f.svc.Bid(ctx, users["founderA"], b)
	wantCode(t, err, pathway.ENOTFOUND)
	mine, err := f.svc.TenderBids(ctx, users["founderA"], id)
	must(t, err)
	if len(mine) != 1 || mine[0].ID != a || mine[0].Bid == nil {
		t.Errorf("founder A lists %+v", mine)
	}
	// After the deadline the lead reads every bid; other staff the
	// limited view until they declare.
	f.closeTenders(t, id)
	lv, err := f.svc.Bid(ctx, users["lead"], a)
	must(t, err)
	sv, err := f.svc.Bid(ctx, users["eval1"], a)
	must(t, err)
	if lv.Bid == nil || sv.Bid != nil || !sv.Limited || sv.CoopName == "" {
		t.Errorf("lead %+v; evaluator %+v", lv, sv)
	}
}

// TestBadBidNamesTheField: a bid without a response or for an unknown lot
// is refused naming the field; a co-op not registered with CQC cannot bid.
func TestBadBidNamesTheField(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	id := f.published(t)
	in := bidInput(id, coopA, 1)
	in.Lots[0].Lot = "east"
	delete(in.Responses, "local")
	_, err := f.svc.Submit(ctx, users["founderA"], tenderservice.BidID(users["founderA"].ID, ""), in)
	wantCode(t, err, pathway.EINVALID)
	if fs := pathway.ErrorFields(err); fs["lots[0].lot"] == "" || fs["responses.local"] == "" {
		t.Errorf("fields = %v", fs)
	}
	_, err = f.svc.Submit(ctx, users["founderC"], tenderservice.BidID(users["founderC"].ID, ""), bidInput(id, coopC, 1))
	wantCode(t, err, pathway.ECONFLICT)
	if !strings.Contains(pathway.ErrorMessage(err), "CQC") {
		t.Errorf("message = %q", pathway.ErrorMessage(err))
	}
	_, err = f.svc.Submit(ctx, users["founderA"], tenderservice.BidID(users["founderA"].ID, ""), bidInput(id, coopB, 1))
	wantCode(t, err, pathway.EINVALID) // not her co-op
}

// TestConcurrentBidsKeepTheCount: founders of different co-ops bidding at
// once, each sending its bid several times at once (retries), never lose
// the count nor make a duplicate; a co-op's second, different bid is
// refused (one live bid per co-op: it changes the one it has).
func TestConcurrentBidsKeepTheCount(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	id := f.published(t)
	const n = 6
	var wg sync.WaitGroup
	errs := make([]error, 2*n)
	for i := range 2 * n {
		founder, coop := "founderA", coopA
		if i%2 == 1 {
			founder, coop = "founderB", coopB
		}
		key := "key-" + coop // every bid sent n times at once
		wg.Go(func() {
			_, errs[i] = f.svc.Submit(ctx, users[founder], tenderservice.BidID(users[founder].ID, key), bidInput(id, coop, 40_000_00))
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("bid %d: %v", i, err)
		}
	}
	bids, err := f.ts.ListBids(ctx, id)
	must(t, err)
	td, err := f.ts.GetTender(ctx, id)
	must(t, err)
	if len(bids) != 2 || td.Bids != 2 {
		t.Errorf("%d bids stored, count %d, want 2", len(bids), td.Bids)
	}
	_, err = f.svc.Submit(ctx, users["founderA"], tenderservice.BidID(users["founderA"].ID, "another-key"), bidInput(id, coopA, 39_000_00))
	wantCode(t, err, pathway.ECONFLICT)
}

// TestChangeAndWithdrawBeforeTheDeadline: founders change and withdraw
// their bid before the deadline (the count follows), not after.
func TestChangeAndWithdrawBeforeTheDeadline(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	id := f.published(t)
	a := f.bid(t, "founderA", id, coopA, 50_000_00)
	b := f.bid(t, "founderB", id, coopB, 50_000_00)
	in := bidInput(id, coopA, 45_000_00)
	v, err := f.svc.UpdateBid(ctx, users["founderA"], a, in, 0)
	must(t, err)
	if v.Lots[0].Price != 45_000_00 {
		t.Errorf("price = %d", v.Lots[0].Price)
	}
	_, err = f.svc.UpdateBid(ctx, users["founderB"], a, in, 0)
	wantCode(t, err, pathway.ENOTFOUND)
	for range 2 {
		_, err = f.svc.WithdrawBid(ctx, users["founderA"], a, "We cannot staff it.")
		must(t, err)
	}
	td, err := f.ts.GetTender(ctx, id)
	must(t, err)
	if td.Bids != 1 {
		t.Errorf("count = %d after a withdrawal", td.Bids)
	}
	f.clock.set(start.Add(11 * 24 * time.Hour))
	_, err = f.svc.WithdrawBid(ctx, users["founderB"], b, "")
	wantCode(t, err, pathway.ECONFLICT)
	_, err = f.svc.UpdateBid(ctx, users["founderB"], b, bidInput(id, coopB, 1), 0)
	wantCode(t, err, pathway.ECONFLICT)
}
