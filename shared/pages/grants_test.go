package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
)

// applyForGrant has the founder apply for a grant through the pages (the
// form, check your answers, send) and returns the application's ID.
func applyForGrant(t *testing.T, v *env, coop string) string {
	t.Helper()
	founder := v.visit(founderID)
	res := founder.get("/grants")
	if res.status != http.StatusOK || !strings.Contains(res.body, "Hollyfield Start-up Grants") || !strings.Contains(res.body, "can apply") {
		t.Fatalf("grants page: %d\n%s", res.status, res.body)
	}
	res = founder.get("/grants/programmes/" + grantProg + "/apply?coop=" + url.QueryEscape(coop))
	if res.status != http.StatusOK {
		t.Fatalf("apply form: %d\n%s", res.status, res.body)
	}
	key := hiddenValue(t, res.body, "key")
	form := url.Values{"key": {key}, "coop": {coop}, "title": {"Training our first carers"},
		"purpose": {"Care Certificate training for six carers."}, "amount": {"5,000"},
		"item-1": {"Training"}, "lineAmount-1": {"3000"}, "item-2": {"Manager time"}, "lineAmount-2": {"1500"}, "step": {"check"}}
	// Lines that do not add up are an error naming the budget.
	res = founder.post("/grants/programmes/"+grantProg+"/apply", form)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, "add up to £4,500, not the £5,000") {
		t.Fatalf("budget that does not add up: %d\n%s", res.status, res.body)
	}
	form.Set("lineAmount-2", "2000")
	res = founder.post("/grants/programmes/"+grantProg+"/apply", form)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Check your answers") || !strings.Contains(res.body, "£5,000") {
		t.Fatalf("check page: %d\n%s", res.status, res.body)
	}
	form.Set("step", "send")
	res = founder.post("/grants/programmes/"+grantProg+"/apply", form)
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your grant application is sent") {
		t.Fatalf("send: %d %s\n%s", res.status, res.path, res.body)
	}
	id := grantAppID(t, res.path)
	// Sending again with the same key stores nothing new.
	again := founder.post("/grants/programmes/"+grantProg+"/apply", form)
	if grantAppID(t, again.path) != id {
		t.Fatalf("a resent form made application %s, not %s", again.path, id)
	}
	return id
}

// TestGrantConflictGate: before declaring, a reviewer sees the co-op's
// names only; a reviewer who declares a conflict is told the application
// and its task are not found, for good; the next reviewer declares none and
// sees the whole application with the review form.
func TestGrantConflictGate(t *testing.T) {
	v := newEnv(t)
	v.seedGrants()
	coop := v.apply("Calder Grant Co-op")
	id := applyForGrant(t, v, coop)

	task := v.grantTask(coop, id, grants.TaskReview)
	first := v.visit(task.User)
	res := first.get("/grants/applications/" + url.PathEscape(id))
	if res.status != http.StatusOK {
		t.Fatalf("limited view: %d\n%s", res.status, res.body)
	}
	for _, want := range []string{"Calder Grant Co-op", "Calderdale", "Ash Example", "Cal Example", "Dee Example", "Declare your interests"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("limited view lacks %q", want)
		}
	}
	for _, hidden := range []string{"Training our first carers", "Care Certificate", "£5,000", "Manager time"} {
		if strings.Contains(res.body, hidden) {
			t.Errorf("limited view shows %q before the reviewer declared", hidden)
		}
	}
	if problems := checkPage(res.body, first.csrf()); len(problems) > 0 {
		t.Errorf("limited view: %v", problems)
	}
	// A conflict needs its reason, named in the error summary.
	res = first.post("/grants/applications/"+url.PathEscape(id)+"/declaration", url.Values{"conflict": {"yes"}})
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `href="#reason"`) {
		t.Fatalf("conflict without a reason: %d\n%s", res.status, res.body)
	}
	res = first.post("/grants/applications/"+url.PathEscape(id)+"/declaration", url.Values{"conflict": {"yes"}, "reason": {"The treasurer is my cousin."}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "you will not see it again") {
		t.Fatalf("conflict: %d %s\n%s", res.status, res.path, res.body)
	}
	for _, path := range []string{"/grants/applications/" + url.PathEscape(id), "/tasks/" + url.PathEscape(task.ID)} {
		if res := first.get(path); res.status != http.StatusNotFound {
			t.Errorf("after a conflict, %s answers %d, want 404", path, res.status)
		}
	}

	second := otherReviewer(task.User)
	next := v.grantTask(coop, id, grants.TaskReview)
	if next.User != second {
		t.Fatalf("the review went to %q, want %q", next.User, second)
	}
	rv := v.visit(second)
	res = rv.post("/grants/applications/"+url.PathEscape(id)+"/declaration", url.Values{"conflict": {"no"}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Care Certificate training") || !strings.Contains(res.body, "Send your review") {
		t.Fatalf("after no conflict: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, rv.csrf()); len(problems) > 0 {
		t.Errorf("review form: %v", problems)
	}
	// The first reviewer still sees nothing, in lists too.
	if res := first.get("/grants/programmes/" + grantProg + "?status=in-review"); strings.Contains(res.body, id) {
		t.Errorf("the excluded reviewer's list shows the application")
	}
}
