package journey

import (
	"context"
	"net/mail"
	"slices"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// A co-founder is any founder of a co-op besides the one who applied:
// every founder sees the co-op and acts on its founder tasks. Any founder
// may invite another; the founder who applied (the applicant) may remove
// one; any founder may leave; the last founder can never go.

// Founder is a founder of a co-op as the API and the pages show them.
type Founder struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Email is shown to whoever invited them (the invite's answer).
	Email string `json:"email,omitempty"`
	// Applicant marks the founder who applied.
	Applicant bool `json:"applicant"`
}

// Invite is who a founder invites: an email address (with an optional
// name), or the ID of a user who exists. It is the body of
// POST /api/coops/{id}/founders.
type Invite struct {
	Email string `json:"email,omitempty"`
	Name  string `json:"name,omitempty"`
	User  string `json:"user,omitempty"`
}

// WithInvitations sets how people are invited by email, and returns the
// service. Without it only existing users can be invited.
func (s *Service) WithInvitations(inv pathway.Invitations) *Service {
	s.invitations = inv
	return s
}

// check refuses an invitation that names neither or both, or a bad email.
func (in *Invite) check() error {
	in.Email, in.Name, in.User = strings.TrimSpace(in.Email), strings.TrimSpace(in.Name), strings.TrimSpace(in.User)
	switch {
	case in.Email == "" && in.User == "":
		return pathway.Invalid(map[string]string{"email": "Enter the email address of the person to invite"})
	case in.Email != "" && in.User != "":
		return pathway.Invalid(map[string]string{"user": "Give an email address or a user, not both"})
	case in.User != "":
		if len(in.User) > 128 {
			return pathway.Invalid(map[string]string{"user": "Choose a user from the list"})
		}
		return nil
	}
	if a, err := mail.ParseAddress(in.Email); err != nil || a.Address != in.Email || len(in.Email) > 254 || !strings.Contains(in.Email[strings.IndexByte(in.Email, '@'):], ".") {
		return pathway.Invalid(map[string]string{"email": "Enter an email address in the correct format, like name@example.org"})
	}
	if len(in.Name) > 200 || pathway.TextProblem(in.Name, false) != "" {
		return pathway.Invalid(map[string]string{"name": "Enter a name of 200 characters or fewer, without special characters"})
	}
	return nil
}

// mayChangeFounders refuses staff: founders are the founders' own business
// (staff who may see the co-op get EFORBIDDEN; others never got this far).
func mayChangeFounders(u *pathway.User) error {
	if u.Role != pathway.RoleFounder {
		return pathway.Errorf(pathway.EFORBIDDEN, "Only the co-op's founders can invite or remove founders.")
	}
	return nil
}

// InviteFounder adds a founder to a co-op the user founded: someone by
// email (created through the Invitations port if they have no account) or
// an existing founder user. Inviting a founder already there changes
// nothing and succeeds, so a retry never duplicates.
func (s *Service) InviteFounder(ctx context.Context, u *pathway.User, coopID string, in Invite) (*Founder, error) {
	c, _, err := s.Coop(ctx, u, coopID)
	if err != nil {
		return nil, err
	}
	if err := mayChangeFounders(u); err != nil {
		return nil, err
	}
	if err := in.check(); err != nil {
		return nil, err
	}
	f, field, err := s.invitee(ctx, in)
	if err != nil {
		return nil, err
	}
	_, err = s.store.ChangeFounders(ctx, c.ID, func(c *pathway.Coop) (*pathway.Event, error) {
		if !slices.Contains(c.Founders, u.ID) {
			return nil, pathway.NotFound("co-op")
		}
		if slices.Contains(c.Founders, f.ID) {
			return nil, nil // invited already: nothing to do
		}
		if len(c.Founders) >= pathway.MaxFounders {
			return nil, pathway.Invalid(map[string]string{field: "A co-op can have at most 50 founders"})
		}
		c.Founders = append(c.Founders, f.ID)
		return s.newEvent(c.ID, u, pathway.ActionFounderInvited, u.Name+" added "+f.Name+" as a co-founder.",
			map[string]string{"user": f.ID}), nil
	})
	if err != nil {
		return nil, err
	}
	return &Founder{ID: f.ID, Name: f.Name, Email: f.Email}, nil
}

// invitee returns the founder user an invitation names, and the field
// that named them.
func (s *Service) invitee(ctx context.Context, in Invite) (*pathway.User, string, error) {
	if in.User != "" {
		f, err := s.store.GetUser(ctx, in.User)
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			return nil, "user", pathway.Invalid(map[string]string{"user": "Choose a user from the list"})
		} else if err != nil {
			return nil, "user", err
		}
		if f.Role != pathway.RoleFounder {
			return nil, "user", pathway.Invalid(map[string]string{"user": "Staff accounts cannot be founders of a co-op"})
		}
		return f, "user", nil
	}
	if f, err := s.store.GetUserByEmail(ctx, in.Email); err == nil {
		if f.Role != pathway.RoleFounder {
			return nil, "email", staffEmail()
		}
		return f, "email", nil
	} else if pathway.ErrorCode(err) != pathway.ENOTFOUND {
		return nil, "email", err
	}
	if s.invitations == nil {
		return nil, "email", pathway.Invalid(map[string]string{"email": "Nobody with that email address uses this service yet, and invitations by email are not set up here"})
	}
	name := in.Name
	if name == "" {
		name = NameFromEmail(in.Email)
	}
	f, err := s.invitations.Invite(ctx, in.Email, name)
	if err != nil {
		return nil, "email", err
	}
	if f.Role != pathway.RoleFounder {
		return nil, "email", staffEmail()
	}
	// Whoever is invited has a record here, found by email from now on.
	f, err = s.store.SaveUserByEmail(ctx, f)
	return f, "email", err
}

