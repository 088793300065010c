package tenders

import (
	"fmt"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// StandstillWorkingDays is the standstill the Act sets: 8 working days
// beginning with the day the contract award notice is published
// (Procurement Act 2023 s.51(2)), and the least a voluntary one lasts.
const StandstillWorkingDays = 8

// MaxReservedYears is the longest term of a contract reserved for public
// service mutuals: "a maximum term of five years or less" (s.33(1)(b)).
const MaxReservedYears = 5

// SettingsOf returns a council's procurement settings, each one it left
// unset (zero) taking DefaultSettings' value. A nil organisation has the
// defaults.
func SettingsOf(o *pathway.Organisation) Settings {
	s := DefaultSettings
	if o == nil {
		return s
	}
	if o.LightTouchThreshold > 0 {
		s.LightTouchThreshold = o.LightTouchThreshold
	}
	if o.MinSocialValue > 0 {
		s.MinSocialValue = o.MinSocialValue
	}
	if o.OCIDPrefix != "" {
		s.OCIDPrefix = o.OCIDPrefix
	}
	return s
}

// Check reports whether t is a well-formed tender under the council's
// settings s: its tags, then the rules between fields, each fault naming
// the field in plain English. It fills what follows from the fields:
// AboveThreshold from s.LightTouchThreshold, PriceScoring when unset,
// the standstill's working days when it applies without them, and each
// area's canonical name.
func (t *Tender) Check(s Settings) error {
	if err := validate(t); err != nil {
		return err
	}
	f := map[string]string{}
	t.checkCriteria(s, f)
	t.checkLots(f)
	t.checkDates(f)
	t.checkAreas(f)
	t.checkReserved(f)
	t.checkStandstill(f)
	if t.PriceScoring == "" {
		t.PriceScoring = PriceLowestProportional
	}
	// Sch 1: the threshold for a light-touch contract is compared with
	// the estimated value including VAT.
	t.AboveThreshold = t.Value >= s.LightTouchThreshold
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	return nil
}

// checkCriteria: the award criteria and their relative importance are
// published (s.23), as weights that add up to 100; price is one
// criterion, scored by formula; at least one quality criterion; social
// value at least the council's minimum (a council setting: the Public
// Services (Social Value) Act 2012 sets no figure).
func (t *Tender) checkCriteria(s Settings, f map[string]string) {
	sum, prices, quality, social := 0, 0, 0, 0
	seen := map[string]bool{}
	for i, c := range t.Criteria {
		sum += c.Weight
		if seen[c.ID] {
			f[fmt.Sprintf("criteria[%d].id", i)] = "Each criterion needs its own ID"
		}
		seen[c.ID] = true
		switch c.Kind {
		case KindPrice:
			prices++
		case KindQuality:
			quality++
		case KindSocialValue:
			social += c.Weight
		}
	}
	switch {
	case sum != 100:
		f["criteria"] = fmt.Sprintf("The weights of the criteria must add up to 100; they add up to %d", sum)
	case prices != 1:
		f["criteria"] = fmt.Sprintf("Give exactly one price criterion; there are %d", prices)
	case quality == 0:
		f["criteria"] = "Give at least one quality criterion"
	case social < s.MinSocialValue:
		f["criteria"] = fmt.Sprintf("Social value must weigh at least %d%%, the council's minimum; it weighs %d%%", s.MinSocialValue, social)
	}
}

// checkLots: each lot has its own ID, and the lots' values add up to
// the tender's estimated value.
func (t *Tender) checkLots(f map[string]string) {
	var sum int64
	seen := map[string]bool{}
	for i, l := range t.Lots {
		sum += l.Value
		if seen[l.ID] {
			f[fmt.Sprintf("lots[%d].id", i)] = "Each lot needs its own ID"
		}
		seen[l.ID] = true
	}
	if sum != t.Value {
		f["value"] = fmt.Sprintf("The lots' values add up to %s, not the estimated value of %s", pathway.Pounds(sum), pathway.Pounds(t.Value))
	}
}

// checkDates: questions close before tenders do, and the contract's term
// starts after the deadline for tenders and ends on or after its start.
func (t *Tender) checkDates(f map[string]string) {
	switch {
	case t.TendersCloseAt.IsZero():
		f["tendersCloseAt"] = "Enter the deadline for tenders"
	case t.QuestionsCloseAt.IsZero():
		f["questionsCloseAt"] = "Enter the deadline for clarification questions"
	case !t.QuestionsCloseAt.Before(t.TendersCloseAt):
		f["questionsCloseAt"] = "The deadline for questions must be before the deadline for tenders"
	}
	if !t.TendersCloseAt.IsZero() {
		if closes := Today(t.TendersCloseAt); t.Term.Start <= closes {
			f["term.start"] = "The contract must start after the deadline for tenders, " + dateWords(closes)
		}
	}
	if t.Term.End < t.Term.Start {
		f["term.end"] = "The contract's end must be on or after its start"
	}
}

// checkAreas: each area is a council in England, named as the list of
// English local authorities names it.
func (t *Tender) checkAreas(f map[string]string) {
	for i, a := range t.Areas {
		name, ok := pathway.EnglishLocalAuthority(a)
		if !ok {
			f[fmt.Sprintf("areas[%d]", i)] = fmt.Sprintf("%q is not a council area in England", a)
			continue
		}
		t.Areas[i] = name
	}
}

// checkReserved holds a tender reserved for public service mutuals to
// s.33's three conditions, each refused on its own field with its own
// reason.
func (t *Tender) checkReserved(f map[string]string) {
	if !t.Reserved {
		return
	}
	// s.33(1)(a): only for reservable light touch services. The
	// reservable ones are marked in Sch 1 to the Procurement Regulations
	// 2024; the care a council tenders here is among them, so a light
	// touch contract stands for it.
	if !t.LightTouch {
		f["lightTouch"] = "Only a light touch contract for care services can be reserved for public service mutuals (Procurement Act 2023, section 33)"
	}
	// s.33(1)(b): a maximum term of five years or less.
	if start, err := time.Parse(time.DateOnly, t.Term.Start); err == nil && t.Term.End >= start.AddDate(MaxReservedYears, 0, 0).Format(time.DateOnly) {
		f["term.end"] = fmt.Sprintf("A contract reserved for public service mutuals can last at most %d years: end it by %s (Procurement Act 2023, section 33)",
			MaxReservedYears, dateWords(start.AddDate(MaxReservedYears, 0, -1).Format(time.DateOnly)))
	}
	// s.33(2): only a competitive flexible procedure may exclude suppliers
	// that are not qualifying public service mutuals.
	if t.Procedure != ProcedureCompetitiveFlexible {
		f["procedure"] = "A contract reserved for public service mutuals must use the competitive flexible procedure (Procurement Act 2023, section 33)"
	}
}

// checkStandstill: a contract that is not light touch has the mandatory
// standstill of 8 working days (s.51(1)-(2)); a light touch contract is
// exempt (s.51(3)) and the council may keep a voluntary standstill of at
// least 8 working days (s.51(4)-(5)), which forms offer on by default.
func (t *Tender) checkStandstill(f map[string]string) {
	st := &t.Standstill
	if st.Applies && st.WorkingDays == 0 {
		st.WorkingDays = StandstillWorkingDays
	}
	if !st.Applies {
		st.WorkingDays = 0
		if !t.LightTouch {
			f["standstill.applies"] = fmt.Sprintf("A contract that is not light touch must have a standstill of %d working days (Procurement Act 2023, section 51)", StandstillWorkingDays)
		}
		return
	}
	if st.WorkingDays < StandstillWorkingDays {
		f["standstill.workingDays"] = fmt.Sprintf("A standstill lasts at least %d working days (Procurement Act 2023, section 51)", StandstillWorkingDays)
	}
}

// Criterion returns the tender's criterion with the ID.
func (t *Tender) Criterion(id string) (Criterion, bool) {
	for _, c := range t.Criteria {
		if c.ID == id {
			return c, true
		}
	}
	return Criterion{}, false
}

// Lot returns the tender's lot with the ID.
func (t *Tender) Lot(id string) (Lot, bool) {
	for _, l := range t.Lots {
		if l.ID == id {
			return l, true
		}
	}
	return Lot{}, false
}

// Scored reports whether people score the criterion (quality and social
// value); price is computed.
func (c Criterion) Scored() bool { return c.Kind == KindQuality || c.Kind == KindSocialValue }

// Today returns the UK day of now as YYYY-MM-DD, the form of every date
// of this package.
func Today(now time.Time) string { return pathway.UKToday(now).Format(time.DateOnly) }

// dateWords writes a YYYY-MM-DD date as people read it: "1 April 2027".
func dateWords(d string) string {
	t, err := time.Parse(time.DateOnly, d)
	if err != nil {
		return d
	}
	return t.Format("2 January 2006")
}

// blank reports whether s holds no words.
func blank(s string) bool { return strings.TrimSpace(s) == "" }
