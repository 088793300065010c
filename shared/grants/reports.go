package grants

import (
	"slices"
	"strconv"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// NewReports returns the monitoring reports due on the days given
// (YYYY-MM-DD), numbered r1, r2… in date order, each due.
func NewReports(dues ...string) []Report {
	sorted := slices.Clone(dues)
	slices.Sort(sorted)
	out := make([]Report, len(sorted))
	for i, d := range sorted {
		out[i] = Report{ID: "r" + strconv.Itoa(i+1), Due: d, Status: ReportDue}
	}
	return out
}

// report returns a pointer to the application's report with the ID.
func (a *Application) report(id string) *Report {
	for i := range a.Reports {
		if a.Reports[i].ID == id {
			return &a.Reports[i]
		}
	}
	return nil
}

// SendReport records the founders' report: a report due, or returned to
// them, becomes sent with its summary and figures.
func SendReport(a *Application, id string, ans *ReportAnswer, at time.Time) error {
	if err := ans.Validate(); err != nil {
		return err
	}
	r := a.report(id)
	switch {
	case r == nil:
		return pathway.NotFound("report")
	case r.Status != ReportDue && r.Status != ReportReturned:
		return pathway.Errorf(pathway.ECONFLICT, "This report was sent already.")
	}
	figures := ans.Figures
	r.Status, r.Summary, r.Figures, r.SentAt = ReportSent, ans.Summary, &figures, at
	return nil
}

// ReviewReport records the funder's review of a sent report: accepted,
// or returned with a comment (due again). last reports whether every
// report is now accepted: the last accepted report closes the grant.
func ReviewReport(a *Application, id string, ans *ReportReviewAnswer) (last bool, err error) {
	if err := ans.Validate(); err != nil {
		return false, err
	}
	r := a.report(id)
	switch {
	case r == nil:
		return false, pathway.NotFound("report")
	case r.Status != ReportSent:
		return false, pathway.Errorf(pathway.ECONFLICT, "This report is not waiting for review.")
	}
	r.Status, r.Comment = ans.Outcome, ans.Comment
	return ans.Outcome == ReportReviewAccepted && AllReportsAccepted(a), nil
}

// AllReportsAccepted reports whether the application has reports and
// every one is accepted.
func AllReportsAccepted(a *Application) bool {
	return len(a.Reports) > 0 && !slices.ContainsFunc(a.Reports, func(r Report) bool { return r.Status != ReportAccepted })
}

// Event actions of the grants phase, as the audit trail names them.
const (
	ActionSubmitted        = "grant.submitted"
	ActionIneligible       = "grant.ineligible"
	ActionInReview         = "grant.in-review"
	ActionReviewerAssigned = "grant.reviewer-assigned"
	ActionNoConflict       = "grant.no-conflict"
	ActionConflict         = "grant.conflict-declared"
	ActionReviewed         = "grant.reviewed"
	ActionReviewOverdue    = "grant.review-overdue"
	ActionAwaitingDecision = "grant.awaiting-decision"
	ActionAwarded          = "grant.awarded"
	ActionRejected         = "grant.rejected"
	ActionAccepted         = "grant.accepted"
	ActionDeclined         = "grant.declined"
	ActionTrancheDue       = "grant.tranche-due"
	ActionPaid             = "grant.paid"
	ActionReportSent       = "grant.report-sent"
	ActionReportAccepted   = "grant.report-accepted"
	ActionReportReturned   = "grant.report-returned"
	ActionClosed           = "grant.closed"
	ActionWithdrawn        = "grant.withdrawn"
)
