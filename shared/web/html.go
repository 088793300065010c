package web

import (
	"bytes"
	"html/template"
	"net/http"
	"strings"
)

// Pages is the server-rendered web pages (shared/pages) as this package
// sees them: a handler for the page routes, and the renderers of the pages
// this package answers itself (an error, the local sign-in page) in the
// pages' layout. The composition roots build it and pass it in Config, so
// this package never imports the pages.
type Pages interface {
	// ServeHTTP serves a page route.
	http.Handler
	// Patterns returns the ServeMux patterns ServeHTTP answers.
	Patterns() []string
	// RenderError writes an error page with v.Status. It returns an error,
	// having written nothing, when the page cannot be rendered.
	RenderError(w http.ResponseWriter, r *http.Request, v ErrorView) error
	// RenderSignIn writes the local sign-in page with status 200, or
	// returns an error having written nothing.
	RenderSignIn(w http.ResponseWriter, r *http.Request, v SignInView) error
}

// WantsHTML reports whether the client prefers a page to JSON: browsers
// list text/html first in Accept.
func WantsHTML(r *http.Request) bool {
	first, _, _ := strings.Cut(r.Header.Get("Accept"), ",")
	return strings.TrimSpace(first) == "text/html"
}

// IsHTTPS reports whether the browser reached us over TLS: directly, or
// through API Gateway (which forwards HTTPS only, saying so in the URL it
// hands the function and in X-Forwarded-Proto) or a proxy that says so.
// Cookies set over HTTPS are marked Secure, so the browser never sends
// them over plain HTTP.
func IsHTTPS(r *http.Request) bool {
	return r.TLS != nil || r.URL.Scheme == "https" || r.Header.Get("X-Forwarded-Proto") == "https"
}

// The plain pages are what this package shows when there are no pages to
// render its answers in their layout, and what it shows for a form it
// refuses before any page handler runs: they stand alone.
var (
	plainError = template.Must(template.New("error").Parse(plainHead + `<main>
<h1>{{.Heading}}</h1>
<p>{{.Message}}</p>
<ul>{{range .Links}}<li><a href="{{.Href}}">{{.Text}}</a></li>{{end}}</ul>
</main>` + plainFoot))
	plainSignIn = template.Must(template.New("signin").Parse(plainHead + `<main>
<h1>{{.Heading}}</h1>
<ul>{{range .Users}}<li><form method="post" action="{{$.Action}}"><input type="hidden" name="` + CSRFField + `" value="{{$.CSRF}}"><input type="hidden" name="user" value="{{.ID}}"><button type="submit">Sign in as {{.Name}}</button></form></li>{{end}}</ul>
</main>` + plainFoot))
)

const (
	plainHead = `<!doctype html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{{.Heading}} – Co-op Care Pathway</title></head>
<body>
`
	plainFoot = `
</body>
</html>
`
)

// writePlain writes a plain page with the status.
func writePlain(w http.ResponseWriter, status int, t *template.Template, data any) {
	var buf bytes.Buffer
	if err := t.Execute(&buf, data); err != nil {
		panic("web: plain page: " + err.Error()) // the templates are constants: a bug
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
}