// staffEmail is the error for inviting a staff member's address.
func staffEmail() error {
	return pathway.Invalid(map[string]string{"email": "That email address belongs to a staff account, which cannot be a founder of a co-op"})
}

// NameFromEmail is the name an invitee without one is shown by until they
// give their own: the part of the address before the @, as words
// ("sam.okafor@example.org" → "Sam Okafor").
func NameFromEmail(email string) string {
	local, _, _ := strings.Cut(email, "@")
	words := strings.FieldsFunc(local, func(r rune) bool { return r == '.' || r == '_' || r == '-' || r == '+' })
	for i, w := range words {
		words[i] = strings.ToUpper(w[:1]) + w[1:]
	}
	if len(words) == 0 {
		return "Co-founder"
	}
	return pathway.Clip(strings.Join(words, " "), 200)
}

// RemoveFounder takes a founder off a co-op: the user themselves (leaving)
// or, for the applicant, another founder. The last founder can never go.
// Removing someone who is no longer a founder succeeds, so a retry is
// harmless. A founder who left or was removed no longer sees the co-op.
func (s *Service) RemoveFounder(ctx context.Context, u *pathway.User, coopID, target string) error {
	c, _, err := s.Coop(ctx, u, coopID)
	if err != nil {
		return err
	}
	if err := mayChangeFounders(u); err != nil {
		return err
	}
	_, err = s.store.ChangeFounders(ctx, c.ID, func(c *pathway.Coop) (*pathway.Event, error) {
		return s.removal(ctx, u, c, target)
	})
	return err
}

// removal applies the rules of removing target from c, by u.
func (s *Service) removal(ctx context.Context, u *pathway.User, c *pathway.Coop, target string) (*pathway.Event, error) {
	if !slices.Contains(c.Founders, u.ID) {
		return nil, pathway.NotFound("co-op")
	}
	if !slices.Contains(c.Founders, target) {
		return nil, nil // gone already
	}
	if target != u.ID && u.ID != remover(c) {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only the founder who applied can remove other founders. You can leave the co-op yourself.")
	}
	if len(c.Founders) == 1 {
		return nil, pathway.Invalid(map[string]string{"user": "A co-op must keep at least one founder, so the last founder cannot leave or be removed"})
	}
	c.Founders = slices.DeleteFunc(c.Founders, func(id string) bool { return id == target })
	if target == u.ID {
		return s.newEvent(c.ID, u, pathway.ActionFounderLeft, u.Name+" left the co-op.", map[string]string{"user": target}), nil
	}
	return s.newEvent(c.ID, u, pathway.ActionFounderRemoved, u.Name+" removed "+s.userName(ctx, target, nil)+" as a founder.",
		map[string]string{"user": target}), nil
}

// remover returns who may remove other founders: the applicant, or once
// they have left, the longest-standing founder.
func remover(c *pathway.Coop) string {
	if a := pathway.ApplicantOf(c); slices.Contains(c.Founders, a) {
		return a
	}
	return c.Founders[0]
}

// MayRemoveFounders reports whether u may remove other founders of c.
func MayRemoveFounders(u *pathway.User, c *pathway.Coop) bool {
	return u.Role == pathway.RoleFounder && len(c.Founders) > 1 && remover(c) == u.ID
}

// userName returns a user's name, the caller's own when it is them, or
// "a co-founder" for someone with no record here.
func (s *Service) userName(ctx context.Context, id string, caller *pathway.User) string {
	if caller != nil && caller.ID == id {
		return caller.Name
	}
	if f, err := s.store.GetUser(ctx, id); err == nil {
		return f.Name
	}
	return "a co-founder"
}

// founders lists c's founders for its view, the applicant marked.
func (s *Service) founders(ctx context.Context, u *pathway.User, c *pathway.Coop) []Founder {
	out := make([]Founder, 0, len(c.Founders))
	applicant := pathway.ApplicantOf(c)
	for _, id := range c.Founders {
		name := s.userName(ctx, id, u)
		if name == "a co-founder" {
			name = "A co-founder"
		}
		out = append(out, Founder{ID: id, Name: name, Applicant: id == applicant})
	}
	return out
}

// CanRemoveFounders reports whether u may remove other founders of the
// co-op the view shows (the pages offer "Remove" by it).
func (v *CoopView) CanRemoveFounders(u *pathway.User) bool {
	return u != nil && MayRemoveFounders(u, v.Coop)
}
