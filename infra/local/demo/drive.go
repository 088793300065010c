package demo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// LiveCoop is a sample co-op that Drive creates through the journey
// service and carries through the real workflows to its Target stage.
type LiveCoop struct {
	// Key is the idempotency key of the application. With the founder it
	// names the co-op (journey.CoopID), so a second drive finds the co-op
	// instead of applying again.
	Key string
	// Founder is the user ID of the founder who applies and answers the
	// founders' tasks.
	Founder string
	// Agency is the user ID of the agency staff member who answers the
	// agency's tasks and checks the checklist.
	Agency string
	// Application is what the founder sends.
	Application journey.Application
	// Target is the stage the co-op is left in; routes says how it gets there.
	Target string
	// DeferPanel makes the panel defer its first decision, so the co-op
	// waits for its second panel round.
	DeferPanel bool
	// Checklist is what to do with some items of a co-op left preparing
	// for CQC.
	Checklist []ItemScript
}

// ItemScript is where one checklist item is left.
type ItemScript struct {
	// Item is the item's ID, e.g. "SOP-01".
	Item string
	// Status is pathway.ItemDone, ItemVerified or ItemReturned.
	Status string
	// Comment is the agency's comment when it returns the item.
	Comment string
}

// ID returns the ID of the co-op the application creates.
func (l LiveCoop) ID() string { return journey.CoopID(l.Founder, l.Key) }

// routes are the stages a live co-op passes through to reach each target,
// in order; the target is last. What is done at each stage depends on the
// stage that follows it (see step).
var routes = map[string][]string{
	pathway.StageIneligible:          {pathway.StageApplied, pathway.StageIneligible},
	pathway.StageAwaitingPanel:       {pathway.StageApplied, pathway.StageAwaitingPanel},
	pathway.StageCQCPreparing:        {pathway.StageApplied, pathway.StageAwaitingPanel, pathway.StageCQCPreparing},
	pathway.StageCQCReady:            {pathway.StageApplied, pathway.StageAwaitingPanel, pathway.StageCQCPreparing, pathway.StageCQCReady},
	pathway.StageCQCSubmitted:        {pathway.StageApplied, pathway.StageAwaitingPanel, pathway.StageCQCPreparing, pathway.StageCQCReady, pathway.StageCQCSubmitted},
	pathway.StageCQCProposalToRefuse: {pathway.StageApplied, pathway.StageAwaitingPanel, pathway.StageCQCPreparing, pathway.StageCQCReady, pathway.StageCQCSubmitted, pathway.StageCQCProposalToRefuse},
}

// waitTimeout bounds each wait for the workflows; the local engine takes
// milliseconds, so reaching it means the engine has stopped or a step
// keeps failing.
const waitTimeout = 30 * time.Second

// pollEvery is how often the store is read while waiting.
const pollEvery = 10 * time.Millisecond

// maxSteps bounds the actions taken for one co-op; the longest route needs
// six, and a retry after a conflict one more each.
const maxSteps = 20

