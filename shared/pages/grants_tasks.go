package pages

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// trancheRows is how many tranches the decision form offers.
const trancheRows = 3

// grantTaskData is what a grant task's page shows.
type grantTaskData struct {
	Task      *pathway.Task
	View      *grantservice.ApplicationView
	Programme *grantservice.ProgrammeView
	Scores    []grants.ReviewerScore
	// Tranche is the tranche a payment task pays; Report the report a
	// report task is about.
	Tranche *grants.Tranche
	Report  *grants.Report
	// Rows are the decision form's tranche rows.
	Rows []trancheRow
	// Names are the funder's staff's names by ID; CritNames the criteria's.
	Names, CritNames map[string]string
	// Members are the report form's members-by-class counts.
	Members []field
	F       map[string]field
}

// trancheRow is one tranche on the decision form.
type trancheRow struct {
	N                   string
	Amount, Trigger, On field
}

// grantTask serves /tasks/{id} when the task is a grant task the user may
// answer, and reports whether it did; other tasks (and grant tasks the
// user may not see: "not found") are left to the journey's pages.
func (h *Handler) grantTask(w http.ResponseWriter, r *http.Request) bool {
	if h.grants == nil {
		return false
	}
	u := userFrom(r)
	t, a, err := h.grants.TaskToAnswer(r.Context(), u, r.PathValue("id"))
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return false
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return true
	}
	if r.Method == http.MethodPost {
		h.answerGrantTask(w, r, t, a)
		return true
	}
	if t.Kind == grants.TaskReview {
		// The review starts with the declaration, on the application's page.
		http.Redirect(w, r, "/grants/applications/"+url.PathEscape(a.ID)+"#review", http.StatusSeeOther)
		return true
	}
	h.showGrantTask(w, r, http.StatusOK, t, a, nil)
	return true
}

// showGrantTask renders a grant task's form with the answers just sent
// when errs is not empty.
func (h *Handler) showGrantTask(w http.ResponseWriter, r *http.Request, status int, t *pathway.Task, a *grants.Application, errs formErrors) {
	ctx, u := r.Context(), userFrom(r)
	v, err := h.grants.Application(ctx, u, a.ID)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	d := &grantTaskData{Task: t, View: v, F: map[string]field{}}
	if v.Application == nil {
		h.errorPage(w, r, nil, pathway.NotFound("task"))
		return
	}
	posted := r.PostForm != nil && r.Method == http.MethodPost
	get := func(k string) string {
		if !posted {
			return ""
		}
		return r.PostForm.Get(k)
	}
	switch t.Kind {
	case grants.TaskDecision:
		if d.Programme, err = h.grants.Programme(ctx, u, v.Programme); err != nil {
			h.errorPage(w, r, nil, err)
			return
		}
		d.Scores = grants.ReviewerScores(d.Programme.Programme, v.Reviews)
		d.CritNames = criterionNames(d.Programme.Programme)
		if d.Names, err = h.grants.StaffNames(ctx, u, v.Funder); err != nil {
			h.errorPage(w, r, nil, err)
			return
		}
		d.decisionForm(get, posted, errs, grants.Today(h.now()))
	case grants.TaskPayment:
		d.Tranche = v.Tranche(grantservice.TrancheOf(t, v.Application))
		paid := readDate(get, "paidOn")
		d.F["paidOn"] = field{ID: "paidOn", Name: "paidOn", Legend: "When was it paid?", Hint: "For example, 27 3 2027",
			Day: paid.Day, Month: paid.Month, Year: paid.Year, Err: errs.For("paidOn")}
		d.F["reference"] = field{ID: "reference", Name: "reference", Label: "Payment reference", Hint: "Your reference for the payment, as your bank or finance system shows it",
			Value: get("reference"), Err: errs.For("reference"), Class: "input--20", Autocomplete: "off"}
	case grants.TaskAgreement:
		d.F["outcome"] = field{ID: "outcome", Name: "outcome", Type: "radio", Legend: "Do you accept the grant and its conditions?", Value: get("outcome"),
			Err: errs.For("outcome"), Options: []option{
				{grants.AgreementAccept, "Yes, we accept the grant and its conditions", "The first payments are released as their triggers happen."},
				{grants.AgreementDecline, "No, we decline the grant", "The money goes back to the programme. This cannot be undone."},
			}}
	case grants.TaskReport:
		d.Report = reportOf(v.Application, grantservice.ReportOf(t, v.Application))
		d.reportForm(get, errs)
	case grants.TaskReportReview:
		if id := grantservice.ReportOf(t, v.Application); id != "" {
			for i := range v.Reports {
				if v.Reports[i].ID == id {
					d.Report = &v.Reports[i]
				}
			}
		}
		d.F["outcome"] = field{ID: "outcome", Name: "outcome", Type: "radio", Legend: "Do you accept the report?", Value: get("outcome"),
			Err: errs.For("outcome"), Options: []option{
				{grants.ReportReviewAccepted, "Accept the report", ""},
				{grants.ReportReviewReturned, "Return it to the co-op", "Say in the comment what to change."},
			}}
		d.F["comment"] = field{ID: "comment", Name: "comment", Label: "Comment for the co-op", Hint: "Needed when you return the report.",
			Value: get("comment"), Err: errs.For("comment")}
	case grants.TaskReviewOverdue, grants.TaskNoReviewer:
		d.F["outcome"] = field{ID: "outcome", Name: "outcome", Type: "radio", Legend: "What should happen now?", Value: get("outcome"),
			Err: errs.For("outcome"), Options: []option{
				{grants.LeadReassign, "Give the review to the next reviewer", ""},
				{grants.LeadRetry, "Look for a reviewer again", "Once more of your staff can review."},
			}}
	}
	back := "/tasks"
	h.render(w, r, status, "grant-task", &page{Title: t.Title, Nav: "tasks", Back: back, Errors: errs, Data: d})
}

