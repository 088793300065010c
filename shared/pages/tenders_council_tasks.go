package pages

// The council's tender tasks, answered from /tasks/{id}: an evaluator's
// declaration and scores (tender-evaluation: the bid's content shows only
// after "no conflict"), the lead's moderation, award, contract entry and
// contract details notice. The tenders service checks every answer and
// hands it to the tender's workflow.

import (
	"cmp"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// tenderTaskData is what a tender task's page shows.
type tenderTaskData struct {
	Task   *pathway.Task
	Tender *tenders.Tender
	// Bid is the bid as the caller sees it (evaluation, moderation).
	Bid *tenderservice.BidView
	// Declare is true while the evaluator has not declared: the bid's
	// content is not shown.
	Declare bool
	// Scored are the quality and social-value criteria with their fields.
	Scored []scoredCriterion
	// Lots are the award's and the contract's per-lot rows.
	Lots []taskLot
	// Names are the council's staff by ID.
	Names map[string]string
	F     map[string]field
	// Overdue is what a tender-evaluation-overdue task is about.
	Overdue *overdueView
}

// scoredCriterion is one criterion on a scoring form: its guide, the
// bid's response, every evaluator's score (moderation), and the fields.
type scoredCriterion struct {
	Criterion   tenders.Criterion
	Response    string
	Evaluations []evaluatorScore
	Score       field
	Reason      field
}

// evaluatorScore is one evaluator's score and reason for a criterion.
type evaluatorScore struct {
	Name   string
	Score  int
	Reason string
}

// taskLot is one lot on the award or contract form.
type taskLot struct {
	Lot    tenders.Lot
	Rows   []resultRow
	Choice field
	Reason field
	Value  field
	Winner string
}

// tenderTask serves /tasks/{id} when the task is a tender task the user
// may see, and reports whether it did; other tasks are left to the
// other pages.
func (h *Handler) tenderTask(w http.ResponseWriter, r *http.Request) bool {
	if h.tenders == nil {
		return false
	}
	t, tg, err := h.tenders.TaskToAnswer(r.Context(), userFrom(r), r.PathValue("id"))
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return false
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return true
	}
	if r.Method == http.MethodPost {
		h.answerTenderTask(w, r, t, tg)
		return true
	}
	h.showTenderTask(w, r, http.StatusOK, t, tg, nil)
	return true
}

// showTenderTask renders a tender task's form, with what was just sent
// when errs is not empty.
func (h *Handler) showTenderTask(w http.ResponseWriter, r *http.Request, status int, t *pathway.Task, tg *tenderservice.Target, errs formErrors) {
	ctx, u := r.Context(), userFrom(r)
	posted := r.Method == http.MethodPost && r.PostForm != nil
	get := func(k string) string {
		if !posted {
			return ""
		}
		return r.PostForm.Get(k)
	}
	d := &tenderTaskData{Task: t, Tender: tg.Tender, F: map[string]field{}}
	var err error
	if d.Names, err = h.tenders.StaffNames(ctx, u, tg.Tender.Council); err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	switch t.Kind {
	case tenders.TaskEvaluation, tenders.TaskModeration:
		if d.Bid, err = h.tenders.Bid(ctx, u, tg.Bid.ID); err != nil {
			h.errorPage(w, r, nil, err)
			return
		}
		if t.Kind == tenders.TaskEvaluation && (d.Bid.Declaration == nil || d.Bid.Bid == nil) {
			d.Declare = true
			d.declarationForm(get, errs)
			break
		}
		d.scoringForm(get, posted, errs, t.Kind == tenders.TaskModeration)
	case tenders.TaskAward, tenders.TaskContractEntry:
		bids, err := h.tenders.TenderBids(ctx, u, tg.Tender.ID)
		if err != nil {
			h.errorPage(w, r, nil, err)
			return
		}
		if t.Kind == tenders.TaskAward {
			d.awardForm(bids, get, posted, errs)
		} else {
			d.contractForm(bids, get, posted, errs)
		}
	case tenders.TaskEvaluationOverdue:
		if d.Overdue, err = h.overdueOf(ctx, u, t, tg); err != nil {
			h.errorPage(w, r, nil, err)
			return
		}
	case tenders.TaskContractNotice:
		on := readDate(get, "publishedOn")
		d.F["publishedOn"] = field{ID: "publishedOn", Name: "publishedOn", Legend: "When was the contract details notice (UK7) published?",
			Hint: "For example, 2 12 2027", Day: on.Day, Month: on.Month, Year: on.Year, Err: errs.For("publishedOn")}
	}
	h.render(w, r, status, "tender-council-task", &page{Title: t.Title, Nav: "tasks", Back: "/tasks", Errors: errs,
		Notice: councilTenderNotices[r.URL.Query().Get("notice")], Data: d})
}

