package grantstore

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tablerec"
)

// budgetRec is the programme's budget item: what it may award, and the
// running totals awarded and paid.
type budgetRec struct {
	Budget  int64 `json:"budget"`
	Awarded int64 `json:"awarded"`
	Paid    int64 `json:"paid"`
}

// figures returns the budget as people see it.
func (b budgetRec) figures() grants.Budget {
	return grants.Budget{Budget: b.Budget, Awarded: b.Awarded, Paid: b.Paid, Remaining: b.Budget - b.Awarded}
}

// programmeItem returns the programme's item with its index keys.
func programmeItem(p *grants.Programme) (table.Item, error) {
	b, err := tablerec.Encode(p)
	if err != nil {
		return table.Item{}, err
	}
	return table.Item{
		PK: progPK(p.ID), SK: skMeta, Version: int64(p.Version), Body: b,
		GSI1PK: preFunder + p.Funder, GSI1SK: p.ID,
		GSI2PK: pkOpen, GSI2SK: p.ClosesOn + "#" + p.ID,
	}, nil
}

// PutProgramme stores p: a new programme when p.Version is 0 (its budget
// item with it; ECONFLICT if the ID is taken), else an update of the
// stored version p.Version (ECONFLICT if someone changed it since). A
// budget cut below what is awarded already is refused. On success
// p.Version and its times are the stored ones.
func (s *Store) PutProgramme(ctx context.Context, p *grants.Programme, at time.Time) error {
	if err := pathway.CheckWrite("programme", p, nil); err != nil {
		return err
	}
	if p.Version == 0 {
		return s.createProgramme(ctx, p, at)
	}
	for attempt := 1; ; attempt++ {
		var old grants.Programme
		if _, err := s.get(ctx, progPK(p.ID), skMeta, "programme", &old); err != nil {
			return err
		}
		if old.Version != p.Version {
			return staleProgramme()
		}
		bit, b, err := s.readBudget(ctx, p.ID)
		if err != nil {
			return err
		}
		if p.Budget < b.Awarded {
			return pathway.Invalid(map[string]string{"budget": "The programme has awarded " + grants.Pounds(b.Awarded) + " already, so its budget cannot be less"})
		}
		rec := *p
		rec.Version, rec.CreatedAt, rec.UpdatedAt = p.Version+1, old.CreatedAt, at
		it, err := programmeItem(&rec)
		if err != nil {
			return err
		}
		b.Budget = p.Budget
		bw, err := put(progPK(p.ID), skBudget, bit.Version+1, &b, table.IfVersion(bit.Version))
		if err != nil {
			return err
		}
		err = s.t.Transact(ctx, table.Put(it, table.IfVersion(int64(p.Version))), bw)
		if lost(err, 0) || lost(err, 1) {
			if attempt < maxAttempts {
				pause(ctx, attempt)
				continue // read again: stale if the programme changed, else an award moved the budget
			}
			return busy()
		}
		if err != nil {
			return mapErr(err)
		}
		*p = rec
		return nil
	}
}

// createProgramme stores a new programme and its budget item.
func (s *Store) createProgramme(ctx context.Context, p *grants.Programme, at time.Time) error {
	rec := *p
	rec.Version, rec.CreatedAt, rec.UpdatedAt = 1, at, at
	it, err := programmeItem(&rec)
	if err != nil {
		return err
	}
	bw, err := put(progPK(p.ID), skBudget, 1, &budgetRec{Budget: p.Budget}, table.IfAbsent())
	if err != nil {
		return err
	}
	err = s.t.Transact(ctx, table.Put(it, table.IfAbsent()), bw)
	if table.FailedAt(err, 0) || table.FailedAt(err, 1) {
		return pathway.Errorf(pathway.ECONFLICT, "A grant programme with the ID %q exists already.", p.ID)
	}
	if err != nil {
		return mapErr(err)
	}
	*p = rec
	return nil
}

func staleProgramme() error {
	return pathway.Errorf(pathway.ECONFLICT, "Someone else changed this programme while you were working on it. Reload it and try again.")
}

// GetProgramme returns the programme with the ID.
func (s *Store) GetProgramme(ctx context.Context, id string) (*grants.Programme, error) {
	if bad(id) {
		return nil, pathway.NotFound("grant programme")
	}
	var p grants.Programme
	if _, err := s.get(ctx, progPK(id), skMeta, "grant programme", &p); err != nil {
		return nil, err
	}
	return &p, nil
}

// ListProgrammes returns the funder's programmes in ID order, from an
// index (a programme stored a moment ago may be missing).
func (s *Store) ListProgrammes(ctx context.Context, funder string) ([]*grants.Programme, error) {
	if bad(funder) {
		return []*grants.Programme{}, nil
	}
	return s.programmes(ctx, table.Query{Index: table.IndexGSI1, PK: preFunder + funder})
}

// ListOpenProgrammes returns the programmes taking applications on the
// UK day of now, closing soonest first: those not closed yet come from an
// index without a scan, and those not open yet are left out.
func (s *Store) ListOpenProgrammes(ctx context.Context, now time.Time) ([]*grants.Programme, error) {
	today := grants.Today(now)
	ps, err := s.programmes(ctx, table.Query{Index: table.IndexGSI2, PK: pkOpen, Sort: table.SortGreaterEqual, A: today})
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(ps, func(p *grants.Programme) bool { return !p.IsOpen(now) }), nil
}

// programmes reads every programme a query finds.
func (s *Store) programmes(ctx context.Context, q table.Query) ([]*grants.Programme, error) {
	items, err := s.queryAll(ctx, q)
	if err != nil {
		return nil, err
	}
	out := make([]*grants.Programme, 0, len(items))
	for i := range items {
		var p grants.Programme
		if err := decode(&items[i], &p); err != nil {
			return nil, err
		}
		out = append(out, &p)
	}
	return out, nil
}

// readBudget reads the programme's budget item.
func (s *Store) readBudget(ctx context.Context, programme string) (*table.Item, budgetRec, error) {
	var b budgetRec
	it, err := s.get(ctx, progPK(programme), skBudget, "grant programme", &b)
	return it, b, err
}

// Budget returns the programme's budget, awarded, paid and remaining.
func (s *Store) Budget(ctx context.Context, programme string) (grants.Budget, error) {
	if bad(programme) {
		return grants.Budget{}, pathway.NotFound("grant programme")
	}
	_, b, err := s.readBudget(ctx, programme)
	return b.figures(), err
}

// bad reports whether an ID cannot be part of a key (empty, too long or
// holding the keys' separator), so a lookup by it finds nothing.
func bad(id string) bool {
	return id == "" || len(id) > 128 || strings.Contains(id, "#") || !utf8.ValidString(id)
}
