package store

import (
	"context"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// ChangeFounders applies change to the stored co-op and stores it with
// the change's event and founder links (UpdateCoop's one transaction,
// conditional on the version read). A co-op changed by someone else
// meanwhile is read again and change applied again, so two founders
// invited at the same moment both land.
func (s *Store) ChangeFounders(ctx context.Context, coopID string, change pathway.FounderChange) (*pathway.Coop, error) {
	for attempt := 1; ; attempt++ {
		c, err := s.GetCoop(ctx, coopID)
		if err != nil {
			return nil, err
		}
		e, err := change(c)
		if err != nil || e == nil {
			return c, err
		}
		c.UpdatedAt = e.At
		err = s.UpdateCoop(ctx, c, e)
		if pathway.ErrorCode(err) == pathway.ECONFLICT && attempt < maxAttempts {
			pause(ctx, attempt)
			continue
		}
		if err != nil {
			return nil, err
		}
		return c, nil
	}
}

// emailKey is the partition of an email's lookup: one per address, in
// lower case, so two users can never share an address.
func emailKey(email string) string { return preEmail + strings.ToLower(strings.TrimSpace(email)) }

// SaveUserByEmail stores u and its email's lookup in one transaction,
// or returns the user the email already belongs to.
func (s *Store) SaveUserByEmail(ctx context.Context, u *pathway.User) (*pathway.User, error) {
	if err := pathway.CheckWrite("user", u, nil); err != nil {
		return nil, err
	}
	if strings.TrimSpace(u.Email) == "" {
		return nil, pathway.Invalid(map[string]string{"email": "Enter an email address"})
	}
	if err := checkPart("email", u.Email); err != nil {
		return nil, err
	}
	if old, err := s.GetUserByEmail(ctx, u.Email); err == nil {
		return old, nil
	} else if pathway.ErrorCode(err) != pathway.ENOTFOUND {
		return nil, err
	}
	link, err := putItem(emailKey(u.Email), skMeta, u.ID, table.IfAbsent())
	if err != nil {
		return nil, err
	}
	rec, err := putItem(pkUser, preUser+u.ID, u, table.Cond{})
	if err != nil {
		return nil, err
	}
	err = s.t.Transact(ctx, link, rec)
	if table.FailedAt(err, 0) {
		return s.GetUserByEmail(ctx, u.Email) // someone stored it meanwhile: theirs stands
	}
	if err != nil {
		return nil, mapErr(err)
	}
	out := *u
	return &out, nil
}

// GetUserByEmail returns the user the email's lookup names.
func (s *Store) GetUserByEmail(ctx context.Context, email string) (*pathway.User, error) {
	if strings.TrimSpace(email) == "" || tooLong(email) {
		return nil, pathway.NotFound("user")
	}
	id, err := getRecord[string](ctx, s, emailKey(email), skMeta, "user")
	if err != nil {
		return nil, err
	}
	return s.GetUser(ctx, *id)
}
