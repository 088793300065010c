package pages

import (
	"context"
	"strconv"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/journey"
)

// boardCard is a pipeline card with the co-op's grant facts.
type boardCard struct {
	journey.Card
	Grant grants.Facts
}

// grantFacts returns the grant facts of co-ops the journey service has
// shown the user already (one query each, so callers pass a page of
// cards), or none when no grants service is configured.
func (h *Handler) grantFacts(ctx context.Context, coops ...string) (map[string]grants.Facts, error) {
	if h.grants == nil || len(coops) == 0 {
		return map[string]grants.Facts{}, nil
	}
	return h.grants.FactsOf(ctx, coops...)
}

// withGrants returns the cards with their co-ops' grant facts.
func (h *Handler) withGrants(ctx context.Context, cards []journey.Card) ([]boardCard, error) {
	ids := make([]string, len(cards))
	for i, c := range cards {
		ids[i] = c.ID
	}
	facts, err := h.grantFacts(ctx, ids...)
	if err != nil {
		return nil, err
	}
	out := make([]boardCard, len(cards))
	for i, c := range cards {
		out[i] = boardCard{Card: c, Grant: facts[c.ID]}
	}
	return out, nil
}

// GrantLine is the card's line about grants, or "" when the co-op has
// sent no application.
func (c boardCard) GrantLine() string { return grantLine(c.Grant) }

// grantLine says a co-op's grant facts in one line: the money once
// anything is awarded, the applications until then, nothing before.
func grantLine(f grants.Facts) string {
	switch {
	case f.Awarded != 0 || f.Paid != 0:
		return "Grant: " + grants.Pounds(f.Awarded) + " awarded, " + grants.Pounds(f.Paid) + " paid"
	case f.Applications > 0:
		return "Grant: " + counted(f.Applications, "application", "applications") + " sent, none awarded yet"
	}
	return ""
}

// coopGrantSummary says a co-op's grant facts for its page, or "" when
// no grants service is configured. The caller has shown the user the
// co-op already.
func (h *Handler) coopGrantSummary(ctx context.Context, coop string) (string, error) {
	if h.grants == nil {
		return "", nil
	}
	facts, err := h.grantFacts(ctx, coop)
	if err != nil {
		return "", err
	}
	return grantSummary(facts[coop]), nil
}

// grantSummary says grant facts in a sentence.
func grantSummary(f grants.Facts) string {
	if f.Applications == 0 {
		return "No grant applications yet."
	}
	s := counted(f.Applications, "application", "applications") + " sent"
	if f.Awards == 0 {
		return s + ", none awarded yet."
	}
	return s + ", " + counted(f.Awards, "award", "awards") + ": " + grants.Pounds(f.Awarded) + " awarded, " + grants.Pounds(f.Paid) + " paid."
}

// counted writes n things.
func counted(n int64, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return strconv.FormatInt(n, 10) + " " + many
}
