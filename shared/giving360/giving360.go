// Package giving360 writes a funder's awarded grants in the 360Giving Data
// Standard (schema 1.4.x): a JSON package and a CSV with 360Giving's column
// titles. 360Giving is the UK's open standard for publishing who funded whom,
// how much and when; GrantNav and other tools read it.
//
// The input types are neutral (Funder, Grant, Recipient) so that the grants
// domain, or anything else, can feed them without this package knowing its
// records. Identifiers follow 360Giving's guidance (see
// shared/standards/IDENTIFIERS.md in the project notes): the schema does not
// check them, so this package does. The only I/O is writing to an io.Writer.
package giving360

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// SchemaVersion is the 360Giving schema version the package claims, written
// major.minor as the package schema's "version" pattern requires.
const SchemaVersion = "1.4"

// LicenceCCBY4 is the licence written when Meta.Licence is empty. 360Giving
// asks for an open licence and CC BY 4.0 is the one most funders use.
const LicenceCCBY4 = "https://creativecommons.org/licenses/by/4.0/"

// Currency is the currency of every amount: the pathway holds pounds only.
const Currency = "GBP"

// Funder is the organisation publishing its grants.
type Funder struct {
	// Prefix is the funder's 360Giving prefix, registered with 360Giving,
	// e.g. "360G-examplefund". Grant ids and the ids of recipients without
	// a register number start with it.
	Prefix string
	// OrgID is the funder's own organisation identifier, e.g. "GB-CHC-1234567".
	OrgID string
	// Name is the funder's name as it should appear in the data.
	Name string
}

// Recipient is the organisation a grant was awarded to: a co-op.
type Recipient struct {
	Name string
	// LegalForm is one of the pathway.Form* constants, or empty when unknown.
	LegalForm string
	// RegisterNumber is the FCA Mutuals Public Register number of a
	// registered society (e.g. "IP031455", "7654R") or the Companies House
	// number of a company (e.g. "09506232"); empty when not registered yet.
	RegisterNumber string
	// InternalRef is the funder's (or the pathway's) own stable reference for
	// the recipient, used in its id when it has no register number.
	InternalRef string
	// LocalAuthority is the council area the co-op serves, e.g. "Leeds";
	// published as the beneficiary location. Optional.
	LocalAuthority string
}

// Grant is one awarded grant.
type Grant struct {
	// ID is the funder's internal id for the grant (e.g. the application id).
	ID          string
	Title       string
	Description string
	// AmountPence is the amount awarded, in pence; more than zero.
	AmountPence int64
	// AppliedForPence is the amount applied for, in pence; 0 leaves it out.
	AppliedForPence int64
	// AwardDate is when the award was decided; published as its UK day.
	AwardDate time.Time
	// Programme is the title of the grant programme; ProgrammeCode its id.
	// Both optional.
	Programme     string
	ProgrammeCode string
	// PlannedStart and PlannedEnd are when the funded work is planned to
	// run; zero leaves them out (an end without a start is refused, because
	// 360Giving says every planned-dates event has a start).
	PlannedStart time.Time
	PlannedEnd   time.Time
	Recipient    Recipient
}

// Meta describes the package as a whole. Every field is optional.
type Meta struct {
	// Issued is when the file was made; zero leaves it out.
	Issued time.Time
	// Licence is the URL of the data's licence; LicenceCCBY4 when empty.
	Licence string
	// DownloadURL is where the public can download this package, if anywhere.
	DownloadURL string
}

// The JSON shapes below are the parts of the 360Giving schemas we fill.
// Amounts are json.Number so that the pounds are written exactly as Pounds
// computes them, never through a float.

type jsonPackage struct {
	Grants      []jsonGrant   `json:"grants"`
	Version     string        `json:"version"`
	Title       string        `json:"title"`
	Issued      string        `json:"issued,omitempty"`
	Publisher   jsonPublisher `json:"publisher"`
	License     string        `json:"license"`
	DownloadURL string        `json:"downloadURL,omitempty"`
}

