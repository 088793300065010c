package grants

// Overdue reports and what an award has paid: what the funder's programme
// page and the co-op's grants page show of awards in progress.

// OverdueReports returns the application's monitoring reports whose due
// date (YYYY-MM-DD) is before today and which are not accepted, in date
// order: a report sent but not yet reviewed is still overdue, since the
// funder has not accepted it.
func OverdueReports(a *Application, today string) []Report {
	var out []Report
	for _, r := range a.Reports {
		if r.Due < today && r.Status != ReportAccepted {
			out = append(out, r)
		}
	}
	return out
}

// PaidSoFar returns the pence paid of the application's award: the sum
// of its paid tranches (0 without an award).
func PaidSoFar(a *Application) int64 {
	if a.Award == nil {
		return 0
	}
	var paid int64
	for _, t := range a.Award.Tranches {
		if t.Status == TranchePaid {
			paid += t.Amount
		}
	}
	return paid
}

// Monitored are the statuses in which reports fall due: awarded (not
// yet accepted by the co-op) and active.
var Monitored = []string{StatusAwarded, StatusActive}
