package project

import (
	"context"
	"encoding/json"
	"errors"
	"sync"

	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/table"
)

// cellReaders bounds the Gets of one Cells call in flight at once: a
// dashboard reads a few dozen cells, and DynamoDB answers each in a few
// milliseconds.
const cellReaders = 8

// Cells returns the counters of the cells with the keys in scope, each
// read with one strongly consistent Get; untouched cells are absent.
func (p *Projector) Cells(ctx context.Context, scope string, keys ...string) (map[string]insight.Counters, error) {
	out := make(map[string]insight.Counters, len(keys))
	var mu sync.Mutex
	var errs []error
	var wg sync.WaitGroup
	sem := make(chan struct{}, cellReaders)
	for _, k := range keys {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			it, err := p.tbl.Get(ctx, cellPK(scope), k)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case errors.Is(err, table.ErrNotFound):
			case err != nil:
				errs = append(errs, err)
			default:
				out[k] = insight.Counters(it.Counts)
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return out, nil
}

// Facts returns the facts last applied for a subject, nil when none.
func (p *Projector) Facts(ctx context.Context, kind, id string) (json.RawMessage, error) {
	st, err := p.load(ctx, kind, id)
	if err != nil {
		return nil, err
	}
	return st.Facts, nil
}

// defaultLimit is a list's page when the query sets none.
const defaultLimit = 100

// List returns one page of the facts listed under an index key, from the
// index (which may lag the latest refresh by a moment, as DynamoDB's do).
func (p *Projector) List(ctx context.Context, q insight.ListQuery) (*insight.FactPage, error) {
	tq := table.Query{Index: q.Index, PK: q.PK, Limit: q.Limit, Desc: q.Desc, Cursor: q.Cursor}
	if tq.Index == table.IndexTable {
		// The table's partitions are not lists of facts.
		return nil, &table.InvalidError{Field: "index", Message: "list facts from GSI1 or GSI2"}
	}
	if tq.Limit == 0 {
		tq.Limit = defaultLimit
	}
	if q.Prefix != "" {
		tq.Sort, tq.A = table.SortBeginsWith, q.Prefix
	}
	page, err := p.tbl.Query(ctx, tq)
	if err != nil {
		return nil, err
	}
	out := &insight.FactPage{Facts: make([]json.RawMessage, 0, len(page.Items)), Next: page.Next}
	for i := range page.Items {
		var r record
		if err := json.Unmarshal(page.Items[i].Body, &r); err != nil {
			return nil, err
		}
		if !isNull(r.Facts) {
			out.Facts = append(out.Facts, r.Facts)
		}
	}
	return out, nil
}
