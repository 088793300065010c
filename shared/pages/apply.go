package pages

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The application form's steps, in order.
const (
	stepAbout    = "about"
	stepServices = "services"
	stepMembers  = "members"
	stepCheck    = "check"
)

// stepFields are the application fields each step asks for, in page order.
var stepFields = map[string][]string{
	stepAbout:    {"programme", "name", "legalForm", "origin", "localAuthority"},
	stepServices: {"services", "regulatedActivities"},
}

// stepTitles are the steps' page titles.
var stepTitles = map[string]string{
	stepAbout:    "About the co-op",
	stepServices: "Services and activities",
	stepMembers:  "Founding members",
	stepCheck:    "Check your answers before applying",
}

// applyForm is what an application step's page shows.
type applyForm struct {
	Step   string
	Change bool
	F      map[string]field
	// Members are the member rows of the members step.
	Members []memberRow
	Rows    int
	Max     int
	Summary appSummary
	// Warnings are the eligibility rules the screening will find the
	// answers do not meet (check your answers).
	Warnings []warning
	// Resubmit: the answers correct a screened-out application.
	Resubmit bool
}

// memberRow is one member's controls.
type memberRow struct {
	N                 int
	Name, Class, Role field
	Saved             bool
	RemoveID, Legend  string
}

// appSummary is an application shown as summary lists.
type appSummary struct {
	App           journey.Application
	ProgrammeName string
	Change        bool
}

// founderOnly answers a user the journey service would not let apply
// (journey.MayApply) with a page saying why, and reports whether it did:
// the form is offered only to those whose application will be taken.
func (h *Handler) founderOnly(w http.ResponseWriter, r *http.Request) bool {
	if err := journey.MayApply(userFrom(r)); err != nil {
		h.errorPage(w, r, nil, err)
		return true
	}
	return false
}

// applyStart is the start page: the open programmes and who may apply.
func (h *Handler) applyStart(w http.ResponseWriter, r *http.Request) {
	if h.founderOnly(w, r) {
		return
	}
	ps, err := h.journey.OpenProgrammes(r.Context())
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	h.render(w, r, http.StatusOK, "apply-start", &page{Title: "Apply to a co-op development programme", Nav: "home", Back: "/", Data: ps})
}

// openStep admits a founder to a step of the form that exists and loads
// the answers so far; when it cannot, it has answered and ok is false.
func (h *Handler) openStep(w http.ResponseWriter, r *http.Request) (step string, d *draft, ok bool) {
	if h.founderOnly(w, r) {
		return "", nil, false
	}
	step = r.PathValue("step")
	if _, known := stepTitles[step]; !known {
		h.NotFound(w, r)
		return "", nil, false
	}
	return step, h.loadDraft(w, r), true
}

// applyStep shows a step of the application form with the answers so far.
func (h *Handler) applyStep(w http.ResponseWriter, r *http.Request) {
	step, d, ok := h.openStep(w, r)
	if !ok {
		return
	}
	progs := h.programmesOnce(r)
	var errs formErrors
	if step == stepCheck {
		errs = checkDraft(progs, d)
	}
	h.showStep(w, r, http.StatusOK, step, d, progs, errs, r.URL.Query().Get("change") == "1")
}

// programmes returns the open programmes.
type programmes func() ([]journey.ProgrammeView, error)

// programmesOnce returns programmes that reads them on its first call
// only: a step's checks and its page both need them, and each read is a
// query plus one read per agency.
func (h *Handler) programmesOnce(r *http.Request) programmes {
	return sync.OnceValues(func() ([]journey.ProgrammeView, error) { return h.journey.OpenProgrammes(r.Context()) })
}

// showStep renders a step.
func (h *Handler) showStep(w http.ResponseWriter, r *http.Request, status int, step string, d *draft,
	progs programmes, errs formErrors, change bool) {
	ps, err := progs()
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	f := &applyForm{Step: step, Change: change, Max: maxMembers}
	switch step {
	case stepAbout:
		f.F = aboutFields(d.App, ps, errs)
	case stepServices:
		f.F = servicesFields(d.App, errs)
	case stepMembers:
		f.Members = memberRows(d.App.Members, errs)
		f.Rows = len(f.Members)
	case stepCheck:
		f.Summary = appSummary{App: d.App, ProgrammeName: programmeName(ps, d.App.Programme), Change: true}
		f.Warnings, f.Resubmit = warningsOf(h.journey.EligibilityWarnings(r.Context(), d.App)), d.Coop != ""
	}
	h.render(w, r, status, "apply-"+step, &page{Title: stepTitles[step], Nav: "home", Back: backOf(step), Errors: errs, Data: f})
}

