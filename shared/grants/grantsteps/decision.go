package grantsteps

import (
	"context"
	"fmt"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// OpenDecisionTask runs when enough reviews are in: the application moves
// to awaiting-decision and the funder's lead gets the grant-decision task.
func (s *Steps) OpenDecisionTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openDecisionTask(ctx, in))
}

func (s *Steps) openDecisionTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	due := r.due(in, steps.Days(DecisionDays))
	err = s.move(ctx, r, grants.StatusAwaitingDecision, grants.ActionAwaitingDecision,
		"Enough reviews are in; the funder's lead decides by "+pathway.FormatDate(due)+".", nil)
	if err != nil {
		return nil, err
	}
	t := s.newTask(r, "", in.TaskToken, pathway.Task{Kind: grants.TaskDecision, Organisation: r.app.Funder,
		Role: pathway.RoleFunderLead, Title: "Decide on a grant application: " + r.app.Title, Due: due})
	return s.openTasks(ctx, r, []string{grants.TaskDecision}, "", t)
}

// DecisionInput carries the lead's answer.
type DecisionInput struct {
	Input
	Decision grants.DecisionAnswer `json:"decision"`
}

// OutcomeOutput says how a person answered.
type OutcomeOutput struct {
	Outcome string `json:"outcome"`
}

// RecordDecision closes the decision task and settles the decision: an
// award the service stored with its money (grantstore.Award) must be
// there; a rejection moves the application to rejected with the lead's
// feedback unless the service moved it already, and the founders are told.
func (s *Steps) RecordDecision(ctx context.Context, in DecisionInput) (*OutcomeOutput, error) {
	return steps.Result(s.recordDecision(ctx, in))
}

func (s *Steps) recordDecision(ctx context.Context, in DecisionInput) (*OutcomeOutput, error) {
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	d := in.Decision
	if err := s.closeTasks(ctx, r, []string{grants.TaskDecision}, "", nil, "the lead decided"); err != nil {
		return nil, err
	}
	if r.withdrawn() {
		return &OutcomeOutput{Outcome: OutcomeWithdrawn}, nil
	}
	switch d.Outcome {
	case grants.OutcomeAward:
		if r.app.Award == nil {
			// The service commits the money before it answers; not there
			// yet is a read racing the write, which a retry mends.
			return nil, pathway.Errorf(pathway.ECONFLICT, "The award of application %s is not stored yet.", r.app.ID)
		}
	case grants.OutcomeReject:
		err := s.move(ctx, r, grants.StatusRejected, grants.ActionRejected, "The funder decided not to fund the application.",
			func(a *grants.Application) { a.Feedback = d.Feedback })
		if err != nil {
			return nil, err
		}
		c, err := s.coop(ctx, r)
		if err != nil {
			return nil, err
		}
		told := "We told the founders the funder decided not to fund the application, with its feedback."
		if err := s.notify(ctx, r, 1, toFounders, told, founderNotice(c, r.app, told)); err != nil {
			return nil, err
		}
	default:
		return nil, pathway.Invalid(map[string]string{"decision.outcome": "Must be award or reject"})
	}
	return &OutcomeOutput{Outcome: d.Outcome}, nil
}

// OpenAgreementTask asks the co-op's founders to accept the award and its
// conditions, or decline it.
func (s *Steps) OpenAgreementTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openAgreementTask(ctx, in))
}

func (s *Steps) openAgreementTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	if r.app.Award == nil {
		return nil, pathway.Errorf(pathway.EINVALID, "The application %s has no award to accept.", r.app.ID)
	}
	t := s.newTask(r, "", in.TaskToken, pathway.Task{Kind: grants.TaskAgreement, Role: pathway.RoleFounder,
		Title: fmt.Sprintf("Accept or decline a grant of %s: %s", grants.Pounds(r.app.Award.Amount), r.app.Title),
		Due:   r.due(in, steps.Days(AgreementDays))})
	return s.openTasks(ctx, r, []string{grants.TaskAgreement}, "", t)
}

