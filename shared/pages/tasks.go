package pages

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// inboxData is what the inbox shows: a page of tasks, and the address of
// the next page when there is one.
type inboxData struct {
	Tasks []journey.TaskView
	// Next is the next page's address, or "".
	Next string
	// Later reports whether this is not the first page.
	Later bool
}

// inbox lists a page of the user's open tasks, earliest due first, with
// a link to the next page.
func (h *Handler) inbox(w http.ResponseWriter, r *http.Request) {
	cursor := r.URL.Query().Get("cursor")
	p, err := h.journey.InboxPage(r.Context(), userFrom(r), cursor, 0)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	d := &inboxData{Tasks: p.Tasks, Later: cursor != ""}
	if p.Next != "" {
		d.Next = "/tasks?" + url.Values{"cursor": {p.Next}}.Encode()
	}
	h.render(w, r, http.StatusOK, "inbox", &page{Title: "Your tasks", Nav: "tasks", Data: d})
}

// taskData is what a task's page shows.
type taskData struct {
	// Portal and Registration are CQC's pages the submission step links.
	Portal, Registration pathway.Link
	Task                 *pathway.Task
	Coop                 *pathway.Coop
	Summary              appSummary
	F                    map[string]field
}

// taskPage shows the form that answers a task: the panel decision with
// the application to review, the CQC submission date, or CQC's decision.
func (h *Handler) taskPage(w http.ResponseWriter, r *http.Request) {
	if coop, ok := pathway.VerificationCoop(r.PathValue("id")); ok {
		// Evidence is checked item by item on the co-op's checklist,
		// which answers 404 to anyone who may not see the co-op.
		http.Redirect(w, r, coopPath(coop)+"#checklist", http.StatusSeeOther)
		return
	}
	if h.grantTask(w, r) || h.tenderTask(w, r) {
		return
	}
	t, c, err := h.journey.TaskToAnswer(r.Context(), userFrom(r), r.PathValue("id"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	if t.Kind == pathway.TaskChecklist {
		http.Redirect(w, r, coopPath(c.ID), http.StatusSeeOther)
		return
	}
	h.showTask(w, r, http.StatusOK, t, c, nil)
}

// showTask renders a task's form, with the answers just sent when errs is
// not empty.
func (h *Handler) showTask(w http.ResponseWriter, r *http.Request, status int, t *pathway.Task, c *pathway.Coop, errs formErrors) {
	form := r.PostForm
	get := func(k string) string {
		if form == nil {
			return ""
		}
		return form.Get(k)
	}
	d := &taskData{Task: t, Coop: c, Portal: pathway.LinkProviderPortal, Registration: pathway.LinkCQCRegistration}
	if t.Kind == pathway.TaskPanelDecision || t.Kind == pathway.TaskPanelEscalation {
		// The application to review, with its programme's name.
		cp, p, err := h.journey.Coop(r.Context(), userFrom(r), c.ID)
		if err != nil {
			h.errorPage(w, r, nil, err)
			return
		}
		d.Summary = summaryOf(cp, p)
	}
	sub := readDate(get, "submittedOn")
	dec := readDate(get, "decidedOn")
	d.F = map[string]field{
		"panel": {ID: "outcome", Name: "outcome", Legend: "What did the panel decide?", Type: "radio", Value: get("outcome"),
			Err: errs.For("outcome"), Options: []option{
				{"accept", "Accept onto the programme", "The co-op starts its CQC checklist with adviser support."},
				{"decline", "Decline", "Give the panel's reasons: the founders will see them."},
				{"defer", "Defer to the next panel", "A new decision will be due."},
			}},
		"notes": {ID: "notes", Name: "notes", Label: "The panel's notes and reasons",
			Hint: "Required when you decline. The founders will see these notes.", Value: get("notes"), Err: errs.For("notes")},
		"submittedOn": {ID: "submittedOn", Name: "submittedOn", Legend: "When did you submit your application on the CQC provider portal?",
			Hint: "For example, 27 3 2027", Day: sub.Day, Month: sub.Month, Year: sub.Year, Err: errs.For("submittedOn")},
		"cqc": {ID: "outcome", Name: "outcome", Legend: "What did CQC decide?", Type: "radio", Value: get("outcome"),
			Err: errs.For("outcome"), Options: []option{
				{"registered", "CQC registered the co-op", "You will find the provider ID on the notice of decision."},
				{"proposal-to-refuse", "CQC proposes to refuse registration", "You have 28 days to send written representations."},
				{"refused", "CQC refused registration", ""},
			}},
		"providerId": {ID: "providerId", Name: "providerId", Label: "CQC provider ID", Hint: "Only if CQC registered the co-op, for example 1-123456789",
			Value: get("providerId"), Err: errs.For("providerId"), Class: "input--20", Autocomplete: "off"},
		"decidedOn": {ID: "decidedOn", Name: "decidedOn", Legend: "Date of CQC's notice (optional)", Hint: "For example, 27 3 2027",
			Day: dec.Day, Month: dec.Month, Year: dec.Year, Err: errs.For("decidedOn")},
	}
	back := coopPath(c.ID)
	if userFrom(r).IsStaff() {
		back = "/tasks"
	}
	h.render(w, r, status, "task", &page{Title: t.Title, Nav: "tasks", Back: back, Errors: errs, Data: d})
}

// answerTask sends a person's answer to a task through the journey
// service, which checks it and hands it to the waiting workflow.
func (h *Handler) answerTask(w http.ResponseWriter, r *http.Request) {
	if h.grantTask(w, r) || h.tenderTask(w, r) {
		return
	}
	ctx, u := r.Context(), userFrom(r)
	t, c, err := h.journey.TaskToAnswer(ctx, u, r.PathValue("id"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	a, order, errs := answerOf(t.Kind, r)
	if len(errs) > 0 {
		h.showTask(w, r, http.StatusBadRequest, t, c, errs)
		return
	}
	if a == nil {
		h.errorPage(w, r, nil, pathway.Errorf(pathway.ECONFLICT, "Tasks of this kind cannot be answered here."))
		return
	}
	_, err = h.journey.Decide(ctx, u, t, c, a)
	if msgs := fieldsOf(err); msgs != nil {
		h.showTask(w, r, http.StatusBadRequest, t, c, newErrors(plainAnswers(msgs), order, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, coopPath(c.ID)+"?notice="+decisionNotice(a), http.StatusSeeOther)
}

// decisionNotice names the banner that says what was decided.
func decisionNotice(a journey.Answer) string {
	switch a := a.(type) {
	case *journey.PanelAnswer:
		return "panel-" + a.Outcome
	case *journey.SubmissionAnswer:
		return "cqc-submitted"
	case *journey.CQCAnswer:
		return "cqc-" + a.Outcome
	}
	return "decided"
}

// answerOf reads the answer a task of the kind takes from the form, with
// the form's field order; dates typed wrongly are errors here, because only
// the form has three boxes for one date.
func answerOf(kind string, r *http.Request) (journey.Answer, []string, formErrors) {
	f := r.PostForm
	switch kind {
	case pathway.TaskPanelDecision, pathway.TaskPanelEscalation:
		if f.Get("outcome") == "" {
			return nil, nil, formErrors{{Field: "outcome", ID: "outcome", Message: "Choose what the panel decided"}}
		}
		return &journey.PanelAnswer{Outcome: f.Get("outcome"), Notes: f.Get("notes")}, []string{"outcome", "notes"}, nil
	case pathway.TaskCQCSubmission:
		iso, msg := readDate(f.Get, "submittedOn").iso("the date you submitted your application")
		if msg != "" {
			return nil, nil, formErrors{{Field: "submittedOn", ID: "submittedOn", Message: msg}}
		}
		return &journey.SubmissionAnswer{SubmittedOn: iso}, []string{"submittedOn"}, nil
	case pathway.TaskCQCDecision, pathway.TaskCQCEscalation:
		var errs formErrors
		if f.Get("outcome") == "" {
			errs = append(errs, fieldError{Field: "outcome", ID: "outcome", Message: "Choose what CQC decided"})
		}
		iso := ""
		if d := readDate(f.Get, "decidedOn"); !d.empty() {
			var msg string
			if iso, msg = d.iso("the date of CQC's notice"); msg != "" {
				errs = append(errs, fieldError{Field: "decidedOn", ID: "decidedOn", Message: msg})
			}
		}
		if len(errs) > 0 {
			return nil, nil, errs
		}
		return &journey.CQCAnswer{Outcome: f.Get("outcome"), ProviderID: f.Get("providerId"), DecidedOn: iso},
			[]string{"outcome", "providerId", "decidedOn"}, nil
	}
	return nil, nil, nil
}

// plainAnswers rewrites the journey's date messages, which speak of
// YYYY-MM-DD, for a form that asks for day, month and year.
func plainAnswers(msgs map[string]string) map[string]string {
	for k, m := range msgs {
		if strings.Contains(m, "not in the future") {
			msgs[k] = "The date must be today or in the past"
		}
	}
	return msgs
}
