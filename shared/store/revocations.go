package store

import (
	"context"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// revocation is a signed-out session's token ID and until when it would
// have been valid.
type revocation struct {
	Until time.Time `json:"until"`
}

// Revoke remembers that the session token with the ID was signed out, until
// the token would have expired, so every instance of the API refuses it.
// Revoking again keeps the later time.
func (s *Store) Revoke(ctx context.Context, id string, until time.Time) error {
	if id == "" || tooLong(id) {
		return pathway.Invalid(map[string]string{"id": "Must be a token ID of 1 to 512 characters"})
	}
	if old, err := s.revokedUntil(ctx, id); err != nil {
		return err
	} else if old.After(until) {
		return nil
	}
	w, err := putItem(preRevoked+id, skMeta, &revocation{Until: until.UTC()}, table.Cond{})
	if err != nil {
		return err
	}
	return mapErr(s.t.Transact(ctx, w))
}

// IsRevoked reports whether the session token with the ID was signed out
// and would still be valid now.
func (s *Store) IsRevoked(ctx context.Context, id string) (bool, error) {
	if id == "" || tooLong(id) {
		return false, nil
	}
	until, err := s.revokedUntil(ctx, id)
	return err == nil && time.Now().Before(until), err
}

// revokedUntil returns until when the ID is revoked; zero if it is not.
func (s *Store) revokedUntil(ctx context.Context, id string) (time.Time, error) {
	var r revocation
	_, err := s.get(ctx, preRevoked+id, skMeta, "revocation", &r)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return time.Time{}, nil
	}
	return r.Until, err
}
