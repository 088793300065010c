package svgchart

import (
	"encoding/xml"
	"flag"
	"html/template"
	"io"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func funnel() BarChart {
	return BarChart{
		ID: "funnel", Title: "Co-ops by stage, June 2027 cohort",
		Desc:      "How many of the 8 co-ops that applied in June 2027 reached each stage of the journey.",
		LabelHead: "Stage", ValueHead: "Co-ops",
		Bars: []Bar{
			{Label: "Applied", Value: 8},
			{Label: "Panel", Value: 6},
			{Label: "Applied to CQC", Value: 3},
			{Label: "Registered", Value: 2},
			{Label: "Contracted", Value: 0},
			{Label: "Withdrawn", Value: 1, Pattern: Hatched},
			{Label: "Declined", Value: 1, Pattern: Dotted},
		},
		Key: []KeyEntry{{Hatched, "Left the journey"}, {Dotted, "Turned down"}},
	}
}

func budget() LineChart {
	return LineChart{
		ID: "budget", Title: "Care Start budget by month",
		Desc:  "Budget awarded, paid and remaining at the end of each month from April to September 2027.",
		XHead: "Month", X: []string{"Apr 2027", "May 2027", "Jun 2027", "Jul 2027", "Aug 2027", "Sep 2027"},
		Series: []Series{
			{Name: "Awarded", Values: []int64{0, 1500000, 1500000, 4000000, 4000000, 5250050}},
			{Name: "Paid", Values: []int64{0, 0, 750000, 750000, 2750000, 3000000}},
			{Name: "Remaining", Values: []int64{10000000, 8500000, 8500000, 6000000, 6000000, 4749950}},
		},
		Step: true, Format: pathway.Pounds,
	}
}

// golden compares got with testdata/name, or rewrites it with -update.
func golden(t *testing.T, name string, got template.HTML) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if string(got)+"\n" != string(want) {
		t.Errorf("%s differs from the golden file; run go test -update and look at the diff\n%s", name, got)
	}
}

// wellFormed parses the SVG as strict XML and returns its root and the
// text of every element, in order.
func wellFormed(t *testing.T, svg template.HTML) (xml.StartElement, []string) {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(string(svg)))
	d.Strict = true
	var root xml.StartElement
	var texts []string
	depth := 0
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v\n%s", err, svg)
		}
		switch tok := tok.(type) {
		case xml.StartElement:
			if depth == 0 {
				if root.Name.Local != "" {
					t.Fatal("more than one root element")
				}
				root = tok
			}
			depth++
		case xml.EndElement:
			depth--
		case xml.CharData:
			if s := strings.TrimSpace(string(tok)); s != "" {
				texts = append(texts, s)
			}
		}
	}
	return root, texts
}

func attr(e xml.StartElement, name string) string {
	for _, a := range e.Attr {
		if a.Name.Local == name {
			return a.Value
		}
	}
	return ""
}

func TestGolden(t *testing.T) {
	pounds := funnel()
	pounds.ID, pounds.Title, pounds.Format = "won", "Grant money awarded by programme", pathway.Pounds
	pounds.Bars = []Bar{{Label: "Care Start", Value: 1250050}, {Label: "Home Care Co-ops & Mutuals", Value: 400000000}}
	pounds.Key = nil
	line := budget()
	line.ID, line.Step = "lines", false
	line.Series = append(line.Series, Series{Name: "Returned", Values: []int64{0, 0, 0, -250000, -250000, -250000}},
		Series{Name: "Other", Values: []int64{1, 2}})
	tests := []struct {
		file string
		svg  template.HTML
	}{
		{"funnel.svg", funnel().SVG()},
		{"money-bars.svg", pounds.SVG()},
		{"budget-step.svg", budget().SVG()},
		{"lines-negative.svg", line.SVG()},
		{"bars-empty.svg", BarChart{ID: "none", Title: "Applications by status", Desc: "None yet."}.SVG()},
		{"line-one-point.svg", LineChart{ID: "one", Title: "Budget", Desc: "One month.", X: []string{"Apr 2027"}, Series: []Series{{Name: "Awarded", Values: []int64{0}}}}.SVG()},
	}
	for _, tc := range tests {
		t.Run(tc.file, func(t *testing.T) {
			root, _ := wellFormed(t, tc.svg)
			if root.Name.Local != "svg" || root.Name.Space != "http://www.w3.org/2000/svg" {
				t.Errorf("root is %v", root.Name)
			}
			golden(t, tc.file, tc.svg)
		})
	}
}

