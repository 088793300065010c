package web_test

import (
	"fmt"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestInboxPages: GET /api/tasks pages an inbox with a cursor, and a
// lead's inbox (the agency's tasks and the lead's escalations, two index
// partitions) in one due-date order across pages, neither skipping nor
// repeating a task, whatever the page size.
func TestInboxPages(t *testing.T) {
	e := newAPI(t)
	seedTwo(e)
	var all []string
	for i := range 9 {
		role := pathway.RoleAgency
		if i%3 == 1 {
			role = pathway.RoleAgencyLead
		}
		id := fmt.Sprintf("task-page-%d", i)
		e.seedTask(id, pathway.TaskPanelDecision, coopN, agencyNorth, role, "tok-"+id, testNow.Add(time.Duration(9-i)*time.Hour))
		all = append([]string{id}, all...)
	}
	agencyOnly := slices.DeleteFunc(slices.Clone(all), func(id string) bool { return (id[len(id)-1]-'0')%3 == 1 })
	for _, tc := range []struct {
		user string
		want []string
	}{{leadNorth, all}, {staffNorth, agencyOnly}} {
		for _, limit := range []int{1, 2, 4, 9, 25} {
			var got []string
			cursor := ""
			for pages := 0; ; pages++ {
				if pages > 12 {
					t.Fatalf("%s limit %d: too many pages", tc.user, limit)
				}
				res := e.do("GET", "/api/tasks?"+url.Values{"limit": {fmt.Sprint(limit)}, "cursor": {cursor}}.Encode(), tc.user, "")
				var p struct {
					Tasks []struct{ ID, CoopName string }
					Next  string
				}
				res.decode(t, &p)
				if p.Next != "" && len(p.Tasks) != limit {
					t.Fatalf("%s limit %d: a page before the last holds %d tasks", tc.user, limit, len(p.Tasks))
				}
				for _, x := range p.Tasks {
					if x.CoopName == "" {
						t.Errorf("task %s has no co-op name", x.ID)
					}
					got = append(got, x.ID)
				}
				if p.Next == "" {
					break
				}
				cursor = p.Next
			}
			if !slices.Equal(got, tc.want) {
				t.Errorf("%s limit %d: %v, want %v", tc.user, limit, got, tc.want)
			}
		}
	}
	e.do("GET", "/api/tasks?cursor=bogus", leadNorth, "").wantError(t, 400, "cursor")
	e.do("GET", "/api/tasks?cursor=bogus", staffNorth, "").wantError(t, 400, "cursor")
	e.do("GET", "/api/tasks?limit=-1", staffNorth, "").wantError(t, 400, "limit")
}
