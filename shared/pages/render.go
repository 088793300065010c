package pages

import (
	"bytes"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static/pages.css
var stylesheet []byte

// stylesheetPath carries a hash of the stylesheet, so browsers may cache it
// for ever and still fetch a changed one at once.
var stylesheetPath = func() string {
	sum := sha256.Sum256(stylesheet)
	return "/assets/pages-" + hex.EncodeToString(sum[:6]) + ".css"
}()

// serveStylesheet serves the stylesheet.
func serveStylesheet(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "text/css; charset=utf-8")
	w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
	_, _ = w.Write(stylesheet)
}

// page is what the layout needs, and Data what the page's own template
// shows.
type page struct {
	// Title is the page's title; the h1 usually says the same.
	Title string
	// User is who is signed in, or nil.
	User *pathway.User
	// CSRF is the token every form repeats.
	CSRF string
	// Nav names the navigation link of the section the page is in.
	Nav string
	// Back is the address of the back link, if the page has one.
	Back string
	// Errors are the form's errors, in the order of the fields.
	Errors formErrors
	// Notice is a success message shown in a banner.
	Notice string
	// Stylesheet is the stylesheet's address.
	Stylesheet string
	// SignIn and SignOut are the sign-in page and the sign-out form's target.
	SignIn, SignOut string
	// Data is the page's own content.
	Data any
	// Terms links each glossary term where the page first uses it
	// ({{explain .Terms "text"}}).
	Terms *glosser
}

// fieldError is one form field at fault: ID is the input the error summary
// links to.
type fieldError struct {
	Field, ID, Message string
	// Href, when set, is where the summary links instead of #ID (a
	// field on another page).
	Href string
}

// formErrors are a form's errors in field order.
type formErrors []fieldError

// For returns the message of a field, or "".
func (fe formErrors) For(field string) string {
	for _, e := range fe {
		if e.Field == field {
			return e.Message
		}
	}
	return ""
}

// funcs are the helpers templates use.
var funcs = template.FuncMap{
	"date":       pathway.FormatDate,
	"stage":      stageName,
	"group":      groupName,
	"service":    func(c string) string { return upperFirst(pathway.ServiceName(c)) },
	"legalForm":  func(c string) string { return labelOf(legalForms, c) },
	"origin":     func(c string) string { return labelOf(origins, c) },
	"class":      func(c string) string { return labelOf(memberClasses, c) },
	"role":       func(c string) string { return labelOf(memberRoles, c) },
	"activity":   func(c string) string { return labelOf(activities, c) },
	"roleName":   roleName,
	"readable":   readable,
	"itemStatus": itemStatus,
	"explain":    func(g *glosser, s string) template.HTML { return g.explain(s) },
	"progress":   pathway.ProgressText,
	"terms":      definitions,
	"contains":   slices.Contains[[]string],
	"plural": func(n int, one, many string) string {
		if n == 1 {
			return one
		}
		return many
	},
	"dict": func(kv ...any) map[string]any {
		m := make(map[string]any, len(kv)/2)
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i].(string)] = kv[i+1]
		}
		return m
	},
}

// templates returns the parsed template set of each page, by name: the
// layout, the shared partials and the page. Nothing is parsed at package
// init: a process that serves only the API (most Lambda starts) never
// parses a template, and a page request parses the partials and its own
// page once, on first use.
var templates = sync.OnceValue(func() map[string]func() *template.Template {
	names, err := fs.Glob(templateFS, "templates/*.html")
	if err != nil {
		panic(err)
	}
	out := map[string]func() *template.Template{}
	for _, n := range names {
		name := strings.TrimSuffix(path.Base(n), ".html")
		if strings.HasPrefix(name, "_") {
			continue
		}
		out[name] = sync.OnceValue(func() *template.Template {
			return template.Must(template.Must(partials().Clone()).ParseFS(templateFS, n))
		})
	}
	return out
})

// partials is the layout and the shared partials, parsed once on first use.
var partials = sync.OnceValue(func() *template.Template {
	return template.Must(template.New("").Funcs(funcs).ParseFS(templateFS, "templates/_*.html"))
})

// render writes the named page with the status. The page is rendered to a
// buffer first, so a template error becomes an error page, not half a page.
func (h *Handler) render(w http.ResponseWriter, r *http.Request, status int, name string, p *page) {
	if err := h.renderPage(w, r, status, name, p); err != nil {
		web.WriteErrorPage(w, r, err)
	}
}

// renderPage writes the named page with the status, or returns an error
// having written nothing but the CSRF cookie.
func (h *Handler) renderPage(w http.ResponseWriter, r *http.Request, status int, name string, p *page) error {
	parsed, ok := templates()[name]
	if !ok {
		panic("pages: no template " + name)
	}
	t := parsed()
	p.User = userFrom(r)
	p.CSRF = web.CSRFToken(w, r)
	p.SignIn, p.SignOut = web.SignInLinks(r)
	p.Stylesheet = stylesheetPath
	if p.Terms == nil {
		p.Terms = &glosser{}
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", p); err != nil {
		return fmt.Errorf("pages: rendering %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = w.Write(buf.Bytes())
	return nil
}

// errorPage shows an application error as a page with the status web
// gives its code; u, when not nil, is the user the layout shows.
func (h *Handler) errorPage(w http.ResponseWriter, r *http.Request, u *pathway.User, err error) {
	if u != nil && userFrom(r) == nil {
		r = r.WithContext(web.WithUser(r.Context(), u))
	}
	web.WriteErrorPage(w, r, err)
}

// RenderError writes the error page web.WriteErrorPage chose, in the
// layout (web.Pages).
func (h *Handler) RenderError(w http.ResponseWriter, r *http.Request, v web.ErrorView) error {
	return h.renderPage(w, r, v.Status, "error", &page{Title: v.Heading, Data: v})
}
