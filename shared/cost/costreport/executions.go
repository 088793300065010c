package costreport

import (
	"context"
	"maps"
	"slices"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// Execution is one workflow execution whose state transitions count
// towards a co-op's journey, and the share of them that is the co-op's.
type Execution struct {
	Machine string `json:"workflow"`
	Name    string `json:"execution"`
	// Share is Mine out of Of: 1 of 1 for the co-op's own executions;
	// for a tender, the co-op's bids out of all the tender's bids.
	Mine int64 `json:"share"`
	Of   int64 `json:"of"`
	// Transitions are the co-op's share of the execution's transitions.
	Transitions int64 `json:"transitions"`
}

// GrantApps lists a co-op's grant applications (grantstore.Store).
type GrantApps interface {
	ListCoopApplications(ctx context.Context, coop string) ([]*grants.Application, error)
}

// Bids lists bids by co-op and by tender (tenderstore.Store).
type Bids interface {
	ListCoopBids(ctx context.Context, coop string) ([]*tenders.Bid, error)
	ListBids(ctx context.Context, tender string) ([]*tenders.Bid, error)
}

// executions lists the executions that served the co-op's journey:
//   - the application workflow, once per attempt (a co-op asked to apply
//     again starts a new execution for each attempt);
//   - the registration workflow (the application workflow starts it as a
//     child named after the co-op);
//   - each grant application's workflow, once per sending;
//   - a share of each tender's workflow it bid in. A tender's workflow
//     serves the council and all its bidders together; its transitions are
//     divided among the tender's bids, every bid ever sent (a withdrawn
//     one made the workflow wait and check as much as another), so the
//     co-op bears its bids' share. Each co-op's share is rounded to the
//     nearest whole transition, so the co-ops' shares of one tender may
//     add up to one more or less than the tender's: a transition costs
//     $0.000025, and keeping every journey a whole number of transitions
//     keeps the figures plain.
func (s *Service) executions(ctx context.Context, c *pathway.Coop) ([]Execution, error) {
	var out []Execution
	for n := 1; n <= pathway.AttemptNumber(c); n++ {
		at := *c
		at.Attempt = n
		out = append(out, own(pathway.WorkflowApplication, pathway.ApplicationExecution(&at)))
	}
	out = append(out, own(pathway.WorkflowRegistration, c.ID))
	if s.grants != nil {
		apps, err := s.grants.ListCoopApplications(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		for _, a := range apps {
			for n := 1; n <= max(a.Attempt, 1); n++ {
				out = append(out, own(pathway.WorkflowGrant, grantservice.ExecutionName(a.ID, n)))
			}
		}
	}
	if s.bids != nil {
		tend, err := s.tenderShares(ctx, c.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, tend...)
	}
	return out, nil
}

// own is an execution wholly the co-op's.
func own(machine, name string) Execution {
	return Execution{Machine: machine, Name: name, Mine: 1, Of: 1}
}

// tenderShares are the co-op's shares of the tenders it bid in.
func (s *Service) tenderShares(ctx context.Context, coop string) ([]Execution, error) {
	mine, err := s.bids.ListCoopBids(ctx, coop)
	if err != nil {
		return nil, err
	}
	count := map[string]int64{}
	for _, b := range mine {
		count[b.Tender]++
	}
	var out []Execution
	for _, t := range slices.Sorted(maps.Keys(count)) {
		all, err := s.bids.ListBids(ctx, t)
		if err != nil {
			return nil, err
		}
		of := max(int64(len(all)), count[t]) // a bid read by one list and not yet the other
		out = append(out, Execution{Machine: pathway.WorkflowTender, Name: tenderservice.ExecutionName(t), Mine: count[t], Of: of})
	}
	return out, nil
}

// share is n × mine / of rounded to the nearest whole, halves up.
func share(n, mine, of int64) int64 {
	if of <= 0 || mine == of {
		return n
	}
	return (2*n*mine + of) / (2 * of)
}
