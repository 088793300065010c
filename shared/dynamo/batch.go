package dynamo

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/table"
)

// Bulk loads: BatchWriteItem takes at most 25 puts, and several requests
// in flight keep DynamoDB busy.
const (
	batchItems   = 25
	batchWorkers = 8
	// batchAttempts bounds the requests for one batch while DynamoDB
	// leaves some of its items unprocessed (throttling).
	batchAttempts = 20
)

// PutBatch stores items unconditionally, replacing any stored under their
// keys, with BatchWriteItem, 25 items a request from several requests at
// once, sending again what DynamoDB leaves unprocessed. It is no part of
// the port, as shared/embedded's PutBatch is not: it is not atomic (a
// failure may leave other items stored) and checks no condition. Tests
// and tools use it to load many items fast, in exactly the layout
// Transact writes. It refuses, before writing anything, an item
// table.CheckItem refuses and two items under one key. An observer sees
// each request as "BatchWriteItem".
func (t *Table) PutBatch(ctx context.Context, items []table.Item) error {
	if err := table.CheckBatch(items); err != nil {
		return err
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	jobs := make(chan []table.Item)
	errs := make(chan error, batchWorkers)
	var wg sync.WaitGroup
	for range batchWorkers {
		wg.Go(func() {
			for batch := range jobs {
				if err := t.putBatch(ctx, batch); err != nil {
					errs <- err
					cancel()
					for range jobs { // let the feeder finish
					}
					return
				}
			}
		})
	}
	for len(items) > 0 && ctx.Err() == nil {
		n := min(len(items), batchItems)
		jobs <- items[:n]
		items = items[n:]
	}
	close(jobs)
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return err
	}
	return ctx.Err()
}

// putBatch writes up to 25 items in one BatchWriteItem, and sends again
// those DynamoDB leaves unprocessed, after a growing pause.
func (t *Table) putBatch(ctx context.Context, items []table.Item) error {
	reqs := make([]types.WriteRequest, len(items))
	for i := range items {
		reqs[i] = types.WriteRequest{PutRequest: &types.PutRequest{Item: encode(&items[i])}}
	}
	pending := map[string][]types.WriteRequest{*t.name: reqs}
	for attempt := 0; len(pending[*t.name]) > 0; attempt++ {
		if attempt == batchAttempts {
			return fmt.Errorf("dynamo: batch write: %d items still unprocessed after %d requests", len(pending[*t.name]), attempt)
		}
		if attempt > 0 {
			if err := sleep(ctx, min(10*time.Millisecond<<attempt, time.Second)); err != nil {
				return err
			}
		}
		out, err := t.client.BatchWriteItem(ctx, &dynamodb.BatchWriteItemInput{
			RequestItems: pending, ReturnConsumedCapacity: t.capacityMode(),
		})
		if err != nil {
			return fmt.Errorf("dynamo: batch write: %w", err)
		}
		t.report("BatchWriteItem", true, 0, out.ConsumedCapacity...)
		pending = out.UnprocessedItems
	}
	return nil
}

// sleep waits for d or until ctx ends.
func sleep(ctx context.Context, d time.Duration) error {
	tm := time.NewTimer(d)
	defer tm.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-tm.C:
		return nil
	}
}
