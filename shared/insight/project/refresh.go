package project

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/table"
)

// ChunkCells is the most cells one transaction adds to, beside the write
// of the facts item: a difference touching more is applied in chunks.
// It leaves room under table.MaxWrites. (A source must keep the counters
// one subject changes in one cell within table.MaxAddCounts.)
const ChunkCells = 90

// maxRounds bounds how often one Refresh re-reads after losing a race to
// another refresh of the same subject; each round some refresh wins.
const maxRounds = 100

// errRace is a transaction that found the facts item changed since it
// was read: another refresh got there first.
var errRace = errors.New("project: the facts changed while refreshing")

// Refresh brings the cells up to date with the subject's facts now:
// it adds to them the difference between the contribution of the facts
// applied before and of the new ones, exactly once, and stores the new
// facts. A subject of a kind no source serves adds nothing. A refresh that
// finds nothing new writes nothing; one that finds a chunked change left
// unfinished (a crash between chunks) finishes it first.
func (p *Projector) Refresh(ctx context.Context, kind, id string, at time.Time) error {
	src := p.sources[kind]
	if src == nil {
		return nil
	}
	for round := range maxRounds {
		err := p.refresh(ctx, src, id, at)
		if !errors.Is(err, errRace) && !errors.Is(err, table.ErrContention) {
			return err
		}
		if err := pause(ctx, round); err != nil {
			return err
		}
	}
	return fmt.Errorf("project: refreshing %s/%s: %w", kind, id, table.ErrContention)
}

// refresh makes one attempt from a fresh read of the facts item.
func (p *Projector) refresh(ctx context.Context, src insight.Source, id string, at time.Time) error {
	st, err := p.load(ctx, src.Kind(), id)
	if err != nil {
		return err
	}
	if st, err = p.finish(ctx, src, id, st); err != nil {
		return err
	}
	next, err := src.Next(ctx, id, st.Facts, at)
	if err != nil {
		return err
	}
	if isNull(next) {
		next = nil
	}
	d, err := diff(src, st.Facts, next)
	if err != nil {
		return err
	}
	if len(d) == 0 && sameFacts(st.Facts, next) {
		return nil
	}
	if cells := d.Cells(); len(cells) <= ChunkCells {
		return p.commit(ctx, src, id, st, d, cells, record{Facts: next})
	}
	// Too many cells for one transaction: record the change first, so
	// that whoever comes next can finish it, then apply it chunk by chunk.
	rec := record{Facts: st.Facts, Pending: &pending{From: st.Facts, To: next}}
	if err := p.commit(ctx, src, id, st, nil, nil, rec); err != nil {
		return err
	}
	_, err = p.finish(ctx, src, id, &state{record: rec, version: st.version + 1})
	return err
}

// finish applies the chunks left of st's pending change, if any, and
// returns the state it leaves.
func (p *Projector) finish(ctx context.Context, src insight.Source, id string, st *state) (*state, error) {
	for st.Pending != nil {
		var err error
		if st, err = p.step(ctx, src, id, st); err != nil {
			return nil, err
		}
	}
	return st, nil
}

// step applies the next chunk of st's pending change: the cells' share
// and the advanced Done in one transaction, the last chunk also storing
// the new facts as applied. The chunks are the same on every attempt,
// because Contribute is pure and Cells sorted.
func (p *Projector) step(ctx context.Context, src insight.Source, id string, st *state) (*state, error) {
	pd := st.Pending
	d, err := diff(src, pd.From, pd.To)
	if err != nil {
		return nil, err
	}
	cells := d.Cells()
	from := min(pd.Done, len(cells))
	end := min(from+ChunkCells, len(cells))
	rec := record{Facts: st.Facts, Pending: &pending{From: pd.From, To: pd.To, Done: end}}
	if end == len(cells) {
		rec = record{Facts: pd.To}
	}
	if err := p.commit(ctx, src, id, st, d, cells[from:end], rec); err != nil {
		return nil, err
	}
	return &state{record: rec, version: st.version + 1}, nil
}

// commit adds d's counters to cells and puts the facts item as rec, in
// one transaction conditional on the version read (st).
func (p *Projector) commit(ctx context.Context, src insight.Source, id string, st *state, d insight.Contribution, cells []insight.Cell, rec record) error {
	writes := make([]table.Write, 0, len(cells)+1)
	for _, c := range cells {
		writes = append(writes, table.AddCounts(cellPK(c.Scope), c.Key, d[c]))
	}
	it, err := factItem(src, id, rec, st.version+1)
	if err != nil {
		return err
	}
	cond := table.IfAbsent()
	if st.version != 0 {
		cond = table.IfVersion(st.version)
	}
	writes = append(writes, table.Put(it, cond))
	err = p.tbl.Transact(ctx, writes...)
	if table.FailedAt(err, len(writes)-1) {
		return errRace
	}
	return err
}

// factItem returns the facts item holding rec, listed where its applied
// facts say (nowhere when there are none).
func factItem(src insight.Source, id string, rec record, version int64) (table.Item, error) {
	body, err := json.Marshal(rec)
	if err != nil {
		return table.Item{}, err
	}
	it := table.Item{PK: factPK(src.Kind(), id), SK: skFact, Version: version, Body: body}
	if !isNull(rec.Facts) {
		ix := src.Index(rec.Facts)
		it.GSI1PK, it.GSI1SK, it.GSI2PK, it.GSI2SK = ix.GSI1PK, ix.GSI1SK, ix.GSI2PK, ix.GSI2SK
	}
	return it, nil
}

// diff returns what replacing the contribution of facts before by that of
// after adds to the cells.
func diff(src insight.Source, before, after json.RawMessage) (insight.Contribution, error) {
	b, err := contribution(src, before)
	if err != nil {
		return nil, err
	}
	a, err := contribution(src, after)
	if err != nil {
		return nil, err
	}
	return insight.Diff(b, a), nil
}

// contribution returns the contribution of facts; none for no facts.
func contribution(src insight.Source, facts json.RawMessage) (insight.Contribution, error) {
	if isNull(facts) {
		return insight.Contribution{}, nil
	}
	return src.Contribute(facts)
}

// sameFacts reports whether a and b are the same JSON, spacing aside.
func sameFacts(a, b json.RawMessage) bool {
	if isNull(a) || isNull(b) {
		return isNull(a) == isNull(b)
	}
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}

// pause waits a random moment that grows with the round (full jitter, so
// racing refreshes spread out), or until ctx ends.
func pause(ctx context.Context, round int) error {
	d := time.Duration(rand.Int64N(int64(min(time.Millisecond<<min(round, 6), 50*time.Millisecond)) + 1))
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}
