package pages

import (
	"slices"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// entry is one line of a co-op's history: one sentence for one thing that
// happened.
type entry struct {
	At       time.Time
	Sentence string
	// To is the stage the co-op moved to, if it moved.
	To string
}

// Events that say again what another event of the same happening says are
// left out of the history the pages show, so each happening reads once:
// a person's answer to a task (task.answered) is followed by the workflow's
// own event of what was decided (panel.accepted, cqc.submitted, …), and
// notification.sent repeats that event as what the recipients were told.
// Both stay in the audit trail the API returns.
var repeats = []string{pathway.ActionTaskAnswered, pathway.ActionNotificationSent}

// entriesOf turns a page of events into the history's sentences.
func entriesOf(events []*pathway.Event) []entry {
	var out []entry
	for _, e := range events {
		if slices.Contains(repeats, e.Action) {
			continue
		}
		out = append(out, entry{At: e.At, Sentence: sentence(e), To: e.To})
	}
	return out
}

// sentence is an event's summary as a sentence, with the panel's notes
// where the summary does not already give them: the founders see what
// the panel wrote to them.
func sentence(e *pathway.Event) string {
	s := strings.TrimSpace(e.Summary)
	if s != "" && !strings.HasSuffix(s, ".") && !strings.HasSuffix(s, "?") && !strings.HasSuffix(s, "!") {
		s += "."
	}
	if notes := strings.TrimSpace(e.Data["notes"]); notes != "" && !strings.Contains(s, notes) {
		s += " The panel's notes: " + notes
	}
	return s
}

// decision is the panel's decision as the co-op's page shows it.
type decision struct {
	Outcome, Notes string
	At             time.Time
}

// panelDecisionOf returns the latest panel decision among the events, or
// nil when the panel has not decided.
func panelDecisionOf(events []*pathway.Event) *decision {
	var d *decision
	for _, e := range events {
		var outcome string
		switch e.Action {
		case pathway.ActionPanelAccepted:
			outcome = "The panel accepted the co-op onto the programme."
		case pathway.ActionPanelDeclined:
			outcome = "The panel declined the application."
		case pathway.ActionPanelDeferred:
			outcome = "The panel deferred its decision to its next meeting."
		default:
			continue
		}
		d = &decision{Outcome: outcome, Notes: strings.TrimSpace(e.Data["notes"]), At: e.At}
	}
	return d
}

// endingOf returns why the co-op's journey ended, from the event that
// ended it: the screening's reasons, the panel's reasons or the summary.
func endingOf(c *pathway.Coop, events []*pathway.Event) []string {
	for i := len(events) - 1; i >= 0; i-- {
		e := events[i]
		if e.To != c.Stage {
			continue
		}
		if r := strings.TrimSpace(e.Data["reasons"]); r != "" {
			return strings.Split(r, "\n")
		}
		if n := strings.TrimSpace(e.Data["notes"]); n != "" {
			return []string{n}
		}
		if n := strings.TrimSpace(e.Data["reason"]); n != "" {
			return []string{n} // a withdrawal's or a closure's (journey ends.go)
		}
		return []string{sentence(e)}
	}
	return nil
}
