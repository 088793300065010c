// Package grants is the grants phase: funders' grant programmes, co-ops'
// applications, reviews free of conflicts of interest, weighted scores,
// awards with conditions and tranches (instalments), monitoring reports
// and the status table every application moves through. It holds
// records and rules only, no I/O; shared/grants/grantstore is its
// repository over the table port.
//
// Money is integer pence throughout. Dates people enter or see (a
// programme's open and close dates, a tranche's date, a payment's date)
// are UK calendar dates written YYYY-MM-DD, which compare as strings in
// date order; today is pathway.UKToday.
package grants

import (
	"fmt"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Programme is a funder's grant programme: what it pays for, its budget,
// who may apply, how applications are scored and how awards are paid.
type Programme struct {
	// ID is the programme's stable identifier.
	ID string `json:"id" validate:"required,max=64,slug"`
	// Name is the programme's public name.
	Name string `json:"name" validate:"required,max=200,safetext"`
	// Purpose says what the programme pays for, for founders deciding to apply.
	Purpose string `json:"purpose" validate:"max=5000,safelongtext"`
	// Funder is the ID of the funder organisation that runs it.
	Funder string `json:"funder" validate:"required,max=64"`
	// Budget is the most the programme may award in all, in pence.
	Budget int64 `json:"budget" validate:"min=1"`
	// MinAward and MaxAward bound one award, in pence.
	MinAward int64 `json:"minAward" validate:"min=1"`
	MaxAward int64 `json:"maxAward" validate:"min=1"`
	// OpensOn and ClosesOn are the first and last days applications are
	// taken (UK dates, YYYY-MM-DD, both included).
	OpensOn  string `json:"opensOn" validate:"required,datetime=2006-01-02"`
	ClosesOn string `json:"closesOn" validate:"required,datetime=2006-01-02"`
	// Rules say which co-ops may apply.
	Rules Rules `json:"rules"`
	// Criteria are what reviewers score, with weights summing to 100.
	Criteria []Criterion `json:"criteria" validate:"required,min=1,max=20,dive"`
	// Scale describes each score from 0 to 5, for reviewers.
	Scale []ScaleStep `json:"scale" validate:"required,len=6,dive"`
	// ReviewersPerApplication is how many reviews an application needs
	// before the lead decides.
	ReviewersPerApplication int `json:"reviewersPerApplication" validate:"min=1,max=10"`
	// Schedule is the default payment schedule of an award: shares of the
	// amount, summing to 100, and what releases each.
	Schedule []ScheduleShare `json:"schedule" validate:"required,min=1,max=12,dive"`
	// Version counts the stored updates; it is 1 after creation.
	Version int `json:"version"`
	// CreatedAt and UpdatedAt are when it was first and last stored.
	CreatedAt time.Time `json:"createdAt"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// Rules say which co-ops may apply to a programme. An empty list allows
// any value.
type Rules struct {
	// StageReached is the pathway stage a co-op must have reached (or
	// gone past) on its journey, e.g. cqc-preparing: accepted onto a
	// development programme. Empty: any co-op still on its journey.
	StageReached string `json:"stageReached,omitempty" validate:"omitempty,stage"`
	// CouncilAreas are the local authorities (councils) whose areas the
	// programme funds, as pathway.EnglishLocalAuthority names them.
	CouncilAreas []string `json:"councilAreas,omitempty" validate:"max=400,dive,max=100,safetext"`
	// Services are the kinds of care the programme funds (pathway.Services codes).
	Services []string `json:"services,omitempty" validate:"max=14,unique,dive,oneof=home-care supported-living extra-care-housing shared-lives day-care reablement care-home nursing-care carers-services advice-brokerage equipment meals telecare prevention"`
	// LegalForms are the legal forms it funds (pathway.LegalForms codes).
	LegalForms []string `json:"legalForms,omitempty" validate:"max=6,unique,dive,oneof=co-operative-society community-benefit-society community-interest-company company-limited-by-guarantee not-yet-incorporated private-company"`
}

// Criterion is one thing reviewers score.
type Criterion struct {
	// ID names the criterion in reviews' scores, e.g. "need".
	ID string `json:"id" validate:"required,max=64,slug"`
	// Name says it in words.
	Name string `json:"name" validate:"required,max=200,safetext"`
	// Weight is its share of the total, in percent; weights sum to 100.
	Weight int `json:"weight" validate:"min=1,max=100"`
	// Guide tells reviewers what to look for.
	Guide string `json:"guide,omitempty" validate:"max=2000,safelongtext"`
}

// ScaleStep describes one score of the 0–5 scale.
type ScaleStep struct {
	Score       int    `json:"score" validate:"min=0,max=5"`
	Description string `json:"description" validate:"required,max=500,safetext"`
}

// MaxScore is the top of the score scale.
const MaxScore = 5

// Triggers: what releases a tranche (an instalment of an award).
const (
	TriggerAgreement     = "agreement"      // the founders accepted the award
	TriggerCQCRegistered = "cqc-registered" // the co-op was registered with CQC
	TriggerReport        = "report"         // a monitoring report was accepted
	TriggerDate          = "date"           // a date came
)

// Triggers lists the triggers, as forms offer them.
var Triggers = []pathway.Term{
	{Code: TriggerAgreement, Name: "When the grant agreement is accepted"},
	{Code: TriggerCQCRegistered, Name: "When the co-op is registered with CQC", Hint: "CQC, the Care Quality Commission, registers providers of regulated care in England"},
	{Code: TriggerReport, Name: "When a monitoring report is accepted"},
	{Code: TriggerDate, Name: "On a date"},
}

// ScheduleShare is one line of a programme's default payment schedule.
type ScheduleShare struct {
	// Share is the percentage of the award paid, 1 to 100.
	Share int `json:"share" validate:"min=1,max=100"`
	// Trigger is what releases it (a Trigger* constant).
	Trigger string `json:"trigger" validate:"required,oneof=agreement cqc-registered report date"`
	// Months, for a date trigger, is how many months after the award the
	// share is paid.
	Months int `json:"months,omitempty" validate:"min=0,max=120"`
}

// Validate reports whether p is a well-formed programme: its tags, then
// the rules between fields, each naming the field in plain English.
func (p *Programme) Validate() error {
	if err := validate(p); err != nil {
		return err
	}
	f := map[string]string{}
	if p.MinAward > p.MaxAward {
		f["minAward"] = "The minimum award must not be more than the maximum award"
	}
	if p.MaxAward > p.Budget {
		f["maxAward"] = "The maximum award must not be more than the budget"
	}
	if p.OpensOn > p.ClosesOn {
		f["closesOn"] = "The closing date must be on or after the opening date"
	}
	checkCriteria(p.Criteria, f)
	for i, s := range p.Scale {
		if s.Score != i {
			f[fmt.Sprintf("scale[%d].score", i)] = fmt.Sprintf("Describe the scores 0 to 5 in order: this one should be %d", i)
		}
	}
	checkSchedule(p.Schedule, f)
	for i, a := range p.Rules.CouncilAreas {
		if _, ok := pathway.EnglishLocalAuthority(a); !ok {
			f[fmt.Sprintf("rules.councilAreas[%d]", i)] = fmt.Sprintf("%q is not a council area in England", a)
		}
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	return nil
}

// checkCriteria adds the faults of criteria to f: weights must sum to
// 100 and each ID appear once.
func checkCriteria(cs []Criterion, f map[string]string) {
	sum, seen := 0, map[string]bool{}
	for i, c := range cs {
		sum += c.Weight
		if seen[c.ID] {
			f[fmt.Sprintf("criteria[%d].id", i)] = "Each criterion needs its own ID"
		}
		seen[c.ID] = true
	}
	if sum != 100 {
		f["criteria"] = fmt.Sprintf("The weights of the criteria must add up to 100; they add up to %d", sum)
	}
}

// checkSchedule adds the faults of a schedule to f: shares sum to 100,
// and a date share says how many months after the award.
func checkSchedule(ss []ScheduleShare, f map[string]string) {
	sum := 0
	for i, s := range ss {
		sum += s.Share
		if s.Trigger == TriggerDate && s.Months < 1 {
			f[fmt.Sprintf("schedule[%d].months", i)] = "Say how many months after the award this share is paid"
		}
	}
	if sum != 100 {
		f["schedule"] = fmt.Sprintf("The shares of the payment schedule must add up to 100%%; they add up to %d%%", sum)
	}
}

// Criterion returns the programme's criterion with the ID.
func (p *Programme) Criterion(id string) (Criterion, bool) {
	for _, c := range p.Criteria {
		if c.ID == id {
			return c, true
		}
	}
	return Criterion{}, false
}

// IsOpen reports whether the programme takes applications on the UK day
// of now.
func (p *Programme) IsOpen(now time.Time) bool {
	d := Today(now)
	return p.OpensOn <= d && d <= p.ClosesOn
}

// Today returns the UK day of now as YYYY-MM-DD, the form of every date
// of this package.
func Today(now time.Time) string { return pathway.UKToday(now).Format(time.DateOnly) }

// DefaultScale is a 0–5 scale a programme may start from.
var DefaultScale = []ScaleStep{
	{0, "Not addressed"},
	{1, "Weak: little evidence"},
	{2, "Limited: some evidence, major gaps"},
	{3, "Adequate: meets the criterion with minor gaps"},
	{4, "Good: clear evidence"},
	{5, "Excellent: strong, specific evidence"},
}
