package grants

import (
	"fmt"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Statuses of an application. The API returns these strings.
const (
	StatusDraft            = "draft"
	StatusSubmitted        = "submitted"
	StatusIneligible       = "ineligible"
	StatusInReview         = "in-review"
	StatusAwaitingDecision = "awaiting-decision"
	StatusRejected         = "rejected"
	StatusAwarded          = "awarded"
	StatusDeclined         = "declined"
	StatusActive           = "active"
	StatusClosed           = "closed"
	StatusWithdrawn        = "withdrawn"
)

// Statuses lists every status with its words, in the order an
// application meets them, the ends last.
var Statuses = []pathway.Term{
	{Code: StatusDraft, Name: "Draft"},
	{Code: StatusSubmitted, Name: "Sent"},
	{Code: StatusInReview, Name: "Being reviewed"},
	{Code: StatusAwaitingDecision, Name: "Waiting for a decision"},
	{Code: StatusAwarded, Name: "Awarded: waiting for the co-op to accept"},
	{Code: StatusActive, Name: "Active: being paid and monitored"},
	{Code: StatusClosed, Name: "Closed"},
	{Code: StatusIneligible, Name: "Not eligible"},
	{Code: StatusRejected, Name: "Not funded"},
	{Code: StatusDeclined, Name: "Award declined by the co-op"},
	{Code: StatusWithdrawn, Name: "Withdrawn"},
}

// SubjectKind is the pathway subject kind of an application.
const SubjectKind = pathway.SubjectGrantApplication

// Subject returns the subject of the application with the ID: its tasks
// and its audit trail.
func Subject(id string) pathway.Subject { return pathway.Subject{Kind: SubjectKind, ID: id} }

// Application is a co-op's application for a grant, from draft to close.
// Every update is conditional on Version.
type Application struct {
	ID        string `json:"id" validate:"required,max=64"`
	Programme string `json:"programme" validate:"required,max=64"`
	// Funder is the programme's funder, copied so that a funder's staff
	// can be checked against the application without reading the programme.
	Funder string `json:"funder" validate:"required,max=64"`
	Coop   string `json:"coop" validate:"required,max=64"`
	// Applicant is the user ID of the founder who sent it.
	Applicant string `json:"applicant,omitempty" validate:"max=128"`
	Title     string `json:"title" validate:"required,max=200,safetext"`
	// Purpose says what the grant is for.
	Purpose string `json:"purpose" validate:"required,max=5000,safelongtext"`
	// Amount is the amount requested, in pence.
	Amount int64 `json:"amount" validate:"min=1"`
	// Budget lines add up to Amount.
	Budget   []BudgetLine `json:"budget" validate:"required,min=1,max=50,dive"`
	Timeline string       `json:"timeline" validate:"max=5000,safelongtext"`
	// Files are the IDs of evidence files (pathway.File).
	Files []string `json:"files,omitempty" validate:"max=20,unique,dive,max=64"`
	// Status is a Status* constant; it changes only through Move.
	Status string `json:"status" validate:"required,oneof=draft submitted ineligible in-review awaiting-decision rejected awarded declined active closed withdrawn"`
	// Reasons are screening's reasons, when ineligible.
	Reasons []pathway.Reason `json:"reasons,omitempty"`
	// Attempt counts the times it was sent (1 the first time).
	Attempt int `json:"attempt,omitempty" validate:"min=0,max=1000"`
	// Feedback is the lead's word to the co-op on the decision, award or not.
	Feedback string `json:"feedback,omitempty" validate:"max=5000,safelongtext"`
	// Award is set when the lead awards.
	Award *Award `json:"award,omitempty"`
	// Reports are the monitoring reports set at award.
	Reports     []Report  `json:"reports,omitempty" validate:"max=24,dive"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
	SubmittedAt time.Time `json:"submittedAt,omitzero"`
}

// BudgetLine is one line of what the grant would pay for.
type BudgetLine struct {
	Item   string `json:"item" validate:"required,max=200,safetext"`
	Amount int64  `json:"amount" validate:"min=1"`
}

// Award is what the lead awarded.
type Award struct {
	// Amount awarded, in pence.
	Amount int64 `json:"amount" validate:"min=1"`
	// Conditions the co-op accepts with the award.
	Conditions []string `json:"conditions,omitempty" validate:"max=20,dive,required,max=1000,safetext"`
	// Tranches are the instalments, summing to Amount.
	Tranches []Tranche `json:"tranches" validate:"required,min=1,max=12,dive"`
	// DecidedBy is the lead who awarded; DecidedAt when.
	DecidedBy string    `json:"decidedBy,omitempty" validate:"max=128"`
	DecidedAt time.Time `json:"decidedAt,omitzero"`
}

// Tranche statuses: waiting for its trigger, released and waiting for
// payment, paid.
const (
	TrancheOpen = "open"
	TrancheDue  = "due"
	TranchePaid = "paid"
)

// Tranche is one instalment of an award.
type Tranche struct {
	ID      string `json:"id" validate:"required,max=16"`
	Amount  int64  `json:"amount" validate:"min=1"`
	Trigger string `json:"trigger" validate:"required,oneof=agreement cqc-registered report date"`
	// On is the day a date tranche is paid (YYYY-MM-DD).
	On     string `json:"on,omitempty" validate:"omitempty,datetime=2006-01-02"`
	Status string `json:"status" validate:"required,oneof=open due paid"`
	// PaidOn and Reference record the payment.
	PaidOn    string `json:"paidOn,omitempty" validate:"omitempty,datetime=2006-01-02"`
	Reference string `json:"reference,omitempty" validate:"max=100,safetext"`
}

// Report states.
const (
	ReportDue      = "due"      // waiting for the founders
	ReportSent     = "sent"     // waiting for the funder
	ReportAccepted = "accepted" // accepted by the funder
	ReportReturned = "returned" // returned with a comment; due again
)

// Report is one monitoring report of an award.
type Report struct {
	ID      string    `json:"id" validate:"required,max=16"`
	Due     string    `json:"due" validate:"required,datetime=2006-01-02"`
	Status  string    `json:"status" validate:"required,oneof=due sent accepted returned"`
	Summary string    `json:"summary,omitempty" validate:"max=10000,safelongtext"`
	Figures *Figures  `json:"figures,omitempty"`
	Comment string    `json:"comment,omitempty" validate:"max=5000,safelongtext"`
	SentAt  time.Time `json:"sentAt,omitzero"`
}

// Figures are what a monitoring report counts.
type Figures struct {
	// MembersByClass counts members per membership class (pathway.MemberClasses codes).
	MembersByClass map[string]int `json:"membersByClass" validate:"max=5,dive,keys,oneof=worker service-user family-carer community supporter,endkeys,min=0,max=100000"`
	PaidJobs       int            `json:"paidJobs" validate:"min=0,max=100000"`
	// CareHoursPerWeek is the hours of care given in a week.
	CareHoursPerWeek int `json:"careHoursPerWeek" validate:"min=0,max=1000000"`
	PeopleSupported  int `json:"peopleSupported" validate:"min=0,max=1000000"`
}

// Validate reports whether f holds possible figures.
func (f *Figures) Validate() error { return validate(f) }

// Validate reports whether a is a well-formed application: its tags, and
// budget lines that add up to the amount asked for.
func (a *Application) Validate() error {
	if err := validate(a); err != nil {
		return err
	}
	f := map[string]string{}
	if sum := BudgetTotal(a.Budget); sum != a.Amount {
		f["budget"] = fmt.Sprintf("The budget lines add up to %s, but the amount asked for is %s: they must be the same", Pounds(sum), Pounds(a.Amount))
	}
	if a.Award != nil {
		if err := a.Award.check(); err != nil {
			return pathway.InField(err, "award")
		}
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	return nil
}

// BudgetTotal adds up budget lines.
func BudgetTotal(lines []BudgetLine) int64 {
	var sum int64
	for _, l := range lines {
		sum += l.Amount
	}
	return sum
}

// check holds an award's tranches to its amount and their triggers.
func (aw *Award) check() error {
	if err := validate(aw); err != nil {
		return err
	}
	f := map[string]string{}
	var sum int64
	for i, t := range aw.Tranches {
		sum += t.Amount
		checkTrigger(fmt.Sprintf("tranches[%d]", i), t.Trigger, t.On, f)
	}
	if sum != aw.Amount {
		f["tranches"] = fmt.Sprintf("The tranches add up to %s, but the award is %s: they must be the same", Pounds(sum), Pounds(aw.Amount))
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	return nil
}

// checkTrigger adds to f what is wrong with a tranche's trigger and date:
// a date tranche needs its date, and only a date tranche has one.
func checkTrigger(at, trigger, on string, f map[string]string) {
	switch {
	case trigger == TriggerDate && on == "":
		f[at+".on"] = "Enter the date this tranche is paid on"
	case trigger != TriggerDate && on != "":
		f[at+".on"] = "Only a tranche paid on a date has a date; leave it empty"
	}
}

// Tranche returns a pointer to the award's tranche with the ID, or nil.
func (a *Application) Tranche(id string) *Tranche {
	if a.Award == nil {
		return nil
	}
	for i := range a.Award.Tranches {
		if a.Award.Tranches[i].ID == id {
			return &a.Award.Tranches[i]
		}
	}
	return nil
}
