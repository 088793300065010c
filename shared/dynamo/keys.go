package dynamo

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The table's key attributes, as template.yaml defines them.
const (
	attrPK     = "PK"
	attrSK     = "SK"
	attrGSI1PK = "GSI1PK"
	attrGSI1SK = "GSI1SK"
	attrGSI2PK = "GSI2PK"
	attrGSI2SK = "GSI2SK"
	indexGSI1  = "GSI1"
	indexGSI2  = "GSI2"
)

// Sort keys and key prefixes of the single-table layout:
//
//	COOP#<id>          META                co-op; GSI1 = PIPE#<programme>#<stage> / <entered>#<id>
//	COOP#<id>          EVENT#<ulid>        event
//	COOP#<id>          ITEM#<item>         checklist item
//	COOP#<id>          FOUNDER#<user>      founder membership; GSI2 = FOUNDER#<user> / COOP#<id>
//	TASK#<id>          META                task; while open GSI1 = INBOX#<org>#<role> / <due>#<id>
//	                                       and GSI2 = TASKS#<coop> / <due>#<id>
//	COUNT#<programme>  STAGE#<stage>       how many co-ops of the programme are in the stage
//	ORG#<id>           META                organisation
//	PROGRAMME          PROGRAMME#<id>      programme (one partition: listed whole, in ID order)
//	USER               USER#<id>           user (likewise)
//	IDEMPOTENCY#<key>  META                remembered response
//
// Programmes and users share a partition per kind because the port lists
// them whole: one strongly consistent Query instead of a Scan or an
// eventually consistent index.
const (
	skMeta      = "META"
	preCoop     = "COOP#"
	preEvent    = "EVENT#"
	preItem     = "ITEM#"
	preFounder  = "FOUNDER#"
	preTask     = "TASK#"
	preTasks    = "TASKS#"
	prePipe     = "PIPE#"
	preInbox    = "INBOX#"
	preCount    = "COUNT#"
	preStage    = "STAGE#"
	preOrg      = "ORG#"
	pkProgramme = "PROGRAMME"
	preProg     = "PROGRAMME#"
	pkUser      = "USER"
	preUser     = "USER#"
	preIdem     = "IDEMPOTENCY#"
)

// maxKeyPart bounds an identifier used in a key, well inside DynamoDB's
// 1,024-byte sort keys and 2,048-byte partition keys.
const maxKeyPart = 512

// sortTimeLayout writes a UTC time at nanosecond precision with a fixed
// width, so sort keys order as the times do.
const sortTimeLayout = "2006-01-02T15:04:05.000000000Z"

// sortTime formats t for a sort key; years outside 0–9999 would break the
// fixed width and are refused, naming the field.
func sortTime(t time.Time, field string) (string, error) {
	u := t.UTC()
	if u.Year() < 0 || u.Year() > 9999 {
		return "", pathway.Invalid(map[string]string{field: "Must be a date between the years 0 and 9999"})
	}
	return u.Format(sortTimeLayout), nil
}

// key returns a primary key.
func key(pk, sk string) map[string]types.AttributeValue {
	return map[string]types.AttributeValue{attrPK: str(pk), attrSK: str(sk)}
}

// str returns a string attribute value.
func str(s string) types.AttributeValue { return &types.AttributeValueMemberS{Value: s} }

// strAttr returns the string attribute name of item, or "".
func strAttr(item map[string]types.AttributeValue, name string) string {
	if v, ok := item[name].(*types.AttributeValueMemberS); ok {
		return v.Value
	}
	return ""
}

// pipelinePK is the GSI1 partition of one pipeline column.
func pipelinePK(programme, stage string) string { return prePipe + programme + "#" + stage }

// inboxPK is the GSI1 partition of one inbox.
func inboxPK(org, role string) string { return preInbox + org + "#" + role }

// encodeCursor turns a LastEvaluatedKey into an opaque cursor: the key's
// string attributes as JSON, in unpadded base64url.
func encodeCursor(lek map[string]types.AttributeValue) string {
	if len(lek) == 0 {
		return ""
	}
	m := make(map[string]string, len(lek))
	for k := range lek {
		m[k] = strAttr(lek, k)
	}
	b, _ := json.Marshal(m) // a map of strings always marshals
	return base64.RawURLEncoding.EncodeToString(b)
}

// decodeCursor turns a cursor back into an ExclusiveStartKey, refusing
// anything that is not a key with exactly the attributes names, for which
// valid reports true. Every refusal is EINVALID, never a service error.
func decodeCursor(cursor string, names []string, valid func(map[string]string) bool) (map[string]types.AttributeValue, error) {
	if cursor == "" {
		return nil, nil
	}
	bad := pathway.Invalid(map[string]string{"cursor": "Is not a cursor of this list; start again from the first page"})
	b, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, bad
	}
	var m map[string]string
	if err := json.Unmarshal(b, &m); err != nil || len(m) != len(names) {
		return nil, bad
	}
	for _, n := range names {
		if m[n] == "" || len(m[n]) > 2*maxKeyPart {
			return nil, bad
		}
	}
	if !valid(m) {
		return nil, bad
	}
	out := make(map[string]types.AttributeValue, len(m))
	for k, v := range m {
		out[k] = str(v)
	}
	return out, nil
}

// checkPart refuses an identifier too long to be part of a key.
func checkPart(field, v string) error {
	if len(v) > maxKeyPart {
		return pathway.Invalid(map[string]string{field: "Must be 512 characters or fewer"})
	}
	return nil
}

// tooLong reports whether any identifier is too long to be part of a key;
// a lookup by such an identifier cannot find anything.
func tooLong(ids ...string) bool {
	for _, id := range ids {
		if len(id) > maxKeyPart {
			return true
		}
	}
	return false
}

// cutLast splits s at its last "#".
func cutLast(s string) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, '#')
	if i < 0 {
		return s, "", false
	}
	return s[:i], s[i+1:], true
}
