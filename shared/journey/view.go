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
	// Count and Oldest, on a checklist-verification task, say how many
	// items wait for the agency and when the oldest was marked done.
	Count  int       `json:"count,omitempty"`
	Oldest time.Time `json:"oldest,omitzero"`
	// Subject is what the task is about: the co-op, or another subject
	// such as a grant application (whose page the task leads to).
	Subject pathway.Subject `json:"subject,omitzero"`
}

// taskView builds the view of t for u.
func (s *Service) taskView(u *pathway.User, t *pathway.Task, c *pathway.Coop) TaskView {
	v := TaskView{
		ID: t.ID, Kind: t.Kind, Title: t.Title, Role: t.Role, Coop: t.Coop, Due: t.Due,
		Overdue: t.IsOverdue(s.now()), CanAct: u.CanActOn(t, c), Status: t.Status,
		CompletedAt: t.CompletedAt, CompletedBy: t.CompletedBy, Count: t.Count, Oldest: t.Oldest,
		Subject: t.Subject,
	}
	v.CoopName = t.CoopName
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
	// NextStep says what happens next, worded for the reader: founders
	// read what they are to do, staff where the co-op stands (pathway.NextStepFor).
	NextStep string `json:"nextStep"`
	// FounderList are the co-op's founders with their names, the applicant
	// marked (founders.go). "founders" stays the list of their IDs, as
	// API clients already read it.
	FounderList []Founder `json:"founderList"`
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
		NextStep: pathway.NextStepFor(c, items, tasks, u.IsStaff()).Text, FounderList: s.founders(ctx, u, c),
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

// InboxPage is one page of a user's inbox.
type InboxPage struct {
	// Tasks are the page's tasks, earliest due first (then by ID).
	Tasks []TaskView `json:"tasks"`
	// Next is the cursor for the following page, or "" on the last page.
	Next string `json:"next,omitempty"`
}

// Inbox returns all of the user's open tasks, following InboxPage's
// pages (for the demo and tests; requests read one page).
func (s *Service) Inbox(ctx context.Context, u *pathway.User) ([]TaskView, error) {
	var out []TaskView
	cursor := ""
	for {
		p, err := s.InboxPage(ctx, u, cursor, pathway.MaxPageSize)
		if err != nil {
			return nil, err
		}
		out = append(out, p.Tasks...)
		if p.Next == "" {
			if out == nil {
				out = []TaskView{}
			}
			return out, nil
		}
		cursor = p.Next
	}
}

// InboxPage returns a page of the user's open tasks, earliest due first
// (then by ID): for agency staff their organisation's agency tasks (and
// the lead's escalations when they are a lead), a page of the inbox
// indexes whose tasks carry their co-op's name, so nothing is read per
// task (Store.ListInbox); for founders the founder tasks of their co-ops
// (a few co-ops each, read from the table, on one page); for other staff
// their organisation's tasks of their role.
func (s *Service) InboxPage(ctx context.Context, u *pathway.User, cursor string, limit int) (*InboxPage, error) {
	limit, err := pathway.PageLimit(limit)
	if err != nil {
		return nil, err
	}
	if u.Role == pathway.RoleFounder {
		if cursor != "" {
			return nil, badInboxCursor()
		}
		return s.founderInbox(ctx, u)
	}
	f := pathway.TaskFilter{Organisation: u.Organisation, Role: u.Role, Cursor: cursor, Limit: limit}
	if lead := pathway.LeadRole(u.Role); u.Lead && lead != "" {
		f.Roles = []string{u.Role, lead}
	}
	p, err := s.store.ListInbox(ctx, f)
	if err != nil {
		return nil, err
	}
	out := &InboxPage{Tasks: make([]TaskView, 0, len(p.Tasks)), Next: p.Next}
	for _, t := range p.Tasks {
		if t.User != "" && t.User != u.ID {
			continue // assigned to a colleague (a grant reviewer): theirs alone
		}
		out.Tasks = append(out.Tasks, s.taskView(u, t, nil))
	}
	return out, nil
}

// founderInbox returns the founder tasks of the user's co-ops.
func (s *Service) founderInbox(ctx context.Context, u *pathway.User) (*InboxPage, error) {
	mine, err := s.store.ListFounderCoops(ctx, u.ID)
	if err != nil {
		return nil, err
	}
	type pair struct {
		t *pathway.Task
		c *pathway.Coop
	}
	var tasks []pair
	for _, c := range mine {
		open, err := s.store.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID})
		if err != nil {
			return nil, err
		}
		if s.moreFounderTasks != nil {
			more, err := s.moreFounderTasks(ctx, c.ID)
			if err != nil {
				return nil, err
			}
			open = append(open, more...)
		}
		for _, t := range open {
			if t.Role == pathway.RoleFounder {
				tasks = append(tasks, pair{t, c})
			}
		}
	}
	slices.SortFunc(tasks, func(a, b pair) int { return compareTasks(a.t, b.t) })
	out := &InboxPage{Tasks: make([]TaskView, 0, len(tasks))}
	for _, p := range tasks {
		out.Tasks = append(out.Tasks, s.taskView(u, p.t, p.c))
	}
	return out, nil
}

// compareTasks orders tasks by due time, then ID.
func compareTasks(a, b *pathway.Task) int {
	return cmp.Or(a.Due.Compare(b.Due), strings.Compare(a.ID, b.ID))
}

// badInboxCursor is the error of a cursor this inbox did not give.
func badInboxCursor() error {
	return &pathway.Error{
		Code:    pathway.EINVALID,
		Message: "That page link is not valid. Start again from the first page.",
		Fields:  map[string]string{"cursor": "Is not valid"},
	}
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
