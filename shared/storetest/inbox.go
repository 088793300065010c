package storetest

import (
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// testInbox holds ListInbox to its rules: pages of an inbox (an
// organisation's role, or one user) earliest due first, ties by ID, that
// neither skip nor repeat, a cursor of another inbox refused, and each
// task carrying its co-op's name, set when it is opened and rewritten
// when the co-op is renamed, so an inbox never reads a co-op per task.
func testInbox(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	c := newCoop("coop-inbox-1", "prog-inbox", pathway.StageAwaitingPanel, at(0))
	create(t, s, c)
	var want []string
	for i := range 7 {
		id := fmt.Sprintf("task-inbox-%d", i)
		x := newTask(id, c.ID, orgA, pathway.RoleAgency, base.Add(time.Duration(7-i/2)*time.Hour))
		if i == 3 {
			x.User = "user-reviewer"
		}
		putTasks(t, s, x)
		want = append(want, id)
	}
	putTasks(t, s, newTask("task-inbox-other", "coop-none", orgA, pathway.RoleFunder, base))
	slices.SortFunc(want, func(a, b string) int {
		da, db := 7-int(a[len(a)-1]-'0')/2, 7-int(b[len(b)-1]-'0')/2
		if da != db {
			return da - db
		}
		return compareStrings(a, b)
	})

	var got []string
	f := pathway.TaskFilter{Organisation: orgA, Role: pathway.RoleAgency, Limit: 3}
	for pages := 0; ; pages++ {
		if pages > 5 {
			t.Fatal("ListInbox: too many pages")
		}
		p, err := s.ListInbox(ctx, f)
		if err != nil {
			t.Fatalf("ListInbox(%+v): %v", f, err)
		}
		if p.Next != "" && len(p.Tasks) != 3 {
			t.Fatalf("a page before the last holds %d tasks, want 3", len(p.Tasks))
		}
		for _, x := range p.Tasks {
			if x.CoopName != c.Name {
				t.Errorf("task %s: CoopName = %q, want %q", x.ID, x.CoopName, c.Name)
			}
			got = append(got, x.ID)
		}
		if p.Next == "" {
			break
		}
		f.Cursor = p.Next
	}
	if !slices.Equal(got, want) {
		t.Fatalf("ListInbox pages = %v, want %v", got, want)
	}

	// Two roles' inboxes as one: merged in order, whatever the page size.
	escalation := newTask("task-inbox-lead", c.ID, orgA, pathway.RoleAgencyLead, base.Add(5*time.Hour+30*time.Minute))
	putTasks(t, s, escalation)
	merged := slices.Clone(want)
	merged = slices.Insert(merged, slices.IndexFunc(merged, func(id string) bool { return id == "task-inbox-2" }), escalation.ID)
	for _, limit := range []int{1, 2, 3, 8, 9} {
		var got []string
		f := pathway.TaskFilter{Organisation: orgA, Roles: []string{pathway.RoleAgency, pathway.RoleAgencyLead}, Limit: limit}
		for pages := 0; pages <= 10; pages++ {
			p, err := s.ListInbox(ctx, f)
			if err != nil {
				t.Fatalf("ListInbox(%+v): %v", f, err)
			}
			got = append(got, taskIDs(p.Tasks)...)
			if p.Next == "" {
				break
			}
			f.Cursor = p.Next
		}
		if !slices.Equal(got, merged) {
			t.Errorf("ListInbox of two roles, limit %d = %v, want %v", limit, got, merged)
		}
	}
	mergedFirst, err := s.ListInbox(ctx, pathway.TaskFilter{Organisation: orgA, Roles: []string{pathway.RoleAgency, pathway.RoleAgencyLead}, Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.ListInbox(ctx, pathway.TaskFilter{Organisation: orgA, Role: pathway.RoleAgency, Cursor: mergedFirst.Next}); pathway.ErrorCode(err) != pathway.EINVALID {
		t.Errorf("the cursor of two inboxes in one: %v, want EINVALID", err)
	}

	p, err := s.ListInbox(ctx, pathway.TaskFilter{User: "user-reviewer"})
	if err != nil || len(p.Tasks) != 1 || p.Tasks[0].ID != "task-inbox-3" || p.Next != "" {
		t.Fatalf("ListInbox(user) = %+v, %v; want task-inbox-3 alone", p, err)
	}
	first, err := s.ListInbox(ctx, pathway.TaskFilter{Organisation: orgA, Role: pathway.RoleAgency, Limit: 1})
	if err != nil || first.Next == "" {
		t.Fatalf("ListInbox first page = %+v, %v", first, err)
	}
	for _, bad := range []pathway.TaskFilter{
		{Organisation: orgA, Role: pathway.RoleAgency, Cursor: "not-a-cursor"},
		{Organisation: orgA, Role: pathway.RoleFunder, Cursor: first.Next},
		{Organisation: orgA},
		{Coop: c.ID},
	} {
		if _, err := s.ListInbox(ctx, bad); pathway.ErrorCode(err) != pathway.EINVALID {
			t.Errorf("ListInbox(%+v) = %v, want EINVALID", bad, err)
		}
	}

	// A task of a co-op the store does not know has no name; a renamed
	// co-op's open tasks carry the new name, its closed ones the old.
	if x, err := s.GetTask(ctx, "task-inbox-other"); err != nil || x.CoopName != "" {
		t.Fatalf("GetTask(task-inbox-other) = %+v, %v; want no co-op name", x, err)
	}
	if _, err := s.CompleteTask(ctx, "task-inbox-0", pathway.TaskCompletion{By: "user-x", At: at(1), Status: pathway.TaskCompleted}); err != nil {
		t.Fatal(err)
	}
	c = get(t, s, c.ID)
	old := c.Name
	c.Name = "Renamed Care Co-op"
	if err := s.UpdateCoop(ctx, c, nil); err != nil {
		t.Fatalf("UpdateCoop (rename): %v", err)
	}
	open, err := s.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID})
	if err != nil || len(open) != 7 {
		t.Fatalf("ListTasks = %d tasks, %v; want 7", len(open), err)
	}
	for _, x := range open {
		if x.CoopName != c.Name {
			t.Errorf("open copy of %s: CoopName = %q, want %q", x.ID, x.CoopName, c.Name)
		}
		if g, err := s.GetTask(ctx, x.ID); err != nil || g.CoopName != c.Name {
			t.Errorf("GetTask(%s) = %+v, %v; want CoopName %q", x.ID, g, err, c.Name)
		}
	}
	if x, err := s.GetTask(ctx, "task-inbox-0"); err != nil || x.CoopName != old {
		t.Errorf("closed task: CoopName = %q, %v; want %q", x.CoopName, err, old)
	}
	// The rename's transaction kept the co-op's task summary.
	if c2 := get(t, s, c.ID); c2.Tasks.Open != 7 || c2.Name != c.Name {
		t.Errorf("co-op after rename: %+v", c2)
	}
}

func compareStrings(a, b string) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}
