package pathway

import "time"

// Checklist item statuses. A founder marks an item done; the agency verifies
// it or returns it with a comment, after which the founder does it again.
const (
	ItemNotStarted = "not-started"
	ItemDone       = "done"
	ItemVerified   = "verified"
	ItemReturned   = "returned"
)

// Checklist groups, in the order the task list shows them.
const (
	GroupOrganisation = "organisation"
	GroupPeople       = "people"
	GroupPurpose      = "statement-of-purpose"
	GroupPolicies     = "policies"
	GroupFinance      = "finance"
	GroupInsurance    = "insurance"
	GroupSubmission   = "submission"
)

// ChecklistItem is one thing a co-op must have ready, with evidence, before
// applying to CQC.
type ChecklistItem struct {
	// Coop is the ID of the co-op.
	Coop string `json:"coop" validate:"required,max=64"`
	// ID identifies the item within the co-op, e.g. "SOP-01" or "PPL-FPPR-2".
	ID string `json:"id" validate:"required,max=32"`
	// Group is one of the Group* constants.
	Group string `json:"group" validate:"required,max=32"`
	// Title names the item in plain English.
	Title string `json:"title" validate:"required,max=200,safetext"`
	// Guidance says what good evidence looks like, in plain words.
	Guidance string `json:"guidance,omitempty" validate:"max=2000,safelongtext"`
	// Why says which rule requires the item: the regulation it cites,
	// shown apart from the guidance ("Why we ask").
	Why string `json:"why,omitempty" validate:"max=2000,safelongtext"`
	// Links are official pages that help with the item (CQC, GOV.UK).
	Links []Link `json:"links,omitempty" validate:"max=5,dive"`
	// Required reports whether CQC submission waits for it.
	Required bool `json:"required"`
	// Status is one of the Item* constants.
	Status string `json:"status" validate:"required,oneof=not-started done verified returned"`
	// Evidence describes the evidence the founders provided.
	Evidence string `json:"evidence,omitempty" validate:"max=4000,safelongtext"`
	// Link points to the evidence document.
	Link string `json:"link,omitempty" validate:"omitempty,max=2000,url"`
	// Comment is the agency's comment when it returned the item.
	Comment string `json:"comment,omitempty" validate:"max=2000,safelongtext"`
	// UpdatedAt is when the item last changed.
	UpdatedAt time.Time `json:"updatedAt,omitzero"`
	// UpdatedBy is the user ID of who last changed it.
	UpdatedBy string `json:"updatedBy,omitempty"`
	// Version counts the stored updates; it is 1 after creation.
	Version int `json:"version"`
}

// Validate reports whether i is a well-formed checklist item.
func (i *ChecklistItem) Validate() error { return validate(i) }

// Progress counts a co-op's checklist items.
type Progress struct {
	// Done counts the items the founders have finished: marked done and
	// waiting for the agency, or verified.
	Done int `json:"done"`
	// Verified counts the items the agency has verified.
	Verified int `json:"verified"`
	// Total counts every item.
	Total int `json:"total"`
	// Required counts the items CQC submission waits for, and
	// RequiredVerified those of them verified.
	Required         int `json:"required"`
	RequiredVerified int `json:"requiredVerified"`
}

// Complete reports whether every required item is verified (and there is
// at least one), which is what releases the registration workflow's wait.
func (p Progress) Complete() bool { return p.Required > 0 && p.RequiredVerified == p.Required }

// ChecklistProgress counts the items: the one count of a checklist that
// the pages, the API and the workflow's steps all show and act on.
func ChecklistProgress(items []*ChecklistItem) Progress {
	var p Progress
	for _, it := range items {
		p.Total++
		switch it.Status {
		case ItemVerified:
			p.Done++
			p.Verified++
		case ItemDone:
			p.Done++
		}
		if it.Required {
			p.Required++
			if it.Status == ItemVerified {
				p.RequiredVerified++
			}
		}
	}
	return p
}
