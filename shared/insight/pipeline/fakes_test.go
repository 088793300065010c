package pipeline

import (
	"context"
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// truth is the records a test sets: co-ops, programmes, grant facts and
// bids, behind the Source's ports.
type truth struct {
	mu         sync.Mutex
	coops      map[string]*pathway.Coop
	programmes map[string]*pathway.Programme
	grants     map[string]grants.Facts
	apps       map[string][]*grants.Application
	bids       map[string][]*tenders.Bid
	tenders    map[string]*tenders.Tender
}

func newTruth() *truth {
	return &truth{coops: map[string]*pathway.Coop{}, programmes: map[string]*pathway.Programme{},
		grants: map[string]grants.Facts{}, apps: map[string][]*grants.Application{},
		bids: map[string][]*tenders.Bid{}, tenders: map[string]*tenders.Tender{}}
}

func (t *truth) GetCoop(_ context.Context, id string) (*pathway.Coop, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	c, ok := t.coops[id]
	if !ok {
		return nil, pathway.NotFound("co-op")
	}
	cp := *c
	return &cp, nil
}

func (t *truth) GetProgramme(_ context.Context, id string) (*pathway.Programme, error) {
	p, ok := t.programmes[id]
	if !ok {
		return nil, pathway.NotFound("programme")
	}
	return p, nil
}

func (t *truth) ListProgrammes(context.Context) ([]*pathway.Programme, error) {
	var out []*pathway.Programme
	for _, p := range t.programmes {
		cp := *p
		out = append(out, &cp)
	}
	slices.SortFunc(out, func(a, b *pathway.Programme) int { return strings.Compare(a.ID, b.ID) })
	return out, nil
}

func (t *truth) CoopFacts(_ context.Context, coop string) (grants.Facts, error) {
	return t.grants[coop], nil
}

func (t *truth) ListCoopApplications(_ context.Context, coop string) ([]*grants.Application, error) {
	return t.apps[coop], nil
}

func (t *truth) ListCoopBids(_ context.Context, coop string) ([]*tenders.Bid, error) {
	return t.bids[coop], nil
}

func (t *truth) GetTender(_ context.Context, id string) (*tenders.Tender, error) {
	tn, ok := t.tenders[id]
	if !ok {
		return nil, pathway.NotFound("tender")
	}
	return tn, nil
}

// memProjector is the projector's contract kept in memory: Refresh diffs
// the contributions of the applied and the next facts into the cells, and
// the facts are listed by their index keys. The end-to-end tests run the
// same scenario on the real projector.
type memProjector struct {
	mu    sync.Mutex
	src   insight.Source
	facts map[string]json.RawMessage
	cells map[insight.Cell]insight.Counters
}

func newMemProjector(src insight.Source) *memProjector {
	return &memProjector{src: src, facts: map[string]json.RawMessage{}, cells: map[insight.Cell]insight.Counters{}}
}

func (m *memProjector) Refresh(ctx context.Context, kind, id string, at time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	applied := m.facts[id]
	next, err := m.src.Next(ctx, id, applied, at)
	if err != nil {
		return err
	}
	before, err := m.src.Contribute(applied)
	if err != nil {
		return err
	}
	after, err := m.src.Contribute(next)
	if err != nil {
		return err
	}
	for cell, cs := range insight.Diff(before, after) {
		if m.cells[cell] == nil {
			m.cells[cell] = insight.Counters{}
		}
		for k, n := range cs {
			m.cells[cell][k] += n
		}
	}
	m.facts[id] = next
	return nil
}

func (m *memProjector) Cells(_ context.Context, scope string, keys ...string) (map[string]insight.Counters, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := map[string]insight.Counters{}
	for _, k := range keys {
		if cs, ok := m.cells[insight.Cell{Scope: scope, Key: k}]; ok {
			out[k] = cs
		}
	}
	return out, nil
}

func (m *memProjector) Facts(_ context.Context, kind, id string) (json.RawMessage, error) {
	return m.facts[id], nil
}

func (m *memProjector) List(_ context.Context, q insight.ListQuery) (*insight.FactPage, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	type listed struct {
		sk    string
		facts json.RawMessage
	}
	var all []listed
	for _, f := range m.facts {
		ix := m.src.Index(f)
		pk, sk := ix.GSI1PK, ix.GSI1SK
		if q.Index == table.IndexGSI2 {
			pk, sk = ix.GSI2PK, ix.GSI2SK
		}
		if pk == q.PK && strings.HasPrefix(sk, q.Prefix) {
			all = append(all, listed{sk, f})
		}
	}
	slices.SortFunc(all, func(a, b listed) int { return strings.Compare(a.sk, b.sk) })
	if q.Desc {
		slices.Reverse(all)
	}
	start := 0
	if q.Cursor != "" {
		start, _ = strconv.Atoi(q.Cursor)
	}
	page := &insight.FactPage{}
	end := min(start+q.Limit, len(all))
	for _, l := range all[start:end] {
		page.Facts = append(page.Facts, l.facts)
	}
	if end < len(all) {
		page.Next = strconv.Itoa(end)
	}
	return page, nil
}
