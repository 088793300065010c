package pages

import (
	"net/http"
	"strings"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The apply form keeps the founder's answers as a draft on the server
// (grantservice.SaveDraft), one per programme and co-op, each time they
// move on through the form; the form restores it on their next visit, from
// any device, and sending the application deletes it.

// restoreGrantDraft fills gf from the founder's saved draft, if there is
// one, and says so on the page.
func (h *Handler) restoreGrantDraft(r *http.Request, g *grantservice.Service, programme string, gf *grantForm) {
	d, err := g.Draft(r.Context(), userFrom(r), programme, gf.Coop)
	if err != nil {
		if pathway.ErrorCode(err) != pathway.ENOTFOUND {
			h.log.ErrorContext(r.Context(), "pages: reading a grant draft", "err", err)
		}
		return
	}
	in := d.Application
	if d.Key != "" {
		gf.Key = d.Key
	}
	gf.Title, gf.Purpose, gf.Timeline = in.Title, in.Purpose, in.Timeline
	if in.Amount > 0 {
		gf.Amount = poundsText(in.Amount)
	}
	for i, l := range in.Budget {
		if i >= len(gf.Items) {
			break
		}
		gf.Items[i], gf.Amounts[i] = l.Item, poundsText(l.Amount)
	}
	gf.Notice = "We kept the answers you saved on " + pathway.FormatDate(d.UpdatedAt) + ". Carry on where you left off."
}

// poundsText writes pence as the form takes pounds: 5000 or 5000.50.
func poundsText(p int64) string {
	return strings.ReplaceAll(strings.TrimPrefix(grants.Pounds(p), "£"), ",", "")
}

// saveGrantDraft keeps what the founder has typed that the form can read
// (in, as far as it parsed) as their draft. Two windows: the later wins.
func (h *Handler) saveGrantDraft(r *http.Request, g *grantservice.Service, gf grantForm, in grantservice.ApplicationInput) error {
	ctx, u := r.Context(), userFrom(r)
	d := &grantservice.GrantDraft{Programme: in.Programme, Coop: gf.Coop, Key: gf.Key, Application: in}
	for range 3 {
		d.Version = 0
		if old, err := g.Draft(ctx, u, d.Programme, d.Coop); err == nil {
			d.Version = old.Version
		} else if pathway.ErrorCode(err) != pathway.ENOTFOUND {
			return err
		}
		err := g.SaveDraft(ctx, u, d)
		if pathway.ErrorCode(err) != pathway.ECONFLICT {
			return err
		}
	}
	return pathway.Errorf(pathway.ECONFLICT, "Your answers were changed in another window. Reload the page and try again.")
}
