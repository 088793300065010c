package store

import (
	"context"
	"encoding/json"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// jsonEscape returns s as the inside of a JSON string.
func jsonEscape(s string) string {
	b, _ := json.Marshal(s) // a string always marshals
	return strings.Trim(string(b), `"`)
}

// put stores a record whole, after validating it.
func (s *Store) put(ctx context.Context, what, pk, sk string, v any) error {
	w, err := putItem(pk, sk, v, table.Cond{})
	if err != nil {
		return err
	}
	return mapErr(s.t.Transact(ctx, w))
}

// list decodes every item of a partition into new records of type R.
func list[R any](ctx context.Context, s *Store, pk, prefix string) ([]*R, error) {
	items, err := s.queryAll(ctx, table.Query{PK: pk, Sort: table.SortBeginsWith, A: prefix})
	if err != nil {
		return nil, err
	}
	out := make([]*R, 0, len(items))
	for i := range items {
		r := new(R)
		if err := decode(&items[i], r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, nil
}

// getRecord reads one record of type R, ENOTFOUND naming what.
func getRecord[R any](ctx context.Context, s *Store, pk, sk, what string) (*R, error) {
	r := new(R)
	if _, err := s.get(ctx, pk, sk, what, r); err != nil {
		return nil, err
	}
	return r, nil
}

// PutOrganisation creates or replaces an organisation.
func (s *Store) PutOrganisation(ctx context.Context, o *pathway.Organisation) error {
	if err := pathway.CheckWrite("organisation", o, nil); err != nil {
		return err
	}
	return s.put(ctx, "organisation", preOrg+o.ID, skMeta, o)
}

// GetOrganisation returns the organisation with the ID.
func (s *Store) GetOrganisation(ctx context.Context, id string) (*pathway.Organisation, error) {
	if id == "" || tooLong(id) {
		return nil, pathway.NotFound("organisation")
	}
	return getRecord[pathway.Organisation](ctx, s, preOrg+id, skMeta, "organisation")
}

// PutProgramme creates or replaces a programme.
func (s *Store) PutProgramme(ctx context.Context, p *pathway.Programme) error {
	if err := pathway.CheckWrite("programme", p, nil); err != nil {
		return err
	}
	return s.put(ctx, "programme", pkProgramme, preProg+p.ID, p)
}

// GetProgramme returns the programme with the ID.
func (s *Store) GetProgramme(ctx context.Context, id string) (*pathway.Programme, error) {
	if id == "" || tooLong(id) {
		return nil, pathway.NotFound("programme")
	}
	return getRecord[pathway.Programme](ctx, s, pkProgramme, preProg+id, "programme")
}

// ListProgrammes returns every programme ordered by ID.
func (s *Store) ListProgrammes(ctx context.Context) ([]*pathway.Programme, error) {
	return list[pathway.Programme](ctx, s, pkProgramme, preProg)
}

// PutUser creates or replaces a user.
func (s *Store) PutUser(ctx context.Context, u *pathway.User) error {
	if err := pathway.CheckWrite("user", u, nil); err != nil {
		return err
	}
	return s.put(ctx, "user", pkUser, preUser+u.ID, u)
}

// GetUser returns the user with the ID.
func (s *Store) GetUser(ctx context.Context, id string) (*pathway.User, error) {
	if id == "" || tooLong(id) {
		return nil, pathway.NotFound("user")
	}
	return getRecord[pathway.User](ctx, s, pkUser, preUser+id, "user")
}

// ListUsers returns every user ordered by ID.
func (s *Store) ListUsers(ctx context.Context) ([]*pathway.User, error) {
	return list[pathway.User](ctx, s, pkUser, preUser)
}

// RememberResponse stores r unless a response is stored under its key,
// and returns the stored one: the first writer's response wins.
func (s *Store) RememberResponse(ctx context.Context, r *pathway.IdempotentResponse) (*pathway.IdempotentResponse, error) {
	if err := pathway.CheckWrite("response", r, nil); err != nil {
		return nil, err
	}
	if err := checkPart("key", r.Key); err != nil {
		return nil, err
	}
	rec := *r
	rec.CreatedAt = r.CreatedAt.UTC()
	w, err := putItem(preIdem+r.Key, skMeta, &rec, table.IfAbsent())
	if err != nil {
		return nil, err
	}
	err = s.t.Transact(ctx, w)
	if table.FailedAt(err, 0) {
		return s.RecallResponse(ctx, r.Key)
	}
	if err != nil {
		return nil, mapErr(err)
	}
	return &rec, nil
}

// RecallResponse returns the response stored under the key, or ENOTFOUND.
func (s *Store) RecallResponse(ctx context.Context, key string) (*pathway.IdempotentResponse, error) {
	if key == "" || tooLong(key) {
		return nil, pathway.NotFound("response")
	}
	return getRecord[pathway.IdempotentResponse](ctx, s, preIdem+key, skMeta, "response")
}
