package svgchart

import (
	"github.com/coopcarepathway/pathway/shared/pathway"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Pattern is how a bar is filled, so bars that mean different things
// differ without colour.
type Pattern int

const (
	Solid   Pattern = iota // filled
	Hatched                // diagonal stripes
	Dotted                 // dots
)

// Bar is one labelled count.
type Bar struct {
	Label   string
	Value   int64
	Pattern Pattern
}

// KeyEntry says what a pattern means ("Hatched: ended").
type KeyEntry struct {
	Pattern Pattern
	Meaning string
}

// BarChart is a horizontal bar chart: one bar per row, its label above
// and its value written at its end, so it reads without the axis.
type BarChart struct {
	ID        string // unique on the page: prefixes the chart's ids
	Title     string // its name, e.g. "Co-ops by stage, June 2027 cohort"
	Desc      string // what it shows, in a sentence
	LabelHead string // the table's first column, e.g. "Stage"
	ValueHead string // the table's value column, e.g. "Co-ops"
	Bars      []Bar
	Key       []KeyEntry         // what the patterns mean, drawn under the bars
	Format    func(int64) string // writes a value; nil writes "1,234"
}

// Bar layout, in user units.
const (
	barPad    = 4
	barRow    = 46 // a label line and a bar
	barHeight = 18
	barValue  = 96 // room after the longest bar for its value
	keyRow    = 24
	// lineHeight and labelChars wrap a long label over lines: about 38
	// characters of 14 unit text fit across the chart.
	lineHeight = 17
	labelChars = (Width - 2*barPad) * 10 / 75
)

// wrap breaks s into lines of at most width characters at spaces; a word
// longer than a line has a line of its own.
func wrap(s string, width int) []string {
	var lines []string
	line := ""
	for _, word := range strings.Fields(s) {
		switch {
		case line == "":
			line = word
		case utf8.RuneCountInString(line)+1+utf8.RuneCountInString(word) <= width:
			line += " " + word
		default:
			lines = append(lines, line)
			line = word
		}
	}
	return append(lines, line)
}

// SVG draws the chart.
func (c BarChart) SVG() template.HTML {
	id := safeID(c.ID)
	if len(c.Bars) == 0 {
		return empty(id, c.Title, c.Desc)
	}
	labels := make([][]string, len(c.Bars))
	lines := 0
	for i, bar := range c.Bars {
		labels[i] = wrap(bar.Label, labelChars)
		lines += len(labels[i]) - 1
	}
	height := barPad + barRow*len(c.Bars) + lineHeight*lines + keyRow*len(c.Key) + barPad
	var b strings.Builder
	open(&b, id, c.Title, c.Desc, height)
	defs(&b, id)
	most := int64(0)
	for _, bar := range c.Bars {
		most = max(most, bar.Value)
	}
	room := float64(Width - 2*barPad - barValue)
	y := float64(barPad)
	for i, bar := range c.Bars {
		for _, line := range labels[i] {
			text(&b, barPad, y+fontSize, "", line)
			y += lineHeight
		}
		y -= lineHeight
		w := 0.0
		if most > 0 && bar.Value > 0 {
			w = room * float64(bar.Value) / float64(most)
		}
		top := y + fontSize + 6
		if w > 0 {
			b.WriteString(`<rect x="` + num(barPad) + `" y="` + num(top) + `" width="` + num(w) + `" height="` + strconv.Itoa(barHeight) + `"` + fill(id, bar.Pattern) + "/>\n")
		}
		text(&b, barPad+w+6, top+barHeight-4, "", c.format(bar.Value))
		y += barRow
	}
	for _, k := range c.Key {
		b.WriteString(`<rect x="` + num(barPad) + `" y="` + num(y+4) + `" width="28" height="16"` + fill(id, k.Pattern) + "/>\n")
		text(&b, barPad+36, y+17, "", k.Meaning)
		y += keyRow
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// defs holds the fill patterns, with ids under the chart's own.
func defs(b *strings.Builder, id string) {
	b.WriteString(`<defs>` + "\n")
	b.WriteString(`<pattern id="` + id + `-hatched" width="8" height="8" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">` +
		`<rect width="8" height="8" fill="#ffffff"/><rect width="4" height="8" fill="` + BarBlue + `"/></pattern>` + "\n")
	b.WriteString(`<pattern id="` + id + `-dotted" width="6" height="6" patternUnits="userSpaceOnUse">` +
		`<rect width="6" height="6" fill="#ffffff"/><circle cx="3" cy="3" r="2" fill="` + BarBlue + `"/></pattern>` + "\n")
	b.WriteString("</defs>\n")
}

// fill returns the attributes that fill a shape with a pattern. Patterned
// shapes are outlined, so their extent is as clear as a solid one's.
func fill(id string, p Pattern) string {
	switch p {
	case Hatched:
		return ` fill="url(#` + id + `-hatched)" stroke="` + BarBlue + `" stroke-width="2"`
	case Dotted:
		return ` fill="url(#` + id + `-dotted)" stroke="` + BarBlue + `" stroke-width="2"`
	}
	return ` fill="` + BarBlue + `"`
}

func (c BarChart) format(v int64) string {
	if c.Format != nil {
		return c.Format(v)
	}
	return pathway.Thousands(v)
}

// Table returns the chart's figures for the table beside it: one row per
// bar, its label and its value as the chart writes it.
func (c BarChart) Table() Table {
	t := Table{Caption: c.Title, Head: []string{c.LabelHead, c.ValueHead}, Numeric: []bool{false, true}}
	for _, bar := range c.Bars {
		t.Rows = append(t.Rows, []string{bar.Label, c.format(bar.Value)})
	}
	return t
}