// Every chart is a named image that scales to its container.
func TestAccessibleAndScaling(t *testing.T) {
	for _, svg := range []template.HTML{funnel().SVG(), budget().SVG(), BarChart{ID: "e", Title: "T", Desc: "D"}.SVG()} {
		root, _ := wellFormed(t, svg)
		id := attr(root, "id")
		if attr(root, "role") != "img" || attr(root, "aria-labelledby") != id+"-title "+id+"-desc" {
			t.Errorf("role %q labelledby %q", attr(root, "role"), attr(root, "aria-labelledby"))
		}
		if attr(root, "width") != "100%" || !regexp.MustCompile(`^0 0 300 \d+$`).MatchString(attr(root, "viewBox")) || attr(root, "height") != "" {
			t.Errorf("width %q viewBox %q height %q", attr(root, "width"), attr(root, "viewBox"), attr(root, "height"))
		}
		s := string(svg)
		if !strings.Contains(s, `<title id="`+id+`-title">`) || !strings.Contains(s, `<desc id="`+id+`-desc">`) {
			t.Errorf("no title or desc with the ids: %s", s)
		}
		if strings.Contains(strings.ToLower(s), "<script") || strings.Contains(s, " on") && regexp.MustCompile(` on[a-z]+=`).MatchString(s) {
			t.Error("script in a chart")
		}
	}
}

// Every bar's label and value is written as text, and the table holds the
// same figures.
func TestBarsCarryTheirLabelsAndTable(t *testing.T) {
	c := funnel()
	_, texts := wellFormed(t, c.SVG())
	for _, bar := range c.Bars {
		if !containsInOrder(texts, bar.Label, strconv.FormatInt(bar.Value, 10)) {
			t.Errorf("bar %q: label then value not found in %q", bar.Label, texts)
		}
	}
	tab := c.Table()
	if tab.Caption != c.Title || !reflect.DeepEqual(tab.Head, []string{"Stage", "Co-ops"}) || !reflect.DeepEqual(tab.Numeric, []bool{false, true}) {
		t.Errorf("table head %+v", tab)
	}
	if len(tab.Rows) != 7 || !reflect.DeepEqual(tab.Rows[2], []string{"Applied to CQC", "3"}) {
		t.Errorf("rows %v", tab.Rows)
	}
}

func containsInOrder(texts []string, a, b string) bool {
	for i := 0; i+1 < len(texts); i++ {
		if texts[i] == a && texts[i+1] == b {
			return true
		}
	}
	return false
}

// Bar lengths are proportional to the values; the longest fills the room.
func TestBarLengths(t *testing.T) {
	svg := string(BarChart{ID: "b", Bars: []Bar{{Label: "a", Value: 4}, {Label: "b", Value: 1}, {Label: "c", Value: 0}}}.SVG())
	widths := regexp.MustCompile(`<rect x="4" y="[0-9.]+" width="([0-9.]+)" height="18"`).FindAllStringSubmatch(svg, -1)
	if len(widths) != 2 {
		t.Fatalf("want 2 bars (none for 0), got %d\n%s", len(widths), svg)
	}
	full := float64(Width - 2*barPad - barValue)
	if widths[0][1] != num(full) || widths[1][1] != num(full/4) {
		t.Errorf("widths %s %s, want %s %s", widths[0][1], widths[1][1], num(full), num(full/4))
	}
}

func TestLineTable(t *testing.T) {
	c := budget()
	c.Series = append(c.Series, Series{Name: "Short", Values: []int64{5}})
	tab := c.Table()
	if !reflect.DeepEqual(tab.Head, []string{"Month", "Awarded", "Paid", "Remaining", "Short"}) || len(tab.Numeric) != 5 || tab.Numeric[0] || !tab.Numeric[4] {
		t.Errorf("head %v numeric %v", tab.Head, tab.Numeric)
	}
	if !reflect.DeepEqual(tab.Rows[5], []string{"Sep 2027", "£52,500.50", "£30,000", "£47,499.50", ""}) || !reflect.DeepEqual(tab.Rows[0], []string{"Apr 2027", "£0", "£0", "£100,000", "£0.05"}) {
		t.Errorf("rows %q", tab.Rows)
	}
	_, texts := wellFormed(t, c.SVG())
	for _, want := range []string{"Awarded", "Paid", "Remaining", "Apr 2027", "£100,000", "£0"} {
		if !slicesContains(texts, want) {
			t.Errorf("%q not written in the chart: %q", want, texts)
		}
	}
}

func slicesContains(s []string, v string) bool {
	for _, x := range s {
		if x == v {
			return true
		}
	}
	return false
}

