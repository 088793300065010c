package pages

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Rows the new-programme form offers, with no JavaScript to add more.
const (
	criterionRows = 4
	scheduleRows  = 3
)

// programmeFormData is what the programme form shows: a new programme's,
// or, Editing, an existing one's with the version it was read at.
type programmeFormData struct {
	Key      string
	Editing  bool
	ID       string
	Version  int
	F        map[string]field
	Criteria [][]field
	Schedule [][]field
	// Scale describes each score from 0 to 5 (grants_scale.go).
	Scale []field
}

// newProgrammePage shows the lead's form for a new grant programme.
func (h *Handler) newProgrammePage(w http.ResponseWriter, r *http.Request) {
	if g := h.grantsOr404(w, r); g == nil {
		return
	}
	if u := userFrom(r); u.Role != pathway.RoleFunder || !u.Lead {
		h.errorPage(w, r, nil, pathway.Errorf(pathway.EFORBIDDEN, "Only a lead of your funder can create grant programmes."))
		return
	}
	r.PostForm = scaleValues(nil, grants.DefaultScale) // a new programme starts from the default scale
	h.showProgrammeForm(w, r, http.StatusOK, &programmeFormData{Key: newKey()}, nil)
}

// showProgrammeForm renders the form with what was typed (r.PostForm)
// and its errors; d says whether it creates or changes a programme.
func (h *Handler) showProgrammeForm(w http.ResponseWriter, r *http.Request, status int, d *programmeFormData, errs formErrors) {
	get := func(k string) string {
		if r.PostForm == nil {
			return ""
		}
		return r.PostForm.Get(k)
	}
	values := func(k string) []string {
		if r.PostForm == nil {
			return nil
		}
		return r.PostForm[k]
	}
	money := func(name, label, hint string) field {
		return field{ID: name, Name: name, Label: label, Hint: hint, Value: get(name), Err: errs.For(name), Class: "input--10", Inputmode: "decimal"}
	}
	date := func(name, legend string) field {
		d := readDate(get, name)
		return field{ID: name, Name: name, Legend: legend, Hint: "For example, 1 4 2027", Day: d.Day, Month: d.Month, Year: d.Year, Err: errs.For(name)}
	}
	var stages []option
	for _, s := range pathway.Stages {
		stages = append(stages, option{Value: s, Label: pathway.StageName(s)})
	}
	d.F = map[string]field{
		"name":     {ID: "name", Name: "name", Label: "Name of the programme", Value: get("name"), Err: errs.For("name")},
		"purpose":  {ID: "purpose", Name: "purpose", Label: "What the programme pays for", Hint: "Founders read this when they decide whether to apply.", Value: get("purpose"), Err: errs.For("purpose")},
		"budget":   money("budget", "Budget, in pounds", "The most the programme awards in all."),
		"minAward": money("minAward", "Smallest award, in pounds", ""),
		"maxAward": money("maxAward", "Largest award, in pounds", "No more than the budget."),
		"opensOn":  date("opensOn", "Applications open on"),
		"closesOn": date("closesOn", "Applications close on"),
		"stageReached": {ID: "stageReached", Name: "stageReached", Label: "Stage a co-op must have reached (optional)", Value: get("stageReached"),
			Options: stages, Err: errs.For("stageReached")},
		"councilAreas": {ID: "councilAreas", Name: "councilAreas", Label: "Council areas the programme funds (optional)",
			Hint: "One a line, for example Calderdale. Leave empty for all of England.", Value: get("councilAreas"), Err: errs.For("councilAreas")},
		"services": {ID: "services", Name: "services", Type: "checkbox", Legend: "Kinds of care it funds (optional)", Hint: "Choose none for any.",
			Options: options(pathway.Services), Values: values("services"), Err: errs.For("services")},
		"legalForms": {ID: "legalForms", Name: "legalForms", Type: "checkbox", Legend: "Legal forms it funds (optional)", Hint: "Choose none for any.",
			Options: legalForms, Values: values("legalForms"), Err: errs.For("legalForms")},
		"reviewers": {ID: "reviewers", Name: "reviewers", Label: "Reviews each application needs", Hint: "From 1 to 10.", Value: get("reviewers"),
			Err: errs.For("reviewers"), Class: "input--4", Inputmode: "numeric"},
	}
	for i := range criterionRows {
		n := strconv.Itoa(i + 1)
		d.Criteria = append(d.Criteria, []field{
			{ID: "critName-" + n, Name: "critName-" + n, Label: "Criterion " + n + ": what reviewers score", Value: get("critName-" + n), Err: errs.For("critName-" + n)},
			{ID: "critWeight-" + n, Name: "critWeight-" + n, Label: "Criterion " + n + ": weight, in percent", Value: get("critWeight-" + n),
				Err: errs.For("critWeight-" + n), Class: "input--4", Inputmode: "numeric"},
			{ID: "critGuide-" + n, Name: "critGuide-" + n, Label: "Criterion " + n + ": what to look for (optional)", Value: get("critGuide-" + n), Err: errs.For("critGuide-" + n)},
		})
	}
	d.Scale = scaleFields(get, errs)
	for i := range scheduleRows {
		n := strconv.Itoa(i + 1)
		d.Schedule = append(d.Schedule, []field{
			{ID: "share-" + n, Name: "share-" + n, Label: "Share " + n + ": percent of the award", Value: get("share-" + n), Err: errs.For("share-" + n), Class: "input--4", Inputmode: "numeric"},
			{ID: "shareTrigger-" + n, Name: "shareTrigger-" + n, Label: "Share " + n + ": paid", Value: get("shareTrigger-" + n), Options: options(grants.Triggers), Err: errs.For("shareTrigger-" + n)},
			{ID: "shareMonths-" + n, Name: "shareMonths-" + n, Label: "Share " + n + ": months after the award, if paid on a date", Value: get("shareMonths-" + n),
				Err: errs.For("shareMonths-" + n), Class: "input--4", Inputmode: "numeric"},
		})
	}
	title, back := "Create a grant programme", "/grants"
	if d.Editing {
		title, back = "Change this programme", "/grants/programmes/"+url.PathEscape(d.ID)
	}
	h.render(w, r, status, "grant-programme-new", &page{Title: title, Nav: "grants", Back: back, Errors: errs, Data: d})
}

