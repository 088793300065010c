package steps

import (
	"slices"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// decisionActions are the events that record a decision about a co-op,
// of which its founders are told by email.
var decisionActions = []string{
	pathway.ActionApplicationIneligible,
	pathway.ActionPanelAccepted, pathway.ActionPanelDeclined, pathway.ActionPanelDeferred,
	pathway.ActionCQCRegistered, pathway.ActionCQCProposalToRefuse, pathway.ActionCQCRefused,
}

// withDecisionNotice attaches to a decision's event the founders' email
// about it, which the store writes in the event's transaction: the
// decision and its notice are recorded together or not at all, and a
// step run twice (the event exists) records neither again.
func withDecisionNotice(c *pathway.Coop, e *pathway.Event) *pathway.Event {
	if slices.Contains(decisionActions, e.Action) {
		e.Notices = append(e.Notices, pathway.NewNotice(pathway.CoopSubject(c.ID),
			pathway.DecisionNotice(c, e.Summary), e.Actor, e.At))
	}
	return e
}
