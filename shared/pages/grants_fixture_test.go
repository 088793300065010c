package pages_test

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Invented grant records: a funder with a lead and two reviewers, and a
// programme open to any co-op on its journey.
const (
	funderOrg   = "org-hollyfield-fund"
	grantProg   = "gp-hollyfield-start"
	grantLead   = "user-funder-lead-wren"
	reviewerOne = "user-funder-oriel"
	reviewerTwo = "user-funder-piran"
)

var funderStaff = []*pathway.User{
	{ID: grantLead, Name: "Wren Example", Role: pathway.RoleFunder, Organisation: funderOrg, Lead: true},
	{ID: reviewerOne, Name: "Oriel Example", Role: pathway.RoleFunder, Organisation: funderOrg},
	{ID: reviewerTwo, Name: "Piran Example", Role: pathway.RoleFunder, Organisation: funderOrg},
}

// staffName returns a funder's staff member's name.
func staffName(id string) string {
	for _, u := range funderStaff {
		if u.ID == id {
			return u.Name
		}
	}
	panic("no funder staff " + id)
}

// seedGrants stores the funder, its staff and its programme: two criteria,
// one review an application, half paid on agreement and half six months on.
func (v *env) seedGrants() {
	v.t.Helper()
	v.seedGrantsBudget(2_000_000, 1_000_000)
}

// seedGrantsBudget is seedGrants with the programme's budget and largest
// award (pence).
func (v *env) seedGrantsBudget(budget, maxAward int64) {
	v.t.Helper()
	v.must(v.store.PutOrganisation(v.ctx, &pathway.Organisation{ID: funderOrg, Name: "Hollyfield Care Fund", Kind: pathway.OrgFunder,
		GivingPrefix: "360G-hollyfieldfund", OrgID: "GB-CHC-999999903"}))
	for _, u := range funderStaff {
		v.must(v.store.PutUser(v.ctx, u))
	}
	now := time.Now()
	v.must(grantstore.New(v.store.Table()).PutProgramme(v.ctx, &grants.Programme{
		ID: grantProg, Name: "Hollyfield Start-up Grants", Purpose: "Helps care co-ops get ready for CQC registration.", Funder: funderOrg,
		Budget: budget, MinAward: 100_000, MaxAward: maxAward,
		OpensOn: now.AddDate(0, -1, 0).Format(time.DateOnly), ClosesOn: now.AddDate(0, 3, 0).Format(time.DateOnly),
		Criteria: []grants.Criterion{
			{ID: "need", Name: "Need in the area", Weight: 60, Guide: "Is there unmet need for care where the co-op will work?"},
			{ID: "team", Name: "The founding team", Weight: 40},
		},
		Scale: grants.DefaultScale, ReviewersPerApplication: 1,
		Schedule: []grants.ScheduleShare{{Share: 50, Trigger: grants.TriggerAgreement}, {Share: 50, Trigger: grants.TriggerDate, Months: 6}},
	}, now))
}

// grantTask waits for the application's open task of the kind, as the
// workflow opens it, for the co-op.
func (v *env) grantTask(coop, app, kind string) *pathway.Task {
	v.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		v.engine.WaitIdle()
		ts, err := v.store.ListTasks(v.ctx, pathway.TaskFilter{Subject: grants.Subject(app)})
		v.must(err)
		for _, t := range ts {
			if t.Kind == kind && t.Subject.ID == app && t.Status == pathway.TaskOpen {
				return t
			}
		}
	}
	a, err := grantstore.New(v.store.Table()).GetApplication(v.ctx, app)
	ts, _ := v.store.ListTasks(v.ctx, pathway.TaskFilter{Subject: grants.Subject(app)})
	for _, t := range ts {
		v.t.Logf("task %s %s %s %s", t.ID, t.Kind, t.Status, t.User)
	}
	v.t.Fatalf("no open %s task for grant application %s: %+v %v", kind, app, a, err)
	return nil
}

// otherReviewer is the reviewer who is not id.
func otherReviewer(id string) string {
	if id == reviewerOne {
		return reviewerTwo
	}
	return reviewerOne
}

var appPath = regexp.MustCompile(`^/grants/applications/([^/?#]+)`)

// grantAppID reads the application's ID from its page's address.
func grantAppID(t *testing.T, path string) string {
	t.Helper()
	m := appPath.FindStringSubmatch(path)
	if m == nil {
		t.Fatalf("not a grant application's page: %s", path)
	}
	id, _ := url.PathUnescape(m[1])
	return id
}

// hiddenValue reads a hidden input's value from a page.
func hiddenValue(t *testing.T, body, name string) string {
	t.Helper()
	m := regexp.MustCompile(`name="` + regexp.QuoteMeta(name) + `" value="([^"]*)"`).FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no hidden %s in the page", name)
	}
	return strings.TrimSpace(m[1])
}