// decisionForm builds the lead's decision form; the tranches start as the
// programme's default schedule for the amount asked for.
func (d *grantTaskData) decisionForm(get func(string) string, posted bool, errs formErrors, today string) {
	a := d.View.Application
	d.F["outcome"] = field{ID: "outcome", Name: "outcome", Type: "radio", Legend: "What do you decide?", Value: get("outcome"),
		Err: errs.For("outcome"), Options: []option{
			{grants.OutcomeAward, "Award a grant", "Give the amount, any conditions and the tranches below."},
			{grants.OutcomeReject, "Reject the application", "Say why in the feedback."},
		}}
	amount := get("amount")
	if !posted {
		amount = penceText(a.Amount)
	}
	d.F["amount"] = field{ID: "amount", Name: "amount", Label: "Amount awarded, in pounds", Hint: "At most the " + grants.Pounds(a.Amount) + " asked for, and from " +
		grants.Pounds(d.Programme.MinAward) + " to " + grants.Pounds(d.Programme.MaxAward) + ".", Value: amount, Err: errs.For("amount"), Class: "input--10", Inputmode: "decimal"}
	d.F["conditions"] = field{ID: "conditions", Name: "conditions", Label: "Conditions of the grant (optional)", Hint: "One condition a line.",
		Value: get("conditions"), Err: errs.For("conditions")}
	d.F["feedback"] = field{ID: "feedback", Name: "feedback", Label: "Feedback for the co-op", Hint: "The founders will read this, whatever you decide.",
		Value: get("feedback"), Err: errs.For("feedback")}
	defaults := grants.ScheduleTranches(d.Programme.Programme, a.Amount, today)
	triggers := options(grants.Triggers)
	for i := range trancheRows {
		n := strconv.Itoa(i + 1)
		var amt, trig string
		var on dateParts
		if posted {
			amt, trig, on = get("trancheAmount-"+n), get("trancheTrigger-"+n), readDate(get, "trancheOn-"+n)
		} else if i < len(defaults) {
			amt, trig = penceText(defaults[i].Amount), defaults[i].Trigger
			if p := strings.Split(defaults[i].On, "-"); len(p) == 3 {
				on = dateParts{Day: strings.TrimLeft(p[2], "0"), Month: strings.TrimLeft(p[1], "0"), Year: p[0]}
			}
		}
		d.Rows = append(d.Rows, trancheRow{N: n,
			Amount: field{ID: "trancheAmount-" + n, Name: "trancheAmount-" + n, Label: "Amount in pounds", Value: amt,
				Err: errs.For("trancheAmount-" + n), Class: "input--10", Inputmode: "decimal"},
			Trigger: field{ID: "trancheTrigger-" + n, Name: "trancheTrigger-" + n, Label: "When it is paid", Value: trig,
				Options: triggers, Err: errs.For("trancheTrigger-" + n)},
			On: field{ID: "trancheOn-" + n, Name: "trancheOn-" + n, Legend: "Date, if paid on a date", Hint: "For example, 1 12 2027",
				Day: on.Day, Month: on.Month, Year: on.Year, Err: errs.For("trancheOn-" + n)},
		})
	}
}