// programmeOrder is the form's fields in order, for the error summary.
var programmeOrder = func() []string {
	out := []string{"name", "purpose", "budget", "minAward", "maxAward", "opensOn", "closesOn", "stageReached", "councilAreas", "services", "legalForms", "reviewers"}
	for i := 1; i <= criterionRows; i++ {
		n := strconv.Itoa(i)
		out = append(out, "critName-"+n, "critWeight-"+n, "critGuide-"+n)
	}
	out = append(out, scaleOrder...)
	for i := 1; i <= scheduleRows; i++ {
		n := strconv.Itoa(i)
		out = append(out, "share-"+n, "shareTrigger-"+n, "shareMonths-"+n)
	}
	return out
}()

// slugOf turns a criterion's name into its ID: lower case words joined
// by hyphens.
func slugOf(s string) string {
	var b strings.Builder
	for _, w := range strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') }) {
		if b.Len() > 0 {
			b.WriteByte('-')
		}
		b.WriteString(w)
	}
	return strings.Trim(b.String()[:min(b.Len(), 60)], "-")
}

// readProgramme reads the form as a programme, or the form's errors.
func readProgramme(f url.Values) (*grants.Programme, formErrors) {
	var errs formErrors
	p := &grants.Programme{Name: strings.TrimSpace(f.Get("name")), Purpose: strings.TrimSpace(f.Get("purpose")),
		Rules: grants.Rules{StageReached: f.Get("stageReached"), Services: f["services"], LegalForms: f["legalForms"]}}
	for _, m := range []struct {
		name, label string
		to          *int64
	}{{"budget", "Budget", &p.Budget}, {"minAward", "Smallest award", &p.MinAward}, {"maxAward", "Largest award", &p.MaxAward}} {
		if v, ok := parsePounds(f.Get(m.name)); ok && v > 0 {
			*m.to = v
		} else {
			errs = append(errs, fieldError{Field: m.name, ID: m.name, Message: m.label + ": enter an amount in pounds, like 25000"})
		}
	}
	for _, dt := range []struct {
		name, what string
		to         *string
	}{{"opensOn", "the day applications open", &p.OpensOn}, {"closesOn", "the day applications close", &p.ClosesOn}} {
		iso, msg := readDate(f.Get, dt.name).iso(dt.what)
		if msg != "" {
			errs = append(errs, fieldError{Field: dt.name, ID: dt.name, Message: msg})
		}
		*dt.to = iso
	}
	for _, line := range strings.Split(pathway.NormaliseNewlines(f.Get("councilAreas")), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			p.Rules.CouncilAreas = append(p.Rules.CouncilAreas, line)
		}
	}
	p.ReviewersPerApplication = count(f, "reviewers", "Reviews each application needs", &errs)
	for i := 1; i <= criterionRows; i++ {
		n := strconv.Itoa(i)
		name := strings.TrimSpace(f.Get("critName-" + n))
		weight := count(f, "critWeight-"+n, "Criterion "+n+" weight", &errs)
		if name == "" && weight == 0 {
			continue
		}
		if name == "" {
			errs = append(errs, fieldError{Field: "critName-" + n, ID: "critName-" + n, Message: "Criterion " + n + ": say what reviewers score"})
		}
		p.Criteria = append(p.Criteria, grants.Criterion{ID: slugOf(name), Name: name, Weight: weight, Guide: strings.TrimSpace(f.Get("critGuide-" + n))})
	}
	p.Scale = readScale(f, &errs)
	for i := 1; i <= scheduleRows; i++ {
		n := strconv.Itoa(i)
		share := count(f, "share-"+n, "Share "+n, &errs)
		trig := f.Get("shareTrigger-" + n)
		if share == 0 && trig == "" {
			continue
		}
		p.Schedule = append(p.Schedule, grants.ScheduleShare{Share: share, Trigger: trig, Months: count(f, "shareMonths-"+n, "Share "+n+" months", &errs)})
	}
	return p, errs
}

