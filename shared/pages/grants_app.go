package pages

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// grantAppData is what an application's page shows. Which parts show
// depends on who reads it: the service decides how much (names only before
// a reviewer declares), the page which forms.
type grantAppData struct {
	View *grantservice.ApplicationView
	// Programme is the programme, for funder staff (criteria and scale).
	Programme *grantservice.ProgrammeView
	// Staff is true for the funder's staff, Lead for its lead.
	Staff, Lead bool
	// Review is the reader's open review task, when they may review now.
	Review *pathway.Task
	// Tasks are the reader's other open tasks on the application.
	Tasks []*pathway.Task
	// Scores are each reviewer's weighted scores, for the lead.
	Scores []grants.ReviewerScore
	// Criteria are the review form's questions, one per criterion.
	Criteria []reviewQuestion
	// Names are the funder's staff's names by ID; CritNames the criteria's.
	Names, CritNames map[string]string
	F                map[string]field
	// Files are the application's evidence files (grants_files.go).
	Files *filesData
	// Withdraw is true for a founder while the application may be withdrawn.
	Withdraw bool
}

// reviewQuestion is one criterion on the review form: its score radios and
// its comment box.
type reviewQuestion struct {
	ID             string
	Score, Comment field
}

// grantApplicationPage shows an application as its reader may see it: to
// a reviewer before declaring, the co-op's names and the declaration form;
// after "no conflict", the application and the review form; to the lead,
// the reviews and scores; to founders, its status, feedback and award.
func (h *Handler) grantApplicationPage(w http.ResponseWriter, r *http.Request) {
	g := h.grantsOr404(w, r)
	if g == nil {
		return
	}
	h.showGrantApplication(w, r, http.StatusOK, r.PathValue("id"), nil)
}

// showGrantApplication renders the application's page with the form's
// errors, if any.
func (h *Handler) showGrantApplication(w http.ResponseWriter, r *http.Request, status int, id string, errs formErrors) {
	ctx, u := r.Context(), userFrom(r)
	v, err := h.grants.Application(ctx, u, id)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	d := &grantAppData{View: v}
	if v.Application != nil {
		d.Staff = grantservice.IsFunderStaff(u, v.Funder)
		d.Lead = grantservice.IsFunderLead(u, v.Funder)
	} else {
		d.Staff = u.Role == pathway.RoleFunder
	}
	get := func(k string) string {
		if r.PostForm == nil {
			return ""
		}
		return r.PostForm.Get(k)
	}
	d.F = map[string]field{
		"conflict": {ID: "conflict", Name: "conflict", Type: "radio", Legend: "Do you have a conflict of interest with this co-op or any of these people?",
			Hint: "For example, one of them is a relative or a friend, or you work or worked with them.", Value: get("conflict"), Err: errs.For("conflict"),
			Options: []option{{"no", "No, I have no conflict of interest", "You will then see the application and review it."},
				{"yes", "Yes, I have a conflict of interest", "The application goes to another reviewer, and you will not see it again."}}},
		"reason": {ID: "reason", Name: "reason", Label: "What is the conflict of interest?", Hint: "Needed if you have one. Only the funder's staff see it.",
			Value: get("reason"), Err: errs.For("reason")},
	}
	if v.Application != nil {
		if d.Staff {
			if d.Programme, err = h.grants.Programme(ctx, u, v.Programme); err != nil {
				h.errorPage(w, r, nil, err)
				return
			}
			d.CritNames = criterionNames(d.Programme.Programme)
			if d.Lead {
				d.Scores = grants.ReviewerScores(d.Programme.Programme, v.Reviews)
				if d.Names, err = h.grants.StaffNames(ctx, u, v.Funder); err != nil {
					h.errorPage(w, r, nil, err)
					return
				}
			}
		}
		if d.Review = openTask(v, u, grants.TaskReview); d.Review != nil && d.Programme != nil {
			d.reviewForm(get, errs)
		}
		for _, t := range v.OpenTasks {
			if t.Kind != grants.TaskReview && openTask(&grantservice.ApplicationView{OpenTasks: []*pathway.Task{t}}, u, t.Kind) != nil && canAnswerRole(u, t) {
				d.Tasks = append(d.Tasks, t)
			}
		}
	}
	d.Files = h.grantFiles(r, v, errs)
	d.Withdraw = u.Role == pathway.RoleFounder && v.Application != nil && grantservice.Withdrawable(v.Status)
	back := "/grants"
	if !d.Staff && v.Application != nil {
		back = "/coops/" + url.PathEscape(v.Coop) + "/grants"
	}
	title := v.CoopSummary.Name
	if v.Application != nil {
		title = v.Title
	}
	if title == "" {
		title = "Grant application"
	}
	h.render(w, r, status, "grant-application", &page{Title: title, Nav: "grants", Back: back, Errors: errs,
		Notice: grantNotices[r.URL.Query().Get("notice")], Data: d})
}

