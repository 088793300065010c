package tenders

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Statuses of a bid.
const (
	BidSubmitted = "submitted"     // in, sealed until the deadline; may change or be withdrawn until then
	BidWithdrawn = "withdrawn"     // withdrawn by its founders before the deadline
	BidAssessed  = "assessed"      // scores agreed; waiting for the award
	BidBelowMin  = "below-minimum" // its agreed quality score is below the tender's minimum: out
	BidWon       = "won"           // awarded at least one lot
	BidLost      = "lost"          // assessed and not awarded
)

// BidStatuses lists every bid status with its words.
var BidStatuses = []pathway.Term{
	{Code: BidSubmitted, Name: "Sent"},
	{Code: BidAssessed, Name: "Assessed"},
	{Code: BidWon, Name: "Won"},
	{Code: BidLost, Name: "Not successful"},
	{Code: BidBelowMin, Name: "Below the minimum quality score"},
	{Code: BidWithdrawn, Name: "Withdrawn"},
}

// Conditions a public service mutual declares for a reserved tender
// (Procurement Act 2023 s.33(5)-(6)): the keys of Bid.Declarations.
const (
	// ConditionPublicServices: it operates to deliver public services,
	// and mainly reservable light touch services (s.33(6)(a)).
	ConditionPublicServices = "public-services"
	// ConditionProfits: it is run on a not-for-profit basis or
	// distributes profits only to its members (s.33(6)(b)).
	ConditionProfits = "profits"
	// ConditionEmployeeControl: it is under the management and control of
	// its employees (s.33(6)(c)).
	ConditionEmployeeControl = "employee-control"
	// ConditionNoRecentReserved: it has not entered into a comparable
	// contract (same kind of services, same council, reserved under
	// s.33) in the 3 years ending with the award (s.33(5), (7)).
	ConditionNoRecentReserved = "no-recent-reserved"
)

// Conditions lists the mutual's conditions in the Act's order, as forms ask them.
var Conditions = []pathway.Term{
	{Code: ConditionPublicServices, Name: "The co-op exists to deliver public services, and mainly delivers them"},
	{Code: ConditionProfits, Name: "The co-op is not-for-profit, or shares profits only among its members"},
	{Code: ConditionEmployeeControl, Name: "The co-op's employees manage and control it"},
	{Code: ConditionNoRecentReserved, Name: "The council has not given the co-op a comparable reserved contract in the last 3 years"},
}

// Bid is a co-op's sealed bid for a tender. No council user reads it
// before the tender's deadline. Every update is conditional on Version.
type Bid struct {
	ID     string `json:"id" validate:"required,max=64"`
	Tender string `json:"tender" validate:"required,max=64"`
	// Council is the tender's council, copied so that council staff can be
	// checked against the bid without reading the tender.
	Council string `json:"council" validate:"required,max=64"`
	Coop    string `json:"coop" validate:"required,max=64"`
	// Bidder is the user ID of the founder who sent it.
	Bidder string `json:"bidder,omitempty" validate:"max=128"`
	// Lots are the prices bid, one per lot bid for.
	Lots []LotPrice `json:"lots" validate:"required,min=1,max=20,dive"`
	// Responses answer each quality and social-value criterion, by ID.
	Responses map[string]string `json:"responses" validate:"dive,max=20000,safelongtext"`
	// Declarations are the mutual's conditions for a reserved tender, by
	// Condition* code.
	Declarations map[string]Declaration `json:"declarations,omitempty" validate:"dive"`
	// Files are the IDs of evidence files (pathway.File).
	Files []string `json:"files,omitempty" validate:"max=20,unique,dive,max=64"`
	// Status is a Bid* constant.
	Status string `json:"status" validate:"required,oneof=submitted withdrawn assessed below-minimum won lost"`
	// Agreed are the moderated scores, once the lead has agreed them.
	Agreed *Moderation `json:"agreed,omitempty"`
	// Results are its totals and rank per lot, once scores are agreed.
	Results   []LotResult `json:"results,omitempty" validate:"max=20,dive"`
	Version   int         `json:"version"`
	CreatedAt time.Time   `json:"createdAt"`
	UpdatedAt time.Time   `json:"updatedAt"`
}

// LotPrice is the price bid for one lot, including VAT, in pence.
type LotPrice struct {
	Lot   string `json:"lot" validate:"required,max=64"`
	Price int64  `json:"price" validate:"min=1"`
}