// declarationForm asks the evaluator to declare before seeing the bid.
func (d *tenderTaskData) declarationForm(get func(string) string, errs formErrors) {
	d.F["conflict"] = field{ID: "conflict", Name: "conflict", Type: "radio", Legend: "Do you have a conflict of interest with this bidder?",
		Hint: "For example, you or someone close to you works for, advises or is a member of the co-op.", Value: get("conflict"),
		Err: errs.For("conflict"), Options: []option{
			{Value: "no", Label: "No, I have no conflict of interest", Hint: "You then read the bid and score it."},
			{Value: "yes", Label: "Yes, I have a conflict of interest", Hint: "You will not see the bid, now or later. The other evaluators score it."},
		}}
	d.F["reason"] = field{ID: "reason", Name: "reason", Label: "What is the conflict? (only if you have one)", Value: get("reason"), Err: errs.For("reason")}
}

// scoringForm builds the score and reason fields per quality and
// social-value criterion; for moderation, with every evaluator's scores
// beside them and the agreed score prefilled with their median.
func (d *tenderTaskData) scoringForm(get func(string) string, posted bool, errs formErrors, moderation bool) {
	b := d.Bid.Bid
	for _, c := range d.Tender.Criteria {
		if c.Kind == tenders.KindPrice {
			continue
		}
		sc := scoredCriterion{Criterion: c, Response: b.Responses[c.ID]}
		var scores []int
		if moderation {
			for _, ev := range d.Bid.Evaluations {
				if ev.Conflict || ev.ScoredAt.IsZero() {
					continue
				}
				s, ok := ev.Scores[c.ID]
				if !ok {
					continue
				}
				scores = append(scores, s)
				sc.Evaluations = append(sc.Evaluations, evaluatorScore{Name: cmp.Or(d.Names[ev.Evaluator], "An evaluator"), Score: s, Reason: ev.Reasons[c.ID]})
			}
		}
		score, reason := get("score-"+c.ID), get("reason-"+c.ID)
		if !posted && b.Agreed != nil && moderation {
			if s, ok := b.Agreed.Scores[c.ID]; ok {
				score, reason = strconv.Itoa(s), b.Agreed.Reasons[c.ID]
			}
		} else if !posted && len(scores) > 0 {
			score = strconv.Itoa(medianScore(scores))
		}
		var opts []option
		for i := 0; i <= tenders.MaxScore; i++ {
			opts = append(opts, option{Value: strconv.Itoa(i), Label: strconv.Itoa(i)})
		}
		legend, label := "Score for "+c.Name+", from 0 to 5", "Reason for the score for "+c.Name
		if moderation {
			legend, label = "Agreed score for "+c.Name+", from 0 to 5", "Reason for the agreed score for "+c.Name
		}
		sc.Score = field{ID: "score-" + c.ID, Name: "score-" + c.ID, Type: "radio", Legend: legend, Value: score, Options: opts, Err: errs.For("score-" + c.ID)}
		sc.Reason = field{ID: "reason-" + c.ID, Name: "reason-" + c.ID, Label: label, Value: reason, Err: errs.For("reason-" + c.ID)}
		d.Scored = append(d.Scored, sc)
	}
}

// medianScore returns the middle score, the mean of the middle two (rounded
// half up) for an even count.
func medianScore(s []int) int {
	s = slices.Clone(s)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2] + 1) / 2
}

