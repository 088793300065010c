package steps

import (
	"context"
	"fmt"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Durations of the registration phase. Thresholds are configuration: they
// live here, once, rather than in the workflow definition.
const (
	// ChecklistDays is the target for finishing the CQC checklist.
	ChecklistDays = 84
	// SubmissionDays is how long the founders have to apply to CQC once
	// their checklist is verified.
	SubmissionDays = 28
	// CQCReminderWeeks is when, after submission, the founders are reminded
	// to record CQC's decision: CQC aims to decide about 10 weeks after it
	// accepts an application as complete.
	CQCReminderWeeks = 10
	// CQCEscalationWeeks is when, after submission, a missing decision is
	// escalated to the agency's lead: 16 to 26 weeks end to end is common.
	CQCEscalationWeeks = 26
	// RepresentationsReminderDays is when, after a notice of proposal to
	// refuse, the founders are reminded: the end of the 28 days for
	// representations.
	RepresentationsReminderDays = pathway.RepresentationsDays
	// RepresentationsEscalationWeeks is when, after a notice of proposal, a
	// missing decision is escalated.
	RepresentationsEscalationWeeks = 12
)

// ChecklistOutput summarises the co-op's checklist.
type ChecklistOutput struct {
	// Items counts every item; Required those CQC submission waits for;
	// Verified the required items the agency has verified.
	Items    int `json:"items"`
	Required int `json:"required"`
	Verified int `json:"verified"`
	// Ready reports whether every required item is verified.
	Ready bool `json:"ready"`
	// CQCRequired reports whether the co-op will carry on a regulated
	// activity and so must register with CQC.
	CQCRequired bool `json:"cqcRequired"`
}

// BuildChecklist stores the co-op's CQC checklist (pathway.BuildChecklist;
// items that exist already are kept as they are) and moves the co-op to
// cqc-preparing.
func (s *Steps) BuildChecklist(ctx context.Context, in CoopInput) (*ChecklistOutput, error) {
	return result(s.buildChecklist(ctx, in))
}

func (s *Steps) buildChecklist(ctx context.Context, in CoopInput) (*ChecklistOutput, error) {
	c, err := s.loadCoopAt(ctx, in.CoopID, "start preparing for CQC", towards(pathway.StageCQCPreparing))
	if err != nil {
		return nil, err
	}
	if err := s.store.PutChecklist(ctx, pathway.BuildChecklist(c)); err != nil {
		return nil, err
	}
	out, err := s.checklist(ctx, c)
	if err != nil {
		return nil, err
	}
	summary := fmt.Sprintf("The CQC checklist was prepared: %d items, %d of them required.", out.Items, out.Required)
	moved, err := s.move(ctx, in.Invocation, c, change{
		to: pathway.StageCQCPreparing, action: pathway.ActionChecklistBuilt, summary: summary,
	})
	if err != nil {
		return nil, err
	}
	if !moved {
		if err := s.record(ctx, in.Invocation, 0, c, pathway.ActionChecklistBuilt, summary, nil); err != nil {
			return nil, err
		}
	}
	err = s.notify(ctx, in.Invocation, 1, c, toFounders,
		"We told the founders their CQC checklist is ready: each item says what evidence to provide, and the agency verifies it.")
	return out, err
}

// checklist counts the co-op's stored checklist (pathway.ChecklistProgress,
// the count the service releases the checklist wait by).
func (s *Steps) checklist(ctx context.Context, c *pathway.Coop) (*ChecklistOutput, error) {
	items, err := s.store.ListChecklist(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	p := pathway.ChecklistProgress(items)
	return &ChecklistOutput{Items: p.Total, Required: p.Required, Verified: p.RequiredVerified,
		Ready: p.Complete(), CQCRequired: c.NeedsCQC()}, nil
}

// OpenChecklistWait opens the founders' checklist task holding the wait's
// token; the API sends it back when the agency verifies the last required
// item. If every required item is verified already, nobody would ever send
// it, so the step fails with ErrChecklistComplete and the workflow goes on.
func (s *Steps) OpenChecklistWait(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return result(s.openChecklistWait(ctx, in))
}

func (s *Steps) openChecklistWait(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	ts, err := s.startTask(ctx, in, "work through its CQC checklist", at(pathway.StageCQCPreparing))
	if err != nil {
		return nil, err
	}
	out, err := s.openTasks(ctx, ts.coop, checklistKinds, s.newTask(ts, "", pathway.Task{Kind: pathway.TaskChecklist,
		Role: pathway.RoleFounder, Title: "Complete your CQC checklist", Due: ts.due(Days(ChecklistDays))}))
	if err != nil {
		return nil, err
	}
	if sum, err := s.checklist(ctx, ts.coop); err != nil {
		return nil, err
	} else if sum.Ready {
		return nil, stepError(ErrChecklistComplete, "Every required checklist item is verified already.")
	}
	return out, nil
}

// ReadyOutput is the output of MarkCQCReady.
type ReadyOutput struct {
	// Stage is the co-op's stage after the step.
	Stage string `json:"stage"`
	// CQCRequired reports whether the co-op must now apply to CQC.
	CQCRequired bool `json:"cqcRequired"`
}

// MarkCQCReady moves the co-op to cqc-ready once every required checklist
// item is verified (it checks, rather than trusting the caller), closes the
// checklist task and tells the founders.
func (s *Steps) MarkCQCReady(ctx context.Context, in CoopInput) (*ReadyOutput, error) {
	return result(s.markCQCReady(ctx, in))
}

func (s *Steps) markCQCReady(ctx context.Context, in CoopInput) (*ReadyOutput, error) {
	c, err := s.loadCoopAt(ctx, in.CoopID, "be marked ready for CQC", towards(pathway.StageCQCReady))
	if err != nil {
		return nil, err
	}
	sum, err := s.checklist(ctx, c)
	if err != nil {
		return nil, err
	}
	if !sum.Ready && c.Stage != pathway.StageCQCReady {
		return nil, pathway.Errorf(pathway.EINVALID, "%d of %d required checklist items are not verified yet.",
			sum.Required-sum.Verified, sum.Required)
	}
	_, err = s.move(ctx, in.Invocation, c, change{
		to: pathway.StageCQCReady, action: pathway.ActionChecklistVerified, summary: "Every required checklist item is verified.",
	})
	if err != nil {
		return nil, err
	}
	if err := s.closeTasks(ctx, c, checklistKinds, nil, "the checklist is verified", ""); err != nil {
		return nil, err
	}
	told := "We told the founders their checklist is verified and they can apply to CQC on the provider portal."
	if !sum.CQCRequired {
		told = "We told the founders their checklist is verified; their services do not need CQC registration."
	}
	if err := s.notify(ctx, in.Invocation, 1, c, toFounders, told); err != nil {
		return nil, err
	}
	return &ReadyOutput{Stage: c.Stage, CQCRequired: sum.CQCRequired}, nil
}

// OpenSubmissionTask opens the founders' cqc-submission task: they apply on
// the CQC provider portal and answer with the date they submitted.
func (s *Steps) OpenSubmissionTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return result(s.openSubmissionTask(ctx, in))
}

func (s *Steps) openSubmissionTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	ts, err := s.startTask(ctx, in, "apply to CQC", at(pathway.StageCQCReady))
	if err != nil {
		return nil, err
	}
	return s.openTasks(ctx, ts.coop, submitKinds, s.newTask(ts, "", pathway.Task{Kind: pathway.TaskCQCSubmission,
		Role: pathway.RoleFounder, Title: "Apply to CQC and tell us the date you submitted", Due: ts.due(Days(SubmissionDays))}))
}

