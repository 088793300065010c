package pages

// The grants pages: funders' programmes and applications, the reviewer's
// conflict-of-interest gate and review, the lead's decision, payments and
// reports for funder staff; open programmes, applying, the status of an
// application and the award's agreement for founders. Every read and write
// goes through the grants service (shared/grants/grantservice), which holds
// the rules: who sees what (a reviewer who declared a conflict is told
// "not found" for good), and what each answer does to the money.

import (
	"cmp"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

func init() {
	funcs["pounds"] = grants.Pounds
	funcs["ukDate"] = ukDate
	funcs["grantStatus"] = grantStatus
	funcs["trigger"] = triggerName
	funcs["recommendation"] = func(code string) string {
		return map[string]string{grants.RecommendAward: "Award", grants.RecommendReject: "Reject", grants.RecommendRevise: "Revise and send again"}[code]
	}
	funcs["scorePtr"] = func(s *grants.Score) string {
		if s == nil {
			return "Not scored yet"
		}
		return s.String()
	}
}

// grantNotices are the banners a redirect within the grants pages asks for.
var grantNotices = map[string]string{
	"conflict":        "You declared a conflict of interest. The application has gone to another reviewer, and you will not see it again.",
	"no-conflict":     "You declared no conflict of interest. You can now read the application and review it.",
	"reviewed":        "Your review is saved.",
	"decided":         "Your decision is saved. The co-op will be told.",
	"paid":            "The payment is recorded.",
	"report":          "The report review is saved.",
	"report-sent":     "Your report is sent to the funder.",
	"agreement":       "Your answer to the award is saved.",
	"sent":            "Your grant application is sent. The funder will review it.",
	"answered":        "Your answer is saved.",
	"uploaded":        "Your file is uploaded.",
	"withdrawn":       "Your application is withdrawn. The funder will not review it.",
	"programme-saved": "Programme saved.",
	"draft-saved":     "Your answers are saved. Come back to the form to carry on: they will be there, on any device.",
}

// ukDate writes a YYYY-MM-DD day as "14 March 2027"; anything else as it is.
func ukDate(day string) string {
	t, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return day
	}
	return pathway.FormatDate(t)
}

// grantStatus says an application's status in words, with a tag colour.
func grantStatus(code string) map[string]any {
	text := code
	for _, t := range grants.Statuses {
		if t.Code == code {
			text = t.Name
		}
	}
	class := "blue"
	switch code {
	case grants.StatusAwarded, grants.StatusActive:
		class = "green"
	case grants.StatusRejected, grants.StatusIneligible, grants.StatusDeclined:
		class = "red"
	case grants.StatusClosed, grants.StatusWithdrawn, grants.StatusDraft:
		class = "grey"
	case grants.StatusAwaitingDecision:
		class = "yellow"
	}
	return map[string]any{"Class": class, "Text": text}
}

// triggerName says what releases a tranche.
func triggerName(code string) string {
	for _, t := range grants.Triggers {
		if t.Code == code {
			return t.Name
		}
	}
	return code
}

// grantsOr404 returns the grants service, or answers "page not found"
// when none is configured.
func (h *Handler) grantsOr404(w http.ResponseWriter, r *http.Request) *grantservice.Service {
	if h.grants == nil {
		h.NotFound(w, r)
	}
	return h.grants
}

// programmeRow is one programme on a funder's dashboard.
type programmeRow struct {
	grantservice.ProgrammeView
	Budget grants.Budget
}

