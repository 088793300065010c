package cognito_test

import (
	"io"
	"log/slog"
	"net/url"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/cognito"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/web"
)

// TestSignInKeepsTheUsersRecord: the callback stores the person's record
// from their token, and a later sign-in refreshes it but keeps the notice
// preference they chose.
func TestSignInKeepsTheUsersRecord(t *testing.T) {
	f := newFixture(t)
	st := testkit.Store(t)
	c, err := cognito.New(cognito.Config{Domain: f.fake.URL, ClientID: clientID, Issuer: f.fake.issuer(),
		HTTPClient: f.fake.Client(), Now: f.clock.Now, Users: st, Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	if err != nil {
		t.Fatal(err)
	}
	f.client = c
	f.mux = web.New(web.Config{Store: st, Auth: web.ClaimsAuthenticator{Fallback: c}, Mount: c.Routes(),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil))})
	signIn := func(claims map[string]any) {
		t.Helper()
		q, state := f.signIn(t)
		code := f.fake.authorize(q.Get("code_challenge"), q.Get("redirect_uri"), claims)
		if res, body := f.callback(url.Values{"code": {code}, "state": {q.Get("state")}}, state); res.StatusCode != 303 {
			t.Fatalf("callback = %d: %s", res.StatusCode, body)
		}
	}
	claims := f.fake.claims("sub-notices", pathway.RoleAgency, "org-moorside")
	signIn(claims)
	u, err := st.GetUser(t.Context(), "sub-notices")
	if err != nil || u.Email != "ash@example.org" || u.Role != pathway.RoleAgency || u.Organisation != "org-moorside" || u.Name != "Ash Example" {
		t.Fatalf("after the first sign-in the table holds %+v, %v", u, err)
	}
	if _, err := pathway.SetNotices(t.Context(), st, u, pathway.NoticesDaily); err != nil {
		t.Fatal(err)
	}
	f.clock.mu.Lock()
	f.clock.t = f.clock.t.Add(time.Minute)
	f.clock.mu.Unlock()
	claims = f.fake.claims("sub-notices", pathway.RoleAgency, "org-moorside")
	claims["email"] = "ash.new@example.org"
	signIn(claims)
	u, err = st.GetUser(t.Context(), "sub-notices")
	if err != nil || u.Email != "ash.new@example.org" || u.Notices != pathway.NoticesDaily {
		t.Fatalf("after signing in again the table holds %+v, %v; want the new address and daily notices kept", u, err)
	}
}
