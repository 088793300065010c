package journey

import (
	"context"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// BoardColumnSize is how many co-ops each column of the pipeline board
// shows; a column's own pages (Column) list the rest.
const BoardColumnSize = 5

// Card is a co-op as the pipeline shows it. Everything on it comes from
// the co-op's own record, its summary of open tasks included (the store
// keeps that with every task it opens or closes), so a list of cards costs
// no read per card.
type Card struct {
	ID             string    `json:"id"`
	Name           string    `json:"name"`
	LocalAuthority string    `json:"localAuthority"`
	Stage          string    `json:"stage"`
	StageEnteredAt time.Time `json:"stageEnteredAt"`
	// DaysInStage counts whole days in the current stage.
	DaysInStage int `json:"daysInStage"`
	// OpenTasks counts the co-op's open tasks; NextDue is the earliest
	// due date among them; Overdue reports that it has passed.
	OpenTasks int       `json:"openTasks"`
	NextDue   time.Time `json:"nextDue,omitzero"`
	Overdue   bool      `json:"overdue"`
	// Waiting counts the checklist items waiting for the agency's check.
	Waiting int `json:"waiting,omitempty"`
	// Agency counts the open tasks for the agency; AgencyOverdue
	// reports that the earliest of them is past due.
	Agency        int  `json:"agency,omitempty"`
	AgencyOverdue bool `json:"agencyOverdue,omitempty"`
}

// card makes the card of a co-op at now.
func card(c *pathway.Coop, now time.Time) Card {
	return Card{
		ID: c.ID, Name: c.Name, LocalAuthority: c.LocalAuthority, Stage: c.Stage, StageEnteredAt: c.StageEnteredAt,
		DaysInStage: pathway.DaysSince(c.StageEnteredAt, now), OpenTasks: c.Tasks.Open, NextDue: c.Tasks.NextDue,
		Overdue: c.Tasks.Overdue(now), Waiting: c.Tasks.Waiting, Agency: c.Tasks.Agency, AgencyOverdue: c.Tasks.AgencyOverdue(now),
	}
}

// cards makes the cards of co-ops at now.
func cards(coops []*pathway.Coop, now time.Time) []Card {
	out := make([]Card, 0, len(coops))
	for _, c := range coops {
		out = append(out, card(c, now))
	}
	return out
}

// BoardColumn is one stage of a programme's pipeline.
type BoardColumn struct {
	Stage string `json:"stage"`
	// Name says the stage in words.
	Name string `json:"name"`
	// Count is how many of the programme's co-ops are in the stage.
	Count int `json:"count"`
	// Cards are the first BoardColumnSize of them, newest stage entry first.
	Cards []Card `json:"cards"`
	// More reports that the column holds more co-ops than its cards.
	More bool `json:"more"`
	// Agency says how many of the column's co-ops wait on the agency,
	// how many of those are overdue, and the next due date.
	Agency pathway.AgencyQueue `json:"agency"`
}

// BoardProgramme is one programme's pipeline.
type BoardProgramme struct {
	ID   string `json:"id"`
	Name string `json:"name"`
	// Total counts the programme's co-ops in every stage.
	Total   int           `json:"total"`
	Columns []BoardColumn `json:"columns"`
}

// Board is the pipeline board of an agency: the programmes it runs.
type Board struct {
	Programmes []BoardProgramme `json:"programmes"`
}

// Board returns the pipeline board of the programmes the user's agency
// runs, or of the one programme named (which it must run). Each programme
// has a column per stage, in journey order: the stages the stage table
// marks for the board always, the others only when a co-op is in them.
// A column has the stage's count and its first BoardColumnSize co-ops as
// cards.
//
// Its reads do not grow with the co-ops: the programme list (or the one
// programme), then for each programme one read of its stage counters and
// one page of the pipeline index and one bounded query of its agency
// queue (store.AgencyQueue) for each column that has co-ops; nothing per
// card.
func (s *Service) Board(ctx context.Context, u *pathway.User, programme string) (*Board, error) {
	if err := agencyStaff(u); err != nil {
		return nil, err
	}
	var ps []*pathway.Programme
	if programme != "" {
		p, err := s.agencyProgramme(ctx, u, programme)
		if err != nil {
			return nil, err
		}
		ps = []*pathway.Programme{p}
	} else {
		all, err := s.store.ListProgrammes(ctx)
		if err != nil {
			return nil, err
		}
		for _, p := range all {
			if p.Agency == u.Organisation {
				ps = append(ps, p)
			}
		}
	}
	b := &Board{Programmes: make([]BoardProgramme, 0, len(ps))}
	for _, p := range ps {
		bp, err := s.boardOf(ctx, p)
		if err != nil {
			return nil, err
		}
		b.Programmes = append(b.Programmes, *bp)
	}
	return b, nil
}

// boardOf builds one programme's board.
func (s *Service) boardOf(ctx context.Context, p *pathway.Programme) (*BoardProgramme, error) {
	counts, err := s.store.CountStages(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	bp := &BoardProgramme{ID: p.ID, Name: p.Name, Columns: []BoardColumn{}}
	now := s.now()
	for _, stage := range pathway.Stages {
		n, st := counts[stage], pathway.StageOf(stage)
		bp.Total += n
		if n == 0 && !st.Board {
			continue
		}
		col := BoardColumn{Stage: stage, Name: st.Name, Count: n, Cards: []Card{}}
		if n > 0 {
			page, err := s.store.ListCoops(ctx, pathway.CoopFilter{Programme: p.ID, Stage: stage, Limit: BoardColumnSize})
			if err != nil {
				return nil, err
			}
			col.Cards = cards(page.Coops, now)
			col.More = n > len(col.Cards)
			if col.Agency, err = s.store.AgencyQueue(ctx, p.ID, stage, now); err != nil {
				return nil, err
			}
		}
		bp.Columns = append(bp.Columns, col)
	}
	return bp, nil
}

// ColumnPage is one page of a column of the pipeline: a programme's
// co-ops in one stage, newest stage entry first.
type ColumnPage struct {
	Programme     string `json:"programme"`
	ProgrammeName string `json:"programmeName"`
	Stage         string `json:"stage"`
	StageName     string `json:"stageName"`
	Cards         []Card `json:"cards"`
	// Next is the cursor of the following page, or "" on the last.
	Next string `json:"next,omitempty"`
}

// Column returns a page of one column of the pipeline as cards. As for
// the pipeline, only staff of the agency that runs the programme may see
// it; but a column is an address people follow, so another agency's
// programme reads as not found, exactly like a missing one.
func (s *Service) Column(ctx context.Context, u *pathway.User, f pathway.CoopFilter) (*ColumnPage, error) {
	p, page, err := s.pipeline(ctx, u, f)
	if pathway.ErrorCode(err) == pathway.EFORBIDDEN && u.Role == pathway.RoleAgency {
		return nil, pathway.NotFound("programme")
	} else if err != nil {
		return nil, err
	}
	return &ColumnPage{Programme: p.ID, ProgrammeName: p.Name, Stage: f.Stage, StageName: pathway.StageName(f.Stage),
		Cards: cards(page.Coops, s.now()), Next: page.Next}, nil
}

// Pipeline returns a page of one programme's co-ops in one stage, newest
// stage entry first. Only staff of the agency that runs the programme may
// see it.
func (s *Service) Pipeline(ctx context.Context, u *pathway.User, f pathway.CoopFilter) (*pathway.CoopPage, error) {
	_, page, err := s.pipeline(ctx, u, f)
	return page, err
}

// pipeline checks the filter (pathway.CheckCoopFilter, the one rule the
// store applies too) and the user's right to the programme, and reads the
// page.
func (s *Service) pipeline(ctx context.Context, u *pathway.User, f pathway.CoopFilter) (*pathway.Programme, *pathway.CoopPage, error) {
	if err := agencyStaff(u); err != nil {
		return nil, nil, err
	}
	limit, err := pathway.CheckCoopFilter(f)
	if err != nil {
		return nil, nil, err
	}
	p, err := s.agencyProgramme(ctx, u, f.Programme)
	if err != nil {
		return nil, nil, err
	}
	f.Limit = limit
	page, err := s.store.ListCoops(ctx, f)
	return p, page, err
}

// agencyStaff refuses anyone but development agency staff.
func agencyStaff(u *pathway.User) error {
	if u == nil || u.Role != pathway.RoleAgency {
		return pathway.Errorf(pathway.EFORBIDDEN, "Only development agency staff can see a programme's pipeline.")
	}
	return nil
}

// agencyProgramme returns a programme the user's agency runs: a missing
// one is ENOTFOUND, another agency's EFORBIDDEN.
func (s *Service) agencyProgramme(ctx context.Context, u *pathway.User, id string) (*pathway.Programme, error) {
	p, err := s.store.GetProgramme(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, pathway.NotFound("programme")
	} else if err != nil {
		return nil, err
	}
	if p.Agency != u.Organisation {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "You can see the pipeline only of programmes your organisation runs.")
	}
	return p, nil
}
