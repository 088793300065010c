package store

import (
	"context"
	"slices"
	"sort"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// taskItems returns a task's item and, while it is open, its copy under
// its subject, which is how a subject's open tasks are read consistently.
func taskItems(t *pathway.Task, version int64) (main table.Item, open *table.Item, err error) {
	due, err := sortTime(t.Due, "due")
	if err != nil {
		return main, nil, err
	}
	for _, p := range [...][2]string{{"organisation", t.Organisation}, {"role", t.Role}, {"user", t.User}} {
		if err := checkPart(p[0], p[1]); err != nil {
			return main, nil, err
		}
	}
	rec := utcTask(t)
	b, err := encode(rec)
	if err != nil {
		return main, nil, err
	}
	main = table.Item{PK: preTask + t.ID, SK: skMeta, Version: version, Body: b}
	if t.Status != pathway.TaskOpen {
		return main, nil, nil
	}
	sk := due + "#" + t.ID
	if t.Organisation != "" {
		main.GSI1PK, main.GSI1SK = inboxPK(t.Organisation, t.Role), sk
	}
	if t.User != "" {
		main.GSI2PK, main.GSI2SK = preUserTask+t.User, sk
	}
	spk, err := subjectPK(t.Subject)
	if err != nil {
		return main, nil, err
	}
	return main, &table.Item{PK: spk, SK: preTask + t.ID, Body: b}, nil
}

// utcTask returns a copy of t with its times in UTC.
func utcTask(t *pathway.Task) *pathway.Task {
	rec := *t
	rec.Due, rec.CreatedAt, rec.CompletedAt = t.Due.UTC(), t.CreatedAt.UTC(), t.CompletedAt.UTC()
	return &rec
}

// PutTask stores a new task; a task whose ID exists is returned as
// stored. An open task of a co-op updates the co-op's task summary in the
// same transaction.
func (s *Store) PutTask(ctx context.Context, t *pathway.Task) (*pathway.Task, error) {
	if err := pathway.CheckWrite("task", t, nil); err != nil {
		return nil, err
	}
	main, open, err := taskItems(t, 1)
	if err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		writes := []table.Write{table.Put(main, table.IfAbsent())}
		if open != nil {
			writes = append(writes, table.Put(*open, table.Cond{}))
			sum, ok, err := s.summaryWrite(ctx, t.Subject, func(ts []*pathway.Task) []*pathway.Task { return append(ts, t) })
			if err != nil {
				return nil, err
			}
			if ok {
				writes = append(writes, sum)
			}
		}
		err = s.t.Transact(ctx, writes...)
		if table.FailedAt(err, 0) {
			return s.GetTask(ctx, t.ID)
		}
		if len(writes) == 3 && table.FailedAt(err, 2) || contended(err) {
			if attempt < maxAttempts {
				pause(ctx, attempt)
				continue // the co-op changed: sum up its tasks again
			}
			return nil, busy()
		}
		if err != nil {
			return nil, mapErr(err)
		}
		return utcTask(t), nil
	}
}

// GetTask returns the task with the ID.
func (s *Store) GetTask(ctx context.Context, id string) (*pathway.Task, error) {
	t, _, err := s.getTask(ctx, id)
	return t, err
}

// getTask returns the task and its item's version.
func (s *Store) getTask(ctx context.Context, id string) (*pathway.Task, int64, error) {
	if id == "" || tooLong(id) {
		return nil, 0, pathway.NotFound("task")
	}
	var t pathway.Task
	it, err := s.get(ctx, preTask+id, skMeta, "task", &t)
	if err != nil {
		return nil, 0, err
	}
	return &t, it.Version, nil
}

