package stats

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// cohortLayout is how a cohort is written: the year and month, "2027-06".
const cohortLayout = "2006-01"

// Cohort returns the month a co-op applied in, in UK time: an application
// at 00:30 BST on 1 June (23:30 UTC on 31 May) is in the June cohort,
// because the founders applied in June.
func Cohort(applied time.Time) string { return applied.In(pathway.UKTime).Format(cohortLayout) }

// CohortMonth returns the instants a cohort spans in UK time, from its
// first moment (inclusive) to the first moment of the next month
// (exclusive), for a filter on the time of application. A cohort not
// written as YYYY-MM is invalid, naming field.
func CohortMonth(cohort, field string) (from, to time.Time, err error) {
	m, perr := time.Parse(cohortLayout, cohort)
	if perr != nil || len(cohort) != len(cohortLayout) {
		return time.Time{}, time.Time{}, pathway.Invalid(map[string]string{field: "Give the month as YYYY-MM, for example 2027-06"})
	}
	from = time.Date(m.Year(), m.Month(), 1, 0, 0, 0, 0, pathway.UKTime)
	return from, from.AddDate(0, 1, 0), nil
}
