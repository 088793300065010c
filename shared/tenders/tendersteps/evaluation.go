package tendersteps

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// What Close tells the workflow to do next.
const (
	NextEvaluate  = "evaluate"
	NextNoBids    = "no-bids"
	NextCancelled = "cancelled"
)

// OpenOutput is when bids close, for the Wait state's TimestampPath.
type OpenOutput struct {
	ClosesAt string `json:"closesAt"`
}

// OpenTender reads the published tender and returns its deadline as an
// RFC 3339 timestamp, which the workflow waits for.
func (s *Steps) OpenTender(ctx context.Context, in Input) (*OpenOutput, error) {
	return steps.Result(s.openTender(ctx, in))
}

func (s *Steps) openTender(ctx context.Context, in Input) (*OpenOutput, error) {
	r, err := s.start(ctx, in)
	if err != nil {
		return nil, err
	}
	if r.t.Status == tenders.StatusDraft {
		return nil, pathway.Errorf(pathway.EINVALID, "The tender %s is a draft: publish it before its workflow starts.", r.t.ID)
	}
	return &OpenOutput{ClosesAt: r.t.TendersCloseAt.UTC().Format(time.RFC3339)}, nil
}

// EvaluationItem is one evaluation the workflow's Map waits for.
type EvaluationItem struct {
	Bid       string `json:"bid"`
	Evaluator string `json:"evaluator"`
}

// CloseOutput says what follows the deadline.
type CloseOutput struct {
	Next        string           `json:"next"`
	Evaluations []EvaluationItem `json:"evaluations"`
	Bids        int              `json:"bids"`
	DueSeconds  int64            `json:"dueSeconds"`
}

// Close runs at the deadline: with no bid in, the tender closes with no
// bids; otherwise it moves to evaluation, and every bid is given to every
// evaluator who has not declared a conflict with it.
func (s *Steps) Close(ctx context.Context, in Input) (*CloseOutput, error) {
	return steps.Result(s.close(ctx, in))
}

func (s *Steps) close(ctx context.Context, in Input) (*CloseOutput, error) {
	r, err := s.start(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &CloseOutput{Evaluations: []EvaluationItem{}, DueSeconds: steps.Seconds(steps.Days(EvaluationDays))}
	if r.cancelled() {
		out.Next = NextCancelled
		return out, nil
	}
	bids, err := s.liveBids(ctx, r)
	if err != nil {
		return nil, err
	}
	out.Bids = len(bids)
	if len(bids) == 0 || r.t.Status == tenders.StatusNoBids {
		out.Next = NextNoBids
		return out, s.move(ctx, r, tenders.StatusNoBids, ActionNoBids, "The deadline passed with no bid.", nil)
	}
	err = s.move(ctx, r, tenders.StatusEvaluation, ActionEvaluation,
		fmt.Sprintf("The deadline passed with %d bids; the evaluators score them by %s.", len(bids), pathway.FormatDate(r.at.Add(steps.Days(EvaluationDays)))), nil)
	if err != nil {
		return nil, err
	}
	for _, b := range bids {
		for _, ev := range r.t.Evaluators {
			excluded, err := s.tenders.IsExcluded(ctx, b.ID, ev)
			if err != nil {
				return nil, err
			}
			if !excluded {
				out.Evaluations = append(out.Evaluations, EvaluationItem{Bid: b.ID, Evaluator: ev})
			}
		}
	}
	out.Next = NextEvaluate
	return out, nil
}

// evaluationKinds are replaced together.
var evaluationKinds = []string{tenders.TaskEvaluation, TaskEvaluationOverdue}

// OpenEvaluationTask opens the evaluator's tender-evaluation task on the
// bid, due DueSeconds after the state was entered: they declare their
// interests first, then score. An evaluator excluded already is
// ErrExcluded, which the Map's iteration catches and ends.
func (s *Steps) OpenEvaluationTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openEvaluationTask(ctx, in, false))
}

// EscalateEvaluation runs when an evaluation is overdue: the evaluator's
// task is opened again with the wait's new token, and the council's lead
// gets a tender-evaluation-overdue task holding the same token, to go on
// without the evaluator ({"outcome":"excuse"}).
func (s *Steps) EscalateEvaluation(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openEvaluationTask(ctx, in, true))
}

