package pages

// The lead's tender-evaluation-overdue task: an evaluator has not scored a
// bid by its due date. The page says which bid, who and since when, and
// offers the lead the choice the workflow gives: go on without that
// evaluation ({"outcome":"excuse"}), or leave the task open and chase the
// evaluator, who may still score.

import (
	"cmp"
	"context"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// overdueView is what the overdue task's page shows.
type overdueView struct {
	// CoopName is the bidder's name.
	CoopName string
	// Evaluator is the evaluator's name; empty when their task is no
	// longer open.
	Evaluator string
	// Due is when the evaluation was due.
	Due time.Time
}

// overdueOf reads the overdue evaluation of task t, on bid tg.Bid.
func (h *Handler) overdueOf(ctx context.Context, u *pathway.User, t *pathway.Task, tg *tenderservice.Target) (*overdueView, error) {
	od, err := h.tenders.Overdue(ctx, u, t)
	if err != nil {
		return nil, err
	}
	b, err := h.tenders.Bid(ctx, u, tg.Bid.ID)
	if err != nil {
		return nil, err
	}
	v := &overdueView{CoopName: b.CoopName, Due: od.Due}
	if od.Evaluator != "" {
		names, err := h.tenders.StaffNames(ctx, u, tg.Tender.Council)
		if err != nil {
			return nil, err
		}
		v.Evaluator = cmp.Or(names[od.Evaluator], "An evaluator")
	}
	return v, nil
}
