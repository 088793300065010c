package pathway

import "time"

// Stages of a co-op's journey. The API returns these strings.
const (
	StageApplied             = "applied"
	StageIneligible          = "ineligible"
	StageAwaitingPanel       = "awaiting-panel"
	StageDeclined            = "declined"
	StageCQCPreparing        = "cqc-preparing"
	StageCQCReady            = "cqc-ready"
	StageCQCSubmitted        = "cqc-submitted"
	StageCQCProposalToRefuse = "cqc-proposal-to-refuse"
	StageCQCRegistered       = "cqc-registered"
	StageCQCRefused          = "cqc-refused"
	StageContracted          = "contracted"
	StageWithdrawn           = "withdrawn"
	// StageClosed ends the journey of a co-op that was registered and
	// then stopped trading or was wound up: the agency records it.
	StageClosed = "closed"
)

// Legal forms a co-op may have or intend.
const (
	FormCooperativeSociety = "co-operative-society"
	FormCommunityBenefit   = "community-benefit-society"
	FormCommunityInterest  = "community-interest-company"
	FormGuarantee          = "company-limited-by-guarantee"
	FormNotYetIncorporated = "not-yet-incorporated"
	FormPrivateCompany     = "private-company"
)

// Membership classes of a multi-stakeholder co-op.
const (
	ClassWorker      = "worker"
	ClassServiceUser = "service-user"
	ClassFamilyCarer = "family-carer"
	ClassCommunity   = "community"
	ClassSupporter   = "supporter"
)

// Roles a member can hold in the co-op's governance and CQC registration.
const (
	MemberDirector            = "director"
	MemberCommitteeMember     = "committee-member"
	MemberRegisteredManager   = "registered-manager"
	MemberNominatedIndividual = "nominated-individual"
	MemberOrdinary            = "member"
)

// Coop is a care co-operative start-up: the founding group, what it intends
// to provide, and where it stands on its journey. Every update is conditional
// on Version, so two writers can never silently overwrite each other.
type Coop struct {
	// ID is the co-op's stable identifier.
	ID string `json:"id" validate:"required,max=64"`
	// Name is the co-op's name (or working name before incorporation).
	Name string `json:"name" validate:"required,min=2,max=200,safetext"`
	// Programme is the ID of the development programme the co-op applied to.
	Programme string `json:"programme" validate:"required,max=64"`
	// LegalForm is one of the Form* constants.
	LegalForm string `json:"legalForm" validate:"required,oneof=co-operative-society community-benefit-society community-interest-company company-limited-by-guarantee not-yet-incorporated private-company"`
	// Origin is how the co-op came about.
	Origin string `json:"origin" validate:"required,oneof=new-start conversion spin-out partnership society-venture contracting"`
	// LocalAuthority is the council area the co-op will serve first.
	LocalAuthority string `json:"localAuthority" validate:"required,max=100,safetext"`
	// Services are the kinds of care or support the co-op will provide.
	Services []string `json:"services" validate:"required,min=1,max=14,unique,dive,oneof=home-care supported-living extra-care-housing shared-lives day-care reablement care-home nursing-care carers-services advice-brokerage equipment meals telecare prevention"`
	// RegulatedActivities are the CQC regulated activities it will carry on.
	RegulatedActivities []string `json:"regulatedActivities" validate:"max=4,unique,dive,oneof=personal-care accommodation-personal-care nursing-care treatment"`
	// Members are the founding members.
	Members []Member `json:"members" validate:"required,min=1,max=200,dive"`
	// Founders are the IDs of the users who act for the co-op.
	Founders []string `json:"founders,omitempty" validate:"max=50,dive,max=128"`
	// Applicant is the ID of the founder who applied; empty on co-ops
	// stored before it was kept, whose first founder applied (ApplicantOf).
	Applicant string `json:"applicant,omitempty" validate:"max=128"`
	// Stage is where the co-op is on its journey (a Stage* constant).
	Stage string `json:"stage" validate:"required,stage"`
	// StageEnteredAt is when the co-op entered its current stage.
	StageEnteredAt time.Time `json:"stageEnteredAt"`
	// ProviderID is the CQC provider ID once registered.
	ProviderID string `json:"providerId,omitempty" validate:"max=32"`
	// RegisterNumber is the co-op's number on its register once
	// incorporated: the FCA Mutuals Public Register for a co-operative or
	// community benefit society (e.g. "7654R"), Companies House for a
	// company (8 characters, e.g. "09506232"). Grants publish it as the
	// recipient's id (GB-MPR-… or GB-COH-…).
	RegisterNumber string `json:"registerNumber,omitempty" validate:"omitempty,max=10,alphanum,uppercase"`
	// Attempt counts the times the application was sent: 0 (or 1) for
	// the first, 2 once it was corrected and sent again after screening,
	// and so on. The application workflow's execution is named after the
	// co-op and the attempt (ApplicationExecution).
	Attempt int `json:"attempt,omitempty" validate:"min=0,max=1000"`
	// Failure describes a workflow step that failed and needs the agency's attention.
	Failure string `json:"failure,omitempty" validate:"max=2000"`
	// Tasks sums up the co-op's open tasks. The store keeps it, in the
	// same transaction that opens or closes a task, so a list of co-ops
	// (the pipeline board) shows it without a read per co-op; what a
	// caller sets here is not stored.
	Tasks TaskSummary `json:"tasks"`
	// Version counts the stored updates; it is 1 after creation.
	Version int `json:"version"`
	// CreatedAt is when the co-op was first stored.
	CreatedAt time.Time `json:"createdAt"`
	// UpdatedAt is when the co-op was last stored.
	UpdatedAt time.Time `json:"updatedAt"`
}

