package pages

import (
	"net/http"
	"net/url"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// notices are the success messages a redirect after a form can ask for;
// only these fixed texts are shown, never anything from the address.
var notices = map[string]string{
	"applied":  "Application sent. We are checking it against the programme's eligibility rules; this usually takes a few minutes.",
	"marked":   "Item marked as done. Your development agency will check it.",
	"verified": "Item verified.",
	"returned": "Item returned to the founders with your comment.",
	"decided":  "Your answer is recorded.",
	// A decision's banner says what was decided (decisionNotice).
	"panel-accept":           "Decision recorded: the panel accepted the co-op onto the programme. Its CQC checklist opens as soon as the workflow has moved it on.",
	"panel-decline":          "Decision recorded: the panel declined the application. The founders will see the panel's reasons.",
	"panel-defer":            "Decision recorded: the panel deferred its decision to its next meeting. A new decision task opens.",
	"cqc-submitted":          "Recorded: the co-op applied to CQC. Record CQC's decision when it arrives.",
	"cqc-registered":         "Recorded: CQC registered the co-op.",
	"cqc-proposal-to-refuse": "Recorded: CQC proposes to refuse registration. The co-op has 28 days to send CQC written representations.",
	"cqc-refused":            "Recorded: CQC refused registration.",
	"resent":                 "Application sent again. We are checking it against the programme's eligibility rules; this usually takes a few minutes.",
	"uploaded":               "File uploaded. It is listed below.",
	"coop-withdrawn":         "The co-op is withdrawn from the programme. Its open tasks are closed and everyone concerned is emailed.",
	"coop-closed":            "Recorded: the co-op has closed. Its open tasks are closed and the founders are emailed.",
}

// historySize is how many events the co-op page shows.
const historySize = 20

// coopData is what the co-op page shows.
type coopData struct {
	View        *journey.CoopView
	Sections    []taskSection
	Done, Total int
	// MyTasks are open tasks the user can answer; Others are open tasks
	// waiting for someone else.
	MyTasks, Others []journey.TaskView
	// Returned are the checklist items the agency returned with a comment.
	Returned    []*pathway.ChecklistItem
	Events      []*pathway.Event
	MoreEvents  bool
	DaysInStage int
	Staff       bool
	// Resubmit offers to correct a screened-out application and send it again.
	Resubmit bool
	// Step is what happens next, worded for the reader; Progress the one
	// checklist count ("N of M required items verified").
	Step     pathway.Step
	Progress string
	// Ended says why the journey ended, when it has.
	Ended []string
	// Panel is the panel's decision and its notes, once made.
	Panel *decision
	// Entries are the history's sentences.
	Entries []entry
	// Grants says the co-op's grant facts, or "" without a grants service.
	Grants string
	// Tenders is true when the tenders pages are served (tenders_founder.go).
	Tenders bool
	// Withdraw and Close offer the ends the reader may record (coop_ends.go).
	Withdraw, Close bool
	// Cost is what the journey has cost, for its agency (costs.go).
	Cost *journeyCost
}

// coopPath is a co-op's page.
func coopPath(id string) string { return "/coops/" + url.PathEscape(id) }

// coopPage is a co-op's task list, what happens next, open tasks and
// history. Founders and agency staff see the same page; the links differ
// by what each may do.
func (h *Handler) coopPage(w http.ResponseWriter, r *http.Request) {
	ctx, u := r.Context(), userFrom(r)
	v, err := h.journey.View(ctx, u, r.PathValue("id"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	cl, err := h.journey.Checklist(ctx, u, v.ID)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	ev, err := h.journey.Events(ctx, u, v.ID, "", historySize)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	d := &coopData{View: v, Sections: taskList(v, cl.Items, u.IsStaff()), Events: ev.Events, MoreEvents: ev.Next != "",
		DaysInStage: pathway.DaysSince(v.StageEnteredAt, h.now()), Staff: u.IsStaff(), Resubmit: journey.MayResubmit(u, v.Coop)}
	d.Done, d.Total = completedCount(d.Sections)
	d.Tenders = h.tenders != nil
	d.Withdraw, d.Close = journey.EndsOffered(u, v.Coop)
	if d.Grants, err = h.coopGrantSummary(ctx, v.ID); err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	d.Cost = h.coopCost(ctx, u, v.ID)
	d.Step = pathway.NextStepFor(v.Coop, cl.Items, openTasks(v), u.IsStaff())
	d.Progress = pathway.ProgressText(v.Checklist.RequiredVerified, v.Checklist.Required)
	d.Panel, d.Entries = panelDecisionOf(ev.Events), entriesOf(ev.Events)
	if d.Step.Ended {
		d.Ended = endingOf(v.Coop, ev.Events)
	}
	for _, it := range cl.Items {
		if it.Status == pathway.ItemReturned {
			d.Returned = append(d.Returned, it)
		}
	}
	for _, t := range v.OpenTasks {
		if t.CanAct {
			d.MyTasks = append(d.MyTasks, t)
		} else {
			d.Others = append(d.Others, t)
		}
	}
	back, nav := "/", "home"
	if u.IsStaff() {
		back, nav = "/board", "board"
	}
	h.render(w, r, http.StatusOK, "coop", &page{Title: v.Name, Nav: nav, Back: back, Terms: &glosser{names: []string{v.Name, v.ProgrammeName}},
		Notice: notices[r.URL.Query().Get("notice")], Data: d})
}

// openTasks are the view's open tasks as NextStepFor reads them.
func openTasks(v *journey.CoopView) []*pathway.Task {
	out := make([]*pathway.Task, 0, len(v.OpenTasks))
	for _, t := range v.OpenTasks {
		out = append(out, &pathway.Task{ID: t.ID, Kind: t.Kind, Role: t.Role, Coop: t.Coop, Due: t.Due, Status: t.Status})
	}
	return out
}

// applicationPage shows the answers a co-op applied with.
func (h *Handler) applicationPage(w http.ResponseWriter, r *http.Request) {
	c, p, err := h.journey.Coop(r.Context(), userFrom(r), r.PathValue("id"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	h.render(w, r, http.StatusOK, "application", &page{Title: "Application from " + c.Name, Back: coopPath(c.ID),
		Data: map[string]any{"Coop": c, "Summary": summaryOf(c, p)}})
}

// summaryOf is a stored co-op's application as summary lists show it.
func summaryOf(c *pathway.Coop, p *pathway.Programme) appSummary {
	s := appSummary{App: journey.ApplicationOf(c), ProgrammeName: c.Programme}
	if p != nil {
		s.ProgrammeName = p.Name
	}
	return s
}

// historyPage is a co-op's whole audit trail, a page at a time.
func (h *Handler) historyPage(w http.ResponseWriter, r *http.Request) {
	ctx, u := r.Context(), userFrom(r)
	c, _, err := h.journey.Coop(ctx, u, r.PathValue("id"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	cursor := r.URL.Query().Get("cursor")
	ev, err := h.journey.Events(ctx, u, c.ID, cursor, 50)
	if pathway.ErrorCode(err) == pathway.EINVALID {
		err = pathway.NotFound("page") // a damaged cursor is a page that does not exist
	}
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	next := ""
	if ev.Next != "" {
		next = coopPath(c.ID) + "/history?cursor=" + url.QueryEscape(ev.Next)
	}
	h.render(w, r, http.StatusOK, "history", &page{Title: "History of " + c.Name, Back: coopPath(c.ID),
		Data: map[string]any{"Coop": c, "Events": ev.Events, "Entries": entriesOf(ev.Events), "Next": next, "First": cursor != ""}})
}

// groupPage lists the items of one checklist group.
func (h *Handler) groupPage(w http.ResponseWriter, r *http.Request) {
	ctx, u := r.Context(), userFrom(r)
	c, _, err := h.journey.Coop(ctx, u, r.PathValue("id"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	cl, err := h.journey.Checklist(ctx, u, c.ID)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	g := r.PathValue("group")
	var items []*pathway.ChecklistItem
	for _, it := range cl.Items {
		if it.Group == g {
			items = append(items, it)
		}
	}
	if len(items) == 0 {
		h.NotFound(w, r)
		return
	}
	st, progress := groupStatus(items)
	h.render(w, r, http.StatusOK, "group", &page{Title: groupName(g), Back: coopPath(c.ID),
		Notice: notices[r.URL.Query().Get("notice")],
		Data:   map[string]any{"Coop": c, "Items": items, "Status": st, "Progress": progress, "Staff": u.IsStaff()}})
}
