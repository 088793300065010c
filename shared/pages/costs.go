package pages

import (
	"context"
	"net/http"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost/costreport"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// costsPath is the agency's page of its co-ops' costs by month.
const costsPath = "/insight/costs"

// journeyCost is the "Cost of this journey" section of a co-op's page.
type journeyCost struct {
	*costreport.JourneyCost
	// PricesDate is the prices' date in words.
	PricesDate string
}

// coopCost is the cost of the co-op's journey for its agency's staff, or
// nil: founders are not shown it, and without a cost service there is
// none. Working it out reads every execution's history; should that fail,
// the page is still worth showing, so the failure is logged and the
// section left out.
func (h *Handler) coopCost(ctx context.Context, u *pathway.User, id string) *journeyCost {
	if h.costs == nil || u.Role != pathway.RoleAgency {
		return nil
	}
	j, err := h.costs.Coop(ctx, u, id)
	if err != nil {
		h.log.ErrorContext(ctx, "cost of a journey", "coop", id, "err", err)
		return nil
	}
	return &journeyCost{JourneyCost: j, PricesDate: pricesDate(j.PricesTaken)}
}

// pricesDate writes a YYYY-MM-DD date as people read it.
func pricesDate(d string) string {
	t, err := time.ParseInLocation(time.DateOnly, d, pathway.UKTime)
	if err != nil {
		return d
	}
	return pathway.FormatDate(t)
}

// monthName writes "YYYY-MM" as "November 2026".
func monthName(m string) string {
	t, err := time.Parse("2006-01", m)
	if err != nil {
		return m
	}
	return t.Format("January 2006")
}

// costMonth is one row of the agency's costs page.
type costMonth struct {
	Name string
	costreport.MonthCost
}

// insightCostsPage lists the agency's metered usage and its cost by month.
func (h *Handler) insightCostsPage(w http.ResponseWriter, r *http.Request) {
	if h.costs == nil {
		h.NotFound(w, r)
		return
	}
	m, err := h.costs.AgencyMonths(r.Context(), userFrom(r))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	rows := make([]costMonth, 0, len(m.Months))
	for i := len(m.Months) - 1; i >= 0; i-- { // the latest month first
		rows = append(rows, costMonth{Name: monthName(m.Months[i].Month), MonthCost: m.Months[i]})
	}
	h.render(w, r, http.StatusOK, "insight-costs", &page{Title: "What your co-ops' journeys cost", Nav: "board", Back: "/board",
		Data: map[string]any{"Months": rows, "PricesDate": pricesDate(m.PricesTaken), "NotCounted": m.NotCounted}})
}
