package pages

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// itemData is what a checklist item's page shows.
type itemData struct {
	Coop *pathway.Coop
	Item *pathway.ChecklistItem
	// CanEdit: a founder may record evidence; CanVerify: the agency may
	// accept or return it.
	CanEdit, CanVerify bool
	// Closed says why the item cannot change, when it cannot.
	Closed string
	F      map[string]field
	// Files are the item's evidence files (files.go); nil without storage.
	Files *filesData
}

// loadItem returns a co-op the user may see and one of its checklist items.
func (h *Handler) loadItem(r *http.Request) (*pathway.Coop, *pathway.ChecklistItem, error) {
	ctx, u := r.Context(), userFrom(r)
	c, _, err := h.journey.Coop(ctx, u, r.PathValue("id"))
	if err != nil {
		return nil, nil, err
	}
	cl, err := h.journey.Checklist(ctx, u, c.ID)
	if err != nil {
		return nil, nil, err
	}
	for _, it := range cl.Items {
		if it.ID == r.PathValue("item") {
			return c, it, nil
		}
	}
	return nil, nil, pathway.NotFound("checklist item")
}

// itemPage shows a checklist item: to a founder with the form to record
// evidence, to the agency with the form to verify it.
func (h *Handler) itemPage(w http.ResponseWriter, r *http.Request) {
	c, it, err := h.loadItem(r)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	h.showItem(w, r, http.StatusOK, c, it, nil, nil)
}

// showItem renders an item's page; form holds the answers just sent, if any.
func (h *Handler) showItem(w http.ResponseWriter, r *http.Request, status int, c *pathway.Coop, it *pathway.ChecklistItem, form url.Values, errs formErrors) {
	acts := journey.ActionsOn(userFrom(r), c, it)
	d := &itemData{Coop: c, Item: it, CanEdit: acts.MarkDone, CanVerify: acts.Verify, Closed: acts.Closed}
	get := func(k, def string) string {
		if form != nil {
			return form.Get(k)
		}
		return def
	}
	d.F = map[string]field{
		"evidence": {ID: "evidence", Name: "evidence", Label: "What have you done, and where is the evidence?",
			Hint:  "For example: \"Policy agreed at the committee meeting on 3 March; saved in the shared drive under Policies.\"",
			Value: get("evidence", it.Evidence), Err: errs.For("evidence")},
		"link": {ID: "link", Name: "link", Label: "Link to the evidence (optional)", Hint: "A web address starting with https://",
			Type: "url", Value: get("link", it.Link), Err: errs.For("link"), Autocomplete: "url"},
		"outcome": {ID: "outcome", Name: "outcome", Legend: "Is the evidence good enough?", Type: "radio",
			Value: get("outcome", ""), Err: errs.For("outcome"), Options: []option{
				{journey.VerifyAccepted, "Yes, accept it", "The item is verified and counts towards CQC readiness."},
				{journey.VerifyReturned, "No, return it to the founders", "Say what they need to put right. They will see your comment."},
			}},
		"comment": {ID: "comment", Name: "comment", Label: "Comment for the founders",
			Hint: "Required when you return the item.", Value: get("comment", ""), Err: errs.For("comment")},
	}
	d.Files = h.itemFiles(r, c, it, errs)
	back := coopPath(c.ID) + "/checklist/" + url.PathEscape(it.Group)
	h.render(w, r, status, "item", &page{Title: it.Title, Back: back, Errors: errs, Data: d, Notice: notices[r.URL.Query().Get("notice")]})
}

// formVersion reads the item version the form was made from, so a change
// made meanwhile by someone else is refused rather than overwritten.
func formVersion(r *http.Request) int {
	n, _ := strconv.Atoi(r.PostForm.Get("version"))
	return max(n, 0)
}

// markDone records a founder's evidence and marks the item done.
func (h *Handler) markDone(w http.ResponseWriter, r *http.Request) {
	c, it, err := h.loadItem(r)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	up := journey.ItemUpdate{Status: pathway.ItemDone, Evidence: r.PostForm.Get("evidence"),
		Link: r.PostForm.Get("link"), IfVersion: formVersion(r)}
	done, err := h.journey.MarkDone(r.Context(), userFrom(r), c.ID, it.ID, up)
	if msgs := fieldsOf(err); msgs != nil {
		h.showItem(w, r, http.StatusBadRequest, c, it, r.PostForm, newErrors(msgs, []string{"evidence", "link"}, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, coopPath(c.ID)+"/checklist/"+url.PathEscape(done.Group)+"?notice=marked", http.StatusSeeOther)
}

// verify records the agency accepting or returning an item.
func (h *Handler) verify(w http.ResponseWriter, r *http.Request) {
	c, it, err := h.loadItem(r)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	v := journey.Verification{Outcome: r.PostForm.Get("outcome"), Comment: r.PostForm.Get("comment"), IfVersion: formVersion(r)}
	if v.Outcome == "" {
		// The journey's message names the codes; a person chose nothing.
		h.showItem(w, r, http.StatusBadRequest, c, it, r.PostForm, formErrors{{Field: "outcome", ID: "outcome", Message: "Choose whether to accept the evidence or return it"}})
		return
	}
	_, err = h.journey.Verify(r.Context(), userFrom(r), c.ID, it.ID, v)
	if msgs := fieldsOf(err); msgs != nil {
		h.showItem(w, r, http.StatusBadRequest, c, it, r.PostForm, newErrors(msgs, []string{"outcome", "comment"}, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	notice := "verified"
	if v.Outcome == journey.VerifyReturned {
		notice = "returned"
	}
	http.Redirect(w, r, coopPath(c.ID)+"/checklist/"+url.PathEscape(it.Group)+"?notice="+notice, http.StatusSeeOther)
}
