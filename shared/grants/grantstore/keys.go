package grantstore

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/tablerec"
)

// The grants phase's part of the one table (shared/store/keys.go has the
// rest). Table reads are strongly consistent; the indexes are eventually
// consistent, so only the lists that may lag a moment read them (a
// funder's programmes, open programmes, applications by status), and
// every read of one's own write reads the table.
//
//	PK                   SK                      record; index keys
//	GRANTPROG#<id>       META                    programme; GSI1 = GRANTFUNDER#<funder> / <id>,
//	                                             GSI2 = GRANTOPEN / <closesOn>#<id> (open ones: SK ≥ today)
//	GRANTPROG#<id>       BUDGET                  the programme's budget, awarded and paid totals; every
//	                                             change is conditional on the version read
//	GRANTPROG#<id>       COMMIT#<app>            an award's commitment (its amount): written once with the
//	                                             award, deleted when the co-op declines
//	GRANTPROG#<id>       PAID#<app>#<tranche>    a tranche paid (its amount): written once with the payment
//	GRANTAPP#<id>        META                    application; GSI1 = GRANTAPPS#<programme>#<status> /
//	                                             <sent, or created for a draft>#<id>
//	GRANTAPP#<id>        EVENT#<ulid>            event of the application's audit trail (as shared/store
//	                                             writes them, so its ListEvents reads them)
//	GRANTAPP#<id>        DECL#<user>             a reviewer's declaration of interests, written once: a
//	                                             conflict excludes the reviewer for good
//	GRANTAPP#<id>        REVIEW#<user>           a reviewer's review, written once
//	GRANTCOOP#<coop>     APP#<id>                a co-op's application (a link, read then followed)
//	GRANTCOOP#<coop>     FACT#<name>             a counter of the co-op's grant facts (grants.Facts:
//	                                             applications, awards, awarded, paid), added to
//	                                             atomically in the transaction of the change it counts
//
// Commitments and payments are items of their own, written only if
// absent, so a retried award or payment finds its first write and never
// counts twice; the budget item's version makes two awards that together
// overspend refuse one.
const (
	skMeta      = "META"
	skBudget    = "BUDGET"
	preProg     = "GRANTPROG#"
	preCommit   = "COMMIT#"
	prePaid     = "PAID#"
	preFunder   = "GRANTFUNDER#"
	pkOpen      = "GRANTOPEN"
	preApp      = "GRANTAPP#"
	preApps     = "GRANTAPPS#"
	preEvent    = "EVENT#"
	preDecl     = "DECL#"
	preReview   = "REVIEW#"
	preCoopApps = "GRANTCOOP#"
	preLink     = "APP#"
	preFact     = "FACT#"
)

// appPK is an application's partition: its subject's, as shared/store's
// subjectPrefixes map grant-application to GRANTAPP#.
func appPK(id string) string { return preApp + id }

// progPK is a programme's partition.
func progPK(id string) string { return preProg + id }

// statusPK is the GSI1 partition of one programme's applications in one status.
func statusPK(programme, status string) string { return preApps + programme + "#" + status }

// sortTime formats t for a sort key, as shared/store's do.
func sortTime(t time.Time, field string) (string, error) { return tablerec.SortTime(t, field) }
