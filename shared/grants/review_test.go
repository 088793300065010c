package grants_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

func review(reviewer string, need, plan, team int) *grants.Review {
	return &grants.Review{Application: "app-1", Reviewer: reviewer, Recommendation: grants.RecommendAward, At: day,
		Scores: map[string]int{"need": need, "plan": plan, "team": team}}
}

// TestWeightedScore: weights 40/35/25; score = Σ(w×s)/500 as a percentage.
func TestWeightedScore(t *testing.T) {
	p := programme()
	tests := []struct {
		need, plan, team int
		want             grants.Score
	}{
		{5, 5, 5, 1000},
		{0, 0, 0, 0},
		{4, 3, 2, 630}, // 160+105+50 = 315 of 500 = 63.0%
		{1, 0, 0, 80},  // 40 of 500 = 8.0%
		{0, 1, 0, 70},  // 35 of 500 = 7.0%
		{0, 0, 1, 50},  // 25 of 500 = 5.0%
		{3, 4, 3, 670}, // 120+140+75 = 335 of 500 = 67.0%
	}
	for _, tc := range tests {
		got := grants.WeightedScore(p, review("r", tc.need, tc.plan, tc.team).Scores)
		if got != tc.want {
			t.Errorf("scores %d/%d/%d: %v, want %v", tc.need, tc.plan, tc.team, got, tc.want)
		}
	}
	if got := grants.WeightedScore(p, map[string]int{"need": 3, "plan": 4, "team": 3}).String(); got != "67.0%" {
		t.Errorf("text = %s, want 67.0%%", got)
	}
	if got := grants.Score(685).String(); got != "68.5%" {
		t.Errorf("text = %s", got)
	}
}

// TestMeanScoreRounding: the mean of reviewers' scores, in tenths, half up.
func TestMeanScoreRounding(t *testing.T) {
	p := programme()
	tests := []struct {
		name    string
		reviews []*grants.Review
		want    grants.Score
	}{
		{"none", nil, 0},
		{"one", []*grants.Review{review("a", 4, 3, 2)}, 630},
		// 630 and 700 (need 4, plan 4, team 2 = 160+140+50 = 350 → 700): mean 665.
		{"two, exact", []*grants.Review{review("a", 4, 3, 2), review("b", 4, 4, 2)}, 665},
		// 80 + 0 + 0 = 80 over 3 = 26.67 → 27 (half up from .67).
		{"three, rounds up", []*grants.Review{review("a", 1, 0, 0), review("b", 0, 0, 0), review("c", 0, 0, 0)}, 27},
		// 80 + 70 = 150 over 4 = 37.5 → 38.
		{"four, half goes up", []*grants.Review{review("a", 1, 0, 0), review("b", 0, 1, 0), review("c", 0, 0, 0), review("d", 0, 0, 0)}, 38},
		{"three, .67 goes up", []*grants.Review{review("a", 0, 0, 1), review("b", 0, 0, 1), review("c", 0, 1, 0)}, 57},                                                                 // 170/3 = 56.67 → 57
		{"six, .67 goes up", []*grants.Review{review("a", 0, 0, 1), review("b", 0, 0, 1), review("c", 0, 0, 0), review("d", 0, 0, 0), review("e", 0, 0, 0), review("f", 0, 0, 0)}, 17}, // 100/6 = 16.67 → 17
		{"three, 16.67 goes up", []*grants.Review{review("a", 0, 0, 1), review("b", 0, 0, 0), review("c", 0, 0, 0)}, 17},                                                               // 50/3 = 16.67 → 17
		{"three, exact", []*grants.Review{review("a", 0, 0, 2), review("b", 0, 0, 0), review("c", 1, 0, 0)}, 60},                                                                       // 100+80 = 180/3 = 60
		{"three, .33 goes down", []*grants.Review{review("a", 0, 1, 0), review("b", 0, 0, 0), review("c", 0, 0, 0)}, 23},                                                               // 70/3 = 23.33 → 23
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if got := grants.MeanScore(p, tc.reviews); got != tc.want {
				t.Errorf("mean = %d, want %d", got, tc.want)
			}
		})
	}
}

func TestSpreads(t *testing.T) {
	p := programme()
	got := grants.Spreads(p, []*grants.Review{review("a", 5, 3, 2), review("b", 3, 4, 2), review("c", 4, 3, 3)})
	want := []grants.Spread{
		{Criterion: "need", Min: 3, Max: 5, Spread: 2, Flagged: true},
		{Criterion: "plan", Min: 3, Max: 4, Spread: 1},
		{Criterion: "team", Min: 2, Max: 3, Spread: 1},
	}
	if len(got) != len(want) {
		t.Fatalf("spreads = %+v", got)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("spread %d = %+v, want %+v", i, got[i], want[i])
		}
	}
	one := grants.Spreads(p, []*grants.Review{review("a", 0, 5, 1)})
	if one[1].Spread != 0 || one[1].Flagged || one[1].Min != 5 {
		t.Errorf("one review: %+v", one[1])
	}
}

