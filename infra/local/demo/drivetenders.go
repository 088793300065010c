package demo

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

// tenderRoutes are the statuses a demo tender passes through to reach each
// target, in order; the target is last.
var tenderRoutes = map[string][]string{
	tenders.StatusOpen: {tenders.StatusDraft, tenders.StatusOpen},
	tenders.StatusStandstill: {tenders.StatusDraft, tenders.StatusOpen, tenders.StatusEvaluation,
		tenders.StatusModeration, tenders.StatusAward, tenders.StatusStandstill},
	tenders.StatusContracted: {tenders.StatusDraft, tenders.StatusOpen, tenders.StatusEvaluation,
		tenders.StatusModeration, tenders.StatusAward, tenders.StatusContracting, tenders.StatusContracted},
}

// DriveTenders carries every tender of LiveTenders to its target status, as
// the council's lead and evaluators and the co-ops' founders would, through
// the tenders service over st and ts and the real tender workflow wf. Seed
// must have run first (it stores the council, its staff and the co-ops
// registered with CQC that bid).
//
// Bids must come before a tender's deadline, yet the deadlines of the
// tenders past bidding must have passed, so those are written, published
// and bid for by a service whose clock is set back to the day each was
// written; evaluation, moderation, award and contract happen now, and the
// workflow's Wait on the past deadline passes at once. Its workflow is
// started only once the bids are in (the service's start is held back),
// so that it cannot close the tender first.
//
// A tender that exists resumes from its status; one at its target, or
// moved off its route by a person, is left as it is, so DriveTenders may
// run on every start. It carries on when one fails and returns every
// failure.
func DriveTenders(ctx context.Context, st pathway.Store, ts *tenderstore.Store, wf pathway.Workflows) error {
	now := time.Now()
	var errs []error
	for _, l := range LiveTenders(now) {
		d := &tenderDriver{st: st, ts: ts, wf: wf, l: l, clock: &setClock{}}
		d.past = tenderservice.New(st, ts, heldStarts{wf}, d.clock.Now)
		d.svc = tenderservice.New(st, ts, wf, time.Now)
		if err := d.run(ctx); err != nil {
			errs = append(errs, fmt.Errorf("demo tender %q: %w", l.Tender.Title, err))
		}
		if ctx.Err() != nil {
			break
		}
	}
	return errors.Join(errs...)
}

// setClock is a clock that reads the time it was last set to.
type setClock struct {
	mu sync.Mutex
	at time.Time
}

func (c *setClock) Set(t time.Time) { c.mu.Lock(); c.at = t; c.mu.Unlock() }

func (c *setClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.at }

// heldStarts is the workflows with the tender workflow's start held back:
// the service's start after publishing is taken as sent, and DriveTenders
// starts the execution itself once the bids are in.
type heldStarts struct{ pathway.Workflows }

func (h heldStarts) StartExecution(ctx context.Context, machine, name string, input json.RawMessage) error {
	if machine == pathway.WorkflowTender {
		return nil
	}
	return h.Workflows.StartExecution(ctx, machine, name, input)
}

// tenderDriver carries one live tender.
type tenderDriver struct {
	st    pathway.Store
	ts    *tenderstore.Store
	wf    pathway.Workflows
	l     LiveTender
	clock *setClock
	// past acts on the clock set back; svc now.
	past, svc *tenderservice.Service
}

// run takes one action per pass, chosen by the tender's status, until it
// is at its target (or has left its route).
func (d *tenderDriver) run(ctx context.Context) error {
	route := tenderRoutes[d.l.Target]
	if route == nil {
		return fmt.Errorf("no route to the %s status", d.l.Target)
	}
	id := d.l.Tender.ID
	for range maxSteps {
		t, err := d.ts.GetTender(ctx, id)
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			err = d.write(ctx)
		} else if err == nil {
			i := slices.Index(route, t.Status)
			if i < 0 {
				return nil // moved on by a person in an earlier run: theirs now
			}
			if i == len(route)-1 {
				return d.settle(ctx, t)
			}
			err = d.step(ctx, t)
		}
		if pathway.ErrorCode(err) == pathway.ECONFLICT {
			continue // the workflow, or someone, got there first: look again
		} else if err != nil {
			return err
		}
	}
	return fmt.Errorf("it did not reach the %s status after %d actions", d.l.Target, maxSteps)
}

