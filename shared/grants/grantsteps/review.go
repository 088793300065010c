package grantsteps

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"slices"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// What NextReviewer tells the workflow to do next.
const (
	NextReview = "review" // wait for the assigned reviewer
	NextDecide = "decide" // enough reviews are in
	NextNone   = "none"   // no reviewer is left: tell the lead
)

// ActionReviewReassigned records a review given to the next reviewer
// because the lead took it from an overdue reviewer.
const ActionReviewReassigned = "grant.review-reassigned"

// Reviews' task kinds, replaced together.
var reviewKinds = []string{grants.TaskReview, TaskReviewOverdue}

// ReviewerInput is NextReviewer's input: the reviewers the lead took an
// overdue review from, who are passed over.
type ReviewerInput struct {
	Input
	Skipped []string `json:"skipped"`
}

// ReviewerOutput says what comes next, and to whom.
type ReviewerOutput struct {
	// Next is NextReview, NextDecide or NextNone.
	Next string `json:"next"`
	// Reviewer is the assigned reviewer (NextReview).
	Reviewer string `json:"reviewer,omitempty"`
	// Reviews is how many are in; Needed how many the programme needs.
	Reviews int `json:"reviews"`
	Needed  int `json:"needed"`
}

// NextReviewer assigns the programme's reviewers in turn: enough reviews
// in, and the decision comes next; otherwise the next of the funder's
// staff (not its leads) who has neither reviewed, nor declared a conflict,
// nor been passed over, starting at a place of the staff list that
// depends on the application, so that the work spreads over the staff.
func (s *Steps) NextReviewer(ctx context.Context, in ReviewerInput) (*ReviewerOutput, error) {
	return steps.Result(s.nextReviewer(ctx, in))
}

func (s *Steps) nextReviewer(ctx context.Context, in ReviewerInput) (*ReviewerOutput, error) {
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	p, err := s.grants.GetProgramme(ctx, r.app.Programme)
	if err != nil {
		return nil, err
	}
	reviews, err := s.grants.Reviews(ctx, r.app.ID)
	if err != nil {
		return nil, err
	}
	out := &ReviewerOutput{Reviews: len(reviews), Needed: p.ReviewersPerApplication}
	if r.withdrawn() {
		out.Next = NextWithdrawn
		return out, nil
	}
	if len(reviews) >= p.ReviewersPerApplication {
		out.Next = NextDecide
		return out, nil
	}
	reviewer, err := s.candidate(ctx, r.app, reviews, in.Skipped)
	if err != nil {
		return nil, err
	}
	if reviewer == nil {
		out.Next = NextNone
		return out, nil
	}
	out.Next, out.Reviewer = NextReview, reviewer.ID
	return out, s.record(ctx, r, 0, grants.ActionReviewerAssigned,
		fmt.Sprintf("%s was asked to review the application (review %d of %d).", reviewer.Name, len(reviews)+1, p.ReviewersPerApplication),
		map[string]string{"reviewer": reviewer.ID})
}

// candidate returns the next reviewer of the application, or nil.
func (s *Steps) candidate(ctx context.Context, a *grants.Application, reviews []*grants.Review, skipped []string) (*pathway.User, error) {
	staff, err := s.store.ListStaff(ctx, a.Funder, pathway.RoleFunder)
	if err != nil {
		return nil, err
	}
	decls, err := s.grants.Declarations(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	out := slices.Clone(skipped)
	for _, d := range decls {
		if d.Conflict {
			out = append(out, d.Reviewer)
		}
	}
	for _, rv := range reviews {
		out = append(out, rv.Reviewer)
	}
	staff = slices.DeleteFunc(staff, func(u *pathway.User) bool { return u.Lead || slices.Contains(out, u.ID) })
	if len(staff) == 0 {
		return nil, nil
	}
	h := fnv.New32a()
	h.Write([]byte(a.ID))
	return staff[int(h.Sum32()%uint32(len(staff)))], nil
}

// OpenReviewTask opens the assigned reviewer's grant-review task, due
// DueSeconds after the state was entered: they declare their interests
// first, then score. Any other open review task is cancelled.
func (s *Steps) OpenReviewTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openReviewTask(ctx, in, false))
}

// EscalateReview runs when a review is overdue: the reviewer's task is
// opened again with the wait's new token, and the funder's lead gets a
// grant-review-overdue task holding the same token, to give the review
// to the next reviewer ({"outcome":"reassign"}).
func (s *Steps) EscalateReview(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openReviewTask(ctx, in, true))
}

