package grantsteps

import (
	"context"
	"fmt"
	"strings"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// report returns the application's report with the ID.
func report(a *grants.Application, id string) (*grants.Report, error) {
	for i := range a.Reports {
		if a.Reports[i].ID == id {
			return &a.Reports[i], nil
		}
	}
	return nil, pathway.Invalid(map[string]string{"report": "The grant has no report " + id})
}

// OpenReportTask asks the founders for a monitoring report: ReportRemind
// days before its due day (the task's notice is the first reminder), again
// on the due day (Reminder: the task opened again, its notice overdue),
// and after the funder returned it (Returned: due ReturnDays later).
func (s *Steps) OpenReportTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openReportTask(ctx, in))
}

func (s *Steps) openReportTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	rp, err := report(r.app, in.Report)
	if err != nil {
		return nil, err
	}
	due := morning(rp.Due, r.at)
	title := "Send a monitoring report due " + pathway.FormatDate(due) + ": " + r.app.Title
	switch {
	case in.Returned:
		due = r.due(in, steps.Days(ReturnDays))
		title = "Send again a monitoring report the funder returned: " + r.app.Title
	case in.Reminder:
		title = "A monitoring report is due today: " + r.app.Title
	}
	t := s.newTask(r, rp.ID, in.TaskToken, pathway.Task{Kind: grants.TaskReport, Role: pathway.RoleFounder, Title: title, Due: due})
	out, err := s.openTasks(ctx, r, []string{grants.TaskReport}, rp.ID, t)
	if err != nil {
		return nil, err
	}
	return out, s.notify(ctx, r, 0, toFounders, "We asked the founders for monitoring report "+rp.ID+": "+title+".", nil)
}

// ReportInput carries the founders' report.
type ReportInput struct {
	Input
	Report string              `json:"report"`
	Answer grants.ReportAnswer `json:"answer"`
}

// RecordReport closes the report task and records the report as sent
// (grants.SendReport) unless the service did.
func (s *Steps) RecordReport(ctx context.Context, in ReportInput) (*OutcomeOutput, error) {
	return steps.Result(s.recordReport(ctx, in))
}

func (s *Steps) recordReport(ctx context.Context, in ReportInput) (*OutcomeOutput, error) {
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	rp, err := report(r.app, in.Report)
	if err != nil {
		return nil, err
	}
	if err := s.closeTasks(ctx, r, []string{grants.TaskReport}, rp.ID, nil, "the founders sent the report"); err != nil {
		return nil, err
	}
	if rp.Status == grants.ReportDue || rp.Status == grants.ReportReturned {
		next := copyReports(r.app)
		if err := grants.SendReport(next, rp.ID, &in.Answer, s.now()); err != nil {
			return nil, err
		}
		if err := s.update(ctx, r, next, grants.ActionReportSent, "The founders sent monitoring report "+rp.ID+"."); err != nil {
			return nil, err
		}
	}
	return &OutcomeOutput{Outcome: grants.ReportSent}, nil
}

// copyReports returns a copy of a whose reports can change apart from a's.
func copyReports(a *grants.Application) *grants.Application {
	next := *a
	next.Reports = append([]grants.Report(nil), a.Reports...)
	return &next
}

// update stores next, a changed copy of the application, with its event.
func (s *Steps) update(ctx context.Context, r *run, next *grants.Application, action, summary string) error {
	e, err := s.event(r, 0, action, summary, nil)
	if err != nil {
		return err
	}
	next.UpdatedAt = e.At
	if err := s.grants.UpdateApplication(ctx, next, e); err != nil {
		return err
	}
	*r.app = *next
	return nil
}

// OpenReportReviewTask asks the funder to accept the sent report or
// return it with a comment.
func (s *Steps) OpenReportReviewTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	return steps.Result(s.openReportReviewTask(ctx, in))
}

func (s *Steps) openReportReviewTask(ctx context.Context, in TaskInput) (*TaskOutput, error) {
	r, err := s.startTask(ctx, in)
	if err != nil {
		return nil, err
	}
	rp, err := report(r.app, in.Report)
	if err != nil {
		return nil, err
	}
	t := s.newTask(r, rp.ID, in.TaskToken, pathway.Task{Kind: grants.TaskReportReview, Organisation: r.app.Funder,
		Role: pathway.RoleFunder, Title: "Review monitoring report " + rp.ID + ": " + r.app.Title, Due: r.due(in, steps.Days(ReviewDays))})
	return s.openTasks(ctx, r, []string{grants.TaskReportReview}, rp.ID, t)
}