type jsonPublisher struct {
	Identifier string `json:"identifier"`
	Name       string `json:"name"`
}

type jsonGrant struct {
	ID                    string          `json:"id"`
	Title                 string          `json:"title"`
	Description           string          `json:"description"`
	Currency              string          `json:"currency"`
	AmountAppliedFor      json.Number     `json:"amountAppliedFor,omitempty"`
	AmountAwarded         json.Number     `json:"amountAwarded"`
	AwardDate             string          `json:"awardDate"`
	PlannedDates          []jsonEvent     `json:"plannedDates,omitempty"`
	RecipientOrganization []jsonOrg       `json:"recipientOrganization"`
	BeneficiaryLocation   []jsonLocation  `json:"beneficiaryLocation,omitempty"`
	FundingOrganization   []jsonOrg       `json:"fundingOrganization"`
	GrantProgramme        []jsonProgramme `json:"grantProgramme,omitempty"`
}

type jsonOrg struct {
	ID            string `json:"id"`
	Name          string `json:"name"`
	CompanyNumber string `json:"companyNumber,omitempty"`
}

type jsonEvent struct {
	StartDate string `json:"startDate"`
	EndDate   string `json:"endDate,omitempty"`
}

type jsonLocation struct {
	Name        string `json:"name"`
	CountryCode string `json:"countryCode"`
}

type jsonProgramme struct {
	Code  string `json:"code,omitempty"`
	Title string `json:"title"`
}

// WriteJSON writes the grants as one 360Giving JSON package. Bad input is a
// pathway.Invalid error naming each field at fault ("funder.prefix",
// "grants[2].recipient.registerNumber"), and nothing is written. With no
// grants it returns a not-found error, because the package schema requires
// at least one grant.
func WriteJSON(w io.Writer, f Funder, grants []Grant, meta Meta) error {
	if len(grants) == 0 {
		return pathway.Errorf(pathway.ENOTFOUND, "There are no awarded grants to publish yet.")
	}
	rows, err := build(f, grants)
	if err != nil {
		return err
	}
	pkg, err := buildPackage(f, rows, meta)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // "&" in a co-op's name stays readable; this is not HTML
	enc.SetIndent("", "  ")
	return enc.Encode(pkg)
}

func buildPackage(f Funder, rows []jsonGrant, meta Meta) (jsonPackage, error) {
	pkg := jsonPackage{
		Grants:    rows,
		Version:   SchemaVersion,
		Title:     f.Name + " grants",
		Publisher: jsonPublisher{Identifier: f.OrgID, Name: f.Name},
		License:   meta.Licence,
	}
	if !meta.Issued.IsZero() {
		pkg.Issued = ukDay(meta.Issued)
	}
	if pkg.License == "" {
		pkg.License = LicenceCCBY4
	}
	bad := map[string]string{}
	if !absoluteURL(pkg.License) {
		bad["meta.licence"] = "Enter the licence as a full web address, starting https://"
	}
	if meta.DownloadURL != "" {
		if !absoluteURL(meta.DownloadURL) {
			bad["meta.downloadURL"] = "Enter a full web address, starting https://"
		}
		pkg.DownloadURL = meta.DownloadURL
	}
	if len(bad) > 0 {
		return jsonPackage{}, pathway.Invalid(bad)
	}
	return pkg, nil
}

// build checks every input and turns each grant into its 360Giving shape,
// collecting all faults so the funder can correct them in one go.
func build(f Funder, grants []Grant) ([]jsonGrant, error) {
	bad := map[string]string{}
	checkFunder(f, bad)
	rows := make([]jsonGrant, 0, len(grants))
	seen := map[string]int{}
	for i, g := range grants {
		field := fmt.Sprintf("grants[%d].", i)
		row := buildGrant(f, g, field, bad)
		if j, dup := seen[row.ID]; dup && row.ID != "" {
			bad[field+"id"] = fmt.Sprintf("Gives the same 360Giving id (%s) as grants[%d]; grant ids must be unique", row.ID, j)
		}
		seen[row.ID] = i
		rows = append(rows, row)
	}
	if len(bad) > 0 {
		return nil, pathway.Invalid(bad)
	}
	return rows, nil
}

