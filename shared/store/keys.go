package store

import (
	"strings"
	"time"
	"unicode/utf8"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tablerec"
)

// The one table's layout: every access pattern of the application, in one
// place. Table reads are strongly consistent; the two global secondary
// indexes are eventually consistent, so only lists that may lag a moment
// (the pipeline, inboxes) read them, and every read of one's own writes
// (a subject's open tasks, a founder's co-ops, counters) reads the table.
//
//	PK                   SK                  record; index keys
//	COOP#<id>            META                co-op, with a summary of its open tasks that every task
//	                                         write keeps in its own transaction (so a pipeline page
//	                                         needs no read per co-op); GSI1 = PIPE#<programme>#<stage> / <entered>#<id>
//	                                         and, while an agency task is open, GSI2 =
//	                                         AGENCYDUE#<programme>#<stage> / <agency next due>#<id>
//	COOP#<id>            ITEM#<item>         checklist item
//	<subject>            EVENT#<ulid>        event of the subject's audit trail
//	<subject>            TASK#<id>           open task of the subject (a copy, deleted when it closes)
//	TASK#<id>            META                task, with its co-op's name (set by PutTask, rewritten by a
//	                                         rename, so an inbox page needs no read per task); while open
//	                                         GSI1 = INBOX#<org>#<role> / <due>#<id> and, when it is one
//	                                         user's, GSI2 = USERTASKS#<user> / <due>#<id>
//	MEMBER#<user>        COOP#<id>           a founder's co-op
//	COUNT#<programme>    STAGE#<stage>       how many co-ops of the programme are in the stage (Count)
//	ORG#<id>             META                organisation
//	PROGRAMME            PROGRAMME#<id>      programme (one partition: listed whole, in ID order)
//	USER                 USER#<id>           user (likewise)
//	IDEMPOTENCY#<key>    META                remembered response
//	OUTBOX               <ulid>              delivery not sent yet (the never-lost mechanism)
//	MAILBOX              <ulid>[.<hash>]     mail delivery not sent yet: a notice, or one person's
//	                                         mail (its notice's ID and a hash of the person);
//	                                         one held for a daily summary gets a ULID of that time
//	REVOKED#<token id>   META                a signed-out session, until its token expires
//	EMAIL#<email>        META                the ID of the user with the email (lower case); written
//	                                         with the user, if absent, so an email names one user
//	DRAFT#<user>         APPLICATION         the user's part-filled application (version-conditional)
//	DRAFT#<user>         DRAFT#grant-application:<programme>:<coop>  the user's part-filled grant application (version-conditional)
//	COOP#<id>            FILE#<item>#<file>  evidence file of a checklist item (its record, listed by item)
//	FILE#<file>          META                evidence file, by ID (for a download); <file> is the ULID in its storage key
//	GRANT…               …                   the grants phase's records: see shared/grants/grantstore/keys.go
//	TENDER#<id>          META, BID#…, …      the tenders phase's tender, its bids' links and questions: see
//	                                         shared/tenders/tenderstore/keys.go (GSI1 TENDERCOUNCIL#…, GSI2 TENDERSTATUS#…)
//	BID#<id>             META, EVAL#…, …     the tenders phase's bid, evaluations and summary (likewise)
//	TENDERCOOP#<coop>    BID#<id>            a co-op's bid (likewise)
//	OUTBOX#INSIGHT       <event id>.i<hash>  a refresh of a subject's share of the dashboards' aggregates,
//	                                         written with each event (insight.go); WithRefresh's: a ULID
//	INSIGHT…             …                   the aggregates' facts and cells: see shared/insight/project
//	COST#<coop>          MONTH#<YYYY-MM>     what the co-op's journey used in the month (Counts): see shared/cost/ledger
//	COSTAGENCY#<agency>  MONTH#<YYYY-MM>     the same summed over the agency's co-ops
//	INSIGHT#BACKFILL     DONE                the insight backfill's version, written when a run completed: see shared/insight/backfill
//
// <subject> is the subject's kind prefix and ID: COOP#<id>, GRANTAPP#<id>,
// TENDER#<id>, BID#<id>. Programmes and users share a partition per kind
// because they are listed whole: one consistent Query instead of a Scan.
// The outbox is one partition because the deliverer reads it whole and it
// stays small (a delivery lives for a moment); DynamoDB serves a partition
// at up to 1,000 writes a second, far above what answers and mails need.
const (
	skMeta      = "META"
	preCoop     = "COOP#"
	preEvent    = "EVENT#"
	preItem     = "ITEM#"
	preTask     = "TASK#"
	preMember   = "MEMBER#"
	prePipe     = "PIPE#"
	preInbox    = "INBOX#"
	preUserTask = "USERTASKS#"
	preCount    = "COUNT#"
	preStage    = "STAGE#"
	preOrg      = "ORG#"
	pkProgramme = "PROGRAMME"
	preProg     = "PROGRAMME#"
	pkUser      = "USER"
	preUser     = "USER#"
	preIdem     = "IDEMPOTENCY#"
	pkOutbox    = "OUTBOX"
	preRevoked  = "REVOKED#"
)

// Keys of co-founders and drafts (founders.go, drafts.go).
const (
	preEmail      = "EMAIL#"
	preDraft      = "DRAFT#"
	skApplication = "APPLICATION"
)

// subjectPrefixes maps a subject's kind to its partition prefix.
var subjectPrefixes = map[string]string{
	pathway.SubjectCoop: preCoop,
	"grant-application": "GRANTAPP#",
	"tender":            "TENDER#",
	"bid":               "BID#",
}

// subjectPK is the partition of a subject's events and open tasks.
func subjectPK(s pathway.Subject) (string, error) {
	pre, ok := subjectPrefixes[s.Kind]
	if !ok || s.ID == "" {
		return "", pathway.Invalid(map[string]string{"subject": "Must be a known kind of subject with an ID"})
	}
	return pre + s.ID, nil
}

// coopPK is a co-op's partition.
func coopPK(id string) string { return preCoop + id }

// pipelinePK is the GSI1 partition of one pipeline column.
func pipelinePK(programme, stage string) string { return prePipe + programme + "#" + stage }

// inboxPK is the GSI1 partition of one organisation's inbox for a role.
func inboxPK(org, role string) string { return preInbox + org + "#" + role }

// sortTimeLayout is the layout of times in sort keys (tablerec.SortTimeLayout).
const sortTimeLayout = tablerec.SortTimeLayout

// sortTime formats t for a sort key, refusing years outside 0–9999.
func sortTime(t time.Time, field string) (string, error) { return tablerec.SortTime(t, field) }

// maxKeyPart bounds an identifier used in a key, well inside the table's
// 1,024-byte sort keys and 2,048-byte partition keys.
const maxKeyPart = 512

// checkPart refuses an identifier too long to be part of a key.
func checkPart(field, v string) error {
	if len(v) > maxKeyPart {
		return pathway.Invalid(map[string]string{field: "Must be 512 characters or fewer"})
	}
	return nil
}

// tooLong reports whether any identifier cannot be part of a key: too long,
// or not UTF-8 (the table refuses both). A lookup by such an identifier
// cannot find anything, so it reads as not found, like any unknown ID.
func tooLong(ids ...string) bool {
	for _, id := range ids {
		if len(id) > maxKeyPart || !utf8.ValidString(id) {
			return true
		}
	}
	return false
}

// idAfter returns what follows the last "#" of a sort key.
func idAfter(sk string) string {
	return sk[strings.LastIndexByte(sk, '#')+1:]
}
