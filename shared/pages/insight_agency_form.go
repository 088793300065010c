package pages

import (
	"net/http"
	"time"
	"unicode/utf8"

	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/insight/stats"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// agencyForm is the filter form of the insight pages, read from the
// address: the filter it asks for, the controls that show it, and what is
// wrong with it.
type agencyForm struct {
	Filter pipeline.Filter
	// Search and Sort are the list's name search and order.
	Search, Sort string
	// Fields are the form's controls by name.
	Fields map[string]field
	// Authorities are the council areas the area control suggests.
	Authorities []string
	// Filtered reports that any filter is set.
	Filtered bool
	Errors   formErrors
	// programmes names the agency's programmes by ID.
	programmes map[string]string
}

// programmeName returns the name of one of the agency's programmes.
func (f *agencyForm) programmeName(id string) string {
	if n, ok := f.programmes[id]; ok {
		return n
	}
	return id
}

// agencySorts are the list's orders, as the service names them, besides
// its default ("": by programme, then by name from A to Z).
var agencySorts = []option{
	{Value: pipeline.SortProgrammeDesc, Label: "Programme, Z to A, then name"},
	{Value: pipeline.SortName, Label: "Name, A to Z"},
	{Value: pipeline.SortNameDesc, Label: "Name, Z to A"},
}

// agencyCohortMonths is how many months back the cohort chooser offers.
const agencyCohortMonths = 24

// agencyForm reads and checks the filter in the address, and the search
// and sort when it is the list's. It writes the error page and returns
// false when the agency's programmes cannot be read (the caller is no
// agency staff, say).
func (h *Handler) agencyForm(w http.ResponseWriter, r *http.Request, list bool) (*agencyForm, bool) {
	progs, err := h.journey.AgencyProgrammes(r.Context(), userFrom(r))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return nil, false
	}
	f := &agencyForm{programmes: map[string]string{}, Authorities: pathway.EnglishLocalAuthorities()}
	var progOptions []option
	for _, p := range progs {
		f.programmes[p.ID] = p.Name
		progOptions = append(progOptions, option{Value: p.ID, Label: p.Name})
	}
	msgs := map[string]string{}
	f.Filter = pipeline.Filter{
		Programme: agencyQueryValue(r, "programme"), Area: agencyQueryValue(r, "area"), Service: agencyQueryValue(r, "service"),
		Origin: agencyQueryValue(r, "origin"), LegalForm: agencyQueryValue(r, "legalForm"), Cohort: agencyQueryValue(r, "cohort"),
	}
	if list {
		f.Search, f.Sort = agencyQueryValue(r, "q"), agencyQueryValue(r, "sort")
	}
	f.check(msgs)
	f.Filtered = f.Filter != pipeline.Filter{}
	months := agencyCohortOptions(h.now(), f.Filter.Cohort)
	f.Fields = map[string]field{
		"programme": {ID: "programme", Name: "programme", Label: "Programme", Options: progOptions, Value: f.Filter.Programme, Err: msgs["programme"]},
		"area": {ID: "area", Name: "area", Label: "Council area", Value: f.Filter.Area, Err: msgs["area"],
			Hint: "The council (local authority) the co-op will serve first, for example Kirklees. Leave empty for every area."},
		"service":   {ID: "service", Name: "service", Label: "Service", Options: serviceOptions(), Value: f.Filter.Service, Err: msgs["service"]},
		"origin":    {ID: "origin", Name: "origin", Label: "How the co-op came about", Options: origins, Value: f.Filter.Origin, Err: msgs["origin"]},
		"legalForm": {ID: "legalForm", Name: "legalForm", Label: "Legal form", Options: legalForms, Value: f.Filter.LegalForm, Err: msgs["legalForm"]},
		"cohort": {ID: "cohort", Name: "cohort", Label: "Month of application (cohort)", Options: months, Value: f.Filter.Cohort, Err: msgs["cohort"],
			Hint: "A cohort is the co-ops that applied in the same month. Choose one to follow it along the journey."},
		"q": {ID: "q", Name: "q", Label: "Co-op name starts with", Value: f.Search, Err: msgs["q"],
			Hint: "The first letters of the name, in any case, for example calder"},
		"sort": {ID: "sort", Name: "sort", Label: "Sort by", Options: agencySorts, Value: f.Sort, Err: msgs["sort"]},
	}
	if len(msgs) > 0 {
		f.Errors = newErrors(msgs, agencyFieldOrder, agencyFieldIDs)
	}
	return f, true
}

// check puts what is wrong with each field in msgs, and turns a council
// area as typed into its canonical name.
func (f *agencyForm) check(msgs map[string]string) {
	fl := &f.Filter
	if fl.Programme != "" {
		if _, ok := f.programmes[fl.Programme]; !ok {
			msgs["programme"] = "Choose one of your organisation's programmes"
		}
	}
	if fl.Area != "" {
		if name, ok := pathway.EnglishLocalAuthority(fl.Area); ok {
			fl.Area = name
		} else {
			msgs["area"] = "Enter a council in England, for example Kirklees, or leave it empty"
		}
	}
	if fl.Service != "" && !pathway.IsCareService(fl.Service) {
		msgs["service"] = "Choose a service from the list"
	}
	if _, ok := pathway.TermOf(pathway.Origins, fl.Origin); fl.Origin != "" && !ok {
		msgs["origin"] = "Choose how the co-op came about from the list"
	}
	if _, ok := pathway.TermOf(pathway.LegalForms, fl.LegalForm); fl.LegalForm != "" && !ok {
		msgs["legalForm"] = "Choose a legal form from the list"
	}
	if fl.Cohort != "" {
		if _, _, err := stats.CohortMonth(fl.Cohort, "cohort"); err != nil {
			msgs["cohort"] = pathway.ErrorFields(err)["cohort"]
		}
	}
	if utf8.RuneCountInString(f.Search) > agencySearchLimit {
		msgs["q"] = "Enter at most 100 characters of the co-op's name"
	}
	if f.Sort != "" && !agencyIsOption(agencySorts, f.Sort) {
		msgs["sort"] = "Choose an order from the list"
	}
}

// agencyCohortOptions are the months of application the chooser offers: this
// month and the agencyCohortMonths-1 before it, newest first, as "June 2027";
// a month chosen outside them is added, so the form still shows it.
func agencyCohortOptions(now time.Time, chosen string) []option {
	uk := now.In(pathway.UKTime)
	first := time.Date(uk.Year(), uk.Month(), 1, 12, 0, 0, 0, pathway.UKTime)
	var out []option
	seen := false
	for i := 0; i < agencyCohortMonths; i++ {
		m := first.AddDate(0, -i, 0)
		v := stats.Cohort(m)
		seen = seen || v == chosen
		out = append(out, option{Value: v, Label: m.Format("January 2006")})
	}
	if !seen && chosen != "" {
		if from, _, err := stats.CohortMonth(chosen, "cohort"); err == nil {
			out = append(out, option{Value: chosen, Label: from.Format("January 2006")})
		}
	}
	return out
}

// agencyCohortName says a cohort month in words: "2027-06" is "June 2027".
func agencyCohortName(cohort string) string {
	from, _, err := stats.CohortMonth(cohort, "cohort")
	if err != nil {
		return cohort
	}
	return from.Format("January 2006")
}

// agencyIsOption reports whether v is the value of one of opts.
func agencyIsOption(opts []option, v string) bool {
	for _, o := range opts {
		if o.Value == v {
			return true
		}
	}
	return false
}
