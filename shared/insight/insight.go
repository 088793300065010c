// Package insight holds what the dashboards of agencies, funders and
// councils are built from: aggregate cells of named counters, kept up to
// date from each subject's facts so that no page ever scans.
//
// A Source (one per kind of subject: co-ops, grant applications, tenders)
// reads a subject's stored truth and reduces it to its facts, a small JSON
// record; from the facts it derives the subject's Contribution, the
// counters it adds to each cell it belongs to. The projector
// (insight/project) stores the facts last applied for every subject and,
// whenever a subject changes, adds the difference between the new
// contribution and the applied one to the cells, exactly once. A change
// asks for that through the outbox (a pathway.DeliverInsight delivery
// written with the change's event), so a change is never lost from the
// aggregates, and a retried or repeated refresh adds nothing.
//
// A dashboard then reads a fixed number of cells, whatever the number of
// subjects: one cell per filter combination holds the counts, the funnel,
// the histograms of days in each stage and the money figures of every
// subject that matches it.
package insight

import (
	"context"
	"encoding/json"
	"maps"
	"slices"
	"strings"
	"time"
)

// Counters are the named integer counters of one cell.
type Counters map[string]int64

// Cell names one aggregate: the organisation whose dashboards read it
// (an agency, a funder or a council) and its key within that
// organisation's cells (the filter values it stands for).
type Cell struct {
	Scope string
	Key   string
}

// Contribution is what one subject adds to the aggregates: for each cell
// it belongs to, its counters.
type Contribution map[Cell]Counters

// Add adds n to the counter name of cell; adding zero changes nothing.
func (c Contribution) Add(cell Cell, name string, n int64) {
	if n == 0 {
		return
	}
	cs := c[cell]
	if cs == nil {
		cs = Counters{}
		c[cell] = cs
	}
	cs[name] += n
	if cs[name] == 0 {
		delete(cs, name)
		if len(cs) == 0 {
			delete(c, cell)
		}
	}
}

// AddAll adds n to the counter name of every cell in cells.
func (c Contribution) AddAll(cells []Cell, name string, n int64) {
	for _, cell := range cells {
		c.Add(cell, name, n)
	}
}

// Diff returns after − before: what must be added to the cells to replace
// a subject's contribution before by after. Counters that do not change
// and cells with no change are left out, so a refresh that finds nothing
// new writes nothing.
func Diff(before, after Contribution) Contribution {
	d := Contribution{}
	for cell, cs := range after {
		for name, n := range cs {
			d.Add(cell, name, n)
		}
	}
	for cell, cs := range before {
		for name, n := range cs {
			d.Add(cell, name, -n)
		}
	}
	return d
}

// Cells returns the cells of c in order (scope, then key), so that a
// difference too large for one transaction is always split the same way.
func (c Contribution) Cells() []Cell {
	out := slices.Collect(maps.Keys(c))
	slices.SortFunc(out, func(a, b Cell) int {
		if n := strings.Compare(a.Scope, b.Scope); n != 0 {
			return n
		}
		return strings.Compare(a.Key, b.Key)
	})
	return out
}

// Index is where a subject's facts are listed, so that a dashboard can
// page through the subjects of a filter (the rows of a CSV export, a
// search by name) without a scan: the keys of the facts item in the
// table's two global secondary indexes. Empty keys leave it out of an
// index.
type Index struct {
	GSI1PK, GSI1SK string
	GSI2PK, GSI2SK string
}

// Source is one kind of subject whose facts feed the aggregates.
type Source interface {
	// Kind is the pathway.Subject kind it serves (pathway.SubjectCoop, …).
	Kind() string
	// Next reads the subject's stored truth and returns its facts now.
	// applied is the facts last applied (nil for a subject never seen),
	// so that what the truth does not keep (when a stage derived from
	// several records was entered, the days spent in stages left) can be
	// carried on; at is when the change that asked for the refresh
	// happened (its event's time). A nil result with no error means the
	// subject adds nothing (it does not exist, or is not tracked).
	Next(ctx context.Context, id string, applied json.RawMessage, at time.Time) (json.RawMessage, error)
	// Contribute derives the subject's contribution from its facts. It
	// must be a pure function of facts: the projector calls it on the
	// facts applied before and on the new ones and adds the difference.
	Contribute(facts json.RawMessage) (Contribution, error)
	// Index says where the facts are listed.
	Index(facts json.RawMessage) Index
}

// Reader is what the dashboards read; insight/project implements it over
// the table.
type Reader interface {
	// Cells returns the counters of the cells with the keys in scope; a
	// cell no subject has touched is absent from the map.
	Cells(ctx context.Context, scope string, keys ...string) (map[string]Counters, error)
	// Facts returns the facts last applied for a subject, nil when none.
	Facts(ctx context.Context, kind, id string) (json.RawMessage, error)
	// List returns one page of the facts listed under an index key.
	List(ctx context.Context, q ListQuery) (*FactPage, error)
}

// ListQuery selects a page of listed facts.
type ListQuery struct {
	// Index is table.IndexGSI1 or table.IndexGSI2.
	Index string
	// PK is the index partition key; Prefix, when set, keeps the sort
	// keys that begin with it.
	PK, Prefix string
	// Cursor is the Next of the previous page, "" for the first.
	Cursor string
	// Limit bounds the page (table.MaxLimit at most); Desc walks the sort
	// keys from the highest.
	Limit int
	Desc  bool
}

// FactPage is one page of listed facts.
type FactPage struct {
	Facts []json.RawMessage
	// Next is the cursor of the following page, "" on the last.
	Next string
}

// Wildcard is a cell key's value for "any": the cell of every subject,
// whatever that filter's value.
const Wildcard = "*"
