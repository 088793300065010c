// Package ocds writes councils' tenders as Open Contracting Data Standard
// (OCDS) 1.1 release packages, the open format Find a Tender publishes UK
// procurement in: one contracting process (a tender, its awards and
// contracts) under one ocid, told as releases tagged "tender", "award" and
// "contract" as each happens.
//
// The types below are the parts of the OCDS 1.1 release schema this
// project fills, plus three extensions' fields: the lots extension
// (tender.lots, award.relatedLots) and the UK extension's
// Award.standstillPeriod, Award.assessmentSummariesDateSent,
// Document.noticeType, Value.amountGross and Tender.aboveThreshold.
// Package ocdsschema validates the output against the official schemas.
// Amounts are json.Number written from integer pence (Amount), never
// through a float.
package ocds

import "encoding/json"

// Version is the OCDS schema version a package claims, major.minor as the
// package schema's "version" pattern requires.
const Version = "1.1"

// Extensions the packages use, by the extension.json URLs publishers list.
// The UK extension's URL is the one Find a Tender lists; the lots extension
// is the version released with OCDS 1.1.5.
const (
	ExtensionUK   = "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json"
	ExtensionLots = "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json"
)

// Currency is the currency of every amount: the pathway holds pounds only.
const Currency = "GBP"

// Release tags (closed releaseTag codelist).
const (
	TagTender   = "tender"
	TagAward    = "award"
	TagContract = "contract"
)

// Party roles (open partyRole codelist).
const (
	RoleBuyer    = "buyer"
	RoleTenderer = "tenderer"
	RoleSupplier = "supplier"
)

// Document types (open documentType codelist) and the UK extension's notice
// types. The UK extension has no codelist for noticeType; Find a Tender
// writes the notice's number under the Procurement Act 2023.
const (
	DocTenderNotice   = "tenderNotice"
	DocAwardNotice    = "awardNotice"
	DocContractNotice = "contractNotice"

	NoticeTender          = "UK4" // tender notice
	NoticeContractAward   = "UK6" // contract award notice
	NoticeContractDetails = "UK7" // contract details notice
)

// Package is an OCDS release package: publishing metadata and releases.
type Package struct {
	URI               string    `json:"uri"`
	Version           string    `json:"version"`
	Extensions        []string  `json:"extensions,omitempty"`
	PublishedDate     string    `json:"publishedDate"`
	Publisher         Publisher `json:"publisher"`
	License           string    `json:"license,omitempty"`
	PublicationPolicy string    `json:"publicationPolicy,omitempty"`
	Releases          []Release `json:"releases"`
}

// Publisher identifies who publishes the package: the pathway, or the
// council itself.
type Publisher struct {
	Name   string `json:"name"`
	Scheme string `json:"scheme,omitempty"`
	UID    string `json:"uid,omitempty"`
	URI    string `json:"uri,omitempty"`
}

// Release is what was known about the contracting process at one moment.
type Release struct {
	OCID           string                 `json:"ocid"`
	ID             string                 `json:"id"`
	Date           string                 `json:"date"`
	Tag            []string               `json:"tag"`
	InitiationType string                 `json:"initiationType"`
	Language       string                 `json:"language,omitempty"`
	Parties        []Organization         `json:"parties,omitempty"`
	Buyer          *OrganizationReference `json:"buyer,omitempty"`
	Tender         *Tender                `json:"tender,omitempty"`
	Awards         []Award                `json:"awards,omitempty"`
	Contracts      []Contract             `json:"contracts,omitempty"`
}

// Organization is a party to the process: the council (buyer) and the
// co-ops that bid (tenderer) and won (supplier).
type Organization struct {
	ID         string      `json:"id"`
	Name       string      `json:"name"`
	Identifier *Identifier `json:"identifier,omitempty"`
	Roles      []string    `json:"roles"`
}

// Identifier is an organisation's id on a register, e.g. scheme "GB-MPR"
// (FCA mutuals register) with id "IP031455".
type Identifier struct {
	Scheme    string `json:"scheme"`
	ID        string `json:"id"`
	LegalName string `json:"legalName,omitempty"`
}

