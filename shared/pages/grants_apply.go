package pages

import (
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// budgetRows is how many budget lines the apply form offers: enough for a
// start-up grant, with no JavaScript to add more.
const budgetRows = 5

// grantForm is the apply form as typed: kept as text, so that a wrong
// answer comes back as it was typed.
type grantForm struct {
	// Key is the idempotency key the form carries from its first showing:
	// sending twice stores one application.
	Key, Coop, Title, Purpose, Amount, Timeline string
	Items, Amounts                              []string
	// Notice says a saved draft was restored (grants_draft.go).
	Notice string
}

// grantApplyData is what the apply form and the check page show.
type grantApplyData struct {
	Programme *grantservice.ProgrammeView
	Coop      grantservice.CoopEligibility
	Form      grantForm
	F         map[string]field
	// Input is the application read from the form, for the check page.
	Input grantservice.ApplicationInput
}

// newKey returns a fresh idempotency key.
func newKey() string {
	b := make([]byte, 16)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}

// formLine is one budget line of the form as typed, numbered from 1.
type formLine struct{ N, Item, Amount string }

// Lines returns the form's budget lines as typed.
func (gf grantForm) Lines() []formLine {
	out := make([]formLine, len(gf.Items))
	for i := range gf.Items {
		out[i] = formLine{N: strconv.Itoa(i + 1), Item: gf.Items[i], Amount: gf.Amounts[i]}
	}
	return out
}

// readGrantForm reads the apply form.
func readGrantForm(r *http.Request) grantForm {
	f := r.PostForm
	gf := grantForm{Key: f.Get("key"), Coop: f.Get("coop"), Title: strings.TrimSpace(f.Get("title")),
		Purpose: strings.TrimSpace(f.Get("purpose")), Amount: strings.TrimSpace(f.Get("amount")), Timeline: strings.TrimSpace(f.Get("timeline"))}
	for i := 1; i <= budgetRows; i++ {
		n := strconv.Itoa(i)
		gf.Items = append(gf.Items, strings.TrimSpace(f.Get("item-"+n)))
		gf.Amounts = append(gf.Amounts, strings.TrimSpace(f.Get("lineAmount-"+n)))
	}
	return gf
}

// input turns the form into the service's input, or returns the form's
// errors, in the order of the fields.
func (gf grantForm) input(programme string) (grantservice.ApplicationInput, formErrors) {
	in := grantservice.ApplicationInput{Programme: programme, Coop: gf.Coop, Title: gf.Title, Purpose: gf.Purpose, Timeline: gf.Timeline}
	var errs formErrors
	if gf.Title == "" {
		errs = append(errs, fieldError{Field: "title", ID: "title", Message: "Enter a title for the application"})
	}
	if gf.Purpose == "" {
		errs = append(errs, fieldError{Field: "purpose", ID: "purpose", Message: "Say what the grant is for"})
	}
	if amount, ok := parsePounds(gf.Amount); !ok || amount <= 0 {
		errs = append(errs, fieldError{Field: "amount", ID: "amount", Message: "Enter the amount you are asking for in pounds, like 5000"})
	} else {
		in.Amount = amount
	}
	for i := range gf.Items {
		n := strconv.Itoa(i + 1)
		item, amt := gf.Items[i], gf.Amounts[i]
		if item == "" && amt == "" {
			continue
		}
		pence, ok := parsePounds(amt)
		switch {
		case item == "":
			errs = append(errs, fieldError{Field: "item-" + n, ID: "item-" + n, Message: "Budget line " + n + ": say what the money is for"})
		case !ok || pence <= 0:
			errs = append(errs, fieldError{Field: "lineAmount-" + n, ID: "lineAmount-" + n, Message: "Budget line " + n + ": enter the amount in pounds, like 1200"})
		default:
			in.Budget = append(in.Budget, grants.BudgetLine{Item: item, Amount: pence})
		}
	}
	if len(in.Budget) == 0 && len(errs) == 0 {
		errs = append(errs, fieldError{Field: "budget", ID: "item-1", Message: "Enter at least one budget line: what the money is for and how much"})
	} else if len(errs) == 0 && grants.BudgetTotal(in.Budget) != in.Amount {
		errs = append(errs, fieldError{Field: "budget", ID: "item-1", Message: "The budget lines add up to " +
			grants.Pounds(grants.BudgetTotal(in.Budget)) + ", not the " + grants.Pounds(in.Amount) + " you are asking for"})
	}
	return in, errs
}

// applyProgramme reads the programme and the founder's co-op's eligibility
// for it; a co-op that is not the founder's is "not found".
func (h *Handler) applyProgramme(r *http.Request, g *grantservice.Service, coop string) (*grantservice.ProgrammeView, grantservice.CoopEligibility, error) {
	p, err := g.Programme(r.Context(), userFrom(r), r.PathValue("id"))
	if err != nil {
		return nil, grantservice.CoopEligibility{}, err
	}
	for _, c := range p.Coops {
		if c.Coop == coop {
			return p, c, nil
		}
	}
	return nil, grantservice.CoopEligibility{}, pathway.NotFound("co-op")
}

// grantApplyForm shows the apply form for one of the founder's co-ops
// (?coop=), or the reasons it may not apply.
func (h *Handler) grantApplyForm(w http.ResponseWriter, r *http.Request) {
	g := h.grantsOr404(w, r)
	if g == nil {
		return
	}
	p, c, err := h.applyProgramme(r, g, r.URL.Query().Get("coop"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	gf := grantForm{Key: newKey(), Coop: c.Coop, Items: make([]string, budgetRows), Amounts: make([]string, budgetRows)}
	if c.Eligible {
		h.restoreGrantDraft(r, g, p.ID, &gf)
	}
	h.showApplyForm(w, r, http.StatusOK, p, c, gf, nil)
}

// showApplyForm renders the apply form with the answers and errors.
func (h *Handler) showApplyForm(w http.ResponseWriter, r *http.Request, status int, p *grantservice.ProgrammeView, c grantservice.CoopEligibility, gf grantForm, errs formErrors) {
	d := &grantApplyData{Programme: p, Coop: c, Form: gf, F: map[string]field{
		"title": {ID: "title", Name: "title", Label: "Title of your application", Hint: "A few words, for example: Training our first carers",
			Value: gf.Title, Err: errs.For("title")},
		"purpose": {ID: "purpose", Name: "purpose", Label: "What is the grant for?", Hint: "What you will do with the money, and why it matters for the people you will support.",
			Value: gf.Purpose, Err: errs.For("purpose")},
		"amount": {ID: "amount", Name: "amount", Label: "How much are you asking for, in pounds?",
			Hint:  "Between " + grants.Pounds(p.MinAward) + " and " + grants.Pounds(p.MaxAward) + ". It must match the budget lines below.",
			Value: gf.Amount, Err: errs.For("amount"), Class: "input--10", Inputmode: "decimal"},
		"timeline": {ID: "timeline", Name: "timeline", Label: "Timeline (optional)", Hint: "When you will do what, for example: training from June to September 2027.",
			Value: gf.Timeline, Err: errs.For("timeline")},
	}}
	for i := range budgetRows {
		n := strconv.Itoa(i + 1)
		d.F["item-"+n] = field{ID: "item-" + n, Name: "item-" + n, Label: "What it pays for", Value: gf.Items[i], Err: errs.For("item-" + n)}
		d.F["lineAmount-"+n] = field{ID: "lineAmount-" + n, Name: "lineAmount-" + n, Label: "Amount in pounds",
			Value: gf.Amounts[i], Err: errs.For("lineAmount-" + n), Class: "input--10", Inputmode: "decimal"}
	}
	if m := errs.For("budget"); m != "" {
		f := d.F["item-1"]
		f.Err = m
		d.F["item-1"] = f
	}
	h.render(w, r, status, "grant-apply", &page{Title: "Apply for " + p.Name, Nav: "grants", Back: "/grants", Errors: errs, Notice: gf.Notice, Data: d})
}

// grantApplyPost takes the apply form's three buttons: check the answers,
// change them, and send.
func (h *Handler) grantApplyPost(w http.ResponseWriter, r *http.Request) {
	g := h.grantsOr404(w, r)
	if g == nil {
		return
	}
	gf := readGrantForm(r)
	p, c, err := h.applyProgramme(r, g, gf.Coop)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	if gf.Key == "" {
		gf.Key = newKey()
	}
	in, errs := gf.input(p.ID)
	step := r.PostForm.Get("step")
	if step != "send" {
		if err := h.saveGrantDraft(r, g, gf, in); err != nil {
			h.errorPage(w, r, nil, err)
			return
		}
		if step == "save" {
			http.Redirect(w, r, "/grants?notice=draft-saved", http.StatusSeeOther)
			return
		}
	}
	if len(errs) > 0 || step == "change" {
		status := http.StatusOK
		if len(errs) > 0 {
			status = http.StatusBadRequest
		}
		h.showApplyForm(w, r, status, p, c, gf, errs)
		return
	}
	if step != "send" {
		d := &grantApplyData{Programme: p, Coop: c, Form: gf, Input: in}
		h.render(w, r, http.StatusOK, "grant-apply-check", &page{Title: "Check your answers before sending", Nav: "grants", Data: d})
		return
	}
	u := userFrom(r)
	v, err := g.Apply(r.Context(), u, grantservice.ApplicationID(u.ID, gf.Key), in)
	if msgs := fieldsOf(err); msgs != nil {
		order := []string{"title", "purpose", "amount", "budget", "timeline"}
		h.showApplyForm(w, r, http.StatusBadRequest, p, c, gf, newErrors(msgs, order, map[string]string{"budget": "item-1"}))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/grants/applications/"+url.PathEscape(v.ID)+"?notice=sent", http.StatusSeeOther)
}
