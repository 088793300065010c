package journey_test

import (
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestViewWordsTheNextStepForTheReader: the API's nextStep tells founders
// what they are to do and tells staff where the co-op stands, as the
// pages do.
func TestViewWordsTheNextStepForTheReader(t *testing.T) {
	s := newService(t, testkit.Store(t))
	s.coop("coop-words", pathway.StageCQCPreparing)
	s.checklist("coop-words", 2)
	founderView, err := s.svc.View(s.ctx, founder, "coop-words")
	s.must(err)
	staffView, err := s.svc.View(s.ctx, staff(1), "coop-words")
	s.must(err)
	if !strings.Contains(strings.ToLower(founderView.NextStep), "your") || strings.Contains(founderView.NextStep, "Co-op coop-words is") {
		t.Errorf("founders read %q, want what they are to do", founderView.NextStep)
	}
	if !strings.HasPrefix(staffView.NextStep, "Co-op coop-words is") || strings.Contains(strings.ToLower(staffView.NextStep), "your") {
		t.Errorf("staff read %q, want where the co-op stands", staffView.NextStep)
	}
}
