package journey

import (
	"cmp"
	"context"
	"slices"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TaskView is a task as a person sees it: never with its task token, which
// would let anyone who saw it answer the workflow directly.
type TaskView struct {
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Title string `json:"title"`
	// Role is who must act (founder, agency, agency-lead).
	Role string `json:"role"`
	// Coop and CoopName say which co-op the task is about.
	Coop     string `json:"coop"`
	CoopName string `json:"coopName,omitempty"`
	// Due is when the answer is due; Overdue reports whether that has passed.
	Due     time.Time `json:"due"`
	Overdue bool      `json:"overdue"`
	// CanAct reports whether the user who asked may answer it.
	CanAct bool   `json:"canAct"`
	Status string `json:"status"`
	// CompletedAt and CompletedBy say who answered a closed task, and when.
	CompletedAt time.Time `json:"completedAt,omitzero"`
	CompletedBy string    `json:"completedBy,omitempty"`
}

// taskView builds the view of t for u.
func (s *Service) taskView(u *pathway.User, t *pathway.Task, c *pathway.Coop) TaskView {
	v := TaskView{
		ID: t.ID, Kind: t.Kind, Title: t.Title, Role: t.Role, Coop: t.Coop, Due: t.Due,
		Overdue: t.IsOverdue(s.now()), CanAct: u.CanActOn(t, c), Status: t.Status,
		CompletedAt: t.CompletedAt, CompletedBy: t.CompletedBy,
	}
	if c != nil {
		v.CoopName = c.Name
	}
	return v
}

// CoopView is a co-op with what its page shows at the top: checklist
// progress, open tasks and the next step in plain English.
type CoopView struct {
	*pathway.Coop
	// ProgrammeName is the name of the programme the co-op applied to.
	ProgrammeName string `json:"programmeName,omitempty"`
	// Checklist counts the CQC checklist items.
	Checklist pathway.Progress `json:"checklist"`
	// OpenTasks are the co-op's open tasks, earliest due first.
	OpenTasks []TaskView `json:"openTasks"`
	// NextStep says what happens next (pathway.NextStep).
	NextStep string `json:"nextStep"`
}

// View returns the co-op the user may see, assembled for its page.
func (s *Service) View(ctx context.Context, u *pathway.User, id string) (*CoopView, error) {
	c, p, err := s.Coop(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, u, c, p)
}

// view assembles the view of a co-op the user may see.
func (s *Service) view(ctx context.Context, u *pathway.User, c *pathway.Coop, p *pathway.Programme) (*CoopView, error) {
	items, err := s.store.ListChecklist(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	tasks, err := s.store.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID})
	if err != nil {
		return nil, err
	}
	v := &CoopView{
		Coop: c, Checklist: pathway.ChecklistProgress(items), OpenTasks: make([]TaskView, 0, len(tasks)),
		NextStep: pathway.NextStep(c, items, tasks),
	}
	if p != nil {
		v.ProgrammeName = p.Name
	}
	for _, t := range tasks {
		v.OpenTasks = append(v.OpenTasks, s.taskView(u, t, c))
	}
	return v, nil
}

// Events returns a page of the audit trail of a co-op the user may see,
// oldest first.
func (s *Service) Events(ctx context.Context, u *pathway.User, id, cursor string, limit int) (*pathway.EventPage, error) {
	c, _, err := s.Coop(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return s.store.ListEvents(ctx, pathway.CoopSubject(c.ID), cursor, limit)
}

// Inbox returns the user's open tasks, earliest due first (then by ID): for agency staff
// their organisation's agency tasks (and the lead's escalations when they
// are a lead); for founders the founder tasks of their co-ops; for other
// staff their organisation's tasks of their role.
func (s *Service) Inbox(ctx context.Context, u *pathway.User) ([]TaskView, error) {
	var tasks []*pathway.Task
	coops := map[string]*pathway.Coop{}
	switch u.Role {
	case pathway.RoleFounder:
		mine, err := s.store.ListFounderCoops(ctx, u.ID)
		if err != nil {
			return nil, err
		}
		for _, c := range mine {
			coops[c.ID] = c
			open, err := s.store.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID})
			if err != nil {
				return nil, err
			}
			for _, t := range open {
				if t.Role == pathway.RoleFounder {
					tasks = append(tasks, t)
				}
			}
		}
	default:
		roles := []string{u.Role}
		if u.Role == pathway.RoleAgency && u.Lead {
			roles = append(roles, pathway.RoleAgencyLead)
		}
		for _, role := range roles {
			open, err := s.store.ListTasks(ctx, pathway.TaskFilter{Organisation: u.Organisation, Role: role})
			if err != nil {
				return nil, err
			}
			tasks = append(tasks, open...)
		}
	}
	slices.SortFunc(tasks, func(a, b *pathway.Task) int {
		return cmp.Or(a.Due.Compare(b.Due), strings.Compare(a.ID, b.ID))
	})
	out := make([]TaskView, 0, len(tasks))
	for _, t := range tasks {
		c, ok := coops[t.Coop]
		if !ok {
			var err error
			if c, err = s.store.GetCoop(ctx, t.Coop); err != nil && pathway.ErrorCode(err) != pathway.ENOTFOUND {
				return nil, err
			}
			coops[t.Coop] = c
		}
		out = append(out, s.taskView(u, t, c))
	}
	return out, nil
}

// FounderCoops returns the co-ops the user founded, by name. Only founders
// have co-ops of their own; staff see co-ops through their pipeline.
func (s *Service) FounderCoops(ctx context.Context, u *pathway.User) ([]*pathway.Coop, error) {
	if u == nil || u.Role != pathway.RoleFounder {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only founders have co-ops of their own; staff see co-ops in their pipeline.")
	}
	coops, err := s.store.ListFounderCoops(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	slices.SortFunc(coops, func(a, b *pathway.Coop) int {
		return cmp.Or(strings.Compare(a.Name, b.Name), strings.Compare(a.ID, b.ID))
	})
	return coops, nil
}
