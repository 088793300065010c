// Package tenders is the tenders phase: councils' care tenders under the
// Procurement Act 2023, co-ops' sealed bids, evaluation free of conflicts
// of interest, moderation, the award decision with an assessment summary
// for every assessed bidder, standstill, the contract and its notices. It
// holds records and rules only, no I/O; shared/tenders/tenderstore is its
// repository over the table port.
//
// Money is integer pence including VAT throughout. Dates people enter or
// see (the term, the day a notice was published, a contract's signing)
// are UK calendar dates written YYYY-MM-DD, which compare as strings in
// date order; deadlines (questions and tenders close) are instants.
package tenders

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Subject kinds of this phase: a tender's tasks and audit trail, and a
// bid's.
const (
	SubjectTender = pathway.SubjectTender
	SubjectBid    = pathway.SubjectBid
)

// Subject returns the subject of the tender with the ID.
func Subject(id string) pathway.Subject { return pathway.Subject{Kind: SubjectTender, ID: id} }

// BidSubject returns the subject of the bid with the ID.
func BidSubject(id string) pathway.Subject { return pathway.Subject{Kind: SubjectBid, ID: id} }

// Procedures a tender may follow (Procurement Act 2023 s.20: the open
// procedure and the competitive flexible procedure).
const (
	ProcedureOpen                = "open"
	ProcedureCompetitiveFlexible = "competitive-flexible"
)

// Kinds of award criterion.
const (
	KindQuality     = "quality"
	KindPrice       = "price"
	KindSocialValue = "social-value"
)

// Statuses of a tender. The API returns these strings.
const (
	StatusDraft       = "draft"       // being written; only the council sees it
	StatusOpen        = "open"        // published (UK4): bids are taken until the deadline
	StatusEvaluation  = "evaluation"  // the deadline passed: evaluators score the bids
	StatusModeration  = "moderation"  // evaluations are in: the lead agrees the scores
	StatusAward       = "award"       // scores agreed: the lead confirms the winners
	StatusStandstill  = "standstill"  // award notice (UK6) published: standstill runs
	StatusContracting = "contracting" // the contract may be entered into
	StatusContracted  = "contracted"  // the contract was entered into
	StatusNoBids      = "no-bids"     // the deadline passed with no bid
	StatusCancelled   = "cancelled"   // the council ended the procurement (UK12)
)

// Statuses lists every status with its words, in the order a tender
// meets them, the ends last.
var Statuses = []pathway.Term{
	{Code: StatusDraft, Name: "Draft"},
	{Code: StatusOpen, Name: "Open for bids"},
	{Code: StatusEvaluation, Name: "Bids being evaluated"},
	{Code: StatusModeration, Name: "Scores being moderated"},
	{Code: StatusAward, Name: "Waiting for the award decision"},
	{Code: StatusStandstill, Name: "Standstill"},
	{Code: StatusContracting, Name: "Contract may be entered into"},
	{Code: StatusContracted, Name: "Contract entered into"},
	{Code: StatusNoBids, Name: "Closed with no bids"},
	{Code: StatusCancelled, Name: "Cancelled"},
}

