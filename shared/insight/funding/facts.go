// Package funding is a funder's view of what its money did: per
// programme and in total, the budget, what was awarded and paid and what
// remains month by month, applications by status, the days from
// submission to decision, awards by council area and by kind of co-op,
// and monitoring reports overdue.
//
// Its Source keeps one facts record per grant application and adds the
// application to two cells of its funder's (the programme's, "p=<id>",
// and every programme's, "p=*"); its Service answers the dashboard from
// those cells and the programmes' budget records, so the dashboard reads
// the same few items whatever the number of applications.
package funding

import (
	"net/url"
	"strings"
	"time"
)

// Facts are what the dashboard keeps of one grant application.
type Facts struct {
	ID        string `json:"id"`
	Programme string `json:"programme"`
	// Funder is the programme's funder: the scope of the cells.
	Funder string `json:"funder"`
	Coop   string `json:"coop"`
	Status string `json:"status"`
	// SubmittedOn is the UK day the application was (last) sent,
	// YYYY-MM-DD; empty for one never sent, which adds nothing.
	SubmittedOn string `json:"submittedOn,omitempty"`
	// DecidedOn is the UK day the lead awarded it or decided not to fund
	// it; empty until then.
	DecidedOn string `json:"decidedOn,omitempty"`
	// Awarded is the award standing, in pence (0 when none was made or
	// the co-op declined it); AwardedOn the UK day it was made.
	Awarded   int64  `json:"awarded,omitempty"`
	AwardedOn string `json:"awardedOn,omitempty"`
	// Payments are the tranches paid: the day and the pence.
	Payments []Payment `json:"payments,omitempty"`
	// Area is the co-op's council area; LegalForm and Origin its kind.
	Area      string `json:"area,omitempty"`
	LegalForm string `json:"legalForm,omitempty"`
	Origin    string `json:"origin,omitempty"`
	// Reports are the monitoring reports not yet accepted, while the
	// grant is monitored (awarded or active): their due days.
	Reports []ReportDue `json:"reports,omitempty"`
}

// Payment is one tranche paid.
type Payment struct {
	On     string `json:"on"`
	Amount int64  `json:"amount"`
}

// ReportDue is one monitoring report the funder has not accepted yet.
type ReportDue struct {
	ID     string `json:"id"`
	Due    string `json:"due"`
	Status string `json:"status"`
}

// Cell keys and counter names. A cell key is "p=" and a programme ID, or
// "p=*" for every programme of the funder. Counter names:
//
//	apps                       applications sent
//	s:<status>                 applications in a status
//	awards, awarded, paid      awards standing, their pence, pence paid
//	m:awarded:<YYYY-MM>        pence awarded in a month (UK)
//	m:paid:<YYYY-MM>           pence paid in a month
//	decided, d:<days>          decisions, and how many took so many whole days
//	a:<area>:n, a:<area>:p     awards in a council area (query-escaped), their pence
//	l:<form>:n, l:<form>:p     awards by the co-op's legal form
//	o:<origin>:n, o:<origin>:p awards by how the co-op came about
//	r:<YYYY-MM-DD>             monitoring reports due that day, not accepted
//
// Overdue reports are the sum of the r: buckets before today, so the
// passing of time needs no write.
const (
	keyPrefix  = "p="
	cApps      = "apps"
	cStatus    = "s:"
	cAwards    = "awards"
	cAwarded   = "awarded"
	cPaid      = "paid"
	cMAwarded  = "m:awarded:"
	cMPaid     = "m:paid:"
	cDecided   = "decided"
	cDays      = "d:"
	cArea      = "a:"
	cForm      = "l:"
	cOrigin    = "o:"
	cReport    = "r:"
	countSufx  = ":n"
	penceSufx  = ":p"
	monthChars = len("2006-01")
)

// ProgrammeKey returns the cell key of a programme; AllKey is every
// programme's.
func ProgrammeKey(id string) string { return keyPrefix + id }

// AllKey is the key of the cell of every programme of the funder.
const AllKey = keyPrefix + "*"

// groupName returns the counter name of a group's count or pence: the
// value is query-escaped, so a council area's spaces and punctuation
// never reach a counter name, which must be printable ASCII without
// spaces.
func groupName(prefix, value, suffix string) string {
	return prefix + url.QueryEscape(value) + suffix
}

// parseGroup splits a group counter's name into its value and suffix.
func parseGroup(name, prefix string) (value, suffix string, ok bool) {
	rest, found := strings.CutPrefix(name, prefix)
	if !found {
		return "", "", false
	}
	i := strings.LastIndexByte(rest, ':')
	if i < 0 {
		return "", "", false
	}
	v, err := url.QueryUnescape(rest[:i])
	if err != nil {
		return "", "", false
	}
	return v, rest[i:], true
}

// wholeDays returns the whole days from one UK day to another
// (YYYY-MM-DD); false when either is not a date.
func wholeDays(from, to string) (int, bool) {
	a, err1 := time.Parse(time.DateOnly, from)
	b, err2 := time.Parse(time.DateOnly, to)
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return int(b.Sub(a) / (24 * time.Hour)), true
}

// month returns the month of a UK day, "2027-06" of "2027-06-14".
func month(day string) string {
	if len(day) < monthChars {
		return ""
	}
	return day[:monthChars]
}