// The step chart holds each value until the next month: horizontal, then
// vertical segments only.
func TestStepDrawsSteps(t *testing.T) {
	c := budget()
	svg := string(c.SVG())
	paths := regexp.MustCompile(`<path d="(M[^"]*)" fill="none"`).FindAllStringSubmatch(svg, -1)
	if len(paths) < 3 || strings.Contains(paths[0][1], "L") || strings.Count(paths[0][1], "H") != 5 || strings.Count(paths[0][1], "V") != 5 {
		t.Errorf("awarded path %v", paths)
	}
	c.Step = false
	paths = regexp.MustCompile(`<path d="(M[^"]*)" fill="none"`).FindAllStringSubmatch(string(c.SVG()), -1)
	if strings.Count(paths[0][1], "L") != 5 {
		t.Errorf("line path %v", paths[0])
	}
}

func TestScale(t *testing.T) {
	tests := []struct {
		values       []int64
		lo, hi, step int64
	}{
		{[]int64{0, 0}, 0, 1, 1},
		{[]int64{8}, 0, 8, 2},
		{[]int64{10000000}, 0, 10000000, 5000000},
		{[]int64{9, 3}, 0, 10, 5},
		{[]int64{-250000, 10000000}, -5000000, 10000000, 5000000},
		{[]int64{-7}, -8, 0, 2},
	}
	for _, tc := range tests {
		lo, hi, step := LineChart{Series: []Series{{Values: tc.values}}}.scale()
		if lo != tc.lo || hi != tc.hi || step != tc.step {
			t.Errorf("%v: %d..%d by %d, want %d..%d by %d", tc.values, lo, hi, step, tc.lo, tc.hi, tc.step)
		}
	}
}

// Labels are text, never markup: a label cannot open a script or break
// the XML.
func TestLabelsAreEscaped(t *testing.T) {
	evil := `<script>alert("x")</script> Smith & Jones' "Care"`
	bars := BarChart{ID: `x" onload="alert(1)`, Title: evil, Desc: evil, Bars: []Bar{{Label: evil, Value: 1}}, Key: []KeyEntry{{Hatched, evil}}}
	line := LineChart{ID: "l", Title: evil, Desc: evil, X: []string{evil}, Series: []Series{{Name: evil, Values: []int64{1}}}}
	for _, svg := range []template.HTML{bars.SVG(), line.SVG()} {
		s := string(svg)
		if strings.Contains(s, "<script") || strings.Contains(s, `"alert`) || strings.Contains(s, "onload=") {
			t.Errorf("unescaped: %s", s)
		}
		if !strings.Contains(s, "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; Smith &amp; Jones&#39; &#34;Care&#34;") {
			t.Errorf("label not escaped as expected: %s", s)
		}
		_, texts := wellFormed(t, svg)
		if !slicesContains(texts, evil) {
			t.Errorf("the label does not read back as written: %q", texts)
		}
	}
	if attr(must(wellFormed(t, bars.SVG())), "id") != "xonloadalert1" {
		t.Error("id not cleaned")
	}
}

func must(e xml.StartElement, _ []string) xml.StartElement { return e }

func TestSafeID(t *testing.T) {
	for in, want := range map[string]string{"": "chart", "funnel-2027": "funnel-2027", "9a": "c-9a", `a b"<`: "ab", "_x": "c-_x"} {
		if got := safeID(in); got != want {
			t.Errorf("safeID(%q) = %q, want %q", in, got, want)
		}
	}
}

// WCAG 2.1 contrast against the white page: 4.5:1 for text (1.4.3), 3:1
// for bars, lines and markers (1.4.11).
func TestColoursMeetContrast(t *testing.T) {
	if r := contrast(Ink, "#ffffff"); r < 4.5 {
		t.Errorf("text %s: %.2f:1", Ink, r)
	}
	for _, c := range append([]string{BarBlue}, seriesColours...) {
		if r := contrast(c, "#ffffff"); r < 3 {
			t.Errorf("%s: %.2f:1", c, r)
		}
	}
	// the check itself: black on white is 21:1, GOV.UK blue 5.17:1
	if r := contrast("#000000", "#ffffff"); math.Abs(r-21) > 0.01 {
		t.Errorf("black %.2f", r)
	}
	if r := contrast("#1d70b8", "#ffffff"); math.Abs(r-5.17) > 0.01 {
		t.Errorf("blue %.2f", r)
	}
	if len(seriesDashes) != len(seriesColours) || seriesDashes[0] != "" {
		t.Error("each colour needs its own dash pattern")
	}
}

// contrast is the WCAG 2.1 contrast ratio of two #rrggbb colours.
func contrast(a, b string) float64 {
	la, lb := luminance(a), luminance(b)
	return (max(la, lb) + 0.05) / (min(la, lb) + 0.05)
}

