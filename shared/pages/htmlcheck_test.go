package pages_test

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/shared/web"
)

// visitor is a signed-in browser without JavaScript: it keeps cookies,
// follows redirects, and fills in the CSRF field of every form it posts.
type visitor struct {
	t      *testing.T
	base   *url.URL
	client *http.Client
	// token is the CSRF token its pages' forms carry, read while it had
	// the cookies tokenFor names.
	token, tokenFor string
}

// visit returns a visitor signed in as the user ("" for nobody).
func (v *env) visit(userID string) *visitor {
	v.t.Helper()
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(v.srv.URL)
	if userID != "" {
		jar.SetCookies(base, []*http.Cookie{v.cookie(userID)})
	}
	return &visitor{t: v.t, base: base, client: &http.Client{Jar: jar}}
}

// response is a page as the visitor got it.
type response struct {
	status int
	path   string // after redirects, with the query
	body   string
}

func (vi *visitor) do(req *http.Request) response {
	vi.t.Helper()
	req.Header.Set("Accept", "text/html,application/xhtml+xml")
	res, err := vi.client.Do(req)
	if err != nil {
		vi.t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{status: res.StatusCode, path: res.Request.URL.RequestURI(), body: string(b)}
}

// get fetches a page.
func (vi *visitor) get(path string) response {
	vi.t.Helper()
	req, _ := http.NewRequest("GET", vi.base.String()+path, nil)
	return vi.do(req)
}

// post sends a form with the visitor's CSRF token.
func (vi *visitor) post(path string, form url.Values) response {
	vi.t.Helper()
	if form.Get(web.CSRFField) == "" {
		form.Set(web.CSRFField, vi.csrf())
	}
	return vi.postRaw(path, form)
}

// postRaw sends a form as it is.
func (vi *visitor) postRaw(path string, form url.Values) response {
	vi.t.Helper()
	req, _ := http.NewRequest("POST", vi.base.String()+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return vi.do(req)
}

// csrf returns the CSRF token the visitor's forms carry, as a page's form
// shows it (loading the home page, which sets the CSRF cookie, when the
// visitor's cookies changed since it last read one): the token is bound to
// the CSRF cookie and the session, never equal to either.
func (vi *visitor) csrf() string {
	vi.t.Helper()
	if vi.token != "" && vi.tokenFor == vi.cookies() {
		return vi.token
	}
	res := vi.get("/")
	tok := csrfField(res.body)
	if tok == "" {
		vi.t.Fatalf("no CSRF field in the forms of %s", res.path)
	}
	vi.token, vi.tokenFor = tok, vi.cookies()
	return tok
}

// cookies returns the visitor's CSRF and session cookies, which its token
// depends on.
func (vi *visitor) cookies() string {
	var out string
	for _, c := range vi.client.Jar.Cookies(vi.base) {
		if c.Name == web.CSRFCookie || c.Name == devauth.CookieName {
			out += c.Name + "=" + c.Value + ";"
		}
	}
	return out
}

// csrfField returns the value of the first CSRF field in a page's forms.
func csrfField(body string) string {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return ""
	}
	tok := ""
	visit(doc, func(n *html.Node) {
		if tok == "" && n.DataAtom == atom.Input && attr(n, "name") == web.CSRFField {
			tok = attr(n, "value")
		}
	})
	return tok
}

// voidElements have no end tag.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// checkPage checks the rules every page keeps and returns its problems:
// it parses with every element closed in order, has a language and a
// title, exactly one h1 and headings that never skip a level, unique ids,
// a label for every control, the CSRF field in every form, and error
// summary links and aria-describedby that point at elements that exist.
func checkPage(body, csrf string) []string {
	var probs []string
	add := func(f string, a ...any) { probs = append(probs, fmt.Sprintf(f, a...)) }

	// Balance: the html/template output must be well formed, not merely
	// something a browser can repair.
	var stack []string
	z := html.NewTokenizer(strings.NewReader(body))
	for tt := z.Next(); tt != html.ErrorToken; tt = z.Next() {
		name, _ := z.TagName()
		switch tt {
		case html.StartTagToken:
			if !voidElements[string(name)] {
				stack = append(stack, string(name))
			}
		case html.EndTagToken:
			if len(stack) == 0 || stack[len(stack)-1] != string(name) {
				add("end tag </%s> does not close the open <%v>", name, stack)
				return probs
			}
			stack = stack[:len(stack)-1]
		}
	}
	if z.Err() != io.EOF {
		add("tokenizer: %v", z.Err())
	}
	if len(stack) > 0 {
		add("unclosed elements %v", stack)
	}

	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return append(probs, "parse: "+err.Error())
	}
	ids := map[string]int{}
	labelFor := map[string]bool{}
	var controls []*html.Node
	var headings []int
	var forms, mains, titles []*html.Node
	var describedBy, summaryLinks []string
	var walk func(n *html.Node, inLabel bool)
	walk = func(n *html.Node, inLabel bool) {
		if n.Type == html.ElementNode {
			if id := attr(n, "id"); id != "" {
				ids[id]++
			}
			switch n.DataAtom {
			case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
				headings = append(headings, int(n.Data[1]-'0'))
			case atom.Label:
				if f := attr(n, "for"); f != "" {
					labelFor[f] = true
				}
				inLabel = true
			case atom.Input, atom.Select, atom.Textarea:
				switch attr(n, "type") {
				case "hidden", "submit", "button", "reset", "image":
				default:
					if !inLabel {
						controls = append(controls, n)
					}
				}
			case atom.Form:
				forms = append(forms, n)
			case atom.Main:
				mains = append(mains, n)
			case atom.Title:
				if n.Namespace == "" { // an SVG chart's <title> names the chart, not the page
					titles = append(titles, n)
				}
			case atom.A:
				if hasClass(n.Parent.Parent, "error-summary__list") || hasClass(n.Parent, "error-summary__list") {
					summaryLinks = append(summaryLinks, attr(n, "href"))
				}
			}
			if d := attr(n, "aria-describedby"); d != "" {
				describedBy = append(describedBy, strings.Fields(d)...)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c, inLabel)
		}
	}
	walk(doc, false)

	if h := findFirst(doc, atom.Html); h == nil || attr(h, "lang") == "" {
		add("<html> has no lang")
	}
	if len(titles) != 1 || strings.TrimSpace(text(titles[0])) == "" {
		add("want one non-empty <title>")
	}
	if len(mains) != 1 {
		add("%d <main> elements, want 1", len(mains))
	}
	h1 := 0
	for i, lvl := range headings {
		if lvl == 1 {
			h1++
		}
		if i == 0 && lvl != 1 {
			add("the first heading is h%d, want h1", lvl)
		}
		if i > 0 && lvl > headings[i-1]+1 {
			add("heading h%d follows h%d: a level is skipped", lvl, headings[i-1])
		}
	}
	if h1 != 1 {
		add("%d h1 elements, want exactly 1", h1)
	}
	for id, n := range ids {
		if n > 1 {
			add("id %q is used %d times", id, n)
		}
	}
	for _, c := range controls {
		id := attr(c, "id")
		if id == "" || !labelFor[id] {
			add("<%s name=%q id=%q> has no label", c.Data, attr(c, "name"), id)
		}
	}
	for _, f := range forms {
		tok := ""
		visit(f, func(n *html.Node) {
			if n.DataAtom == atom.Input && attr(n, "name") == web.CSRFField {
				tok = attr(n, "value")
			}
		})
		// A GET form only chooses what a page shows (the insight pages'
		// filters): it changes nothing and must not put the token in the
		// address, where it would be logged and shared.
		if strings.ToLower(attr(f, "method")) == "get" {
			if tok != "" {
				add("GET form %q carries the CSRF token into its address", attr(f, "action"))
			}
			continue
		}
		if strings.ToLower(attr(f, "method")) != "post" {
			add("form %q is not a POST", attr(f, "action"))
		}
		if tok == "" || (csrf != "" && tok != csrf) {
			add("form %q has no CSRF field with the visitor's token (got %q)", attr(f, "action"), tok)
		}
	}
	for _, d := range describedBy {
		if ids[d] == 0 {
			add("aria-describedby names %q, which is not on the page", d)
		}
	}
	for _, href := range summaryLinks {
		if id, ok := strings.CutPrefix(href, "#"); ok && ids[id] == 0 {
			add("error summary links to #%s, which is not on the page", id)
		}
	}
	return probs
}

