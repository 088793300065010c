// Package tendersteps holds the steps of the tender workflow
// (workflows/tender.asl.json, functions/tender): one execution per tender,
// from its deadline through evaluation free of conflicts of interest,
// moderation, ranking, the award decision, the assessment summaries and
// the award notice (UK6), standstill and any challenge, to the contract,
// the co-ops' move to contracted and the contract details notice (UK7).
//
// It mirrors shared/grants/grantsteps: one method of Steps per step with a
// typed input and output, a Registry by step name (registry.go), errors
// under the same ASL names (steps.Error), and idempotent steps, since Step
// Functions may run a step twice:
//   - events get IDs derived from the execution, the state and the time the
//     state was entered, so a second run appends nothing new;
//   - tasks get IDs derived from the tender, their kind, whom they are for
//     and their task token, so a second run opens nothing new;
//   - a status change goes through tenders.Move (bids: tenders.MoveBid)
//     and is skipped when the record is in the target status already;
//   - every status change is stored with its event in one transaction.
//
// Who moves which status: the service moves draft to open (publishing),
// records bids, declarations, evaluations, agreed scores, the award, the
// contract and the UK7 notice from people's answers; the workflow moves
// the tender at the deadline (no-bids or evaluation), after evaluation
// (moderation), after ranking (award), on notify (standstill or
// contracting), at standstill's end (contracting) and on the contract
// (contracted), moves bids to assessed, below-minimum, won and lost, and
// the winners' co-ops to contracted. After each answer the step makes sure
// what the answer says is stored, so the two never disagree.
package tendersteps