// write has the lead write the draft, on the day it was written.
func (d *tenderDriver) write(ctx context.Context) error {
	lead, err := d.user(ctx, UserCouncilLead)
	if err != nil {
		return err
	}
	written, _, _ := tenderTimes(time.Now(), d.l.Past())
	d.clock.Set(written)
	in := d.l.Tender
	if _, err := d.past.CreateTender(ctx, lead, &in); err != nil {
		return fmt.Errorf("writing it: %w", err)
	}
	return nil
}

// step does what moves the tender on from its status.
func (d *tenderDriver) step(ctx context.Context, t *tenders.Tender) error {
	switch t.Status {
	case tenders.StatusDraft:
		lead, err := d.user(ctx, UserCouncilLead)
		if err != nil {
			return err
		}
		d.clock.Set(t.CreatedAt)
		_, err = d.past.Publish(ctx, lead, t.ID)
		return err
	case tenders.StatusOpen:
		if err := d.bid(ctx, t); err != nil {
			return err
		}
		if err := d.start(ctx, t); err != nil {
			return err
		}
		return d.waitMoved(ctx, t.Status)
	case tenders.StatusEvaluation:
		return d.evaluate(ctx, t)
	case tenders.StatusModeration:
		return d.moderate(ctx, t)
	case tenders.StatusAward:
		return d.award(ctx, t)
	case tenders.StatusContracting:
		return d.contract(ctx, t)
	}
	return fmt.Errorf("nothing the demo does moves it from %s", t.Status)
}

// settle waits, at the target, for the tasks a demo user acts on next.
func (d *tenderDriver) settle(ctx context.Context, t *tenders.Tender) error {
	switch t.Status {
	case tenders.StatusOpen:
		// Published by an earlier run that stopped before starting it.
		return d.start(ctx, t)
	case tenders.StatusContracted:
		_, err := d.waitTask(ctx, tenders.Subject(t.ID), tenders.TaskContractNotice, "", nil)
		return err
	}
	return nil
}

// start starts the tender's workflow, unless it was started before.
func (d *tenderDriver) start(ctx context.Context, t *tenders.Tender) error {
	input, _ := json.Marshal(map[string]string{"tender": t.ID})
	err := d.wf.StartExecution(ctx, pathway.WorkflowTender, tenderservice.ExecutionName(t.ID), input)
	if errors.Is(err, pathway.ErrAlreadyStarted) {
		return nil
	}
	return err
}

// bid sends each co-op's bid that is not in yet, an hour apart from the
// tender's publication, well before its deadline.
func (d *tenderDriver) bid(ctx context.Context, t *tenders.Tender) error {
	for i, lb := range d.l.Bids {
		if _, err := d.ts.GetBid(ctx, lb.ID()); err == nil {
			continue
		} else if pathway.ErrorCode(err) != pathway.ENOTFOUND {
			return err
		}
		u, err := d.user(ctx, lb.Founder)
		if err != nil {
			return err
		}
		in := tenderservice.BidInput{Tender: t.ID, Coop: lb.Coop, Responses: responses()}
		for _, lot := range t.Lots {
			in.Lots = append(in.Lots, tenders.LotPrice{Lot: lot.ID, Price: lb.Price})
		}
		d.clock.Set(t.PublishedAt.Add(time.Duration(24*(i+1)) * time.Hour))
		if _, err := d.past.Submit(ctx, u, lb.ID(), in); err != nil {
			return fmt.Errorf("bidding for %s: %w", lb.Coop, err)
		}
	}
	return nil
}

// bidOf returns the demo bid with the ID.
func (d *tenderDriver) bidOf(id string) (LiveBid, bool) {
	i := slices.IndexFunc(d.l.Bids, func(b LiveBid) bool { return b.ID() == id })
	if i < 0 {
		return LiveBid{}, false
	}
	return d.l.Bids[i], true
}

