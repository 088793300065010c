package pages_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// formValues reads what the page's form posting to action would send:
// its inputs, ticked boxes, text areas and chosen options.
func formValues(t *testing.T, body, action string) url.Values {
	t.Helper()
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var form *html.Node
	visit(doc, func(n *html.Node) {
		if n.DataAtom == atom.Form && attr(n, "action") == action && form == nil {
			form = n
		}
	})
	if form == nil {
		t.Fatal("no form in the page")
	}
	f := url.Values{}
	visit(form, func(n *html.Node) {
		name := attr(n, "name")
		if n.Type != html.ElementNode || name == "" {
			return
		}
		switch n.DataAtom {
		case atom.Input:
			if typ := attr(n, "type"); (typ == "checkbox" || typ == "radio") && !hasAttr(n, "checked") {
				return
			}
			f.Add(name, attr(n, "value"))
		case atom.Textarea:
			f.Add(name, strings.TrimPrefix(text(n), "\n"))
		case atom.Select:
			visit(n, func(o *html.Node) {
				if o.DataAtom == atom.Option && hasAttr(o, "selected") {
					f.Add(name, attr(o, "value"))
				}
			})
		}
	})
	return f
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}

// TestGrantLeadChangesProgramme: the lead's form comes filled in from the
// programme, saves changes back, refuses a stale version and is the
// lead's alone.
func TestGrantLeadChangesProgramme(t *testing.T) {
	v := newEnv(t)
	v.seedGrants()
	edit := "/grants/programmes/" + grantProg + "/edit"
	if res := v.visit(reviewerOne).get(edit); res.status != http.StatusForbidden {
		t.Errorf("a reviewer opening the form: %d, want 403", res.status)
	}
	if res := v.visit(founderID).get(edit); res.status != http.StatusNotFound {
		t.Errorf("a founder opening the form: %d, want 404", res.status)
	}
	if res := v.visit(reviewerOne).get("/grants/programmes/" + grantProg); strings.Contains(res.body, "Change this programme") {
		t.Error("a reviewer sees the link to change the programme")
	}
	lead := v.visit(grantLead)
	if res := lead.get("/grants/programmes/" + grantProg); !strings.Contains(res.body, `href="`+edit+`">Change this programme`) {
		t.Errorf("the lead sees no link to change the programme:\n%s", res.body)
	}
	res := lead.get(edit)
	if res.status != http.StatusOK {
		t.Fatalf("form: %d\n%s", res.status, res.body)
	}
	if problems := checkPage(res.body, lead.csrf()); len(problems) > 0 {
		t.Errorf("change-programme form: %v", problems)
	}
	form := formValues(t, res.body, edit)
	if form.Get("name") != "Hollyfield Start-up Grants" || form.Get("maxAward") != "10000" || form.Get("critName-1") != "Need in the area" ||
		form.Get("shareTrigger-2") == "" || form.Get("version") == "" {
		t.Fatalf("the form is not filled in from the programme: %v", form)
	}
	stale := url.Values{}
	for k, vs := range form {
		stale[k] = append([]string(nil), vs...)
	}

	form.Set("maxAward", "")
	res = lead.post(edit, form)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `<a href="#maxAward">Largest award: enter an amount in pounds, like 25000</a>`) {
		t.Fatalf("no largest award: %d\n%s", res.status, res.body)
	}
	form.Set("name", "Hollyfield Growth Grants")
	form.Set("maxAward", "12,500")
	res = lead.post(edit, form)
	if res.status != http.StatusOK || !strings.HasPrefix(res.path, "/grants/programmes/"+grantProg+"?") {
		t.Fatalf("save: %d %s\n%s", res.status, res.path, res.body)
	}
	for _, want := range []string{"Programme saved", "Hollyfield Growth Grants", "£12,500"} {
		if !strings.Contains(res.body, want) {
			t.Errorf("after saving the page lacks %q:\n%s", want, res.body)
		}
	}

	stale.Set("name", "Hollyfield Old Grants")
	res = lead.post(edit, stale)
	if res.status != http.StatusConflict || !strings.Contains(res.body, "Someone else changed this programme") {
		t.Fatalf("a stale version: %d\n%s", res.status, res.body)
	}
	if body := lead.get("/grants/programmes/" + grantProg).body; strings.Contains(body, "Hollyfield Old Grants") || !strings.Contains(body, "Hollyfield Growth Grants") {
		t.Error("a stale version overwrote the programme")
	}
}
