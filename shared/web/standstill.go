package web

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/workdays"
)

// handleStandstill answers GET /api/standstill?from=YYYY-MM-DD&days=8: the
// standstill period of days working days (8 when left out) beginning with
// the day the contract award notice is published, as the Procurement Act
// 2023 counts them (s.51, s.123), with the last day, the first day the
// contract may be entered into, and the days that did not count. It reads
// nothing stored, so anyone signed in may ask.
func (s *server) handleStandstill(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	res, err := workdays.StandstillOf(q.Get("from"), q.Get("days"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, res)
}
