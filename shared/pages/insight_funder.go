package pages

// The funder's dashboard: what its money did, per programme and in
// total, from shared/insight/funding. Charts are SVG drawn on the server
// (shared/insight/svgchart) with the same figures in a table beside each,
// so the page needs no JavaScript and reads at 320 px and in print.

import (
	"net/http"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/insight/funding"
	"github.com/coopcarepathway/pathway/shared/insight/svgchart"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// funderInsightPath is the funder's dashboard.
const funderInsightPath = "/insight/funder"

// funderInsightData is what the dashboard shows.
type funderInsightData struct {
	Report   *funding.Report
	Sections []funderSection
}

// funderSection is the figures of all programmes or of one, with their
// charts.
type funderSection struct {
	ID, Heading string
	// Intro says what the section covers.
	Intro    string
	Figures  funding.Figures
	Money    svgchart.LineChart
	Statuses svgchart.BarChart
	Areas    funderGroupChart
	Forms    funderGroupChart
	Origins  funderGroupChart
}

// funderGroupChart is the awards of a grouping: a chart of their pence,
// and the rows of the table beside it (awards and pence).
type funderGroupChart struct {
	Chart svgchart.BarChart
	Head  string
	Rows  []funding.Group
}

// funderInsight shows the signed-in funder's dashboard; anyone else is
// told the page is not found, as the service says.
func (h *Handler) funderInsight(w http.ResponseWriter, r *http.Request) {
	if h.funding == nil {
		h.NotFound(w, r)
		return
	}
	u := userFrom(r)
	rep, err := h.funding.Report(r.Context(), u, u.Organisation)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	d := funderInsightData{Report: rep}
	d.Sections = append(d.Sections, funderSectionOf("all", "All your programmes", "The figures of every programme together.", rep.Total))
	for _, p := range rep.Programmes {
		d.Sections = append(d.Sections, funderSectionOf("p-"+p.ID, p.Name, "The figures of this programme alone.", p.Figures))
	}
	h.render(w, r, http.StatusOK, "insight-funder", &page{Title: "What your grants did", Nav: "insight", Data: d})
}

// funderSectionOf builds a section's charts from its figures.
func funderSectionOf(id, heading, intro string, f funding.Figures) funderSection {
	s := funderSection{ID: id, Heading: heading, Intro: intro, Figures: f}
	s.Money = svgchart.LineChart{
		ID: id + "-money", Title: "Money by month: " + heading,
		Desc:  "Awarded and paid to the end of each month, and what remained of the budget to award.",
		XHead: "Month", Step: true, Format: grants.Pounds,
	}
	var awarded, paid, remaining []int64
	for _, m := range f.Months {
		s.Money.X = append(s.Money.X, monthLabel(m.Month))
		awarded = append(awarded, m.AwardedToDate)
		paid = append(paid, m.PaidToDate)
		remaining = append(remaining, m.Remaining)
	}
	s.Money.Series = []svgchart.Series{{Name: "Awarded to date", Values: awarded}, {Name: "Paid to date", Values: paid}, {Name: "Remaining to award", Values: remaining}}
	s.Statuses = svgchart.BarChart{
		ID: id + "-status", Title: "Applications by status: " + heading,
		Desc:      "How many applications sent are at each status now.",
		LabelHead: "Status", ValueHead: "Applications",
	}
	for _, st := range f.Statuses {
		s.Statuses.Bars = append(s.Statuses.Bars, svgchart.Bar{Label: st.Name, Value: st.Count})
	}
	s.Areas = groupChart(id+"-area", "Awards by council area: "+heading, "Council area", f.ByArea)
	s.Forms = groupChart(id+"-form", "Awards by legal form: "+heading, "Legal form", f.ByLegalForm)
	s.Origins = groupChart(id+"-origin", "Awards by how the co-op began: "+heading, "How the co-op began", f.ByOrigin)
	return s
}

// groupChart charts the pence awarded to each group.
func groupChart(id, title, head string, gs []funding.Group) funderGroupChart {
	c := svgchart.BarChart{ID: id, Title: title, Desc: "The money awarded to co-ops in each group, largest first.",
		LabelHead: head, ValueHead: "Awarded", Format: grants.Pounds}
	for _, g := range gs {
		c.Bars = append(c.Bars, svgchart.Bar{Label: g.Name, Value: g.Pence})
	}
	return funderGroupChart{Chart: c, Head: head, Rows: gs}
}

// monthLabel writes "2027-06" as "Jun 2027".
func monthLabel(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("Jan 2006")
}

// funderDays writes a number of days for people, "No decisions yet" when
// nothing was decided.
func funderDays(d interface{ String() string }, ok bool) string {
	if !ok {
		return "No decisions yet"
	}
	s := d.String()
	if s == "1" {
		return "1 day"
	}
	return s + " days"
}

func init() {
	funcs["monthLabel"] = monthLabel
	funcs["funderCount"] = pathway.Thousands
	funcs["medianDays"] = func(d funding.Decisions) string { return funderDays(d.MedianDays, d.MedianDays != nil) }
	funcs["p90Days"] = func(d funding.Decisions) string { return funderDays(d.P90Days, d.P90Days != nil) }
}
