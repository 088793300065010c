package grantservice

import (
	"context"
	"encoding/json"
	"regexp"
	"slices"
	"strings"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// IsGrantTask reports whether the task is one of this phase's: on the
// subject of a grant application.
func IsGrantTask(t *pathway.Task) bool { return t != nil && t.Subject.Kind == grants.SubjectKind }

// ConflictAnswer is what the workflow waiting on a grant-review task gets
// when the reviewer declares a conflict of interest.
type ConflictAnswer struct {
	Conflict bool   `json:"conflict"`
	Reason   string `json:"reason"`
}

// AnswerFor returns an empty answer of the type a grant task of the kind
// takes, to decode the request body into.
func AnswerFor(kind string) (any, error) {
	switch kind {
	case grants.TaskReview:
		return &grants.ReviewAnswer{}, nil
	case grants.TaskDecision:
		return &grants.DecisionAnswer{}, nil
	case grants.TaskAgreement:
		return &grants.AgreementAnswer{}, nil
	case grants.TaskPayment:
		return &grants.PaymentAnswer{}, nil
	case grants.TaskReport:
		return &grants.ReportAnswer{}, nil
	case grants.TaskReportReview:
		return &grants.ReportReviewAnswer{}, nil
	case grants.TaskReviewOverdue, grants.TaskNoReviewer:
		return &grants.LeadAnswer{}, nil
	}
	return nil, pathway.Errorf(pathway.ECONFLICT, "Tasks of this kind cannot be answered here.")
}

// canAct reports whether u may answer t: founders of the co-op for founder
// tasks; the assigned reviewer (or, unassigned, any of the funder's staff)
// for funder tasks; a lead of the funder for lead tasks.
func canAct(u *pathway.User, t *pathway.Task, c *pathway.Coop) bool {
	switch t.Role {
	case pathway.RoleFounder:
		return u.Role == pathway.RoleFounder && c != nil && c.ID == t.Coop && slices.Contains(c.Founders, u.ID)
	case pathway.RoleFunder:
		return IsFunderStaff(u, t.Organisation) && (t.User == "" || t.User == u.ID)
	case pathway.RoleFunderLead:
		return IsFunderLead(u, t.Organisation)
	}
	return false
}

// TaskToAnswer returns the open grant task id that u may answer, with its
// application. A task of an application u may not see is ENOTFOUND, like a
// missing one (a reviewer who declared a conflict, for good); one u may
// see but not answer is EFORBIDDEN; one answered already ECONFLICT.
func (s *Service) TaskToAnswer(ctx context.Context, u *pathway.User, id string) (*pathway.Task, *grants.Application, error) {
	t, err := pathway.TaskFor(ctx, s.store, u, id)
	if err != nil {
		return nil, nil, err
	}
	return s.AnswerableTask(ctx, u, t)
}

// AnswerableTask is TaskToAnswer for the task t, read already by the
// caller (the API's decision handler, which reads a task once and sends
// it where its subject belongs).
func (s *Service) AnswerableTask(ctx context.Context, u *pathway.User, t *pathway.Task) (*pathway.Task, *grants.Application, error) {
	if u == nil || !IsGrantTask(t) {
		return nil, nil, pathway.NotFound("task")
	}
	a, c, _, _, err := s.read(ctx, u, t.Subject.ID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		if t.Kind == grants.TaskDecision && IsFunderLead(u, t.Organisation) {
			return nil, nil, leadConflict()
		}
		return nil, nil, pathway.NotFound("task")
	} else if err != nil {
		return nil, nil, err
	}
	if !canAct(u, t, c) {
		return nil, nil, pathway.Errorf(pathway.EFORBIDDEN, "%s, so you can see this task but not answer it.", whoActs(t))
	}
	if t.Status != pathway.TaskOpen {
		return nil, nil, alreadyDone()
	}
	if _, err := AnswerFor(t.Kind); err != nil {
		return nil, nil, err
	}
	return t, a, nil
}

// leadConflict is the answer to a lead who declared a conflict and tries
// to decide.
func leadConflict() error {
	return pathway.Errorf(pathway.EFORBIDDEN, "You declared a conflict of interest with this application, so another lead must decide it.")
}

// whoActs says who must answer a task.
func whoActs(t *pathway.Task) string {
	switch {
	case t.Role == pathway.RoleFounder:
		return "Only the co-op's founders can answer this task"
	case t.Role == pathway.RoleFunderLead:
		return "Only the funder's lead can answer this task"
	case t.User != "":
		return "Only the reviewer assigned can answer this task"
	}
	return "Only the funder's staff can answer this task"
}

// alreadyDone is the answer to a second completion.
func alreadyDone() error { return outbox.AnsweredAlready() }

// Answer answers grant task t of application a (from TaskToAnswer) for u
// with ans (from AnswerFor, filled): the records and money change first
// (an award commits the budget, refusing an overspend; a decline releases
// it; a payment is recorded), then the task is completed with the answer's
// delivery to the workflow in one transaction, and the answer is sent.
func (s *Service) Answer(ctx context.Context, u *pathway.User, t *pathway.Task, a *grants.Application, ans any) (*pathway.Task, error) {
	if _, err := s.outboxOf(); err != nil {
		return nil, err
	}
	var (
		payload any
		outcome string
		err     error
	)
	switch ans := ans.(type) {
	case *grants.ReviewAnswer:
		payload, outcome, err = ans, "recommended "+ans.Recommendation, s.review(ctx, u, a, ans)
	case *grants.DecisionAnswer:
		payload, outcome, err = ans, ans.Outcome, s.decide(ctx, u, t, a, ans)
	case *grants.AgreementAnswer:
		payload, outcome, err = ans, ans.Outcome, s.agree(ctx, u, a, ans)
	case *grants.PaymentAnswer:
		payload, outcome, err = ans, "paid on "+ans.PaidOn, s.pay(ctx, u, t, a, ans)
	case *grants.ReportAnswer:
		payload, outcome, err = ans, "report sent", s.report(ctx, u, t, a, ans)
	case *grants.ReportReviewAnswer:
		payload, outcome, err = ans, "report "+ans.Outcome, s.reviewReport(ctx, u, t, a, ans)
	case *grants.LeadAnswer:
		// The workflow acts on it: it assigns the next reviewer.
		payload, outcome, err = ans, leadWords(ans.Outcome), leadOnly(u, t)
	default:
		err = pathway.Errorf(pathway.ECONFLICT, "Tasks of this kind cannot be answered here.")
	}
	if err != nil {
		return nil, err
	}
	return s.complete(ctx, u, t, a, payload, outcome)
}

// leadWords says what the lead chose, for the trail.
func leadWords(outcome string) string {
	if outcome == grants.LeadReassign {
		return "give the review to the next reviewer"
	}
	return "look for a reviewer again"
}

// leadOnly refuses a lead's escalation to anyone but the funder's leads.
func leadOnly(u *pathway.User, t *pathway.Task) error {
	if !IsFunderLead(u, t.Organisation) {
		return pathway.Errorf(pathway.EFORBIDDEN, "Only the funder's lead can answer this.")
	}
	return nil
}

// complete closes the task with its answer and the answer's delivery in one
// transaction (the exactly-once gate, as journey.Decide), then sends it.
func (s *Service) complete(ctx context.Context, u *pathway.User, t *pathway.Task, a *grants.Application, answer any, outcome string) (*pathway.Task, error) {
	ob, err := s.outboxOf()
	if err != nil {
		return nil, err
	}
	payload, err := json.Marshal(answer)
	if err != nil {
		return nil, err
	}
	e := s.newEvent(a, u, pathway.ActionTaskAnswered, summary(u, "answered “%s”: %s.", t.Title, outcome),
		map[string]string{"task": t.ID, "kind": t.Kind, "outcome": pathway.Clip(outcome, 200)})
	done, unused, err := ob.Answer(ctx, "grantservice", t, u.ID, payload, e)
	if err != nil {
		return nil, err
	} else if unused {
		return nil, outbox.NoLongerNeeded()
	}
	return pathway.WithoutToken(done), nil
}

// review stores a reviewer's scores, once they declared no conflict.
func (s *Service) review(ctx context.Context, u *pathway.User, a *grants.Application, ans *grants.ReviewAnswer) error {
	p, err := s.grants.GetProgramme(ctx, a.Programme)
	if err != nil {
		return err
	}
	if err := ans.Check(p); err != nil {
		return err
	}
	d, err := s.grants.Declaration(ctx, a.ID, u.ID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return pathway.Errorf(pathway.ECONFLICT, "Declare whether you have a conflict of interest with this application before you review it.")
	} else if err != nil {
		return err
	}
	if d.Conflict {
		return pathway.NotFound("task")
	}
	r := &grants.Review{Application: a.ID, Reviewer: u.ID, Scores: ans.Scores, Comments: ans.Comments, Recommendation: ans.Recommendation, At: s.now()}
	e := s.newEvent(a, u, grants.ActionReviewed, summary(u, "reviewed the application and recommended %s.", ans.Recommendation), nil)
	_, err = s.grants.PutReview(ctx, r, e)
	return err
}

// decide records the lead's award (committing the money, never beyond the
// budget) or rejection. A lead who declared a conflict cannot decide.
func (s *Service) decide(ctx context.Context, u *pathway.User, t *pathway.Task, a *grants.Application, ans *grants.DecisionAnswer) error {
	if err := ans.Validate(); err != nil {
		return err
	}
	conflict, err := s.grants.IsExcluded(ctx, a.ID, u.ID)
	if err != nil {
		return err
	}
	if conflict {
		return leadConflict()
	}
	if done(a, ans.Outcome) {
		return nil // a retry after the money moved: only the task is left
	}
	p, err := s.grants.GetProgramme(ctx, a.Programme)
	if err != nil {
		return err
	}
	now := s.now()
	if ans.Outcome == grants.OutcomeReject {
		if err := grants.Move(a, grants.StatusRejected, now); err != nil {
			return err
		}
		a.Feedback = ans.Feedback
		e := s.newEvent(a, u, grants.ActionRejected, summary(u, "decided not to fund the application."), nil)
		return s.grants.UpdateApplication(ctx, a, e)
	}
	aw, err := grants.NewAward(a, p, ans, u.ID, conflict, now)
	if err != nil {
		return err
	}
	if err := grants.Move(a, grants.StatusAwarded, now); err != nil {
		return err
	}
	// The reports' due days are set at award: the workflow's plan reads them.
	a.Award, a.Feedback, a.Reports = aw, ans.Feedback, grants.NewReports(ans.Reports...)
	e := s.newEvent(a, u, grants.ActionAwarded, summary(u, "awarded %s.", pounds(aw.Amount)), map[string]string{"amount": strconvI64(aw.Amount)})
	return overspend(s.grants.Award(ctx, a, e))
}

// done reports whether the application already shows the outcome (a
// retried answer whose first attempt moved it).
func done(a *grants.Application, outcome string) bool {
	switch outcome {
	case grants.OutcomeAward:
		return a.Status == grants.StatusAwarded && a.Award != nil
	case grants.OutcomeReject:
		return a.Status == grants.StatusRejected
	case grants.AgreementAccept:
		return a.Status == grants.StatusActive
	case grants.AgreementDecline:
		return a.Status == grants.StatusDeclined
	}
	return false
}

// overspend names the amount in the budget's refusal of an award, so a
// form shows the message beside the amount.
func overspend(err error) error {
	if pathway.ErrorCode(err) == pathway.ECONFLICT && strings.Contains(pathway.ErrorMessage(err), "overspend") {
		msg := pathway.ErrorMessage(err)
		return &pathway.Error{Code: pathway.ECONFLICT, Message: msg, Fields: map[string]string{"amount": msg}}
	}
	return err
}

// agree records the founders accepting the award (the grant becomes
// active) or declining it (the commitment is released).
func (s *Service) agree(ctx context.Context, u *pathway.User, a *grants.Application, ans *grants.AgreementAnswer) error {
	if err := ans.Validate(); err != nil {
		return err
	}
	if done(a, ans.Outcome) {
		return nil
	}
	now := s.now()
	if ans.Outcome == grants.AgreementAccept {
		if err := grants.Move(a, grants.StatusActive, now); err != nil {
			return err
		}
		e := s.newEvent(a, u, grants.ActionAccepted, summary(u, "accepted the award and its conditions."), nil)
		return s.grants.UpdateApplication(ctx, a, e)
	}
	if err := grants.Move(a, grants.StatusDeclined, now); err != nil {
		return err
	}
	e := s.newEvent(a, u, grants.ActionDeclined, summary(u, "declined the award."), nil)
	return s.grants.Decline(ctx, a, e)
}

// pay records the payment of the task's tranche.
func (s *Service) pay(ctx context.Context, u *pathway.User, t *pathway.Task, a *grants.Application, ans *grants.PaymentAnswer) error {
	if err := ans.Validate(); err != nil {
		return err
	}
	id := TrancheOf(t, a)
	if id == "" {
		return pathway.Errorf(pathway.ECONFLICT, "No tranche of this grant is waiting for payment.")
	}
	if tr := a.Tranche(id); tr != nil && tr.Status == grants.TranchePaid && tr.Reference == ans.Reference {
		return nil // a retry after the payment was stored
	}
	if err := grants.Pay(a, id, ans); err != nil {
		return err
	}
	tr := a.Tranche(id)
	e := s.newEvent(a, u, grants.ActionPaid, summary(u, "recorded the payment of %s on %s (reference %s).", pounds(tr.Amount), ans.PaidOn, ans.Reference),
		map[string]string{"tranche": id, "amount": strconvI64(tr.Amount)})
	return s.grants.Pay(ctx, a, id, e)
}

// report stores the founders' monitoring report.
func (s *Service) report(ctx context.Context, u *pathway.User, t *pathway.Task, a *grants.Application, ans *grants.ReportAnswer) error {
	if err := ans.Validate(); err != nil {
		return err
	}
	id := ReportOf(t, a, grants.ReportDue, grants.ReportReturned)
	if id == "" {
		return pathway.Errorf(pathway.ECONFLICT, "No monitoring report of this grant is due.")
	}
	if err := grants.SendReport(a, id, ans, s.now()); err != nil {
		return err
	}
	e := s.newEvent(a, u, grants.ActionReportSent, summary(u, "sent a monitoring report."), map[string]string{"report": id})
	return s.grants.UpdateApplication(ctx, a, e)
}

// reviewReport stores the funder accepting or returning a report; the last
// accepted report closes the grant.
func (s *Service) reviewReport(ctx context.Context, u *pathway.User, t *pathway.Task, a *grants.Application, ans *grants.ReportReviewAnswer) error {
	if err := ans.Validate(); err != nil {
		return err
	}
	id := ReportOf(t, a, grants.ReportSent)
	if id == "" {
		return pathway.Errorf(pathway.ECONFLICT, "No monitoring report of this grant is waiting for review.")
	}
	last, err := grants.ReviewReport(a, id, ans)
	if err != nil {
		return err
	}
	action, words := grants.ActionReportReturned, "returned a monitoring report."
	if ans.Outcome == grants.ReportReviewAccepted {
		action, words = grants.ActionReportAccepted, "accepted a monitoring report."
	}
	if last && ans.Outcome == grants.ReportReviewAccepted {
		if err := grants.Move(a, grants.StatusClosed, s.now()); err != nil {
			return err
		}
		action, words = grants.ActionClosed, "accepted the last monitoring report, which closes the grant."
	}
	e := s.newEvent(a, u, action, summary(u, "%s", words), map[string]string{"report": id})
	return s.grants.UpdateApplication(ctx, a, e)
}

var (
	trancheSegment = regexp.MustCompile(`^t[0-9]+$`)
	reportSegment  = regexp.MustCompile(`^r[0-9]+$`)
)

// TrancheOf returns the ID of the tranche a grant-payment task is for: the
// last segment of the task ID like "t2" (IDs such as
// "grant-payment-<app>-t2"), or else the award's one due tranche.
func TrancheOf(t *pathway.Task, a *grants.Application) string {
	if id := segment(t.ID, trancheSegment); id != "" && a.Tranche(id) != nil {
		return id
	}
	if a.Award == nil {
		return ""
	}
	var due []string
	for _, tr := range a.Award.Tranches {
		if tr.Status == grants.TrancheDue {
			due = append(due, tr.ID)
		}
	}
	if len(due) == 1 {
		return due[0]
	}
	return ""
}

// ReportOf returns the ID of the report a report task is for: the last
// segment of the task ID like "r1", or else the one report in a state.
func ReportOf(t *pathway.Task, a *grants.Application, states ...string) string {
	id := segment(t.ID, reportSegment)
	var match []string
	for _, r := range a.Reports {
		if r.ID == id {
			return id
		}
		if slices.Contains(states, r.Status) {
			match = append(match, r.ID)
		}
	}
	if len(match) == 1 {
		return match[0]
	}
	return ""
}

// segment returns the last segment of id, split at hyphens and dots,
// that re matches: the workflow's task IDs are
// <application>.<kind>.<tranche or report>.<token key>.
func segment(id string, re *regexp.Regexp) string {
	parts := strings.FieldsFunc(id, func(r rune) bool { return r == '-' || r == '.' })
	for i := len(parts) - 1; i >= 0; i-- {
		if re.MatchString(parts[i]) {
			return parts[i]
		}
	}
	return ""
}
