package pages

// The tenders pages' shared helpers: the service or "page not found",
// the words of a tender's and a bid's status, UK times, and the
// addresses /tenders and /tenders/{id}, which council staff and founders
// share (each sees their own page: tenders_council*.go for the council).

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

func init() {
	funcs["tenderStatus"] = tenderStatusTag
	// bidStatus, ukTime and marks are the founders' pages' (tenders_founder.go).
	funcs["penceOf"] = pathway.Pounds
	funcs["nth"] = func(i int) int { return i + 1 }
	funcs["lotName"] = func(names map[string]string, id string) string {
		if n, ok := names[id]; ok {
			return n
		}
		return id
	}
}

// tenderServiceOr404 returns the tenders service, or answers "page not found"
// when none is configured.
func (h *Handler) tenderServiceOr404(w http.ResponseWriter, r *http.Request) *tenderservice.Service {
	if h.tenders == nil {
		h.NotFound(w, r)
	}
	return h.tenders
}

// tendersHome is /tenders: council staff see their council's tenders;
// anyone else the founders' page (tenders_founder.go).
func (h *Handler) tendersHome(w http.ResponseWriter, r *http.Request) {
	if userFrom(r).Role == pathway.RoleCommissioner {
		h.councilTenders(w, r)
		return
	}
	h.founderTendersPage(w, r)
}

// tenderHome is /tenders/{id}: the council's staff see the council's
// page; anyone else the founders' page (tenders_founder.go).
func (h *Handler) tenderHome(w http.ResponseWriter, r *http.Request) {
	if userFrom(r).Role == pathway.RoleCommissioner {
		h.councilTenderPage(w, r)
		return
	}
	h.founderTenderPage(w, r)
}

// tenderStatusTag says a tender's status in words, with a tag colour.
func tenderStatusTag(code string) map[string]any {
	class := "blue"
	switch code {
	case tenders.StatusContracted, tenders.StatusContracting:
		class = "green"
	case tenders.StatusCancelled, tenders.StatusNoBids:
		class = "red"
	case tenders.StatusDraft:
		class = "grey"
	case tenders.StatusAward, tenders.StatusStandstill:
		class = "yellow"
	}
	return map[string]any{"Class": class, "Text": pathway.TermName(tenders.Statuses, code)}
}

// readUKTime reads a date typed as day, month, year (name-day …) and a
// time typed as "17:00" or "5pm" (name-time) as an instant in UK time;
// the message says what is wrong in the words of the question.
func readUKTime(get func(string) string, name, what string) (time.Time, string) {
	iso, msg := readDate(get, name).iso(what)
	if msg != "" {
		return time.Time{}, msg
	}
	hh, mm, ok := parseClock(get(name + "-time"))
	if !ok {
		return time.Time{}, "Enter the time of " + what + " like 17:00 or 5pm"
	}
	d, _ := time.Parse(time.DateOnly, iso)
	return time.Date(d.Year(), d.Month(), d.Day(), hh, mm, 0, 0, pathway.UKTime), ""
}

// parseClock reads "17:00", "9:30", "5pm", "5.30pm", "midday" or "12noon".
func parseClock(s string) (int, int, bool) {
	s = strings.ToLower(strings.ReplaceAll(strings.TrimSpace(s), " ", ""))
	switch s {
	case "midday", "noon", "12noon":
		return 12, 0, true
	case "midnight":
		return 0, 0, true
	case "":
		return 0, 0, false
	}
	pm, am := strings.HasSuffix(s, "pm"), strings.HasSuffix(s, "am")
	s = strings.TrimSuffix(strings.TrimSuffix(s, "pm"), "am")
	hs, ms, _ := strings.Cut(strings.ReplaceAll(s, ".", ":"), ":")
	h, err := strconv.Atoi(hs)
	if err != nil || len(hs) > 2 {
		return 0, 0, false
	}
	m := 0
	if ms != "" {
		if m, err = strconv.Atoi(ms); err != nil || len(ms) != 2 {
			return 0, 0, false
		}
	}
	if pm || am {
		if h < 1 || h > 12 {
			return 0, 0, false
		}
		if pm && h != 12 {
			h += 12
		} else if am && h == 12 {
			h = 0
		}
	}
	if h > 23 || m > 59 {
		return 0, 0, false
	}
	return h, m, true
}

// timeValues writes an instant as the form's date and time boxes.
func timeValues(f map[string][]string, name string, t time.Time) {
	if t.IsZero() {
		return
	}
	u := t.In(pathway.UKTime)
	f[name+"-day"] = []string{strconv.Itoa(u.Day())}
	f[name+"-month"] = []string{strconv.Itoa(int(u.Month()))}
	f[name+"-year"] = []string{strconv.Itoa(u.Year())}
	f[name+"-time"] = []string{u.Format("15:04")}
}

// dayValues writes a YYYY-MM-DD day as the form's date boxes.
func dayValues(f map[string][]string, name, day string) {
	d, err := time.Parse(time.DateOnly, day)
	if err != nil {
		return
	}
	f[name+"-day"] = []string{strconv.Itoa(d.Day())}
	f[name+"-month"] = []string{strconv.Itoa(int(d.Month()))}
	f[name+"-year"] = []string{strconv.Itoa(d.Year())}
}
