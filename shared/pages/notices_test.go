package pages_test

import (
	"net/url"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestNoticesPage: a signed-in person chooses a daily summary with a plain
// form, sees the choice kept, and is told to choose when they send none.
func TestNoticesPage(t *testing.T) {
	v := newEnv(t)
	f := v.visit(founderID)
	res := f.get("/account/notices")
	if res.status != 200 || !strings.Contains(res.body, `value="immediate" checked`) || !strings.Contains(res.body, `href="/account/notices"`) {
		t.Fatalf("GET = %d; want immediate checked and the header's link:\n%s", res.status, res.body)
	}
	res = f.post("/account/notices", url.Values{"notices": {"daily"}})
	if res.status != 200 || !strings.Contains(res.path, "notice=saved") || !strings.Contains(res.body, `value="daily" checked`) ||
		!strings.Contains(res.body, "Your choice is saved.") {
		t.Fatalf("POST daily = %d at %s:\n%s", res.status, res.path, res.body)
	}
	u, err := v.store.GetUser(v.ctx, founderID)
	v.must(err)
	if u.Notices != pathway.NoticesDaily {
		t.Errorf("stored notices %q, want daily", u.Notices)
	}
	res = f.post("/account/notices", url.Values{})
	if res.status != 400 || !strings.Contains(res.body, "There is a problem") || !strings.Contains(res.body, `href="#notices"`) {
		t.Errorf("POST nothing = %d:\n%s", res.status, res.body)
	}
}