// rowField matches the service's names of a row's fields.
var rowField = regexp.MustCompile(`^(criteria|schedule|rules\.councilAreas)\[(\d+)\](?:\.(\w+))?$`)

// programmeFields renames the service's field names to the form's.
func programmeFields(msgs map[string]string) map[string]string {
	out := map[string]string{}
	for k, m := range msgs {
		switch {
		case scaleField.MatchString(k):
			k, m = scaleFormField(k, m)
		case rowField.MatchString(k):
			sub := rowField.FindStringSubmatch(k)
			i, _ := strconv.Atoi(sub[2])
			n := strconv.Itoa(i + 1)
			switch {
			case sub[1] == "rules.councilAreas":
				k = "councilAreas"
			case sub[1] == "criteria" && sub[3] == "weight":
				k, m = "critWeight-"+n, named("Criterion "+n+" weight", m)
			case sub[1] == "criteria":
				k, m = "critName-"+n, named("Criterion "+n, m)
			case sub[3] == "months":
				k, m = "shareMonths-"+n, named("Share "+n+" months", m)
			case sub[3] == "trigger":
				k, m = "shareTrigger-"+n, named("Share "+n+" trigger", m)
			default:
				k, m = "share-"+n, named("Share "+n, m)
			}
		case k == "criteria":
			k = "critWeight-1"
		case k == "schedule":
			k = "share-1"
		case k == "reviewersPerApplication":
			k, m = "reviewers", named("Reviews each application needs", m)
		case strings.HasPrefix(k, "rules."):
			k = strings.TrimPrefix(k, "rules.")
		}
		if _, dup := out[k]; !dup {
			out[k] = m
		}
	}
	return out
}

