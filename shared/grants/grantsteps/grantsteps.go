// Package grantsteps holds the steps of the grant workflow
// (workflows/grant.asl.json, functions/grant): one execution per grant
// application, from screening through conflict-free review, the decision,
// the agreement, the tranches (instalments) waiting for their triggers and
// the monitoring reports, to the grant's close.
//
// It mirrors shared/steps: one method of Steps per step with a typed input
// and output, a Registry by step name (registry.go), errors under the same
// ASL names (steps.Error), and idempotent steps, since Step Functions may
// run a step twice:
//   - events get IDs derived from the execution, the state and the time the
//     state was entered, so a second run appends nothing new;
//   - tasks get IDs derived from their task token, so a second run with the
//     same token opens nothing new;
//   - a status change goes through grants.Move and is skipped when the
//     application is in the target status already.
//
// Who moves which status: the service moves the statuses people's answers
// cause together with money (awarded and declined through grantstore.Award
// and Decline) and may move rejected and active itself; the workflow moves
// submitted to ineligible or in-review, in-review to awaiting-decision and
// active to closed, and, after each answer, makes the move the answer
// implies when the service has not (rejected, active, declined, a report
// sent or reviewed, a tranche paid), so the two never disagree.
package grantsteps

import (
	"context"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// How long people have, in days.
const (
	ReviewDays    = 14 // a reviewer, from assignment
	DecisionDays  = 14 // the funder's lead, once the reviews are in
	AgreementDays = 28 // the founders, to accept or decline an award
	PaymentDays   = 14 // the funder, to pay a released tranche
	ReportRemind  = 14 // founders are reminded this long before a report is due
	ReturnDays    = 14 // founders, to send a returned report again
	EscalateDays  = 7  // the lead, on an overdue review or no reviewer left
)

// Kinds of task the workflow opens besides grants.Task* (their home is
// the domain, shared/grants; these names keep the steps short).
const (
	TaskReviewOverdue = grants.TaskReviewOverdue
	TaskNoReviewer    = grants.TaskNoReviewer
	TaskWaitCQC       = grants.TaskWaitCQC
	TaskWaitReport    = grants.TaskWaitReport
)

// Steps runs the grant workflow's steps over the store (tasks, events) and
// the grant records.
type Steps struct {
	store  pathway.Store
	grants *grantstore.Store
	now    func() time.Time
}

// New returns the steps; now tells the time (time.Now outside tests).
func New(store pathway.Store, g *grantstore.Store, now func() time.Time) *Steps {
	return &Steps{store: store, grants: g, now: now}
}

// Input is what every step receives: the state entry (steps.Invocation)
// and the application.
type Input struct {
	steps.Invocation
	// Application is the application's ID.
	Application string `json:"application"`
}

// check validates the input and returns when the state was entered.
func (in Input) check() (time.Time, error) {
	return in.Invocation.CheckFor("application", in.Application, "Enter the application's ID")
}

// run is a step under way: its input, when its state was entered, and the
// application as read.
type run struct {
	in  Input
	at  time.Time
	app *grants.Application
	// coopName is the co-op's name, read by the steps that open tasks.
	coopName string
}

// start checks the input and reads the application.
func (s *Steps) start(ctx context.Context, in Input) (*run, error) {
	at, err := in.check()
	if err != nil {
		return nil, err
	}
	a, err := s.grants.GetApplication(ctx, in.Application)
	if err != nil {
		return nil, err
	}
	cost.Charge(ctx, a.Coop) // the step serves the applicant co-op's journey
	return &run{in: in, at: at, app: a}, nil
}

// event builds the n-th event of the state entry on the application's subject.
func (s *Steps) event(r *run, n int, action, summary string, data map[string]string) (*pathway.Event, error) {
	id, err := r.in.EventID(n)
	if err != nil {
		return nil, err
	}
	return &pathway.Event{ID: id, Subject: grants.Subject(r.app.ID), Coop: r.app.Coop, At: s.now(),
		Actor: pathway.ActorSystem, Action: action, Summary: pathway.Clip(summary, 1000), Data: data}, nil
}

// record appends the n-th event of the state entry, once.
func (s *Steps) record(ctx context.Context, r *run, n int, action, summary string, data map[string]string) error {
	e, err := s.event(r, n, action, summary, data)
	if err != nil {
		return err
	}
	return s.store.AppendEvent(ctx, e)
}

// notify records a notification as the n-th event of the state entry and,
// with a notice, the email that tells the founders, in the same write.
func (s *Steps) notify(ctx context.Context, r *run, n int, to, message string, notice *pathway.MailNotice) error {
	e, err := s.event(r, n, pathway.ActionNotificationSent, message, map[string]string{"to": to})
	if err != nil {
		return err
	}
	if notice != nil {
		e.Notices = append(e.Notices, pathway.NewNotice(e.Subject, notice, pathway.ActorSystem, e.At))
	}
	return s.store.AppendEvent(ctx, e)
}

// move changes the application's status through grants.Move with its
// event, unless it is there already (a second run). A move the table does
// not allow is EINVALID: no retry mends it.
func (s *Steps) move(ctx context.Context, r *run, to, action, summary string, edit func(a *grants.Application)) error {
	if r.app.Status == to {
		return nil
	}
	e, err := s.event(r, 0, action, summary, nil)
	if err != nil {
		return err
	}
	next := *r.app
	if err := grants.Move(&next, to, e.At); err != nil {
		return pathway.Errorf(pathway.EINVALID, "%s", pathway.ErrorMessage(err))
	}
	e.From, e.To = r.app.Status, to
	if edit != nil {
		edit(&next)
	}
	if err := s.grants.UpdateApplication(ctx, &next, e); err != nil {
		return err
	}
	*r.app = next
	return nil
}

// coop returns the applying co-op.
func (s *Steps) coop(ctx context.Context, r *run) (*pathway.Coop, error) {
	return s.store.GetCoop(ctx, r.app.Coop)
}

// founderNotice is the founders' email about a decision on their application.
func founderNotice(c *pathway.Coop, a *grants.Application, what string) *pathway.MailNotice {
	n := pathway.DecisionNotice(c, what)
	n.Title = pathway.Clip(a.Title, 300)
	n.Path = "/grant-applications/" + a.ID
	return n
}
