package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// LiveGrant is a sample grant application that DriveGrants sends through
// the grants service and carries through the real grant workflow to its
// Target status.
type LiveGrant struct {
	// Key is the idempotency key of the application: with the founder it
	// names the application (grantservice.ApplicationID).
	Key string
	// Founder applies and answers the founders' tasks.
	Founder string
	// Application is what the founder sends; Coop is filled by Coop.
	Application grantservice.ApplicationInput
	// Coop returns the ID of the co-op applying (live co-ops' IDs are
	// known once their founder and key are).
	Coop func() string
	// Target is the status the application is left in.
	Target string
	// Conflict makes the first reviewer assigned declare a conflict of
	// interest, so the next reviewer is assigned.
	Conflict bool
	// Recommendation is each reviewer's recommendation.
	Recommendation string
	// Decision is the lead's decision, for targets past it.
	Decision grants.DecisionAnswer
	// Agreement is the founders' answer to the award.
	Agreement string
}

// ID returns the ID of the application.
func (l LiveGrant) ID() string { return grantservice.ApplicationID(l.Founder, l.Key) }

// grantRoutes are the statuses an application passes through to reach
// each target, in order; the target is last. Draft is never stored.
var grantRoutes = map[string][]string{
	grants.StatusIneligible:       {grants.StatusSubmitted, grants.StatusIneligible},
	grants.StatusInReview:         {grants.StatusSubmitted, grants.StatusInReview},
	grants.StatusAwaitingDecision: {grants.StatusSubmitted, grants.StatusInReview, grants.StatusAwaitingDecision},
	grants.StatusRejected:         {grants.StatusSubmitted, grants.StatusInReview, grants.StatusAwaitingDecision, grants.StatusRejected},
	grants.StatusAwarded:          {grants.StatusSubmitted, grants.StatusInReview, grants.StatusAwaitingDecision, grants.StatusAwarded},
	grants.StatusDeclined:         {grants.StatusSubmitted, grants.StatusInReview, grants.StatusAwaitingDecision, grants.StatusAwarded, grants.StatusDeclined},
	grants.StatusActive:           {grants.StatusSubmitted, grants.StatusInReview, grants.StatusAwaitingDecision, grants.StatusAwarded, grants.StatusActive},
	grants.StatusClosed:           {grants.StatusSubmitted, grants.StatusInReview, grants.StatusAwaitingDecision, grants.StatusAwarded, grants.StatusActive, grants.StatusClosed},
	grants.StatusWithdrawn:        {grants.StatusSubmitted, grants.StatusInReview, grants.StatusWithdrawn},
}

// GrantStatuses are the statuses the demo shows an application in: every
// status an application can be stored in through the service.
var GrantStatuses = []string{
	grants.StatusInReview, grants.StatusIneligible, grants.StatusAwaitingDecision, grants.StatusRejected,
	grants.StatusAwarded, grants.StatusDeclined, grants.StatusActive, grants.StatusClosed,
	grants.StatusWithdrawn,
}

