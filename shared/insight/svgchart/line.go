package svgchart

import (
	"github.com/coopcarepathway/pathway/shared/pathway"
	"html/template"
	"math"
	"strings"
	"unicode/utf8"
)

// Series is one line: a name and a value per point of the chart's X.
type Series struct {
	Name   string
	Values []int64
}

// LineChart draws series over time, e.g. budget awarded, paid and
// remaining by month. With Step set each value holds until the next point
// (a total that changes on a day and stays), drawn as steps.
type LineChart struct {
	ID     string   // unique on the page: prefixes the chart's ids
	Title  string   // its name
	Desc   string   // what it shows, in a sentence
	XHead  string   // the table's first column, e.g. "Month"
	X      []string // a label per point, in order, e.g. "Jun 2027"
	Series []Series // up to five tell apart by colour, dash and marker; more repeat them
	Step   bool
	Format func(int64) string // writes a value; nil writes "1,234"
}

// Line layout, in user units.
const (
	minLeft    = 40  // the least room for the values of the axis
	charWidth  = 8.5 // about the width of a character at 14 units, to make room for the axis values
	plotRight  = 28  // room for half the last month's label
	plotTop    = 12
	plotHeight = 160
	legendRow  = 22
)

// SVG draws the chart.
func (c LineChart) SVG() template.HTML {
	id := safeID(c.ID)
	if len(c.X) == 0 || len(c.Series) == 0 {
		return empty(id, c.Title, c.Desc)
	}
	lo, hi, step := c.scale()
	left := c.left(lo, hi, step)
	legendTop := plotTop + plotHeight + 36
	height := legendTop + legendRow*len(c.Series)
	var b strings.Builder
	open(&b, id, c.Title, c.Desc, height)
	y := func(v int64) float64 {
		return plotTop + plotHeight*float64(hi-v)/float64(hi-lo)
	}
	x := func(i int) float64 { return c.xAt(i, left) }
	for v := lo; v <= hi; v += step {
		b.WriteString(`<line x1="` + num(left) + `" x2="` + num(Width-plotRight) + `" y1="` + num(y(v)) + `" y2="` + num(y(v)) + `" stroke="` + gridColour(v) + `" stroke-width="1"/>` + "\n")
		text(&b, left-6, y(v)+5, "end", c.format(v))
	}
	for i, every := 0, c.labelEvery(left); i < len(c.X); i += every {
		text(&b, x(i), plotTop+plotHeight+20, "middle", c.X[i])
	}
	for s, series := range c.Series {
		c.line(&b, s, series, x, y)
	}
	for s, series := range c.Series {
		ly := float64(legendTop + legendRow*s)
		b.WriteString(`<path d="M` + num(left) + ` ` + num(ly+8) + `H` + num(left+36) + `"` + stroke(s) + "/>\n")
		marker(&b, s, left+18, ly+8)
		text(&b, left+44, ly+13, "", series.Name)
	}
	b.WriteString("</svg>")
	return template.HTML(b.String())
}

// gridColour draws the zero line in ink, so a fall below zero shows.
func gridColour(v int64) string {
	if v == 0 {
		return Ink
	}
	return Grid
}

// line draws one series and its markers.
func (c LineChart) line(b *strings.Builder, s int, series Series, x func(int) float64, y func(int64) float64) {
	n := min(len(series.Values), len(c.X))
	if n == 0 {
		return
	}
	var d strings.Builder
	d.WriteString("M" + num(x(0)) + " " + num(y(series.Values[0])))
	for i := 1; i < n; i++ {
		if c.Step {
			d.WriteString("H" + num(x(i)) + "V" + num(y(series.Values[i])))
		} else {
			d.WriteString("L" + num(x(i)) + " " + num(y(series.Values[i])))
		}
	}
	b.WriteString(`<path d="` + d.String() + `"` + stroke(s) + "/>\n")
	for i := 0; i < n; i++ {
		marker(b, s, x(i), y(series.Values[i]))
	}
}

// stroke returns a series' line attributes: colour, width and dashes.
func stroke(s int) string {
	a := ` fill="none" stroke="` + seriesColours[s%len(seriesColours)] + `" stroke-width="3"`
	if d := seriesDashes[s%len(seriesDashes)]; d != "" {
		a += ` stroke-dasharray="` + d + `"`
	}
	return a
}