// grantsHome is /grants: a funder's programmes with their budgets, or the
// programmes open to a founder's co-ops.
func (h *Handler) grantsHome(w http.ResponseWriter, r *http.Request) {
	g := h.grantsOr404(w, r)
	if g == nil {
		return
	}
	ctx, u := r.Context(), userFrom(r)
	ps, err := g.Programmes(ctx, u)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	notice := grantNotices[r.URL.Query().Get("notice")]
	if u.Role != pathway.RoleFunder {
		h.render(w, r, http.StatusOK, "grants-open", &page{Title: "Grants you can apply for", Nav: "grants", Notice: notice, Data: ps})
		return
	}
	rows := make([]programmeRow, 0, len(ps))
	for _, p := range ps {
		b, err := g.Budget(ctx, u, p.ID)
		if err != nil {
			h.errorPage(w, r, nil, err)
			return
		}
		rows = append(rows, programmeRow{ProgrammeView: p, Budget: b})
	}
	h.render(w, r, http.StatusOK, "grants-funder", &page{Title: "Your grant programmes", Nav: "grants", Notice: notice, Data: rows})
}

// statusTab is one status filter link on a programme's page.
type statusTab struct {
	Code, Name, Href string
	Current          bool
}

// rankedRow is one application on the lead's ranked list.
type rankedRow struct {
	grants.Ranked
	Reviews int
	Flagged []string
}

// programmePageData is what a programme's page shows.
type programmePageData struct {
	Programme *grantservice.ProgrammeView
	Budget    grants.Budget
	Tabs      []statusTab
	Status    string
	Apps      []*grantservice.ApplicationView
	Next      string
	Lead      bool
	Ranked    []rankedRow
	// Overdue are the programme's monitoring reports past their due date.
	Overdue []grantservice.OverdueReport
}

// grantProgrammePage shows a programme to its funder's staff: its budget,
// its applications in one status (?status=, tabs) and, for the lead, the
// ranked list of applications awaiting decision. Anyone else sees the
// programme's description with a link to apply.
func (h *Handler) grantProgrammePage(w http.ResponseWriter, r *http.Request) {
	g := h.grantsOr404(w, r)
	if g == nil {
		return
	}
	ctx, u, id := r.Context(), userFrom(r), r.PathValue("id")
	p, err := g.Programme(ctx, u, id)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	if !grantservice.IsFunderStaff(u, p.Funder) {
		http.Redirect(w, r, "/grants", http.StatusSeeOther)
		return
	}
	q := r.URL.Query()
	status := cmp.Or(q.Get("status"), grants.StatusInReview)
	d := &programmePageData{Programme: p, Status: status, Lead: grantservice.IsFunderLead(u, p.Funder)}
	if d.Budget, err = g.Budget(ctx, u, id); err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	for _, t := range grants.Statuses {
		if t.Code == grants.StatusDraft {
			continue
		}
		d.Tabs = append(d.Tabs, statusTab{Code: t.Code, Name: t.Name, Current: t.Code == status,
			Href: "/grants/programmes/" + url.PathEscape(id) + "?" + url.Values{"status": {t.Code}}.Encode()})
	}
	list, err := g.Applications(ctx, u, id, status, q.Get("cursor"), 0)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	d.Apps = list.Applications
	if list.Next != "" {
		d.Next = "/grants/programmes/" + url.PathEscape(id) + "?" + url.Values{"status": {status}, "cursor": {list.Next}}.Encode()
	}
	if d.Overdue, err = g.ProgrammeOverdueReports(ctx, u, id); err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	if d.Lead {
		if d.Ranked, err = h.ranked(r, g, p); err != nil {
			h.errorPage(w, r, nil, err)
			return
		}
	}
	h.render(w, r, http.StatusOK, "grants-programme", &page{Title: p.Name, Nav: "grants", Back: "/grants",
		Notice: grantNotices[q.Get("notice")], Data: d})
}

