package store

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// The agency's work queue. A co-op with checklist items waiting for the
// agency's check has one open task of kind checklist-verification, with
// the count of waiting items and when the oldest was marked done. No
// workflow waits on it: UpdateChecklistItem keeps it, in the transaction
// that makes an item wait or stop waiting, with the co-op's task summary.
// Its ID is derived from the co-op, and every write of it is conditional
// on the version read, so two items marked done at the same moment meet
// on one task: the second transaction fails its condition, reads the
// checklist again and counts both. A task closed when nothing waits is
// reopened (same ID, next version) when an item waits again.

// verificationWrites returns the writes that bring co-op's
// checklist-verification task in line with its checklist once item (the
// new record of one of its items) is stored: none when nothing changes.
func (s *Store) verificationWrites(ctx context.Context, item *pathway.ChecklistItem) ([]table.Write, error) {
	_, c, err := s.readCoop(ctx, item.Coop)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, nil // items of a co-op not stored: no inbox to keep
	} else if err != nil {
		return nil, err
	}
	p, err := s.GetProgramme(ctx, c.Programme)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, nil // no programme, no agency to ask
	} else if err != nil {
		return nil, err
	}
	// The task is read before the checklist: an item change committed
	// after this read changes the task too, so this write's condition fails.
	old, version, err := s.getTask(ctx, pathway.VerificationTaskID(c.ID))
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		old, version = nil, 0
	} else if err != nil {
		return nil, err
	}
	items, err := s.ListChecklist(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	items = slices.DeleteFunc(items, func(i *pathway.ChecklistItem) bool { return i.ID == item.ID })
	items = append(items, item)
	want := pathway.VerificationTask(c, p, items, item.UpdatedAt)
	open := old != nil && old.Status == pathway.TaskOpen
	switch {
	case want == nil && !open:
		return nil, nil
	case want == nil:
		return s.closeVerification(ctx, old, version, item)
	case open && sameQueue(old, want):
		return nil, nil
	case open:
		want.CreatedAt = old.CreatedAt
	}
	return s.openVerification(ctx, want, version)
}

// sameQueue reports whether an open verification task says what want says.
func sameQueue(old, want *pathway.Task) bool {
	return old.Count == want.Count && old.Oldest.Equal(want.Oldest) && old.Due.Equal(want.Due) && old.Title == want.Title
}

// openVerification writes the open task t over version (0: absent), its
// open copy under the co-op and the co-op's task summary.
func (s *Store) openVerification(ctx context.Context, t *pathway.Task, version int64) ([]table.Write, error) {
	sum, name, ok, err := s.summaryWrite(ctx, t.Subject, func(ts []*pathway.Task) []*pathway.Task {
		return append(slices.DeleteFunc(ts, func(o *pathway.Task) bool { return o.ID == t.ID }), t)
	})
	if err != nil {
		return nil, err
	}
	if ok {
		t.CoopName = name
	}
	if err := t.Validate(); err != nil {
		return nil, err
	}
	main, copy, err := taskItems(t, version+1)
	if err != nil {
		return nil, err
	}
	cond := table.IfVersion(version)
	if version == 0 {
		cond = table.IfAbsent()
	}
	writes := []table.Write{table.Put(main, cond), table.Put(*copy, table.Cond{})}
	if ok {
		writes = append(writes, sum)
	}
	return writes, nil
}

// closeVerification closes the open task old, at version, because no item
// waits since item's change.
func (s *Store) closeVerification(ctx context.Context, old *pathway.Task, version int64, item *pathway.ChecklistItem) ([]table.Write, error) {
	closed := *old
	closed.Status, closed.CompletedAt, closed.CompletedBy, closed.Count = pathway.TaskCompleted, item.UpdatedAt, item.UpdatedBy, 0
	writes, err := closeWrites(old, &closed, version)
	if err != nil {
		return nil, err
	}
	sum, _, ok, err := s.summaryWrite(ctx, old.Subject, func(ts []*pathway.Task) []*pathway.Task {
		return slices.DeleteFunc(ts, func(o *pathway.Task) bool { return o.ID == old.ID })
	})
	if err != nil {
		return nil, err
	}
	if ok {
		writes = append(writes, sum)
	}
	return writes, nil
}

// failedWithin reports whether err is a failed condition of one of the
// writes from index from to index to (excluded).
func failedWithin(err error, from, to int) bool {
	for i := from; i < to; i++ {
		if table.FailedAt(err, i) {
			return true
		}
	}
	return false
}

// preAgencyDue starts the GSI2 partition of one pipeline column's co-ops
// that wait on the agency, sorted by the earliest due of their agency
// tasks (see the table in keys.go).
const preAgencyDue = "AGENCYDUE#"

// agencyIndex puts a co-op's item in its column's agency queue index
// while the co-op has an open agency task. The co-op's item carries its
// task summary, which every task write keeps in the same transaction, and
// a change of stage rewrites the item, so the index follows both with no
// write of its own.
//
// The board counts a column's waiting and overdue co-ops from this index
// rather than from counters: overdue depends on the time of reading, which
// no counter kept at write time can know, and one query of at most
// MaxAgencyQueue+1 items, sorted by due date, answers both counts and
// the next due date at a cost that does not grow with the co-ops.
func agencyIndex(it *table.Item, c *pathway.Coop) error {
	if c.Tasks.Agency == 0 || c.Tasks.AgencyNextDue.IsZero() {
		return nil
	}
	due, err := sortTime(c.Tasks.AgencyNextDue, "agencyNextDue")
	if err != nil {
		return err
	}
	it.GSI2PK, it.GSI2SK = preAgencyDue+c.Programme+"#"+c.Stage, due+"#"+c.ID
	return nil
}

// AgencyQueue reads one column's agency queue index, earliest due first,
// at most MaxAgencyQueue+1 items (the last only to tell that more wait).
func (s *Store) AgencyQueue(ctx context.Context, programme, stage string, now time.Time) (pathway.AgencyQueue, error) {
	var q pathway.AgencyQueue
	if err := checkPart("programme", programme); err != nil {
		return q, err
	}
	if !pathway.IsStage(stage) {
		return q, pathway.Invalid(map[string]string{"stage": "Must be a stage of the journey"})
	}
	p, err := s.t.Query(ctx, table.Query{Index: table.IndexGSI2, PK: preAgencyDue + programme + "#" + stage, Limit: pathway.MaxAgencyQueue + 1})
	if err != nil {
		return q, mapErr(err)
	}
	items := p.Items
	if len(items) > pathway.MaxAgencyQueue {
		items, q.More = items[:pathway.MaxAgencyQueue], true
	}
	for i, it := range items {
		due, err := time.Parse(sortTimeLayout, strings.SplitN(it.GSI2SK, "#", 2)[0])
		if err != nil {
			return q, pathway.Errorf(pathway.EINTERNAL, "A pipeline index entry has no due date.")
		}
		if i == 0 {
			q.NextDue = due
		}
		q.Waiting++
		if now.After(due) {
			q.Overdue++
		}
	}
	return q, nil
}