// Tender is a council's care tender, from draft to contract. Every update
// is conditional on Version.
type Tender struct {
	ID string `json:"id" validate:"required,max=64"`
	// Council is the ID of the council organisation that runs it.
	Council     string `json:"council" validate:"required,max=64"`
	Title       string `json:"title" validate:"required,max=200,safetext"`
	Description string `json:"description" validate:"required,max=10000,safelongtext"`
	// Services are the kinds of care bought (pathway.Services codes).
	Services []string `json:"services" validate:"required,min=1,max=14,unique,dive,oneof=home-care supported-living extra-care-housing shared-lives day-care reablement care-home nursing-care carers-services advice-brokerage equipment meals telecare prevention"`
	// RegulatedActivities are the CQC regulated activities a bidder must
	// be registered for to deliver the services.
	RegulatedActivities []string `json:"regulatedActivities,omitempty" validate:"max=4,unique,dive,oneof=personal-care accommodation-personal-care nursing-care treatment"`
	// Areas are the council areas served, as pathway.EnglishLocalAuthority names them.
	Areas []string `json:"areas" validate:"required,min=1,max=50,dive,max=100,safetext"`
	// Value is the estimated total value including VAT, in pence.
	Value int64 `json:"value" validate:"min=1"`
	// Lots divide the contract; a tender has at least one.
	Lots []Lot `json:"lots" validate:"required,min=1,max=20,dive"`
	// Procedure is ProcedureOpen or ProcedureCompetitiveFlexible.
	Procedure string `json:"procedure" validate:"required,oneof=open competitive-flexible"`
	// LightTouch marks a light-touch contract (Procurement Regulations
	// 2024 Sch 1: social care), with its own rules on standstill and
	// notices.
	LightTouch bool `json:"lightTouch"`
	// AboveThreshold records whether Value is at or above the light-touch
	// threshold (Settings.LightTouchThreshold), set when stored.
	AboveThreshold bool `json:"aboveThreshold"`
	// Reserved marks a contract reserved for public service mutuals (s.33).
	Reserved bool `json:"reserved"`
	// Criteria are the award criteria, weights summing to 100.
	Criteria []Criterion `json:"criteria" validate:"required,min=2,max=30,dive"`
	// MinQuality is the least share of the quality marks (percent, 0 for
	// none) a bid must get to stay in the competition.
	MinQuality int `json:"minQuality,omitempty" validate:"min=0,max=100"`
	// PriceScoring is how price is scored: PriceLowestProportional.
	PriceScoring string `json:"priceScoring,omitempty" validate:"omitempty,oneof=lowest-proportional"`
	// Term is the contract's term.
	Term Term `json:"term"`
	// QuestionsCloseAt is the deadline for clarification questions;
	// TendersCloseAt the deadline for bids.
	QuestionsCloseAt time.Time `json:"questionsCloseAt"`
	TendersCloseAt   time.Time `json:"tendersCloseAt"`
	// Standstill is the standstill rule.
	Standstill Standstill `json:"standstill"`
	// Evaluators are the user IDs of the council staff who evaluate bids.
	Evaluators []string `json:"evaluators,omitempty" validate:"max=20,unique,dive,max=128"`
	// Status is a Status* constant; it changes only through Move.
	Status string `json:"status" validate:"required,oneof=draft open evaluation moderation award standstill contracting contracted no-bids cancelled"`
	// Notices are the notices published for it (UK4, UK6, UK7, UK12).
	Notices []Notice `json:"notices,omitempty" validate:"max=20,dive"`
	// Award is the lead's decision, per lot.
	Award *Award `json:"award,omitempty"`
	// Period is the standstill period once the award notice is published.
	Period *StandstillPeriod `json:"standstillPeriod,omitempty"`
	// Challenges are challenges to the award recorded by the council.
	Challenges []Challenge `json:"challenges,omitempty" validate:"max=50,dive"`
	// Contract is the contract entered into.
	Contract *Contract `json:"contract,omitempty"`
	// Cancellation is why and when the council ended the procurement.
	Cancellation *Cancellation `json:"cancellation,omitempty"`
	// Bids counts the bids in (not withdrawn), which council users see
	// before the deadline instead of the bids themselves.
	Bids int `json:"bids"`
	// CreatedBy is the lead who wrote it.
	CreatedBy   string    `json:"createdBy,omitempty" validate:"max=128"`
	Version     int       `json:"version"`
	CreatedAt   time.Time `json:"createdAt"`
	UpdatedAt   time.Time `json:"updatedAt"`
	PublishedAt time.Time `json:"publishedAt,omitzero"`
}

// Lot is one part of a tender, bid for and awarded on its own.
type Lot struct {
	ID   string `json:"id" validate:"required,max=64,slug"`
	Name string `json:"name" validate:"required,max=200,safetext"`
	// Value is the lot's estimated value including VAT, in pence.
	Value int64 `json:"value" validate:"min=1"`
}

// Criterion is one award criterion (s.23: published with its relative
// importance). A kind may have several criteria (sub-criteria); the price
// criterion's score is computed, never typed.
type Criterion struct {
	ID     string `json:"id" validate:"required,max=64,slug"`
	Name   string `json:"name" validate:"required,max=200,safetext"`
	Kind   string `json:"kind" validate:"required,oneof=quality price social-value"`
	Weight int    `json:"weight" validate:"min=1,max=100"`
	// Guide tells bidders and evaluators what a good answer shows.
	Guide string `json:"guide,omitempty" validate:"max=2000,safelongtext"`
}

// PriceLowestProportional gives the lowest price full marks and others
// marks in proportion: lowest ÷ price × weight.
const PriceLowestProportional = "lowest-proportional"

// Term is the contract's term, first and last day (YYYY-MM-DD).
type Term struct {
	Start string `json:"start" validate:"required,datetime=2006-01-02"`
	End   string `json:"end" validate:"required,datetime=2006-01-02"`
}

// Standstill is a tender's standstill rule: whether one applies and how
// many working days it lasts.
type Standstill struct {
	Applies     bool `json:"applies"`
	WorkingDays int  `json:"workingDays" validate:"min=0,max=30"`
}

// StandstillPeriod is the standstill as it runs: from the day the award
// notice was published to its last day, and the first day the contract
// may be entered into.
type StandstillPeriod struct {
	From      string `json:"from" validate:"required,datetime=2006-01-02"`
	LastDay   string `json:"lastDay" validate:"required,datetime=2006-01-02"`
	EnterFrom string `json:"enterFrom" validate:"required,datetime=2006-01-02"`
}

// Notice types (Find a Tender numbering).
const (
	NoticeTender          = "UK4"  // tender notice
	NoticeAward           = "UK6"  // contract award notice
	NoticeContractDetails = "UK7"  // contract details notice
	NoticeTermination     = "UK12" // procurement termination notice
)

