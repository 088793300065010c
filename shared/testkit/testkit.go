// Package testkit holds the fixtures every test package shares: stores on
// both table engines, with or without index lag.
package testkit

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/dynamo/dynamotest"
	"github.com/coopcarepathway/pathway/shared/embedded"
	"github.com/coopcarepathway/pathway/shared/store"
)

// IndexLag is the lag of the lagged embedded table: long enough that a
// read of one's own write through an index misses it, short enough that
// polling for what others wrote costs little.
const IndexLag = 50 * time.Millisecond

// Table opens an empty embedded table in a temporary folder, without
// fsync, with index reads lagging writes by lag (0 for none). It is closed
// when the test ends.
func Table(tb testing.TB, lag time.Duration) *embedded.Table {
	tb.Helper()
	t, err := embedded.Open(filepath.Join(tb.TempDir(), "pathway.db"), embedded.Options{NoSync: true, IndexLag: lag})
	if err != nil {
		tb.Fatalf("open the embedded table: %v", err)
	}
	tb.Cleanup(func() { t.Close() })
	return t
}

// Store returns a store over a fresh embedded table without index lag.
func Store(tb testing.TB) *store.Store { return store.New(Table(tb, 0)) }

// LaggedStore returns a store over a fresh embedded table whose index reads
// lag by IndexLag, as DynamoDB's may.
func LaggedStore(tb testing.TB) *store.Store { return store.New(Table(tb, IndexLag)) }

// DynamoStore returns a store over a fresh table in DynamoDB Local. It
// skips the test when DynamoDB Local is not running, except in CI, where
// it fails it.
func DynamoStore(tb testing.TB) *store.Store {
	tb.Helper()
	client, name := dynamotest.New(tb)
	return store.New(dynamo.New(client, name))
}

// Open returns a store over a fresh embedded table and the table itself,
// for tests that also run the local engine on the table's file (DB) or
// close it under the store.
func Open(tb testing.TB, lag time.Duration) (*store.Store, *embedded.Table) {
	t := Table(tb, lag)
	return store.New(t), t
}