// evaluate has each evaluator declare no conflict and score each bid near
// the scores the lead will agree: the second evaluator a mark lower on
// care, so that moderation has something to settle.
func (d *tenderDriver) evaluate(ctx context.Context, t *tenders.Tender) error {
	for _, lb := range d.l.Bids {
		for n, who := range t.Evaluators {
			task, err := d.waitTask(ctx, tenders.BidSubject(lb.ID()), tenders.TaskEvaluation, who, d.scored(ctx, lb.ID(), who))
			if err != nil {
				return err
			} else if task == nil {
				continue
			}
			u, err := d.user(ctx, who)
			if err != nil {
				return err
			}
			if _, err := d.svc.Declare(ctx, u, lb.ID(), tenders.DeclarationAnswer{}); err != nil {
				return fmt.Errorf("%s declaring on %s: %w", u.Name, lb.Coop, err)
			}
			ans := tenders.ScoresAnswer{Scores: map[string]int{}, Reasons: map[string]string{}}
			for c, s := range lb.Agreed {
				if n > 0 && c == critCare && s > 0 {
					s--
				}
				ans.Scores[c], ans.Reasons[c] = s, reasonFor(s)
			}
			if err := d.answer(ctx, u, task, ans); err != nil {
				return err
			}
		}
	}
	return d.waitMoved(ctx, tenders.StatusEvaluation)
}

// scored reports whether the evaluator has scored the bid (an earlier
// run's answer).
func (d *tenderDriver) scored(ctx context.Context, bid, who string) func() (bool, error) {
	return func() (bool, error) {
		evs, err := d.ts.Evaluations(ctx, bid)
		return slices.ContainsFunc(evs, func(e *tenders.Evaluation) bool {
			return e.Evaluator == who && (e.Conflict || !e.ScoredAt.IsZero())
		}), err
	}
}

// agreed reports whether the lead has agreed the bid's scores (an earlier
// run's answer).
func (d *tenderDriver) agreed(ctx context.Context, bid string) func() (bool, error) {
	return func() (bool, error) {
		b, err := d.ts.GetBid(ctx, bid)
		return err == nil && b.Agreed != nil, err
	}
}

// reasonFor is an evaluator's reason for a score.
func reasonFor(score int) string {
	switch {
	case score >= 5:
		return "An excellent answer: clear, specific and backed by evidence from their own work."
	case score == 4:
		return "A good answer with evidence; some detail missing."
	case score == 3:
		return "An acceptable answer, though general in places."
	}
	return "A weak answer that leaves the council's questions open."
}

// moderate has the lead agree each bid's scores.
func (d *tenderDriver) moderate(ctx context.Context, t *tenders.Tender) error {
	lead, err := d.user(ctx, UserCouncilLead)
	if err != nil {
		return err
	}
	for _, lb := range d.l.Bids {
		task, err := d.waitTask(ctx, tenders.BidSubject(lb.ID()), tenders.TaskModeration, "", d.agreed(ctx, lb.ID()))
		if err != nil {
			return err
		} else if task == nil {
			continue
		}
		ans := tenders.ScoresAnswer{Scores: lb.Agreed, Reasons: map[string]string{}}
		for c, s := range lb.Agreed {
			ans.Reasons[c] = "Agreed at moderation. " + reasonFor(s)
		}
		if err := d.answer(ctx, lead, task, ans); err != nil {
			return err
		}
	}
	return d.waitMoved(ctx, tenders.StatusModeration)
}

// award has the lead award each lot to the top-ranked bid.
func (d *tenderDriver) award(ctx context.Context, t *tenders.Tender) error {
	lead, err := d.user(ctx, UserCouncilLead)
	if err != nil {
		return err
	}
	task, err := d.waitTask(ctx, tenders.Subject(t.ID), tenders.TaskAward, "", nil)
	if err != nil || task == nil {
		return err
	}
	bids, err := d.ts.ListBids(ctx, t.ID)
	if err != nil {
		return err
	}
	var ans tenders.AwardAnswer
	for _, lot := range t.Lots {
		for _, b := range bids {
			if _, demo := d.bidOf(b.ID); demo && slices.ContainsFunc(b.Results, func(r tenders.LotResult) bool { return r.Lot == lot.ID && r.Rank == 1 }) {
				ans.Lots = append(ans.Lots, tenders.AwardChoice{Lot: lot.ID, Bid: b.ID})
			}
		}
	}
	if err := d.answer(ctx, lead, task, ans); err != nil {
		return err
	}
	return d.waitMoved(ctx, tenders.StatusAward)
}