// Notice is a notice published, or due, for the tender.
type Notice struct {
	Type string `json:"type" validate:"required,oneof=UK4 UK6 UK7 UK12"`
	// PublishedOn is the day it was published; empty while only due.
	PublishedOn string `json:"publishedOn,omitempty" validate:"omitempty,datetime=2006-01-02"`
	// Due is the last day it may be published, when the Act sets one.
	Due string `json:"due,omitempty" validate:"omitempty,datetime=2006-01-02"`
}

// Award is the lead's award decision: the winning bid of each lot.
type Award struct {
	Lots      []LotAward `json:"lots" validate:"required,min=1,max=20,dive"`
	DecidedBy string     `json:"decidedBy,omitempty" validate:"max=128"`
	DecidedAt time.Time  `json:"decidedAt,omitzero"`
	// SummariesSentAt is when the assessment summaries went to the bidders (s.50).
	SummariesSentAt time.Time `json:"summariesSentAt,omitzero"`
}

// LotAward is the winner of one lot.
type LotAward struct {
	Lot  string `json:"lot" validate:"required,max=64"`
	Bid  string `json:"bid" validate:"required,max=64"`
	Coop string `json:"coop" validate:"required,max=64"`
	// TopRanked is false when the lead chose another than the top-ranked
	// bid; Reason then says why.
	TopRanked bool   `json:"topRanked"`
	Reason    string `json:"reason,omitempty" validate:"max=5000,safelongtext"`
}

// Challenge statuses.
const (
	ChallengeOpen      = "open"
	ChallengeDismissed = "dismissed"
	ChallengeUpheld    = "upheld"
	ChallengeWithdrawn = "withdrawn"
)

// Challenge is a supplier's challenge to the award, recorded by the
// council. An open challenge during standstill suspends entering into the
// contract until its outcome is recorded.
type Challenge struct {
	ID string `json:"id" validate:"required,max=64"`
	// Received is the day the council received it.
	Received string `json:"received" validate:"required,datetime=2006-01-02"`
	// From names who challenged (an organisation, not a person).
	From    string `json:"from" validate:"required,max=200,safetext"`
	Summary string `json:"summary" validate:"required,max=5000,safelongtext"`
	// Status is a Challenge* constant.
	Status string `json:"status" validate:"required,oneof=open dismissed upheld withdrawn"`
	// Outcome says what the council decided, once it has.
	Outcome    string    `json:"outcome,omitempty" validate:"max=5000,safelongtext"`
	RecordedBy string    `json:"recordedBy,omitempty" validate:"max=128"`
	RecordedAt time.Time `json:"recordedAt,omitzero"`
	DecidedAt  time.Time `json:"decidedAt,omitzero"`
}

// Contract is the contract entered into.
type Contract struct {
	SignedOn string `json:"signedOn" validate:"required,datetime=2006-01-02"`
	Start    string `json:"start" validate:"required,datetime=2006-01-02"`
	End      string `json:"end" validate:"required,datetime=2006-01-02"`
	// Lots are the value of each lot's contract, including VAT, in pence.
	Lots []ContractLot `json:"lots" validate:"required,min=1,max=20,dive"`
	// NoticeDue is the last day for the contract details notice (UK7):
	// within 30 days beginning with the day the contract is entered
	// into, 120 for light touch (s.53(1); ContractNoticeDue).
	NoticeDue  string    `json:"noticeDue,omitempty" validate:"omitempty,datetime=2006-01-02"`
	RecordedBy string    `json:"recordedBy,omitempty" validate:"max=128"`
	RecordedAt time.Time `json:"recordedAt,omitzero"`
}

// ContractLot is one lot's contract: its supplier and value.
type ContractLot struct {
	Lot   string `json:"lot" validate:"required,max=64"`
	Coop  string `json:"coop,omitempty" validate:"max=64"`
	Bid   string `json:"bid,omitempty" validate:"max=64"`
	Value int64  `json:"value" validate:"min=1"`
}

// Settings are a council's procurement settings, kept on its organisation.
type Settings struct {
	// LightTouchThreshold is the light-touch threshold including VAT, in
	// pence (Procurement Act 2023 Sch 1 para 1(2)(g) as amended:
	// £663,540 from 1 January 2026).
	LightTouchThreshold int64 `json:"lightTouchThreshold"`
	// MinSocialValue is the least total weight, in percent, of the
	// social-value criteria.
	MinSocialValue int `json:"minSocialValue"`
	// OCIDPrefix is the council's registered OCDS prefix ("ocds-xxxxxx").
	OCIDPrefix string `json:"ocidPrefix"`
}

// DefaultSettings are the settings of a council that set none.
var DefaultSettings = Settings{
	LightTouchThreshold: 663_540_00,
	MinSocialValue:      10,
	OCIDPrefix:          "ocds-ccp000",
}
