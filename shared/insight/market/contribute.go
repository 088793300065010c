package market

import (
	"encoding/json"
	"fmt"

	"github.com/coopcarepathway/pathway/shared/insight"
)

// The council's cells (scope: the council's organisation ID) and their
// counters. The dashboard reads them all in one call.
//
//	cell key       counters
//	*              tenders, value, bids, bids:coop, bids:vcse, bids:other,
//	               contracts, contracted, contracted:coop-mutual,
//	               status:<status> (one per status)
//	s=<status>     the same as *, for the tenders in that status
//	standstill     <YYYY-MM-DD>: tenders in standstill whose last day it is
//	uk7            <YYYY-MM-DD>: contract details notices (UK7) due that day
//
// Bids by kind count only the tenders whose bids are unsealed (past
// open): a sealed tender adds its bids to "bids" alone, so no figure
// tells who bid before the deadline.
const (
	KeyAll        = insight.Wildcard
	KeyStandstill = "standstill"
	KeyUK7        = "uk7"

	CountTenders        = "tenders"
	CountValue          = "value"
	CountBids           = "bids"
	CountBidsCoop       = "bids:coop"
	CountBidsVCSE       = "bids:vcse"
	CountBidsOther      = "bids:other"
	CountContracts      = "contracts"
	CountContracted     = "contracted"
	CountToCoopsMutuals = "contracted:coop-mutual"
	prefixStatus        = "status:"
)

// StatusKey is the cell key of the tenders in a status.
func StatusKey(status string) string { return "s=" + status }

// StatusCount is the counter of the tenders in a status in the * cell.
func StatusCount(status string) string { return prefixStatus + status }

// Contribute derives the tender's contribution from its facts: a pure
// function of them, as the projector needs.
func (s *Source) Contribute(facts json.RawMessage) (insight.Contribution, error) {
	return Contribute(facts)
}

// Contribute is Source.Contribute, which needs no reads.
func Contribute(facts json.RawMessage) (insight.Contribution, error) {
	c := insight.Contribution{}
	if len(facts) == 0 || string(facts) == "null" {
		return c, nil
	}
	var f Facts
	if err := json.Unmarshal(facts, &f); err != nil {
		return nil, fmt.Errorf("market: tender facts: %w", err)
	}
	if f.Council == "" {
		return c, nil
	}
	all := insight.Cell{Scope: f.Council, Key: KeyAll}
	cells := []insight.Cell{all, {Scope: f.Council, Key: StatusKey(f.Status)}}
	c.AddAll(cells, CountTenders, 1)
	c.AddAll(cells, CountValue, f.Value)
	c.AddAll(cells, CountBids, int64(f.Bids))
	if !f.Sealed() {
		c.AddAll(cells, CountBidsCoop, int64(f.Coops))
		c.AddAll(cells, CountBidsVCSE, int64(f.VCSE))
		c.AddAll(cells, CountBidsOther, int64(f.Others))
	}
	if f.Contracted > 0 {
		c.AddAll(cells, CountContracts, 1)
		c.AddAll(cells, CountContracted, f.Contracted)
		c.AddAll(cells, CountToCoopsMutuals, f.ToCoopsMutuals)
	}
	c.Add(all, StatusCount(f.Status), 1)
	if f.StandstillLastDay != "" {
		c.Add(insight.Cell{Scope: f.Council, Key: KeyStandstill}, f.StandstillLastDay, 1)
	}
	if f.UK7Due != "" {
		c.Add(insight.Cell{Scope: f.Council, Key: KeyUK7}, f.UK7Due, 1)
	}
	return c, nil
}

// Index lists the council's tenders by their deadline for bids, for the
// "bids per tender" table: GSI1 INSIGHTTENDERS#<council> /
// <tendersCloseAt>#<id>. Drafts are listed too (the council sees them).
func (s *Source) Index(facts json.RawMessage) insight.Index {
	var f Facts
	if err := json.Unmarshal(facts, &f); err != nil || f.Council == "" {
		return insight.Index{}
	}
	return insight.Index{GSI1PK: IndexPK(f.Council), GSI1SK: f.TendersCloseAt.UTC().Format("2006-01-02T15:04:05Z") + "#" + f.Tender}
}

// IndexPK is the index partition of a council's tenders' facts.
func IndexPK(council string) string { return "INSIGHTTENDERS#" + council }