func attr(n *html.Node, key string) string {
	if n == nil {
		return ""
	}
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	return n != nil && strings.Contains(" "+attr(n, "class")+" ", " "+class+" ")
}

func visit(n *html.Node, fn func(*html.Node)) {
	if n.Type == html.ElementNode {
		fn(n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		visit(c, fn)
	}
}

func findFirst(n *html.Node, a atom.Atom) *html.Node {
	var found *html.Node
	visit(n, func(m *html.Node) {
		if found == nil && m.DataAtom == a {
			found = m
		}
	})
	return found
}

func text(n *html.Node) string {
	var b strings.Builder
	var f func(*html.Node)
	f = func(n *html.Node) {
		if n.Type == html.TextNode {
			b.WriteString(n.Data)
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			f(c)
		}
	}
	f(n)
	return b.String()
}

// links returns the same-site page links of a page.
func links(body string) []string {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		return nil
	}
	var out []string
	visit(doc, func(n *html.Node) {
		if n.DataAtom != atom.A {
			return
		}
		href := attr(n, "href")
		if i := strings.IndexByte(href, '#'); i >= 0 {
			href = href[:i]
		}
		if strings.HasPrefix(href, "/") && !strings.HasPrefix(href, "//") && !strings.HasPrefix(href, "/auth/") {
			out = append(out, href)
		}
	})
	return out
}