// OrganizationReference points at a party by id and name.
type OrganizationReference struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// Tender is the tender section: what the council asked for and how.
type Tender struct {
	ID                       string                  `json:"id"`
	Title                    string                  `json:"title,omitempty"`
	Description              string                  `json:"description,omitempty"`
	Status                   string                  `json:"status,omitempty"`
	Items                    []Item                  `json:"items,omitempty"`
	Value                    *Value                  `json:"value,omitempty"`
	ProcurementMethod        string                  `json:"procurementMethod,omitempty"`
	ProcurementMethodDetails string                  `json:"procurementMethodDetails,omitempty"`
	MainProcurementCategory  string                  `json:"mainProcurementCategory,omitempty"`
	AwardCriteria            string                  `json:"awardCriteria,omitempty"`
	AwardCriteriaDetails     string                  `json:"awardCriteriaDetails,omitempty"`
	SubmissionMethod         []string                `json:"submissionMethod,omitempty"`
	TenderPeriod             *Period                 `json:"tenderPeriod,omitempty"`
	EnquiryPeriod            *Period                 `json:"enquiryPeriod,omitempty"`
	AwardPeriod              *Period                 `json:"awardPeriod,omitempty"`
	ContractPeriod           *Period                 `json:"contractPeriod,omitempty"`
	NumberOfTenderers        *int                    `json:"numberOfTenderers,omitempty"`
	Tenderers                []OrganizationReference `json:"tenderers,omitempty"`
	Documents                []Document              `json:"documents,omitempty"`
	// Lots is the lots extension's list of the tender's lots.
	Lots []Lot `json:"lots,omitempty"`
	// AboveThreshold is the UK extension's: whether the value is above the
	// relevant threshold (for care, the light-touch threshold).
	AboveThreshold *bool `json:"aboveThreshold,omitempty"`
}

// Lot is one lot of a tender (lots extension).
type Lot struct {
	ID          string `json:"id"`
	Title       string `json:"title,omitempty"`
	Description string `json:"description,omitempty"`
	Status      string `json:"status,omitempty"`
	Value       *Value `json:"value,omitempty"`
}

// Item is one thing bought; RelatedLot (lots extension) ties it to a lot.
type Item struct {
	ID             string          `json:"id"`
	Description    string          `json:"description,omitempty"`
	Classification *Classification `json:"classification,omitempty"`
	RelatedLot     string          `json:"relatedLot,omitempty"`
}

// Classification is a code from a scheme, e.g. CPV "85311000".
type Classification struct {
	Scheme      string `json:"scheme"`
	ID          string `json:"id"`
	Description string `json:"description,omitempty"`
}

// Value is an amount of money. Amount is written from pence by Amount.
type Value struct {
	Amount   json.Number `json:"amount"`
	Currency string      `json:"currency"`
	// AmountGross is the UK extension's amount including all taxes.
	AmountGross json.Number `json:"amountGross,omitempty"`
}

// Period is a span of time; dates are RFC 3339 date-times.
type Period struct {
	StartDate      string `json:"startDate,omitempty"`
	EndDate        string `json:"endDate,omitempty"`
	DurationInDays *int   `json:"durationInDays,omitempty"`
}

// Document is a published document; here, the notices.
type Document struct {
	ID            string `json:"id"`
	DocumentType  string `json:"documentType,omitempty"`
	Title         string `json:"title,omitempty"`
	URL           string `json:"url,omitempty"`
	DatePublished string `json:"datePublished,omitempty"`
	Language      string `json:"language,omitempty"`
	// NoticeType is the UK extension's notice number: UK4, UK6, UK7.
	NoticeType string `json:"noticeType,omitempty"`
}

// Award is the decision on one lot.
type Award struct {
	ID          string                  `json:"id"`
	Title       string                  `json:"title,omitempty"`
	Status      string                  `json:"status,omitempty"`
	Date        string                  `json:"date,omitempty"`
	Value       *Value                  `json:"value,omitempty"`
	Suppliers   []OrganizationReference `json:"suppliers,omitempty"`
	RelatedLots []string                `json:"relatedLots,omitempty"`
	Documents   []Document              `json:"documents,omitempty"`
	// StandstillPeriod (UK extension) is the standstill: the working days
	// after the award notice during which the contract may not be entered
	// into and the decision can be challenged.
	StandstillPeriod *Period `json:"standstillPeriod,omitempty"`
	// AssessmentSummariesDateSent (UK extension) is when every assessed
	// bidder was sent its assessment summary (Procurement Act 2023 s.50).
	AssessmentSummariesDateSent string `json:"assessmentSummariesDateSent,omitempty"`
}

// Contract is the contract entered into for an award.
type Contract struct {
	ID         string     `json:"id"`
	AwardID    string     `json:"awardID"`
	Title      string     `json:"title,omitempty"`
	Status     string     `json:"status,omitempty"`
	Period     *Period    `json:"period,omitempty"`
	Value      *Value     `json:"value,omitempty"`
	DateSigned string     `json:"dateSigned,omitempty"`
	Documents  []Document `json:"documents,omitempty"`
}
