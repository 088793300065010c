package store

import (
	"context"
	"errors"

	"slices"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tablerec"
)

// coopItem returns the co-op's item: its record and its place in the
// pipeline index.
func coopItem(c *pathway.Coop) (table.Item, error) {
	at, err := sortTime(c.StageEnteredAt, "stageEnteredAt")
	if err != nil {
		return table.Item{}, err
	}
	if err := checkPart("programme", c.Programme); err != nil {
		return table.Item{}, err
	}
	rec := *c
	rec.StageEnteredAt, rec.CreatedAt, rec.UpdatedAt = c.StageEnteredAt.UTC(), c.CreatedAt.UTC(), c.UpdatedAt.UTC()
	b, err := encode(&rec)
	if err != nil {
		return table.Item{}, err
	}
	it := table.Item{
		PK: coopPK(c.ID), SK: skMeta, Version: int64(rec.Version), Body: b,
		GSI1PK: pipelinePK(c.Programme, c.Stage), GSI1SK: at + "#" + c.ID,
	}
	return it, agencyIndex(&it, c)
}

// memberWrite links a founder to a co-op (put) or unlinks them (delete).
func memberWrite(user, coop string, put bool) table.Write {
	if !put {
		return table.Delete(preMember+user, coopPK(coop), table.Cond{})
	}
	return table.Put(table.Item{PK: preMember + user, SK: coopPK(coop), Body: []byte(`"` + jsonEscape(coop) + `"`)}, table.Cond{})
}

// countWrite moves a co-op into (+1) or out of (-1) a stage's counter.
func countWrite(programme, stage string, delta int64) table.Write {
	return table.Add(preCount+programme, preStage+stage, delta)
}

// CreateCoop stores a new co-op at Version 1 with its first event and the
// delivery that starts its workflow, in one transaction.
func (s *Store) CreateCoop(ctx context.Context, c *pathway.Coop, e *pathway.Event, start *pathway.Delivery) error {
	if err := pathway.CheckWrite("co-op", c, e); err != nil {
		return err
	}
	rec := *c
	rec.Version = 1
	it, err := coopItem(&rec)
	if err != nil {
		return err
	}
	writes := []table.Write{table.Put(it, table.IfAbsent()), countWrite(c.Programme, c.Stage, 1)}
	for _, u := range c.Founders {
		writes = append(writes, memberWrite(u, c.ID, true))
	}
	if writes, err = withEvent(writes, e); err != nil {
		return err
	}
	if writes, err = withDelivery(writes, start); err != nil {
		return err
	}
	err = s.t.Transact(ctx, writes...)
	if table.FailedAt(err, 0) {
		return pathway.Errorf(pathway.ECONFLICT, "A co-op with the ID %q exists already.", c.ID)
	}
	if err != nil {
		return mapErr(err)
	}
	c.Version = 1
	return nil
}

// GetCoop returns the co-op with the ID.
func (s *Store) GetCoop(ctx context.Context, id string) (*pathway.Coop, error) {
	_, c, err := s.readCoop(ctx, id)
	return c, err
}

// readCoop returns the co-op with the ID and its item, whose version
// counts every write of the item: the co-op's own updates (which
// Coop.Version counts) and the changes of its task summary.
func (s *Store) readCoop(ctx context.Context, id string) (*table.Item, *pathway.Coop, error) {
	if id == "" || tooLong(id) {
		return nil, nil, pathway.NotFound("co-op")
	}
	var c pathway.Coop
	it, err := s.get(ctx, coopPK(id), skMeta, "co-op", &c)
	if err != nil {
		return nil, nil, err
	}
	return it, &c, nil
}

// maxAttempts bounds how often a write that lost a race with a change of
// a co-op's task summary (and only that) is tried again.
const maxAttempts = 20

// UpdateCoop stores c if the stored version equals c.Version, with e, and
// moves its counters and founder links with it, in one transaction. The
// co-op's task summary is the store's own: the stored one is kept,
// whatever c holds. A task opened or closed meanwhile changes the item but
// not the co-op, so the update is tried again rather than refused.
func (s *Store) UpdateCoop(ctx context.Context, c *pathway.Coop, e *pathway.Event) error {
	return s.UpdateCoopStart(ctx, c, e, nil)
}

