package pages

import (
	"net/http"
	"net/url"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// boardColumn is one stage of a programme's board, with the address of
// the column's own pages when the board shows only some of its co-ops.
type boardColumn struct {
	journey.BoardColumn
	All string
	// Cards are the column's cards with their co-ops' grant facts.
	Cards []boardCard
}

// boardProgramme is one programme's board.
type boardProgramme struct {
	journey.BoardProgramme
	Columns []boardColumn
}

// board shows the pipeline board of the programmes the user's agency runs
// (journey.Board: its reads do not grow with the number of co-ops). The
// service refuses anyone else.
func (h *Handler) board(w http.ResponseWriter, r *http.Request) {
	b, err := h.journey.Board(r.Context(), userFrom(r), "")
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	out := make([]boardProgramme, 0, len(b.Programmes))
	for _, p := range b.Programmes {
		bp := boardProgramme{BoardProgramme: p}
		for _, col := range p.Columns {
			bc := boardColumn{BoardColumn: col}
			if bc.Cards, err = h.withGrants(r.Context(), col.Cards); err != nil {
				h.errorPage(w, r, nil, err)
				return
			}
			if col.More {
				bc.All = columnPath(p.ID, col.Stage, "")
			}
			bp.Columns = append(bp.Columns, bc)
		}
		out = append(out, bp)
	}
	h.render(w, r, http.StatusOK, "board", &page{Title: "Pipeline", Nav: "board", Data: out})
}

// columnPath is the address of one column's own pages.
func columnPath(programme, stage, cursor string) string {
	p := "/board/" + url.PathEscape(programme) + "/" + url.PathEscape(stage)
	if cursor != "" {
		p += "?cursor=" + url.QueryEscape(cursor)
	}
	return p
}

// boardColumn lists one stage of a programme, a page at a time.
func (h *Handler) boardColumn(w http.ResponseWriter, r *http.Request) {
	prog, stage, cursor := r.PathValue("programme"), r.PathValue("stage"), r.URL.Query().Get("cursor")
	col, err := h.journey.Column(r.Context(), userFrom(r), pathway.CoopFilter{Programme: prog, Stage: stage, Cursor: cursor, Limit: pathway.DefaultPageSize})
	if pathway.ErrorCode(err) == pathway.EINVALID {
		// An unknown stage or a damaged cursor: a page that does not exist.
		err = pathway.NotFound("page")
	}
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	cards, err := h.withGrants(r.Context(), col.Cards)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	next := ""
	if col.Next != "" {
		next = columnPath(prog, stage, col.Next)
	}
	first := ""
	if cursor != "" {
		first = columnPath(prog, stage, "")
	}
	h.render(w, r, http.StatusOK, "column", &page{Title: col.StageName + ": " + col.ProgrammeName, Nav: "board", Back: "/board",
		Data: map[string]any{"Column": col, "Cards": cards, "Next": next, "First": first}})
}
