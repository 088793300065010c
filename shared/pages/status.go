package pages

import (
	"fmt"
	"net/url"
	"slices"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// status is a task-list status: the words always say it; the class only
// colours the tag.
type status struct {
	Text, Class string
}

// The statuses of the task list (GOV.UK task list pattern), plus the ends a
// journey can reach.
var (
	statusCannotStart = status{"Cannot start yet", "grey"}
	statusNotStarted  = status{"Not started", "blue"}
	statusInProgress  = status{"In progress", "light-blue"}
	statusWaiting     = status{"Waiting for the agency", "yellow"}
	statusCompleted   = status{"Completed", "green"}
	statusDeclined    = status{"Declined", "red"}
	statusIneligible  = status{"Not eligible", "red"}
	statusRefused     = status{"Refused", "red"}
	statusNotNeeded   = status{"Not needed", "grey"}
	statusEnded       = status{"Journey ended", "grey"}
)

// endedHint is the hint of a step a closed co-op will not reach.
const endedHint = "The co-op's journey ended before this step"

// ended reports whether the co-op's journey has ended short of
// registration (not eligible, declined, withdrawn, refused): its later
// steps are closed, never "Cannot start yet".
func ended(c *pathway.Coop) bool {
	return pathway.StageOf(c.Stage).End() && !pathway.Registered(c.Stage)
}

// itemStatus says a checklist item's status.
func itemStatus(s string) status {
	switch s {
	case pathway.ItemDone:
		return statusWaiting
	case pathway.ItemVerified:
		return status{"Verified", "green"}
	case pathway.ItemReturned:
		return status{"Returned: action needed", "red"}
	}
	return statusNotStarted
}

// taskRow is one row of the task list.
type taskRow struct {
	// Name says the task; Href, when set, is where it is done or seen.
	Name, Href string
	// Hint adds a progress count or a due date.
	Hint   string
	Status status
}

// taskSection is a numbered section of the task list.
type taskSection struct {
	Heading string
	Rows    []taskRow
}

// past reports whether the co-op has got beyond the stage along the main
// journey (the stage table's steps).
func past(c *pathway.Coop, stage string) bool {
	return pathway.StageOf(c.Stage).Step > pathway.StageOf(stage).Step
}

// taskList builds the co-op's task list for the user the view was made for: the application, the panel,
// each checklist group, the CQC submission and CQC's decision. Staff read
// the founders' steps named as the founders' ("The founders' application").
func taskList(v *journey.CoopView, items []*pathway.ChecklistItem, staff bool) []taskSection {
	c := v.Coop
	base := coopPath(c.ID)
	app, submit := "Your application", submissionRow(v)
	if staff {
		app, submit.Name = "The founders' application", "The founders apply to CQC and record the date"
	}
	return []taskSection{
		{Heading: "Apply to the programme", Rows: []taskRow{
			{Name: app, Href: base + "/application", Status: statusCompleted,
				Hint: "Sent on " + pathway.FormatDate(c.CreatedAt)},
			panelRow(v),
		}},
		{Heading: "Get ready for CQC registration", Rows: groupRows(c, items, base)},
		{Heading: "Register with CQC", Rows: []taskRow{submit, decisionRow(v)}},
	}
}

// openTaskOf returns the co-op's first open task of one of the kinds.
func openTaskOf(v *journey.CoopView, kinds ...string) *journey.TaskView {
	for i, t := range v.OpenTasks {
		if slices.Contains(kinds, t.Kind) {
			return &v.OpenTasks[i]
		}
	}
	return nil
}

// myTask returns the open task of the kinds that u can answer, if any.
func myTask(v *journey.CoopView, kinds ...string) *journey.TaskView {
	for i, t := range v.OpenTasks {
		if slices.Contains(kinds, t.Kind) && t.CanAct {
			return &v.OpenTasks[i]
		}
	}
	return nil
}

// taskHref is the page answering a task.
func taskHref(t *journey.TaskView) string { return "/tasks/" + url.PathEscape(t.ID) }

// dueHint says when a task is due, and whether that has passed.
func dueHint(t *journey.TaskView) string {
	if t == nil || t.Due.IsZero() {
		return ""
	}
	if t.Overdue {
		return "Overdue: was due by " + pathway.FormatDate(t.Due)
	}
	return "Due by " + pathway.FormatDate(t.Due)
}

// panelRow is the programme panel's row.
func panelRow(v *journey.CoopView) taskRow {
	c := v.Coop
	row := taskRow{Name: "Programme panel decision"}
	switch {
	case c.Stage == pathway.StageApplied:
		row.Status, row.Hint = statusCannotStart, "The application is being checked against the programme's eligibility rules"
	case c.Stage == pathway.StageIneligible:
		row.Status, row.Href = statusIneligible, coopPath(c.ID)+"/history"
	case c.Stage == pathway.StageDeclined:
		row.Status, row.Href = statusDeclined, coopPath(c.ID)+"/history"
	case c.Stage == pathway.StageAwaitingPanel:
		row.Status = statusWaiting
		t := openTaskOf(v, pathway.TaskPanelDecision, pathway.TaskPanelEscalation)
		row.Hint = dueHint(t)
		if mine := myTask(v, pathway.TaskPanelDecision, pathway.TaskPanelEscalation); mine != nil {
			row.Href, row.Status = taskHref(mine), statusNotStarted
		}
	case c.Stage == pathway.StageWithdrawn:
		row.Status, row.Hint = statusEnded, "The application was withdrawn"
	default:
		row.Status = statusCompleted
	}
	return row
}

// groupRows are the checklist groups' rows, each with its progress.
func groupRows(c *pathway.Coop, items []*pathway.ChecklistItem, base string) []taskRow {
	var rows []taskRow
	for _, group := range pathway.ChecklistGroups {
		g := group.Code
		var in []*pathway.ChecklistItem
		for _, it := range items {
			if it.Group == g {
				in = append(in, it)
			}
		}
		if len(in) == 0 {
			if len(items) == 0 && g != pathway.GroupSubmission {
				row := taskRow{Name: groupName(g), Status: statusCannotStart, Hint: "Opens when the panel accepts the application"}
				if ended(c) {
					row.Status, row.Hint = statusEnded, endedHint
				}
				rows = append(rows, row)
			}
			continue
		}
		st, hint := groupStatus(in)
		rows = append(rows, taskRow{Name: groupName(g), Href: base + "/checklist/" + url.PathEscape(g), Status: st, Hint: hint})
	}
	return rows
}

// groupStatus is a checklist group's status and progress count.
func groupStatus(items []*pathway.ChecklistItem) (status, string) {
	var done, verified, returned int
	p := pathway.ChecklistProgress(items)
	for _, it := range items {
		switch it.Status {
		case pathway.ItemDone:
			done++
		case pathway.ItemVerified:
			verified++
		case pathway.ItemReturned:
			returned++
		}
	}
	n := len(items)
	hint := pathway.ProgressText(p.RequiredVerified, p.Required)
	if p.Required == 0 {
		hint = fmt.Sprintf("%d of %d optional items verified", verified, n)
	}
	if done > 0 {
		hint += fmt.Sprintf(", %d waiting for the agency", done)
	}
	if returned > 0 {
		hint += fmt.Sprintf(", %d returned with a comment", returned)
	}
	switch {
	case verified == n:
		return statusCompleted, hint
	case done+verified == n:
		return statusWaiting, hint
	case done+verified+returned == 0:
		return statusNotStarted, hint
	}
	return statusInProgress, hint
}

// submissionRow is the CQC submission's row.
func submissionRow(v *journey.CoopView) taskRow {
	c := v.Coop
	row := taskRow{Name: "Apply to CQC and tell us the date"}
	switch {
	case c.Stage == pathway.StageCQCReady && !c.NeedsCQC():
		row.Status, row.Hint = statusNotNeeded, "The co-op's services are not regulated activities"
	case c.Stage == pathway.StageCQCReady:
		row.Status = statusNotStarted
		if t := openTaskOf(v, pathway.TaskCQCSubmission); t != nil {
			row.Hint = dueHint(t)
			if t.CanAct {
				row.Href = taskHref(t)
			}
		}
	case past(c, pathway.StageCQCReady) && c.Stage != pathway.StageWithdrawn:
		row.Status = statusCompleted
	case ended(c):
		row.Status, row.Hint = statusEnded, endedHint
	default:
		row.Status, row.Hint = statusCannotStart, "Opens when every required checklist item is verified"
	}
	return row
}

// decisionRow is CQC's decision's row.
func decisionRow(v *journey.CoopView) taskRow {
	c := v.Coop
	row := taskRow{Name: "Record CQC's decision"}
	switch c.Stage {
	case pathway.StageCQCSubmitted, pathway.StageCQCProposalToRefuse:
		row.Status = statusNotStarted
		if c.Stage == pathway.StageCQCProposalToRefuse {
			row.Status, row.Hint = statusInProgress, "CQC has proposed to refuse registration"
		}
		if t := myTask(v, pathway.TaskCQCDecision, pathway.TaskCQCEscalation); t != nil {
			row.Href = taskHref(t)
			if row.Hint == "" {
				row.Hint = "Record it when CQC's notice arrives"
			}
		}
	case pathway.StageCQCRegistered, pathway.StageContracted:
		row.Status = statusCompleted
		if c.ProviderID != "" {
			row.Hint = "CQC provider ID " + c.ProviderID
		}
	case pathway.StageCQCRefused:
		row.Status = statusRefused
	case pathway.StageIneligible, pathway.StageDeclined, pathway.StageWithdrawn:
		row.Status, row.Hint = statusEnded, endedHint
	default:
		row.Status, row.Hint = statusCannotStart, "Opens when the co-op has applied to CQC"
	}
	return row
}

// completedCount counts the task list's completed rows.
func completedCount(sections []taskSection) (done, total int) {
	for _, s := range sections {
		for _, r := range s.Rows {
			total++
			if r.Status == statusCompleted || r.Status == statusNotNeeded {
				done++
			}
		}
	}
	return done, total
}