// UpdateCoopStart is UpdateCoop with a delivery (which may be nil) in the
// same transaction: the start of a workflow that the change calls for,
// such as an application sent again.
func (s *Store) UpdateCoopStart(ctx context.Context, c *pathway.Coop, e *pathway.Event, start *pathway.Delivery) error {
	if err := pathway.CheckWrite("co-op", c, e); err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		item, old, err := s.readCoop(ctx, c.ID)
		if err != nil {
			return err
		}
		if old.Version != c.Version {
			return staleCoop()
		}
		rec := *c
		rec.Version, rec.Tasks = c.Version+1, old.Tasks
		it, err := coopItem(&rec)
		if err != nil {
			return err
		}
		it.Version = item.Version + 1
		writes := append([]table.Write{table.Put(it, table.IfVersion(item.Version))}, coopMoves(old, &rec)...)
		renames, err := s.renameWrites(ctx, old, &rec)
		if err != nil {
			return err
		}
		writes = append(writes, renames...)
		if writes, err = withEvent(writes, e); err != nil {
			return err
		}
		if writes, err = withDelivery(writes, start); err != nil {
			return err
		}
		err = s.t.Transact(ctx, writes...)
		if table.FailedAt(err, 0) || contended(err) {
			if attempt < maxAttempts {
				pause(ctx, attempt)
				continue // read again: stale if the co-op changed, else try again
			}
			return staleCoop()
		}
		if err != nil {
			return mapErr(err)
		}
		c.Version, c.Tasks = rec.Version, rec.Tasks
		return nil
	}
}

// summaryWrite returns the write that keeps the task summary on a co-op
// (Coop.Tasks) true through a change of its open tasks, for the
// transaction that makes the change: change gets the co-op's open tasks as
// they are and returns them as they will be. The co-op is read first and
// its open tasks after, and the write holds only if the co-op's item is
// still the one read, so a task opened or closed by anyone in between
// fails it and the caller tries again. ok is false when there is no
// summary to keep: the subject is no co-op, or the co-op does not exist.
func (s *Store) summaryWrite(ctx context.Context, subj pathway.Subject, change func([]*pathway.Task) []*pathway.Task) (w table.Write, name string, ok bool, err error) {
	if subj.Kind != pathway.SubjectCoop {
		return w, "", false, nil
	}
	item, c, err := s.readCoop(ctx, subj.ID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return w, "", false, nil
	} else if err != nil {
		return w, "", false, err
	}
	open, err := s.ListTasks(ctx, pathway.TaskFilter{Subject: subj})
	if err != nil {
		return w, "", false, err
	}
	c.Tasks = pathway.SummariseTasks(change(open))
	it, err := coopItem(c)
	if err != nil {
		return w, "", false, err
	}
	it.Version = item.Version + 1
	return table.Put(it, table.IfVersion(item.Version)), c.Name, true, nil
}

// renameWrites rewrites the open tasks of a co-op whose name changes, so
// that inboxes show the new name. Every change of a co-op's open tasks
// also writes the co-op, so the co-op's version condition in the same
// transaction guarantees these are the open tasks still.
func (s *Store) renameWrites(ctx context.Context, old, c *pathway.Coop) ([]table.Write, error) {
	if old.Name == c.Name || old.Tasks.Open == 0 {
		return nil, nil
	}
	open, err := s.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID})
	if err != nil {
		return nil, err
	}
	var writes []table.Write
	for _, o := range open {
		t, version, err := s.getTask(ctx, o.ID)
		if err != nil {
			return nil, err
		}
		if t.Status != pathway.TaskOpen {
			continue
		}
		t.CoopName = c.Name
		main, copy, err := taskItems(t, version+1)
		if err != nil {
			return nil, err
		}
		writes = append(writes, table.Put(main, table.IfVersion(version)), table.Put(*copy, table.Cond{}))
	}
	return writes, nil
}

