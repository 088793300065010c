package grantsteps

import (
	"context"
	"fmt"
	"strings"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/steps"
)

// ScreenOutput is the result of screening.
type ScreenOutput struct {
	// Eligible reports whether the application meets the programme's rules.
	Eligible bool `json:"eligible"`
	// Reasons say, in plain English, each rule it does not meet.
	Reasons []string `json:"reasons"`
	// ReviewSeconds is how long a reviewer has, for the review waits'
	// TimeoutSecondsPath.
	ReviewSeconds int64 `json:"reviewSeconds"`
	// Withdrawn reports that the founders withdrew it before screening.
	Withdrawn bool `json:"withdrawn"`
}

// ScreenApplication is the workflow's first step: the co-op and the
// request against the programme's rules (grants.ScreenApplication). An
// application outside them becomes ineligible with its reasons and the
// founders are told why; one inside them goes in-review.
func (s *Steps) ScreenApplication(ctx context.Context, in Input) (*ScreenOutput, error) {
	return steps.Result(s.screenApplication(ctx, in))
}

func (s *Steps) screenApplication(ctx context.Context, in Input) (*ScreenOutput, error) {
	r, err := s.start(ctx, in)
	if err != nil {
		return nil, err
	}
	out := &ScreenOutput{Reasons: []string{}, ReviewSeconds: steps.Seconds(steps.Days(ReviewDays))}
	a := r.app
	switch a.Status {
	case grants.StatusIneligible: // a second run
		for _, why := range a.Reasons {
			out.Reasons = append(out.Reasons, why.Message)
		}
		return out, nil
	case grants.StatusSubmitted:
	case grants.StatusWithdrawn:
		out.Withdrawn = true
		return out, nil
	default: // screened already: a second run after the move
		out.Eligible = true
		return out, nil
	}
	c, err := s.coop(ctx, r)
	if err != nil {
		return nil, err
	}
	p, err := s.grants.GetProgramme(ctx, a.Programme)
	if err != nil {
		return nil, err
	}
	reasons := grants.ScreenApplication(a, c, p, s.now())
	if len(reasons) == 0 {
		out.Eligible = true
		return out, s.move(ctx, r, grants.StatusInReview, grants.ActionInReview,
			fmt.Sprintf("Screening passed against the rules of %s; reviewers are being assigned.", p.Name), nil)
	}
	for _, why := range reasons {
		out.Reasons = append(out.Reasons, why.Message)
	}
	why := strings.Join(out.Reasons, " ")
	err = s.move(ctx, r, grants.StatusIneligible, grants.ActionIneligible,
		"The application is outside the rules of "+p.Name+": "+why,
		func(a *grants.Application) { a.Reasons = reasons })
	if err != nil {
		return nil, err
	}
	told := "We told the founders the application is outside the programme's rules, and why: " + why
	return out, s.notify(ctx, r, 1, toFounders, told, founderNotice(c, a, told))
}

// Who a notification goes to.
const (
	toFounders  = "founders"
	toFunder    = "funder"
	toFunderLed = "funder-lead"
)
