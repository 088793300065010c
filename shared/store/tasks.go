package store

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"slices"
	"sort"
	"strings"
	"time"

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
// same transaction, and carries the co-op's name (read in that
// transaction's condition), so that an inbox shows it without reading
// the co-op.
func (s *Store) PutTask(ctx context.Context, t *pathway.Task) (*pathway.Task, error) {
	if err := pathway.CheckWrite("task", t, nil); err != nil {
		return nil, err
	}
	rec := *t
	for attempt := 1; ; attempt++ {
		var sum table.Write
		ok := false
		if t.Status == pathway.TaskOpen {
			var name string
			var err error
			sum, name, ok, err = s.summaryWrite(ctx, t.Subject, func(ts []*pathway.Task) []*pathway.Task { return append(ts, &rec) })
			if err != nil {
				return nil, err
			}
			if ok {
				rec.CoopName = name
			}
		}
		main, open, err := taskItems(&rec, 1)
		if err != nil {
			return nil, err
		}
		writes := []table.Write{table.Put(main, table.IfAbsent())}
		if open != nil {
			writes = append(writes, table.Put(*open, table.Cond{}))
			if ok {
				writes = append(writes, sum)
				// The co-op's summary changed without an event of its own:
				// its pipeline facts (waiting on whom, due when) are refreshed.
				if writes, err = WithRefresh(writes, t.Subject, rec.CreatedAt); err != nil {
					return nil, err
				}
			}
			if writes, err = withDelivery(writes, taskNotice(&rec)); err != nil {
				return nil, err
			}
		}
		err = s.t.Transact(ctx, writes...)
		if table.FailedAt(err, 0) {
			return s.GetTask(ctx, t.ID)
		}
		if open != nil && ok && table.FailedAt(err, 2) || contended(err) {
			if attempt < maxAttempts {
				pause(ctx, attempt)
				continue // the co-op changed: sum up its tasks again
			}
			return nil, busy()
		}
		if err != nil {
			return nil, mapErr(err)
		}
		return utcTask(&rec), nil
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

// ListInbox returns a page of an inbox's open tasks, earliest due first
// (then by ID): a page of the inbox's index partition, whose items are the
// tasks themselves (with their co-op's name), so nothing is read per task.
//
// Several roles' inboxes (f.Roles) are listed as one, merged in that
// order. The cursor is the sort key of the last task shown (with a check
// of which inboxes it belongs to), so every inbox resumes after it: the
// first inbox is read for a page and one more task, and the others only
// up to where that page ends, so a page of a lead's inbox reads a page of
// the agency's and the lead's escalations due within it.
func (s *Store) ListInbox(ctx context.Context, f pathway.TaskFilter) (*pathway.TaskPage, error) {
	limit, err := pathway.PageLimit(f.Limit)
	if err != nil {
		return nil, err
	}
	var queries []table.Query
	switch {
	case f.User != "":
		queries = []table.Query{{Index: table.IndexGSI2, PK: preUserTask + f.User}}
	case f.Organisation != "" && (f.Role != "" || len(f.Roles) > 0):
		roles := f.Roles
		if len(roles) == 0 {
			roles = []string{f.Role}
		}
		for _, role := range roles {
			queries = append(queries, table.Query{Index: table.IndexGSI1, PK: inboxPK(f.Organisation, role)})
		}
	default:
		return nil, pathway.CheckTaskFilter(pathway.TaskFilter{Organisation: f.Organisation, Role: f.Role})
	}
	pks := make([]string, len(queries))
	for i, q := range queries {
		pks[i] = q.PK
	}
	after, err := parseInboxCursor(f.Cursor, pks)
	if err != nil {
		return nil, err
	}
	if tooLong(pks...) {
		return &pathway.TaskPage{Tasks: []*pathway.Task{}}, nil
	}
	sortKey := func(it *table.Item) string { return it.GSI1SK }
	if queries[0].Index == table.IndexGSI2 {
		sortKey = func(it *table.Item) string { return it.GSI2SK }
	}
	var items []table.Item
	bound := ""
	for i, q := range queries {
		q.Limit = limit + 1
		switch {
		case after != "" && bound != "":
			// Between is inclusive: the task the cursor names, if it is
			// this inbox's, is read too and left out.
			q.Sort, q.A, q.B, q.Limit = table.SortBetween, after, bound, limit+2
		case after != "":
			q.Sort, q.A = table.SortGreater, after
		case bound != "":
			q.Sort, q.A = table.SortLessEqual, bound
		}
		p, err := s.t.Query(ctx, q)
		if err != nil {
			return nil, mapErr(err)
		}
		if len(p.Items) > 0 && q.Sort == table.SortBetween && sortKey(&p.Items[0]) == after {
			p.Items = p.Items[1:]
		}
		items = append(items, p.Items...)
		if i == 0 && len(p.Items) > limit {
			// No task of another inbox past this one can be on the page
			// or tell whether another page follows.
			bound = sortKey(&p.Items[limit])
		}
	}
	if len(queries) > 1 {
		slices.SortFunc(items, func(a, b table.Item) int { return strings.Compare(sortKey(&a), sortKey(&b)) })
	}
	out := &pathway.TaskPage{Tasks: make([]*pathway.Task, 0, min(limit, len(items)))}
	for i := range items[:min(limit, len(items))] {
		var t pathway.Task
		if err := decode(&items[i], &t); err != nil {
			return nil, err
		}
		if t.Status == pathway.TaskOpen { // the index holds open tasks only; a lagging one is left out
			out.Tasks = append(out.Tasks, &t)
		}
	}
	if len(items) > limit {
		out.Next = formatInboxCursor(sortKey(&items[limit-1]), pks)
	}
	return out, nil
}

// formatInboxCursor returns the cursor of an inbox page that ends at the
// sort key: the key and a check of the inboxes it belongs to, URL-safe
// base64 encoded.
func formatInboxCursor(sk string, pks []string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(inboxCheck(pks) + sk))
}

// parseInboxCursor returns the sort key a cursor of the inboxes ends at
// ("" for the first page), refusing one of other inboxes or not a cursor.
func parseInboxCursor(c string, pks []string) (string, error) {
	if c == "" {
		return "", nil
	}
	b, err := base64.RawURLEncoding.DecodeString(c)
	check := inboxCheck(pks)
	sk, ok := strings.CutPrefix(string(b), check)
	if err != nil || !ok {
		return "", badCursor()
	}
	due, id, ok := strings.Cut(sk, "#")
	if _, err := time.Parse(sortTimeLayout, due); err != nil || !ok || id == "" || tooLong(id) {
		return "", badCursor()
	}
	return sk, nil
}

// inboxCheck is the start of a cursor of the inboxes: a hash of their
// partitions, so a cursor of one inbox is refused by another.
func inboxCheck(pks []string) string {
	sum := sha256.Sum256([]byte(strings.Join(pks, "\n")))
	return hex.EncodeToString(sum[:6]) + "|"
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
		sum, _, ok, err := s.summaryWrite(ctx, t.Subject, func(ts []*pathway.Task) []*pathway.Task {
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
		// The task changed: closed by someone else (the next read says
		// so), or rewritten by a rename of its co-op (try again).
		if table.FailedAt(err, 0) || summary >= 0 && table.FailedAt(err, summary) || contended(err) {
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
