package store

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// ListCoopFiles returns every file recorded for the co-op, whatever it is
// evidence for (checklist items, grant applications, bids all list their
// files under the co-op), for the cost of the co-op's storage.
func (s *Store) ListCoopFiles(ctx context.Context, coopID string) ([]*pathway.File, error) {
	if coopID == "" || tooLong(coopID) {
		return []*pathway.File{}, nil
	}
	return list[pathway.File](ctx, s, coopPK(coopID), preFile)
}
