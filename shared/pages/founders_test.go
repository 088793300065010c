package pages_test

import (
	"bytes"
	"compress/flate"
	"encoding/base64"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// withInvitations serves the site as the local server does: invitations
// by email create local users, and the demo founders are offered.
func (v *env) withInvitations() {
	v.t.Helper()
	inv := devauth.NewInvitations(v.store)
	v.journey.WithInvitations(inv)
	cfg := web.Config{Store: v.store, Workflows: localsfn.New(v.engine), Journey: v.journey, Auth: v.auth, Mount: v.auth.Routes(),
		SignInURL: "/auth/dev-users", SignOutURL: "/auth/dev-logout", Logger: quietLogger()}
	cfg.Pages = pages.New(pages.Config{Journey: v.journey, Logger: cfg.Logger, Selectable: inv.Founders})
	v.srv.Close()
	v.srv = httptest.NewServer(web.New(cfg))
	v.t.Cleanup(v.srv.Close)
}

// signIn signs a visitor in through the local sign-in form, as a person does.
func (v *env) signIn(userID string) *visitor {
	v.t.Helper()
	vi := v.visit("")
	if res := vi.get("/auth/dev-users"); !strings.Contains(res.body, userID) {
		v.t.Fatalf("the sign-in page does not offer %s", userID)
	}
	if res := vi.post("/auth/dev-login", url.Values{"user": {userID}}); res.status != 200 || res.path != "/" {
		v.t.Fatalf("sign in as %s = %d at %s", userID, res.status, res.path)
	}
	return vi
}

// wantPage fails unless the response is a well-formed 200 page saying want.
func wantPage(t *testing.T, vi *visitor, res response, want ...string) {
	t.Helper()
	if res.status != 200 {
		t.Fatalf("%s = %d", res.path, res.status)
	}
	if problems := checkPage(res.body, vi.csrf()); len(problems) > 0 {
		t.Errorf("%s breaks the page rules: %v", res.path, problems)
	}
	for _, w := range want {
		if !strings.Contains(res.body, w) {
			t.Errorf("%s does not say %q", res.path, w)
		}
	}
}

func TestFounderInvitesByEmailAndTheInviteeSeesTheCoop(t *testing.T) {
	v := newEnv(t)
	v.withInvitations()
	id := v.apply("Moorside Home Care Co-op")
	ash := v.visit(founderID)

	wantPage(t, ash, ash.get(coopPathOf(id)), "Founders", "Ash Example", "Applied", "Invite or manage founders")
	page := ash.get(coopPathOf(id) + "/founders")
	// The application's registered manager and second director are offered.
	wantPage(t, ash, page, "Invite a co-founder", "Email address of Cal Example (", "Email address of Dee Example (", "Bea Example")
	if strings.Contains(page.body, "Email address of Ash Example") {
		t.Error("the founder who applied is offered as an invitee")
	}

	bad := ash.post(coopPathOf(id)+"/founders", url.Values{"from": {"member-email-1"}, "name": {"Cal Example"}, "email": {"cal at example"}})
	if bad.status != 400 || !strings.Contains(bad.body, "correct format") || !strings.Contains(bad.body, `href="#member-email-1"`) {
		t.Fatalf("a bad email = %d, want 400 naming the member's email field", bad.status)
	}
	res := ash.post(coopPathOf(id)+"/founders", url.Values{"from": {"member-email-1"}, "name": {"Cal Example"}, "email": {"cal.example@example.org"}})
	wantPage(t, ash, res, "Co-founder added", "Cal Example")

	// Cal signs in with the account the invitation made, and sees the co-op.
	cal := v.signIn(devauth.LocalUserID("cal.example@example.org"))
	wantPage(t, cal, cal.get("/"), "Moorside Home Care Co-op")
	wantPage(t, cal, cal.get(coopPathOf(id)), "Cal Example (you)", "Ash Example")

	// Ash adds a demo founder too; Bea leaves, confirming first.
	res = ash.post(coopPathOf(id)+"/founders", url.Values{"from": {"user"}, "user": {founder2ID}})
	wantPage(t, ash, res, "Co-founder added", "Bea Example")
	bea := v.visit(founder2ID)
	wantPage(t, bea, bea.get(coopPathOf(id)+"/remove/"+founder2ID), "Leave Moorside Home Care Co-op?", "Yes, leave the co-op")
	if res := bea.post(coopPathOf(id)+"/remove/"+founder2ID, url.Values{}); res.status != 200 || res.path != "/" {
		t.Fatalf("leaving = %d at %s, want the home page", res.status, res.path)
	}
	if res := bea.get(coopPathOf(id)); res.status != 404 {
		t.Errorf("the founder who left sees the co-op: %d", res.status)
	}

	// Only the applicant is offered "Remove"; removing Cal takes the co-op from him.
	if strings.Contains(cal.get(coopPathOf(id)+"/founders").body, ">Remove<") {
		t.Error("a co-founder is offered Remove")
	}
	calID := devauth.LocalUserID("cal.example@example.org")
	wantPage(t, ash, ash.get(coopPathOf(id)+"/remove/"+calID), "Remove Cal Example from Moorside Home Care Co-op?")
	wantPage(t, ash, ash.post(coopPathOf(id)+"/remove/"+calID, url.Values{}), "Founder removed")
	if res := cal.get(coopPathOf(id)); res.status != 404 {
		t.Errorf("the removed founder sees the co-op: %d", res.status)
	}
	// The agency sees the founders but cannot change them.
	staff := v.visit(officerID)
	if res := staff.get(coopPathOf(id) + "/founders"); res.status != 200 || strings.Contains(res.body, "Invite a co-founder") {
		t.Errorf("staff's founders page = %d, offering invitations: %v", res.status, strings.Contains(res.body, "Invite a co-founder"))
	}
	if res := staff.post(coopPathOf(id)+"/founders", url.Values{"from": {"user"}, "user": {founder2ID}}); res.status != 403 {
		t.Errorf("staff inviting = %d, want 403", res.status)
	}
}

func TestDraftSurvivesSigningOut(t *testing.T) {
	v := newEnv(t)
	ash := v.signIn(founderID)
	res := ash.post("/apply/about", url.Values{"programme": {programmeID}, "name": {"Fellside Draft Co-op"},
		"legalForm": {pathway.FormCooperativeSociety}, "origin": {pathway.OriginNewStart}, "localAuthority": {"Calderdale"}})
	if res.status != 200 || !strings.Contains(res.path, "/apply/services") {
		t.Fatalf("saving the first step = %d at %s", res.status, res.path)
	}
	if res := ash.post("/auth/dev-logout", url.Values{}); res.status != 200 {
		t.Fatalf("sign out = %d", res.status)
	}
	// A new session, in a new browser: the answers are still there.
	again := v.signIn(founderID)
	if got := again.get("/apply/about"); !strings.Contains(got.body, `value="Fellside Draft Co-op"`) {
		t.Fatalf("the draft did not survive signing out: %d %s", got.status, got.path)
	}
	d, err := v.journey.Draft(v.ctx, user(founderID))
	if err != nil || d.Application.Name != "Fellside Draft Co-op" {
		t.Fatalf("stored draft %+v %v", d, err)
	}
	// Another founder has a draft of their own.
	if _, err := v.journey.Draft(v.ctx, user(founder2ID)); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("another founder's draft: %v", err)
	}
	// Sending the application removes the draft.
	d.Application = application("Fellside Draft Co-op")
	v.must(v.journey.SaveDraft(v.ctx, user(founderID), d))
	if res := again.post("/apply/check", url.Values{}); res.status != 200 || !strings.HasPrefix(res.path, "/coops/") {
		t.Fatalf("sending = %d at %s", res.status, res.path)
	}
	if _, err := v.journey.Draft(v.ctx, user(founderID)); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("the draft is still there after sending: %v", err)
	}
}