// TaskSummary is what a co-op's record says of its open tasks.
type TaskSummary struct {
	// Open counts the open tasks.
	Open int `json:"open"`
	// NextDue is the earliest due date among them; zero when none has one.
	NextDue time.Time `json:"nextDue,omitzero"`
	// Agency counts the open tasks for the agency's staff (its lead's
	// included), and AgencyNextDue is the earliest due among them: the
	// board's "waiting on the agency".
	Agency        int       `json:"agency,omitempty"`
	AgencyNextDue time.Time `json:"agencyNextDue,omitzero"`
	// Founders counts the open tasks for the co-op's founders.
	Founders int `json:"founders,omitempty"`
	// FoundersNextDue is the earliest due time of the founders' open tasks
	// (zero when none has one), so a pipeline can say what is overdue on
	// whom.
	FoundersNextDue time.Time `json:"foundersNextDue,omitzero"`
	// Waiting counts the checklist items waiting for the agency's check
	// (the Count of the co-op's checklist-verification task).
	Waiting int `json:"waiting,omitempty"`
}

// AgencyOverdue reports whether one of the agency's open tasks is past
// its due date at now.
func (s TaskSummary) AgencyOverdue(now time.Time) bool {
	return s.Agency > 0 && !s.AgencyNextDue.IsZero() && now.After(s.AgencyNextDue)
}

// Overdue reports whether one of the open tasks is past its due date at
// now (as Task.IsOverdue says of one task).
func (s TaskSummary) Overdue(now time.Time) bool {
	return s.Open > 0 && !s.NextDue.IsZero() && now.After(s.NextDue)
}

// SummariseTasks sums up open tasks: how many, and the earliest due, in
// all and for the agency; how many are the founders'; how many checklist
// items wait for the agency.
// Tasks that are not open are left out.
func SummariseTasks(tasks []*Task) TaskSummary {
	var s TaskSummary
	for _, t := range tasks {
		if t.Status != TaskOpen {
			continue
		}
		s.Open++
		if !t.Due.IsZero() && (s.NextDue.IsZero() || t.Due.Before(s.NextDue)) {
			s.NextDue = t.Due.UTC()
		}
		switch t.Role {
		case RoleAgency, RoleAgencyLead:
			s.Agency++
			if !t.Due.IsZero() && (s.AgencyNextDue.IsZero() || t.Due.Before(s.AgencyNextDue)) {
				s.AgencyNextDue = t.Due.UTC()
			}
		case RoleFounder:
			s.Founders++
			if !t.Due.IsZero() && (s.FoundersNextDue.IsZero() || t.Due.Before(s.FoundersNextDue)) {
				s.FoundersNextDue = t.Due.UTC()
			}
		}
		if t.Kind == TaskChecklistVerification {
			s.Waiting += t.Count
		}
	}
	return s
}

// Member is a founding member of a co-op. Invented names only in sample data.
type Member struct {
	// Name is the member's name as they want it shown.
	Name string `json:"name" validate:"required,max=200,safetext"`
	// Class is the membership class (a Class* constant).
	Class string `json:"class" validate:"required,oneof=worker service-user family-carer community supporter"`
	// Role is the member's governance role (a Member* constant).
	Role string `json:"role" validate:"required,oneof=director committee-member registered-manager nominated-individual member"`
	// Votes is the member's votes at general meetings; zero means one.
	Votes int `json:"votes,omitempty" validate:"min=0,max=1000"`
}

// Validate reports whether c is a well-formed co-op.
func (c *Coop) Validate() error { return validate(c) }

// NeedsCQC reports whether the co-op must register with CQC: it will carry
// on at least one regulated activity. One without needs no registration,
// and its checklist asks only for the organisation and insurance items.
func (c *Coop) NeedsCQC() bool { return len(c.RegulatedActivities) > 0 }

// CoopFilter selects a page of the pipeline: co-ops of one programme in one
// stage, newest stage entry first.
type CoopFilter struct {
	// Programme is the programme ID; required.
	Programme string
	// Stage is the stage; required.
	Stage string
	// Cursor is the opaque Next of the previous page, or "" for the first.
	Cursor string
	// Limit is the page size; zero means DefaultPageSize.
	Limit int
}

// DefaultPageSize is the pipeline page size when a filter gives none.
const DefaultPageSize = 25

// MaxPageSize bounds any page a caller asks for.
const MaxPageSize = 100

// CoopPage is one page of the pipeline.
type CoopPage struct {
	// Coops are the page's co-ops in order.
	Coops []*Coop `json:"coops"`
	// Next is the cursor for the following page, or "" on the last page.
	Next string `json:"next,omitempty"`
}