// contended reports whether a transaction kept conflicting with others
// on the same items (DynamoDB's TransactionConflict, after the engine's own
// retries): the co-op's task summary is written by every task change, so
// the writes that carry it read again and retry, like a failed condition.
func contended(err error) bool { return errors.Is(err, table.ErrContention) }

// pause waits before attempt n+1 of a write that lost a race (tablerec.Pause).
func pause(ctx context.Context, n int) { tablerec.Pause(ctx, n) }

// busy is the error of a write that kept losing races with others.
func busy() error { return tablerec.Busy() }

// coopMoves returns the counter and founder-link writes that follow a
// co-op from old to c.
func coopMoves(old, c *pathway.Coop) []table.Write {
	var w []table.Write
	if old.Programme != c.Programme || old.Stage != c.Stage {
		w = append(w, countWrite(old.Programme, old.Stage, -1), countWrite(c.Programme, c.Stage, 1))
	}
	for _, u := range old.Founders {
		if !slices.Contains(c.Founders, u) {
			w = append(w, memberWrite(u, c.ID, false))
		}
	}
	for _, u := range c.Founders {
		if !slices.Contains(old.Founders, u) {
			w = append(w, memberWrite(u, c.ID, true))
		}
	}
	return w
}

// staleCoop is the error for an update of a co-op changed meanwhile.
func staleCoop() error {
	return pathway.Errorf(pathway.ECONFLICT,
		"Someone else changed this co-op while you were working on it. Reload it and try again.")
}

// ListCoops returns a page of one programme's co-ops in one stage, newest
// stage entry first (ties: greater ID first), from the pipeline index.
func (s *Store) ListCoops(ctx context.Context, f pathway.CoopFilter) (*pathway.CoopPage, error) {
	limit, err := pathway.CheckCoopFilter(f)
	if err != nil {
		return nil, err
	}
	if err := checkPart("programme", f.Programme); err != nil {
		return nil, err
	}
	p, err := s.t.Query(ctx, table.Query{
		Index: table.IndexGSI1, PK: pipelinePK(f.Programme, f.Stage), Desc: true, Limit: limit, Cursor: f.Cursor,
	})
	if err != nil {
		return nil, mapErr(err)
	}
	out := &pathway.CoopPage{Coops: make([]*pathway.Coop, 0, len(p.Items)), Next: p.Next}
	for i := range p.Items {
		var c pathway.Coop
		if err := decode(&p.Items[i], &c); err != nil {
			return nil, err
		}
		out.Coops = append(out.Coops, &c)
	}
	return out, nil
}

// CountStages returns how many of a programme's co-ops are in each stage,
// from its counters (a consistent read of one small partition).
func (s *Store) CountStages(ctx context.Context, programme string) (map[string]int, error) {
	if programme == "" {
		return nil, pathway.Invalid(map[string]string{"programme": "Enter the programme"})
	}
	if err := checkPart("programme", programme); err != nil {
		return nil, err
	}
	items, err := s.queryAll(ctx, table.Query{PK: preCount + programme, Sort: table.SortBeginsWith, A: preStage})
	if err != nil {
		return nil, err
	}
	counts := make(map[string]int, len(items))
	for _, it := range items {
		if it.Count > 0 {
			counts[it.SK[len(preStage):]] = int(it.Count)
		}
	}
	return counts, nil
}

// ListFounderCoops returns the co-ops the user founded, read from the
// table so a co-op just applied for is there.
func (s *Store) ListFounderCoops(ctx context.Context, userID string) ([]*pathway.Coop, error) {
	if userID == "" || tooLong(userID) {
		return []*pathway.Coop{}, nil
	}
	items, err := s.queryAll(ctx, table.Query{PK: preMember + userID, Sort: table.SortBeginsWith, A: preCoop})
	if err != nil {
		return nil, err
	}
	out := make([]*pathway.Coop, 0, len(items))
	for _, it := range items {
		c, err := s.GetCoop(ctx, it.SK[len(preCoop):])
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}
