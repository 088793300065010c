package pages

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/workdays"
)

// standstillPath is the standstill calculator: the last day of a
// standstill period and the first day the contract may be entered into,
// counted as the Procurement Act 2023 counts working days.
const standstillPath = "/standstill"

// standstillData is what the calculator shows: the form, and once
// answered, the period.
type standstillData struct {
	From field
	Days field
	// Result is the period, when the answers were good.
	Result *workdays.Result
	// First and Last are the calendar's years, for the hint.
	First, Last int
}

// standstillPage shows the calculator; ?from=YYYY-MM-DD (and &days=),
// as the award pages link to it, shows the period at once.
func (h *Handler) standstillPage(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	from := q.Get("from")
	if from == "" {
		h.showStandstill(w, r, http.StatusOK, dateParts{}, "", nil, nil)
		return
	}
	parts := dateParts{Year: from}
	if d, err := workdays.Parse(from); err == nil {
		parts = dateParts{Day: strconv.Itoa(d.Day()), Month: strconv.Itoa(int(d.Month())), Year: strconv.Itoa(d.Year())}
	}
	h.countStandstill(w, r, parts, from, q.Get("days"))
}

// standstillPost works the period out from the form.
func (h *Handler) standstillPost(w http.ResponseWriter, r *http.Request) {
	parts := readDate(r.PostForm.Get, "from")
	iso, msg := parts.iso("the day the notice is published")
	if msg != "" {
		days := strings.TrimSpace(r.PostForm.Get("days"))
		msgs := map[string]string{"from": msg}
		if _, err := workdays.ParseDays(days); err != nil {
			msgs["days"] = fieldsOf(err)["days"]
		}
		h.showStandstill(w, r, http.StatusBadRequest, parts, days, newErrors(msgs, []string{"from", "days"}, nil), nil)
		return
	}
	h.countStandstill(w, r, parts, iso, r.PostForm.Get("days"))
}

// countStandstill shows the period from (YYYY-MM-DD) and days, or what is
// wrong with them.
func (h *Handler) countStandstill(w http.ResponseWriter, r *http.Request, parts dateParts, from, days string) {
	days = strings.TrimSpace(days)
	res, err := workdays.StandstillOf(from, days)
	if msgs := fieldsOf(err); msgs != nil {
		h.showStandstill(w, r, http.StatusBadRequest, parts, days, newErrors(msgs, []string{"from", "days"}, nil), nil)
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	h.showStandstill(w, r, http.StatusOK, parts, strconv.Itoa(res.Days), nil, &res)
}

// showStandstill renders the calculator.
func (h *Handler) showStandstill(w http.ResponseWriter, r *http.Request, status int, from dateParts, days string, errs formErrors, res *workdays.Result) {
	if days == "" {
		days = strconv.Itoa(workdays.StandstillDays)
	}
	data := standstillData{
		From: field{ID: "from", Name: "from", Legend: "When is the contract award notice published?",
			Hint: "For example, 14 3 2027", Day: from.Day, Month: from.Month, Year: from.Year, Err: errs.For("from")},
		Days: field{ID: "days", Name: "days", Label: "How many working days does the standstill last?",
			Hint:  "The Act's standstill is 8 working days. A council keeping a voluntary standstill usually keeps 8 too.",
			Value: days, Class: "input--2", Inputmode: "numeric", Err: errs.For("days")},
		Result: res, First: workdays.FirstYear(), Last: workdays.LastYear(),
	}
	h.render(w, r, status, "standstill", &page{Title: "Standstill calculator", Errors: errs, Data: data})
}
