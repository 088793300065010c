package steps

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// EscalationDays is how long the agency's lead has to act on an escalation.
const EscalationDays = 7

// ApplicationOutput is what the application workflow needs from the
// programme for the rest of the execution.
type ApplicationOutput struct {
	// CoopID is the co-op.
	CoopID string `json:"coopId"`
	// Programme is the programme's ID.
	Programme string `json:"programme"`
	// Agency is the ID of the agency that runs the programme.
	Agency string `json:"agency"`
	// PanelSeconds is how long the panel has to decide: the programme's
	// panel days in seconds, for the wait's TimeoutSecondsPath.
	PanelSeconds int64 `json:"panelSeconds"`
}

// ValidateApplication checks that the co-op, its programme and the
// programme's agency exist and are well formed, and that the co-op is at the
// start of its journey. It changes nothing.
func (s *Steps) ValidateApplication(ctx context.Context, in CoopInput) (*ApplicationOutput, error) {
	return result(s.validateApplication(ctx, in))
}

func (s *Steps) validateApplication(ctx context.Context, in CoopInput) (*ApplicationOutput, error) {
	if err := in.check(); err != nil {
		return nil, err
	}
	c, err := s.loadCoop(ctx, in.CoopID)
	if err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if err := requireStage(c, "start the application workflow", towards(pathway.StageAwaitingPanel)); err != nil {
		return nil, err
	}
	p, err := s.loadProgramme(ctx, c)
	if err != nil {
		return nil, err
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	if _, err := s.store.GetOrganisation(ctx, p.Agency); pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, pathway.Errorf(pathway.EINVALID, "The agency %q that runs the programme does not exist.", p.Agency)
	} else if err != nil {
		return nil, err
	}
	return &ApplicationOutput{
		CoopID: c.ID, Programme: p.ID, Agency: p.Agency,
		PanelSeconds: Seconds(Days(p.PanelDays)),
	}, nil
}

// ScreenOutput is the result of screening.
type ScreenOutput struct {
	// Eligible reports whether the application meets every rule.
	Eligible bool `json:"eligible"`
	// Reasons say, in plain English, each rule it does not meet.
	Reasons []string `json:"reasons"`
}

// ScreenEligibility screens the application against the programme's
// eligibility settings (pathway.Screen) and records the result as an event.
func (s *Steps) ScreenEligibility(ctx context.Context, in CoopInput) (*ScreenOutput, error) {
	return result(s.screenEligibility(ctx, in))
}

func (s *Steps) screenEligibility(ctx context.Context, in CoopInput) (*ScreenOutput, error) {
	c, err := s.loadCoop(ctx, in.CoopID)
	if err != nil {
		return nil, err
	}
	p, err := s.loadProgramme(ctx, c)
	if err != nil {
		return nil, err
	}
	reasons := pathway.Screen(c, p)
	summary := fmt.Sprintf("Screened against the eligibility rules of %s: eligible.", p.Name)
	if len(reasons) > 0 {
		summary = fmt.Sprintf("Screened against the eligibility rules of %s: not eligible (%d reasons).", p.Name, len(reasons))
	}
	if err := s.record(ctx, in.Invocation, 0, c, pathway.ActionApplicationScreened, summary, nil); err != nil {
		return nil, err
	}
	return &ScreenOutput{Eligible: len(reasons) == 0, Reasons: append([]string{}, reasons...)}, nil
}

// ReasonsInput carries the reasons an application is not eligible.
type ReasonsInput struct {
	Invocation
	// CoopID is the co-op.
	CoopID string `json:"coopId"`
	// Reasons are the screening's reasons, in plain English.
	Reasons []string `json:"reasons"`
}

// RecordIneligible ends an application that did not pass screening: the
// stage becomes ineligible with the reasons in its event, and the founders
// are told why.
func (s *Steps) RecordIneligible(ctx context.Context, in ReasonsInput) (*StageOutput, error) {
	return result(s.recordIneligible(ctx, in))
}