func (s *Steps) openEvaluationTask(ctx context.Context, in TaskInput, overdue bool) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	if in.Bid == "" || in.Evaluator == "" {
		return nil, pathway.Invalid(map[string]string{"bid": "Enter the bid and its evaluator"})
	}
	if r.t.Status != tenders.StatusEvaluation {
		return nil, pathway.Errorf(pathway.EINVALID, "The tender is %q, so its bids are not being evaluated.", r.t.Status)
	}
	excluded, err := s.tenders.IsExcluded(ctx, in.Bid, in.Evaluator)
	if err != nil {
		return nil, err
	}
	if excluded {
		return nil, messages.InvokeResponse_Error{Type: ErrExcluded, Message: in.Evaluator + " declared a conflict with bid " + in.Bid + "."}
	}
	who, subject := in.Bid+"\x00"+in.Evaluator, tenders.BidSubject(in.Bid)
	r.scope = who
	title, due := "Evaluate a bid for "+r.t.Title, r.due(in, steps.Days(EvaluationDays))
	if overdue {
		title, due = "Overdue evaluation of a bid for "+r.t.Title, r.at
	}
	tasks := []*pathway.Task{s.newTask(r, subject, who, in.TaskToken, pathway.Task{Kind: tenders.TaskEvaluation,
		User: in.Evaluator, Organisation: r.t.Council, Role: pathway.RoleCommissioner, Title: title, Due: due})}
	if overdue {
		tasks = append(tasks, s.newTask(r, subject, who, in.TaskToken, pathway.Task{Kind: TaskEvaluationOverdue,
			Organisation: r.t.Council, Role: pathway.RoleCommissionerLead, Title: "An evaluation is overdue: " + r.t.Title,
			Due: r.at.Add(steps.Days(EscalateDays))}))
		if err := s.record(ctx, r, 0, ActionEvaluationOverdue, evaluationOverdueSummary,
			map[string]string{"bid": in.Bid, "evaluator": in.Evaluator}); err != nil {
			return nil, err
		}
	}
	return s.openTasks(ctx, r, subject, evaluationKinds, who, tasks...)
}

// EvaluationAnswerInput carries the answer to an evaluation wait: the
// evaluator's conflict ({"conflict":true,"reason"}), their scores
// (tenders.ScoresAnswer) or the lead's {"outcome":"excuse"}.
type EvaluationAnswerInput struct {
	Input
	Bid       string          `json:"bid"`
	Evaluator string          `json:"evaluator"`
	Answer    json.RawMessage `json:"answer"`
}

type evaluationAnswer struct {
	tenders.ScoresAnswer
	Conflict bool   `json:"conflict"`
	Reason   string `json:"reason"`
	Outcome  string `json:"outcome"`
}

// RecordEvaluation closes the evaluation's tasks and makes sure what the
// answer says is stored: the conflict (tenderstore.Declare) or the scores
// (tenderstore.PutEvaluation), which the service stores first.
func (s *Steps) RecordEvaluation(ctx context.Context, in EvaluationAnswerInput) (*OutcomeOutput, error) {
	return steps.Result(s.recordEvaluation(ctx, in))
}

func (s *Steps) recordEvaluation(ctx context.Context, in EvaluationAnswerInput) (*OutcomeOutput, error) {
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	var ans evaluationAnswer
	if err := json.Unmarshal(in.Answer, &ans); err != nil || in.Bid == "" || in.Evaluator == "" {
		return nil, pathway.Invalid(map[string]string{"answer": "Enter the evaluation's answer, its bid and its evaluator"})
	}
	who := in.Bid + "\x00" + in.Evaluator
	r.scope = who
	if err := s.closeTasks(ctx, r, tenders.BidSubject(in.Bid), evaluationKinds, who, nil, "the evaluation was answered"); err != nil {
		return nil, err
	}
	if r.cancelled() {
		return nil, errCancelled(r)
	}
	now := s.now()
	switch {
	case ans.Outcome == "excuse":
		return &OutcomeOutput{Outcome: "excused"}, s.record(ctx, r, 1, ActionEvaluationExcused,
			"The council's lead went on without an overdue evaluation.", map[string]string{"bid": in.Bid, "evaluator": in.Evaluator})
	case ans.Conflict:
		_, err := s.tenders.Declare(ctx, &tenders.Evaluation{Bid: in.Bid, Tender: r.t.ID, Evaluator: in.Evaluator,
			Conflict: true, Reason: ans.Reason, Declared: now}, nil)
		return &OutcomeOutput{Outcome: "conflict"}, err
	}
	if _, err := s.tenders.Declare(ctx, &tenders.Evaluation{Bid: in.Bid, Tender: r.t.ID, Evaluator: in.Evaluator, Declared: now}, nil); err != nil {
		return nil, err
	}
	_, err = s.tenders.PutEvaluation(ctx, &tenders.Evaluation{Bid: in.Bid, Tender: r.t.ID, Evaluator: in.Evaluator,
		Scores: ans.Scores, Reasons: ans.Reasons, Declared: now, ScoredAt: now}, nil)
	return &OutcomeOutput{Outcome: "scored"}, err
}

