package giving360

import (
	"encoding/csv"
	"io"
	"strings"
)

// csvColumns are 360Giving's flattened column titles (schema titles joined
// with ":"), so the file opens in 360Giving's own tools as their template does.
var csvColumns = []string{
	"Identifier", "Title", "Description", "Currency",
	"Amount Applied For", "Amount Awarded", "Award Date",
	"Planned Dates:Start Date", "Planned Dates:End Date",
	"Recipient Org:Identifier", "Recipient Org:Name", "Recipient Org:Company Number",
	"Beneficiary Location:Name", "Beneficiary Location:Country Code",
	"Funding Org:Identifier", "Funding Org:Name",
	"Grant Programme:Code", "Grant Programme:Title",
}

// utf8BOM starts the file. Excel reads a CSV without it in the computer's
// legacy code page (Windows-1252 in the UK), which garbles "£", accents
// and Welsh letters (ŵ, ŷ); the byte order mark tells it the file is UTF-8.
const utf8BOM = "\uFEFF"

// WriteCSV writes the grants as a CSV (RFC 4180: CRLF line ends, quotes
// where needed; UTF-8 with a byte order mark), one row per grant under
// 360Giving's column titles. Bad input is the same pathway.Invalid error
// WriteJSON gives, and nothing is written. No grants gives the header alone.
func WriteCSV(w io.Writer, f Funder, grants []Grant) error {
	rows, err := build(f, grants)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(w, utf8BOM); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	if err := cw.Write(csvColumns); err != nil {
		return err
	}
	for _, g := range rows {
		if err := cw.Write(csvRow(g)); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// csvRow flattens one grant in csvColumns order. Each array holds at most
// one item here, so one column per field is enough.
func csvRow(g jsonGrant) []string {
	var start, end, place, country, code, programme string
	if len(g.PlannedDates) > 0 {
		start, end = g.PlannedDates[0].StartDate, g.PlannedDates[0].EndDate
	}
	if len(g.BeneficiaryLocation) > 0 {
		place, country = g.BeneficiaryLocation[0].Name, g.BeneficiaryLocation[0].CountryCode
	}
	if len(g.GrantProgramme) > 0 {
		code, programme = g.GrantProgramme[0].Code, g.GrantProgramme[0].Title
	}
	rec, fund := g.RecipientOrganization[0], g.FundingOrganization[0]
	row := []string{
		g.ID, g.Title, g.Description, g.Currency,
		g.AmountAppliedFor.String(), g.AmountAwarded.String(), g.AwardDate,
		start, end,
		rec.ID, rec.Name, rec.CompanyNumber,
		place, country,
		fund.ID, fund.Name,
		code, programme,
	}
	for i, cell := range row {
		row[i] = defuse(cell)
	}
	return row
}

// defuse stops a cell being run as a formula. A spreadsheet treats text
// starting with = + - or @ (and, in some, a tab or carriage return before
// them) as a formula, so a co-op named "=HYPERLINK(…)" could run in the
// funder's spreadsheet (CSV injection, OWASP). A leading single quote makes
// it plain text and is hidden by Excel and LibreOffice. Amounts are never
// negative, so no number is changed; the JSON keeps the exact text.
func defuse(cell string) string {
	if cell != "" && strings.ContainsRune("=+-@\t\r", rune(cell[0])) {
		return "'" + cell
	}
	return cell
}
