package tenderservice

import (
	"context"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// ActionCancelled is the event of a council ending a procurement.
const ActionCancelled = "tender.cancelled"

// CancelAnswer is the answer the service gives every task the tender's
// workflow still waits on once the tender is cancelled: the step after
// each wait reads the tender, finds it cancelled and raises
// Pathway.Cancelled, which ends the workflow through CloseCancelled.
type CancelAnswer struct {
	Cancelled bool `json:"cancelled"`
}

// cancelTries is how often Cancel reads the tender again when the
// workflow changed it in between (it moves the status as it runs).
const cancelTries = 3

// Cancel ends the procurement of the lead's tender id, in any status
// before contracting (a draft too): the status becomes cancelled, the
// reason is kept, the procurement termination notice (UK12, Procurement
// Act 2023 s.55) is published today when the tender notice was, and the
// founders of every co-op with a bid in are emailed why, all with the
// event in one transaction. Then every task of the tender and its bids
// the workflow waits on is answered as cancelled, each through the
// outbox in its own transaction, so the workflow ends promptly. A retry
// changes nothing on the tender and answers whatever tasks a crash left
// open (the workflow's CloseCancelled step closes any left too).
func (s *Service) Cancel(ctx context.Context, u *pathway.User, id, reason string) (*TenderView, error) {
	if _, err := s.outboxOf(); err != nil {
		return nil, err
	}
	var t *tenders.Tender
	for try := 1; ; try++ {
		var err error
		if t, err = s.visibleTender(ctx, u, id); err != nil {
			return nil, err
		}
		if err := mustLead(u, "cancel tenders"); err != nil {
			return nil, err
		}
		if t.Status == tenders.StatusCancelled && t.Cancellation != nil {
			break // a retry: the tender stands cancelled; finish the tasks below
		}
		from := t.Status
		err = s.cancelOnce(ctx, u, t, reason)
		if err == nil {
			break
		}
		// A stale write is worth reading again; a status that cannot be
		// cancelled is not.
		if pathway.ErrorCode(err) != pathway.ECONFLICT || try == cancelTries || !tenders.CanMove(from, tenders.StatusCancelled) {
			return nil, err
		}
	}
	if err := s.endTasks(ctx, u, t); err != nil {
		return nil, err
	}
	return &TenderView{Tender: t, Sealed: Sealed(t, s.now())}, nil
}

// cancelOnce cancels t as read and stores it with its event and the
// bidders' notices; someone else's change since is ECONFLICT.
func (s *Service) cancelOnce(ctx context.Context, u *pathway.User, t *tenders.Tender, reason string) error {
	from, now := t.Status, s.now()
	if err := tenders.Cancel(t, reason, u.ID, now, tenders.Today(now)); err != nil {
		return err
	}
	what := "published the procurement termination notice (UK12)"
	if from == tenders.StatusDraft {
		what = "never published it, so no notice was needed"
	}
	e := s.tenderEvent(t, u, ActionCancelled, summary(u, "cancelled the tender and %s. Reason: %s", what, t.Cancellation.Reason),
		map[string]string{"reason": pathway.Clip(t.Cancellation.Reason, 200)})
	e.From, e.To = from, tenders.StatusCancelled
	if from != tenders.StatusDraft {
		if err := s.tellBidders(ctx, t, e); err != nil {
			return err
		}
	}
	return s.tenders.UpdateTender(ctx, t, e)
}

// tellBidders adds to e an email to the founders of each co-op with a
// bid in (not withdrawn) saying the tender was cancelled and why.
func (s *Service) tellBidders(ctx context.Context, t *tenders.Tender, e *pathway.Event) error {
	bids, err := s.tenders.ListBids(ctx, t.ID)
	if err != nil {
		return err
	}
	told := map[string]bool{}
	for _, b := range bids {
		if b.Status == tenders.BidWithdrawn || told[b.Coop] {
			continue
		}
		told[b.Coop] = true
		c, err := s.coop(ctx, b.Coop)
		if err != nil {
			return err
		}
		if c == nil {
			continue
		}
		n := pathway.DecisionNotice(c, "The council cancelled the tender "+t.Title+
			", so no contract will be awarded from it and your bid will not be taken further. The council's reason: "+t.Cancellation.Reason)
		n.Title = pathway.Clip(t.Title, 300)
		n.Path = tenderPath(t.ID)
		e.Notices = append(e.Notices, pathway.NewNotice(tenders.BidSubject(b.ID), n, e.Actor, e.At))
	}
	return nil
}

// tenderPath is the tender's page, which founders and staff share.
func tenderPath(id string) string { return "/tenders/" + id }

// endTasks answers as cancelled every open task of the tender and its
// bids the workflow waits on (a task with a token), one transaction each
// through the outbox. A task answered meanwhile is skipped.
func (s *Service) endTasks(ctx context.Context, u *pathway.User, t *tenders.Tender) error {
	subjects := []pathway.Subject{tenders.Subject(t.ID)}
	bids, err := s.tenders.ListBids(ctx, t.ID)
	if err != nil {
		return err
	}
	for _, b := range bids {
		subjects = append(subjects, tenders.BidSubject(b.ID))
	}
	for _, subj := range subjects {
		tasks, err := s.store.ListTasks(ctx, pathway.TaskFilter{Subject: subj})
		if err != nil {
			return err
		}
		for _, tk := range tasks {
			if tk.Status != pathway.TaskOpen || tk.Token == "" || !strings.HasPrefix(tk.ID, t.ID+".") {
				continue
			}
			_, err := s.complete(ctx, u, tk, CancelAnswer{Cancelled: true}, "the council cancelled the tender")
			if err != nil && pathway.ErrorCode(err) != pathway.ECONFLICT {
				return err
			}
		}
	}
	return nil
}
