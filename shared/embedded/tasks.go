package embedded

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"go.etcd.io/bbolt"
)

// PutTask stores a new task, or returns the stored one if the ID exists.
func (s *Store) PutTask(ctx context.Context, t *pathway.Task) (*pathway.Task, error) {
	if err := pathway.CheckWrite("task", t, nil); err != nil {
		return nil, err
	}
	rec := utcTask(t)
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		tasks, stored := tx.Bucket(bucketTasks), new(pathway.Task)
		if ok, err := getJSON(tasks, []byte(t.ID), stored); ok || err != nil {
			rec = stored
			return err
		}
		if err := putJSON(tasks, []byte(rec.ID), rec); err != nil {
			return err
		}
		if rec.Status != pathway.TaskOpen {
			return nil
		}
		if err := tx.Bucket(bucketInbox).Put(inboxKey(rec), nil); err != nil {
			return err
		}
		return tx.Bucket(bucketCoopTasks).Put(coopTaskKey(rec), nil)
	})
	if err != nil {
		return nil, err
	}
	return rec, nil
}

// utcTask returns a copy of t with its times in UTC.
func utcTask(t *pathway.Task) *pathway.Task {
	rec := *t
	rec.Due, rec.CreatedAt, rec.CompletedAt = t.Due.UTC(), t.CreatedAt.UTC(), t.CompletedAt.UTC()
	return &rec
}

// GetTask returns the task with the ID.
func (s *Store) GetTask(ctx context.Context, id string) (*pathway.Task, error) {
	t := new(pathway.Task)
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		ok, err := getJSON(tx.Bucket(bucketTasks), []byte(id), t)
		if err == nil && !ok {
			err = pathway.NotFound("task")
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}

// ListTasks returns open tasks of a co-op, or of an organisation and role,
// earliest due first, from the open-task indexes.
func (s *Store) ListTasks(ctx context.Context, f pathway.TaskFilter) ([]*pathway.Task, error) {
	if err := pathway.CheckTaskFilter(f); err != nil {
		return nil, err
	}
	var bucket, prefix []byte
	if f.Coop != "" {
		bucket, prefix = bucketCoopTasks, part(nil, f.Coop)
	} else {
		bucket, prefix = bucketInbox, inboxPrefix(f.Organisation, f.Role)
	}
	for field, v := range map[string]string{"coop": f.Coop, "organisation": f.Organisation, "role": f.Role} {
		if err := checkPart(field, v); err != nil {
			return nil, err
		}
	}
	out := []*pathway.Task{}
	err := s.view(ctx, func(tx *bbolt.Tx) error {
		tasks, cur := tx.Bucket(bucketTasks), tx.Bucket(bucket).Cursor()
		for k, _ := cur.Seek(prefix); k != nil && bytes.HasPrefix(k, prefix); k, _ = cur.Next() {
			id := k[len(prefix)+timeLen:]
			t := new(pathway.Task)
			if ok, err := getJSON(tasks, id, t); err != nil {
				return err
			} else if !ok {
				return fmt.Errorf("task index names task %q, which is not stored", id)
			}
			out = append(out, t)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// CompleteTask closes an open task exactly once.
func (s *Store) CompleteTask(ctx context.Context, id string, done pathway.TaskCompletion) (*pathway.Task, error) {
	if done.Status != pathway.TaskCompleted && done.Status != pathway.TaskCancelled {
		return nil, pathway.Invalid(map[string]string{"status": "Must be one of: completed, cancelled"})
	}
	if len(done.Outcome) > 0 && !json.Valid(done.Outcome) {
		return nil, pathway.Invalid(map[string]string{"outcome": "Must be valid JSON"})
	}
	t := new(pathway.Task)
	err := s.update(ctx, func(tx *bbolt.Tx) error {
		tasks := tx.Bucket(bucketTasks)
		if ok, err := getJSON(tasks, []byte(id), t); err != nil {
			return err
		} else if !ok {
			return pathway.NotFound("task")
		}
		if t.Status != pathway.TaskOpen {
			return pathway.Errorf(pathway.ECONFLICT, "This task has been dealt with already.")
		}
		if err := tx.Bucket(bucketInbox).Delete(inboxKey(t)); err != nil {
			return err
		}
		if err := tx.Bucket(bucketCoopTasks).Delete(coopTaskKey(t)); err != nil {
			return err
		}
		t.Status, t.CompletedAt, t.CompletedBy, t.Outcome = done.Status, done.At.UTC(), done.By, done.Outcome
		if err := t.Validate(); err != nil {
			return err
		}
		return putJSON(tasks, []byte(id), t)
	})
	if err != nil {
		return nil, err
	}
	return t, nil
}