func checkFunder(f Funder, bad map[string]string) {
	if msg := checkPrefix(f.Prefix); msg != "" {
		bad["funder.prefix"] = msg
	}
	if f.OrgID == "" {
		bad["funder.orgID"] = "Enter the funder's organisation identifier, for example GB-CHC-1234567"
	} else if !identifierSafe(f.OrgID) {
		bad["funder.orgID"] = "Use only letters, digits, hyphens and underscores, for example GB-CHC-1234567"
	}
	if f.Name == "" {
		bad["funder.name"] = "Enter the funder's name"
	}
}

func buildGrant(f Funder, g Grant, field string, bad map[string]string) jsonGrant {
	row := jsonGrant{
		Title:               g.Title,
		Description:         g.Description,
		Currency:            Currency,
		AmountAwarded:       Pounds(g.AmountPence),
		FundingOrganization: []jsonOrg{{ID: f.OrgID, Name: f.Name}},
	}
	if g.ID == "" {
		bad[field+"id"] = "Enter the grant's internal id"
	} else {
		row.ID = grantID(f.Prefix, g.ID)
	}
	if g.Title == "" {
		bad[field+"title"] = "Enter the grant's title"
	}
	if g.Description == "" {
		bad[field+"description"] = "Enter a short description of the grant"
	}
	if g.AmountPence <= 0 {
		bad[field+"amount"] = "Must be more than £0"
	}
	if g.AppliedForPence < 0 {
		bad[field+"appliedFor"] = "Must not be negative"
	} else if g.AppliedForPence > 0 {
		row.AmountAppliedFor = Pounds(g.AppliedForPence)
	}
	if g.AwardDate.IsZero() {
		bad[field+"awardDate"] = "Enter the date the grant was awarded"
	} else {
		row.AwardDate = ukDay(g.AwardDate)
	}
	row.PlannedDates = plannedDates(g, field, bad)
	org, msgs := recipientOrg(f.Prefix, g.Recipient)
	for k, v := range msgs {
		bad[field+"recipient."+k] = v
	}
	row.RecipientOrganization = []jsonOrg{org}
	if g.Recipient.LocalAuthority != "" {
		// Name plus country is all we know. geoCode would want the council's
		// ONS code (e.g. E08000035), which the pathway does not hold.
		row.BeneficiaryLocation = []jsonLocation{{Name: g.Recipient.LocalAuthority, CountryCode: "GB"}}
	}
	if g.Programme != "" || g.ProgrammeCode != "" {
		row.GrantProgramme = []jsonProgramme{{Code: g.ProgrammeCode, Title: g.Programme}}
	}
	return row
}

func plannedDates(g Grant, field string, bad map[string]string) []jsonEvent {
	switch {
	case g.PlannedStart.IsZero() && g.PlannedEnd.IsZero():
		return nil
	case g.PlannedStart.IsZero():
		bad[field+"plannedStart"] = "Enter the planned start as well as the end"
		return nil
	}
	ev := jsonEvent{StartDate: ukDay(g.PlannedStart)}
	if !g.PlannedEnd.IsZero() {
		ev.EndDate = ukDay(g.PlannedEnd)
		if ev.EndDate < ev.StartDate { // YYYY-MM-DD sorts as dates do
			bad[field+"plannedEnd"] = "Must be on or after the planned start"
		}
	}
	return []jsonEvent{ev}
}

// ukDay writes the UK calendar day of t as YYYY-MM-DD. A date read from
// YYYY-MM-DD (midnight UTC) keeps its day, since the UK is at or ahead of UTC.
func ukDay(t time.Time) string { return t.In(pathway.UKTime).Format(time.DateOnly) }

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