func (s *Steps) recordIneligible(ctx context.Context, in ReasonsInput) (*StageOutput, error) {
	if len(in.Reasons) == 0 {
		return nil, pathway.Invalid(map[string]string{"reasons": "Give at least one reason"})
	}
	c, err := s.loadCoop(ctx, in.CoopID)
	if err != nil {
		return nil, err
	}
	reasons := strings.Join(in.Reasons, " ")
	_, err = s.move(ctx, in.Invocation, c, change{
		to: pathway.StageIneligible, action: pathway.ActionApplicationIneligible,
		summary: "The application is not eligible: " + reasons,
		data:    map[string]string{"reasons": pathway.Clip(strings.Join(in.Reasons, "\n"), 4000)},
	})
	if err != nil {
		return nil, err
	}
	err = s.notify(ctx, in.Invocation, 1, c, toFounders,
		"We told the founders that the application is not eligible, and why: "+reasons)
	if err != nil {
		return nil, err
	}
	return &StageOutput{Stage: c.Stage}, nil
}

// OpenPanelTask opens the panel-decision task for the programme's agency,
// holding the wait's token, due DueSeconds after the state was entered (the
// programme's panel days by default); the co-op moves to awaiting-panel.
// A task of an earlier round, or an escalation, is cancelled.
func (s *Steps) OpenPanelTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return result(s.openPanelTask(ctx, in))
}

func (s *Steps) openPanelTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	// No stage is required first: the stage table refuses the move to
	// awaiting-panel from any stage but applied (or awaiting-panel itself).
	ts, err := s.startTask(ctx, in, "", nil)
	if err != nil {
		return nil, err
	}
	c := ts.coop
	p, err := s.loadProgramme(ctx, c)
	if err != nil {
		return nil, err
	}
	due := ts.due(Days(p.PanelDays))
	_, err = s.move(ctx, in.Invocation, c, change{
		to: pathway.StageAwaitingPanel, action: pathway.ActionPanelAwaiting,
		summary: fmt.Sprintf("The application is eligible and is with the panel of %s; a decision is due by %s.", p.Name, pathway.FormatDate(due)),
	})
	if err != nil {
		return nil, err
	}
	out, err := s.openTasks(ctx, c, panelKinds, s.panelTask(ts, p, due))
	if err != nil {
		return nil, err
	}
	err = s.notify(ctx, in.Invocation, 1, c, toAgency,
		fmt.Sprintf("We asked %s's panel for a decision on the application by %s.", p.Name, pathway.FormatDate(out.Due)))
	return out, err
}

// panelTask is the agency's panel-decision task, due at due.
func (s *Steps) panelTask(ts *taskStep, p *pathway.Programme, due time.Time) *pathway.Task {
	return s.newTask(ts, "", pathway.Task{Kind: pathway.TaskPanelDecision, Organisation: p.Agency,
		Role: pathway.RoleAgency, Title: "Panel decision: " + ts.coop.Name, Due: due})
}

// EscalatePanel runs when the panel decision is overdue. It opens a
// panel-escalation task for the agency's lead and re-opens the panel
// decision with the wait's new token and its original due date; whichever
// of the two is answered first decides. The old panel task is cancelled and
// names its replacement, so a link to it can be followed.
func (s *Steps) EscalatePanel(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return result(s.escalatePanel(ctx, in))
}

func (s *Steps) escalatePanel(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	ts, err := s.startTask(ctx, in, "escalate a panel decision", at(pathway.StageAwaitingPanel))
	if err != nil {
		return nil, err
	}
	c := ts.coop
	p, err := s.loadProgramme(ctx, c)
	if err != nil {
		return nil, err
	}
	due := ts.at
	if old, err := s.openTaskOf(ctx, c, pathway.TaskPanelDecision); err != nil {
		return nil, err
	} else if old != nil {
		due = old.Due
	}
	lead := s.newTask(ts, "", pathway.Task{Kind: pathway.TaskPanelEscalation, Organisation: p.Agency,
		Role: pathway.RoleAgencyLead, Title: "Overdue panel decision: " + c.Name, Due: ts.due(Days(EscalationDays))})
	out, err := s.openTasks(ctx, c, panelKinds, s.panelTask(ts, p, due), lead)
	if err != nil {
		return nil, err
	}
	summary := fmt.Sprintf("The panel decision was due by %s and has not been taken; it was escalated to the agency's lead.", pathway.FormatDate(due))
	if err := s.record(ctx, in.Invocation, 0, c, pathway.ActionPanelOverdue, summary, nil); err != nil {
		return nil, err
	}
	err = s.notify(ctx, in.Invocation, 1, c, toAgencyLead,
		fmt.Sprintf("We asked the agency's lead to make sure the panel decides on %s by %s.", c.Name, pathway.FormatDate(out.Due)))
	return out, err
}