import (
	"context"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

// How long people have, in days.
const (
	EvaluationDays = 14 // an evaluator, from the deadline
	ModerationDays = 7  // the lead, per bid, once evaluations are in
	AwardDays      = 7  // the lead, once the bids are ranked
	ContractDays   = 28 // the lead, to record the contract once it may be entered into
	EscalateDays   = 7  // the lead, on an overdue evaluation
	WaitPollDays   = 7  // a challenge wait looks again this often
)

// Kinds of task the workflow opens besides tenders.Task*.
const (
	// TaskEvaluationOverdue tells the lead an evaluation is overdue; it
	// holds the evaluation's token, and {"outcome":"excuse"} goes on
	// without that evaluator's scores.
	TaskEvaluationOverdue = tenders.TaskEvaluationOverdue
	// TaskWaitChallenge is the machine-only wait of a challenged
	// standstill.
	TaskWaitChallenge = tenders.TaskWaitChallenge
)

// Actions of the events the workflow records.
const (
	ActionNoBids            = "tender.no-bids"
	ActionEvaluation        = "tender.evaluation"
	ActionEvaluationOverdue = "tender.evaluation-overdue"
	ActionEvaluationExcused = "tender.evaluation-excused"
	ActionModeration        = "tender.moderation"
	ActionAward             = "tender.award"
	ActionStandstill        = "tender.standstill"
	ActionContracting       = "tender.contracting"
	ActionContracted        = "tender.contracted"
	ActionNoticePublished   = "tender.notice-published"
	ActionNoneAssessed      = "tender.none-assessed"
	ActionBidAssessed       = "bid.assessed"
	ActionBidBelowMin       = "bid.below-minimum"
	ActionBidScoresAgreed   = "bid.scores-agreed"
	ActionBidWon            = "bid.won"
	ActionBidLost           = "bid.lost"
	ActionCoopContracted    = "coop.contracted"
)

// ASL errors the steps raise for the workflow to catch.
const (
	// ErrCancelled: the council cancelled the tender; the waits end the
	// workflow through CloseCancelled.
	ErrCancelled = "Pathway.Cancelled"
	// ErrNoChallenge: no challenge is open any more, so standstill's end
	// is looked at again.
	ErrNoChallenge = "Pathway.NoChallenge"
	// ErrExcluded: the evaluator declared a conflict with the bid before
	// the task opened; the evaluation ends.
	ErrExcluded = "Pathway.Excluded"
)

const (
	toFounders               = "founders"
	challengeWaitTitle       = "Waiting for the outcome of a challenge to the award"
	evaluationOverdueSummary = "An evaluation is overdue; the council's lead was told."
)

// Steps runs the tender workflow's steps over the store (tasks, events,
// co-ops) and the tender records.
type Steps struct {
	store   pathway.Store
	tenders *tenderstore.Store
	calc    tenders.Calculator
	now     func() time.Time
}

// New returns the steps: calc works out standstill periods (the lead
// is workdays.Calculate outside tests); now tells the time (time.Now outside tests).
func New(store pathway.Store, t *tenderstore.Store, calc tenders.Calculator, now func() time.Time) *Steps {
	return &Steps{store: store, tenders: t, calc: calc, now: now}
}

// Input is what every step receives: the state entry and the tender.
type Input struct {
	steps.Invocation
	// Tender is the tender's ID.
	Tender string `json:"tender"`
}

// check validates the input and returns when the state was entered.
func (in Input) check() (time.Time, error) {
	return in.Invocation.CheckFor("tender", in.Tender, "Enter the tender's ID")
}

// run is a step under way: its input, when its state was entered, and the
// tender as read.
type run struct {
	in Input
	at time.Time
	t  *tenders.Tender
	// scope tells apart the events of a Map's iterations (steps.Invocation.EventID).
	scope string
}

// start checks the input and reads the tender.
func (s *Steps) start(ctx context.Context, in Input) (*run, error) {
	at, err := in.check()
	if err != nil {
		return nil, err
	}
	t, err := s.tenders.GetTender(ctx, in.Tender)
	if err != nil {
		return nil, err
	}
	return &run{in: in, at: at, t: t}, nil
}

// cancelled reports whether the council cancelled the procurement.
func (r *run) cancelled() bool { return r.t.Status == tenders.StatusCancelled }

// errCancelled is the error a task step returns for a cancelled tender;
// the waits catch it and end the workflow.
func errCancelled(r *run) error {
	return messages.InvokeResponse_Error{Type: ErrCancelled, Message: "The council cancelled the tender " + r.t.ID + "."}
}

// event builds the n-th event of the state entry on the subject.
func (s *Steps) event(r *run, subject pathway.Subject, coop string, n int, action, summary string, data map[string]string) (*pathway.Event, error) {
	id, err := r.in.EventID(n, r.scope)
	if err != nil {
		return nil, err
	}
	return &pathway.Event{ID: id, Subject: subject, Coop: coop, At: s.now(), Actor: pathway.ActorSystem,
		Action: action, Summary: pathway.Clip(summary, 1000), Data: data}, nil
}

// record appends the n-th event of the state entry on the tender, once.
func (s *Steps) record(ctx context.Context, r *run, n int, action, summary string, data map[string]string) error {
	e, err := s.event(r, tenders.Subject(r.t.ID), "", n, action, summary, data)
	if err != nil {
		return err
	}
	return s.store.AppendEvent(ctx, e)
}

// move changes the tender's status through tenders.Move with its event,
// unless it is there already (a second run); edit makes the changes that
// go with it, in the same write. A move the table does not allow is
// EINVALID: no retry mends it.
func (s *Steps) move(ctx context.Context, r *run, to, action, summary string, edit func(t *tenders.Tender) error) error {
	if r.t.Status == to {
		return nil
	}
	e, err := s.event(r, tenders.Subject(r.t.ID), "", 0, action, summary, nil)
	if err != nil {
		return err
	}
	next := *r.t
	if err := tenders.Move(&next, to, e.At); err != nil {
		return pathway.Errorf(pathway.EINVALID, "%s", pathway.ErrorMessage(err))
	}
	e.From, e.To = r.t.Status, to
	if edit != nil {
		if err := edit(&next); err != nil {
			return err
		}
	}
	if err := s.tenders.UpdateTender(ctx, &next, e); err != nil {
		return err
	}
	*r.t = next
	return nil
}

// moveBid changes a bid's status through tenders.MoveBid with its event on
// the bid's subject, unless it is there already; edit changes the bid in
// the same write.
func (s *Steps) moveBid(ctx context.Context, r *run, b *tenders.Bid, n int, to, action, summary string, edit func(b *tenders.Bid)) error {
	if b.Status == to {
		return nil
	}
	e, err := s.event(r, tenders.BidSubject(b.ID), b.Coop, n, action, summary, nil)
	if err != nil {
		return err
	}
	next := *b
	if err := tenders.MoveBid(&next, to, e.At); err != nil {
		return pathway.Errorf(pathway.EINVALID, "%s", pathway.ErrorMessage(err))
	}
	e.From, e.To = b.Status, to
	if edit != nil {
		edit(&next)
	}
	if err := s.tenders.UpdateBid(ctx, &next, e); err != nil {
		return err
	}
	*b = next
	return nil
}

// liveBids returns the tender's bids that were not withdrawn.
func (s *Steps) liveBids(ctx context.Context, r *run) ([]*tenders.Bid, error) {
	all, err := s.tenders.ListBids(ctx, r.t.ID)
	if err != nil {
		return nil, err
	}
	out := []*tenders.Bid{}
	for _, b := range all {
		if b.Status != tenders.BidWithdrawn {
			out = append(out, b)
		}
	}
	return out, nil
}

// ukMidnight returns 00:00 UK time at the start of the day (YYYY-MM-DD).
func ukMidnight(day string) (time.Time, error) {
	d, err := time.ParseInLocation(time.DateOnly, day, pathway.UKTime)
	if err != nil {
		return time.Time{}, pathway.Errorf(pathway.EINVALID, "%q is not a date", day)
	}
	return d, nil
}

// FailureInput carries the error a Catch caught.
type FailureInput struct {
	Input
	Failure steps.Failure `json:"failure"`
}

// OutcomeOutput says how a step ended.
type OutcomeOutput struct {
	Outcome string `json:"outcome"`
}

// RecordFailure records in the tender's audit trail that its workflow
// stopped, and why.
func (s *Steps) RecordFailure(ctx context.Context, in FailureInput) (*OutcomeOutput, error) {
	return steps.Result(s.recordFailure(ctx, in))
}

func (s *Steps) recordFailure(ctx context.Context, in FailureInput) (*OutcomeOutput, error) {
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	return &OutcomeOutput{Outcome: "failed"}, s.record(ctx, r, 0, pathway.ActionWorkflowFailed,
		"The tender workflow stopped: "+pathway.Clip(in.Failure.Why(), 900), map[string]string{"error": in.Failure.Error})
}
