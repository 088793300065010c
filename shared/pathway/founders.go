package pathway

import (
	"context"
	"encoding/json"
	"strings"
	"time"
)

// MaxFounders is how many founders a co-op may have (Coop.Founders' rule).
const MaxFounders = 50

// Event actions of co-founders.
const (
	ActionFounderInvited = "founder.invited"
	ActionFounderRemoved = "founder.removed"
	ActionFounderLeft    = "founder.left"
)

// ApplicantOf returns the ID of the founder who applied for c: Applicant,
// or for co-ops stored before it was kept the first founder.
func ApplicantOf(c *Coop) string {
	if c.Applicant != "" {
		return c.Applicant
	}
	if len(c.Founders) > 0 {
		return c.Founders[0]
	}
	return ""
}

// Invitations brings a person into the service as a founder: on AWS a
// Cognito user (shared/cognitoadmin), who is emailed a temporary password;
// locally a user of the store. Invite returns the founder user to add,
// with its ID, Name, Email and RoleFounder; inviting someone who exists
// already returns them. A staff account is refused (EINVALID naming
// "email"): it cannot be made a founder.
type Invitations interface {
	Invite(ctx context.Context, email, name string) (*User, error)
}

// FounderChange changes a co-op's founders: it gets the stored co-op
// (a copy the function may change) and returns the event to record with
// the change, or a nil event when nothing is to change; an error stops
// the change and is returned as it is.
type FounderChange func(c *Coop) (*Event, error)

// Draft is a part-filled form kept for one user between visits: today the
// application to a programme.
type Draft struct {
	// User is the ID of the user whose draft it is.
	User string `json:"user" validate:"required,max=128"`
	// Kind names the form (DraftApplication).
	Kind string `json:"kind" validate:"required,max=200"`
	// Body is the form's answers as JSON, as the form's owner writes them.
	Body json.RawMessage `json:"body" validate:"required,max=65536"`
	// Version counts the stored updates; 0 for a draft not stored yet.
	Version int `json:"version"`
	// UpdatedAt is when the draft was last stored.
	UpdatedAt time.Time `json:"updatedAt"`
}

// DraftApplication is the Kind of an application's draft.
const DraftApplication = "application"

// DraftGrantApplication starts the Kind of a grant application's draft,
// one per programme and co-op (GrantDraftKind).
const DraftGrantApplication = "grant-application"

// GrantDraftKind is the Kind of the draft of a co-op's application to a
// grant programme.
func GrantDraftKind(programme, coop string) string {
	return DraftGrantApplication + ":" + programme + ":" + coop
}

// Validate reports whether d is a well-formed draft: its Kind is
// DraftApplication or a GrantDraftKind naming a programme and a co-op.
func (d *Draft) Validate() error {
	if err := validate(d); err != nil {
		return err
	}
	if d.Kind == DraftApplication {
		return nil
	}
	rest, ok := strings.CutPrefix(d.Kind, DraftGrantApplication+":")
	prog, coop, ok2 := strings.Cut(rest, ":")
	if !ok || !ok2 || prog == "" || coop == "" || strings.Contains(coop, ":") {
		return Invalid(map[string]string{"kind": "Must be application or grant-application:<programme>:<co-op>"})
	}
	return nil
}

// FounderStore is the part of Store that keeps co-founders, users by
// email and drafts.
type FounderStore interface {
	// ChangeFounders reads the co-op, applies change and stores the
	// result with the event and the MEMBER# links that follow Founders, in
	// one transaction conditional on the co-op's version. When another
	// writer changed the co-op meanwhile it reads it again and applies
	// change again, so concurrent changes (two invites) all land. It
	// returns the co-op as stored (unchanged when change returned no event).
	ChangeFounders(ctx context.Context, coopID string, change FounderChange) (*Coop, error)
	// SaveUserByEmail stores u with its email's lookup in one
	// transaction, unless a user with the same email (compared in lower
	// case) exists: then it returns that user and stores nothing. u.Email
	// is required.
	SaveUserByEmail(ctx context.Context, u *User) (*User, error)
	// GetUserByEmail returns the user with the email (any case), or ENOTFOUND.
	GetUserByEmail(ctx context.Context, email string) (*User, error)
	// GetDraft returns the user's draft of a kind, or ENOTFOUND.
	GetDraft(ctx context.Context, user, kind string) (*Draft, error)
	// PutDraft stores d if the stored version equals d.Version (0: none
	// is stored) and increments d.Version; else ECONFLICT.
	PutDraft(ctx context.Context, d *Draft) error
	// DeleteDraft removes the user's draft of a kind; none is no error.
	DeleteDraft(ctx context.Context, user, kind string) error
}
