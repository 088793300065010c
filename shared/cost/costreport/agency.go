package costreport

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/insight/stats"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// agencyOf is the agency whose totals u may see: agency staff see their
// own agency's; nobody else sees any.
func agencyOf(u *pathway.User) (string, error) {
	if u == nil || u.Role != pathway.RoleAgency || u.Organisation == "" {
		return "", pathway.Errorf(pathway.EFORBIDDEN, "Only a development agency's staff can see what its co-ops' journeys cost.")
	}
	return u.Organisation, nil
}

// AgencyMonths returns every month the meter charged usage to the caller's
// agency, oldest first.
func (s *Service) AgencyMonths(ctx context.Context, u *pathway.User) (*AgencyMonths, error) {
	agency, err := agencyOf(u)
	if err != nil {
		return nil, err
	}
	months := map[string]cost.Usage{}
	if s.ledger != nil {
		if months, err = s.ledger.AgencyMonths(ctx, agency); err != nil {
			return nil, err
		}
	}
	return &AgencyMonths{Agency: agency, Months: sortedMonths(s, months), PricesTaken: s.prices.Taken, NotCounted: NotCountedMonthly}, nil
}

// AgencyMonth returns one month of the caller's agency ("YYYY-MM"; empty
// is this month, UK time); a month with no usage costs nothing.
func (s *Service) AgencyMonth(ctx context.Context, u *pathway.User, month string) (*AgencyMonths, error) {
	agency, err := agencyOf(u)
	if err != nil {
		return nil, err
	}
	if month == "" {
		month = Month(s.now())
	} else if _, _, err := stats.CohortMonth(month, "month"); err != nil {
		return nil, err
	}
	var usage cost.Usage
	if s.ledger != nil {
		months, err := s.ledger.AgencyMonths(ctx, agency)
		if err != nil {
			return nil, err
		}
		usage = months[month]
	}
	return &AgencyMonths{Agency: agency, Months: []MonthCost{s.month(month, usage)}, PricesTaken: s.prices.Taken, NotCounted: NotCountedMonthly}, nil
}