// PanelOutcomeInput is the input of RecordPanelOutcome.
type PanelOutcomeInput struct {
	Invocation
	// CoopID is the co-op.
	CoopID string `json:"coopId"`
	// Round is the panel round that decided; zero means one.
	Round int `json:"round,omitempty"`
	// Decision is the panel's answer.
	Decision pathway.PanelDecision `json:"decision"`
}

// PanelOutcomeOutput tells the workflow where to go next.
type PanelOutcomeOutput struct {
	// Outcome is the panel's outcome.
	Outcome string `json:"outcome"`
	// Stage is the co-op's stage after it.
	Stage string `json:"stage"`
	// Round is the round the next panel decision belongs to: one more after
	// a deferral, unchanged otherwise.
	Round int `json:"round"`
}

// RecordPanelOutcome records the panel's decision: accept moves the co-op to
// cqc-preparing, decline to declined with the panel's reasons, and defer
// keeps it awaiting the next panel (the workflow opens a new round's task).
// The founders are told, and any task of the round still open (an
// escalation) is cancelled.
func (s *Steps) RecordPanelOutcome(ctx context.Context, in PanelOutcomeInput) (*PanelOutcomeOutput, error) {
	return result(s.recordPanelOutcome(ctx, in))
}

func (s *Steps) recordPanelOutcome(ctx context.Context, in PanelOutcomeInput) (*PanelOutcomeOutput, error) {
	d := in.Decision
	if err := pathway.InField(d.Check(), "decision"); err != nil {
		return nil, err
	}
	if in.Round < 0 {
		return nil, pathway.Invalid(map[string]string{"round": "Must be 0 or more"})
	}
	c, err := s.loadCoop(ctx, in.CoopID)
	if err != nil {
		return nil, err
	}
	round, data := max(in.Round, 1), map[string]string{"outcome": d.Outcome}
	if d.Notes != "" {
		data["notes"] = pathway.Clip(d.Notes, 2000)
	}
	var told string
	switch d.Outcome {
	case pathway.PanelAccept:
		_, err = s.move(ctx, in.Invocation, c, change{
			to: pathway.StageCQCPreparing, actor: d.By, data: data,
			action: pathway.ActionPanelAccepted, summary: "The panel accepted the co-op onto the programme.",
		})
		told = "We told the founders the panel accepted the co-op onto the programme; their CQC checklist comes next."
	case pathway.PanelDecline:
		_, err = s.move(ctx, in.Invocation, c, change{
			to: pathway.StageDeclined, actor: d.By, data: data,
			action: pathway.ActionPanelDeclined, summary: "The panel declined the application: " + d.Notes,
		})
		told = "We told the founders the panel declined the application, with its reasons: " + d.Notes
	case pathway.PanelDefer:
		err = s.deferPanel(ctx, in, c, data)
		round++
		told = "We told the founders the panel deferred its decision to its next meeting."
	}
	if err != nil {
		return nil, err
	}
	if err := s.closeTasks(ctx, c, panelKinds, nil, "the panel decided", ""); err != nil {
		return nil, err
	}
	if err := s.notify(ctx, in.Invocation, 1, c, toFounders, told); err != nil {
		return nil, err
	}
	return &PanelOutcomeOutput{Outcome: d.Outcome, Stage: c.Stage, Round: round}, nil
}

// deferPanel records a deferral: the co-op re-enters awaiting-panel,
// which the stage table allows, without leaving it.
func (s *Steps) deferPanel(ctx context.Context, in PanelOutcomeInput, c *pathway.Coop, data map[string]string) error {
	stays := func(st string) bool { return st == pathway.StageAwaitingPanel && pathway.CanMove(st, st) }
	if err := requireStage(c, "have its panel decision deferred", stays); err != nil {
		return err
	}
	e, err := s.event(in.Invocation, 0, c, in.Decision.By, pathway.ActionPanelDeferred,
		"The panel deferred its decision to its next meeting.", data)
	if err != nil {
		return err
	}
	return s.store.AppendEvent(ctx, withDecisionNotice(c, e))
}
