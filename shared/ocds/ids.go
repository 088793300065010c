package ocds

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// An ocid prefix is issued by the Open Contracting Partnership to one
// publisher: "ocds-" and six lower-case letters or digits (Find a Tender's
// is ocds-h6vhtk, Contracts Finder's ocds-b5fd17).
var prefixPattern = regexp.MustCompile(`^ocds-[a-z0-9]{6}$`)

// CheckPrefix says what is wrong with an ocid prefix, or "".
func CheckPrefix(p string) string {
	switch {
	case p == "":
		return "Enter the organisation's ocid prefix, for example ocds-a1b2c3"
	case !prefixPattern.MatchString(p):
		return "Must be ocds- and six lower-case letters or digits, for example ocds-a1b2c3 (the prefix the Open Contracting Partnership registered for the publisher)"
	}
	return ""
}

// OCID returns the Open Contracting ID of a tender: the prefix, a hyphen
// and the tender's id. An ocid is for ever, so the tender's id must be the
// stable one the store gives it. A bad prefix or id is a pathway.Invalid
// error naming "ocidPrefix" or "tender.id".
func OCID(prefix, tenderID string) (string, error) {
	bad := map[string]string{}
	if msg := CheckPrefix(prefix); msg != "" {
		bad["ocidPrefix"] = msg
	}
	if msg := checkLocalID(tenderID); msg != "" {
		bad["tender.id"] = msg
	}
	if len(bad) > 0 {
		return "", pathway.Invalid(bad)
	}
	return prefix + "-" + tenderID, nil
}

// checkLocalID refuses ids that would make a bad ocid or release id:
// empty, or holding "#" (OCDS forbids it in release ids) or white space or
// a slash (they break web links to the process).
func checkLocalID(id string) string {
	switch {
	case id == "":
		return "Enter the tender's id"
	case strings.ContainsAny(id, "#/\\ \t\r\n"):
		return "Must not contain #, /, \\ or spaces"
	}
	return ""
}

// ReleaseID is the id of the n-th release of a kind (tag) in a process,
// counting from 1: "<ocid>-tender-1", "<ocid>-award-2". Unique within the
// ocid, as OCDS requires, and the same every time the same history is
// written.
func ReleaseID(ocid, tag string, n int) string { return fmt.Sprintf("%s-%s-%d", ocid, tag, n) }
