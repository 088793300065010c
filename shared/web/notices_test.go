package web_test

import (
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestNoticesPreference(t *testing.T) {
	f := newFixture(t, nil)
	me := founder("user-notices")
	me["email"] = "ysolde@example.test"
	if res := f.call(t, "GET", "/api/me/notices", me, ""); res.status != 200 || strings.TrimSpace(res.body) != `{"notices":"immediate"}` {
		t.Fatalf("GET before choosing = %d %s, want immediate", res.status, res.body)
	}
	res := f.call(t, "PUT", "/api/me/notices", me, `{"notices":"weekly"}`)
	if code, _, fields := errorOf(t, res.body); res.status != 400 || code != "invalid" || fields["notices"] == "" {
		t.Fatalf("PUT weekly = %d %s, want 400 naming notices", res.status, res.body)
	}
	if res := f.call(t, "PUT", "/api/me/notices", me, `{"notices":"daily"}`); res.status != 200 || !strings.Contains(res.body, `"daily"`) {
		t.Fatalf("PUT daily = %d %s", res.status, res.body)
	}
	u, err := f.store.GetUser(t.Context(), "user-notices")
	if err != nil || u.Notices != pathway.NoticesDaily || u.Email != "ysolde@example.test" || u.Role != pathway.RoleFounder {
		t.Fatalf("stored user %+v, %v; want the caller's record with daily notices", u, err)
	}
	if res := f.call(t, "GET", "/api/me/notices", me, ""); !strings.Contains(res.body, `"daily"`) {
		t.Errorf("GET after choosing daily = %s", res.body)
	}
	// Another person's choice is their own.
	if res := f.call(t, "GET", "/api/me/notices", founder("user-other"), ""); !strings.Contains(res.body, `"immediate"`) {
		t.Errorf("another user's preference = %s", res.body)
	}
	if res := f.call(t, "GET", "/api/me/notices", nil, ""); res.status != 401 {
		t.Errorf("GET without signing in = %d, want 401", res.status)
	}
}
