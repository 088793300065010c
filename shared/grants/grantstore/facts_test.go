package grantstore_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// wantFacts fails t unless the co-op's facts are want.
func wantFacts(t *testing.T, s *grantstore.Store, coop, when string, want grants.Facts) {
	t.Helper()
	got, err := s.CoopFacts(ctx, coop)
	must(t, err)
	if got != want {
		t.Fatalf("%s: facts of %s = %+v, want %+v", when, coop, got, want)
	}
}

// testCoopFacts: each change that moves a co-op's grant figures moves its
// facts with it, once, retries and refusals included.
func testCoopFacts(t *testing.T, _ table.Table, s *grantstore.Store) {
	const coop = "coop-facts"
	wantFacts(t, s, coop, "before any", grants.Facts{})
	must(t, s.PutProgramme(ctx, programme("prog", "org-example-fund"), base))

	// Sent: a new application counts, its retry does not, nor does a draft
	// until it is sent, nor a corrected application sent again.
	a := application("app-1", "prog", coop, base)
	must(t, s.CreateApplication(ctx, a, nil))
	retry := application("app-1", "prog", coop, base)
	must(t, s.CreateApplication(ctx, retry, nil))
	d := application("app-2", "prog", coop, base)
	d.Status, d.Attempt, d.SubmittedAt = grants.StatusDraft, 0, time.Time{}
	must(t, s.CreateApplication(ctx, d, nil))
	wantFacts(t, s, coop, "one sent, one draft", grants.Facts{Applications: 1})
	must(t, grants.Move(d, grants.StatusSubmitted, at(1)))
	must(t, s.UpdateApplication(ctx, d, nil))
	wantFacts(t, s, coop, "draft sent", grants.Facts{Applications: 2})
	must(t, grants.Move(d, grants.StatusIneligible, at(2)))
	must(t, s.UpdateApplication(ctx, d, nil))
	must(t, grants.Move(d, grants.StatusSubmitted, at(3)))
	must(t, s.UpdateApplication(ctx, d, nil))
	wantFacts(t, s, coop, "sent again", grants.Facts{Applications: 2})

	// Awarded, and a retried award counts once.
	must(t, grants.Move(a, grants.StatusInReview, at(4)))
	must(t, s.UpdateApplication(ctx, a, nil))
	must(t, grants.Move(a, grants.StatusAwaitingDecision, at(4)))
	must(t, s.UpdateApplication(ctx, a, nil))
	again := *a
	award(t, a, 600_000)
	must(t, s.Award(ctx, a, nil))
	award(t, &again, 600_000)
	must(t, s.Award(ctx, &again, nil))
	wantFacts(t, s, coop, "awarded", grants.Facts{Applications: 2, Awards: 1, Awarded: 600_000})

	// An award refused (a stale read) moves nothing.
	b := application("app-3", "prog", coop, base)
	b.Status = grants.StatusAwaitingDecision
	must(t, s.CreateApplication(ctx, b, nil))
	stale := *b
	b.Title = "Changed"
	must(t, s.UpdateApplication(ctx, b, nil))
	award(t, &stale, 100_000)
	wantCode(t, s.Award(ctx, &stale, nil), pathway.ECONFLICT)
	wantFacts(t, s, coop, "stale award", grants.Facts{Applications: 3, Awards: 1, Awarded: 600_000})

	// Awarded then declined: the award is released, once.
	award(t, b, 250_000)
	must(t, s.Award(ctx, b, nil))
	must(t, grants.Move(b, grants.StatusDeclined, at(6)))
	retryDecline := *b
	must(t, s.Decline(ctx, b, nil))
	must(t, s.Decline(ctx, &retryDecline, nil))
	wantFacts(t, s, coop, "declined", grants.Facts{Applications: 3, Awards: 1, Awarded: 600_000})

	// Paid, and a retried payment counts once.
	must(t, grants.Move(a, grants.StatusActive, at(7)))
	grants.Release(a, grants.TriggerAgreement, "2027-06-01")
	must(t, s.UpdateApplication(ctx, a, nil))
	before := *a
	before.Award = &grants.Award{Amount: 600_000, Tranches: []grants.Tranche{{ID: "t1", Amount: 600_000, Trigger: "agreement", Status: "due"}}}
	must(t, grants.Pay(a, "t1", &grants.PaymentAnswer{PaidOn: "2027-06-03", Reference: "BACS-1"}))
	must(t, s.Pay(ctx, a, "t1", nil))
	must(t, grants.Pay(&before, "t1", &grants.PaymentAnswer{PaidOn: "2027-06-03", Reference: "BACS-1"}))
	must(t, s.Pay(ctx, &before, "t1", nil))
	wantFacts(t, s, coop, "paid", grants.Facts{Applications: 3, Awards: 1, Awarded: 600_000, Paid: 600_000})

	// Another co-op's facts are its own; a co-op ID no store could hold
	// has none.
	wantFacts(t, s, "coop-other", "other co-op", grants.Facts{})
	wantFacts(t, s, "bad#id", "bad id", grants.Facts{})
}

// testCoopFactsConcurrent: concurrent sends and awards for one co-op
// never lose a count (the counters are added to, never read and written).
func testCoopFactsConcurrent(t *testing.T, _ table.Table, s *grantstore.Store) {
	const coop, n = "coop-busy", 8
	must(t, s.PutProgramme(ctx, programme("prog", "org-example-fund"), base))
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			a := application(fmt.Sprintf("app-%d", i), "prog", coop, base)
			a.Status = grants.StatusAwaitingDecision
			if err := s.CreateApplication(ctx, a, nil); err != nil {
				t.Error(err)
				return
			}
			if err := grants.Move(a, grants.StatusAwarded, at(5)); err != nil {
				t.Error(err)
				return
			}
			a.Award = &grants.Award{Amount: 100_000, DecidedBy: "lead-1", DecidedAt: at(5),
				Tranches: []grants.Tranche{{ID: "t1", Amount: 100_000, Trigger: grants.TriggerAgreement, Status: grants.TrancheOpen}}}
			if err := s.Award(ctx, a, nil); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	wantFacts(t, s, coop, "concurrent", grants.Facts{Applications: n, Awards: n, Awarded: n * 100_000})
}
