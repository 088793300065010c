package pipeline

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// The benchmarks' agency, with benchProgrammes programmes.
const (
	benchAgency     = "ag-bench"
	benchProgrammes = 5
)

// Synthetic co-ops spread over few enough values that the cells stay a
// few tens of thousands whatever the number of co-ops (as a real agency's
// do: its councils, months and programmes are few).
var (
	benchAreas    = []string{"Leeds", "Bradford", "Wakefield", "Kirklees", "Calderdale", "York", "Sheffield", "Barnsley"}
	benchServices = []string{"home-care", "day-care", "supported-living"}
	benchOrigins  = []string{"new-start", "conversion", "spin-out"}
	benchForms    = []string{pathway.FormCooperativeSociety, pathway.FormCommunityBenefit, pathway.FormCommunityInterest}
)

// synthFacts makes co-op i's facts, the same for the same i, as a refresh
// at benchNow would have left them.
func synthFacts(i int) *Facts {
	r := rand.New(rand.NewPCG(uint64(i), 7))
	applied := benchNow.AddDate(0, -1-r.IntN(12), -r.IntN(28))
	stage := Stages[r.IntN(len(Stages))]
	f := &Facts{Agency: benchAgency, Row: Row{
		ID: fmt.Sprintf("coop-%07d", i), Name: fmt.Sprintf("Bench Care Co-op %07d", i),
		Programme: fmt.Sprintf("prog-%d", i%benchProgrammes), Area: benchAreas[r.IntN(len(benchAreas))],
		Services: []string{benchServices[r.IntN(len(benchServices))]}, Origin: benchOrigins[r.IntN(len(benchOrigins))],
		LegalForm: benchForms[r.IntN(len(benchForms))], AppliedAt: applied, Stage: stage,
		MembersByClass: map[string]int{"worker": 1 + r.IntN(9)},
	}}
	f.Cohort = cohortOf(applied)
	f.Reached = reached(nil, stage)
	entered := applied
	for _, st := range f.Reached {
		if st == stage {
			break
		}
		days := r.IntN(60)
		f.Spells = append(f.Spells, Spell{Stage: st, Days: days})
		entered = entered.AddDate(0, 0, days)
	}
	f.StageEnteredAt = entered
	if r.IntN(3) == 0 {
		f.WaitingOn, f.WaitsOnAgency = OwnerAgency, true
		f.AgencyDue = benchNow.AddDate(0, 0, r.IntN(40)-20).Format(dayLayout)
	}
	if r.IntN(3) == 0 {
		f.WaitsOnFounders = true
		if f.WaitingOn == "" {
			f.WaitingOn = OwnerFounders
		}
		f.FoundersDue = benchNow.AddDate(0, 0, r.IntN(40)-20).Format(dayLayout)
	}
	if stage == StageFunded || stage == StageTendering || stage == StageContracted {
		f.GrantsAwarded, f.GrantsPaid = int64(1+r.IntN(50))*100_000, int64(r.IntN(20))*100_000
	}
	if stage == StageContracted {
		f.Contracts, f.ContractValue = 1, int64(1+r.IntN(100))*1_000_000
	}
	return f
}

var benchNow = time.Date(2027, 3, 15, 12, 0, 0, 0, time.UTC)

func cohortOf(t time.Time) string { return t.In(pathway.UKTime).Format("2006-01") }

// bulkSeed writes n synthetic co-ops' facts items and their summed cells
// straight into the table, as the projector would have left them after a
// refresh of each (TestBulkSeedEqualsRefresh holds it to that): the
// benchmarks need 100,000 co-ops in seconds, not a refresh each.
func bulkSeed(tb testing.TB, tbl table.Table, src *Source, n int) {
	tb.Helper()
	ctx := context.Background()
	sum := insight.Contribution{}
	var writes []table.Write
	flush := func() {
		if len(writes) == 0 {
			return
		}
		if err := tbl.Transact(ctx, writes...); err != nil {
			tb.Fatal(err)
		}
		writes = writes[:0]
	}
	for i := range n {
		raw, err := json.Marshal(synthFacts(i)) // the facts as Next would return them
		if err != nil {
			tb.Fatal(err)
		}
		f := synthFacts(i)
		cs := counters(f) // what Contribute adds to each cell, without building its map
		for _, cell := range cellsOf(f) {
			for k, v := range cs {
				sum.Add(cell, k, v)
			}
		}
		body, _ := json.Marshal(map[string]json.RawMessage{"facts": raw})
		ix := src.Index(raw)
		writes = append(writes, table.Put(table.Item{PK: "INSIGHTFACT#coop#" + fmt.Sprintf("coop-%07d", i), SK: "FACT", Version: 1, Body: body,
			GSI1PK: ix.GSI1PK, GSI1SK: ix.GSI1SK, GSI2PK: ix.GSI2PK, GSI2SK: ix.GSI2SK}, table.Cond{}))
		if len(writes) == table.MaxWrites {
			flush()
		}
	}
	flush()
	for _, cell := range sum.Cells() {
		writes = append(writes, table.Put(table.Item{PK: "INSIGHTCELL#" + cell.Scope, SK: cell.Key, Counts: sum[cell]}, table.Cond{}))
		if len(writes) == table.MaxWrites {
			flush()
		}
	}
	flush()
}

// benchProgrammeList is the bench agency's programmes.
type benchProgrammeList struct{}

func (benchProgrammeList) ListProgrammes(context.Context) ([]*pathway.Programme, error) {
	out := make([]*pathway.Programme, benchProgrammes)
	for i := range out {
		out[i] = &pathway.Programme{ID: fmt.Sprintf("prog-%d", i), Name: fmt.Sprintf("Programme %d", i), Agency: benchAgency}
	}
	return out, nil
}

// readCounter wraps a table, counting the items its reads return (a Get
// that finds nothing counts one read, as DynamoDB charges it).
type readCounter struct {
	table.Table
	items atomic.Int64
}

func (c *readCounter) Get(ctx context.Context, pk, sk string) (*table.Item, error) {
	c.items.Add(1)
	return c.Table.Get(ctx, pk, sk)
}

func (c *readCounter) Query(ctx context.Context, q table.Query) (*table.Page, error) {
	p, err := c.Table.Query(ctx, q)
	if p != nil {
		c.items.Add(int64(max(len(p.Items), 1)))
	}
	return p, err
}

// synthTruth serves synthetic facts to a Source stand-in whose Next
// returns them, for the bulk-versus-refresh test.
type synthSource struct{ *Source }

func (s synthSource) Next(_ context.Context, id string, _ json.RawMessage, _ time.Time) (json.RawMessage, error) {
	var i int
	if _, err := fmt.Sscanf(id, "coop-%07d", &i); err != nil {
		return nil, err
	}
	return json.Marshal(synthFacts(i))
}

var benchStaff = &pathway.User{ID: "bench-staff", Name: "Bench Example", Role: pathway.RoleAgency, Organisation: benchAgency}