func TestReviewerScores(t *testing.T) {
	got := grants.ReviewerScores(programme(), []*grants.Review{review("zoe", 5, 5, 5), review("amir", 0, 0, 1)})
	if len(got) != 2 || got[0].Reviewer != "amir" || got[0].Score != 50 || got[1].Score != 1000 {
		t.Errorf("scores = %+v", got)
	}
}

// TestRank: highest score first; ties to the earlier sent, then lower ID;
// other statuses and programmes left out.
func TestRank(t *testing.T) {
	p := programme()
	mk := func(id string, sent time.Duration, status string) *grants.Application {
		a := application()
		a.ID, a.Status, a.SubmittedAt = id, status, day.Add(sent)
		return a
	}
	apps := []*grants.Application{
		mk("late-tie", 3*time.Hour, grants.StatusAwaitingDecision),
		mk("top", 5*time.Hour, grants.StatusAwaitingDecision),
		mk("early-tie", time.Hour, grants.StatusAwaitingDecision),
		mk("same-time-b", 2*time.Hour, grants.StatusAwaitingDecision),
		mk("same-time-a", 2*time.Hour, grants.StatusAwaitingDecision),
		mk("in-review", 0, grants.StatusInReview),
		mk("unreviewed", 0, grants.StatusAwaitingDecision),
	}
	other := mk("other-programme", 0, grants.StatusAwaitingDecision)
	other.Programme = "another"
	apps = append(apps, other)
	reviews := map[string][]*grants.Review{
		"top":             {review("a", 5, 5, 5)},
		"late-tie":        {review("a", 3, 3, 3)},
		"early-tie":       {review("a", 3, 3, 3)},
		"same-time-a":     {review("a", 3, 3, 3)},
		"same-time-b":     {review("a", 3, 3, 3)},
		"in-review":       {review("a", 5, 5, 5)},
		"other-programme": {review("a", 5, 5, 5)},
	}
	got := grants.Rank(p, apps, reviews)
	want := []struct {
		id   string
		rank int
	}{{"top", 1}, {"early-tie", 2}, {"same-time-a", 2}, {"same-time-b", 2}, {"late-tie", 2}, {"unreviewed", 6}}
	if len(got) != len(want) {
		t.Fatalf("ranked %d, want %d", len(got), len(want))
	}
	for i, w := range want {
		if got[i].Application.ID != w.id || got[i].Rank != w.rank {
			t.Errorf("place %d: %s rank %d, want %s rank %d", i, got[i].Application.ID, got[i].Rank, w.id, w.rank)
		}
	}
}

func TestCheckScores(t *testing.T) {
	p := programme()
	tests := []struct {
		name     string
		scores   map[string]int
		comments map[string]string
		fields   []string
	}{
		{"all scored", map[string]int{"need": 0, "plan": 5, "team": 3}, map[string]string{"need": "Weak"}, nil},
		{"one missing", map[string]int{"need": 1, "plan": 5}, nil, []string{"scores.team"}},
		{"above 5", map[string]int{"need": 6, "plan": 5, "team": 3}, nil, []string{"scores.need"}},
		{"below 0", map[string]int{"need": -1, "plan": 5, "team": 3}, nil, []string{"scores.need"}},
		{"unknown criterion", map[string]int{"need": 1, "plan": 5, "team": 3, "luck": 2}, nil, []string{"scores.luck"}},
		{"comment on unknown", map[string]int{"need": 1, "plan": 5, "team": 3}, map[string]string{"luck": "x"}, []string{"comments.luck"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			err := (&grants.ReviewAnswer{Scores: tc.scores, Comments: tc.comments, Recommendation: "award"}).Check(p)
			if tc.fields == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantFields(t, err, tc.fields...)
		})
	}
	err := (&grants.ReviewAnswer{Scores: map[string]int{"need": 1, "plan": 1, "team": 1}, Recommendation: "maybe"}).Check(p)
	wantFields(t, err, "recommendation")
}

func TestReviewValidate(t *testing.T) {
	r := review("amir", 3, 6, -1)
	wantFields(t, r.Validate(), "scores.plan", "scores.team")
	r = review("amir", 3, 5, 0)
	if err := r.Validate(); err != nil {
		t.Fatal(err)
	}
	r.Recommendation = ""
	wantFields(t, r.Validate(), "recommendation")
}

func TestDeclaration(t *testing.T) {
	d := &grants.Declaration{Application: "app-1", Reviewer: "u1", Conflict: true, At: day}
	wantFields(t, d.Validate(), "reason")
	d.Reason = "My sister is a founder"
	if err := d.Validate(); err != nil {
		t.Fatal(err)
	}
	if err := (&grants.Declaration{Application: "app-1", Reviewer: "u1", At: day}).Validate(); err != nil {
		t.Fatalf("no conflict needs no reason: %v", err)
	}
	if pathway.ErrorCode((&grants.DeclarationAnswer{Conflict: true}).Validate()) != pathway.EINVALID {
		t.Error("declaration answer with a conflict and no reason accepted")
	}
}