// TestCheckPageCatchesBrokenPages shows the checker fails pages that break
// each rule, so its silence on the real pages means something.
func TestCheckPageCatchesBrokenPages(t *testing.T) {
	const head = `<!doctype html><html lang="en"><head><title>T</title></head><body><main>`
	const foot = `</main></body></html>`
	cases := map[string]string{
		"no h1":              `<h2>A</h2>`,
		"two h1":             `<h1>A</h1><h1>B</h1>`,
		"skipped level":      `<h1>A</h1><h3>B</h3>`,
		"unlabelled input":   `<h1>A</h1><form method="post"><input type="hidden" name="csrf_token" value="x"><input id="a" name="a"></form>`,
		"form without csrf":  `<h1>A</h1><form method="post"><label for="a">A</label><input id="a" name="a"></form>`,
		"unclosed div":       `<h1>A</h1><div>`,
		"misnested":          `<h1>A</h1><div><p>x</div></p>`,
		"duplicate id":       `<h1 id="x">A</h1><p id="x">B</p>`,
		"summary to nowhere": `<h1>A</h1><div class="error-summary"><ul class="error-summary__list"><li><a href="#nope">x</a></li></ul></div>`,
	}
	for name, inner := range cases {
		if probs := checkPage(head+inner+foot, "x"); len(probs) == 0 {
			t.Errorf("%s: the checker found nothing wrong", name)
		}
	}
	ok := `<h1>A</h1><h2>B</h2><form method="post" action="/x"><input type="hidden" name="csrf_token" value="x"><label for="a">A</label><input id="a" name="a"></form>`
	if probs := checkPage(head+ok+foot, "x"); len(probs) > 0 {
		t.Errorf("a good page: %v", probs)
	}
}
