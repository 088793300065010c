package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestGrantDraftSurvivesSigningOut: the apply form's answers are kept on
// the server when the founder saves them, come back in a new session, and
// are gone once the application is sent.
func TestGrantDraftSurvivesSigningOut(t *testing.T) {
	v := newEnv(t)
	v.seedGrants()
	coop := v.apply("Calder Grant Co-op")
	form := "/grants/programmes/" + grantProg + "/apply"
	ash := v.signIn(founderID)
	res := ash.get(form + "?coop=" + url.QueryEscape(coop))
	if res.status != http.StatusOK || !strings.Contains(res.body, "Save and come back later") {
		t.Fatalf("apply form: %d\n%s", res.status, res.body)
	}
	key := hiddenValue(t, res.body, "key")
	res = ash.post(form, url.Values{"key": {key}, "coop": {coop}, "title": {"Training our first carers"},
		"purpose": {"Care Certificate training."}, "amount": {"5,000"}, "item-1": {"Training"}, "lineAmount-1": {"3000"}, "step": {"save"}})
	if res.status != http.StatusOK || !strings.Contains(res.body, "Your answers are saved") {
		t.Fatalf("save: %d %s\n%s", res.status, res.path, res.body)
	}
	if res := ash.post("/auth/dev-logout", url.Values{}); res.status != http.StatusOK {
		t.Fatalf("sign out = %d", res.status)
	}

	again := v.signIn(founderID)
	res = again.get(form + "?coop=" + url.QueryEscape(coop))
	for _, want := range []string{`value="Training our first carers"`, "Care Certificate training.", `value="5000"`, `value="Training"`, `value="3000"`,
		`name="key" value="` + key + `"`, "We kept the answers you saved"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("restored form lacks %s", want)
		}
	}
	// The draft is the founder's own.
	if _, err := v.store.GetDraft(v.ctx, founder2ID, pathway.GrantDraftKind(grantProg, coop)); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("another founder has the draft: %v", err)
	}
	// Sending it removes the draft.
	sent := url.Values{"key": {key}, "coop": {coop}, "title": {"Training our first carers"}, "purpose": {"Care Certificate training."},
		"amount": {"5000"}, "item-1": {"Training"}, "lineAmount-1": {"5000"}, "step": {"send"}}
	if res := again.post(form, sent); res.status != http.StatusOK || !strings.Contains(res.body, "Your grant application is sent") {
		t.Fatalf("send: %d %s\n%s", res.status, res.path, res.body)
	}
	if _, err := v.store.GetDraft(v.ctx, founderID, pathway.GrantDraftKind(grantProg, coop)); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("the draft outlived sending: %v", err)
	}
}
