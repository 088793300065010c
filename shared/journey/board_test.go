package journey_test

import (
	"context"
	"fmt"
	"maps"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// readCounter counts the store's reads by kind.
type readCounter struct {
	pathway.Store
	mu    sync.Mutex
	reads map[string]int
}

func (r *readCounter) count(kind string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.reads[kind]++
}

func (r *readCounter) snapshot() map[string]int {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := maps.Clone(r.reads)
	clear(r.reads)
	return out
}

func (r *readCounter) GetCoop(ctx context.Context, id string) (*pathway.Coop, error) {
	r.count("GetCoop")
	return r.Store.GetCoop(ctx, id)
}

func (r *readCounter) ListTasks(ctx context.Context, f pathway.TaskFilter) ([]*pathway.Task, error) {
	r.count("ListTasks")
	return r.Store.ListTasks(ctx, f)
}

func (r *readCounter) ListCoops(ctx context.Context, f pathway.CoopFilter) (*pathway.CoopPage, error) {
	r.count("ListCoops")
	return r.Store.ListCoops(ctx, f)
}

func (r *readCounter) CountStages(ctx context.Context, p string) (map[string]int, error) {
	r.count("CountStages")
	return r.Store.CountStages(ctx, p)
}

func (r *readCounter) AgencyQueue(ctx context.Context, p, stage string, now time.Time) (pathway.AgencyQueue, error) {
	r.count("AgencyQueue")
	return r.Store.AgencyQueue(ctx, p, stage, now)
}

func (r *readCounter) ListProgrammes(ctx context.Context) ([]*pathway.Programme, error) {
	r.count("ListProgrammes")
	return r.Store.ListProgrammes(ctx)
}

func (r *readCounter) GetProgramme(ctx context.Context, id string) (*pathway.Programme, error) {
	r.count("GetProgramme")
	return r.Store.GetProgramme(ctx, id)
}

// TestBoardReadsDoNotGrowWithCoops: the board is one service query whose
// reads are the programme list, the stage counters and one page per
// column with co-ops, however many co-ops and open tasks there are: no
// read per card. The cards still say which co-ops have an overdue task.
func TestBoardReadsDoNotGrowWithCoops(t *testing.T) {
	rc := &readCounter{Store: testkit.Store(t), reads: map[string]int{}}
	s := newService(t, rc)
	stages := []string{pathway.StageAwaitingPanel, pathway.StageCQCPreparing, pathway.StageCQCSubmitted}
	add := func(from, to int) {
		for i := from; i < to; i++ {
			c := s.coop(fmt.Sprintf("coop-%03d", i), stages[i%len(stages)])
			due := s.now.AddDate(0, 0, 7)
			if i%2 == 0 {
				due = s.now.AddDate(0, 0, -1) // overdue
			}
			s.task(c.ID, c.ID+".task", pathway.TaskPanelDecision, pathway.RoleAgency, agency, "tok-"+c.ID, due)
		}
	}
	board := func() (*journey.Board, map[string]int) {
		rc.snapshot()
		b, err := s.svc.Board(s.ctx, staff(1), "")
		s.must(err)
		return b, rc.snapshot()
	}
	add(0, 3)
	_, few := board()
	add(3, 60)
	b, many := board()
	want := map[string]int{"ListProgrammes": 1, "CountStages": 1, "ListCoops": len(stages), "AgencyQueue": len(stages)}
	if !maps.Equal(few, want) || !maps.Equal(many, want) {
		t.Errorf("reads with 3 co-ops %v, with 60 %v; want %v each", few, many, want)
	}
	if len(b.Programmes) != 1 {
		t.Fatalf("programmes %+v", b.Programmes)
	}
	p := b.Programmes[0]
	if p.Total != 60 {
		t.Errorf("total %d, want 60", p.Total)
	}
	for _, col := range p.Columns {
		st := pathway.StageOf(col.Stage)
		if col.Count == 0 && !st.Board {
			t.Errorf("empty column %s shown", col.Stage)
		}
		// Every co-op waits on the agency (its panel decision), every
		// other one overdue: coop-000 is in the first column, and so on.
		overdue := 0
		for i := range 60 {
			if stages[i%len(stages)] == col.Stage && i%2 == 0 {
				overdue++
			}
		}
		if q := col.Agency; col.Count > 0 && (q.Waiting != col.Count || q.Overdue != overdue || !q.NextDue.Equal(s.now.AddDate(0, 0, -1))) {
			t.Errorf("column %s: agency queue %+v, want %d waiting, %d overdue, next due %v", col.Stage, q, col.Count, overdue, s.now.AddDate(0, 0, -1))
		}
		if col.Count > 0 && (len(col.Cards) != journey.BoardColumnSize || !col.More || col.Name != st.Name) {
			t.Errorf("column %s: %d cards of %d, more %v, name %q", col.Stage, len(col.Cards), col.Count, col.More, col.Name)
		}
		for _, c := range col.Cards {
			var i int
			fmt.Sscanf(c.ID, "coop-%d", &i)
			if c.OpenTasks != 1 || c.Overdue != (i%2 == 0) || c.DaysInStage != 3 {
				t.Errorf("card %+v: want one open task, overdue %v, 3 days in stage", c, i%2 == 0)
			}
		}
	}
	// A column's own pages are cards too, without a read per card.
	rc.snapshot()
	col, err := s.svc.Column(s.ctx, staff(1), pathway.CoopFilter{Programme: programme, Stage: pathway.StageCQCPreparing})
	s.must(err)
	if reads := rc.snapshot(); !maps.Equal(reads, map[string]int{"GetProgramme": 1, "ListCoops": 1}) || len(col.Cards) != 20 {
		t.Errorf("column: %d cards, reads %v", len(col.Cards), reads)
	}
}

// TestBoardAccess: only agency staff see a board, only of their own
// programmes; a column of another agency's programme reads as not found.
func TestBoardAccess(t *testing.T) {
	s := newService(t, testkit.Store(t))
	s.must(s.store.PutProgramme(s.ctx, &pathway.Programme{ID: "prog-other", Name: "Other", Agency: "org-other",
		Pathway: pathway.PathwayStartUp, PanelDays: 7, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	for _, u := range []*pathway.User{founder, {ID: "u-fund", Role: pathway.RoleFunder, Organisation: "org-fund"}, nil} {
		if _, err := s.svc.Board(s.ctx, u, ""); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
			t.Errorf("Board as %+v = %v, want EFORBIDDEN", u, err)
		}
	}
	if _, err := s.svc.Board(s.ctx, staff(1), "prog-other"); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
		t.Errorf("another agency's board = %v, want EFORBIDDEN", err)
	}
	b, err := s.svc.Board(s.ctx, staff(1), "")
	if err != nil || len(b.Programmes) != 1 || b.Programmes[0].ID != programme {
		t.Errorf("own board = %+v, %v", b, err)
	}
	f := pathway.CoopFilter{Programme: "prog-other", Stage: pathway.StageApplied}
	if _, err := s.svc.Column(s.ctx, staff(1), f); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("another agency's column = %v, want ENOTFOUND", err)
	}
	if _, err := s.svc.Pipeline(s.ctx, staff(1), f); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
		t.Errorf("another agency's pipeline = %v, want EFORBIDDEN", err)
	}
	if _, err := s.svc.Column(s.ctx, founder, f); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
		t.Errorf("a founder's column = %v, want EFORBIDDEN", err)
	}
	bad := pathway.CoopFilter{Programme: programme, Stage: "dreaming", Limit: -1}
	fields := pathway.ErrorFields(func() error { _, err := s.svc.Pipeline(s.ctx, staff(1), bad); return err }())
	if fields["stage"] == "" || fields["limit"] == "" {
		t.Errorf("a bad filter names %v, want stage and limit", fields)
	}
}