// Drive carries every co-op of Live to its target stage through svc, as
// its founder and agency would: applying, answering the panel, working
// through the checklist, recording the CQC submission and decision. It
// waits for each stage change the workflows make, reading store. Seed
// must have run first (Drive acts as the users it stored).
//
// A co-op that exists resumes from its stage; one at its target, or moved
// past it or off its route (someone answered its task in an earlier run),
// is left as it is. So Drive may run on every start. It carries on with
// the other co-ops when one fails and returns every failure.
func Drive(ctx context.Context, svc *journey.Service, store pathway.Store) error {
	var errs []error
	for _, l := range Live {
		d, err := newDriver(ctx, svc, store, l)
		if err == nil {
			err = d.run(ctx)
		}
		if err != nil {
			errs = append(errs, fmt.Errorf("demo co-op %q: %w", l.Application.Name, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}

// driver carries one live co-op.
type driver struct {
	svc             *journey.Service
	store           pathway.Store
	l               LiveCoop
	id              string
	route           []string
	founder, agency *pathway.User
}

func newDriver(ctx context.Context, svc *journey.Service, store pathway.Store, l LiveCoop) (*driver, error) {
	route, ok := routes[l.Target]
	if !ok {
		return nil, fmt.Errorf("no route to the %s stage", l.Target)
	}
	d := &driver{svc: svc, store: store, l: l, id: l.ID(), route: route}
	var err error
	if d.founder, err = d.user(ctx, l.Founder); err != nil {
		return nil, err
	}
	if d.agency, err = d.user(ctx, l.Agency); err != nil {
		return nil, err
	}
	return d, nil
}

// user loads a demo user that Seed stored.
func (d *driver) user(ctx context.Context, id string) (*pathway.User, error) {
	u, err := d.store.GetUser(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, fmt.Errorf("user %s is not in the store: seed the demo data before driving it", id)
	}
	return u, err
}

// run takes one action per pass, chosen by the co-op's current stage,
// until the co-op is at its target (or has left its route).
func (d *driver) run(ctx context.Context) error {
	applied := false
	for range maxSteps {
		c, err := d.store.GetCoop(ctx, d.id)
		if code := pathway.ErrorCode(err); code != "" && code != pathway.ENOTFOUND {
			return err
		}
		if c == nil || (c.Stage == pathway.StageApplied && !applied) {
			// Not applied yet, or applied by a run that stopped before
			// the workflow started: applying again with the same key is
			// the retry a founder would make, and starts it.
			if err := d.apply(ctx); err != nil {
				return err
			}
			applied = true
			continue
		}
		if c.Failure != "" {
			return fmt.Errorf("its workflow stopped at the %s stage: %s", c.Stage, c.Failure)
		}
		i := slices.Index(d.route, c.Stage)
		if i < 0 {
			// Moved on by a person in an earlier run (the route ends at
			// the target): theirs now.
			return nil
		}
		if i == len(d.route)-1 {
			return d.settle(ctx, c)
		}
		err = d.step(ctx, c, d.route[i+1])
		if pathway.ErrorCode(err) == pathway.ECONFLICT {
			continue // someone, or the workflow, got there first: look again
		} else if err != nil {
			return err
		}
	}
	return fmt.Errorf("it did not reach the %s stage after %d actions", d.l.Target, maxSteps)
}

// apply sends the application and waits until screening moves it on.
func (d *driver) apply(ctx context.Context) error {
	if _, err := d.svc.Apply(ctx, d.founder, d.id, d.l.Application); err != nil {
		return fmt.Errorf("applying: %w", err)
	}
	return d.waitMoved(ctx, pathway.StageApplied)
}

// step does what moves the co-op from its stage to next, and waits until
// the workflow has moved it.
func (d *driver) step(ctx context.Context, c *pathway.Coop, next string) error {
	var err error
	switch c.Stage {
	case pathway.StageAwaitingPanel:
		err = d.answer(ctx, d.agency, pathway.TaskPanelDecision,
			&journey.PanelAnswer{Outcome: pathway.PanelAccept, Notes: "A committed founding group with a clear plan; welcome to the programme."})
	case pathway.StageCQCPreparing:
		err = d.completeChecklist(ctx)
	case pathway.StageCQCReady:
		err = d.answer(ctx, d.founder, pathway.TaskCQCSubmission,
			&journey.SubmissionAnswer{SubmittedOn: today()})
	case pathway.StageCQCSubmitted:
		err = d.answer(ctx, d.agency, pathway.TaskCQCDecision, cqcAnswer(next))
	default:
		return fmt.Errorf("the demo cannot move a co-op on from the %s stage", c.Stage)
	}
	if err != nil {
		return err
	}
	return d.waitMoved(ctx, c.Stage)
}

// cqcAnswer is the CQC decision that leads to the stage.
func cqcAnswer(stage string) *journey.CQCAnswer {
	a := &journey.CQCAnswer{DecidedOn: today()}
	switch stage {
	case pathway.StageCQCProposalToRefuse:
		a.Outcome = pathway.CQCProposalToRefuse
	case pathway.StageCQCRefused:
		a.Outcome = pathway.CQCRefused
	default:
		a.Outcome, a.ProviderID = pathway.CQCRegistered, "1-900000002"
	}
	return a
}

// today is today's date in the UK, which is never before the day a
// co-op the demo just created applied, nor after today.
func today() string { return pathway.UKToday(time.Now()).Format(time.DateOnly) }

// settle finishes the target stage's own part (the deferral, the partial
// checklist) and waits until the tasks its users act on are open, so that
// the demo starts only when they show in the inboxes.
func (d *driver) settle(ctx context.Context, c *pathway.Coop) error {
	switch c.Stage {
	case pathway.StageAwaitingPanel:
		if err := d.deferOnce(ctx); err != nil {
			return err
		}
		return d.waitTasks(ctx, c, taskFor{d.agency, pathway.TaskPanelDecision})
	case pathway.StageCQCPreparing:
		if err := d.waitTasks(ctx, c, taskFor{d.founder, pathway.TaskChecklist}); err != nil {
			return err
		}
		return d.scriptChecklist(ctx)
	case pathway.StageCQCReady:
		return d.waitTasks(ctx, c, taskFor{d.founder, pathway.TaskCQCSubmission})
	case pathway.StageCQCSubmitted, pathway.StageCQCProposalToRefuse:
		return d.waitTasks(ctx, c, taskFor{d.founder, pathway.TaskCQCDecision}, taskFor{d.agency, pathway.TaskCQCDecision})
	}
	return nil // an end stage: nothing is open
}

// deferOnce has the panel defer its first decision, unless the co-op
// should not be deferred or was deferred already.
func (d *driver) deferOnce(ctx context.Context) error {
	if !d.l.DeferPanel {
		return nil
	}
	if done, err := d.hasEvent(ctx, pathway.ActionPanelDeferred, ""); err != nil || done {
		return err
	}
	return d.answer(ctx, d.agency, pathway.TaskPanelDecision,
		&journey.PanelAnswer{Outcome: pathway.PanelDefer, Notes: "The panel would like to see the draft rules first; back at next month's panel."})
}

// answer waits until the task of the kind shows in u's inbox, and answers
// it as u would.
func (d *driver) answer(ctx context.Context, u *pathway.User, kind string, a journey.Answer) error {
	var id string
	err := d.wait(ctx, fmt.Sprintf("a %s task for %s", kind, u.Name), func() (bool, error) {
		inbox, err := d.svc.Inbox(ctx, u)
		for _, t := range inbox {
			if t.Coop == d.id && t.Kind == kind && t.CanAct {
				id = t.ID
			}
		}
		return id != "", err
	})
	if err != nil {
		return err
	}
	t, c, err := d.svc.TaskToAnswer(ctx, u, id)
	if err != nil {
		return err
	}
	if _, err := d.svc.Decide(ctx, u, t, c, a); err != nil {
		return fmt.Errorf("answering the %s task: %w", kind, err)
	}
	return nil
}

// completeChecklist has the founders mark every required item done and
// the agency verify it.
func (d *driver) completeChecklist(ctx context.Context) error {
	c, err := d.store.GetCoop(ctx, d.id)
	if err != nil {
		return err
	}
	// The checklist is built just after the panel's acceptance moves the
	// stage; its task opens once it is stored.
	if err := d.waitTasks(ctx, c, taskFor{d.founder, pathway.TaskChecklist}); err != nil {
		return err
	}
	items, err := d.store.ListChecklist(ctx, d.id)
	if err != nil {
		return err
	}
	acted := false
	var last *pathway.ChecklistItem
	for _, it := range items {
		if !it.Required {
			continue
		}
		last = it
		if it.Status == pathway.ItemVerified {
			continue
		}
		acted = true
		if err := d.bringTo(ctx, it, ItemScript{Item: it.ID, Status: pathway.ItemVerified}); err != nil {
			return err
		}
	}
	if !acted && last != nil {
		// Every item was verified by a run that stopped before the
		// workflow heard: verifying the last one again only resends that.
		_, err = d.svc.Verify(ctx, d.agency, d.id, last.ID, journey.Verification{Outcome: journey.VerifyAccepted})
	}
	return err
}

// scriptChecklist leaves the scripted items where the script says. An
// item whose script ended once (its last action is in the audit trail) is
// left alone, so a founder redoing a returned item is not undone.
func (d *driver) scriptChecklist(ctx context.Context) error {
	for _, s := range d.l.Checklist {
		done, err := d.hasEvent(ctx, itemAction(s.Status), s.Item)
		if err != nil || done {
			if err != nil {
				return err
			}
			continue
		}
		it, err := d.store.GetChecklistItem(ctx, d.id, s.Item)
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			return fmt.Errorf("its checklist has no item %s", s.Item)
		} else if err != nil {
			return err
		}
		if err := d.bringTo(ctx, it, s); err != nil {
			return err
		}
	}
	return nil
}

// itemAction is the event action that leaves an item in the status.
func itemAction(status string) string {
	switch status {
	case pathway.ItemVerified:
		return pathway.ActionChecklistItemVerified
	case pathway.ItemReturned:
		return pathway.ActionChecklistItemReturned
	}
	return pathway.ActionChecklistItemDone
}

// bringTo marks the item done, if it is not, and then has the agency verify
// or return it as the script says.
func (d *driver) bringTo(ctx context.Context, it *pathway.ChecklistItem, s ItemScript) error {
	status := it.Status
	if status == pathway.ItemNotStarted || status == pathway.ItemReturned {
		up := journey.ItemUpdate{Status: pathway.ItemDone,
			Evidence: "Uploaded to the co-op's shared drive: " + it.Title + ".",
			Link:     "https://docs.example.org/" + d.id + "/" + strings.ToLower(it.ID)}
		if _, err := d.svc.MarkDone(ctx, d.founder, d.id, it.ID, up); err != nil {
			return fmt.Errorf("marking %s done: %w", it.ID, err)
		}
		status = pathway.ItemDone
	}
	if status != pathway.ItemDone || s.Status == pathway.ItemDone {
		return nil
	}
	v := journey.Verification{Outcome: journey.VerifyAccepted}
	if s.Status == pathway.ItemReturned {
		v = journey.Verification{Outcome: journey.VerifyReturned, Comment: s.Comment}
	}
	if _, err := d.svc.Verify(ctx, d.agency, d.id, it.ID, v); err != nil {
		return fmt.Errorf("checking %s: %w", it.ID, err)
	}
	return nil
}

// hasEvent reports whether the co-op's audit trail has an event with the
// action (and, when item is set, about that checklist item).
func (d *driver) hasEvent(ctx context.Context, action, item string) (bool, error) {
	cursor := ""
	for {
		page, err := d.store.ListEvents(ctx, pathway.CoopSubject(d.id), cursor, pathway.MaxPageSize)
		if err != nil {
			return false, err
		}
		for _, e := range page.Events {
			if e.Action == action && (item == "" || e.Data["item"] == item) {
				return true, nil
			}
		}
		if cursor = page.Next; cursor == "" {
			return false, nil
		}
	}
}

// taskFor is an open task a user is expected to have.
type taskFor struct {
	u    *pathway.User
	kind string
}

// waitTasks waits until each user has an open task of the kind for the
// co-op that was opened in its current stage (not one of an earlier stage
// or round that the workflow is about to cancel).
func (d *driver) waitTasks(ctx context.Context, c *pathway.Coop, want ...taskFor) error {
	for _, w := range want {
		what := fmt.Sprintf("an open %s task for %s", w.kind, w.u.Name)
		err := d.wait(ctx, what, func() (bool, error) {
			open, err := d.store.ListTasks(ctx, pathway.TaskFilter{Coop: d.id})
			for _, t := range open {
				if t.Kind == w.kind && w.u.CanActOn(t, c) && !t.CreatedAt.Before(c.StageEnteredAt) {
					return true, nil
				}
			}
			return false, err
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// waitMoved waits until the workflow moves the co-op on from the stage.
func (d *driver) waitMoved(ctx context.Context, from string) error {
	return d.wait(ctx, "a move on from the "+from+" stage", func() (bool, error) {
		c, err := d.store.GetCoop(ctx, d.id)
		if err != nil {
			return false, err
		}
		return c.Stage != from || c.Failure != "", nil
	})
}

// wait polls cond until it holds, fails, or waitTimeout passes.
func (d *driver) wait(ctx context.Context, what string, cond func() (bool, error)) error {
	timeout := time.NewTimer(waitTimeout)
	defer timeout.Stop()
	tick := time.NewTicker(pollEvery)
	defer tick.Stop()
	for {
		ok, err := cond()
		if ok || err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("stopped waiting for %s: %w", what, ctx.Err())
		case <-timeout.C:
			return fmt.Errorf("waited %s for %s, but it did not come: the local workflow engine may have stopped, or a step keeps failing (see the log)", waitTimeout, what)
		case <-tick.C:
		}
	}
}
