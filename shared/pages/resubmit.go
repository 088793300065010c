package pages

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// applyAgain starts correcting a screened-out application: the answers
// the co-op applied with become the draft of the apply form, marked as
// the co-op's, and the founder lands on check your answers, whose
// warnings name what the screening refused and whose "Change" links
// lead to each answer. Sending it resubmits (send).
func (h *Handler) applyAgain(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r)
	c, _, err := h.journey.Coop(r.Context(), u, r.PathValue("id"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	if !journey.MayResubmit(u, c) {
		http.Redirect(w, r, coopPath(c.ID), http.StatusSeeOther)
		return
	}
	d := h.loadDraft(w, r)
	d.App, d.Coop = journey.ApplicationOf(c), c.ID
	if !d.save(w, r) {
		h.errorPage(w, r, nil, errTooLong())
		return
	}
	http.Redirect(w, r, "/apply/"+stepCheck, http.StatusSeeOther)
}

// send sends the checked draft: a new application, or the corrected
// application of the co-op the draft is for. It returns the co-op and
// the notice its page shows.
func (h *Handler) send(r *http.Request, d *draft) (*journey.CoopView, string, error) {
	u := userFrom(r)
	if d.Coop != "" {
		v, err := h.journey.Resubmit(r.Context(), u, d.Coop, d.App)
		return v, "resent", err
	}
	v, err := h.journey.Apply(r.Context(), u, journey.CoopID(u.ID, d.Key), d.App)
	return v, "applied", err
}

// errTooLong is the answer when a co-op's application does not fit in a
// draft.
func errTooLong() error {
	return pathway.Invalid(map[string]string{"application": "The application is too long to correct here. Ask your development agency for help."})
}

// warning is a rule the screening will find the answers do not meet,
// with the rule's name and the page that asks for the answer at fault.
type warning struct {
	Rule, Message, Href string
}

// warningsOf words the screening's reasons for check your answers.
func warningsOf(reasons []pathway.Reason) []warning {
	out := make([]warning, 0, len(reasons))
	for _, r := range reasons {
		step := fieldStep(r.Field)
		if step == "" {
			step = stepAbout
		}
		href := "/apply/" + step + "?change=1"
		if r.Field != "members" {
			href += "#" + r.Field
		}
		out = append(out, warning{Rule: pathway.RuleNames[r.Rule], Message: r.Message, Href: href})
	}
	return out
}
