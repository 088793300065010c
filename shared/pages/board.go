package pages

import (
	"context"
	"net/http"
	"net/url"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// boardCard is one co-op on the pipeline board.
type boardCard struct {
	ID, Name, LocalAuthority string
	// Days counts whole days in the current stage.
	Days int
	// Overdue reports that one of the co-op's open tasks is past its due date.
	Overdue bool
}

// boardColumn is one stage of a programme's pipeline.
type boardColumn struct {
	Stage, Name string
	Count       int
	Cards       []boardCard
	// All is the column's own page when the board shows only some cards.
	All string
}

// boardProgramme is one programme's board.
type boardProgramme struct {
	ID, Name string
	Total    int
	Columns  []boardColumn
}

// mainStages are shown on the board even when empty; the ends only when a
// co-op has reached them.
var mainStages = map[string]bool{
	pathway.StageApplied: true, pathway.StageAwaitingPanel: true, pathway.StageCQCPreparing: true,
	pathway.StageCQCReady: true, pathway.StageCQCSubmitted: true, pathway.StageCQCRegistered: true,
}

// agencyOnly answers a user who is not agency staff and reports whether it did.
func (h *Handler) agencyOnly(w http.ResponseWriter, r *http.Request) bool {
	return h.refuseUnless(w, r, pathway.RoleAgency, "Only development agency staff can see a programme's pipeline.")
}

// board shows, for each programme the user's agency runs, a column per
// stage with its count (one read of the stage counts) and the first few
// co-ops of each (one page of the pipeline index): its cost does not grow
// with the number of co-ops.
func (h *Handler) board(w http.ResponseWriter, r *http.Request) {
	if h.agencyOnly(w, r) {
		return
	}
	ctx, u := r.Context(), userFrom(r)
	ps, err := h.store.ListProgrammes(ctx)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	var out []boardProgramme
	for _, p := range ps {
		if p.Agency != u.Organisation {
			continue
		}
		bp, err := h.boardOf(ctx, p)
		if err != nil {
			h.errorPage(w, r, nil, err)
			return
		}
		out = append(out, *bp)
	}
	h.render(w, r, http.StatusOK, "board", &page{Title: "Pipeline", Nav: "board", Data: out})
}

// boardOf builds one programme's board.
func (h *Handler) boardOf(ctx context.Context, p *pathway.Programme) (*boardProgramme, error) {
	counts, err := h.store.CountStages(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	bp := &boardProgramme{ID: p.ID, Name: p.Name}
	now := h.now()
	for _, stage := range pathway.Stages {
		n := counts[stage]
		bp.Total += n
		if n == 0 && !mainStages[stage] {
			continue
		}
		col := boardColumn{Stage: stage, Name: stageName(stage), Count: n}
		if n > 0 {
			pp, err := h.store.ListCoops(ctx, pathway.CoopFilter{Programme: p.ID, Stage: stage, Limit: BoardColumnSize})
			if err != nil {
				return nil, err
			}
			if col.Cards, err = h.cards(ctx, pp.Coops, now); err != nil {
				return nil, err
			}
			if n > len(col.Cards) {
				col.All = columnPath(p.ID, stage, "")
			}
		}
		bp.Columns = append(bp.Columns, col)
	}
	return bp, nil
}

// columnPath is the address of one column's own pages.
func columnPath(programme, stage, cursor string) string {
	p := "/board/" + url.PathEscape(programme) + "/" + url.PathEscape(stage)
	if cursor != "" {
		p += "?cursor=" + url.QueryEscape(cursor)
	}
	return p
}

// cards turns co-ops into cards, marking those with an open task past due.
func (h *Handler) cards(ctx context.Context, coops []*pathway.Coop, now time.Time) ([]boardCard, error) {
	out := make([]boardCard, 0, len(coops))
	for _, c := range coops {
		ts, err := h.store.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID})
		if err != nil {
			return nil, err
		}
		card := boardCard{ID: c.ID, Name: c.Name, LocalAuthority: c.LocalAuthority, Days: daysSince(c.StageEnteredAt, now)}
		for _, t := range ts {
			if t.IsOverdue(now) {
				card.Overdue = true
				break
			}
		}
		out = append(out, card)
	}
	return out, nil
}

// boardColumn lists one stage of a programme, a page at a time.
func (h *Handler) boardColumn(w http.ResponseWriter, r *http.Request) {
	if h.agencyOnly(w, r) {
		return
	}
	ctx, u := r.Context(), userFrom(r)
	prog, stage, cursor := r.PathValue("programme"), r.PathValue("stage"), r.URL.Query().Get("cursor")
	pp, err := h.journey.Pipeline(ctx, u, pathway.CoopFilter{Programme: prog, Stage: stage, Cursor: cursor, Limit: pathway.DefaultPageSize})
	switch pathway.ErrorCode(err) {
	case "":
	case pathway.EINVALID, pathway.EFORBIDDEN:
		// An unknown stage, a damaged cursor or another agency's
		// programme: to this user, a page that does not exist.
		h.NotFound(w, r)
		return
	default:
		h.errorPage(w, r, nil, err)
		return
	}
	p, err := h.store.GetProgramme(ctx, prog)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	cards, err := h.cards(ctx, pp.Coops, h.now())
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	next := ""
	if pp.Next != "" {
		next = columnPath(prog, stage, pp.Next)
	}
	first := ""
	if cursor != "" {
		first = columnPath(prog, stage, "")
	}
	h.render(w, r, http.StatusOK, "column", &page{Title: stageName(stage) + ": " + p.Name, Nav: "board", Back: "/board",
		Data: map[string]any{"Programme": p, "Stage": stage, "Cards": cards, "Next": next, "First": first}})
}
