// Package project keeps the dashboards' aggregates (shared/insight) in
// the table: for each subject, the facts last applied; for each cell, its
// named counters. Refresh replaces a subject's contribution to the cells
// by its new one, exactly once, and the Projector reads them back as an
// insight.Reader.
//
// Keys (one table, as every repository's):
//
//	INSIGHTFACT#<kind>#<id> / FACT      Version, Body {"facts":…,"pending":…},
//	                                    GSI1/GSI2 keys from Source.Index(facts)
//	INSIGHTCELL#<scope>     / <cell key> Counts
//
// Exactly once: the cells' additions and the facts they lead to are
// written in one transaction, conditional on the facts item's version, so
// of two refreshes of one subject only one applies a given change and the
// other re-reads and finds nothing left to add. A difference too large
// for one transaction is applied in chunks, each advancing a stored
// pending record under the same condition (refresh.go).
package project

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/table"
)

// Key prefixes and the facts item's sort key.
const (
	preFact = "INSIGHTFACT#"
	preCell = "INSIGHTCELL#"
	skFact  = "FACT"
)

// Projector applies the sources' facts to the cells and reads them.
type Projector struct {
	tbl     table.Table
	sources map[string]insight.Source
}

var _ insight.Reader = (*Projector)(nil)

// New returns the projector of the sources' subjects over tbl.
func New(tbl table.Table, sources ...insight.Source) *Projector {
	p := &Projector{tbl: tbl, sources: make(map[string]insight.Source, len(sources))}
	for _, s := range sources {
		p.sources[s.Kind()] = s
	}
	return p
}

// factPK returns the partition of a subject's facts.
func factPK(kind, id string) string { return preFact + kind + "#" + id }

// cellPK returns the partition of a scope's cells.
func cellPK(scope string) string { return preCell + scope }

// record is the body of a facts item.
type record struct {
	// Facts are the facts applied to the cells (null: none).
	Facts json.RawMessage `json:"facts"`
	// Pending is a chunked change under way, nil when none is.
	Pending *pending `json:"pending,omitempty"`
}

// pending is a change from one applied facts to the next whose difference
// is added to the cells in chunks: Done cells (in Contribution.Cells
// order) have had theirs added.
type pending struct {
	From json.RawMessage `json:"from"`
	To   json.RawMessage `json:"to"`
	Done int             `json:"done"`
}

// state is a facts item as read: its record and version (0: absent).
type state struct {
	record
	version int64
}

// load reads a subject's facts item.
func (p *Projector) load(ctx context.Context, kind, id string) (*state, error) {
	it, err := p.tbl.Get(ctx, factPK(kind, id), skFact)
	if errors.Is(err, table.ErrNotFound) {
		return &state{}, nil
	}
	if err != nil {
		return nil, err
	}
	st := &state{version: it.Version}
	if err := json.Unmarshal(it.Body, &st.record); err != nil {
		return nil, fmt.Errorf("project: facts of %s/%s: %w", kind, id, err)
	}
	if isNull(st.Facts) {
		st.Facts = nil
	}
	return st, nil
}

// isNull reports whether raw holds no facts.
func isNull(raw json.RawMessage) bool { return len(raw) == 0 || string(raw) == "null" }