// marker draws the s-th series' shape at x, y: a circle, square,
// triangle, diamond or cross.
func marker(b *strings.Builder, s int, x, y float64) {
	colour := ` fill="` + seriesColours[s%len(seriesColours)] + `"`
	switch s % 5 {
	case 0:
		b.WriteString(`<circle cx="` + num(x) + `" cy="` + num(y) + `" r="4.5"` + colour + "/>\n")
	case 1:
		b.WriteString(`<rect x="` + num(x-4) + `" y="` + num(y-4) + `" width="8" height="8"` + colour + "/>\n")
	case 2:
		b.WriteString(`<path d="M` + num(x) + ` ` + num(y-5.5) + `L` + num(x+5) + ` ` + num(y+4) + `H` + num(x-5) + `Z"` + colour + "/>\n")
	case 3:
		b.WriteString(`<path d="M` + num(x) + ` ` + num(y-5.5) + `L` + num(x+5.5) + ` ` + num(y) + `L` + num(x) + ` ` + num(y+5.5) + `L` + num(x-5.5) + ` ` + num(y) + `Z"` + colour + "/>\n")
	default:
		b.WriteString(`<path d="M` + num(x-4) + ` ` + num(y-4) + `L` + num(x+4) + ` ` + num(y+4) + `M` + num(x+4) + ` ` + num(y-4) + `L` + num(x-4) + ` ` + num(y+4) + `" stroke="` + seriesColours[s%len(seriesColours)] + `" stroke-width="2.5"/>` + "\n")
	}
}

// left returns where the plot starts: after the longest axis value.
func (c LineChart) left(lo, hi, step int64) float64 {
	longest := 0
	for v := lo; v <= hi; v += step {
		longest = max(longest, utf8.RuneCountInString(c.format(v)))
	}
	return max(minLeft, float64(longest)*charWidth+12)
}

// labelEvery returns how many points apart the x labels are written, the
// fewest that keeps the longest label clear of the next.
func (c LineChart) labelEvery(left float64) int {
	if len(c.X) < 2 {
		return 1
	}
	longest := 0
	for _, l := range c.X {
		longest = max(longest, utf8.RuneCountInString(l))
	}
	gap := (Width - left - plotRight) / float64(len(c.X)-1)
	need := float64(longest)*charWidth + 8
	return max(1, int(math.Ceil(need/gap)))
}

// xAt is the x of the i-th point; a single point sits in the middle.
func (c LineChart) xAt(i int, plotLeft float64) float64 {
	w := Width - plotLeft - plotRight
	if len(c.X) == 1 {
		return plotLeft + w/2
	}
	return plotLeft + w*float64(i)/float64(len(c.X)-1)
}

// scale returns the axis: from lo to hi (zero always on it) in steps of
// 1, 2 or 5 times a power of ten, about four of them.
func (c LineChart) scale() (lo, hi, step int64) {
	for _, s := range c.Series {
		for _, v := range s.Values {
			lo, hi = min(lo, v), max(hi, v)
		}
	}
	step = niceStep((hi - lo + 3) / 4)
	lo = floorTo(lo, step)
	hi = -floorTo(-hi, step)
	if hi == lo {
		hi = lo + step
	}
	return lo, hi, step
}

// niceStep returns the least of 1, 2, 5, 10, 20, 50… not under raw.
func niceStep(raw int64) int64 {
	for p := int64(1); ; p *= 10 {
		for _, m := range []int64{1, 2, 5} {
			if m*p >= raw {
				return m * p
			}
		}
	}
}

// floorTo rounds v down to a multiple of step.
func floorTo(v, step int64) int64 {
	if v >= 0 {
		return v / step * step
	}
	return -((-v + step - 1) / step * step)
}

func (c LineChart) format(v int64) string {
	if c.Format != nil {
		return c.Format(v)
	}
	return pathway.Thousands(v)
}

// Table returns the chart's figures for the table beside it: one row per
// point, its label and each series' value ("" where a series has none).
func (c LineChart) Table() Table {
	t := Table{Caption: c.Title, Head: []string{c.XHead}, Numeric: []bool{false}}
	for _, s := range c.Series {
		t.Head = append(t.Head, s.Name)
		t.Numeric = append(t.Numeric, true)
	}
	for i, label := range c.X {
		row := []string{label}
		for _, s := range c.Series {
			cell := ""
			if i < len(s.Values) {
				cell = c.format(s.Values[i])
			}
			row = append(row, cell)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}
