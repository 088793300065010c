package web

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/journey"
)

// The pipeline board's JSON with each card's grant facts added as
// "grants": every field of journey.Board as it was, and the facts beside
// each card's (one query per card shown, at most journey.BoardColumnSize
// a column).

type boardWithGrants struct {
	Programmes []boardProgrammeWithGrants `json:"programmes"`
}

type boardProgrammeWithGrants struct {
	journey.BoardProgramme
	Columns []boardColumnWithGrants `json:"columns"`
}

type boardColumnWithGrants struct {
	journey.BoardColumn
	Cards []cardWithGrants `json:"cards"`
}

type cardWithGrants struct {
	journey.Card
	Grants grants.Facts `json:"grants"`
}

// boardGrants adds the cards' grant facts to the board, which the
// journey service has shown the caller already; without a grants service
// the board is as it was.
func (s *server) boardGrants(ctx context.Context, b *journey.Board) (any, error) {
	if s.grants == nil {
		return b, nil
	}
	out := &boardWithGrants{Programmes: make([]boardProgrammeWithGrants, 0, len(b.Programmes))}
	for _, p := range b.Programmes {
		bp := boardProgrammeWithGrants{BoardProgramme: p, Columns: make([]boardColumnWithGrants, 0, len(p.Columns))}
		for _, col := range p.Columns {
			ids := make([]string, len(col.Cards))
			for i, c := range col.Cards {
				ids[i] = c.ID
			}
			facts, err := s.grants.FactsOf(ctx, ids...)
			if err != nil {
				return nil, err
			}
			bc := boardColumnWithGrants{BoardColumn: col, Cards: make([]cardWithGrants, len(col.Cards))}
			for i, c := range col.Cards {
				bc.Cards[i] = cardWithGrants{Card: c, Grants: facts[c.ID]}
			}
			bp.Columns = append(bp.Columns, bc)
		}
		out.Programmes = append(out.Programmes, bp)
	}
	return out, nil
}