// coopPathOf is a co-op's page.
func coopPathOf(id string) string { return "/coops/" + id }

func TestCookieDraftMovesToTheServer(t *testing.T) {
	v := newEnv(t)
	ash := v.visit(founderID)
	var buf bytes.Buffer
	zw, _ := flate.NewWriter(&buf, flate.BestCompression)
	_, _ = zw.Write([]byte(`{"k":"old-key","a":{"name":"Cookie Era Co-op","programme":"` + programmeID + `"}}`))
	_ = zw.Close()
	applyURL, _ := url.Parse(v.srv.URL + "/apply")
	ash.client.Jar.SetCookies(applyURL, []*http.Cookie{{Name: "pathway_apply", Value: base64.RawURLEncoding.EncodeToString(buf.Bytes()), Path: "/apply"}})

	if res := ash.get("/apply/about"); !strings.Contains(res.body, `value="Cookie Era Co-op"`) {
		t.Fatalf("the cookie draft is not in the form: %d", res.status)
	}
	d, err := v.journey.Draft(v.ctx, user(founderID))
	if err != nil || d.Key != "old-key" || d.Application.Name != "Cookie Era Co-op" {
		t.Fatalf("stored draft %+v %v, want the cookie's", d, err)
	}
	for _, c := range ash.client.Jar.Cookies(applyURL) {
		if c.Name == "pathway_apply" {
			t.Errorf("the old draft cookie was not removed")
		}
	}
}
