package pathway_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestNextStep(t *testing.T) {
	due := time.Date(2027, 3, 14, 17, 0, 0, 0, time.UTC)
	panel := &pathway.Task{Kind: pathway.TaskPanelDecision, Status: pathway.TaskOpen, Due: due}
	escalation := &pathway.Task{Kind: pathway.TaskPanelEscalation, Status: pathway.TaskOpen, Due: due}
	submission := &pathway.Task{Kind: pathway.TaskCQCSubmission, Status: pathway.TaskOpen, Due: due}
	item := func(id, status string, required bool) *pathway.ChecklistItem {
		return &pathway.ChecklistItem{ID: id, Title: "Item " + id, Status: status, Required: required}
	}
	tests := []struct {
		name  string
		coop  func(c *pathway.Coop)
		items []*pathway.ChecklistItem
		tasks []*pathway.Task
		want  string
	}{
		{"applied", nil, nil, nil, "checking your application"},
		{"awaiting panel with due date", func(c *pathway.Coop) { c.Stage = pathway.StageAwaitingPanel }, nil,
			[]*pathway.Task{panel}, "a decision is due by 14 March 2027."},
		{"awaiting panel, overdue and escalated", func(c *pathway.Coop) { c.Stage = pathway.StageAwaitingPanel }, nil,
			[]*pathway.Task{escalation, panel}, "was due by 14 March 2027; the agency's lead"},
		{"due date in UK summer time", func(c *pathway.Coop) { c.Stage = pathway.StageAwaitingPanel }, nil,
			[]*pathway.Task{{Kind: pathway.TaskPanelDecision, Status: pathway.TaskOpen, Due: time.Date(2027, 6, 30, 23, 30, 0, 0, time.UTC)}},
			"due by 1 July 2027."},
		{"returned item comes first", func(c *pathway.Coop) { c.Stage = pathway.StageCQCPreparing },
			[]*pathway.ChecklistItem{item("A", pathway.ItemNotStarted, true), item("B", pathway.ItemReturned, true)}, nil,
			`returned "Item B" with a comment`},
		{"next item to do, counting only required items", func(c *pathway.Coop) { c.Stage = pathway.StageCQCPreparing },
			[]*pathway.ChecklistItem{item("A", pathway.ItemVerified, true), item("B", pathway.ItemNotStarted, true), item("C", pathway.ItemNotStarted, false)}, nil,
			"1 of 2 required items verified. Next: Item B."},
		// An optional item early in the list does not end the count: the
		// required items after it count too.
		{"optional items anywhere are left out of the count", func(c *pathway.Coop) { c.Stage = pathway.StageCQCPreparing },
			[]*pathway.ChecklistItem{item("O", pathway.ItemNotStarted, false), item("A", pathway.ItemVerified, true),
				item("B", pathway.ItemNotStarted, true), item("P", pathway.ItemDone, false), item("C", pathway.ItemVerified, true)}, nil,
			"2 of 3 required items verified. Next: Item B."},
		{"waiting for the agency", func(c *pathway.Coop) { c.Stage = pathway.StageCQCPreparing },
			[]*pathway.ChecklistItem{item("A", pathway.ItemVerified, true), item("B", pathway.ItemDone, true)}, nil,
			"checking the 1 items you marked done; 1 of 2"},
		{"ready, submission due", func(c *pathway.Coop) { c.Stage = pathway.StageCQCReady }, nil,
			[]*pathway.Task{submission}, "the date you submitted, by 14 March 2027."},
		{"ready without regulated activities", func(c *pathway.Coop) { c.Stage, c.RegulatedActivities = pathway.StageCQCReady, nil }, nil, nil,
			"does not need to register with CQC"},
		{"proposal to refuse: representations deadline", func(c *pathway.Coop) {
			c.Stage, c.StageEnteredAt = pathway.StageCQCProposalToRefuse, time.Date(2027, 9, 1, 10, 0, 0, 0, time.UTC)
		}, nil, nil, "written representations until 29 September 2027"},
		{"registered with provider ID", func(c *pathway.Coop) { c.Stage, c.ProviderID = pathway.StageCQCRegistered, "1-123456789" }, nil, nil,
			"provider ID 1-123456789"},
		{"refused", func(c *pathway.Coop) { c.Stage = pathway.StageCQCRefused }, nil, nil, "First-tier Tribunal"},
		{"failure while in progress", func(c *pathway.Coop) { c.Stage, c.Failure = pathway.StageAwaitingPanel, "boom" }, nil,
			[]*pathway.Task{panel}, "Something went wrong"},
		{"failure no longer matters once registered", func(c *pathway.Coop) { c.Stage, c.Failure = pathway.StageCQCRegistered, "boom" }, nil, nil,
			"registered with CQC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := eligibleCoop()
			if tt.coop != nil {
				tt.coop(c)
			}
			if got := pathway.NextStep(c, tt.items, tt.tasks); !strings.Contains(got, tt.want) {
				t.Errorf("NextStep() = %q, want it to contain %q", got, tt.want)
			}
		})
	}
	for _, stage := range pathway.Stages {
		c := eligibleCoop()
		c.Stage = stage
		if got := pathway.NextStep(c, nil, nil); got == "" || strings.Contains(got, "will be in touch") {
			t.Errorf("stage %s has no next step of its own: %q", stage, got)
		}
	}
}