// ranked returns the programme's applications awaiting decision, best
// weighted score first, with the count of reviews and the criteria whose
// scores are far apart, for the lead.
func (h *Handler) ranked(r *http.Request, g *grantservice.Service, p *grantservice.ProgrammeView) ([]rankedRow, error) {
	ctx, u := r.Context(), userFrom(r)
	var apps []*grants.Application
	reviews := map[string][]*grants.Review{}
	spreads := map[string][]grants.Spread{}
	for cursor := ""; ; {
		list, err := g.Applications(ctx, u, p.ID, grants.StatusAwaitingDecision, cursor, 0)
		if err != nil {
			return nil, err
		}
		for _, lv := range list.Applications {
			v, err := g.Application(ctx, u, lv.ID)
			if pathway.ErrorCode(err) == pathway.ENOTFOUND {
				continue // the lead declared a conflict: another lead decides
			} else if err != nil {
				return nil, err
			}
			if v.Application == nil {
				continue
			}
			apps = append(apps, v.Application)
			reviews[v.ID], spreads[v.ID] = v.Reviews, v.Spreads
		}
		if cursor = list.Next; cursor == "" {
			break
		}
	}
	var out []rankedRow
	for _, rk := range grants.Rank(p.Programme, apps, reviews) {
		row := rankedRow{Ranked: rk, Reviews: len(reviews[rk.Application.ID])}
		for _, s := range spreads[rk.Application.ID] {
			if s.Flagged {
				c, _ := p.Criterion(s.Criterion)
				row.Flagged = append(row.Flagged, cmp.Or(c.Name, s.Criterion))
			}
		}
		out = append(out, row)
	}
	return out, nil
}

// coopGrantsPage lists a co-op's grant applications, for its founders and
// its agency, with the programmes it may apply to for founders.
func (h *Handler) coopGrantsPage(w http.ResponseWriter, r *http.Request) {
	g := h.grantsOr404(w, r)
	if g == nil {
		return
	}
	ctx, u, id := r.Context(), userFrom(r), r.PathValue("id")
	c, _, err := h.journey.Coop(ctx, u, id)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	apps, err := g.CoopGrants(ctx, u, id)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	h.render(w, r, http.StatusOK, "grants-coop", &page{Title: "Grant applications", Back: coopPath(id),
		Data: map[string]any{"Coop": c, "Apps": apps, "Founder": u.Role == pathway.RoleFounder}})
}

// parsePounds reads an amount of money typed in pounds ("1,250", "£1250.50")
// as pence; ok is false when it is not an amount.
func parsePounds(s string) (int64, bool) {
	s = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(s), "£"))
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, false
	}
	whole, frac, dot := strings.Cut(s, ".")
	if dot && (len(frac) == 0 || len(frac) > 2) {
		return 0, false
	}
	if len(frac) == 1 {
		frac += "0"
	}
	if len(whole) > 12 || strings.ContainsAny(whole+frac, "+-") {
		return 0, false
	}
	w, err := strconv.ParseInt(cmp.Or(whole, "0"), 10, 64)
	if err != nil {
		return 0, false
	}
	var f int64
	if frac != "" {
		if f, err = strconv.ParseInt(frac, 10, 64); err != nil {
			return 0, false
		}
	}
	return w*100 + f, true
}

// penceText writes pence as pounds for a form's input ("1250" or "1250.50").
func penceText(p int64) string {
	if p == 0 {
		return ""
	}
	s := strconv.FormatInt(p/100, 10)
	if p%100 != 0 {
		s += "." + strconv.FormatInt(p%100+100, 10)[1:]
	}
	return s
}

// criterionNames maps the programme's criteria's IDs to their names.
func criterionNames(p *grants.Programme) map[string]string {
	out := map[string]string{}
	for _, c := range p.Criteria {
		out[c.ID] = c.Name
	}
	return out
}

// openTask returns the application's open task of the kind that u may
// answer, or nil.
func openTask(v *grantservice.ApplicationView, u *pathway.User, kinds ...string) *pathway.Task {
	for _, t := range v.OpenTasks {
		if !slices.Contains(kinds, t.Kind) || t.Status != pathway.TaskOpen {
			continue
		}
		if t.User != "" && t.User != u.ID {
			continue
		}
		if t.Role == pathway.RoleFunderLead && !u.Lead {
			continue
		}
		return t
	}
	return nil
}
