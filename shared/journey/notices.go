package journey

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Notices returns how the user wants to hear of new work: immediate or
// daily (pathway.Notices*), from their stored record.
func (s *Service) Notices(ctx context.Context, u *pathway.User) (string, error) {
	stored, err := s.store.GetUser(ctx, u.ID)
	switch pathway.ErrorCode(err) {
	case "":
		return pathway.NoticesOf(stored), nil
	case pathway.ENOTFOUND:
		return pathway.NoticesOf(u), nil
	}
	return "", err
}

// SetNotices records the user's choice of immediate emails or a daily
// summary; anything else is EINVALID naming "notices".
func (s *Service) SetNotices(ctx context.Context, u *pathway.User, notices string) error {
	_, err := pathway.SetNotices(ctx, s.store, u, notices)
	return err
}