// backOf is the page before a step.
func backOf(step string) string {
	switch step {
	case stepServices:
		return "/apply/about"
	case stepMembers:
		return "/apply/services"
	case stepCheck:
		return "/apply/members"
	}
	return "/apply"
}

// nextOf is the page after a step.
func nextOf(step string) string {
	switch step {
	case stepAbout:
		return "/apply/services"
	case stepServices:
		return "/apply/members"
	}
	return "/apply/check"
}

// programmeName returns the name of an open programme, or the ID.
func programmeName(ps []journey.ProgrammeView, id string) string {
	for _, p := range ps {
		if p.ID == id {
			return p.Name
		}
	}
	return id
}

// aboutFields are the controls of the "about the co-op" step.
func aboutFields(a journey.Application, ps []journey.ProgrammeView, errs formErrors) map[string]field {
	progs := make([]option, len(ps))
	for i, p := range ps {
		progs[i] = option{Value: p.ID, Label: p.Name + " (" + p.AgencyName + ")", Hint: p.Eligibility}
	}
	return map[string]field{
		"programme": {ID: "programme", Name: "programme", Legend: "Which programme are you applying to?", Type: "radio",
			Options: progs, Value: a.Programme, Err: errs.For("programme")},
		"name": {ID: "name", Name: "name", Label: "What is the co-op called?", Hint: "Use its working name if it is not registered yet.",
			Value: a.Name, Err: errs.For("name"), Autocomplete: "organization"},
		"legalForm": {ID: "legalForm", Name: "legalForm", Legend: "What is the co-op's legal form?", Type: "radio",
			Options: legalForms, Value: a.LegalForm, Err: errs.For("legalForm")},
		"origin": {ID: "origin", Name: "origin", Legend: "How did the co-op come about?", Type: "radio",
			Options: origins, Value: a.Origin, Err: errs.For("origin")},
		"localAuthority": {ID: "localAuthority", Name: "localAuthority", Label: "Which council area will the co-op serve first?",
			Hint: "For example, Calderdale or Somerset.", Value: a.LocalAuthority, Err: errs.For("localAuthority")},
	}
}

// servicesFields are the controls of the "services and activities" step.
func servicesFields(a journey.Application, errs formErrors) map[string]field {
	return map[string]field{
		"services": {ID: "services", Name: "services", Legend: "What care or support will the co-op provide?",
			Hint: "Select all that apply.", Type: "checkbox", Options: serviceOptions(), Values: a.Services, Err: errs.For("services")},
		"regulatedActivities": {ID: "regulatedActivities", Name: "regulatedActivities",
			Legend: "Which activities regulated by CQC will the co-op carry on?",
			Hint:   "Select all that apply. Leave them all unticked if none of your services needs CQC registration.",
			Type:   "checkbox", Options: activities, Values: a.RegulatedActivities, Err: errs.For("regulatedActivities")},
	}
}

// memberRows are the member controls: one row per member so far and one
// empty row for the next, up to maxMembers.
func memberRows(ms []journey.Member, errs formErrors) []memberRow {
	n := min(len(ms)+1, maxMembers)
	rows := make([]memberRow, n)
	for i := range rows {
		var m journey.Member
		if i < len(ms) {
			m = ms[i]
		}
		key := func(f string) string { return fmt.Sprintf("members[%d].%s", i, f) }
		id := func(f string) string { return fmt.Sprintf("member-%d-%s", i, f) }
		rows[i] = memberRow{
			N: i + 1, Saved: i < len(ms), RemoveID: id("remove"), Legend: fmt.Sprintf("Member %d", i+1),
			Name:  field{ID: id("name"), Name: id("name"), Label: "Full name", Value: m.Name, Err: errs.For(key("name")), Autocomplete: "off"},
			Class: field{ID: id("class"), Name: id("class"), Label: "How they belong to the co-op", Options: memberClasses, Value: m.Class, Err: errs.For(key("class"))},
			Role:  field{ID: id("role"), Name: id("role"), Label: "Their role", Options: memberRoles, Value: m.Role, Err: errs.For(key("role"))},
		}
		if i == 0 && len(ms) == 0 {
			rows[i].Name.Err = errs.For("members")
		}
	}
	return rows
}