// answerGrantTask reads the task's form, answers it through the grants
// service and goes back to the application.
func (h *Handler) answerGrantTask(w http.ResponseWriter, r *http.Request, t *pathway.Task, a *grants.Application) {
	ans, order, errs := grantAnswerOf(t.Kind, r.PostForm)
	if len(errs) > 0 {
		h.showGrantAnswerErrors(w, r, t, a, errs)
		return
	}
	_, err := h.grants.Answer(r.Context(), userFrom(r), t, a, ans)
	if msgs := fieldsOf(err); msgs != nil {
		h.showGrantAnswerErrors(w, r, t, a, newErrors(formFields(msgs), order, nil))
		return
	} else if pathway.ErrorCode(err) == pathway.ECONFLICT && t.Kind == grants.TaskDecision {
		// An award the budget cannot take: the amount is what to change.
		h.showGrantAnswerErrors(w, r, t, a, formErrors{{Field: "amount", ID: "amount", Message: pathway.ErrorMessage(err)}})
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	notice := map[string]string{grants.TaskReview: "reviewed", grants.TaskDecision: "decided", grants.TaskPayment: "paid",
		grants.TaskReportReview: "report", grants.TaskAgreement: "agreement", grants.TaskReport: "report-sent"}[t.Kind]
	if notice == "" {
		notice = "answered"
	}
	http.Redirect(w, r, "/grants/applications/"+url.PathEscape(a.ID)+"?notice="+notice, http.StatusSeeOther)
}

// showGrantAnswerErrors shows the form again with its errors: the review
// form lives on the application's page, the others on the task's.
func (h *Handler) showGrantAnswerErrors(w http.ResponseWriter, r *http.Request, t *pathway.Task, a *grants.Application, errs formErrors) {
	if t.Kind == grants.TaskReview {
		h.showGrantApplication(w, r, http.StatusBadRequest, a.ID, errs)
		return
	}
	h.showGrantTask(w, r, http.StatusBadRequest, t, a, errs)
}

// trancheField matches the service's names of a tranche's fields.
var trancheField = regexp.MustCompile(`^tranches\[(\d+)\](?:\.(\w+))?$`)

// formFields renames the service's field names to the form's.
func formFields(msgs map[string]string) map[string]string {
	out := make(map[string]string, len(msgs))
	for k, m := range msgs {
		switch {
		case strings.HasPrefix(k, "scores."):
			k = "score-" + strings.TrimPrefix(k, "scores.")
		case strings.HasPrefix(k, "comments."):
			k = "comment-" + strings.TrimPrefix(k, "comments.")
		case trancheField.MatchString(k):
			sub := trancheField.FindStringSubmatch(k)
			i, _ := strconv.Atoi(sub[1])
			n := strconv.Itoa(i + 1)
			switch sub[2] {
			case "on":
				k, m = "trancheOn-"+n, named("Tranche "+n+" date", m)
			case "trigger":
				k, m = "trancheTrigger-"+n, named("Tranche "+n+" trigger", m)
			default:
				k, m = "trancheAmount-"+n, named("Tranche "+n, m)
			}
		case k == "tranches":
			k = "trancheAmount-1"
		case k == "amount":
			m = named("Amount awarded", m)
		case k == "paidOn":
			m = plainAnswers(map[string]string{k: m})[k]
		}
		out[k] = m
	}
	return out
}

// grantAnswerOf reads the answer a grant task of the kind takes from the
// form, with the form's field order; amounts and dates typed wrongly are
// errors here, because only the form has them as text.
func grantAnswerOf(kind string, f url.Values) (any, []string, formErrors) {
	switch kind {
	case grants.TaskReview:
		return reviewAnswerOf(f)
	case grants.TaskDecision:
		return decisionAnswerOf(f)
	case grants.TaskPayment:
		iso, msg := readDate(f.Get, "paidOn").iso("the date it was paid")
		if msg != "" {
			return nil, nil, formErrors{{Field: "paidOn", ID: "paidOn", Message: msg}}
		}
		return &grants.PaymentAnswer{PaidOn: iso, Reference: strings.TrimSpace(f.Get("reference"))}, []string{"paidOn", "reference"}, nil
	case grants.TaskAgreement:
		if f.Get("outcome") == "" {
			return nil, nil, formErrors{{Field: "outcome", ID: "outcome", Message: "Choose whether you accept the grant"}}
		}
		return &grants.AgreementAnswer{Outcome: f.Get("outcome")}, []string{"outcome"}, nil
	case grants.TaskReport:
		return reportAnswerOf(f)
	case grants.TaskReportReview:
		if f.Get("outcome") == "" {
			return nil, nil, formErrors{{Field: "outcome", ID: "outcome", Message: "Choose whether you accept the report"}}
		}
		return &grants.ReportReviewAnswer{Outcome: f.Get("outcome"), Comment: strings.TrimSpace(f.Get("comment"))}, []string{"outcome", "comment"}, nil
	case grants.TaskReviewOverdue, grants.TaskNoReviewer:
		if f.Get("outcome") == "" {
			return nil, nil, formErrors{{Field: "outcome", ID: "outcome", Message: "Choose what should happen now"}}
		}
		return &grants.LeadAnswer{Outcome: f.Get("outcome")}, []string{"outcome"}, nil
	}
	return nil, nil, formErrors{{Field: "", ID: "main-content", Message: "Tasks of this kind cannot be answered here yet: use the API"}}
}

// reviewAnswerOf reads the review form: a score and a comment per
// criterion (score-<id>, comment-<id>) and the recommendation.
func reviewAnswerOf(f url.Values) (any, []string, formErrors) {
	ans := &grants.ReviewAnswer{Scores: map[string]int{}, Comments: map[string]string{}, Recommendation: f.Get("recommendation")}
	var order []string
	for k := range f {
		if id, ok := strings.CutPrefix(k, "comment-"); ok {
			if c := strings.TrimSpace(f.Get(k)); c != "" {
				ans.Comments[id] = c
			}
		}
	}
	for k := range f {
		if id, ok := strings.CutPrefix(k, "score-"); ok {
			if n, err := strconv.Atoi(f.Get(k)); err == nil {
				ans.Scores[id] = n
			}
		}
	}
	for _, k := range strings.Fields(f.Get("criteria")) {
		order = append(order, "score-"+k, "comment-"+k)
	}
	order = append(order, "recommendation")
	if ans.Recommendation == "" {
		return nil, order, formErrors{{Field: "recommendation", ID: "recommendation", Message: "Choose what you recommend"}}
	}
	return ans, order, nil
}

// decisionAnswerOf reads the lead's decision form.
func decisionAnswerOf(f url.Values) (any, []string, formErrors) {
	order := []string{"outcome", "amount", "conditions"}
	for i := range trancheRows {
		n := strconv.Itoa(i + 1)
		order = append(order, "trancheAmount-"+n, "trancheTrigger-"+n, "trancheOn-"+n)
	}
	order = append(order, "feedback")
	ans := &grants.DecisionAnswer{Outcome: f.Get("outcome"), Feedback: strings.TrimSpace(f.Get("feedback"))}
	var errs formErrors
	switch ans.Outcome {
	case "":
		return nil, order, formErrors{{Field: "outcome", ID: "outcome", Message: "Choose whether to award a grant or reject the application"}}
	case grants.OutcomeReject:
		return ans, order, nil
	}
	if p, ok := parsePounds(f.Get("amount")); ok {
		ans.Amount = p
	} else {
		errs = append(errs, fieldError{Field: "amount", ID: "amount", Message: "Enter the amount awarded in pounds, like 5000"})
	}
	for _, line := range strings.Split(pathway.NormaliseNewlines(f.Get("conditions")), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			ans.Conditions = append(ans.Conditions, line)
		}
	}
	for i := range trancheRows {
		n := strconv.Itoa(i + 1)
		amt, trig, on := strings.TrimSpace(f.Get("trancheAmount-"+n)), f.Get("trancheTrigger-"+n), readDate(f.Get, "trancheOn-"+n)
		if amt == "" && trig == "" && on.empty() {
			continue
		}
		t := grants.TrancheAnswer{Trigger: trig}
		if p, ok := parsePounds(amt); ok && p > 0 {
			t.Amount = p
		} else {
			errs = append(errs, fieldError{Field: "trancheAmount-" + n, ID: "trancheAmount-" + n, Message: "Tranche " + n + ": enter the amount in pounds, like 2500"})
		}
		if trig == "" {
			errs = append(errs, fieldError{Field: "trancheTrigger-" + n, ID: "trancheTrigger-" + n, Message: "Tranche " + n + ": choose when it is paid"})
		}
		if !on.empty() {
			iso, msg := on.iso("the date of tranche " + n)
			if msg != "" {
				errs = append(errs, fieldError{Field: "trancheOn-" + n, ID: "trancheOn-" + n, Message: msg})
			}
			t.On = iso
		}
		ans.Tranches = append(ans.Tranches, t)
	}
	return ans, order, errs
}

