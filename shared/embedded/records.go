package embedded

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"go.etcd.io/bbolt"
)

// validator is a record that can check itself.
type validator interface{ Validate() error }

// put validates v and creates or replaces it under id.
func (s *Store) put(ctx context.Context, bucket []byte, id string, v validator) error {
	if err := v.Validate(); err != nil {
		return err
	}
	return s.update(ctx, func(tx *bbolt.Tx) error { return putJSON(tx.Bucket(bucket), []byte(id), v) })
}

// getRecord decodes the record under id into v, or returns ENOTFOUND
// naming the kind of record.
func (s *Store) getRecord(ctx context.Context, bucket []byte, id, kind string, v any) error {
	return s.view(ctx, func(tx *bbolt.Tx) error {
		ok, err := getJSON(tx.Bucket(bucket), []byte(id), v)
		if err == nil && !ok {
			err = pathway.NotFound(kind)
		}
		return err
	})
}

// listAll decodes every record of a bucket in key (ID) order.
func listAll[T any](ctx context.Context, s *Store, bucket []byte) ([]*T, error) {
	out := []*T{}
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		return tx.Bucket(bucket).ForEach(func(k, v []byte) error {
			rec := new(T)
			if err := decodeValue(k, v, rec); err != nil {
				return err
			}
			out = append(out, rec)
			return nil
		})
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// PutOrganisation creates or replaces an organisation.
func (s *Store) PutOrganisation(ctx context.Context, o *pathway.Organisation) error {
	if o == nil {
		return pathway.Errorf(pathway.EINVALID, "No organisation was given.")
	}
	return s.put(ctx, bucketOrgs, o.ID, o)
}

// GetOrganisation returns the organisation with the ID.
func (s *Store) GetOrganisation(ctx context.Context, id string) (*pathway.Organisation, error) {
	o := new(pathway.Organisation)
	if err := s.getRecord(ctx, bucketOrgs, id, "organisation", o); err != nil {
		return nil, err
	}
	return o, nil
}

// PutProgramme creates or replaces a programme.
func (s *Store) PutProgramme(ctx context.Context, p *pathway.Programme) error {
	if p == nil {
		return pathway.Errorf(pathway.EINVALID, "No programme was given.")
	}
	return s.put(ctx, bucketProgrammes, p.ID, p)
}

// GetProgramme returns the programme with the ID.
func (s *Store) GetProgramme(ctx context.Context, id string) (*pathway.Programme, error) {
	p := new(pathway.Programme)
	if err := s.getRecord(ctx, bucketProgrammes, id, "programme", p); err != nil {
		return nil, err
	}
	return p, nil
}

// ListProgrammes returns every programme ordered by ID.
func (s *Store) ListProgrammes(ctx context.Context) ([]*pathway.Programme, error) {
	return listAll[pathway.Programme](ctx, s, bucketProgrammes)
}

// PutUser creates or replaces a user.
func (s *Store) PutUser(ctx context.Context, u *pathway.User) error {
	if u == nil {
		return pathway.Errorf(pathway.EINVALID, "No user was given.")
	}
	return s.put(ctx, bucketUsers, u.ID, u)
}

// GetUser returns the user with the ID.
func (s *Store) GetUser(ctx context.Context, id string) (*pathway.User, error) {
	u := new(pathway.User)
	if err := s.getRecord(ctx, bucketUsers, id, "user", u); err != nil {
		return nil, err
	}
	return u, nil
}

// ListUsers returns every user ordered by ID.
func (s *Store) ListUsers(ctx context.Context) ([]*pathway.User, error) {
	return listAll[pathway.User](ctx, s, bucketUsers)
}

// RememberResponse stores r unless a response is stored under its key, and
// returns the stored one: the first writer wins.
func (s *Store) RememberResponse(ctx context.Context, r *pathway.IdempotentResponse) (*pathway.IdempotentResponse, error) {
	if err := pathway.CheckWrite("response", r, nil); err != nil {
		return nil, err
	}
	rec := *r
	rec.CreatedAt = r.CreatedAt.UTC()
	out := &rec
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		b, stored := tx.Bucket(bucketResponses), new(pathway.IdempotentResponse)
		if ok, err := getJSON(b, []byte(r.Key), stored); ok || err != nil {
			out = stored
			return err
		}
		return putJSON(b, []byte(r.Key), &rec)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// RecallResponse returns the response stored under the key, or ENOTFOUND.
func (s *Store) RecallResponse(ctx context.Context, key string) (*pathway.IdempotentResponse, error) {
	r := new(pathway.IdempotentResponse)
	if err := s.getRecord(ctx, bucketResponses, key, "response", r); err != nil {
		return nil, err
	}
	return r, nil
}