// contract has the lead record the contract, signed today, for the term.
func (d *tenderDriver) contract(ctx context.Context, t *tenders.Tender) error {
	lead, err := d.user(ctx, UserCouncilLead)
	if err != nil {
		return err
	}
	task, err := d.waitTask(ctx, tenders.Subject(t.ID), tenders.TaskContractEntry, "", nil)
	if err != nil || task == nil {
		return err
	}
	ans := tenders.ContractAnswer{SignedOn: today(), Start: t.Term.Start, End: t.Term.End}
	if ans.Start < ans.SignedOn { // a term that started while the demo was off
		ans.Start = ans.SignedOn
	}
	for _, lot := range t.Lots {
		ans.Lots = append(ans.Lots, tenders.ContractLotLine{Lot: lot.ID, Value: d.l.ContractValue})
	}
	if err := d.answer(ctx, lead, task, ans); err != nil {
		return err
	}
	return d.waitMoved(ctx, tenders.StatusContracting)
}

// answer answers the task as u, through the service as the API does, and
// waits until it has left the open list.
func (d *tenderDriver) answer(ctx context.Context, u *pathway.User, t *pathway.Task, answer any) error {
	task, tg, err := d.svc.TaskToAnswer(ctx, u, t.ID)
	if err != nil {
		return fmt.Errorf("%s opening the %s task: %w", u.Name, t.Kind, err)
	}
	ans, err := tenderservice.AnswerFor(task.Kind)
	if err != nil {
		return err
	}
	raw, _ := json.Marshal(answer)
	if err := json.Unmarshal(raw, ans); err != nil {
		return err
	}
	if _, err := d.svc.Answer(ctx, u, task, tg, ans); err != nil {
		return fmt.Errorf("%s answering the %s task: %w", u.Name, task.Kind, err)
	}
	return d.poll(ctx, "the answer to reach the workflow", func() (bool, error) {
		open, err := d.openTasks(ctx, task.Subject, task.Kind)
		return !slices.ContainsFunc(open, func(o *pathway.Task) bool { return o.ID == task.ID }), err
	})
}

// openTasks returns the subject's open tasks of the kind.
func (d *tenderDriver) openTasks(ctx context.Context, subject pathway.Subject, kind string) ([]*pathway.Task, error) {
	all, err := d.st.ListTasks(ctx, pathway.TaskFilter{Subject: subject})
	if err != nil {
		return nil, err
	}
	var out []*pathway.Task
	for _, t := range all {
		if t.Kind == kind && t.Status == pathway.TaskOpen {
			out = append(out, t)
		}
	}
	return out, nil
}

// waitTask waits for the subject's open task of the kind (for the user,
// when set); nil (and no error) when done reports the work done already
// (by an earlier run) or the tender's status changes first.
func (d *tenderDriver) waitTask(ctx context.Context, subject pathway.Subject, kind, user string, done func() (bool, error)) (*pathway.Task, error) {
	first, err := d.ts.GetTender(ctx, d.l.Tender.ID)
	if err != nil {
		return nil, err
	}
	var found *pathway.Task
	err = d.poll(ctx, fmt.Sprintf("a %s task", kind), func() (bool, error) {
		open, err := d.openTasks(ctx, subject, kind)
		if err != nil {
			return false, err
		}
		for _, t := range open {
			if user == "" || t.User == user {
				found = t
				return true, nil
			}
		}
		if done != nil {
			if ok, err := done(); ok || err != nil {
				return ok, err
			}
		}
		now, err := d.ts.GetTender(ctx, first.ID)
		return err == nil && now.Status != first.Status, err
	})
	return found, err
}

// waitMoved waits until the tender has left the status.
func (d *tenderDriver) waitMoved(ctx context.Context, status string) error {
	return d.poll(ctx, "the workflow to move it on from "+status, func() (bool, error) {
		t, err := d.ts.GetTender(ctx, d.l.Tender.ID)
		return err == nil && t.Status != status, err
	})
}

// poll calls done until it is true, within waitTimeout.
func (d *tenderDriver) poll(ctx context.Context, what string, done func() (bool, error)) error {
	deadline := time.Now().Add(waitTimeout)
	for {
		ok, err := done()
		if err != nil || ok {
			return err
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("waited %s for %s: the local workflow engine may have stopped, or a step keeps failing (see the log)", waitTimeout, what)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(pollEvery):
		}
	}
}

// user loads a demo user that Seed stored.
func (d *tenderDriver) user(ctx context.Context, id string) (*pathway.User, error) {
	u, err := d.st.GetUser(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, fmt.Errorf("user %s is not in the store: seed the demo data before driving it", id)
	}
	return u, err
}