// reportOf returns the application's report with the ID, or nil.
func reportOf(a *grants.Application, id string) *grants.Report {
	for i := range a.Reports {
		if a.Reports[i].ID == id {
			return &a.Reports[i]
		}
	}
	return nil
}

// figureFields are the monitoring report's counts other than members,
// with their questions.
var figureFields = []struct{ Name, Label, Hint string }{
	{"paidJobs", "Paid jobs", "People the co-op pays, whatever their hours."},
	{"careHoursPerWeek", "Hours of care a week", "In a typical week lately."},
	{"peopleSupported", "People supported", "People who receive care or support from the co-op."},
}

// reportForm builds the founders' monitoring report form: what was done,
// members by class, and the counts.
func (d *grantTaskData) reportForm(get func(string) string, errs formErrors) {
	d.F["summary"] = field{ID: "summary", Name: "summary", Label: "What has the co-op done with the grant so far?",
		Hint: "What you did, what changed for the people you support, and anything that did not go to plan.", Value: get("summary"), Err: errs.For("summary")}
	for _, c := range memberClasses {
		n := "members-" + c.Value
		d.Members = append(d.Members, field{ID: n, Name: n, Label: c.Label, Value: get(n), Err: errs.For(n), Class: "input--4", Inputmode: "numeric"})
	}
	for _, f := range figureFields {
		d.F[f.Name] = field{ID: f.Name, Name: f.Name, Label: f.Label, Hint: f.Hint, Value: get(f.Name), Err: errs.For(f.Name), Class: "input--10", Inputmode: "numeric"}
	}
}