// applySave saves a step's answers and goes on to the next step, or shows
// the step again with its errors; on the check step it submits.
func (h *Handler) applySave(w http.ResponseWriter, r *http.Request) {
	step, d, ok := h.openStep(w, r)
	if !ok {
		return
	}
	if step == stepCheck {
		h.submit(w, r, d)
		return
	}
	readStep(r.PostForm, step, &d.App)
	change := r.PostForm.Get("change") == "1"
	progs := h.programmesOnce(r)
	if !d.save(w, r) {
		errs := formErrors{{Field: "", ID: stepFirstID(step), Message: d.problem}}
		h.showStep(w, r, http.StatusBadRequest, step, d, progs, errs, change)
		return
	}
	errs := stepErrors(progs, step, d.App)
	if len(errs) > 0 {
		h.showStep(w, r, http.StatusBadRequest, step, d, progs, errs, change)
		return
	}
	next := nextOf(step)
	if change {
		next = "/apply/check"
	}
	if step == stepMembers && r.PostForm.Get("action") == "add" {
		next = "/apply/members"
		if change {
			next += "?change=1"
		}
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// stepFirstID is the first control of a step, for errors about the whole step.
func stepFirstID(step string) string {
	if fs := stepFields[step]; len(fs) > 0 {
		return fs[0]
	}
	return "member-0-name"
}

// readStep copies a step's answers from the form into the application.
func readStep(form url.Values, step string, a *journey.Application) {
	switch step {
	case stepAbout:
		a.Programme = strings.TrimSpace(form.Get("programme"))
		a.Name = strings.TrimSpace(form.Get("name"))
		a.LegalForm = form.Get("legalForm")
		a.Origin = form.Get("origin")
		a.LocalAuthority = strings.TrimSpace(form.Get("localAuthority"))
		// Councils are named many ways; store the canonical name when it
		// is one of England's.
		if name, ok := pathway.EnglishLocalAuthority(a.LocalAuthority); ok {
			a.LocalAuthority = name
		}
	case stepServices:
		a.Services = form["services"]
		a.RegulatedActivities = form["regulatedActivities"]
	case stepMembers:
		a.Members = readMembers(form)
	}
}

// readMembers reads the member rows, leaving out empty rows and those
// marked for removal.
func readMembers(form url.Values) []journey.Member {
	rows, _ := strconv.Atoi(form.Get("rows"))
	rows = min(max(rows, 0), maxMembers)
	var out []journey.Member
	for i := range rows {
		p := fmt.Sprintf("member-%d-", i)
		m := journey.Member{
			Name: strings.TrimSpace(form.Get(p + "name")), Class: form.Get(p + "class"), Role: form.Get(p + "role"),
		}
		if form.Get(p+"remove") != "" || m == (journey.Member{}) {
			continue
		}
		out = append(out, m)
	}
	return out
}

// stepErrors checks a step's answers with the same validation the API
// applies (Application.Validate on the whole application), keeping only the
// errors of the step's fields, in plain words for the form.
func stepErrors(progs programmes, step string, a journey.Application) formErrors {
	msgs := applicationErrors(a)
	keep := map[string]string{}
	for f, m := range msgs {
		if fieldStep(f) == step {
			keep[f] = m
		}
	}
	if step == stepAbout && a.Programme != "" {
		if msg := programmeError(progs, a.Programme); msg != "" {
			keep["programme"] = msg
		}
	}
	return newErrors(keep, stepOrder(step, len(a.Members)), memberIDs(len(a.Members)))
}

// programmeError says why a programme cannot be chosen, or "".
func programmeError(progs programmes, id string) string {
	ps, err := progs()
	if err != nil || !slices.ContainsFunc(ps, func(p journey.ProgrammeView) bool { return p.ID == id }) {
		return "Choose a programme that is open for applications"
	}
	return ""
}

// stepOrder is the order of a step's fields for its error summary.
func stepOrder(step string, members int) []string {
	if step != stepMembers {
		return stepFields[step]
	}
	out := []string{"members"}
	for i := range members {
		for _, f := range []string{"name", "class", "role"} {
			out = append(out, fmt.Sprintf("members[%d].%s", i, f))
		}
	}
	return out
}

// memberIDs maps member fields to their controls.
func memberIDs(members int) map[string]string {
	ids := map[string]string{"members": "member-0-name"}
	for i := range members {
		for _, f := range []string{"name", "class", "role"} {
			ids[fmt.Sprintf("members[%d].%s", i, f)] = fmt.Sprintf("member-%d-%s", i, f)
		}
	}
	return ids
}

// fieldStep says which step asks for a field.
func fieldStep(f string) string {
	base, _, _ := strings.Cut(f, "[")
	base, _, _ = strings.Cut(base, ".")
	if base == "members" {
		return stepMembers
	}
	for step, fs := range stepFields {
		if slices.Contains(fs, base) {
			return step
		}
	}
	return ""
}

// applicationErrors validates an application as the API does and says each
// problem in the words of the form.
func applicationErrors(a journey.Application) map[string]string {
	msgs := pathway.ErrorFields(a.Validate())
	out := make(map[string]string, len(msgs))
	for f, m := range msgs {
		out[f] = friendly(a, f, m)
	}
	return out
}

// friendly rewrites a validation message for a person filling in the form:
// a missing answer gets a sentence saying what to do; any other message is
// prefixed with the field's name.
func friendly(a journey.Application, f, msg string) string {
	empty := map[string]string{
		"programme":      "Choose the programme you are applying to",
		"name":           "Enter the co-op's name",
		"legalForm":      "Choose the co-op's legal form",
		"origin":         "Choose how the co-op came about",
		"localAuthority": "Enter the council area the co-op will serve first",
		"services":       "Choose at least one service the co-op will provide",
		"members":        "Add at least one founding member",
	}
	values := map[string]bool{
		"programme": a.Programme != "", "name": a.Name != "", "legalForm": a.LegalForm != "", "origin": a.Origin != "",
		"localAuthority": a.LocalAuthority != "", "services": len(a.Services) > 0, "members": len(a.Members) > 0,
	}
	if m, ok := empty[f]; ok && !values[f] {
		return m
	}
	var i int
	var part string
	if n, _ := fmt.Sscanf(strings.ReplaceAll(f, ".", " "), "members[%d] %s", &i, &part); n == 2 && i < len(a.Members) {
		m := a.Members[i]
		switch {
		case part == "name" && m.Name == "":
			return fmt.Sprintf("Enter the name of member %d", i+1)
		case part == "class" && m.Class == "":
			return fmt.Sprintf("Choose how member %d belongs to the co-op", i+1)
		case part == "role" && m.Role == "":
			return fmt.Sprintf("Choose the role of member %d", i+1)
		}
		return named(fmt.Sprintf("Member %d's %s", i+1, part), msg)
	}
	labels := map[string]string{
		"programme": "Programme", "name": "Co-op name", "legalForm": "Legal form", "origin": "How the co-op came about",
		"localAuthority": "Council area", "services": "Services", "regulatedActivities": "Regulated activities", "members": "Members",
	}
	base, _, _ := strings.Cut(f, "[")
	if l, ok := labels[base]; ok {
		return named(l, msg)
	}
	return msg
}

// checkDraft returns the errors of the whole draft, each linking to the
// step that asks for the field.
func checkDraft(progs programmes, d *draft) formErrors {
	msgs := applicationErrors(d.App)
	if d.App.Programme != "" {
		if m := programmeError(progs, d.App.Programme); m != "" {
			msgs["programme"] = m
		}
	}
	return linkToSteps(msgs, len(d.App.Members))
}

// linkToSteps orders errors by step and points each at its step's page.
func linkToSteps(msgs map[string]string, members int) formErrors {
	var order []string
	for _, s := range []string{stepAbout, stepServices, stepMembers} {
		order = append(order, stepOrder(s, members)...)
	}
	errs := newErrors(msgs, order, memberIDs(members))
	for i := range errs {
		step := fieldStep(errs[i].Field)
		if step == "" {
			step = stepAbout
		}
		errs[i].Href = "/apply/" + step + "#" + errs[i].ID
	}
	return errs
}

// submit sends the checked application to the journey service.
func (h *Handler) submit(w http.ResponseWriter, r *http.Request, d *draft) {
	progs := h.programmesOnce(r)
	if errs := checkDraft(progs, d); len(errs) > 0 {
		h.showStep(w, r, http.StatusBadRequest, stepCheck, d, progs, errs, false)
		return
	}
	v, notice, err := h.send(r, d)
	if msgs := fieldsOf(err); msgs != nil {
		h.showStep(w, r, http.StatusBadRequest, stepCheck, d, progs, linkToSteps(msgs, len(d.App.Members)), false)
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	h.clearDraft(w, r)
	http.Redirect(w, r, coopPath(v.ID)+"?notice="+notice, http.StatusSeeOther)
}
