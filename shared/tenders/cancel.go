package tenders

import (
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Cancellation records why and when the council ended the procurement.
type Cancellation struct {
	// Reason is the council's reason, shown to the bidders.
	Reason string    `json:"reason" validate:"required,max=5000,safelongtext"`
	By     string    `json:"by,omitempty" validate:"max=128"`
	At     time.Time `json:"at"`
}

// MaxCancelReason is the longest reason for a cancellation, in characters.
const MaxCancelReason = 5000

// Cancel ends the procurement of t at at for the lead by, with the
// reason: the status becomes cancelled through Move (so only a tender
// before contracting may be cancelled) and the reason is kept. A tender
// whose tender notice (UK4) was published gets the procurement
// termination notice (UK12) published on today (YYYY-MM-DD): a
// contracting authority that decides not to award a contract after a
// tender notice must publish one (Procurement Act 2023 s.55). A draft was
// never published, so it needs none. A missing or over-long reason is
// EINVALID naming the field "reason"; a tender past the point of
// cancelling ECONFLICT. Either way t is unchanged.
func Cancel(t *Tender, reason, by string, at time.Time, today string) error {
	reason = strings.TrimSpace(pathway.NormaliseNewlines(reason))
	switch {
	case reason == "":
		return pathway.Invalid(map[string]string{"reason": "Enter the reason for cancelling the tender"})
	case len([]rune(reason)) > MaxCancelReason:
		return pathway.Invalid(map[string]string{"reason": "Must be at most 5000 characters"})
	}
	published := t.Status != StatusDraft
	if err := Move(t, StatusCancelled, at); err != nil {
		return err
	}
	t.Cancellation = &Cancellation{Reason: reason, By: by, At: at}
	if _, ok := t.NoticeOf(NoticeTermination); published && !ok {
		t.Notices = append(t.Notices, Notice{Type: NoticeTermination, PublishedOn: today})
	}
	return nil
}