// createProgramme stores the lead's new programme: its ID comes from the
// form's key, so sending the form twice stores one programme.
func (h *Handler) createProgramme(w http.ResponseWriter, r *http.Request) {
	g := h.grantsOr404(w, r)
	if g == nil {
		return
	}
	key := r.PostForm.Get("key")
	if len(key) < 16 || len(key) > 64 || slugOf(key) != key {
		key = newKey()
	}
	p, errs := readProgramme(r.PostForm)
	if len(errs) > 0 {
		h.showProgrammeForm(w, r, http.StatusBadRequest, &programmeFormData{Key: key}, errs)
		return
	}
	p.ID = "gp-" + key[:24]
	ctx, u := r.Context(), userFrom(r)
	if old, err := g.Programme(ctx, u, p.ID); err == nil && old.Funder == u.Organisation {
		// A retry of a form already stored.
		http.Redirect(w, r, "/grants/programmes/"+url.PathEscape(p.ID), http.StatusSeeOther)
		return
	}
	_, err := g.CreateProgramme(ctx, u, p)
	if msgs := fieldsOf(err); msgs != nil {
		h.showProgrammeForm(w, r, http.StatusBadRequest, &programmeFormData{Key: key}, newErrors(programmeFields(msgs), programmeOrder, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/grants/programmes/"+url.PathEscape(p.ID), http.StatusSeeOther)
}

// programmeValues writes a programme as the form's values.
func programmeValues(p *grants.Programme) url.Values {
	f := url.Values{"name": {p.Name}, "purpose": {p.Purpose}, "budget": {poundsText(p.Budget)}, "minAward": {poundsText(p.MinAward)},
		"maxAward": {poundsText(p.MaxAward)}, "stageReached": {p.Rules.StageReached}, "councilAreas": {strings.Join(p.Rules.CouncilAreas, "\n")},
		"services": p.Rules.Services, "legalForms": p.Rules.LegalForms, "reviewers": {strconv.Itoa(p.ReviewersPerApplication)}}
	for name, day := range map[string]string{"opensOn": p.OpensOn, "closesOn": p.ClosesOn} {
		if t, err := time.Parse(time.DateOnly, day); err == nil {
			f.Set(name+"-day", strconv.Itoa(t.Day()))
			f.Set(name+"-month", strconv.Itoa(int(t.Month())))
			f.Set(name+"-year", strconv.Itoa(t.Year()))
		}
	}
	for i, c := range p.Criteria[:min(len(p.Criteria), criterionRows)] {
		n := strconv.Itoa(i + 1)
		f.Set("critName-"+n, c.Name)
		f.Set("critWeight-"+n, strconv.Itoa(c.Weight))
		f.Set("critGuide-"+n, c.Guide)
	}
	scaleValues(f, p.Scale)
	for i, s := range p.Schedule[:min(len(p.Schedule), scheduleRows)] {
		n := strconv.Itoa(i + 1)
		f.Set("share-"+n, strconv.Itoa(s.Share))
		f.Set("shareTrigger-"+n, s.Trigger)
		if s.Months > 0 {
			f.Set("shareMonths-"+n, strconv.Itoa(s.Months))
		}
	}
	return f
}

// leadsProgramme reads the programme id for its funder's lead; anyone
// else is shown 403 (the funder's other staff) or 404, and nil returned.
func (h *Handler) leadsProgramme(w http.ResponseWriter, r *http.Request, g *grantservice.Service) *grantservice.ProgrammeView {
	u := userFrom(r)
	p, err := g.Programme(r.Context(), u, r.PathValue("id"))
	switch {
	case err != nil:
		h.errorPage(w, r, nil, err)
	case grantservice.IsFunderLead(u, p.Funder):
		return p
	case grantservice.IsFunderStaff(u, p.Funder):
		h.errorPage(w, r, nil, pathway.Errorf(pathway.EFORBIDDEN, "Only a lead of your funder can change grant programmes."))
	default:
		h.errorPage(w, r, nil, pathway.NotFound("grant programme"))
	}
	return nil
}

// editProgrammePage shows the lead the programme's form, filled in.
func (h *Handler) editProgrammePage(w http.ResponseWriter, r *http.Request) {
	g := h.grantsOr404(w, r)
	if g == nil {
		return
	}
	p := h.leadsProgramme(w, r, g)
	if p == nil {
		return
	}
	r.PostForm = programmeValues(p.Programme)
	h.showProgrammeForm(w, r, http.StatusOK, &programmeFormData{Editing: true, ID: p.ID, Version: p.Version}, nil)
}

// updateProgramme stores the lead's changes, if nobody else changed the
// programme since the form was read.
func (h *Handler) updateProgramme(w http.ResponseWriter, r *http.Request) {
	g := h.grantsOr404(w, r)
	if g == nil {
		return
	}
	old := h.leadsProgramme(w, r, g)
	if old == nil {
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	d := &programmeFormData{Editing: true, ID: old.ID, Version: version}
	p, errs := readProgramme(r.PostForm)
	if len(errs) > 0 {
		h.showProgrammeForm(w, r, http.StatusBadRequest, d, errs)
		return
	}
	// A criterion keeps its ID while its name stays, so scores stay its.
	for i, c := range p.Criteria {
		for _, o := range old.Criteria {
			if o.Name == c.Name {
				p.Criteria[i].ID = o.ID
			}
		}
	}
	p.Version = version
	var err error
	if version < 1 {
		err = pathway.Errorf(pathway.ECONFLICT, "stale")
	} else {
		_, err = g.UpdateProgramme(r.Context(), userFrom(r), old.ID, p, version)
	}
	if msgs := fieldsOf(err); msgs != nil {
		h.showProgrammeForm(w, r, http.StatusBadRequest, d, newErrors(programmeFields(msgs), programmeOrder, nil))
		return
	} else if pathway.ErrorCode(err) == pathway.ECONFLICT {
		h.showProgrammeForm(w, r, http.StatusConflict, d, formErrors{{Field: "version", ID: "name",
			Href:    "/grants/programmes/" + url.PathEscape(old.ID) + "/edit",
			Message: "Someone else changed this programme while you were working on it. Open the form again to see their changes, then make yours."}})
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/grants/programmes/"+url.PathEscape(old.ID)+"?notice=programme-saved", http.StatusSeeOther)
}
