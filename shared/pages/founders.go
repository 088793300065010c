package pages

import (
	"context"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The founders page lists a co-op's founders and invites co-founders: by
// email, the directors and registered manager the application names (it
// has no emails, so the founder types each), and locally the demo
// founders the composition root offers (Config.Selectable).

// founderNotices are the founders page's success messages.
var founderNotices = map[string]string{
	"invited": "Co-founder added. They can now sign in and see this co-op.",
	"removed": "Founder removed. They can no longer see this co-op.",
}

// invitee is someone named in the application the founders may invite.
type invitee struct {
	Name, Role string
	// ID is the form's email control.
	ID string
}

// foundersData is what the founders page shows.
type foundersData struct {
	View *journey.CoopView
	// Members are the application's directors and registered manager
	// who are not founders yet (by name).
	Members []invitee
	// Selectable are users who can be added at once (locally, demo founders).
	Selectable []*pathway.User
	// Email and Name are the general form's answers after an error; From
	// names the form that failed.
	Email, Name, From string
}

// foundersPath is a co-op's founders page.
func foundersPath(id string) string { return coopPath(id) + "/founders" }

// foundersPage shows the founders and the ways to invite more.
func (h *Handler) foundersPage(w http.ResponseWriter, r *http.Request) {
	v, err := h.journey.View(r.Context(), userFrom(r), r.PathValue("id"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	h.showFounders(w, r, http.StatusOK, v, &foundersData{}, nil)
}

// showFounders renders the founders page.
func (h *Handler) showFounders(w http.ResponseWriter, r *http.Request, status int, v *journey.CoopView, d *foundersData, errs formErrors) {
	d.View = v
	if !userFrom(r).IsStaff() {
		d.Members = membersToInvite(v)
		d.Selectable = h.selectable(r.Context(), v)
	}
	h.render(w, r, status, "founders", &page{Title: "Founders of " + v.Name, Back: coopPath(v.ID), Errors: errs,
		Notice: founderNotices[r.URL.Query().Get("notice")], Data: d})
}

// membersToInvite returns the directors and registered managers of the
// application whose names no founder has.
func membersToInvite(v *journey.CoopView) []invitee {
	var out []invitee
	for i, m := range v.Members {
		if m.Role != pathway.MemberDirector && m.Role != pathway.MemberRegisteredManager {
			continue
		}
		if slices.ContainsFunc(v.FounderList, func(f journey.Founder) bool { return strings.EqualFold(f.Name, m.Name) }) {
			continue
		}
		out = append(out, invitee{Name: m.Name, Role: m.Role, ID: "member-email-" + strconv.Itoa(i)})
	}
	return out
}

// selectable returns the users the composition root offers who are not
// founders of the co-op yet; none when it offers none or cannot list them.
func (h *Handler) selectable(ctx context.Context, v *journey.CoopView) []*pathway.User {
	if h.selectableUsers == nil {
		return nil
	}
	users, err := h.selectableUsers(ctx)
	if err != nil {
		h.log.ErrorContext(ctx, "pages: listing users to invite", "err", err)
		return nil
	}
	return slices.DeleteFunc(slices.Clone(users), func(u *pathway.User) bool {
		return u.IsStaff() || slices.Contains(v.Founders, u.ID)
	})
}

// invite adds a co-founder from one of the founders page's forms.
func (h *Handler) invite(w http.ResponseWriter, r *http.Request) {
	ctx, u := r.Context(), userFrom(r)
	f := r.PostForm
	in := journey.Invite{Email: f.Get("email"), Name: f.Get("name"), User: f.Get("user")}
	from := f.Get("from")
	var err error
	if from == "user" && strings.TrimSpace(in.User) == "" {
		err = pathway.Invalid(map[string]string{"user": "Choose who to add"})
	} else {
		_, err = h.journey.InviteFounder(ctx, u, r.PathValue("id"), in)
	}
	if msgs := fieldsOf(err); msgs != nil {
		v, verr := h.journey.View(ctx, u, r.PathValue("id"))
		if verr != nil {
			h.errorPage(w, r, nil, verr)
			return
		}
		id := "email"
		switch {
		case from == "user":
			id = "user"
		case strings.HasPrefix(from, "member-email-"):
			id = from
		}
		errs := newErrors(msgs, []string{"email", "name", "user"}, map[string]string{"email": id, "user": id, "name": "name"})
		h.showFounders(w, r, http.StatusBadRequest, v, &foundersData{Email: in.Email, Name: in.Name, From: from}, errs)
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, foundersPath(r.PathValue("id"))+"?notice=invited", http.StatusSeeOther)
}

// removeData is what the confirmation page shows.
type removeData struct {
	Coop    *pathway.Coop
	Founder journey.Founder
	// Self is true when the founder is leaving.
	Self bool
}

// removePage asks a founder to confirm leaving, or removing another.
func (h *Handler) removePage(w http.ResponseWriter, r *http.Request) {
	ctx, u := r.Context(), userFrom(r)
	v, err := h.journey.View(ctx, u, r.PathValue("id"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	target := r.PathValue("user")
	i := slices.IndexFunc(v.FounderList, func(f journey.Founder) bool { return f.ID == target })
	if i < 0 || u.IsStaff() {
		h.NotFound(w, r)
		return
	}
	d := &removeData{Coop: v.Coop, Founder: v.FounderList[i], Self: target == u.ID}
	title := "Remove " + d.Founder.Name + " from " + v.Name + "?"
	if d.Self {
		title = "Leave " + v.Name + "?"
	}
	h.render(w, r, http.StatusOK, "founder-remove", &page{Title: title, Back: foundersPath(v.ID), Data: d})
}

// remove takes a founder off the co-op once confirmed.
func (h *Handler) remove(w http.ResponseWriter, r *http.Request) {
	ctx, u := r.Context(), userFrom(r)
	id, target := r.PathValue("id"), r.PathValue("user")
	if err := h.journey.RemoveFounder(ctx, u, id, target); err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	if target == u.ID {
		http.Redirect(w, r, "/", http.StatusSeeOther) // they no longer see the co-op
		return
	}
	http.Redirect(w, r, foundersPath(id)+"?notice=removed", http.StatusSeeOther)
}