// awardForm offers per lot the ranked bids with their totals; the
// top-ranked is chosen at first.
func (d *tenderTaskData) awardForm(bids []*tenderservice.BidView, get func(string) string, posted bool, errs formErrors) {
	for _, lr := range resultsOf(d.Tender, bids) {
		tl := taskLot{Lot: lr.Lot, Rows: lr.Rows}
		choice := get("bid-" + lr.Lot.ID)
		var opts []option
		for _, row := range lr.Rows {
			if row.Result.Rank < 1 {
				continue
			}
			if !posted && row.Result.Rank == 1 && choice == "" {
				choice = row.Bid.ID
			}
			opts = append(opts, option{Value: row.Bid.ID, Label: rankWord(row.Result.Rank) + ": " + row.Bid.CoopName,
				Hint: "Total " + tenders.Marks(row.Result.Total) + " out of 100, price " + pathway.Pounds(row.Price)})
		}
		if len(opts) == 0 {
			continue
		}
		tl.Choice = field{ID: "bid-" + lr.Lot.ID, Name: "bid-" + lr.Lot.ID, Type: "radio", Legend: "Who wins " + lr.Lot.Name + "?",
			Value: choice, Options: opts, Err: errs.For("bid-" + lr.Lot.ID)}
		tl.Reason = field{ID: "reason-" + lr.Lot.ID, Name: "reason-" + lr.Lot.ID, Label: "Reason, if you choose a bid that is not ranked first, for " + lr.Lot.Name,
			Hint: "Say why it is the most advantageous tender. The bidders read this in their assessment summaries.", Value: get("reason-" + lr.Lot.ID), Err: errs.For("reason-" + lr.Lot.ID)}
		d.Lots = append(d.Lots, tl)
	}
}

// rankWord writes 1 as "1st", 2 as "2nd" and so on.
func rankWord(n int) string {
	suffix := "th"
	switch {
	case n%100 >= 11 && n%100 <= 13:
	case n%10 == 1:
		suffix = "st"
	case n%10 == 2:
		suffix = "nd"
	case n%10 == 3:
		suffix = "rd"
	}
	return strconv.Itoa(n) + suffix
}

// contractForm asks for the contract's dates and each awarded lot's
// value, prefilled with the term and the winning prices.
func (d *tenderTaskData) contractForm(bids []*tenderservice.BidView, get func(string) string, posted bool, errs formErrors) {
	values := url.Values{}
	if posted {
		values = nil
	} else {
		dayValues(values, "start", d.Tender.Term.Start)
		dayValues(values, "end", d.Tender.Term.End)
	}
	val := func(k string) string {
		if values != nil {
			return values.Get(k)
		}
		return get(k)
	}
	for _, name := range []struct{ n, legend string }{{"signedOn", "When was the contract signed?"}, {"start", "The contract starts on"}, {"end", "The contract ends on"}} {
		p := readDate(val, name.n)
		d.F[name.n] = field{ID: name.n, Name: name.n, Legend: name.legend, Hint: "For example, 1 12 2027", Day: p.Day, Month: p.Month, Year: p.Year, Err: errs.For(name.n)}
	}
	if d.Tender.Award == nil {
		return
	}
	for _, la := range d.Tender.Award.Lots {
		lot, _ := d.Tender.Lot(la.Lot)
		tl := taskLot{Lot: lot}
		v := get("value-" + la.Lot)
		for _, b := range bids {
			if b.ID == la.Bid {
				tl.Winner = b.CoopName
				if !posted && b.Bid != nil {
					v = penceText(bidPrice(b.Bid, la.Lot))
				}
			}
		}
		tl.Value = field{ID: "value-" + la.Lot, Name: "value-" + la.Lot, Label: "Value of the contract for " + cmp.Or(lot.Name, la.Lot) + ", including VAT, in pounds",
			Value: v, Err: errs.For("value-" + la.Lot), Class: "input--10", Inputmode: "decimal"}
		d.Lots = append(d.Lots, tl)
	}
}