func luminance(hex string) float64 {
	v, _ := strconv.ParseUint(hex[1:], 16, 32)
	ch := func(shift uint) float64 {
		c := float64((v>>shift)&0xff) / 255
		if c <= 0.03928 {
			return c / 12.92
		}
		return math.Pow((c+0.055)/1.055, 2.4)
	}
	return 0.2126*ch(16) + 0.7152*ch(8) + 0.0722*ch(0)
}

// Two charts on one page never share an id (axe: duplicate-id).
func TestIDsArePerChart(t *testing.T) {
	a, b := funnel(), funnel()
	b.ID = "other"
	ids := regexp.MustCompile(` id="([^"]+)"`)
	seen := map[string]bool{}
	for _, svg := range []template.HTML{a.SVG(), b.SVG()} {
		for _, m := range ids.FindAllStringSubmatch(string(svg), -1) {
			if seen[m[1]] {
				t.Errorf("id %q twice", m[1])
			}
			seen[m[1]] = true
		}
	}
	if len(seen) != 10 {
		t.Errorf("ids %v", seen)
	}
}

func TestWrap(t *testing.T) {
	tests := []struct {
		s     string
		width int
		want  []string
	}{
		{"Applied", 38, []string{"Applied"}},
		{"", 38, []string{""}},
		{"one two three", 7, []string{"one two", "three"}},
		{"one two three", 8, []string{"one two", "three"}},
		{"averyveryverylongword and", 5, []string{"averyveryverylongword", "and"}},
		{"  spaced   out  ", 38, []string{"spaced out"}},
	}
	for _, tc := range tests {
		if got := wrap(tc.s, tc.width); !reflect.DeepEqual(got, tc.want) {
			t.Errorf("wrap(%q, %d) = %q, want %q", tc.s, tc.width, got, tc.want)
		}
	}
	if labelChars != 38 {
		t.Errorf("labelChars = %d", labelChars)
	}
}

// A long label wraps over lines inside the chart, each line in view, and
// the chart grows to hold them.
func TestLongLabelsWrap(t *testing.T) {
	long := "The Greater Northumberland and Tyne Valley Home Care Co-operative Development Programme"
	c := BarChart{ID: "w", Title: "Grants by programme", Desc: "Money awarded per programme.", Bars: []Bar{{Label: long, Value: 3}, {Label: "Care Start", Value: 1}}}
	svg := c.SVG()
	root, texts := wellFormed(t, svg)
	want := wrap(long, labelChars)
	if len(want) != 3 || !reflect.DeepEqual(texts[2:5], want) || strings.Join(want, " ") != long {
		t.Errorf("lines %q, want %q", texts, want)
	}
	short := BarChart{ID: "w", Bars: []Bar{{Label: "a", Value: 3}, {Label: "b", Value: 1}}}
	rs, _ := wellFormed(t, short.SVG())
	if h, hs := attr(root, "viewBox"), attr(rs, "viewBox"); h != "0 0 300 "+strconv.Itoa(2*barPad+2*barRow+2*lineHeight) || hs != "0 0 300 "+strconv.Itoa(2*barPad+2*barRow) {
		t.Errorf("viewBoxes %q and %q", h, hs)
	}
	golden(t, "long-label.svg", svg)
}

// However many months a chart shows, the month labels written never
// overlap: the centres of neighbours are further apart than a label is
// wide.
func TestMonthLabelsNeverOverlap(t *testing.T) {
	labelX := regexp.MustCompile(`<text x="([0-9.]+)" y="[0-9.]+" text-anchor="middle"`)
	for n := 1; n <= 36; n++ {
		c := LineChart{ID: "m", Title: "t", Desc: "d", Format: func(v int64) string { return "£" + pathway.Thousands(v) }}
		s := Series{Name: "Awarded"}
		for i := range n {
			c.X = append(c.X, time.Date(2027, time.Month(1+i), 1, 0, 0, 0, 0, time.UTC).Format("Jan 2006"))
			s.Values = append(s.Values, int64(i)*100000000)
		}
		c.Series = []Series{s}
		xs := labelX.FindAllStringSubmatch(string(c.SVG()), -1)
		if len(xs) == 0 {
			t.Fatalf("%d months: no labels", n)
		}
		for i := 1; i < len(xs); i++ {
			a, _ := strconv.ParseFloat(xs[i-1][1], 64)
			b, _ := strconv.ParseFloat(xs[i][1], 64)
			if b-a < 8*charWidth {
				t.Errorf("%d months: labels %.1f apart", n, b-a)
			}
		}
		if n >= 2 && len(xs) < 2 {
			t.Errorf("%d months: only %d label", n, len(xs))
		}
	}
}
