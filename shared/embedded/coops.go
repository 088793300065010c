package embedded

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"slices"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"go.etcd.io/bbolt"
)

// CreateCoop stores a new co-op at Version 1 with its first event.
func (s *Store) CreateCoop(ctx context.Context, c *pathway.Coop, e *pathway.Event) error {
	if err := pathway.CheckWrite("co-op", c, e); err != nil {
		return err
	}
	rec := utcCoop(c)
	rec.Version = 1
	err := s.update(ctx, func(tx *bbolt.Tx) error { return createCoop(tx, rec, e) })
	if err == nil {
		c.Version = 1
	}
	return err
}

// createCoop stores a new, valid co-op and its indexes in tx; the benchmarks
// call it to seed many co-ops in one transaction.
func createCoop(tx *bbolt.Tx, c *pathway.Coop, e *pathway.Event) error {
	coops := tx.Bucket(bucketCoops)
	if coops.Get([]byte(c.ID)) != nil {
		return pathway.Errorf(pathway.ECONFLICT, "A co-op with the ID %q exists already.", c.ID)
	}
	if err := putJSON(coops, []byte(c.ID), c); err != nil {
		return err
	}
	if err := indexCoop(tx, nil, c); err != nil {
		return err
	}
	return appendEvent(tx, e)
}

// GetCoop returns the co-op with the ID.
func (s *Store) GetCoop(ctx context.Context, id string) (*pathway.Coop, error) {
	var c pathway.Coop
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		ok, err := getJSON(tx.Bucket(bucketCoops), []byte(id), &c)
		if err == nil && !ok {
			err = pathway.NotFound("co-op")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return &c, nil
}

// UpdateCoop stores c if the stored version equals c.Version, with e.
func (s *Store) UpdateCoop(ctx context.Context, c *pathway.Coop, e *pathway.Event) error {
	if err := pathway.CheckWrite("co-op", c, e); err != nil {
		return err
	}
	rec := utcCoop(c)
	rec.Version = c.Version + 1
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		coops := tx.Bucket(bucketCoops)
		var old pathway.Coop
		if ok, err := getJSON(coops, []byte(c.ID), &old); err != nil {
			return err
		} else if !ok {
			return pathway.NotFound("co-op")
		}
		if old.Version != c.Version {
			return pathway.Errorf(pathway.ECONFLICT,
				"Someone else changed this co-op while you were working on it. Reload it and try again.")
		}
		if err := putJSON(coops, []byte(c.ID), rec); err != nil {
			return err
		}
		if err := indexCoop(tx, &old, rec); err != nil {
			return err
		}
		return appendEvent(tx, e)
	})
	if err == nil {
		c.Version = rec.Version
	}
	return err
}

// utcCoop returns a copy of c with its times in UTC, so every record reads
// back the same whatever zone its writer used.
func utcCoop(c *pathway.Coop) *pathway.Coop {
	rec := *c
	rec.StageEnteredAt, rec.CreatedAt, rec.UpdatedAt = c.StageEnteredAt.UTC(), c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	return &rec
}

// indexCoop moves the co-op's index entries from old (nil for a new co-op)
// to c: its place in the pipeline, the stage counts and its founders.
func indexCoop(tx *bbolt.Tx, old, c *pathway.Coop) error {
	pipeline, founders := tx.Bucket(bucketPipeline), tx.Bucket(bucketFounders)
	newKey := pipelineKey(c)
	if old != nil {
		if oldKey := pipelineKey(old); !bytes.Equal(oldKey, newKey) {
			if err := pipeline.Delete(oldKey); err != nil {
				return err
			}
		}
		if old.Programme != c.Programme || old.Stage != c.Stage {
			if err := addCount(tx, old.Programme, old.Stage, -1); err != nil {
				return err
			}
			if err := addCount(tx, c.Programme, c.Stage, +1); err != nil {
				return err
			}
		}
		for _, u := range old.Founders {
			if !slices.Contains(c.Founders, u) {
				if err := founders.Delete(founderKey(u, c.ID)); err != nil {
					return err
				}
			}
		}
	} else if err := addCount(tx, c.Programme, c.Stage, +1); err != nil {
		return err
	}
	if err := pipeline.Put(newKey, nil); err != nil {
		return err
	}
	for _, u := range c.Founders {
		if err := founders.Put(founderKey(u, c.ID), nil); err != nil {
			return err
		}
	}
	return nil
}

