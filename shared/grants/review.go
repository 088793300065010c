package grants

import (
	"cmp"
	"fmt"
	"slices"
	"sort"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Declaration is a reviewer's statement about a conflict of interest,
// made before they see the application. A conflict excludes the
// reviewer from the application for good.
type Declaration struct {
	Application string    `json:"application" validate:"required,max=64"`
	Reviewer    string    `json:"reviewer" validate:"required,max=128"`
	Conflict    bool      `json:"conflict"`
	Reason      string    `json:"reason,omitempty" validate:"max=2000,safelongtext"`
	At          time.Time `json:"at" validate:"required"`
}

// Validate reports whether d is well formed: a conflict needs its reason.
func (d *Declaration) Validate() error {
	if d.Conflict && d.Reason == "" {
		return pathway.Invalid(map[string]string{"reason": "Say what the conflict of interest is"})
	}
	return validate(d)
}

// Recommendations a reviewer may make.
const (
	RecommendAward  = "award"
	RecommendReject = "reject"
	RecommendRevise = "revise"
)

// Review is one reviewer's scores of one application.
type Review struct {
	Application string `json:"application" validate:"required,max=64"`
	Reviewer    string `json:"reviewer" validate:"required,max=128"`
	// Scores maps each criterion's ID to a score from 0 to 5.
	Scores map[string]int `json:"scores" validate:"required"`
	// Comments maps criteria's IDs to the reviewer's comment.
	Comments       map[string]string `json:"comments,omitempty" validate:"dive,max=5000,safelongtext"`
	Recommendation string            `json:"recommendation" validate:"required,oneof=award reject revise"`
	At             time.Time         `json:"at" validate:"required"`
}

// Validate reports whether r is well formed on its own: every score on
// the 0–5 scale (CheckScores holds them to a programme's criteria).
func (r *Review) Validate() error {
	if err := validate(r); err != nil {
		return err
	}
	f := map[string]string{}
	for id, s := range r.Scores {
		if s < 0 || s > MaxScore {
			f["scores."+id] = "Must be a score from 0 to 5"
		}
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	return nil
}

// CheckScores holds scores and comments to the programme's criteria:
// every criterion scored from 0 to 5, none unknown.
func CheckScores(p *Programme, scores map[string]int, comments map[string]string) error {
	f := map[string]string{}
	for _, c := range p.Criteria {
		s, ok := scores[c.ID]
		switch {
		case !ok:
			f["scores."+c.ID] = fmt.Sprintf("Give %s a score from 0 to 5", c.Name)
		case s < 0 || s > MaxScore:
			f["scores."+c.ID] = "Must be a score from 0 to 5"
		}
	}
	for id := range scores {
		if _, ok := p.Criterion(id); !ok {
			f["scores."+id] = "Is not one of the programme's criteria"
		}
	}
	for id := range comments {
		if _, ok := p.Criterion(id); !ok {
			f["comments."+id] = "Is not one of the programme's criteria"
		}
	}
	if len(f) > 0 {
		return pathway.Invalid(f)
	}
	return nil
}

// Score is a weighted score in tenths of a percent: 724 is 72.4%.
type Score int

// String writes the score as a percentage with one decimal place.
func (s Score) String() string { return fmt.Sprintf("%d.%d%%", s/10, s%10) }

// WeightedScore is one review's weighted score: Σ(weight × score) over
// the criteria, as a share of the most possible (5 × 100). In tenths of
// a percent it is exactly 2 × Σ(weight × score), so no rounding happens.
// A criterion the review did not score counts 0.
func WeightedScore(p *Programme, scores map[string]int) Score {
	return Score(2 * weightedSum(p, scores))
}

// weightedSum is Σ(weight × score), at most 500.
func weightedSum(p *Programme, scores map[string]int) int {
	sum := 0
	for _, c := range p.Criteria {
		sum += c.Weight * scores[c.ID]
	}
	return sum
}

// MeanScore is the weighted score of several reviews: the mean of their
// weighted scores in tenths of a percent, rounded half up, computed in
// integers (2 × Σ sums, over n). Zero without reviews.
func MeanScore(p *Programme, reviews []*Review) Score {
	if len(reviews) == 0 {
		return 0
	}
	total := 0
	for _, r := range reviews {
		total += 2 * weightedSum(p, r.Scores)
	}
	n := len(reviews)
	return Score((2*total + n) / (2 * n)) // half up: floor(total/n + 1/2)
}

// SpreadFlag is the spread between reviewers' scores of a criterion at
// which the lead is told they disagree.
const SpreadFlag = 2

// Spread is how far reviewers' scores of one criterion are apart.
type Spread struct {
	Criterion string `json:"criterion"`
	Min       int    `json:"min"`
	Max       int    `json:"max"`
	// Spread is Max − Min; Flagged when it is SpreadFlag or more.
	Spread  int  `json:"spread"`
	Flagged bool `json:"flagged"`
}

// Spreads returns the spread of each criterion, in the programme's order,
// over the reviews that scored it.
func Spreads(p *Programme, reviews []*Review) []Spread {
	out := make([]Spread, 0, len(p.Criteria))
	for _, c := range p.Criteria {
		sp, seen := Spread{Criterion: c.ID}, false
		for _, r := range reviews {
			s, ok := r.Scores[c.ID]
			if !ok {
				continue
			}
			if !seen {
				sp.Min, sp.Max, seen = s, s, true
			}
			sp.Min, sp.Max = min(sp.Min, s), max(sp.Max, s)
		}
		sp.Spread = sp.Max - sp.Min
		sp.Flagged = sp.Spread >= SpreadFlag
		out = append(out, sp)
	}
	return out
}

// ReviewerScore is one reviewer's weighted score, for the lead's page.
type ReviewerScore struct {
	Reviewer       string `json:"reviewer"`
	Score          Score  `json:"score"`
	Recommendation string `json:"recommendation"`
}

// ReviewerScores returns each review's weighted score, ordered by reviewer.
func ReviewerScores(p *Programme, reviews []*Review) []ReviewerScore {
	out := make([]ReviewerScore, len(reviews))
	for i, r := range reviews {
		out[i] = ReviewerScore{r.Reviewer, WeightedScore(p, r.Scores), r.Recommendation}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Reviewer < out[j].Reviewer })
	return out
}

// Ranked is one application in the ranked list awaiting decision.
type Ranked struct {
	Application *Application `json:"application"`
	Score       Score        `json:"score"`
	Rank        int          `json:"rank"`
}

// Rank orders the programme's applications awaiting decision by their
// mean weighted score, highest first; ties go to the one sent first,
// then the lower ID, so the order is the same on every reading. Equal
// scores share a rank ("1, 2, 2, 4"). reviews maps an application's ID
// to its reviews; applications in another status are left out.
func Rank(p *Programme, apps []*Application, reviews map[string][]*Review) []Ranked {
	var out []Ranked
	for _, a := range apps {
		if a.Status == StatusAwaitingDecision && a.Programme == p.ID {
			out = append(out, Ranked{Application: a, Score: MeanScore(p, reviews[a.ID])})
		}
	}
	slices.SortFunc(out, func(x, y Ranked) int {
		return cmp.Or(cmp.Compare(y.Score, x.Score),
			x.Application.SubmittedAt.Compare(y.Application.SubmittedAt),
			cmp.Compare(x.Application.ID, y.Application.ID))
	})
	for i := range out {
		out[i].Rank = i + 1
		if i > 0 && out[i].Score == out[i-1].Score {
			out[i].Rank = out[i-1].Rank
		}
	}
	return out
}