// ListTasks returns open tasks matching the filter, earliest due first.
func (s *Store) ListTasks(ctx context.Context, f pathway.TaskFilter) ([]*pathway.Task, error) {
	if err := pathway.CheckTaskFilter(f); err != nil {
		return nil, err
	}
	var q table.Query
	switch subj := f.SubjectOf(); {
	case subj.Kind != "":
		pk, err := subjectPK(subj)
		if err != nil {
			return nil, err
		}
		q = table.Query{PK: pk, Sort: table.SortBeginsWith, A: preTask}
	case f.User != "":
		q = table.Query{Index: table.IndexGSI2, PK: preUserTask + f.User}
	default:
		q = table.Query{Index: table.IndexGSI1, PK: inboxPK(f.Organisation, f.Role)}
	}
	if tooLong(q.PK) {
		return []*pathway.Task{}, nil
	}
	items, err := s.queryAll(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]*pathway.Task, 0, len(items))
	for i := range items {
		var t pathway.Task
		if err := decode(&items[i], &t); err != nil {
			return nil, err
		}
		if t.Status == pathway.TaskOpen {
			out = append(out, &t)
		}
	}
	sortTasks(out)
	return out, nil
}

// sortTasks orders tasks by due time, then ID.
func sortTasks(ts []*pathway.Task) {
	sort.SliceStable(ts, func(i, j int) bool {
		if !ts[i].Due.Equal(ts[j].Due) {
			return ts[i].Due.Before(ts[j].Due)
		}
		return ts[i].ID < ts[j].ID
	})
}

// CompleteTask closes an open task exactly once, with the completion's
// event and delivery, and the co-op's task summary, in the same
// transaction.
func (s *Store) CompleteTask(ctx context.Context, id string, done pathway.TaskCompletion) (*pathway.Task, error) {
	if done.Status != pathway.TaskCompleted && done.Status != pathway.TaskCancelled {
		return nil, pathway.Invalid(map[string]string{"status": "Must be completed or cancelled"})
	}
	if err := checkCompletion(done); err != nil {
		return nil, err
	}
	for attempt := 1; ; attempt++ {
		t, version, err := s.getTask(ctx, id)
		if err != nil {
			return nil, err
		}
		if t.Status != pathway.TaskOpen {
			return nil, taskClosed()
		}
		closed := *t
		closed.Status, closed.CompletedAt, closed.CompletedBy, closed.Outcome = done.Status, done.At, done.By, done.Outcome
		writes, err := closeWrites(t, &closed, version)
		if err != nil {
			return nil, err
		}
		sum, ok, err := s.summaryWrite(ctx, t.Subject, func(ts []*pathway.Task) []*pathway.Task {
			return slices.DeleteFunc(ts, func(o *pathway.Task) bool { return o.ID == t.ID })
		})
		if err != nil {
			return nil, err
		}
		summary := -1
		if ok {
			summary = len(writes)
			writes = append(writes, sum)
		}
		if writes, err = withEvent(writes, done.Event); err != nil {
			return nil, err
		}
		if writes, err = withDelivery(writes, done.Delivery); err != nil {
			return nil, err
		}
		err = s.t.Transact(ctx, writes...)
		if table.FailedAt(err, 0) {
			return nil, taskClosed()
		}
		if summary >= 0 && table.FailedAt(err, summary) || contended(err) {
			if attempt < maxAttempts {
				pause(ctx, attempt)
				continue // the co-op changed: read the task and sum up again
			}
			return nil, busy()
		}
		if err != nil {
			return nil, mapErr(err)
		}
		return utcTask(&closed), nil
	}
}

// closeWrites replaces an open task by its closed record and removes its
// open copy under the subject.
func closeWrites(open, closed *pathway.Task, version int64) ([]table.Write, error) {
	main, _, err := taskItems(closed, version+1)
	if err != nil {
		return nil, err
	}
	spk, err := subjectPK(open.Subject)
	if err != nil {
		return nil, err
	}
	return []table.Write{
		table.Put(main, table.IfVersion(version)),
		table.Delete(spk, preTask+open.ID, table.Cond{}),
	}, nil
}

// checkCompletion validates the records written with a completion.
func checkCompletion(done pathway.TaskCompletion) error {
	if done.Event != nil {
		if err := done.Event.Validate(); err != nil {
			return err
		}
	}
	if done.Delivery != nil {
		return done.Delivery.Validate()
	}
	return nil
}

// taskClosed is the error for completing a task that is no longer open.
func taskClosed() error {
	return pathway.Errorf(pathway.ECONFLICT, "This task has been answered already.")
}