// addCount adds delta to a stage's counter, deleting it at zero so that
// CountStages leaves out empty stages.
func addCount(tx *bbolt.Tx, programme, stage string, delta int64) error {
	counts, key := tx.Bucket(bucketCounts), countKey(programme, stage)
	var n int64
	if v := counts.Get(key); len(v) == 8 {
		n = int64(binary.BigEndian.Uint64(v))
	}
	n += delta
	switch {
	case n < 0:
		return fmt.Errorf("stage count of %s/%s would fall below zero", programme, stage)
	case n == 0:
		return counts.Delete(key)
	}
	return counts.Put(key, binary.BigEndian.AppendUint64(nil, uint64(n)))
}

// ListCoops returns a page of one programme's co-ops in one stage, newest
// first. It seeks to the cursor in the pipeline index and walks back at
// most limit+1 keys, so a page costs the same however many co-ops exist.
func (s *Store) ListCoops(ctx context.Context, f pathway.CoopFilter) (*pathway.CoopPage, error) {
	limit, err := checkCoopFilter(f)
	if err != nil {
		return nil, err
	}
	prefix := pipelinePrefix(f.Programme, f.Stage)
	start := prefixEnd(prefix)
	if f.Cursor != "" {
		if start, err = decodeCursor(f.Cursor, prefix, timeLen+1); err != nil {
			return nil, err
		}
	}
	page := &pathway.CoopPage{Coops: make([]*pathway.Coop, 0, limit)}
	err = s.view(ctx, func(tx *bbolt.Tx) error {
		coops, cur := tx.Bucket(bucketCoops), tx.Bucket(bucketPipeline).Cursor()
		var last []byte
		for k := seekBefore(cur, start); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Prev() {
			s.visited.Add(1)
			if len(page.Coops) == limit {
				page.Next = encodeCursor(last)
				break
			}
			c := new(pathway.Coop)
			if ok, err := getJSON(coops, k[len(prefix)+timeLen:], c); err != nil {
				return err
			} else if !ok {
				return fmt.Errorf("pipeline index names co-op %q, which is not stored", k[len(prefix)+timeLen:])
			}
			page.Coops = append(page.Coops, c)
			last = k
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return page, nil
}

// checkCoopFilter checks a pipeline filter and returns its page size: the
// shared rules, then this store's bound on the programme's length.
func checkCoopFilter(f pathway.CoopFilter) (int, error) {
	limit, err := pathway.CheckCoopFilter(f)
	if err != nil {
		return 0, err
	}
	if err := checkPart("programme", f.Programme); err != nil {
		return 0, err
	}
	return limit, nil
}

// CountStages returns how many co-ops of the programme are in each stage.
func (s *Store) CountStages(ctx context.Context, programme string) (map[string]int, error) {
	if err := checkPart("programme", programme); err != nil {
		return nil, err
	}
	out := map[string]int{}
	prefix := part(nil, programme)
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		cur := tx.Bucket(bucketCounts).Cursor()
		for k, v := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, v = cur.Next() {
			rest := k[len(prefix):]
			if len(rest) < 2 || len(v) != 8 {
				return fmt.Errorf("malformed stage count %q", k)
			}
			out[string(rest[2:])] = int(binary.BigEndian.Uint64(v))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// ListFounderCoops returns the co-ops whose Founders include the user,
// ordered by co-op ID.
func (s *Store) ListFounderCoops(ctx context.Context, userID string) ([]*pathway.Coop, error) {
	if err := checkPart("user", userID); err != nil {
		return nil, err
	}
	out := []*pathway.Coop{}
	prefix := part(nil, userID)
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		coops, cur := tx.Bucket(bucketCoops), tx.Bucket(bucketFounders).Cursor()
		for k, _ := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Next() {
			c := new(pathway.Coop)
			if ok, err := getJSON(coops, k[len(prefix):], c); err != nil {
				return err
			} else if !ok {
				return fmt.Errorf("founder index names co-op %q, which is not stored", k[len(prefix):])
			}
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}
