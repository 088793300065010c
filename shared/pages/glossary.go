package pages

import (
	"html/template"
	"net/http"
	"regexp"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The pages explain each UK term where a page first uses it: the first
// time a page's text says "CQC" or "registered manager", the words link to
// the term on the glossary page, which anyone may read, signed in or not.
// The definitions live once, in pathway.Glossary.

// glossaryPath is the glossary page.
const glossaryPath = "/glossary"

// termPattern matches any form of any glossary term as whole words,
// longest form first; abbreviations only as written.
var termPattern, termIDs = func() (*regexp.Regexp, map[string]string) {
	var alts []string
	ids := map[string]string{}
	for _, f := range pathway.GlossaryForms() {
		q := regexp.QuoteMeta(f.Form)
		if !f.CaseSensitive() {
			q = "(?i:" + q + ")"
		}
		alts = append(alts, q)
		ids[strings.ToLower(f.Form)] = f.ID
	}
	// \b does not see hyphens as word characters: "co-ops" and "CQC-" are
	// matched on their letters, which is what a reader means too.
	return regexp.MustCompile(`\b(?:` + strings.Join(alts, "|") + `)\b`), ids
}()

// glosser remembers which terms a page has linked already, so each term
// links once per page: where it first appears. Names (a co-op's, a
// programme's) are never glossed: "Co-op" in "Calder Care Co-op" is a name.
type glosser struct {
	seen  map[string]bool
	names []string
}

// inName reports whether text[from:to] lies within one of the names.
func (g *glosser) inName(text string, from, to int) bool {
	for _, n := range g.names {
		if n == "" {
			continue
		}
		for i := 0; ; {
			j := strings.Index(text[i:], n)
			if j < 0 {
				break
			}
			start := i + j
			if start <= from && to <= start+len(n) {
				return true
			}
			i = start + 1
		}
	}
	return false
}

// explain returns text as HTML with the first use on the page of each
// glossary term linked to its definition. The text is escaped: only the
// links are markup.
func (g *glosser) explain(text string) template.HTML {
	if g == nil {
		return template.HTML(template.HTMLEscapeString(text))
	}
	if g.seen == nil {
		g.seen = map[string]bool{}
	}
	var b strings.Builder
	last := 0
	for _, m := range termPattern.FindAllStringIndex(text, -1) {
		word := text[m[0]:m[1]]
		id := termIDs[strings.ToLower(word)]
		if id == "" || g.seen[id] || g.inName(text, m[0], m[1]) {
			continue
		}
		g.seen[id] = true
		b.WriteString(template.HTMLEscapeString(text[last:m[0]]))
		b.WriteString(`<a class="term" href="` + glossaryPath + `#` + id + `">` + template.HTMLEscapeString(word) + `</a>`)
		last = m[1]
	}
	b.WriteString(template.HTMLEscapeString(text[last:]))
	return template.HTML(b.String())
}

// glossaryPage lists every term and what it means.
func (h *Handler) glossaryPage(w http.ResponseWriter, r *http.Request) {
	h.render(w, r, http.StatusOK, "glossary", &page{Title: "Words we use", Data: pathway.Glossary})
}

// definitions returns the glossary's definitions with the IDs, in order;
// an unknown ID is a mistake in a template.
func definitions(ids ...string) []pathway.Definition {
	out := make([]pathway.Definition, 0, len(ids))
	for _, id := range ids {
		d, ok := pathway.DefinitionOf(id)
		if !ok {
			panic("pages: no glossary term " + id)
		}
		out = append(out, d)
	}
	return out
}
