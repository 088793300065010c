package pages

import "github.com/coopcarepathway/pathway/shared/grants"

// Overdue monitoring reports on the funder's programme page and awards on
// the co-op's grants page (the templates grants-programme and grants-coop).

func init() {
	funcs["reportStatus"] = reportStatus
}

// reportStatus says a monitoring report's status for people.
func reportStatus(code string) string {
	switch code {
	case grants.ReportDue:
		return "Not sent yet"
	case grants.ReportSent:
		return "Sent, waiting for your review"
	case grants.ReportReturned:
		return "Returned to the co-op, not sent again yet"
	case grants.ReportAccepted:
		return "Accepted"
	}
	return code
}