// SubmittedInput is the input of RecordSubmitted.
type SubmittedInput struct {
	Invocation
	// CoopID is the co-op.
	CoopID string `json:"coopId"`
	// Submission is the founders' answer.
	Submission pathway.Submission `json:"submission"`
}

// CQCSchedule is when the wait for CQC's decision reminds and escalates,
// for the TimeoutSecondsPath of the two wait states.
type CQCSchedule struct {
	// Round counts the decisions asked for: 1, then 2 after a notice of
	// proposal to refuse.
	Round int `json:"round"`
	// RemindSeconds is how long the first wait lasts before a reminder.
	RemindSeconds int64 `json:"remindSeconds"`
	// EscalateSeconds is how long the second wait lasts before escalation.
	EscalateSeconds int64 `json:"escalateSeconds"`
}

// SubmittedOutput is the output of RecordSubmitted.
type SubmittedOutput struct {
	CQCSchedule
	// Stage is the co-op's stage after the step.
	Stage string `json:"stage"`
	// SubmittedOn is the submission date.
	SubmittedOn string `json:"submittedOn"`
}

// RecordSubmitted records the date the founders applied to CQC, moves the
// co-op to cqc-submitted and returns when to remind (10 weeks after
// submission) and escalate (26 weeks after).
func (s *Steps) RecordSubmitted(ctx context.Context, in SubmittedInput) (*SubmittedOutput, error) {
	return result(s.recordSubmitted(ctx, in))
}

