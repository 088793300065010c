package journey

import (
	"context"
	"fmt"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// ProgrammeView is an open programme as founders choose one.
type ProgrammeView struct {
	// ID identifies the programme; an application names it.
	ID string `json:"id"`
	// Name is the programme's public name.
	Name string `json:"name"`
	// Agency is the ID of the agency that runs it.
	Agency string `json:"agency"`
	// AgencyName is that agency's public name.
	AgencyName string `json:"agencyName"`
	// Pathway is start-up, growth or conversion.
	Pathway string `json:"pathway"`
	// Eligibility says in plain English who may apply.
	Eligibility string `json:"eligibility"`
	// PanelDays is how many days after screening the panel decides.
	PanelDays int `json:"panelDays"`
}

// OpenProgrammes returns the programmes that take applications, ordered by
// ID. Any signed-in user may see them: they are public.
func (s *Service) OpenProgrammes(ctx context.Context) ([]ProgrammeView, error) {
	all, err := s.store.ListProgrammes(ctx)
	if err != nil {
		return nil, err
	}
	agencies := map[string]string{}
	out := []ProgrammeView{}
	for _, p := range all {
		if !p.Open {
			continue
		}
		name, ok := agencies[p.Agency]
		if !ok {
			name, err = s.agencyName(ctx, p.Agency)
			if err != nil {
				return nil, err
			}
			agencies[p.Agency] = name
		}
		out = append(out, ProgrammeView{
			ID: p.ID, Name: p.Name, Agency: p.Agency, AgencyName: name, Pathway: p.Pathway,
			Eligibility: EligibilitySummary(p), PanelDays: p.PanelDays,
		})
	}
	return out, nil
}

// agencyName returns an organisation's name, or its ID when the record is
// missing: a programme stays listed even if its agency record is not there.
func (s *Service) agencyName(ctx context.Context, id string) (string, error) {
	o, err := s.store.GetOrganisation(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return id, nil
	} else if err != nil {
		return "", err
	}
	return o.Name, nil
}

// EligibilitySummary says in plain English who may apply to a programme:
// the same rules pathway.Screen applies, in the same order.
func EligibilitySummary(p *pathway.Programme) string {
	var b strings.Builder
	b.WriteString("Founding groups")
	if p.Eligibility.EnglandOnly {
		b.WriteString(" in England")
	}
	if len(p.Eligibility.Services) == 0 {
		b.WriteString(" providing a care or support service")
	} else {
		names := make([]string, len(p.Eligibility.Services))
		for i, s := range p.Eligibility.Services {
			names[i] = pathway.ServiceName(s)
		}
		fmt.Fprintf(&b, " providing %s", orList(names))
	}
	n := max(p.Eligibility.MinFounders, 1)
	member := "founding members"
	if n == 1 {
		member = "founding member"
	}
	fmt.Fprintf(&b, ", with at least %d %s, a co-operative legal form (or the intention to form one; a private company only when converting), and one vote for each member.", n, member)
	return b.String()
}

// orList joins names as English does: "a", "a or b", "a, b or c".
func orList(names []string) string {
	if len(names) == 1 {
		return names[0]
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
