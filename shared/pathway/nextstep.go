package pathway

import (
	"fmt"
	"slices"
)

// RepresentationsDays is how long a provider has to send CQC written
// representations after a notice of proposal to refuse registration.
const RepresentationsDays = 28

// NextStep says in plain English what happens next for a co-op, from its
// stage, its checklist items and its open tasks. It is what the founders and
// the agency see at the top of the co-op's page.
func NextStep(c *Coop, items []*ChecklistItem, tasks []*Task) string {
	if c == nil {
		return ""
	}
	if c.Failure != "" && !StageOf(c.Stage).End() && !Registered(c.Stage) {
		return "Something went wrong while moving your application on. Your development agency has been told and will put it right; you do not need to do anything."
	}
	switch c.Stage {
	case StageApplied:
		return "We are checking your application against the programme's eligibility rules. This usually takes a few minutes."
	case StageIneligible:
		return "Your application did not meet the programme's eligibility rules. The reasons are in your co-op's history; your development agency can talk you through other support."
	case StageAwaitingPanel:
		return panelStep(tasks)
	case StageDeclined:
		return "The programme panel declined your application. The panel's reasons are in your co-op's history; your development agency can talk them through with you."
	case StageCQCPreparing:
		text, next := checklistStep(items)
		if next != nil {
			text += " Next: " + next.Title + "."
		}
		return text
	case StageCQCReady:
		if !c.NeedsCQC() {
			return "Your checklist is complete. Your services are not regulated activities, so the co-op does not need to register with CQC."
		}
		if t := openTask(tasks, TaskCQCSubmission); t != nil {
			return fmt.Sprintf("Your checklist is complete and verified. Apply to CQC on the provider portal (the registered manager applies at the same time), then tell us the date you submitted, by %s.", FormatDate(t.Due))
		}
		return "Your checklist is complete and verified. You can now apply to CQC on the provider portal."
	case StageCQCSubmitted:
		return "CQC has your application. CQC aims to decide about 10 weeks after it accepts an application as complete, and may interview the registered manager and visit. Record CQC's decision here when it arrives."
	case StageCQCProposalToRefuse:
		return fmt.Sprintf("CQC has proposed to refuse registration. You can send CQC written representations until %s; your development agency can help. Record CQC's decision here when it arrives.",
			FormatDate(c.StageEnteredAt.AddDate(0, 0, RepresentationsDays)))
	case StageCQCRegistered:
		if c.ProviderID != "" {
			return fmt.Sprintf("The co-op is registered with CQC (provider ID %s). Funding and tenders come next.", c.ProviderID)
		}
		return "The co-op is registered with CQC. Funding and tenders come next."
	case StageContracted:
		return "The co-op has won a council contract. Congratulations: the contract's details are on the tender's page."
	case StageCQCRefused:
		return "CQC refused registration. You can appeal to the First-tier Tribunal within 28 days of the notice of decision; talk to your development agency first."
	case StageWithdrawn:
		return "This application was withdrawn."
	case StageClosed:
		return "The co-op has closed: it stopped trading or was wound up. Your development agency recorded this."
	}
	return "Your development agency will be in touch about what happens next."
}

// panelStep describes the wait for the programme panel.
func panelStep(tasks []*Task) string {
	t := openTask(tasks, TaskPanelDecision)
	if t == nil {
		return "Your application passed screening and is with the programme panel."
	}
	if openTask(tasks, TaskPanelEscalation) != nil {
		return fmt.Sprintf("Your application is with the programme panel. The decision was due by %s; the agency's lead has been asked to make sure it is taken.", FormatDate(t.Due))
	}
	return fmt.Sprintf("Your application is with the programme panel; a decision is due by %s.", FormatDate(t.Due))
}

// checklistStep describes progress through the CQC checklist: returned items
// first, then the next item to do (returned as next), then items waiting
// for the agency.
func checklistStep(items []*ChecklistItem) (string, *ChecklistItem) {
	items = inTaskListOrder(items)
	var required, verified, waiting int
	var returned, todo []*ChecklistItem
	for _, it := range items {
		if !it.Required {
			continue
		}
		required++
		switch it.Status {
		case ItemVerified:
			verified++
		case ItemDone:
			waiting++
		case ItemReturned:
			returned = append(returned, it)
		default:
			todo = append(todo, it)
		}
	}
	switch {
	case required == 0:
		return "Your development agency is preparing your CQC checklist.", nil
	case len(returned) == 1:
		return fmt.Sprintf("Your agency returned %q with a comment. Look at the comment, put it right and mark it done again.", returned[0].Title), nil
	case len(returned) > 1:
		return fmt.Sprintf("Your agency returned %d items with comments, starting with %q. Look at the comments, put them right and mark them done again.", len(returned), returned[0].Title), nil
	case len(todo) > 0:
		return fmt.Sprintf("Work through your CQC checklist: %s.", ProgressText(verified, required)), todo[0]
	case waiting > 0:
		return fmt.Sprintf("Your agency is checking the %d items you marked done; %s.", waiting, ProgressText(verified, required)), nil
	}
	return "Every required item is verified. Your CQC application is being prepared.", nil
}

// openTask returns the first open task of the kind, or nil.
func openTask(tasks []*Task, kind string) *Task {
	for _, t := range tasks {
		if t.Kind == kind && t.Status == TaskOpen {
			return t
		}
	}
	return nil
}

// inTaskListOrder returns the items in the order of the task list's
// groups (stores list them by ID), so "next" is the next item on the page.
func inTaskListOrder(items []*ChecklistItem) []*ChecklistItem {
	rank := func(it *ChecklistItem) int {
		for i, g := range ChecklistGroups {
			if g.Code == it.Group {
				return i
			}
		}
		return len(ChecklistGroups)
	}
	out := slices.Clone(items)
	slices.SortStableFunc(out, func(a, b *ChecklistItem) int { return rank(a) - rank(b) })
	return out
}
