package svgchart

import (
	"html/template"
	"strconv"
	"strings"
)

// Width is the width of every chart's viewBox, in user units. On a 320 px
// phone the page leaves some 290 px for content, so a chart is drawn at
// about its own size and the 14 unit text stays readable; the style caps
// it at 26rem (416 px) on wide screens, where text is then about 19 px.
const Width = 300

// Colours, each checked against white in the tests (see doc.go).
const (
	Ink      = "#0b0c0c" // text and axes: 19.0:1
	Grid     = "#b1b4b6" // gridlines: decoration only, no contrast needed
	BarBlue  = "#1d70b8" // bars: 5.2:1
	fontSize = 14
)

// seriesColours are the line colours in turn; seriesDashes and the marker
// shapes tell the same series apart without colour.
var (
	seriesColours = []string{"#1d70b8", "#d4351c", "#00703c", "#4c2c92", "#505a5f"}
	seriesDashes  = []string{"", "8 4", "2 4", "12 4 2 4", "4 4"}
)

// Table is the data a chart shows, for the page to render beside it as an
// HTML table: Head names the columns, Numeric says which to align right
// (govuk-table__cell--numeric), each row has a cell per column.
type Table struct {
	Caption string
	Head    []string
	Numeric []bool
	Rows    [][]string
}

// esc escapes text for HTML and XML both: & < > ' " become entities.
func esc(s string) string { return template.HTMLEscapeString(s) }

// safeID keeps the characters an id may hold, so a caller's id can never
// break out of an attribute, and starts it with a letter.
func safeID(id string) string {
	var b strings.Builder
	for _, r := range id {
		if r == '-' || r == '_' || ('0' <= r && r <= '9') || ('a' <= r && r <= 'z') || ('A' <= r && r <= 'Z') {
			b.WriteRune(r)
		}
	}
	s := b.String()
	if s == "" {
		return "chart"
	}
	if c := s[0]; !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
		s = "c-" + s
	}
	return s
}

// num writes a coordinate with at most one decimal, the same on every
// machine, so golden files are stable.
func num(f float64) string {
	s := strconv.FormatFloat(f, 'f', 1, 64)
	return strings.TrimSuffix(s, ".0")
}

// open starts an svg element of the given height with its accessible name
// and description.
func open(b *strings.Builder, id, title, desc string, height int) {
	b.WriteString(`<svg xmlns="http://www.w3.org/2000/svg" role="img" width="100%" viewBox="0 0 ` + strconv.Itoa(Width) + ` ` + strconv.Itoa(height) + `"`)
	b.WriteString(` preserveAspectRatio="xMinYMin meet" style="max-width:26rem;height:auto" font-size="` + strconv.Itoa(fontSize) + `"`)
	b.WriteString(` aria-labelledby="` + id + `-title ` + id + `-desc" id="` + id + `">` + "\n")
	b.WriteString(`<title id="` + id + `-title">` + esc(title) + "</title>\n")
	b.WriteString(`<desc id="` + id + `-desc">` + esc(desc) + "</desc>\n")
}

// text writes a text element at x, y with an anchor (start, middle, end).
func text(b *strings.Builder, x, y float64, anchor, s string) {
	b.WriteString(`<text x="` + num(x) + `" y="` + num(y) + `"`)
	if anchor != "" && anchor != "start" {
		b.WriteString(` text-anchor="` + anchor + `"`)
	}
	b.WriteString(` fill="` + Ink + `">` + esc(s) + "</text>\n")
}

// empty draws a chart with nothing to show but says so.
func empty(id, title, desc string) template.HTML {
	var b strings.Builder
	open(&b, id, title, desc, 40)
	text(&b, 0, 24, "", "No figures to show yet.")
	b.WriteString("</svg>")
	return template.HTML(b.String())
}
