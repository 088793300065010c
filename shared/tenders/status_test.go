package tenders_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

var allStatuses = []string{"draft", "open", "evaluation", "moderation", "award", "standstill", "contracting", "contracted", "no-bids", "cancelled"}

// TestMoves holds the tender status table to every allowed move, and every
// other pair of statuses to a refusal that changes nothing.
func TestMoves(t *testing.T) {
	allowed := map[[2]string]bool{
		{"draft", "open"}: true, {"open", "no-bids"}: true, {"open", "evaluation"}: true,
		{"evaluation", "moderation"}: true, {"moderation", "award"}: true,
		{"award", "standstill"}: true, {"award", "contracting"}: true,
		{"standstill", "contracting"}: true, {"contracting", "contracted"}: true,
		{"draft", "cancelled"}: true, {"open", "cancelled"}: true, {"evaluation", "cancelled"}: true,
		{"moderation", "cancelled"}: true, {"award", "cancelled"}: true, {"standstill", "cancelled"}: true,
	}
	if len(tenders.Moves) != len(allowed) {
		t.Errorf("the table has %d moves, the test %d", len(tenders.Moves), len(allowed))
	}
	at := deadline.Add(time.Hour)
	for _, from := range allStatuses {
		for _, to := range allStatuses {
			td := tender()
			td.Status = from
			err := tenders.Move(td, to, at)
			if allowed[[2]string{from, to}] {
				if err != nil || td.Status != to || !td.UpdatedAt.Equal(at) {
					t.Errorf("%s → %s: err %v, status %s", from, to, err, td.Status)
				}
				continue
			}
			if pathway.ErrorCode(err) != pathway.ECONFLICT || td.Status != from || !td.UpdatedAt.IsZero() || !td.PublishedAt.IsZero() {
				t.Errorf("%s → %s: err %v, status %s: want a conflict changing nothing", from, to, err, td.Status)
			}
		}
	}
	for _, s := range allStatuses {
		want := s == "contracted" || s == "no-bids" || s == "cancelled"
		if tenders.IsEnd(s) != want {
			t.Errorf("IsEnd(%s) = %v", s, !want)
		}
		if _, ok := pathway.TermOf(tenders.Statuses, s); !ok {
			t.Errorf("status %q has no words", s)
		}
	}
}

func TestPublishSetsPublishedAt(t *testing.T) {
	td := tender()
	at := deadline.Add(-30 * 24 * time.Hour)
	if err := tenders.Move(td, tenders.StatusOpen, at); err != nil || !td.PublishedAt.Equal(at) {
		t.Fatalf("publish: err %v, published %v", err, td.PublishedAt)
	}
}

// TestBidMoves holds the bid status table likewise.
func TestBidMoves(t *testing.T) {
	bidStatuses := []string{"submitted", "withdrawn", "assessed", "below-minimum", "won", "lost"}
	allowed := map[[2]string]bool{
		{"submitted", "withdrawn"}: true, {"submitted", "assessed"}: true, {"submitted", "below-minimum"}: true,
		{"assessed", "won"}: true, {"assessed", "lost"}: true,
	}
	if len(tenders.BidMoves) != len(allowed) {
		t.Errorf("the table has %d moves, the test %d", len(tenders.BidMoves), len(allowed))
	}
	at := deadline.Add(time.Hour)
	for _, from := range bidStatuses {
		for _, to := range bidStatuses {
			b := bid()
			b.Status = from
			err := tenders.MoveBid(b, to, at)
			if allowed[[2]string{from, to}] {
				if err != nil || b.Status != to || !b.UpdatedAt.Equal(at) {
					t.Errorf("%s → %s: err %v, status %s", from, to, err, b.Status)
				}
				continue
			}
			if pathway.ErrorCode(err) != pathway.ECONFLICT || b.Status != from || !b.UpdatedAt.IsZero() {
				t.Errorf("%s → %s: err %v, status %s: want a conflict changing nothing", from, to, err, b.Status)
			}
		}
	}
}
