package cognito

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// stateTTL is how long a started sign-in may take, password and MFA
// included.
const stateTTL = 10 * time.Minute

// maxCookieBytes bounds the session cookie: browsers keep at most 4096
// bytes a cookie, name and attributes included.
const maxCookieBytes = 3800

// Routes returns the sign-in routes keyed by ServeMux pattern, for
// web.Config.Mount, which checks the CSRF token of the sign-out form (as
// of every form post to a mounted route): without it another site could
// sign people out.
func (c *Client) Routes() map[string]http.Handler {
	return map[string]http.Handler{
		"GET " + SignInPath:    http.HandlerFunc(c.handleSignIn),
		"GET " + CallbackPath:  http.HandlerFunc(c.handleCallback),
		"POST " + SignOutPath:  http.HandlerFunc(c.handleSignOut),
		"GET " + SignedOutPath: http.HandlerFunc(handleSignedOut),
	}
}

// randomString returns 32 random bytes in base64url (43 characters, the
// shortest PKCE verifier RFC 7636 allows).
func randomString() string {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // crypto/rand.Read never fails (Go 1.24+)
	return base64.RawURLEncoding.EncodeToString(b)
}

// challenge returns the S256 PKCE challenge of a verifier.
func challenge(verifier string) string {
	sum := sha256.Sum256([]byte(verifier))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// handleSignIn starts a sign-in: it remembers a fresh state and PKCE
// verifier in a cookie only this site can read and sends the browser to
// the hosted UI. The state ties the callback to this browser (no one can
// finish their sign-in in someone else's), the verifier ties the code to
// this server (a stolen code is useless without it).
func (c *Client) handleSignIn(w http.ResponseWriter, r *http.Request) {
	state, verifier := randomString(), randomString()
	http.SetCookie(w, &http.Cookie{
		Name: stateCookie, Value: state + "." + verifier, Path: "/auth/",
		MaxAge: int(stateTTL / time.Second), HttpOnly: true, Secure: true,
		// Lax, not Strict: the callback is a top-level navigation from
		// Cognito's domain, which Strict would strip the cookie from.
		SameSite: http.SameSiteLaxMode,
	})
	w.Header().Set("Cache-Control", "no-store")
	http.Redirect(w, r, c.endpoint("/oauth2/authorize", url.Values{
		"response_type":         {"code"},
		"client_id":             {c.clientID},
		"redirect_uri":          {ownURL(r, CallbackPath)},
		"scope":                 {"openid email profile"},
		"state":                 {state},
		"code_challenge":        {challenge(verifier)},
		"code_challenge_method": {"S256"},
	}), http.StatusFound)
}

// handleCallback finishes a sign-in: state checked, code exchanged, ID
// token verified, session cookie set, browser sent home.
func (c *Client) handleCallback(w http.ResponseWriter, r *http.Request) {
	clearCookie(w, stateCookie, "/auth/") // one use only, whatever happens
	q := r.URL.Query()
	if q.Get("error") != "" {
		plainPage(w, http.StatusBadRequest, "Sign-in did not finish",
			"The sign-in page sent you back without signing you in. Try again, and if it keeps happening ask your development agency.")
		return
	}
	ck, err := r.Cookie(stateCookie)
	state, verifier, _ := strings.Cut(cookieValue(ck, err), ".")
	sent := q.Get("state")
	if state == "" || verifier == "" || subtle.ConstantTimeCompare([]byte(state), []byte(sent)) != 1 || q.Get("code") == "" {
		plainPage(w, http.StatusBadRequest, "Sign-in expired",
			"This sign-in link has expired or was started in another browser. Sign in again.")
		return
	}
	token, refresh, err := c.exchange(r, q.Get("code"), verifier)
	if err != nil {
		c.log.ErrorContext(r.Context(), "cognito: code exchange failed", "err", err)
		plainPage(w, http.StatusBadGateway, "Sign-in did not finish",
			"We could not confirm your sign-in with the sign-in service. Sign in again in a minute.")
		return
	}
	tok, err := c.verifier.verify(r.Context(), token)
	if err != nil || len(token) > maxCookieBytes {
		c.log.ErrorContext(r.Context(), "cognito: ID token refused", "err", err, "bytes", len(token))
		plainPage(w, http.StatusBadGateway, "Sign-in did not finish",
			"The sign-in service answered with something we could not accept. Sign in again in a minute.")
		return
	}
	c.rememberUser(r, tok.claims)
	http.SetCookie(w, &http.Cookie{
		Name: SessionCookie, Value: token, Path: "/", Expires: tok.expires,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
	})
	if refresh != "" && len(refresh) <= maxCookieBytes {
		// Kept only so that sign-out can revoke it at Cognito: sent to
		// the sign-out route alone, and dropped with the session.
		http.SetCookie(w, &http.Cookie{
			Name: refreshCookie, Value: refresh, Path: SignOutPath, Expires: tok.expires,
			HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode,
		})
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// cookieValue returns the cookie's value, or "" if there is none.
func cookieValue(c *http.Cookie, err error) string {
	if err != nil {
		return ""
	}
	return c.Value
}

// exchange swaps an authorisation code for the ID token and the refresh
// token (if Cognito gives one) at the token endpoint. The app client is
// public, so the PKCE verifier stands in for a client secret.
func (c *Client) exchange(r *http.Request, code, verifier string) (id, refresh string, err error) {
	form := url.Values{
		"grant_type":    {"authorization_code"},
		"client_id":     {c.clientID},
		"code":          {code},
		"redirect_uri":  {ownURL(r, CallbackPath)},
		"code_verifier": {verifier},
	}
	req, err := http.NewRequestWithContext(r.Context(), http.MethodPost, c.endpoint("/oauth2/token", nil), strings.NewReader(form.Encode()))
	if err != nil {
		return "", "", err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.http.Do(req)
	if err != nil {
		return "", "", err
	}
	defer res.Body.Close()
	var out struct {
		IDToken      string `json:"id_token"`
		RefreshToken string `json:"refresh_token"`
		Error        string `json:"error"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&out); err != nil {
		return "", "", fmt.Errorf("token endpoint answered %s: %w", res.Status, err)
	}
	if res.StatusCode != http.StatusOK || out.IDToken == "" {
		return "", "", fmt.Errorf("token endpoint answered %s: %q", res.Status, out.Error)
	}
	return out.IDToken, out.RefreshToken, nil
}

// handleSignOut revokes the session, clears its cookies and sends the
// browser to the hosted UI's logout, which also ends Cognito's own session
// (otherwise the next sign-in would skip the password) and comes back to
// SignedOutPath. A failure to revoke is logged, and the browser is signed
// out all the same.
func (c *Client) handleSignOut(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	if ck, err := r.Cookie(SessionCookie); err == nil && ck.Value != "" && len(ck.Value) <= MaxTokenBytes {
		// Only a good token is remembered: the list holds real sessions,
		// each until it would have expired anyway.
		if tok, err := c.verify(ctx, ck.Value); err == nil {
			for _, id := range tok.ids {
				if err := c.revoked.Revoke(ctx, id, tok.expires.Add(Leeway)); err != nil {
					c.log.ErrorContext(ctx, "cognito: could not revoke the session", "err", err)
				}
			}
		}
	}
	if ck, err := r.Cookie(refreshCookie); err == nil && ck.Value != "" {
		if err := c.revokeRefresh(ctx, ck.Value); err != nil {
			c.log.WarnContext(ctx, "cognito: token revocation failed", "err", err)
		}
	}
	clearCookie(w, SessionCookie, "/")
	clearCookie(w, refreshCookie, SignOutPath)
	http.Redirect(w, r, c.endpoint("/logout", url.Values{
		"client_id":  {c.clientID},
		"logout_uri": {ownURL(r, SignedOutPath)},
	}), http.StatusSeeOther)
}

// revokeTimeout bounds the call to Cognito's revocation endpoint, which the
// person signing out waits for.
const revokeTimeout = 5 * time.Second

// revokeRefresh revokes a refresh token at Cognito's revocation endpoint
// (the app client is public: client_id and no secret), which also revokes
// the ID and access tokens issued from it for Cognito's own checks. This
// function's check of the ID token does not ask Cognito: the revocation
// list does that part.
func (c *Client) revokeRefresh(ctx context.Context, token string) error {
	ctx, cancel := context.WithTimeout(ctx, revokeTimeout)
	defer cancel()
	form := url.Values{"token": {token}, "client_id": {c.clientID}}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint("/oauth2/revoke", nil), strings.NewReader(form.Encode()))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	res, err := c.http.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		body, _ := io.ReadAll(io.LimitReader(res.Body, 512))
		return fmt.Errorf("revocation endpoint answered %s: %q", res.Status, body)
	}
	return nil
}

// handleSignedOut is where the hosted UI returns after signing out.
func handleSignedOut(w http.ResponseWriter, _ *http.Request) {
	plainPage(w, http.StatusOK, "You have signed out", "")
}

// clearCookie tells the browser to drop a cookie.
func clearCookie(w http.ResponseWriter, name, path string) {
	http.SetCookie(w, &http.Cookie{Name: name, Value: "", Path: path, MaxAge: -1,
		HttpOnly: true, Secure: true, SameSite: http.SameSiteLaxMode})
}

// plain is the page for the sign-in routes' own answers: they run outside
// the pages' layout (no one is signed in yet), so it stands alone.
var plain = template.Must(template.New("plain").Parse(`<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Title}} – Co-op Care Pathway</title></head>
<body>
<main>
<h1>{{.Title}}</h1>
{{with .Message}}<p>{{.}}</p>{{end}}
{{if .SignIn}}<p><a href="` + SignInPath + `">Sign in</a></p>{{end}}
</main>
</body>
</html>
`))

// plainPage writes a plain page with a heading, a message and a link to
// sign in.
func plainPage(w http.ResponseWriter, status int, title, message string) {
	writePlain(w, status, title, message, true)
}

// writePlain writes the plain page, with the sign-in link when signIn.
func writePlain(w http.ResponseWriter, status int, title, message string, signIn bool) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = plain.Execute(w, struct {
		Title, Message string
		SignIn         bool
	}{title, message, signIn})
}

// NotConfigured returns routes for a deployment without the Cognito
// settings: GET /auth/sign-in (where the pages send a visitor) explains
// that the pages cannot be signed in to here, while the JSON API under
// /api/ still works with tokens the HTTP API's authorizer checks.
func NotConfigured() map[string]http.Handler {
	return map[string]http.Handler{
		"GET " + SignInPath: http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
			writePlain(w, http.StatusServiceUnavailable, "Sign-in is not set up here",
				"This deployment serves the API only: the web pages need the Cognito settings "+
					"(COGNITO_DOMAIN, COGNITO_USER_POOL_ID, COGNITO_CLIENT_ID), which template.yaml sets.", false)
		}),
	}
}