// count reads a whole number from a form; "" is 0.
func count(f url.Values, name, label string, errs *formErrors) int {
	v := strings.TrimSpace(f.Get(name))
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		*errs = append(*errs, fieldError{Field: name, ID: name, Message: label + ": enter a whole number, like 12"})
		return 0
	}
	return n
}

// reportAnswerOf reads the founders' monitoring report.
func reportAnswerOf(f url.Values) (any, []string, formErrors) {
	ans := &grants.ReportAnswer{Summary: strings.TrimSpace(f.Get("summary")), Figures: grants.Figures{MembersByClass: map[string]int{}}}
	order := []string{"summary"}
	var errs formErrors
	if ans.Summary == "" {
		errs = append(errs, fieldError{Field: "summary", ID: "summary", Message: "Say what the co-op has done with the grant"})
	}
	for _, c := range memberClasses {
		n := "members-" + c.Value
		order = append(order, n)
		if k := count(f, n, "Members: "+c.Label, &errs); k > 0 {
			ans.Figures.MembersByClass[c.Value] = k
		}
	}
	ans.Figures.PaidJobs = count(f, "paidJobs", "Paid jobs", &errs)
	ans.Figures.CareHoursPerWeek = count(f, "careHoursPerWeek", "Hours of care a week", &errs)
	ans.Figures.PeopleSupported = count(f, "peopleSupported", "People supported", &errs)
	order = append(order, "paidJobs", "careHoursPerWeek", "peopleSupported")
	return ans, order, errs
}
