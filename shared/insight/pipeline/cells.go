package pipeline

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/insight"
)

// Counter names of the agency's cells. Every co-op of a cell adds:
//
//	coops                       1
//	n:<stage>                   1 for the stage it is in now
//	r:<stage>                   1 for each stage it ever reached (the funnel)
//	x:<from>:<to>               1 for each step of the main road it made, having
//	                            reached both stages (conversion, exactly)
//	d:<stage>:<days>            1 for each stay it finished in the stage, by its whole days
//	w:agency, w:founders        1 when it has an open task for that owner
//	o:<owner>:<YYYY-MM-DD>      1 on the UK day its owner's earliest task falls due
//	                            (owner agency, founders, or any: the earlier of the two);
//	                            overdue is the sum of the days before today, so the
//	                            passing of time needs no write
//	funded, contracted          1 when a grant is awarded / a contract won
//	awarded, paid               grant pence; contracts, value: contracts won, pence
const (
	cCoops      = "coops"
	cFunded     = "funded"
	cAwarded    = "awarded"
	cPaid       = "paid"
	cContracted = "contracted"
	cContracts  = "contracts"
	cValue      = "value"
	preNow      = "n:"
	preReached  = "r:"
	preStep     = "x:"
	preDays     = "d:"
	preWaiting  = "w:"
	preDue      = "o:"
	ownerAny    = "any"
)

// mainRoad is the journey without its ends: the funnel's order.
var mainRoad = Stages[:8]

// cellKey writes the key of the cell of one filter, "*" for any value.
func cellKey(programme, area, service, origin, form, cohort string) string {
	var b strings.Builder
	for i, kv := range [...][2]string{{"p", programme}, {"a", area}, {"s", service}, {"o", origin}, {"l", form}, {"c", cohort}} {
		if i > 0 {
			b.WriteByte('|')
		}
		v := kv[1]
		if v == "" {
			v = insight.Wildcard
		}
		b.WriteString(kv[0] + "=" + v)
	}
	return b.String()
}

// FilterKey is the key of the one cell that holds a filter's figures.
func FilterKey(f Filter) string {
	return cellKey(f.Programme, f.Area, f.Service, f.Origin, f.LegalForm, f.Cohort)
}

// cellsOf lists the cells a co-op belongs to: each subset of its
// programme, area, origin, legal form and cohort (the rest any), for any
// service and for each of its services.
func cellsOf(f *Facts) []insight.Cell {
	dims := [5]string{f.Programme, f.Area, f.Origin, f.LegalForm, f.Cohort}
	services := append([]string{""}, f.Services...)
	out := make([]insight.Cell, 0, 32*len(services))
	for mask := range 32 {
		var v [5]string
		for i := range dims {
			if mask&(1<<i) != 0 {
				v[i] = dims[i]
			}
		}
		for _, svc := range services {
			out = append(out, insight.Cell{Scope: f.Agency, Key: cellKey(v[0], v[1], svc, v[2], v[3], v[4])})
		}
	}
	return out
}

// Contribute derives the co-op's counters from its facts alone (pure: the
// projector diffs the contribution of the applied facts and the new ones).
func (s *Source) Contribute(raw json.RawMessage) (insight.Contribution, error) {
	c := insight.Contribution{}
	if len(raw) == 0 || string(raw) == "null" {
		return c, nil
	}
	f, err := decode(raw)
	if err != nil {
		return nil, err
	}
	if f.Agency == "" {
		return c, nil
	}
	cells := cellsOf(f)
	for name, n := range counters(f) {
		c.AddAll(cells, name, n)
	}
	return c, nil
}

// counters are what the co-op adds to each of its cells.
func counters(f *Facts) insight.Counters {
	cs := insight.Counters{cCoops: 1, preNow + f.Stage: 1}
	for _, st := range f.Reached {
		cs[preReached+st]++
	}
	for i := 1; i < len(mainRoad); i++ {
		if has(f.Reached, mainRoad[i-1]) && has(f.Reached, mainRoad[i]) {
			cs[preStep+mainRoad[i-1]+":"+mainRoad[i]]++
		}
	}
	for _, sp := range f.Spells {
		cs[preDays+sp.Stage+":"+strconv.Itoa(sp.Days)]++
	}
	if f.WaitsOnAgency {
		cs[preWaiting+OwnerAgency]++
	}
	if f.WaitsOnFounders {
		cs[preWaiting+OwnerFounders]++
	}
	any := ""
	for _, d := range [...][2]string{{OwnerAgency, f.AgencyDue}, {OwnerFounders, f.FoundersDue}} {
		if d[1] != "" {
			cs[preDue+d[0]+":"+d[1]]++
			if any == "" || d[1] < any {
				any = d[1]
			}
		}
	}
	if any != "" {
		cs[preDue+ownerAny+":"+any]++
	}
	if f.GrantsAwarded > 0 {
		cs[cFunded], cs[cAwarded] = 1, f.GrantsAwarded
	}
	cs[cPaid] += f.GrantsPaid
	if f.Contracts > 0 {
		cs[cContracted], cs[cContracts], cs[cValue] = 1, f.Contracts, f.ContractValue
	}
	for k, v := range cs {
		if v == 0 {
			delete(cs, k)
		}
	}
	return cs
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