// DriveGrants carries every application of LiveGrants to its target
// status through g, as its founders, the funder's reviewers and its lead
// would. Drive must have run first (the live co-ops apply). An
// application that exists resumes from its status; one at its target, or
// moved off its route by a person, is left as it is, so DriveGrants may
// run on every start. It carries on when one fails and returns every
// failure.
func DriveGrants(ctx context.Context, g *grantservice.Service, store pathway.Store) error {
	var errs []error
	for _, l := range LiveGrants() {
		err := (&grantDriver{g: g, store: store, l: l, id: l.ID()}).run(ctx)
		if err != nil {
			errs = append(errs, fmt.Errorf("demo grant application %q: %w", l.Application.Title, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}

// grantDriver carries one live grant application.
type grantDriver struct {
	g     *grantservice.Service
	store pathway.Store
	l     LiveGrant
	id    string
}

// run takes one action per pass, chosen by the application's status,
// until it is at its target (or has left its route).
func (d *grantDriver) run(ctx context.Context) error {
	route := grantRoutes[d.l.Target]
	if route == nil {
		return fmt.Errorf("no route to the %s status", d.l.Target)
	}
	for range maxSteps {
		a, err := d.g.Grants().GetApplication(ctx, d.id)
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			err = d.apply(ctx)
		} else if err == nil {
			i := slices.Index(route, a.Status)
			if i < 0 || (i == len(route)-1 && !d.unsettled(ctx, a)) {
				return nil // there, or moved on by a person in an earlier run
			}
			err = d.step(ctx, a)
		}
		if pathway.ErrorCode(err) == pathway.ECONFLICT {
			continue // someone, or the workflow, got there first: look again
		} else if err != nil {
			return err
		}
	}
	return fmt.Errorf("it did not reach the %s status after %d actions", d.l.Target, maxSteps)
}

// unsettled reports whether an application at its target still needs the
// demo's finishing touch: an active grant shows its first tranche paid,
// and one in review with a conflict shows the conflict declared.
func (d *grantDriver) unsettled(ctx context.Context, a *grants.Application) bool {
	switch a.Status {
	case grants.StatusActive:
		return a.Award != nil && a.Award.Tranches[0].Status != grants.TranchePaid
	case grants.StatusInReview:
		return d.l.Conflict && !d.conflictDeclared(ctx, a)
	}
	return false
}

// apply sends the application and waits for screening.
func (d *grantDriver) apply(ctx context.Context) error {
	in := d.l.Application
	in.Coop = d.l.Coop()
	u, err := d.user(ctx, d.l.Founder)
	if err != nil {
		return err
	}
	if _, err := d.g.Apply(ctx, u, d.id, in); err != nil {
		return fmt.Errorf("applying: %w", err)
	}
	return d.waitMoved(ctx, grants.StatusSubmitted)
}

// step does what moves the application on from its status.
func (d *grantDriver) step(ctx context.Context, a *grants.Application) error {
	switch a.Status {
	case grants.StatusSubmitted:
		return d.waitMoved(ctx, grants.StatusSubmitted)
	case grants.StatusInReview:
		if d.l.Target == grants.StatusWithdrawn {
			return d.withdraw(ctx)
		}
		return d.review(ctx, a)
	case grants.StatusAwaitingDecision:
		return d.answer(ctx, a, grants.TaskDecision, UserFunderLead, d.l.Decision)
	case grants.StatusAwarded:
		return d.answer(ctx, a, grants.TaskAgreement, d.l.Founder, grants.AgreementAnswer{Outcome: d.l.Agreement})
	case grants.StatusActive:
		return d.answer(ctx, a, grants.TaskPayment, UserFunder, grants.PaymentAnswer{PaidOn: today(), Reference: "HCF-" + a.ID[len(a.ID)-6:]})
	}
	return fmt.Errorf("nothing the demo does moves it from %s", a.Status)
}

// review has the assigned reviewer declare and review; with the target in
// review, the reviewer declares a conflict instead (unsettled) and the next
// reviewer is left to review.
func (d *grantDriver) review(ctx context.Context, a *grants.Application) error {
	t, err := d.waitTask(ctx, a, grants.TaskReview)
	if err != nil || t == nil {
		return err
	}
	u, err := d.user(ctx, t.User)
	if err != nil {
		return err
	}
	_, err = d.g.Grants().Declaration(ctx, a.ID, u.ID)
	declared := err == nil
	if err != nil && pathway.ErrorCode(err) != pathway.ENOTFOUND {
		return err
	}
	if d.l.Target == grants.StatusInReview {
		if declared {
			return nil
		}
		_, err := d.g.Declare(ctx, u, a.ID, grants.DeclarationAnswer{Conflict: true, Reason: "I was a trustee of a charity the founders ran until last year."})
		if err != nil {
			return err
		}
		return d.waitClosed(ctx, a, t.ID) // the next reviewer is assigned after
	}
	if !declared {
		if _, err := d.g.Declare(ctx, u, a.ID, grants.DeclarationAnswer{}); err != nil {
			return err
		}
	}
	p, err := d.g.Grants().GetProgramme(ctx, a.Programme)
	if err != nil {
		return err
	}
	ans := grants.ReviewAnswer{Scores: map[string]int{}, Comments: map[string]string{}, Recommendation: d.l.Recommendation}
	for i, c := range p.Criteria {
		ans.Scores[c.ID] = 2 + (i+len(u.ID))%4 // varied, 2 to 5
		ans.Comments[c.ID] = "Read with the co-op's business plan."
	}
	return d.answerTask(ctx, t, u, ans)
}

// conflictDeclared reports whether any of the funder's staff declared a
// conflict on the application (an earlier run's).
func (d *grantDriver) conflictDeclared(ctx context.Context, a *grants.Application) bool {
	for _, r := range []string{UserFunder, UserFunderReviewer1, UserFunderReviewer2, UserFunderReviewer3} {
		if ex, err := d.g.Grants().IsExcluded(ctx, a.ID, r); err == nil && ex {
			return true
		}
	}
	return false
}

// answer has who answer the application's open task of the kind.
func (d *grantDriver) answer(ctx context.Context, a *grants.Application, kind, who string, answer any) error {
	t, err := d.waitTask(ctx, a, kind)
	if err != nil || t == nil {
		return err
	}
	u, err := d.user(ctx, who)
	if err != nil {
		return err
	}
	return d.answerTask(ctx, t, u, answer)
}

// answerTask answers the task through the service, as the API does.
func (d *grantDriver) answerTask(ctx context.Context, t *pathway.Task, u *pathway.User, answer any) error {
	task, a, err := d.g.TaskToAnswer(ctx, u, t.ID)
	if err != nil {
		return err
	}
	ans, err := grantservice.AnswerFor(task.Kind)
	if err != nil {
		return err
	}
	raw, _ := json.Marshal(answer)
	if err := json.Unmarshal(raw, ans); err != nil {
		return err
	}
	if _, err := d.g.Answer(ctx, u, task, a, ans); err != nil {
		return fmt.Errorf("answering %s: %w", task.Kind, err)
	}
	return d.waitClosed(ctx, a, task.ID)
}

// waitTask waits for the application's open task of the kind; nil (and
// no error) when the application's status changes first.
func (d *grantDriver) waitTask(ctx context.Context, a *grants.Application, kind string) (*pathway.Task, error) {
	var found *pathway.Task
	err := d.poll(ctx, fmt.Sprintf("a %s task", kind), func() (bool, error) {
		tasks, err := d.store.ListTasks(ctx, pathway.TaskFilter{Subject: grants.Subject(a.ID)})
		if err != nil {
			return false, err
		}
		for _, t := range tasks {
			if t.Kind == kind && t.Status == pathway.TaskOpen {
				found = t
				return true, nil
			}
		}
		now, err := d.g.Grants().GetApplication(ctx, a.ID)
		return err == nil && now.Status != a.Status, err
	})
	return found, err
}

// waitClosed waits until the answered task has left the open list, so the
// next pass does not see it again.
func (d *grantDriver) waitClosed(ctx context.Context, a *grants.Application, id string) error {
	return d.poll(ctx, "the answer to reach the workflow", func() (bool, error) {
		tasks, err := d.store.ListTasks(ctx, pathway.TaskFilter{Subject: grants.Subject(a.ID)})
		return !slices.ContainsFunc(tasks, func(t *pathway.Task) bool { return t.ID == id }), err
	})
}

// waitMoved waits until the application has left the status.
func (d *grantDriver) waitMoved(ctx context.Context, status string) error {
	return d.poll(ctx, "the workflow to move it from "+status, func() (bool, error) {
		a, err := d.g.Grants().GetApplication(ctx, d.id)
		return err == nil && a.Status != status, err
	})
}

// poll calls done until it is true, within waitTimeout.
func (d *grantDriver) poll(ctx context.Context, what string, done func() (bool, error)) error {
	deadline := time.Now().Add(waitTimeout)
	for {
		ok, err := done()
		if err != nil || ok {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waited %s for %s", waitTimeout, what)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollEvery):
		}
	}
}

// user loads a demo user that Seed stored.
func (d *grantDriver) user(ctx context.Context, id string) (*pathway.User, error) {
	u, err := d.store.GetUser(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, fmt.Errorf("user %s is not in the store: seed the demo data before driving it", id)
	}
	return u, err
}

// withdraw has the founder withdraw the application while it is reviewed.
func (d *grantDriver) withdraw(ctx context.Context) error {
	u, err := d.user(ctx, d.l.Founder)
	if err != nil {
		return err
	}
	_, err = d.g.Withdraw(ctx, u, d.id, "We found a local trust to pay for the meetings.")
	return err
}
