package pages

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// checkerPath is the eligibility checker: a few questions before the
// application, answered at once by the screening's own rules.
const checkerPath = "/apply/check-eligibility"

// checkerData is what the checker's page shows: the questions, and once
// answered, the answer.
type checkerData struct {
	F           map[string]field
	Authorities []string
	Founders    string
	// Result is the answer, after a post without errors.
	Result *journey.EligibilityResult
	// Rules names each reason's rule in plain English, by rule.
	Rules map[string]string
}

// checkerFields are the checker's questions.
func checkerFields(q journey.EligibilityQuestions, ps []journey.ProgrammeView, errs formErrors) map[string]field {
	progs := make([]option, len(ps))
	for i, p := range ps {
		progs[i] = option{Value: p.ID, Label: p.Name + " (" + p.AgencyName + ")"}
	}
	return map[string]field{
		"programme": {ID: "programme", Name: "programme", Legend: "Which programme would you apply to?", Type: "radio",
			Options: progs, Value: q.Programme, Err: errs.For("programme")},
		"classes": {ID: "classes", Name: "classes", Legend: "Who are the founding members?",
			Hint: "Select all that apply.", Type: "checkbox", Options: memberClasses, Values: q.Classes, Err: errs.For("classes")},
		"services": {ID: "services", Name: "services", Legend: "What care or support will the co-op provide?",
			Hint: "Select all that apply.", Type: "checkbox", Options: serviceOptions(), Values: q.Services, Err: errs.For("services")},
		"legalForm": {ID: "legalForm", Name: "legalForm", Legend: "What is the co-op's legal form, or the form you intend?", Type: "radio",
			Options: legalForms, Value: q.LegalForm, Err: errs.For("legalForm")},
		"origin": {ID: "origin", Name: "origin", Legend: "How did the co-op come about?", Type: "radio",
			Options: origins, Value: q.Origin, Err: errs.For("origin")},
	}
}

// checker shows the checker's questions.
func (h *Handler) checker(w http.ResponseWriter, r *http.Request) {
	h.showChecker(w, r, http.StatusOK, journey.EligibilityQuestions{}, "", nil, nil)
}

// checkEligibility answers the checker's questions.
func (h *Handler) checkEligibility(w http.ResponseWriter, r *http.Request) {
	f := r.PostForm
	q := journey.EligibilityQuestions{Programme: f.Get("programme"), LocalAuthority: f.Get("localAuthority"),
		Classes: f["classes"], Services: f["services"], LegalForm: f.Get("legalForm"), Origin: f.Get("origin")}
	founders := strings.TrimSpace(f.Get("founders"))
	n, err := strconv.Atoi(founders)
	if err != nil {
		n = -1
	}
	q.Founders = n
	res, err := h.journey.CheckEligibility(r.Context(), q)
	if msgs := fieldsOf(err); msgs != nil {
		if founders == "" {
			msgs["founders"] = "Enter how many founding members the co-op has"
		} else if _, bad := msgs["founders"]; bad || n < 0 {
			msgs["founders"] = "Enter the number of founding members as a whole number, such as 3"
		}
		order := []string{"programme", "localAuthority", "founders", "classes", "services", "legalForm", "origin"}
		h.showChecker(w, r, http.StatusBadRequest, q, founders, newErrors(msgs, order, nil), nil)
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	h.showChecker(w, r, http.StatusOK, q, founders, nil, res)
}

// showChecker renders the checker with the answers so far.
func (h *Handler) showChecker(w http.ResponseWriter, r *http.Request, status int, q journey.EligibilityQuestions, founders string,
	errs formErrors, res *journey.EligibilityResult) {
	ps, err := h.journey.OpenProgrammes(r.Context())
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	if q.Programme == "" && len(ps) == 1 {
		q.Programme = ps[0].ID
	}
	d := &checkerData{F: checkerFields(q, ps, errs), Authorities: pathway.EnglishLocalAuthorities(), Founders: founders,
		Result: res, Rules: pathway.RuleNames}
	d.F["localAuthority"] = field{ID: "localAuthority", Name: "localAuthority", Label: "Which council area will the co-op serve first?",
		Hint: "The local authority, such as Calderdale or Somerset: not a town or a village.", Value: q.LocalAuthority, Err: errs.For("localAuthority")}
	d.F["founders"] = field{ID: "founders", Name: "founders", Label: "How many founding members does the co-op have?",
		Value: founders, Err: errs.For("founders"), Inputmode: "numeric"}
	h.render(w, r, status, "apply-eligibility", &page{Title: "Check whether you can apply", Nav: "home", Back: "/apply", Errors: errs, Data: d})
}
