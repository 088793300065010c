package grantstore

import (
	"context"
	"errors"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// Declare stores a reviewer's declaration of interests with its event
// (which may be nil). A conflict is for good: once declared, no later
// declaration changes it, so the reviewer stays excluded. "No conflict"
// stands until the reviewer declares a conflict after all (they may find
// one while reviewing). It returns the declaration that stands, which
// for a retry is the first.
func (s *Store) Declare(ctx context.Context, d *grants.Declaration, e *pathway.Event) (*grants.Declaration, error) {
	if err := pathway.CheckWrite("declaration", d, nil); err != nil {
		return nil, err
	}
	if bad(d.Reviewer) {
		return nil, pathway.Invalid(map[string]string{"reviewer": "Is not a user's ID"})
	}
	if _, _, err := s.readApp(ctx, d.Application); err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		cond, version := table.IfAbsent(), int64(1)
		it, err := s.t.Get(ctx, appPK(d.Application), preDecl+d.Reviewer)
		switch {
		case err == nil:
			var first grants.Declaration
			if err := decode(it, &first); err != nil {
				return nil, err
			}
			if first.Conflict || !d.Conflict {
				return &first, nil
			}
			cond, version = table.IfVersion(it.Version), it.Version+1
		case !errors.Is(err, table.ErrNotFound):
			return nil, mapErr(err)
		}
		w, err := put(appPK(d.Application), preDecl+d.Reviewer, version, d, cond)
		if err != nil {
			return nil, err
		}
		writes, err := withEvent([]table.Write{w}, d.Application, e)
		if err != nil {
			return nil, err
		}
		err = s.t.Transact(ctx, writes...)
		if lost(err, 0) && attempt < maxAttempts {
			continue // read what was written meanwhile
		}
		if err != nil {
			return nil, mapErr(err)
		}
		out := *d
		return &out, nil
	}
}

// declaration reads a reviewer's declaration, or ENOTFOUND.
func (s *Store) declaration(ctx context.Context, app, reviewer string) (*grants.Declaration, error) {
	var d grants.Declaration
	if _, err := s.get(ctx, appPK(app), preDecl+reviewer, "declaration", &d); err != nil {
		return nil, err
	}
	return &d, nil
}

// Declaration returns the reviewer's declaration on the application, or
// ENOTFOUND when they have made none.
func (s *Store) Declaration(ctx context.Context, app, reviewer string) (*grants.Declaration, error) {
	if bad(app) || bad(reviewer) {
		return nil, pathway.NotFound("declaration")
	}
	return s.declaration(ctx, app, reviewer)
}

// IsExcluded reports whether the user declared a conflict of interest
// with the application: then nothing of it may be shown to them. It reads
// the table, so it sees a declaration made a moment ago.
func (s *Store) IsExcluded(ctx context.Context, app, user string) (bool, error) {
	d, err := s.Declaration(ctx, app, user)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	return d.Conflict, nil
}

// Declarations returns the application's declarations, by reviewer.
func (s *Store) Declarations(ctx context.Context, app string) ([]*grants.Declaration, error) {
	out := []*grants.Declaration{}
	err := s.listPart(ctx, app, preDecl, func(it *table.Item) error {
		var d grants.Declaration
		if err := decode(it, &d); err != nil {
			return err
		}
		out = append(out, &d)
		return nil
	})
	return out, err
}

// PutReview stores a reviewer's review with its event (which may be
// nil), once per reviewer and application: a retry returns the review
// stored first. The reviewer must have declared no conflict first; one
// who declared a conflict is excluded, and is told the application is
// not found, as everything else tells them.
func (s *Store) PutReview(ctx context.Context, r *grants.Review, e *pathway.Event) (*grants.Review, error) {
	if err := pathway.CheckWrite("review", r, nil); err != nil {
		return nil, err
	}
	d, err := s.Declaration(ctx, r.Application, r.Reviewer)
	switch {
	case pathway.ErrorCode(err) == pathway.ENOTFOUND:
		return nil, pathway.Errorf(pathway.ECONFLICT, "Say whether you have a conflict of interest before you review the application.")
	case err != nil:
		return nil, err
	case d.Conflict:
		return nil, pathway.NotFound("grant application")
	}
	w, err := put(appPK(r.Application), preReview+r.Reviewer, 1, r, table.IfAbsent())
	if err != nil {
		return nil, err
	}
	writes, err := withEvent([]table.Write{w}, r.Application, e)
	if err != nil {
		return nil, err
	}
	err = s.t.Transact(ctx, writes...)
	if table.FailedAt(err, 0) {
		var first grants.Review
		if _, err := s.get(ctx, appPK(r.Application), preReview+r.Reviewer, "review", &first); err != nil {
			return nil, err
		}
		return &first, nil
	}
	if err != nil {
		return nil, mapErr(err)
	}
	out := *r
	return &out, nil
}

// Reviews returns the application's reviews, by reviewer, read from the
// table.
func (s *Store) Reviews(ctx context.Context, app string) ([]*grants.Review, error) {
	out := []*grants.Review{}
	err := s.listPart(ctx, app, preReview, func(it *table.Item) error {
		var r grants.Review
		if err := decode(it, &r); err != nil {
			return err
		}
		out = append(out, &r)
		return nil
	})
	return out, err
}

// listPart calls each for every item of the application's partition
// whose sort key begins with prefix.
func (s *Store) listPart(ctx context.Context, app, prefix string, each func(*table.Item) error) error {
	if bad(app) {
		return nil
	}
	items, err := s.queryAll(ctx, table.Query{PK: appPK(app), Sort: table.SortBeginsWith, A: prefix})
	if err != nil {
		return err
	}
	for i := range items {
		if err := each(&items[i]); err != nil {
			return err
		}
	}
	return nil
}
