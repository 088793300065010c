package tenderstore

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coopcarepathway/pathway/shared/tablerec"
)

// The tenders phase's part of the one table (shared/store/keys.go has the
// rest). Table reads are strongly consistent; the indexes are eventually
// consistent, so only the lists that may lag a moment read them (a
// council's tenders, tenders by status), and every list a step or a
// bidder must see whole at once (a tender's bids, its questions, a
// co-op's bids, a bid's evaluations) reads the table.
//
//	PK                   SK                  record; index keys
//	TENDER#<id>          META                tender; GSI1 = TENDERCOUNCIL#<council> / <created>#<id>,
//	                                         GSI2 = TENDERSTATUS#<status> / <tendersCloseAt>#<id>
//	TENDER#<id>          EVENT#<ulid>        event of the tender's audit trail (as shared/store writes
//	                                         them, so its ListEvents reads them; its open tasks likewise)
//	TENDER#<id>          BID#<bid>           a bid for the tender (a link, read then followed)
//	TENDER#<id>          COOPBID#<coop>      the co-op's live bid for the tender (its ID): written with
//	                                         the bid if absent, deleted when it is withdrawn, so a co-op
//	                                         has one bid in at a time
//	TENDER#<id>          QUESTION#<id>       a clarification question and its answer
//	BID#<id>             META                bid (sealed: the service decides who reads it)
//	BID#<id>             EVENT#<ulid>        event of the bid's audit trail
//	BID#<id>             EVAL#<user>         an evaluator's evaluation: the declaration of interests
//	                                         first (a conflict excludes the evaluator for good), then
//	                                         the scores, written once
//	BID#<id>             SUMMARY             the bid's assessment summary (s.50), written once
//	TENDERCOOP#<coop>    BID#<bid>           a co-op's bid (a link, read then followed)
//
// Tender.Bids counts the bids in: a bid is created, and withdrawn, in one
// transaction with the tender's item conditional on the version read, so
// concurrent bids never lose a count, and a bid never lands on a tender
// that closed meanwhile.
const (
	skMeta       = "META"
	skSummary    = "SUMMARY"
	preTender    = "TENDER#"
	preBid       = "BID#"
	preCoopBid   = "COOPBID#"
	preQuestion  = "QUESTION#"
	preEval      = "EVAL#"
	preCouncil   = "TENDERCOUNCIL#"
	preStatus    = "TENDERSTATUS#"
	preCoopBids  = "TENDERCOOP#"
	maxKeyIDSize = 128
)

// tenderPK is a tender's partition: its subject's, as shared/store's
// subjectPrefixes map tender to TENDER#.
func tenderPK(id string) string { return preTender + id }

// bidPK is a bid's partition: its subject's (bid to BID#).
func bidPK(id string) string { return preBid + id }

// sortTime formats t for a sort key, as shared/store's do.
func sortTime(t time.Time, field string) (string, error) { return tablerec.SortTime(t, field) }

// bad reports whether an ID cannot be part of a key (empty, too long or
// holding the keys' separator), so a lookup by it finds nothing.
func bad(id string) bool {
	return id == "" || len(id) > maxKeyIDSize || strings.Contains(id, "#") || !utf8.ValidString(id)
}