func (s *Steps) openReviewTask(ctx context.Context, in TaskInput, overdue bool) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	if in.Reviewer == "" {
		return nil, pathway.Invalid(map[string]string{"reviewer": "Enter the assigned reviewer"})
	}
	if r.app.Status != grants.StatusInReview {
		return nil, pathway.Errorf(pathway.EINVALID, "The application is %q, so it is not being reviewed.", r.app.Status)
	}
	title := "Review a grant application: " + r.app.Title
	due := r.due(in, steps.Days(ReviewDays))
	if overdue {
		title, due = "Overdue review of a grant application: "+r.app.Title, r.at
	}
	tasks := []*pathway.Task{s.newTask(r, "", in.TaskToken, pathway.Task{Kind: grants.TaskReview,
		User: in.Reviewer, Organisation: r.app.Funder, Role: pathway.RoleFunder, Title: title, Due: due})}
	if overdue {
		tasks = append(tasks, s.newTask(r, "", in.TaskToken, pathway.Task{Kind: TaskReviewOverdue,
			Organisation: r.app.Funder, Role: pathway.RoleFunderLead, Title: "A review is overdue: " + r.app.Title,
			Due: r.at.Add(steps.Days(EscalateDays))}))
		if err := s.record(ctx, r, 0, grants.ActionReviewOverdue, "A review is overdue; the funder's lead was told.",
			map[string]string{"reviewer": in.Reviewer}); err != nil {
			return nil, err
		}
	}
	return s.openTasks(ctx, r, reviewKinds, "", tasks...)
}

// ReviewAnswerInput carries the answer to a review wait: the reviewer's
// conflict ({"conflict":true,"reason"}), their review (grants.ReviewAnswer)
// or the lead's {"outcome":"reassign"}.
type ReviewAnswerInput struct {
	Input
	Reviewer string          `json:"reviewer"`
	Answer   json.RawMessage `json:"answer"`
	Skipped  []string        `json:"skipped"`
}

// ReviewAnswerOutput carries the reviewers passed over so far.
type ReviewAnswerOutput struct {
	Skipped []string `json:"skipped"`
}

// reviewAnswer is any answer to a review wait.
type reviewAnswer struct {
	grants.ReviewAnswer
	Conflict bool   `json:"conflict"`
	Reason   string `json:"reason"`
	Outcome  string `json:"outcome"`
	By       string `json:"by"`
}

// RecordReview closes the review's tasks and makes sure what the answer
// says is recorded: the conflict (grantstore.Declare) or the review
// (grantstore.PutReview), which the service records first, or the lead's
// passing the reviewer over.
func (s *Steps) RecordReview(ctx context.Context, in ReviewAnswerInput) (*ReviewAnswerOutput, error) {
	return steps.Result(s.recordReview(ctx, in))
}

func (s *Steps) recordReview(ctx context.Context, in ReviewAnswerInput) (*ReviewAnswerOutput, error) {
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	var ans reviewAnswer
	if err := json.Unmarshal(in.Answer, &ans); err != nil || in.Reviewer == "" {
		return nil, pathway.Invalid(map[string]string{"answer": "Enter the review's answer and its reviewer"})
	}
	out := &ReviewAnswerOutput{Skipped: append([]string{}, in.Skipped...)}
	if err := s.closeTasks(ctx, r, reviewKinds, "", nil, "the review was answered"); err != nil {
		return nil, err
	}
	if r.withdrawn() {
		return out, nil // NextReviewer ends the workflow
	}
	switch {
	case ans.Outcome == "reassign":
		if !slices.Contains(out.Skipped, in.Reviewer) {
			out.Skipped = append(out.Skipped, in.Reviewer)
		}
		return out, s.record(ctx, r, 0, ActionReviewReassigned, "The funder's lead gave the overdue review to the next reviewer.",
			map[string]string{"reviewer": in.Reviewer})
	case ans.Conflict:
		d := &grants.Declaration{Application: r.app.ID, Reviewer: in.Reviewer, Conflict: true, Reason: ans.Reason, At: s.now()}
		_, err := s.grants.Declare(ctx, d, nil) // the service declared it first: this keeps what stands
		return out, err
	}
	if _, err := s.grants.Declaration(ctx, r.app.ID, in.Reviewer); pathway.ErrorCode(err) == pathway.ENOTFOUND {
		if _, err := s.grants.Declare(ctx, &grants.Declaration{Application: r.app.ID, Reviewer: in.Reviewer, At: s.now()}, nil); err != nil {
			return nil, err
		}
	} else if err != nil {
		return nil, err
	}
	rv := &grants.Review{Application: r.app.ID, Reviewer: in.Reviewer, Scores: ans.Scores, Comments: ans.Comments,
		Recommendation: ans.Recommendation, At: s.now()}
	_, err = s.grants.PutReview(ctx, rv, nil) // a retry returns the review stored first
	return out, err
}

// OpenNoReviewerTask tells the funder's lead that no reviewer is left (all
// declared a conflict, reviewed or were passed over) and waits for their
// {"outcome":"retry"} once more staff can review.
func (s *Steps) OpenNoReviewerTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openNoReviewerTask(ctx, in))
}

func (s *Steps) openNoReviewerTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	t := s.newTask(r, "", in.TaskToken, pathway.Task{Kind: TaskNoReviewer, Organisation: r.app.Funder,
		Role: pathway.RoleFunderLead, Title: "No reviewer is left for a grant application: " + r.app.Title,
		Due: r.due(in, steps.Days(EscalateDays))})
	out, err := s.openTasks(ctx, r, []string{TaskNoReviewer}, "", t)
	if err != nil {
		return nil, err
	}
	return out, s.notify(ctx, r, 0, toFunderLed, "We told the funder's lead that no reviewer is left for the application.", nil)
}