// AgreementInput carries the founders' answer.
type AgreementInput struct {
	Input
	Agreement grants.AgreementAnswer `json:"agreement"`
}

// Plan is what the active grant waits for: its tranches and its reports.
type Plan struct {
	Outcome  string        `json:"outcome"`
	Tranches []TranchePlan `json:"tranches"`
	Reports  []ReportPlan  `json:"reports"`
}

// TranchePlan is one tranche as the workflow's Map iterates it.
type TranchePlan struct {
	ID      string `json:"id"`
	Trigger string `json:"trigger"`
	// Until is when a date tranche is released (its day, 09:00 UK time),
	// for a Wait state's TimestampPath; now for the others.
	Until string `json:"until"`
}

// ReportPlan is one monitoring report as the workflow's Map iterates it.
type ReportPlan struct {
	ID string `json:"id"`
	// RemindAt is when the founders' report task opens: ReportRemind days
	// before it is due (at once, if that is past).
	RemindAt string `json:"remindAt"`
	// RemindSeconds is from RemindAt to the due day's morning, when the
	// founders are reminded again.
	RemindSeconds int64 `json:"remindSeconds"`
}

// RecordAgreement closes the agreement task and settles the answer: an
// acceptance moves the award to active unless the service did; a decline
// releases the commitment (grantstore.Decline) unless the service did.
// For an acceptance it returns the plan of tranches and reports.
func (s *Steps) RecordAgreement(ctx context.Context, in AgreementInput) (*Plan, error) {
	return steps.Result(s.recordAgreement(ctx, in))
}

func (s *Steps) recordAgreement(ctx context.Context, in AgreementInput) (*Plan, error) {
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	if err := s.closeTasks(ctx, r, []string{grants.TaskAgreement}, "", nil, "the founders answered"); err != nil {
		return nil, err
	}
	plan := &Plan{Outcome: in.Agreement.Outcome, Tranches: []TranchePlan{}, Reports: []ReportPlan{}}
	switch in.Agreement.Outcome {
	case grants.AgreementDecline:
		if r.app.Status == grants.StatusAwarded {
			e, err := s.event(r, 0, grants.ActionDeclined, "The co-op declined the award; its money is free again.", nil)
			if err != nil {
				return nil, err
			}
			e.From, e.To = r.app.Status, grants.StatusDeclined
			if err := grants.Move(r.app, grants.StatusDeclined, e.At); err != nil {
				return nil, err
			}
			if err := s.grants.Decline(ctx, r.app, e); err != nil {
				return nil, err
			}
		}
		return plan, nil
	case grants.AgreementAccept:
		err := s.move(ctx, r, grants.StatusActive, grants.ActionAccepted, "The co-op accepted the award and its conditions.", nil)
		if err != nil {
			return nil, err
		}
	default:
		return nil, pathway.Invalid(map[string]string{"agreement.outcome": "Must be accept or decline"})
	}
	now := s.now()
	for _, t := range r.app.Award.Tranches {
		tp := TranchePlan{ID: t.ID, Trigger: t.Trigger, Until: now.UTC().Format(time.RFC3339)}
		if t.Trigger == grants.TriggerDate {
			tp.Until = morning(t.On, now).Format(time.RFC3339)
		}
		plan.Tranches = append(plan.Tranches, tp)
	}
	for _, rp := range r.app.Reports {
		due := morning(rp.Due, now)
		remind := due.Add(-steps.Days(ReportRemind))
		if remind.Before(now) {
			remind = now
		}
		plan.Reports = append(plan.Reports, ReportPlan{ID: rp.ID, RemindAt: remind.UTC().Format(time.RFC3339),
			RemindSeconds: steps.Seconds(due.Sub(remind))})
	}
	return plan, nil
}

// morning returns 09:00 UK time on the day (YYYY-MM-DD), in UTC; a day
// that does not parse is now.
func morning(day string, now time.Time) time.Time {
	d, err := time.ParseInLocation(time.DateOnly, day, pathway.UKTime)
	if err != nil {
		return now.UTC()
	}
	return d.Add(9 * time.Hour).UTC()
}
