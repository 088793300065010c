package pages

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/insight/stats"
)

// TestAgencyCohortOptions: the chooser offers this month in UK time and
// the 23 before it, newest first; a chosen month outside them is added.
func TestAgencyCohortOptions(t *testing.T) {
	// 23:30 UTC on 30 June 2027 is already 1 July in the UK (BST).
	now := time.Date(2027, 6, 30, 23, 30, 0, 0, time.UTC)
	got := agencyCohortOptions(now, "")
	if len(got) != agencyCohortMonths {
		t.Fatalf("%d months, want %d", len(got), agencyCohortMonths)
	}
	if got[0] != (option{Value: "2027-07", Label: "July 2027"}) || got[1].Value != "2027-06" || got[23] != (option{Value: "2025-08", Label: "August 2025"}) {
		t.Errorf("months = %v … %v", got[:2], got[23])
	}
	more := agencyCohortOptions(now, "2020-02")
	if last := more[len(more)-1]; last != (option{Value: "2020-02", Label: "February 2020"}) {
		t.Errorf("a chosen older month shows as %v", last)
	}
	if n := len(agencyCohortOptions(now, "2027-06")); n != agencyCohortMonths {
		t.Errorf("a month already offered is added again: %d", n)
	}
}

// TestAgencyInsightView: the view of a hand-made report: the funnel's
// bars are the reached counts of the main road and the counts of the
// ends; the days chart has a median and a 90th percentile bar only for
// stages some co-op has left; overdue by owner comes in a fixed order.
func TestAgencyInsightView(t *testing.T) {
	med, _ := stats.Summarise([]int{1, 2, 3})
	rep := &pipeline.Report{Total: 5, Filter: pipeline.Filter{Cohort: "2027-06"}}
	for _, s := range pipeline.Stages {
		f := pipeline.StageFigure{Stage: s}
		switch s {
		case pipeline.StageApplied:
			f.Reached, f.Left, f.MedianDays, f.P90Days = 5, 3, &med.Median, &med.P90
		case pipeline.StagePanel:
			f.Reached, f.Count = 3, 3
		case pipeline.StageWithdrawn:
			f.Reached, f.Count = 2, 2
		}
		rep.Stages = append(rep.Stages, f)
	}
	rep.WaitingOn = pipeline.WaitingOn{Agency: 3, OverdueByOwner: map[string]int64{pipeline.OwnerFounders: 1, pipeline.OwnerAgency: 2}}
	v := newAgencyInsightView(rep, func(id string) string { return id })
	if v.Heading != "Co-ops that applied in June 2027" {
		t.Errorf("heading %q", v.Heading)
	}
	svg := string(v.Funnel)
	for _, w := range []string{"Applied", "Withdrawn", "url(#funnel-hatched)", "Journey ended here"} {
		if !strings.Contains(svg, w) {
			t.Errorf("the funnel does not draw %q", w)
		}
	}
	if len(v.FunnelRows) != len(pipeline.Stages) || v.FunnelRows[1].Reached != "3" || !v.FunnelRows[len(v.FunnelRows)-2].End {
		t.Errorf("funnel rows %+v", v.FunnelRows)
	}
	// Only the applied stage has days; the panel has co-ops in it, none left.
	if len(v.DaysRows) != 3 || v.DaysRows[0].Median != "2" || v.DaysRows[0].P90 != "2.8" || v.DaysRows[1].Median != "" {
		t.Errorf("days rows %+v", v.DaysRows)
	}
	if d := string(v.Days); strings.Count(d, "<rect") < 2 || !strings.Contains(d, "2.8 days") {
		t.Errorf("the days chart: %s", d)
	}
	var labels []string
	for _, r := range v.WaitingRows {
		labels = append(labels, r.Label+"="+r.Count)
	}
	want := []string{"Waiting on the agency=3", "Waiting on the founders=0", "Overdue, all=0", "Overdue: the agency=2", "Overdue: the founders=1"}
	if !slices.Equal(labels, want) {
		t.Errorf("waiting rows %v, want %v", labels, want)
	}
}

// TestAgencyDaysText: hundredths of a day written to a tenth.
func TestAgencyDaysText(t *testing.T) {
	for in, want := range map[int64]string{0: "0 days", 100: "1 day", 1250: "12.5 days", 1234: "12.3 days", 1235: "12.4 days", 780: "7.8 days"} {
		if got := agencyDaysText(in); got != want {
			t.Errorf("agencyDaysText(%d) = %q, want %q", in, got, want)
		}
	}
	if agencyCount(1234567) != "1,234,567" || agencyCount(-1234) != "-1,234" || agencyCount(12) != "12" {
		t.Error("agencyCount does not group thousands")
	}
}
