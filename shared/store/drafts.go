package store

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// draftPK is the partition of a user's drafts.
func draftPK(user string) string { return preDraft + user }

// draftSK is a draft's sort key: its kind, in capitals (APPLICATION).
func draftSK(kind string) string {
	if kind == pathway.DraftApplication {
		return skApplication
	}
	return "DRAFT#" + kind
}

// GetDraft returns the user's draft of a kind.
func (s *Store) GetDraft(ctx context.Context, user, kind string) (*pathway.Draft, error) {
	if user == "" || kind == "" || tooLong(user, kind) {
		return nil, pathway.NotFound("draft")
	}
	return getRecord[pathway.Draft](ctx, s, draftPK(user), draftSK(kind), "draft")
}

// PutDraft stores d if the stored version is still d.Version.
func (s *Store) PutDraft(ctx context.Context, d *pathway.Draft) error {
	if err := pathway.CheckWrite("draft", d, nil); err != nil {
		return err
	}
	if err := checkPart("user", d.User); err != nil {
		return err
	}
	rec := *d
	rec.Version, rec.UpdatedAt = d.Version+1, d.UpdatedAt.UTC()
	b, err := encode(&rec)
	if err != nil {
		return err
	}
	cond := table.IfAbsent()
	if d.Version > 0 {
		cond = table.IfVersion(int64(d.Version))
	}
	err = s.t.Transact(ctx, table.Put(table.Item{PK: draftPK(d.User), SK: draftSK(d.Kind), Version: int64(rec.Version), Body: b}, cond))
	if table.FailedAt(err, 0) {
		return pathway.Errorf(pathway.ECONFLICT, "Your answers were changed in another window. Reload the page and try again.")
	}
	if err != nil {
		return mapErr(err)
	}
	d.Version = rec.Version
	return nil
}

// DeleteDraft removes the user's draft of a kind.
func (s *Store) DeleteDraft(ctx context.Context, user, kind string) error {
	if user == "" || kind == "" || tooLong(user, kind) {
		return nil
	}
	return mapErr(s.t.Transact(ctx, table.Delete(draftPK(user), draftSK(kind), table.Cond{})))
}
