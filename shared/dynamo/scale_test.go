package dynamo

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/dynamo/dynamotest"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The measured pipeline column; every other co-op is in another programme
// or another stage.
const (
	measuredProgramme = "prog-measured"
	measuredStage     = pathway.StageAwaitingPanel
)

// seedClock is the seed's time origin.
var seedClock = time.Date(2024, time.June, 1, 8, 0, 0, 0, time.UTC)

// seedCoop returns the i-th seeded co-op: one in a hundred (at least 100
// in all, four pages' worth) in the measured column, the rest spread over
// 20 programmes and every stage.
func seedCoop(i, n int) *pathway.Coop {
	c := &pathway.Coop{
		ID:             fmt.Sprintf("coop-seed-%07d", i),
		Name:           fmt.Sprintf("Seeded Care Co-op %d", i),
		LegalForm:      pathway.FormCooperativeSociety,
		Origin:         "new-start",
		LocalAuthority: "Westmoor",
		Services:       []string{"home-care", "carers-services"},
		Members: []pathway.Member{
			{Name: "Invented Director", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
			{Name: "Invented Member", Class: pathway.ClassFamilyCarer, Role: pathway.MemberOrdinary},
		},
		Founders:       []string{fmt.Sprintf("user-seed-%d", i)},
		StageEnteredAt: seedClock.Add(time.Duration(i) * time.Second),
		Version:        1,
	}
	c.CreatedAt, c.UpdatedAt = c.StageEnteredAt, c.StageEnteredAt
	if measured := max(100, n/100); i < measured {
		c.Programme, c.Stage = measuredProgramme, measuredStage
	} else {
		c.Programme = fmt.Sprintf("prog-other-%02d", i%20)
		c.Stage = pathway.Stages[i%len(pathway.Stages)]
	}
	return c
}

// seed writes n co-op items, exactly as the adapter lays them out, with
// BatchWriteItem from several workers (a test shortcut: the adapter itself
// writes co-ops only in transactions).
func seed(tb testing.TB, client *dynamodb.Client, table string, n int) {
	tb.Helper()
	const batch, workers = 25, 8
	ctx := context.Background()
	jobs := make(chan int)
	errs := make(chan error, workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for start := range jobs {
				if err := seedBatch(ctx, client, table, start, min(start+batch, n), n); err != nil {
					errs <- err
					for range jobs { // drain so the feeder finishes
					}
					return
				}
			}
		})
	}
	for start := 0; start < n; start += batch {
		jobs <- start
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		tb.Fatalf("seed: %v", err)
	}
}

// seedBatch writes co-ops [from, to) in one BatchWriteItem, retrying the
// items the service leaves unprocessed.
func seedBatch(ctx context.Context, client *dynamodb.Client, table string, from, to, n int) error {
	reqs := make([]types.WriteRequest, 0, to-from)
	for i := from; i < to; i++ {
		item, err := coopItem(seedCoop(i, n))
		if err != nil {
			return err
		}
		reqs = append(reqs, types.WriteRequest{PutRequest: &types.PutRequest{Item: item}})
	}
	pending := map[string][]types.WriteRequest{table: reqs}
	for attempt := 0; len(pending[table]) > 0; attempt++ {
		if attempt == 10 {
			return fmt.Errorf("%d items still unprocessed after 10 attempts", len(pending[table]))
		}
		out, err := client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{RequestItems: pending})
		if err != nil {
			return err
		}
		pending = out.UnprocessedItems
	}
	return nil
}

// pageCost is what DynamoDB reported for reading one pipeline page.
type pageCost struct {
	capacity float64 // read capacity units, table and index together
	scanned  int32   // items the service read
	returned int     // co-ops on the page
}

// observedStore returns a Store that sums what the service reports for
// every Query into *cost.
func observedStore(client *dynamodb.Client, table string, cost *pageCost) *Store {
	s := New(client, table)
	s.observe = func(o observation) {
		if o.capacity != nil {
			cost.capacity += aws.ToFloat64(o.capacity.CapacityUnits)
		}
		cost.scanned += o.scanned
	}
	return s
}

// measurePages reads the first three 25-co-op pages of the measured column
// and returns the cost of each, checking the pages are full and in order.
func measurePages(tb testing.TB, client *dynamodb.Client, table string) []pageCost {
	tb.Helper()
	var costs []pageCost
	cursor := ""
	var last *pathway.Coop
	for page := range 3 {
		var cost pageCost
		s := observedStore(client, table, &cost)
		p, err := s.ListCoops(context.Background(), pathway.CoopFilter{
			Programme: measuredProgramme, Stage: measuredStage, Cursor: cursor, Limit: pathway.DefaultPageSize,
		})
		if err != nil {
			tb.Fatalf("ListCoops page %d: %v", page, err)
		}
		if len(p.Coops) != pathway.DefaultPageSize || p.Next == "" {
			tb.Fatalf("page %d holds %d co-ops (next %q); the seed has more", page, len(p.Coops), p.Next)
		}
		for _, c := range p.Coops {
			if c.Programme != measuredProgramme || c.Stage != measuredStage {
				tb.Fatalf("page %d lists %s of %s/%s", page, c.ID, c.Programme, c.Stage)
			}
			if last != nil && !c.StageEnteredAt.Before(last.StageEnteredAt) {
				tb.Fatalf("page %d: %s is not older than %s", page, c.ID, last.ID)
			}
			last = c
		}
		cost.returned = len(p.Coops)
		costs = append(costs, cost)
		cursor = p.Next
	}
	return costs
}

