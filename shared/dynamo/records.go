package dynamo

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// putRecord validates a record and writes it (create or replace).
func (s *Store) putRecord(ctx context.Context, v interface{ Validate() error }, pk, sk string) error {
	if err := v.Validate(); err != nil {
		return err
	}
	item, err := marshal(v, map[string]string{attrPK: pk, attrSK: sk})
	if err != nil {
		return err
	}
	return s.put(ctx, item)
}

// PutOrganisation creates or replaces an organisation.
func (s *Store) PutOrganisation(ctx context.Context, o *pathway.Organisation) error {
	if o == nil {
		return pathway.Errorf(pathway.EINVALID, "No organisation was given.")
	}
	return s.putRecord(ctx, o, preOrg+o.ID, skMeta)
}

// GetOrganisation returns the organisation with the ID.
func (s *Store) GetOrganisation(ctx context.Context, id string) (*pathway.Organisation, error) {
	return getRecord[pathway.Organisation](ctx, s, preOrg+id, skMeta, "organisation")
}

// PutProgramme creates or replaces a programme.
func (s *Store) PutProgramme(ctx context.Context, p *pathway.Programme) error {
	if p == nil {
		return pathway.Errorf(pathway.EINVALID, "No programme was given.")
	}
	return s.putRecord(ctx, p, pkProgramme, preProg+p.ID)
}

// GetProgramme returns the programme with the ID.
func (s *Store) GetProgramme(ctx context.Context, id string) (*pathway.Programme, error) {
	return getRecord[pathway.Programme](ctx, s, pkProgramme, preProg+id, "programme")
}

// ListProgrammes returns every programme ordered by ID.
func (s *Store) ListProgrammes(ctx context.Context) ([]*pathway.Programme, error) {
	return listTable[pathway.Programme](ctx, s, "ListProgrammes", partition(pkProgramme))
}

// PutUser creates or replaces a user.
func (s *Store) PutUser(ctx context.Context, u *pathway.User) error {
	if u == nil {
		return pathway.Errorf(pathway.EINVALID, "No user was given.")
	}
	return s.putRecord(ctx, u, pkUser, preUser+u.ID)
}

// GetUser returns the user with the ID.
func (s *Store) GetUser(ctx context.Context, id string) (*pathway.User, error) {
	return getRecord[pathway.User](ctx, s, pkUser, preUser+id, "user")
}

// ListUsers returns every user ordered by ID.
func (s *Store) ListUsers(ctx context.Context) ([]*pathway.User, error) {
	return listTable[pathway.User](ctx, s, "ListUsers", partition(pkUser))
}

// RememberResponse stores r unless a response is stored under its key, and
// returns the stored one: the Put is conditional on the key being new, and
// a failed condition hands back the first writer's response.
func (s *Store) RememberResponse(ctx context.Context, r *pathway.IdempotentResponse) (*pathway.IdempotentResponse, error) {
	if err := pathway.CheckWrite("response", r, nil); err != nil {
		return nil, err
	}
	rec := *r
	rec.CreatedAt = r.CreatedAt.UTC()
	item, err := marshal(&rec, map[string]string{attrPK: preIdem + r.Key, attrSK: skMeta})
	if err != nil {
		return nil, err
	}
	return putNew(ctx, s, "remember response", item, &rec)
}

// RecallResponse returns the response stored under the key, or ENOTFOUND.
func (s *Store) RecallResponse(ctx context.Context, key string) (*pathway.IdempotentResponse, error) {
	return getRecord[pathway.IdempotentResponse](ctx, s, preIdem+key, skMeta, "response")
}
