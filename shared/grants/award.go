package grants

import (
	"fmt"
	"strconv"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// NewAward checks the lead's decision to award against the application
// and the programme and returns the award, its tranches numbered t1, t2…
// and open. The amount must be at most the request and within the
// programme's range; the tranches must sum to it, each with a valid
// trigger (a date tranche needs its date). A lead who declared a conflict
// of interest on the application cannot decide (leadConflict): EFORBIDDEN.
func NewAward(a *Application, p *Programme, d *DecisionAnswer, lead string, leadConflict bool, at time.Time) (*Award, error) {
	if leadConflict {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "You declared a conflict of interest with this application, so another lead must decide it.")
	}
	if d.Outcome != OutcomeAward {
		return nil, pathway.Invalid(map[string]string{"outcome": "Must be award to make an award"})
	}
	f := map[string]string{}
	switch {
	case d.Amount > a.Amount:
		f["amount"] = fmt.Sprintf("Must be no more than the %s asked for", Pounds(a.Amount))
	case d.Amount < p.MinAward || d.Amount > p.MaxAward:
		f["amount"] = fmt.Sprintf("Must be from %s to %s, the programme's range", Pounds(p.MinAward), Pounds(p.MaxAward))
	}
	if len(f) > 0 {
		return nil, pathway.Invalid(f)
	}
	aw := &Award{Amount: d.Amount, Conditions: d.Conditions, DecidedBy: lead, DecidedAt: at}
	for i, t := range d.Tranches {
		aw.Tranches = append(aw.Tranches, Tranche{ID: "t" + strconv.Itoa(i+1), Amount: t.Amount, Trigger: t.Trigger, On: t.On, Status: TrancheOpen})
	}
	if err := aw.check(); err != nil {
		return nil, err
	}
	return aw, nil
}

// ScheduleTranches splits amount by the programme's default schedule, for
// a decision form to start from: each share rounded down to the penny,
// the last taking what is left, so they sum to amount. A date share is
// dated its months after day (YYYY-MM-DD).
func ScheduleTranches(p *Programme, amount int64, day string) []TrancheAnswer {
	out := make([]TrancheAnswer, len(p.Schedule))
	var given int64
	start, _ := time.Parse(time.DateOnly, day)
	for i, s := range p.Schedule {
		amt := amount * int64(s.Share) / 100
		if i == len(p.Schedule)-1 {
			amt = amount - given
		}
		given += amt
		out[i] = TrancheAnswer{Amount: amt, Trigger: s.Trigger}
		if s.Trigger == TriggerDate && !start.IsZero() {
			out[i].On = start.AddDate(0, s.Months, 0).Format(time.DateOnly)
		}
	}
	return out
}

// Release makes the open tranches with the trigger due and returns their
// IDs: for a date, those whose day has come by today (YYYY-MM-DD); for
// an accepted report, the first one waiting for a report (each report
// releases one); for the others, all of them.
func Release(a *Application, trigger, today string) []string {
	if a.Award == nil {
		return nil
	}
	var ids []string
	for i := range a.Award.Tranches {
		t := &a.Award.Tranches[i]
		if t.Status != TrancheOpen || t.Trigger != trigger || (trigger == TriggerDate && t.On > today) {
			continue
		}
		t.Status = TrancheDue
		ids = append(ids, t.ID)
		if trigger == TriggerReport {
			break
		}
	}
	return ids
}

// Pay records the payment of a due tranche: paid on the day, with the
// funder's reference. A tranche paid already is ECONFLICT; one not yet
// due too.
func Pay(a *Application, trancheID string, pay *PaymentAnswer) error {
	if err := validate(pay); err != nil {
		return err
	}
	t := a.Tranche(trancheID)
	switch {
	case t == nil:
		return pathway.NotFound("tranche")
	case t.Status == TranchePaid:
		return pathway.Errorf(pathway.ECONFLICT, "This tranche was paid already, on %s.", dateWords(t.PaidOn))
	case t.Status != TrancheDue:
		return pathway.Errorf(pathway.ECONFLICT, "This tranche is not due yet, so it cannot be paid.")
	}
	t.Status, t.PaidOn, t.Reference = TranchePaid, pay.PaidOn, pay.Reference
	return nil
}

// Budget is a programme's money at a moment: what it may award, what it
// has awarded (committed), what it has paid and what is left to award.
type Budget struct {
	Budget    int64 `json:"budget"`
	Awarded   int64 `json:"awarded"`
	Paid      int64 `json:"paid"`
	Remaining int64 `json:"remaining"`
}

// CheckCommit refuses an award the budget cannot take: ECONFLICT saying
// how much is left.
func (b Budget) CheckCommit(amount int64) error {
	if b.Awarded+amount > b.Budget {
		return pathway.Errorf(pathway.ECONFLICT, "The programme has %s left; this award of %s would overspend it.",
			Pounds(b.Budget-b.Awarded), Pounds(amount))
	}
	return nil
}
