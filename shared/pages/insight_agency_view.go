package pages

import (
	"html/template"
	"slices"
	"strconv"

	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/insight/svgchart"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// agencyInsightView is the dashboard's figures as the template shows them: each
// chart drawn, with the rows of the table beside it.
type agencyInsightView struct {
	// Heading says whose figures they are: "All your co-ops" or "Co-ops
	// that applied in June 2027".
	Heading string
	Total   int64
	AsOf    string
	// Funnel is the journey's stages: how many reached each and are in it.
	Funnel      template.HTML
	FunnelTitle string
	FunnelRows  []agencyFunnelRow
	// Days is the days spent in each stage.
	Days      template.HTML
	DaysTitle string
	DaysRows  []agencyDaysRow
	// Waiting is what waits on whom.
	Waiting      template.HTML
	WaitingTitle string
	WaitingRows  []agencyCountRow
	// Programmes are the grants and contracts won per programme.
	Programmes []agencyProgrammeRow
}

// agencyFunnelRow is one stage of the funnel's table.
type agencyFunnelRow struct {
	Stage, Name string
	// End reports a stage where the journey ends.
	End bool
	// Count is in the stage now, Reached ever reached it, Conversion
	// the share of the stage before's co-ops that reached it ("" for the
	// first stage and the ends).
	Count, Reached, Conversion string
}

// agencyDaysRow is one stage of the days table.
type agencyDaysRow struct {
	Name string
	// Left counts the co-ops that have left the stage; Median and P90
	// are "" when none has.
	Left        string
	Median, P90 string
}

// agencyCountRow is a label and a count.
type agencyCountRow struct{ Label, Count string }

// agencyProgrammeRow is one programme's grants and contracts, money in pounds.
type agencyProgrammeRow struct {
	Name                                 string
	Coops, Funded, Contracted, Contracts string
	Awarded, Paid, Value                 string
}

// newAgencyInsightView builds the dashboard's figures from a report; name
// returns a programme's name from its ID.
func newAgencyInsightView(rep *pipeline.Report, name func(string) string) *agencyInsightView {
	v := &agencyInsightView{Total: rep.Total, AsOf: pathway.FormatDate(rep.AsOf), Heading: "All your co-ops"}
	if rep.Filter.Cohort != "" {
		v.Heading = "Co-ops that applied in " + agencyCohortName(rep.Filter.Cohort)
	}
	v.funnel(rep)
	v.days(rep)
	v.waiting(rep.WaitingOn)
	for _, p := range rep.Programmes {
		n := p.Name
		if n == "" {
			n = name(p.ID)
		}
		v.Programmes = append(v.Programmes, agencyProgrammeRow{
			Name: n, Coops: agencyCount(p.Coops), Funded: agencyCount(p.Funded), Contracted: agencyCount(p.Contracted), Contracts: agencyCount(p.Contracts),
			Awarded: pathway.Pounds(p.GrantsAwarded), Paid: pathway.Pounds(p.GrantsPaid), Value: pathway.Pounds(p.ContractValue),
		})
	}
	return v
}

// agencyMainRoad reports whether a stage is on the journey's main road (not an
// end).
func agencyMainRoad(stage string) bool {
	i := slices.Index(pipeline.Stages, stage)
	return i >= 0 && i <= slices.Index(pipeline.Stages, pipeline.StageContracted)
}

// funnel draws how many co-ops reached each stage of the main road, and
// how many ended at each end, hatched.
func (v *agencyInsightView) funnel(rep *pipeline.Report) {
	conv := map[string]string{}
	for _, c := range rep.Conversion {
		conv[c.To] = "None reached the stage before"
		if c.Rate.Defined() {
			conv[c.To] = c.Rate.String()
		}
	}
	chart := svgchart.BarChart{
		ID: "funnel", LabelHead: "Stage", ValueHead: "Co-ops",
		Title: "Co-ops that reached each stage: " + lowerFirst(v.Heading),
		Desc:  "A bar for each stage of the journey: how many co-ops ever reached it. Hatched bars are the ends, where a journey stops: how many co-ops ended there.",
		Key:   []svgchart.KeyEntry{{Pattern: svgchart.Solid, Meaning: "Reached the stage"}, {Pattern: svgchart.Hatched, Meaning: "Journey ended here"}},
	}
	for _, s := range rep.Stages {
		row := agencyFunnelRow{Stage: s.Stage, Name: agencyStageWords(s), Count: agencyCount(s.Count), Reached: agencyCount(s.Reached)}
		bar := svgchart.Bar{Label: row.Name, Value: s.Reached}
		if agencyMainRoad(s.Stage) {
			row.Conversion = conv[s.Stage]
		} else {
			row.End = true
			bar = svgchart.Bar{Label: row.Name, Value: s.Count, Pattern: svgchart.Hatched}
		}
		chart.Bars = append(chart.Bars, bar)
		v.FunnelRows = append(v.FunnelRows, row)
	}
	if rep.Total == 0 {
		chart.Bars = nil
	}
	v.Funnel, v.FunnelTitle = chart.SVG(), chart.Title
}

// days draws the median and 90th percentile of the days spent in each
// stage by the co-ops that have left it; stages none has left have no bar.
func (v *agencyInsightView) days(rep *pipeline.Report) {
	chart := svgchart.BarChart{
		ID: "days", LabelHead: "Stage", ValueHead: "Days", Format: agencyDaysText,
		Title: "Days spent in each stage",
		Desc:  "For each stage some co-ops have left: the median days they spent in it (solid) and the 90th percentile (dotted), the days within which nine in ten left.",
		Key:   []svgchart.KeyEntry{{Pattern: svgchart.Solid, Meaning: "Median days"}, {Pattern: svgchart.Dotted, Meaning: "90th percentile days"}},
	}
	for _, s := range rep.Stages {
		row := agencyDaysRow{Name: agencyStageWords(s), Left: agencyCount(s.Left)}
		if s.MedianDays != nil && s.P90Days != nil {
			row.Median, row.P90 = s.MedianDays.String(), s.P90Days.String()
			chart.Bars = append(chart.Bars,
				svgchart.Bar{Label: row.Name + ": median", Value: s.MedianDays.Hundredths()},
				svgchart.Bar{Label: row.Name + ": 90th percentile", Value: s.P90Days.Hundredths(), Pattern: svgchart.Dotted})
		}
		if s.Left > 0 || s.Reached > 0 {
			v.DaysRows = append(v.DaysRows, row)
		}
	}
	if len(chart.Bars) == 0 {
		chart.Key = nil
	}
	v.Days, v.DaysTitle = chart.SVG(), chart.Title
}

// waiting draws what waits on the agency and on founders, and what is
// overdue by who must act.
func (v *agencyInsightView) waiting(w pipeline.WaitingOn) {
	chart := svgchart.BarChart{
		ID: "waiting", LabelHead: "Waiting", ValueHead: "Co-ops",
		Title: "What is waiting, and on whom",
		Desc:  "How many co-ops wait on the development agency, how many on their founders, and how many have a task past its due date, by who must act.",
	}
	chart.Bars = append(chart.Bars,
		svgchart.Bar{Label: "Waiting on the agency", Value: w.Agency},
		svgchart.Bar{Label: "Waiting on the founders", Value: w.Founders},
		svgchart.Bar{Label: "Overdue, all", Value: w.Overdue, Pattern: svgchart.Hatched})
	owners := make([]string, 0, len(w.OverdueByOwner))
	for o := range w.OverdueByOwner {
		owners = append(owners, o)
	}
	slices.Sort(owners)
	for _, o := range owners {
		chart.Bars = append(chart.Bars, svgchart.Bar{Label: "Overdue: " + lowerFirst(agencyWaitingWords(o)), Value: w.OverdueByOwner[o], Pattern: svgchart.Hatched})
	}
	chart.Key = []svgchart.KeyEntry{{Pattern: svgchart.Solid, Meaning: "Waiting"}, {Pattern: svgchart.Hatched, Meaning: "Past its due date"}}
	for _, b := range chart.Bars {
		v.WaitingRows = append(v.WaitingRows, agencyCountRow{Label: b.Label, Count: agencyCount(b.Value)})
	}
	v.Waiting, v.WaitingTitle = chart.SVG(), chart.Title
}

// agencyStageWords names a stage: the report's name, or the pipeline's.
func agencyStageWords(s pipeline.StageFigure) string {
	if s.Name != "" {
		return s.Name
	}
	return pipeline.StageName(s.Stage)
}

// agencyDaysText writes hundredths of a day as days to a tenth: "12.5 days".
func agencyDaysText(hundredths int64) string {
	t := (hundredths + 5) / 10
	s := strconv.FormatInt(t/10, 10)
	if t%10 != 0 {
		s += "." + strconv.FormatInt(t%10, 10)
	}
	if s == "1" {
		return "1 day"
	}
	return s + " days"
}

// count writes a count with commas between thousands.
func agencyCount(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
