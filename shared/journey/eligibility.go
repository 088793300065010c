package journey

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// EligibilityQuestions are the eligibility checker's few questions: the
// body of POST /api/eligibility and the checker page's form. They are
// asked before the application, and answered by the same screening the
// application workflow applies (pathway.ScreenReasons).
type EligibilityQuestions struct {
	Programme      string `json:"programme"`
	LocalAuthority string `json:"localAuthority"`
	// Founders is how many founding members the co-op has.
	Founders int `json:"founders"`
	// Classes are the membership classes among them (optional).
	Classes   []string `json:"classes"`
	Services  []string `json:"services"`
	LegalForm string   `json:"legalForm"`
	// Origin is how the co-op came about; empty means a new start.
	Origin string `json:"origin"`
}

// EligibilityResult answers the checker: eligible, or the reasons the
// screening would give, each naming the answer at fault and the rule.
type EligibilityResult struct {
	Eligible      bool             `json:"eligible"`
	Reasons       []pathway.Reason `json:"reasons"`
	Programme     string           `json:"programme"`
	ProgrammeName string           `json:"programmeName"`
}

// maxCheckFounders bounds the founding members the checker takes, as an
// application does (pathway.Coop's members).
const maxCheckFounders = 200

// check names each answer that is not one of the choices offered.
func (q *EligibilityQuestions) check() error {
	q.Programme, q.LocalAuthority = strings.TrimSpace(q.Programme), strings.TrimSpace(q.LocalAuthority)
	if q.Origin == "" {
		q.Origin = pathway.OriginNewStart
	}
	fields := map[string]string{}
	if q.Founders < 0 || q.Founders > maxCheckFounders {
		fields["founders"] = fmt.Sprintf("Enter a number from 0 to %d", maxCheckFounders)
	}
	if msg := pathway.TextProblem(q.LocalAuthority, false); msg != "" || len(q.LocalAuthority) > 100 {
		fields["localAuthority"] = "Enter the council area in up to 100 letters"
	}
	for _, c := range q.Classes {
		if _, ok := pathway.TermOf(pathway.MemberClasses, c); !ok {
			fields["classes"] = "Choose membership classes from the list"
		}
	}
	for _, sv := range q.Services {
		if !pathway.IsCareService(sv) {
			fields["services"] = "Choose services from the list"
		}
	}
	if _, ok := pathway.TermOf(pathway.LegalForms, q.LegalForm); !ok {
		fields["legalForm"] = "Choose the co-op's legal form"
	}
	if _, ok := pathway.TermOf(pathway.Origins, q.Origin); !ok {
		fields["origin"] = "Choose how the co-op came about"
	}
	if len(fields) > 0 {
		return pathway.Invalid(fields)
	}
	return nil
}

// coop returns the co-op the answers describe, for the screening.
func (q *EligibilityQuestions) coop(now time.Time) *pathway.Coop {
	c := &pathway.Coop{ID: "coop-eligibility-check", Name: "Your co-op", Programme: q.Programme, LegalForm: q.LegalForm,
		Origin: q.Origin, LocalAuthority: q.LocalAuthority, Services: q.Services, Stage: pathway.StageApplied,
		StageEnteredAt: now, CreatedAt: now, UpdatedAt: now}
	for i := range q.Founders {
		class := pathway.ClassWorker
		if len(q.Classes) > 0 {
			class = q.Classes[i%len(q.Classes)]
		}
		c.Members = append(c.Members, pathway.Member{Name: fmt.Sprintf("Member %d", i+1), Class: class, Role: pathway.MemberOrdinary})
	}
	return c
}

// CheckEligibility answers the checker's questions for an open programme
// at once, with the screening's own rules. It stores nothing.
func (s *Service) CheckEligibility(ctx context.Context, q EligibilityQuestions) (*EligibilityResult, error) {
	if err := q.check(); err != nil {
		return nil, err
	}
	p, err := s.openProgramme(ctx, q.Programme)
	if err != nil {
		return nil, err
	}
	reasons := pathway.ScreenReasons(q.coop(s.now()), p)
	if reasons == nil {
		reasons = []pathway.Reason{}
	}
	return &EligibilityResult{Eligible: len(reasons) == 0, Reasons: reasons, Programme: p.ID, ProgrammeName: p.Name}, nil
}

// EligibilityWarnings returns the rules the screening will find an
// application does not meet, for check your answers to warn of before it
// is sent: none when the programme cannot be read (the form's own checks
// say so).
func (s *Service) EligibilityWarnings(ctx context.Context, a Application) []pathway.Reason {
	a.normalise()
	p, err := s.store.GetProgramme(ctx, a.Programme)
	if err != nil || a.Programme == "" {
		return nil
	}
	return pathway.ScreenReasons(a.coop("coop-application", "founder", s.now()), p)
}