// canAnswerRole reports whether u is of the role that answers t (founders
// answer founders' tasks, funder staff funders').
func canAnswerRole(u *pathway.User, t *pathway.Task) bool {
	if t.Role == pathway.RoleFounder {
		return u.Role == pathway.RoleFounder
	}
	return u.Role == pathway.RoleFunder
}

// reviewForm builds the review form's fields: per criterion a score from
// 0 to 5, each described by the programme's scale, and a comment.
func (d *grantAppData) reviewForm(get func(string) string, errs formErrors) {
	p := d.Programme
	var scale []option
	for _, s := range p.Scale {
		scale = append(scale, option{Value: strconv.Itoa(s.Score), Label: strconv.Itoa(s.Score), Hint: s.Description})
	}
	for _, c := range p.Criteria {
		d.Criteria = append(d.Criteria, reviewQuestion{ID: c.ID,
			Score: field{ID: "score-" + c.ID, Name: "score-" + c.ID, Type: "radio", Legend: c.Name + " (weight " + strconv.Itoa(c.Weight) + "%)",
				Hint: c.Guide, Options: scale, Value: get("score-" + c.ID), Err: errs.For("score-" + c.ID)},
			Comment: field{ID: "comment-" + c.ID, Name: "comment-" + c.ID, Label: "Your comment on " + strings.ToLower(c.Name[:1]) + c.Name[1:],
				Value: get("comment-" + c.ID), Err: errs.For("comment-" + c.ID)},
		})
	}
	d.F["recommendation"] = field{ID: "recommendation", Name: "recommendation", Type: "radio", Legend: "What do you recommend?",
		Value: get("recommendation"), Err: errs.For("recommendation"), Options: []option{
			{grants.RecommendAward, "Award a grant", ""},
			{grants.RecommendReject, "Reject", ""},
			{grants.RecommendRevise, "Ask the co-op to revise and send again", ""},
		}}
}

// grantDeclare records the reviewer's declaration: a conflict shuts them
// out of the application for good; no conflict opens it for review.
func (h *Handler) grantDeclare(w http.ResponseWriter, r *http.Request) {
	g := h.grantsOr404(w, r)
	if g == nil {
		return
	}
	id := r.PathValue("id")
	var ans grants.DeclarationAnswer
	switch r.PostForm.Get("conflict") {
	case "yes":
		ans = grants.DeclarationAnswer{Conflict: true, Reason: r.PostForm.Get("reason")}
	case "no":
	default:
		h.showGrantApplication(w, r, http.StatusBadRequest, id,
			formErrors{{Field: "conflict", ID: "conflict", Message: "Choose whether you have a conflict of interest"}})
		return
	}
	_, err := g.Declare(r.Context(), userFrom(r), id, ans)
	if msgs := fieldsOf(err); msgs != nil {
		h.showGrantApplication(w, r, http.StatusBadRequest, id, newErrors(msgs, []string{"conflict", "reason"}, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	if ans.Conflict {
		http.Redirect(w, r, "/grants?notice=conflict", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/grants/applications/"+url.PathEscape(id)+"?notice=no-conflict#review", http.StatusSeeOther)
}
