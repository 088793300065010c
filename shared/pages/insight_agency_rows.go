package pages

import (
	"net/url"

	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// agencyRowsView is a page of the co-ops list as the template shows it.
type agencyRowsView struct {
	Rows []agencyRowView
	// Next and First are the addresses of the following page and of the
	// first, "" when there is none.
	Next, First string
}

// agencyRowView is one co-op of the list.
type agencyRowView struct {
	Link, Name, Programme, Area, Stage, Applied string
	DaysInStage                                 int
	// Waiting says who must act next, "" when nobody.
	Waiting string
	Overdue bool
	// Grants and Contracts are the money won, in pounds.
	Grants, Contracts string
}

// newAgencyRowsView builds a page of the list from the service's rows.
func newAgencyRowsView(page *pipeline.RowPage, f *agencyForm) *agencyRowsView {
	v := &agencyRowsView{Rows: []agencyRowView{}}
	for _, r := range page.Rows {
		v.Rows = append(v.Rows, agencyRowView{
			Link: "/coops/" + url.PathEscape(r.ID), Name: r.Name, Programme: f.programmeName(r.Programme), Area: r.Area,
			Stage: pipeline.StageName(r.Stage), Applied: pathway.FormatDate(r.AppliedAt), DaysInStage: r.DaysInStage,
			Waiting: agencyWaitingWords(r.WaitingOn), Overdue: r.Overdue,
			Grants: pathway.Pounds(r.GrantsAwarded), Contracts: pathway.Pounds(r.ContractValue),
		})
	}
	if page.Next != "" {
		v.Next = agencyCoopsPath + f.query(url.Values{"cursor": {page.Next}})
	}
	return v
}

// agencyWaitingWords says who a co-op waits on, "" for nobody.
func agencyWaitingWords(owner string) string {
	switch owner {
	case pipeline.OwnerAgency:
		return "The agency"
	case pipeline.OwnerFounders:
		return "The founders"
	case "":
		return ""
	}
	return readable(owner)
}
