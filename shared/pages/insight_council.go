package pages

// The council dashboard: the market the council shapes, read from the
// insight aggregates (shared/insight/market) in a fixed number of reads.
// Every chart is server-rendered SVG with its data table beside it, so
// the page needs no JavaScript and reads at 320 px, in print and with a
// screen reader (which reads the tables).

import (
	"html/template"
	"net/http"

	"github.com/coopcarepathway/pathway/shared/insight/market"
	"github.com/coopcarepathway/pathway/shared/insight/svgchart"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// councilInsightPath is the dashboard of the signed-in council staff's
// own council.
const councilInsightPath = "/insight/council"

// chartView is one chart and the table beside it.
type chartView struct {
	SVG   template.HTML
	Table svgchart.Table
}

// councilInsightData is what the dashboard shows.
type councilInsightData struct {
	Report *market.Report
	Status chartView
	Bids   chartView
	Money  chartView
	// Page is the cursor of this page of the tenders table ("" first).
	Page string
}

// councilInsight shows the dashboard; ?page= pages the tenders table.
func (h *Handler) councilInsight(w http.ResponseWriter, r *http.Request) {
	u := userFrom(r)
	if h.market == nil {
		h.errorPage(w, r, nil, pathway.NotFound("page"))
		return
	}
	cursor := r.URL.Query().Get("page")
	rep, err := h.market.Report(r.Context(), u, u.Organisation, cursor)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	data := councilInsightData{Report: rep, Page: cursor,
		Status: chart(statusChart(rep)), Bids: chart(bidsChart(rep)), Money: chart(moneyChart(rep))}
	h.render(w, r, http.StatusOK, "insight-council", &page{Title: "Your council's care market", Nav: "insight", Data: data})
}

func chart(c svgchart.BarChart) chartView { return chartView{SVG: c.SVG(), Table: c.Table()} }

// statusChart counts the tenders in each status, every status listed.
func statusChart(rep *market.Report) svgchart.BarChart {
	c := svgchart.BarChart{ID: "tenders-by-status", Title: "Tenders by status",
		Desc:      "How many of your council's tenders are at each step, from draft to contract.",
		LabelHead: "Status", ValueHead: "Tenders"}
	for _, s := range rep.ByStatus {
		c.Bars = append(c.Bars, svgchart.Bar{Label: s.Name, Value: s.Count})
	}
	return c
}

// bidsChart splits the bids by kind of bidder; the sealed ones are a
// hatched bar of their own.
func bidsChart(rep *market.Report) svgchart.BarChart {
	b := rep.Bids
	return svgchart.BarChart{ID: "bids-by-kind", Title: "Bids by kind of bidder",
		Desc:      "Bids in for all your tenders: from co-ops, from other VCSE organisations, from others, and bids still sealed.",
		LabelHead: "Bidder", ValueHead: "Bids",
		Bars: []svgchart.Bar{
			{Label: "Co-ops", Value: b.Coops},
			{Label: "Other VCSE organisations", Value: b.OtherVCSE},
			{Label: "Other organisations", Value: b.Others},
			{Label: "Sealed until the deadline", Value: b.Sealed, Pattern: svgchart.Hatched},
		},
		Key: []svgchart.KeyEntry{{Pattern: svgchart.Hatched, Meaning: "Sealed: who bid is not known yet"}},
	}
}

// moneyChart splits the value of contracts entered into between co-ops
// and mutuals and everyone else.
func moneyChart(rep *market.Report) svgchart.BarChart {
	c := rep.Contracts
	return svgchart.BarChart{ID: "contract-value", Title: "Value of contracts entered into",
		Desc:      "The value of your council's contracts, including VAT: to co-ops and public service mutuals, and to others.",
		LabelHead: "Supplier", ValueHead: "Value",
		Bars: []svgchart.Bar{
			{Label: "Co-ops and public service mutuals", Value: c.CoopsAndMutual},
			{Label: "Other suppliers", Value: c.Value - c.CoopsAndMutual, Pattern: svgchart.Dotted},
		},
		Format: pathway.Pounds,
	}
}
