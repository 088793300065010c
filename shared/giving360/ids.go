package giving360

import (
	"regexp"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Org-id list codes (org-id.guide) for the registers a co-op can be on.
const (
	// ListMutuals is the FCA Mutuals Public Register: co-operative and
	// community benefit societies ("registered societies").
	ListMutuals = "GB-MPR"
	// ListCompanies is Companies House: CICs and other companies.
	ListCompanies = "GB-COH"
)

var (
	// A registered 360Giving prefix: "360G-" then letters, digits, "-" or "_".
	prefixPattern = regexp.MustCompile(`^360G-[A-Za-z0-9_-]*[A-Za-z0-9_]$`)
	// An FCA mutuals register number: letters and digits, e.g. 235C, IP031455, 7654R.
	societyPattern = regexp.MustCompile(`^[A-Z0-9]{1,10}$`)
	// A Companies House number: 8 characters, 8 digits or 2 letters (SC, NI,
	// OC, R0…) and 6 digits.
	companyPattern = regexp.MustCompile(`^[A-Z0-9]{2}[0-9]{6}$`)
	// Characters kept as they are in the funder's part of an id; 360Giving
	// asks for "_" in place of spaces and special characters, and no / or \.
	unsafeID = regexp.MustCompile(`[^A-Za-z0-9_-]`)
)

// GrantID returns the 360Giving id of a grant: the funder's prefix, a hyphen
// and the funder's internal id with spaces and special characters turned
// into "_" (e.g. "360G-examplefund-APP_7"). A bad prefix or an empty id is a
// pathway.Invalid error naming "prefix" or "id".
func GrantID(prefix, internalID string) (string, error) {
	bad := map[string]string{}
	if msg := checkPrefix(prefix); msg != "" {
		bad["prefix"] = msg
	}
	if internalID == "" {
		bad["id"] = "Enter the grant's internal id"
	}
	if len(bad) > 0 {
		return "", pathway.Invalid(bad)
	}
	return grantID(prefix, internalID), nil
}

func grantID(prefix, internalID string) string { return prefix + "-" + sanitise(internalID) }

// RecipientID returns a recipient's organisation id and, for a company, its
// Companies House number without a prefix (the schema's companyNumber):
//   - a registered society with a number: GB-MPR-<number>;
//   - a company with a number: GB-COH-<8-character number>;
//   - anyone else (not registered yet, no number): <prefix>-<internal ref>.
//
// Faults are a pathway.Invalid error naming the Recipient field (JSON-style
// names: "registerNumber", "internalRef", "legalForm", "name") or "prefix".
func RecipientID(prefix string, r Recipient) (id, companyNumber string, err error) {
	org, bad := recipientOrg(prefix, r)
	if msg := checkPrefix(prefix); msg != "" {
		bad["prefix"] = msg
	}
	if len(bad) > 0 {
		return "", "", pathway.Invalid(bad)
	}
	return org.ID, org.CompanyNumber, nil
}

// recipientOrg builds the recipient's organisation and the faults in it,
// keyed by field name.
func recipientOrg(prefix string, r Recipient) (jsonOrg, map[string]string) {
	bad := map[string]string{}
	org := jsonOrg{Name: r.Name}
	if r.Name == "" {
		bad["name"] = "Enter the recipient's name"
	}
	number := strings.ToUpper(strings.Join(strings.Fields(r.RegisterNumber), ""))
	switch {
	case !knownForm(r.LegalForm):
		bad["legalForm"] = "Unknown legal form " + r.LegalForm
	case number != "" && isSociety(r.LegalForm):
		if !societyPattern.MatchString(number) {
			bad["registerNumber"] = "Enter the society's FCA register number as letters and digits, for example IP031455 or 7654R"
		}
		// A society's register number is neither a company nor a charity
		// number, so companyNumber and charityNumber stay empty.
		org.ID = ListMutuals + "-" + number
	case number != "" && isCompany(r.LegalForm):
		if isDigits(number) && len(number) < 8 {
			// Spreadsheets drop the leading zeros of company numbers; the
			// real number is always 8 characters, so restore them.
			number = strings.Repeat("0", 8-len(number)) + number
		}
		if !companyPattern.MatchString(number) {
			bad["registerNumber"] = "Enter the 8-character Companies House number, for example 09506232 or SC123456"
		}
		org.ID = ListCompanies + "-" + number
		org.CompanyNumber = number
	case r.InternalRef == "":
		bad["internalRef"] = "Enter the recipient's reference: with no register number, its id is the funder's prefix and this reference"
	default:
		org.ID = grantID(prefix, r.InternalRef)
	}
	return org, bad
}

// checkPrefix says what is wrong with a funder's 360Giving prefix, or "".
func checkPrefix(p string) string {
	switch {
	case p == "":
		return "Enter the funder's 360Giving prefix, for example 360G-examplefund"
	case !strings.HasPrefix(p, "360G-"):
		return "Must start with 360G- (the prefix 360Giving registered for the funder)"
	case !prefixPattern.MatchString(p):
		return "Use only letters, digits, hyphens and underscores after 360G-, and do not end with a hyphen"
	}
	return ""
}

// sanitise turns spaces and special characters (including / and \, which
// break web links to the grant) into "_".
func sanitise(s string) string { return unsafeID.ReplaceAllString(s, "_") }

func identifierSafe(s string) bool { return !strings.ContainsAny(s, " \t\r\n/\\") }

func isSociety(form string) bool {
	return form == pathway.FormCooperativeSociety || form == pathway.FormCommunityBenefit
}

func isCompany(form string) bool {
	return form == pathway.FormCommunityInterest || form == pathway.FormGuarantee || form == pathway.FormPrivateCompany
}

func knownForm(form string) bool {
	return form == "" || form == pathway.FormNotYetIncorporated || isSociety(form) || isCompany(form)
}

func isDigits(s string) bool {
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return s != ""
}