// ModerationPlan lists the bids the lead moderates.
type ModerationPlan struct {
	Bids       []string `json:"bids"`
	DueSeconds int64    `json:"dueSeconds"`
}

// StartModeration runs when every evaluation is in (or excused): the
// tender moves to moderation, and every bid still in is listed.
func (s *Steps) StartModeration(ctx context.Context, in Input) (*ModerationPlan, error) {
	return steps.Result(s.startModeration(ctx, in))
}

func (s *Steps) startModeration(ctx context.Context, in Input) (*ModerationPlan, error) {
	r, err := s.start(ctx, in)
	if err != nil {
		return nil, err
	}
	if r.cancelled() {
		return nil, errCancelled(r)
	}
	err = s.move(ctx, r, tenders.StatusModeration, ActionModeration, "The evaluations are in; the council's lead agrees the scores.", nil)
	if err != nil {
		return nil, err
	}
	bids, err := s.liveBids(ctx, r)
	if err != nil {
		return nil, err
	}
	plan := &ModerationPlan{Bids: []string{}, DueSeconds: steps.Seconds(steps.Days(ModerationDays))}
	for _, b := range bids {
		plan.Bids = append(plan.Bids, b.ID)
	}
	return plan, nil
}

// OpenModerationTask asks the council's lead to agree one bid's scores,
// seeing every evaluator's.
func (s *Steps) OpenModerationTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openModerationTask(ctx, in))
}

func (s *Steps) openModerationTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	if in.Bid == "" {
		return nil, pathway.Invalid(map[string]string{"bid": "Enter the bid"})
	}
	subject := tenders.BidSubject(in.Bid)
	t := s.newTask(r, subject, in.Bid, in.TaskToken, pathway.Task{Kind: tenders.TaskModeration, Organisation: r.t.Council,
		Role: pathway.RoleCommissionerLead, Title: "Agree the scores of a bid for " + r.t.Title, Due: r.due(in, steps.Days(ModerationDays))})
	return s.openTasks(ctx, r, subject, []string{tenders.TaskModeration}, in.Bid, t)
}

// ModerationAnswerInput carries the lead's agreed scores for a bid.
type ModerationAnswerInput struct {
	Input
	Bid    string               `json:"bid"`
	Answer tenders.ScoresAnswer `json:"answer"`
}

// RecordModeration closes the moderation task and makes sure the agreed
// scores are stored on the bid (the service stores them first).
func (s *Steps) RecordModeration(ctx context.Context, in ModerationAnswerInput) (*OutcomeOutput, error) {
	return steps.Result(s.recordModeration(ctx, in))
}

func (s *Steps) recordModeration(ctx context.Context, in ModerationAnswerInput) (*OutcomeOutput, error) {
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	if in.Bid == "" {
		return nil, pathway.Invalid(map[string]string{"bid": "Enter the bid"})
	}
	r.scope = in.Bid
	if err := s.closeTasks(ctx, r, tenders.BidSubject(in.Bid), []string{tenders.TaskModeration}, in.Bid, nil, "the lead agreed the scores"); err != nil {
		return nil, err
	}
	if r.cancelled() {
		return nil, errCancelled(r)
	}
	b, err := s.tenders.GetBid(ctx, in.Bid)
	if err != nil {
		return nil, err
	}
	if b.Agreed != nil {
		return &OutcomeOutput{Outcome: "agreed"}, nil
	}
	if in.Answer.Scores == nil {
		return nil, pathway.Invalid(map[string]string{"answer.scores": "Enter the agreed scores"})
	}
	e, err := s.event(r, tenders.BidSubject(b.ID), b.Coop, 0, ActionBidScoresAgreed, "The council's lead agreed the bid's scores.", nil)
	if err != nil {
		return nil, err
	}
	b.Agreed = &tenders.Moderation{Scores: in.Answer.Scores, Reasons: in.Answer.Reasons, AgreedAt: e.At}
	return &OutcomeOutput{Outcome: "agreed"}, s.tenders.UpdateBid(ctx, b, e)
}
