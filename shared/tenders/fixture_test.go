package tenders_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// deadline is when tender()'s bids close: noon on 15 July 2027, UK time.
var deadline = time.Date(2027, 7, 15, 11, 0, 0, 0, time.UTC)

// tender returns a valid light-touch draft tender with two lots and the
// weights quality 50 (two sub-criteria, 30 and 20), price 40 and social
// value 10.
func tender() *tenders.Tender {
	return &tenders.Tender{
		ID: "t1", Council: "council-a", Title: "Home care in Calderdale",
		Description: "Care and support at home for adults across the borough.",
		Services:    []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
		Areas: []string{"Calderdale Council"}, Value: 1_000_000_00,
		Lots: []tenders.Lot{
			{ID: "north", Name: "Lot 1: north", Value: 600_000_00},
			{ID: "south", Name: "Lot 2: south", Value: 400_000_00},
		},
		Procedure: tenders.ProcedureOpen, LightTouch: true,
		Criteria: []tenders.Criterion{
			{ID: "q1", Name: "Quality of care", Kind: tenders.KindQuality, Weight: 30},
			{ID: "q2", Name: "Workforce", Kind: tenders.KindQuality, Weight: 20},
			{ID: "price", Name: "Price", Kind: tenders.KindPrice, Weight: 40},
			{ID: "sv", Name: "Social value", Kind: tenders.KindSocialValue, Weight: 10},
		},
		Term:             tenders.Term{Start: "2027-10-01", End: "2030-09-30"},
		QuestionsCloseAt: deadline.Add(-14 * 24 * time.Hour),
		TendersCloseAt:   deadline,
		Standstill:       tenders.Standstill{Applies: true, WorkingDays: 8},
		Status:           tenders.StatusDraft, Version: 1,
	}
}

// coop returns a CQC-registered co-op registered for personal care.
func coop() *pathway.Coop {
	return &pathway.Coop{
		ID: "coop-1", Name: "Calder Valley Care Co-op", Stage: pathway.StageCQCRegistered,
		RegulatedActivities: []string{pathway.ActivityPersonalCare}, Founders: []string{"founder-1"},
	}
}

// bid returns a valid submitted bid for tender() pricing north.
func bid() *tenders.Bid {
	return &tenders.Bid{
		ID: "b1", Tender: "t1", Council: "council-a", Coop: "coop-1",
		Lots:      []tenders.LotPrice{{Lot: "north", Price: 500_000_00}},
		Responses: map[string]string{"q1": "We plan visits of at least 30 minutes.", "q2": "Every carer is a member.", "sv": "We hire locally."},
		Status:    tenders.BidSubmitted, Version: 1,
	}
}

// wantFields fails t unless err is EINVALID naming exactly the fields.
func wantFields(t *testing.T, err error, fields ...string) {
	t.Helper()
	if len(fields) == 0 {
		if err != nil {
			t.Fatalf("error = %v, want none", err)
		}
		return
	}
	if pathway.ErrorCode(err) != pathway.EINVALID {
		t.Fatalf("error = %v, want invalid naming %v", err, fields)
	}
	got := pathway.ErrorFields(err)
	for _, f := range fields {
		if got[f] == "" {
			t.Errorf("fields = %v, want %q named", got, f)
		}
	}
	if len(got) != len(fields) {
		t.Errorf("fields = %v, want only %v", got, fields)
	}
}