func (s *Steps) recordSubmitted(ctx context.Context, in SubmittedInput) (*SubmittedOutput, error) {
	at, err := in.entered()
	if err != nil {
		return nil, err
	}
	on, err := in.Submission.Check(at)
	if err != nil {
		return nil, pathway.InField(err, "submission")
	}
	c, err := s.loadCoop(ctx, in.CoopID)
	if err != nil {
		return nil, err
	}
	_, err = s.move(ctx, in.Invocation, c, change{
		to: pathway.StageCQCSubmitted, actor: in.Submission.By,
		action: pathway.ActionCQCSubmitted, summary: "The co-op applied to CQC on " + pathway.FormatDate(on) + ".",
		data: map[string]string{"submittedOn": in.Submission.SubmittedOn},
	})
	if err != nil {
		return nil, err
	}
	if err := s.closeTasks(ctx, c, submitKinds, nil, "the submission was recorded", ""); err != nil {
		return nil, err
	}
	sched := schedule(1, at, on.AddDate(0, 0, 7*CQCReminderWeeks), on.AddDate(0, 0, 7*CQCEscalationWeeks))
	return &SubmittedOutput{CQCSchedule: sched, Stage: c.Stage, SubmittedOn: in.Submission.SubmittedOn}, nil
}

// schedule times the two waits for a decision entered at: a reminder at
// remindAt (or an hour from now if that has passed) and escalation at
// escalateAt (or a day after the reminder).
func schedule(round int, at, remindAt, escalateAt time.Time) CQCSchedule {
	remindAt = later(remindAt, at.Add(time.Hour))
	escalateAt = later(escalateAt, remindAt.Add(24*time.Hour))
	return CQCSchedule{Round: round, RemindSeconds: Seconds(remindAt.Sub(at)), EscalateSeconds: Seconds(escalateAt.Sub(remindAt))}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// DecisionTaskInput is the input of OpenDecisionTask.
type DecisionTaskInput struct {
	TaskInput
	// Phase is "open" for the first wait and "remind" for the wait after
	// the reminder.
	Phase string `json:"phase"`
}

// OpenDecisionTask opens the cqc-decision task, for the founders and for
// the programme's agency (either may record CQC's decision; both tasks hold
// the same token), due DueSeconds after the state was entered. In the
// "remind" phase it re-opens them with the new token and reminds the
// founders.
func (s *Steps) OpenDecisionTask(ctx context.Context, in DecisionTaskInput) (*TaskOutput, error) {
	return result(s.openDecisionTask(ctx, in))
}

func (s *Steps) openDecisionTask(ctx context.Context, in DecisionTaskInput) (*TaskOutput, error) {
	if in.Phase != "open" && in.Phase != "remind" {
		return nil, pathway.Invalid(map[string]string{"phase": "Must be one of: open, remind"})
	}
	ts, p, err := s.startDecisionTask(ctx, in.TaskInput, "wait for CQC's decision")
	if err != nil {
		return nil, err
	}
	c := ts.coop
	out, err := s.openTasks(ctx, c, decisionKinds, s.decisionTasks(ts, p, ts.due(7*Days(CQCReminderWeeks)))...)
	if err != nil || in.Phase == "open" {
		return out, err
	}
	if err := s.record(ctx, in.Invocation, 0, c, pathway.ActionCQCReminder, "CQC's decision has not been recorded yet.", nil); err != nil {
		return nil, err
	}
	err = s.notify(ctx, in.Invocation, 1, c, toFounders,
		"We reminded the founders to record CQC's decision as soon as it arrives, and to tell their agency if CQC has asked for anything.")
	return out, err
}

// EscalateDecision runs when CQC's decision is long overdue: it opens a
// cqc-escalation task for the agency's lead and re-opens the decision tasks
// with the wait's new token.
func (s *Steps) EscalateDecision(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return result(s.escalateDecision(ctx, in))
}

func (s *Steps) escalateDecision(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	ts, p, err := s.startDecisionTask(ctx, in, "escalate CQC's decision")
	if err != nil {
		return nil, err
	}
	c := ts.coop
	tasks := s.decisionTasks(ts, p, ts.due(Days(4*EscalationDays)))
	// The lead has a week from the escalation, whatever the wait's timeout.
	tasks = append(tasks, s.newTask(ts, "", pathway.Task{Kind: pathway.TaskCQCEscalation, Organisation: p.Agency,
		Role: pathway.RoleAgencyLead, Title: "CQC decision overdue: " + c.Name, Due: ts.at.Add(Days(EscalationDays))}))
	out, err := s.openTasks(ctx, c, decisionKinds, tasks...)
	if err != nil {
		return nil, err
	}
	if err := s.record(ctx, in.Invocation, 0, c, pathway.ActionCQCOverdue,
		"CQC's decision is long overdue; it was escalated to the agency's lead.", nil); err != nil {
		return nil, err
	}
	err = s.notify(ctx, in.Invocation, 1, c, toAgencyLead,
		fmt.Sprintf("We asked the agency's lead to follow up CQC's decision on %s with the founders and CQC.", c.Name))
	return out, err
}

// startDecisionTask starts a step of the wait for CQC's decision (as
// startTask) and loads the co-op's programme.
func (s *Steps) startDecisionTask(ctx context.Context, in TaskInput, what string) (*taskStep, *pathway.Programme, error) {
	ts, err := s.startTask(ctx, in, what, awaitingCQC)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.loadProgramme(ctx, ts.coop)
	return ts, p, err
}

// decisionTasks are the founders' and the agency's cqc-decision tasks.
func (s *Steps) decisionTasks(ts *taskStep, p *pathway.Programme, due time.Time) []*pathway.Task {
	const kind = pathway.TaskCQCDecision
	return []*pathway.Task{
		s.newTask(ts, "founder", pathway.Task{Kind: kind, Role: pathway.RoleFounder,
			Title: "Record CQC's decision", Due: due}),
		s.newTask(ts, "agency", pathway.Task{Kind: kind, Organisation: p.Agency, Role: pathway.RoleAgency,
			Title: "Record CQC's decision: " + ts.coop.Name, Due: due}),
	}
}

// DecisionInput is the input of RecordDecision.
type DecisionInput struct {
	Invocation
	// CoopID is the co-op.
	CoopID string `json:"coopId"`
	// Round is the decision round; zero means one.
	Round int `json:"round,omitempty"`
	// Decision is CQC's decision.
	Decision pathway.CQCDecision `json:"decision"`
}

// DecisionOutput tells the workflow where to go next; after a notice of
// proposal to refuse it carries the next round's schedule.
type DecisionOutput struct {
	CQCSchedule
	// Outcome is CQC's outcome.
	Outcome string `json:"outcome"`
	// Stage is the co-op's stage after the step.
	Stage string `json:"stage"`
}

// RecordDecision records CQC's decision: registered (with the provider ID)
// moves the co-op to cqc-registered; a notice of proposal to refuse to
// cqc-proposal-to-refuse, with 28 days for representations before the
// decision is asked for again; refused to cqc-refused. Open decision tasks
// are closed and the founders and agency are told.
func (s *Steps) RecordDecision(ctx context.Context, in DecisionInput) (*DecisionOutput, error) {
	return result(s.recordDecision(ctx, in))
}

func (s *Steps) recordDecision(ctx context.Context, in DecisionInput) (*DecisionOutput, error) {
	at, err := in.entered()
	if err != nil {
		return nil, err
	}
	d := in.Decision
	if err := checkDecision(d, in.Round, at); err != nil {
		return nil, err
	}
	c, err := s.loadCoop(ctx, in.CoopID)
	if err != nil {
		return nil, err
	}
	data := map[string]string{"outcome": d.Outcome}
	if d.DecidedOn != "" {
		data["decidedOn"] = d.DecidedOn
	}
	round := max(in.Round, 1)
	out := &DecisionOutput{Outcome: d.Outcome, CQCSchedule: CQCSchedule{Round: round}}
	var ch change
	switch d.Outcome {
	case pathway.CQCRegistered:
		data["providerId"] = d.ProviderID
		ch = change{to: pathway.StageCQCRegistered, action: pathway.ActionCQCRegistered,
			summary: "CQC registered the co-op, provider ID " + d.ProviderID + ".",
			edit:    func(c *pathway.Coop) { c.ProviderID = d.ProviderID }}
	case pathway.CQCProposalToRefuse:
		ch = change{to: pathway.StageCQCProposalToRefuse, action: pathway.ActionCQCProposalToRefuse,
			summary: fmt.Sprintf("CQC gave notice of a proposal to refuse registration; the co-op has %d days to send written representations.", pathway.RepresentationsDays)}
		out.CQCSchedule = schedule(round+1, at, at.Add(Days(RepresentationsReminderDays)), at.Add(7*Days(RepresentationsEscalationWeeks)))
	case pathway.CQCRefused:
		ch = change{to: pathway.StageCQCRefused, action: pathway.ActionCQCRefused, summary: "CQC refused registration."}
	}
	ch.actor, ch.data = d.By, data
	if _, err := s.move(ctx, in.Invocation, c, ch); err != nil {
		return nil, err
	}
	if err := s.closeTasks(ctx, c, decisionKinds, nil, "CQC's decision was recorded", ""); err != nil {
		return nil, err
	}
	if err := s.tellRegistered(ctx, c, d.Outcome); err != nil {
		return nil, err
	}
	told := "We told the founders and the agency CQC's decision: " + pathway.Words(d.Outcome) + "."
	for i, to := range []string{toFounders, toAgency} {
		if err := s.notify(ctx, in.Invocation, 1+i, c, to, told); err != nil {
			return nil, err
		}
	}
	out.Stage = c.Stage
	return out, nil
}

// checkDecision validates CQC's decision (pathway.CQCDecision's rule, the
// one the service applied when the person answered) and the round,
// naming each field at fault.
func checkDecision(d pathway.CQCDecision, round int, now time.Time) error {
	fields := pathway.ErrorFields(pathway.InField(d.Check(now), "decision"))
	if fields == nil {
		fields = map[string]string{}
	}
	if round < 0 {
		fields["round"] = "Must be 0 or more"
	}
	if len(fields) > 0 {
		return pathway.Invalid(fields)
	}
	return nil
}
