package tenders

import (
	"errors"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Days within which the contract details notice (UK7) is published.
const (
	// ContractNoticeDays: "before the end of the period of 30 days
	// beginning with the day on which the contract is entered into"
	// (Procurement Act 2023 s.53(1)).
	ContractNoticeDays = 30
	// ContractNoticeDaysLightTouch: 120 days, beginning the same way,
	// for a light touch contract (s.53(1)).
	ContractNoticeDaysLightTouch = 120
)

// ContractNoticeDue returns the last day to publish the contract details
// notice (UK7) for a contract entered into on signedOn (YYYY-MM-DD): the
// period begins with that day, so 30 days end on signedOn + 29 (120
// days, for a light touch contract, on signedOn + 119). A date that
// does not read gives "".
func ContractNoticeDue(t *Tender, signedOn string) string {
	d, err := time.Parse(time.DateOnly, signedOn)
	if err != nil {
		return ""
	}
	days := ContractNoticeDays
	if t.LightTouch {
		days = ContractNoticeDaysLightTouch
	}
	return d.AddDate(0, 0, days-1).Format(time.DateOnly)
}

// Calculator counts a standstill in working days as the Act defines them
// (weekends, Christmas Day, Good Friday and every UK nation's bank
// holidays do not count): from is the first day counted, and it returns
// the last day and the first day the contract may be entered into.
// shared/workdays provides the real one.
type Calculator func(from string, workingDays int) (lastDay, enterFrom string, err error)

// StandstillPeriodOf returns the standstill of t for a contract award
// notice (UK6) published on publishedOn: the standstill period begins
// with that day (Procurement Act 2023 s.51(2)) and lasts the tender's
// working days (8 when unset). A tender with no standstill (a light
// touch contract without a voluntary one, s.51(3)) has none: nil, nil.
func StandstillPeriodOf(t *Tender, publishedOn string, calc Calculator) (*StandstillPeriod, error) {
	if !t.Standstill.Applies {
		return nil, nil
	}
	if _, err := time.Parse(time.DateOnly, publishedOn); err != nil {
		return nil, pathway.Invalid(map[string]string{"publishedOn": "Enter a real date as YYYY-MM-DD, for example 2027-03-14"})
	}
	if calc == nil {
		return nil, errors.New("tenders: no working-day calculator")
	}
	days := t.Standstill.WorkingDays
	if days == 0 {
		days = StandstillWorkingDays
	}
	last, enter, err := calc(publishedOn, days)
	if err != nil {
		return nil, err
	}
	return &StandstillPeriod{From: publishedOn, LastDay: last, EnterFrom: enter}, nil
}

// OpenChallenges counts the challenges whose outcome is not recorded: any
// keeps the contract from being entered into.
func (t *Tender) OpenChallenges() int {
	n := 0
	for _, c := range t.Challenges {
		if c.Status == ChallengeOpen {
			n++
		}
	}
	return n
}

// NoticeOf returns the tender's notice of the type (UK4, UK6, UK7, UK12).
func (t *Tender) NoticeOf(typ string) (Notice, bool) {
	for _, n := range t.Notices {
		if n.Type == typ {
			return n, true
		}
	}
	return Notice{}, false
}
