package pathway

import "fmt"

// Step is what happens next for a co-op, as its page shows it: the words
// for the reader, and the checklist item to do next, which the page links.
type Step struct {
	// Text says what happens next.
	Text string `json:"text"`
	// Next is the checklist item to do next, or nil.
	Next *ChecklistItem `json:"next,omitempty"`
	// Ended reports that the co-op's journey has ended (not eligible,
	// declined, withdrawn, refused by CQC).
	Ended bool `json:"ended,omitempty"`
}

// ProgressText is the one count of a checklist that every page shows: how
// many of the required items the agency has verified.
func ProgressText(verified, required int) string {
	return fmt.Sprintf("%d of %d required items verified", verified, required)
}

// NextStepFor says what happens next for the co-op to the reader: founders
// read what they are to do ("Work through your CQC checklist"), agency
// staff read where the co-op stands ("Calder Care is working through its
// CQC checklist").
func NextStepFor(c *Coop, items []*ChecklistItem, tasks []*Task, staff bool) Step {
	if c == nil {
		return Step{}
	}
	ended := StageOf(c.Stage).End() && !Registered(c.Stage)
	if !staff {
		if c.Stage == StageCQCPreparing && c.Failure == "" {
			text, next := checklistStep(items)
			return Step{Text: text, Next: next}
		}
		return Step{Text: NextStep(c, items, tasks), Ended: ended}
	}
	return Step{Text: staffStep(c, items, tasks), Next: staffNext(c, items), Ended: ended}
}

// staffNext is the item waiting longest for the agency to check, if any.
func staffNext(c *Coop, items []*ChecklistItem) *ChecklistItem {
	if c.Stage != StageCQCPreparing {
		return nil
	}
	var next *ChecklistItem
	for _, it := range items {
		if it.Status == ItemDone && (next == nil || it.UpdatedAt.Before(next.UpdatedAt)) {
			next = it
		}
	}
	return next
}

// staffStep says where the co-op stands, to the development agency.
func staffStep(c *Coop, items []*ChecklistItem, tasks []*Task) string {
	n := c.Name
	if c.Failure != "" && !StageOf(c.Stage).End() {
		return "A workflow step failed while moving " + n + " on; the failure is in the history. Put it right, then the workflow carries on."
	}
	switch c.Stage {
	case StageApplied:
		return "We are checking " + n + "'s application against the programme's eligibility rules. This usually takes a few minutes."
	case StageIneligible:
		return n + "'s application did not meet the programme's eligibility rules, so its journey on the programme has ended. The founders have been given the reasons."
	case StageAwaitingPanel:
		t := openTask(tasks, TaskPanelDecision)
		if t == nil {
			return n + "'s application passed screening and is with the programme panel."
		}
		if openTask(tasks, TaskPanelEscalation) != nil {
			return fmt.Sprintf("%s's application is with the programme panel. The decision was due by %s; the agency's lead has been asked to make sure it is taken.", n, FormatDate(t.Due))
		}
		return fmt.Sprintf("%s's application is with the programme panel; a decision is due by %s.", n, FormatDate(t.Due))
	case StageDeclined:
		return "The programme panel declined " + n + "'s application, so its journey on the programme has ended. The founders can see the panel's reasons."
	case StageCQCPreparing:
		return staffChecklistStep(n, items)
	case StageCQCReady:
		if !c.NeedsCQC() {
			return n + "'s checklist is complete. Its services are not regulated activities, so it does not need to register with CQC."
		}
		if t := openTask(tasks, TaskCQCSubmission); t != nil {
			return fmt.Sprintf("%s's checklist is complete and verified. The founders apply to CQC and record the date they submitted, by %s.", n, FormatDate(t.Due))
		}
		return n + "'s checklist is complete and verified. The founders can now apply to CQC."
	case StageCQCSubmitted:
		return "CQC has " + n + "'s application. CQC aims to decide about 10 weeks after it accepts an application as complete. Record CQC's decision when it arrives."
	case StageCQCProposalToRefuse:
		return fmt.Sprintf("CQC has proposed to refuse %s's registration. The co-op can send CQC written representations until %s.",
			n, FormatDate(c.StageEnteredAt.AddDate(0, 0, RepresentationsDays)))
	case StageCQCRegistered:
		if c.ProviderID != "" {
			return fmt.Sprintf("%s is registered with CQC (provider ID %s). Funding and tenders come next.", n, c.ProviderID)
		}
		return n + " is registered with CQC. Funding and tenders come next."
	case StageContracted:
		return n + " has won a council contract and entered into it."
	case StageCQCRefused:
		return "CQC refused " + n + "'s registration, so its journey has ended. The co-op can appeal to the First-tier Tribunal within 28 days of the notice of decision."
	case StageWithdrawn:
		return n + "'s application was withdrawn, so its journey has ended."
	case StageClosed:
		return n + " has closed (it stopped trading or was wound up), so its journey has ended."
	}
	return "No next step is recorded for " + n + "."
}

// staffChecklistStep says how the co-op's CQC checklist stands, to the agency.
func staffChecklistStep(name string, items []*ChecklistItem) string {
	p := ChecklistProgress(items)
	var waiting, returned int
	for _, it := range items {
		switch it.Status {
		case ItemDone:
			waiting++
		case ItemReturned:
			returned++
		}
	}
	switch {
	case p.Required == 0:
		return name + "'s CQC checklist is being prepared."
	case waiting > 0:
		return fmt.Sprintf("%s is working through its CQC checklist: %s; %d %s waiting for you to check.",
			name, ProgressText(p.RequiredVerified, p.Required), waiting, plural(waiting, "item is", "items are"))
	case returned > 0:
		return fmt.Sprintf("%s is working through its CQC checklist: %s; %d %s returned to the founders to put right.",
			name, ProgressText(p.RequiredVerified, p.Required), returned, plural(returned, "item is", "items are"))
	}
	return fmt.Sprintf("%s is working through its CQC checklist: %s.", name, ProgressText(p.RequiredVerified, p.Required))
}

// plural picks the words for n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