// Declaration is one condition of a mutual, declared with its evidence.
type Declaration struct {
	Met bool `json:"met"`
	// Evidence says how the co-op meets it (rules, accounts, minutes).
	Evidence string `json:"evidence,omitempty" validate:"max=5000,safelongtext"`
	// Files are the IDs of evidence files for it.
	Files []string `json:"files,omitempty" validate:"max=10,unique,dive,max=64"`
}

// Evaluation is one evaluator's work on one bid: first the declaration
// of interest, then, with no conflict, the scores.
type Evaluation struct {
	Bid       string `json:"bid" validate:"required,max=64"`
	Tender    string `json:"tender" validate:"required,max=64"`
	Evaluator string `json:"evaluator" validate:"required,max=128"`
	// Conflict is true once the evaluator declared a conflict of
	// interest: they are excluded from the bid for good.
	Conflict bool   `json:"conflict"`
	Reason   string `json:"reason,omitempty" validate:"max=2000,safelongtext"`
	// Scores and Reasons are by criterion ID, quality and social value only.
	Scores   map[string]int    `json:"scores,omitempty"`
	Reasons  map[string]string `json:"reasons,omitempty" validate:"dive,max=5000,safelongtext"`
	Declared time.Time         `json:"declaredAt,omitzero"`
	ScoredAt time.Time         `json:"scoredAt,omitzero"`
}

// Moderation is the lead's agreed scores for a bid, with a reason for each.
type Moderation struct {
	Scores   map[string]int    `json:"scores"`
	Reasons  map[string]string `json:"reasons" validate:"dive,max=5000,safelongtext"`
	AgreedBy string            `json:"agreedBy,omitempty" validate:"max=128"`
	AgreedAt time.Time         `json:"agreedAt,omitzero"`
}

// LotResult is a bid's result for one lot: its marks out of the criteria's
// weights, in hundredths of a percentage point (10000 is full marks), and
// its rank among the bids still in (1 is first; 0 when out).
type LotResult struct {
	Lot         string `json:"lot"`
	Quality     int    `json:"quality"`     // marks from quality criteria
	SocialValue int    `json:"socialValue"` // marks from social-value criteria
	Price       int    `json:"price"`       // marks from the price criterion
	Total       int    `json:"total"`
	Rank        int    `json:"rank"`
}

// Question is a bidder's clarification question and the council's answer,
// which every bidder sees without the asker's name.
type Question struct {
	ID     string `json:"id" validate:"required,max=64"`
	Tender string `json:"tender" validate:"required,max=64"`
	// Asker and Coop say who asked; never shown to other bidders.
	Asker      string    `json:"asker,omitempty" validate:"max=128"`
	Coop       string    `json:"coop,omitempty" validate:"max=64"`
	Question   string    `json:"question" validate:"required,max=5000,safelongtext"`
	Answer     string    `json:"answer,omitempty" validate:"max=10000,safelongtext"`
	AskedAt    time.Time `json:"askedAt"`
	AnsweredAt time.Time `json:"answeredAt,omitzero"`
	AnsweredBy string    `json:"answeredBy,omitempty" validate:"max=128"`
}

// Anonymous returns q without who asked it, as bidders see it.
func (q Question) Anonymous() Question {
	q.Asker, q.Coop = "", ""
	return q
}

// AssessmentSummary is what s.50 requires each assessed bidder be told:
// its own agreed scores with reasons per criterion, the winner's scores,
// and why it did or did not win, per lot it bid for.
type AssessmentSummary struct {
	Bid    string `json:"bid"`
	Tender string `json:"tender"`
	Coop   string `json:"coop"`
	// Criteria repeat the tender's criteria, for reading the scores.
	Criteria []Criterion       `json:"criteria"`
	Scores   map[string]int    `json:"scores"`
	Reasons  map[string]string `json:"reasons"`
	Lots     []SummaryLot      `json:"lots"`
	SentAt   time.Time         `json:"sentAt,omitzero"`
}

// SummaryLot is the summary's word on one lot the bid priced.
type SummaryLot struct {
	Lot    string    `json:"lot"`
	Won    bool      `json:"won"`
	Result LotResult `json:"result"`
	// Winner is the winning bid's result and agreed scores (nil when this
	// bid won).
	WinnerResult *LotResult     `json:"winnerResult,omitempty"`
	WinnerScores map[string]int `json:"winnerScores,omitempty"`
	// Why says in plain English why it won or did not.
	Why string `json:"why"`
}