// columnCost returns the read capacity of reading the whole measured
// column, which the seed makes ten times longer at 100,000 co-ops than at
// 1,000. The test uses it as a control: it shows the capacity DynamoDB
// reports grows with what a request reads, so a flat page cost means the
// page read no more. (A Scan would show the same, but takes minutes here.)
func columnCost(tb testing.TB, client *dynamodb.Client, table string) float64 {
	tb.Helper()
	in := &dynamodb.QueryInput{
		TableName:                 aws.String(table),
		IndexName:                 aws.String(indexGSI1),
		KeyConditionExpression:    aws.String("GSI1PK = :pk"),
		ExpressionAttributeValues: map[string]types.AttributeValue{":pk": str(pipelinePK(measuredProgramme, measuredStage))},
		ReturnConsumedCapacity:    types.ReturnConsumedCapacityTotal,
	}
	total := 0.0
	for {
		out, err := client.Query(context.Background(), in)
		if err != nil {
			tb.Fatalf("Query: %v", err)
		}
		total += aws.ToFloat64(out.ConsumedCapacity.CapacityUnits)
		if len(out.LastEvaluatedKey) == 0 {
			return total
		}
		in.ExclusiveStartKey = out.LastEvaluatedKey
	}
}

// scaleSizes returns the small and large seeds the test compares.
// Seeding 100,000 co-ops takes about 20 s in DynamoDB Local on two cores;
// PATHWAY_SCALE_LARGE sets another large size.
func scaleSizes(tb testing.TB) (int, int) {
	large := 100_000
	if v := os.Getenv("PATHWAY_SCALE_LARGE"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1000 {
			tb.Fatalf("PATHWAY_SCALE_LARGE=%q: want a number of at least 1000", v)
		}
		large = n
	}
	return 1_000, large
}

// TestPipelinePageDoesNotScan proves, with the capacity DynamoDB reports,
// that a pipeline page costs the same however many co-ops the table holds:
// the page query reads its own column's index partition and nothing else.
func TestPipelinePageDoesNotScan(t *testing.T) {
	if testing.Short() {
		t.Skip("seeds thousands of co-ops")
	}
	small, large := scaleSizes(t)
	costs, columns := map[int][]pageCost{}, map[int]float64{}
	for _, n := range []int{small, large} {
		client, table := dynamotest.New(t)
		start := time.Now()
		seed(t, client, table, n)
		t.Logf("seeded %d co-ops in %v", n, time.Since(start).Round(time.Millisecond))
		costs[n] = measurePages(t, client, table)
		columns[n] = columnCost(t, client, table)
		t.Logf("%7d co-ops: reading the whole column (%d co-ops) costs %.1f read capacity units", n, max(100, n/100), columns[n])
		for i, c := range costs[n] {
			t.Logf("%7d co-ops, page %d: %.1f read capacity units, %d items read, %d returned", n, i, c.capacity, c.scanned, c.returned)
			// Reading one item past the page is how the adapter knows
			// whether a next page exists; nothing else may be read.
			if c.scanned > pathway.DefaultPageSize+1 {
				t.Errorf("%d co-ops, page %d read %d items for a page of %d", n, i, c.scanned, pathway.DefaultPageSize)
			}
			if c.capacity <= 0 {
				t.Fatalf("%d co-ops, page %d: the service reported no consumed capacity", n, i)
			}
		}
	}
	if columns[large] <= 1.5*columns[small] {
		t.Fatalf("control failed: the whole column costs %.1f RCU at %d co-ops and %.1f at %d; the reported capacity does not track what is read",
			columns[small], small, columns[large], large)
	}
	for i := range costs[small] {
		a, b := costs[small][i], costs[large][i]
		if b.capacity > 1.5*a.capacity {
			t.Errorf("page %d costs %.1f RCU at %d co-ops but %.1f at %d: more than 1.5x, so the query grows with the table",
				i, a.capacity, small, b.capacity, large)
		}
	}
}

// BenchmarkListCoopsPage reads the first pipeline page at 1,000 and at
// 100,000 co-ops (seeded once per size, outside the timer) and reports the
// read capacity and items read per page next to the time.
func BenchmarkListCoopsPage(b *testing.B) {
	for _, n := range []int{1_000, 100_000} {
		b.Run(fmt.Sprintf("coops=%d", n), func(b *testing.B) {
			client, table := dynamotest.New(b)
			start := time.Now()
			seed(b, client, table, n)
			b.Logf("seeded %d co-ops in %v", n, time.Since(start).Round(time.Millisecond))
			var cost pageCost
			s := observedStore(client, table, &cost)
			f := pathway.CoopFilter{Programme: measuredProgramme, Stage: measuredStage}
			for b.Loop() {
				if _, err := s.ListCoops(context.Background(), f); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(cost.capacity/float64(b.N), "RCU/op")
			b.ReportMetric(float64(cost.scanned)/float64(b.N), "items-read/op")
		})
	}
}