// answerTenderTask reads the form, answers through the tenders service
// and goes on: back to the task for a declaration of no conflict, else
// to the tender's page.
func (h *Handler) answerTenderTask(w http.ResponseWriter, r *http.Request, t *pathway.Task, tg *tenderservice.Target) {
	ctx, u, f := r.Context(), userFrom(r), r.PostForm
	tenderPath := "/tenders/" + url.PathEscape(tg.Tender.ID)
	if t.Kind == tenders.TaskEvaluation && f.Get("step") == "declare" {
		ans := tenders.DeclarationAnswer{Conflict: f.Get("conflict") == "yes", Reason: strings.TrimSpace(f.Get("reason"))}
		if f.Get("conflict") == "" {
			h.showTenderTask(w, r, http.StatusBadRequest, t, tg, formErrors{{Field: "conflict", ID: "conflict", Message: "Say whether you have a conflict of interest"}})
			return
		}
		_, err := h.tenders.Declare(ctx, u, tg.Bid.ID, ans)
		if msgs := fieldsOf(err); msgs != nil {
			h.showTenderTask(w, r, http.StatusBadRequest, t, tg, newErrors(msgs, []string{"conflict", "reason"}, nil))
			return
		} else if err != nil {
			h.errorPage(w, r, nil, err)
			return
		}
		if ans.Conflict {
			http.Redirect(w, r, tenderPath+"?notice=conflict", http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/tasks/"+url.PathEscape(t.ID)+"?notice=no-conflict", http.StatusSeeOther)
		return
	}
	ans, order, errs := tenderAnswerOf(t.Kind, tg.Tender, f)
	if len(errs) > 0 {
		h.showTenderTask(w, r, http.StatusBadRequest, t, tg, errs)
		return
	}
	_, err := h.tenders.Answer(ctx, u, t, tg, ans)
	if msgs := fieldsOf(err); msgs != nil {
		h.showTenderTask(w, r, http.StatusBadRequest, t, tg, newErrors(tenderAnswerFields(msgs, tg.Tender, ans), order, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	notice := map[string]string{tenders.TaskEvaluation: "evaluated", tenders.TaskModeration: "moderated", tenders.TaskAward: "awarded",
		tenders.TaskContractEntry: "contract", tenders.TaskContractNotice: "notice", tenders.TaskEvaluationOverdue: "excused"}[t.Kind]
	http.Redirect(w, r, tenderPath+"?notice="+notice, http.StatusSeeOther)
}

// tenderAnswerOf reads the answer a tender task of the kind takes from
// the form, with the form's field order; dates and money typed wrongly
// are errors here, because only the form has them as text.
func tenderAnswerOf(kind string, t *tenders.Tender, f url.Values) (any, []string, formErrors) {
	switch kind {
	case tenders.TaskEvaluation, tenders.TaskModeration:
		ans := &tenders.ScoresAnswer{Scores: map[string]int{}, Reasons: map[string]string{}}
		var order []string
		for _, c := range t.Criteria {
			if c.Kind == tenders.KindPrice {
				continue
			}
			order = append(order, "score-"+c.ID, "reason-"+c.ID)
			if n, err := strconv.Atoi(f.Get("score-" + c.ID)); err == nil {
				ans.Scores[c.ID] = n
			}
			if s := strings.TrimSpace(f.Get("reason-" + c.ID)); s != "" {
				ans.Reasons[c.ID] = s
			}
		}
		return ans, order, nil
	case tenders.TaskAward:
		ans := &tenders.AwardAnswer{}
		var order []string
		for _, l := range t.Lots {
			order = append(order, "bid-"+l.ID, "reason-"+l.ID)
			if b := f.Get("bid-" + l.ID); b != "" {
				ans.Lots = append(ans.Lots, tenders.AwardChoice{Lot: l.ID, Bid: b, Reason: strings.TrimSpace(f.Get("reason-" + l.ID))})
			}
		}
		if len(ans.Lots) == 0 && len(t.Lots) > 0 {
			return nil, order, formErrors{{Field: "bid-" + t.Lots[0].ID, ID: "bid-" + t.Lots[0].ID, Message: "Choose who wins " + t.Lots[0].Name}}
		}
		return ans, order, nil
	case tenders.TaskContractEntry:
		ans := &tenders.ContractAnswer{}
		order := []string{"signedOn", "start", "end"}
		var errs formErrors
		for _, dt := range []struct {
			name, what string
			to         *string
		}{{"signedOn", "the day the contract was signed", &ans.SignedOn}, {"start", "the day the contract starts", &ans.Start}, {"end", "the day the contract ends", &ans.End}} {
			iso, msg := readDate(f.Get, dt.name).iso(dt.what)
			if msg != "" {
				errs = append(errs, fieldError{Field: dt.name, ID: dt.name, Message: msg})
			}
			*dt.to = iso
		}
		if t.Award != nil {
			for _, la := range t.Award.Lots {
				order = append(order, "value-"+la.Lot)
				if p, ok := parsePounds(f.Get("value-" + la.Lot)); ok && p > 0 {
					ans.Lots = append(ans.Lots, tenders.ContractLotLine{Lot: la.Lot, Value: p})
				} else {
					lot, _ := t.Lot(la.Lot)
					errs = append(errs, fieldError{Field: "value-" + la.Lot, ID: "value-" + la.Lot,
						Message: "Enter the value of the contract for " + cmp.Or(lot.Name, la.Lot) + " in pounds, like 120000"})
				}
			}
		}
		return ans, order, errs
	case tenders.TaskContractNotice:
		iso, msg := readDate(f.Get, "publishedOn").iso("the day the notice was published")
		if msg != "" {
			return nil, nil, formErrors{{Field: "publishedOn", ID: "publishedOn", Message: msg}}
		}
		return &tenders.NoticeAnswer{PublishedOn: iso}, []string{"publishedOn"}, nil
	case tenders.TaskEvaluationOverdue:
		return &tenders.ExcuseAnswer{Outcome: f.Get("outcome")}, []string{"outcome"}, nil
	}
	return nil, nil, formErrors{{Field: "", ID: "main-content", Message: "Tasks of this kind cannot be answered here"}}
}

// dateLabels name the tender tasks' dates, for messages that do not.
var dateLabels = map[string]string{"signedOn": "The day the contract was signed", "start": "The contract's start",
	"end": "The contract's end", "publishedOn": "The day the notice was published"}

// answerRow matches the service's names of a per-lot answer's fields.
var answerRow = regexp.MustCompile(`^lots\[(\d+)\](?:\.(\w+))?$`)

// tenderAnswerFields renames the service's field names to the form's.
func tenderAnswerFields(msgs map[string]string, t *tenders.Tender, ans any) map[string]string {
	lotAt := func(i int) string {
		switch a := ans.(type) {
		case *tenders.AwardAnswer:
			if i < len(a.Lots) {
				return a.Lots[i].Lot
			}
		case *tenders.ContractAnswer:
			if i < len(a.Lots) {
				return a.Lots[i].Lot
			}
		}
		if len(t.Lots) > 0 {
			return t.Lots[0].ID
		}
		return ""
	}
	out := map[string]string{}
	for k, m := range msgs {
		switch {
		case strings.HasPrefix(k, "scores."):
			k = "score-" + strings.TrimPrefix(k, "scores.")
		case strings.HasPrefix(k, "reasons."):
			k = "reason-" + strings.TrimPrefix(k, "reasons.")
		case answerRow.MatchString(k):
			sub := answerRow.FindStringSubmatch(k)
			i, _ := strconv.Atoi(sub[1])
			lot := lotAt(i)
			switch _, contract := ans.(*tenders.ContractAnswer); {
			case contract:
				k = "value-" + lot
			case sub[2] == "reason":
				k = "reason-" + lot
			default:
				k = "bid-" + lot
			}
		case dateLabels[k] != "":
			m = named(dateLabels[k], m)
		case k == "lots":
			if _, contract := ans.(*tenders.ContractAnswer); contract {
				k = "value-" + lotAt(0)
			} else {
				k = "bid-" + lotAt(0)
			}
		}
		if _, dup := out[k]; !dup {
			out[k] = m
		}
	}
	return out
}
