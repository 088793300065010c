package pages_test

import (
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestFormsRefuseUnsafeTextAndDatesThatCannotBe: the pages keep the
// input rules of the API (issue "Hardening and speed"): control and
// text-direction characters in any free-text field, and dates before
// 2000, in the future or before the co-op applied, show the form again
// with a 400, the message on the field, and nothing changes.
func TestFormsRefuseUnsafeTextAndDatesThatCannotBe(t *testing.T) {
	v := newJourneyEnv(t)
	f, a := v.visit(founderID), v.visit(officerID)
	panel := v.task(v.panel, pathway.TaskPanelDecision, user(officerID))
	sub := v.task(v.ready, pathway.TaskCQCSubmission, user(founderID))
	dec := v.task(v.submitted, pathway.TaskCQCDecision, user(founderID))
	items := v.items(v.preparing)
	yesterday := pathway.UKToday(time.Now()).AddDate(0, 0, -1) // the co-ops applied today
	dateOf := func(name string, d time.Time) url.Values {
		return url.Values{name + "-day": {strconv.Itoa(d.Day())}, name + "-month": {strconv.Itoa(int(d.Month()))}, name + "-year": {strconv.Itoa(d.Year())}}
	}
	with := func(vals url.Values, k, val string) url.Values { vals.Set(k, val); return vals }
	const unsafe = pathway.UnsafeTextMessage
	cases := []struct {
		name  string
		vi    *visitor
		path  string
		form  url.Values
		field string
		want  string
	}{
		{"ESC in the co-op's name", f, "/apply/about", url.Values{"programme": {programmeID}, "name": {"Calder \x1b[2J Care"},
			"legalForm": {pathway.FormCooperativeSociety}, "origin": {pathway.OriginNewStart}, "localAuthority": {"Calderdale"}}, "name", unsafe},
		{"right-to-left override in the local authority", f, "/apply/about", url.Values{"programme": {programmeID}, "name": {"Calder Care"},
			"legalForm": {pathway.FormCooperativeSociety}, "origin": {pathway.OriginNewStart}, "localAuthority": {"Calder\u202edale"}}, "localAuthority", unsafe},
		{"NUL in a member's name", f, "/apply/members", url.Values{"rows": {"1"}, "member-0-name": {"Ash\x00Example"},
			"member-0-class": {"worker"}, "member-0-role": {"director"}}, "member-0-name", unsafe},
		{"NUL in evidence", f, "/coops/" + v.preparing + "/items/" + items[3].ID, url.Values{"evidence": {"Rules\x00agreed."}}, "evidence", unsafe},
		{"ESC in a returned item's comment", a, "/coops/" + v.preparing + "/items/" + items[0].ID + "/verify",
			url.Values{"outcome": {"returned"}, "comment": {"Sign \x1b[8mit"}}, "comment", unsafe},
		{"right-to-left override in the panel's notes", a, "/tasks/" + panel.ID, url.Values{"outcome": {"decline"}, "notes": {"Not \u202eyet"}}, "notes", unsafe},
		{"submitted before 2000", f, "/tasks/" + sub.ID, dateOf("submittedOn", time.Date(1999, 12, 31, 0, 0, 0, 0, time.UTC)), "submittedOn", "1 January 2000 or later"},
		{"submitted before the co-op applied", f, "/tasks/" + sub.ID, dateOf("submittedOn", yesterday), "submittedOn", "the day the co-op applied"},
		{"decided before the co-op applied", f, "/tasks/" + dec.ID, with(dateOf("decidedOn", yesterday), "outcome", "refused"), "decidedOn", "the day the co-op applied"},
		{"decided before 2000", f, "/tasks/" + dec.ID, with(dateOf("decidedOn", time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)), "outcome", "refused"), "decidedOn", "1 January 2000 or later"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			res := c.vi.post(c.path, c.form)
			if res.status != 400 {
				t.Fatalf("POST %s = %d, want 400 with the form again:\n%s", c.path, res.status, res.body)
			}
			if !strings.Contains(res.body, `href="#`+c.field+`"`) {
				t.Errorf("the error summary does not link to #%s", c.field)
			}
			// The apply steps put the field's label first ("Co-op name:
			// must not contain …").
			if !strings.Contains(strings.ToLower(res.body), strings.ToLower(c.want)) {
				t.Errorf("the page does not say %q", c.want)
			}
		})
	}
	for _, id := range []string{v.ready, v.submitted} {
		if c, err := v.store.GetCoop(v.ctx, id); err != nil || c.Stage == pathway.StageCQCSubmitted && id == v.ready || c.Stage != pathway.StageCQCSubmitted && id == v.submitted {
			t.Errorf("co-op %s moved: %+v %v", id, c, err)
		}
	}
}