// ReportReviewInput carries the funder's review of a report.
type ReportReviewInput struct {
	Input
	Report string                    `json:"report"`
	Review grants.ReportReviewAnswer `json:"review"`
}

// RecordReportReview closes the review task and records the review
// (grants.ReviewReport) unless the service did. An accepted report
// releases the tranches waiting for it.
func (s *Steps) RecordReportReview(ctx context.Context, in ReportReviewInput) (*OutcomeOutput, error) {
	return steps.Result(s.recordReportReview(ctx, in))
}

func (s *Steps) recordReportReview(ctx context.Context, in ReportReviewInput) (*OutcomeOutput, error) {
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	rp, err := report(r.app, in.Report)
	if err != nil {
		return nil, err
	}
	if err := s.closeTasks(ctx, r, []string{grants.TaskReportReview}, rp.ID, nil, "the funder reviewed the report"); err != nil {
		return nil, err
	}
	if rp.Status == grants.ReportSent {
		next := copyReports(r.app)
		if _, err := grants.ReviewReport(next, rp.ID, &in.Review); err != nil {
			return nil, err
		}
		action, summary := grants.ActionReportAccepted, "The funder accepted monitoring report "+rp.ID+"."
		if in.Review.Outcome == grants.ReportReviewReturned {
			action, summary = grants.ActionReportReturned, "The funder returned monitoring report "+rp.ID+": "+in.Review.Comment
		}
		if err := s.update(ctx, r, next, action, summary); err != nil {
			return nil, err
		}
	}
	if in.Review.Outcome == grants.ReportReviewAccepted && r.app.Award != nil {
		err := s.releaseWaits(ctx, r.app.Coop, r.app.ID, TaskWaitReport, func(t *pathway.Task) bool {
			id, _, _ := strings.Cut(strings.TrimPrefix(t.ID, r.app.ID+"."+TaskWaitReport+"."), ".")
			return reportReleased(r.app, id)
		})
		if err != nil {
			return nil, err
		}
	}
	return &OutcomeOutput{Outcome: in.Review.Outcome}, nil
}

// CloseGrant closes an active grant once every tranche is paid and every
// report accepted; the founders are told.
func (s *Steps) CloseGrant(ctx context.Context, in Input) (*OutcomeOutput, error) {
	return steps.Result(s.closeGrant(ctx, in))
}

func (s *Steps) closeGrant(ctx context.Context, in Input) (*OutcomeOutput, error) {
	r, err := s.start(ctx, in)
	if err != nil {
		return nil, err
	}
	a := r.app
	if a.Status != grants.StatusClosed {
		if a.Award == nil {
			return nil, pathway.Errorf(pathway.EINVALID, "The application %s has no award to close.", a.ID)
		}
		for _, t := range a.Award.Tranches {
			if t.Status != grants.TranchePaid {
				return nil, pathway.Errorf(pathway.EINVALID, "Tranche %s is not paid, so the grant cannot close.", t.ID)
			}
		}
		if len(a.Reports) > 0 && !grants.AllReportsAccepted(a) {
			return nil, pathway.Errorf(pathway.EINVALID, "Not every monitoring report is accepted, so the grant cannot close.")
		}
	}
	err = s.move(ctx, r, grants.StatusClosed, grants.ActionClosed,
		fmt.Sprintf("Every tranche of %s is paid and every report accepted: the grant is closed.", grants.Pounds(a.Award.Amount)), nil)
	if err != nil {
		return nil, err
	}
	c, err := s.coop(ctx, r)
	if err != nil {
		return nil, err
	}
	told := "We told the founders the grant is closed."
	return &OutcomeOutput{Outcome: grants.StatusClosed}, s.notify(ctx, r, 1, toFounders, told, founderNotice(c, a, told))
}

// FailureInput is RecordFailure's input: the error a Catch caught.
type FailureInput struct {
	Input
	Failure steps.Failure `json:"failure"`
}

// RecordFailure records in the application's audit trail that its
// workflow stopped, and why, for the funder to see.
func (s *Steps) RecordFailure(ctx context.Context, in FailureInput) (*OutcomeOutput, error) {
	return steps.Result(s.recordFailure(ctx, in))
}

func (s *Steps) recordFailure(ctx context.Context, in FailureInput) (*OutcomeOutput, error) {
	r, err := s.start(ctx, in.Input)
	if err != nil {
		return nil, err
	}
	return &OutcomeOutput{Outcome: "failed"}, s.record(ctx, r, 0, pathway.ActionWorkflowFailed,
		"The grant workflow stopped: "+pathway.Clip(in.Failure.Why(), 900), map[string]string{"error": in.Failure.Error})
}
