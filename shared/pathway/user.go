package pathway

import "slices"

// Roles a user can hold. A founder acts for co-ops; every other role acts for
// one organisation.
const (
	RoleFounder      = "founder"
	RoleAgency       = "agency"
	RoleFunder       = "funder"
	RoleCommissioner = "commissioner"
	// RoleAgencyLead is not held by a user; it addresses a task to the agency
	// staff whose User.Lead is set (escalations).
	RoleAgencyLead = "agency-lead"
	// RoleFunderLead is not held by a user either; it addresses a task to
	// the funder staff whose User.Lead is set (grant decisions, overdue
	// reviews).
	RoleFunderLead = "funder-lead"
	// RoleCommissionerLead addresses a task to the council staff whose
	// User.Lead is set (moderation, award, contract).
	RoleCommissionerLead = "commissioner-lead"
)

// leadOf maps each role that addresses leads to the staff role whose
// leads it addresses.
var leadOf = map[string]string{
	RoleAgencyLead:       RoleAgency,
	RoleFunderLead:       RoleFunder,
	RoleCommissionerLead: RoleCommissioner,
}

// StaffRoleOfLead returns the staff role whose leads the role addresses,
// and whether role addresses leads at all.
func StaffRoleOfLead(role string) (string, bool) {
	staff, ok := leadOf[role]
	return staff, ok
}

// LeadRole returns the role that addresses the leads of a staff role, or
// "" for a role without leads (founders).
func LeadRole(staff string) string {
	for lead, s := range leadOf {
		if s == staff {
			return lead
		}
	}
	return ""
}

// User is a person who signs in. Identity comes from the authenticator (a
// Cognito user pool in AWS, the demo users locally); this record carries what
// the application needs to decide what the user may see and do.
type User struct {
	// ID is the authenticator's subject for the user.
	ID string `json:"id" validate:"required,max=128"`
	// Name is how the user is addressed on pages.
	Name string `json:"name" validate:"required,max=200,safetext"`
	// Role is one of the Role* constants other than RoleAgencyLead.
	Role string `json:"role" validate:"required,oneof=founder agency funder commissioner"`
	// Organisation is the organisation a staff user works for; empty for founders.
	Organisation string `json:"organisation,omitempty" validate:"required_unless=Role founder,max=64"`
	// Lead marks agency staff who receive escalations, funder staff who
	// run programmes and decide grants, and council staff who publish
	// tenders, moderate and award.
	Lead bool `json:"lead,omitempty"`
	// Email is where notices are sent; empty when the user has none on record.
	Email string `json:"email,omitempty" validate:"omitempty,max=254,email"`
	// Notices is how the user wants to hear of new work: NoticesImmediate
	// (the default, also when empty) or NoticesDaily.
	Notices string `json:"notices,omitempty" validate:"omitempty,oneof=immediate daily"`
}

// How a user hears of new work.
const (
	// NoticesImmediate sends an email for each notice as it happens.
	NoticesImmediate = "immediate"
	// NoticesDaily gathers a day's notices into one email.
	NoticesDaily = "daily"
)

// Validate reports whether u is a well-formed user.
func (u *User) Validate() error { return validate(u) }

// IsStaff reports whether the user acts for an organisation rather than a co-op.
func (u *User) IsStaff() bool { return u.Role != RoleFounder }

// CanSeeCoop reports whether u may see co-op c: its founders, and staff of the
// agency that runs its programme. Callers that get false must answer "not
// found", so that a co-op's existence is not disclosed.
func (u *User) CanSeeCoop(c *Coop, p *Programme) bool {
	switch u.Role {
	case RoleFounder:
		return slices.Contains(c.Founders, u.ID)
	case RoleAgency:
		return p != nil && p.ID == c.Programme && p.Agency == u.Organisation
	}
	return false
}

// CanActOn reports whether u may complete task t: the task's organisation and
// role, or for a founder task one of the co-op's founders.
func (u *User) CanActOn(t *Task, c *Coop) bool {
	switch {
	case t.Role == RoleFounder:
		return u.Role == RoleFounder && c != nil && c.ID == t.Coop && slices.Contains(c.Founders, u.ID)
	case leadOf[t.Role] != "":
		return u.Role == leadOf[t.Role] && u.Lead && u.Organisation == t.Organisation
	case t.User != "":
		// A task assigned to one person (a reviewer) is theirs alone.
		return u.ID == t.User && u.Role == t.Role && u.Organisation == t.Organisation
	default:
		return u.Role == t.Role && u.Organisation == t.Organisation
	}
}
