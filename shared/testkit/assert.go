package testkit

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/dynamo/dynamotest"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// Must fails the test at once on an error.
func Must(tb testing.TB, err error) {
	tb.Helper()
	if err != nil {
		tb.Fatal(err)
	}
}

// WantCode fails the test at once unless err has the application error
// code (pathway.ErrorCode).
func WantCode(tb testing.TB, err error, code string) {
	tb.Helper()
	if pathway.ErrorCode(err) != code {
		tb.Fatalf("error = %v, want code %s", err, code)
	}
}

// Eventually retries read until it reports true, for index reads that
// may lag writes; it fails the test after two seconds.
func Eventually(tb testing.TB, what string, read func() bool) {
	tb.Helper()
	for end := time.Now().Add(2 * time.Second); ; {
		if read() {
			return
		}
		if time.Now().After(end) {
			tb.Fatalf("%s: never came true", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// The table engines a repository's contract suite runs on, as the suite's
// open function: the embedded bbolt table, the same with index reads
// lagging writes (as DynamoDB's may), and DynamoDB Local.
var (
	EmbeddedTable = func(t *testing.T) table.Table { return Table(t, 0) }
	LaggedTable   = func(t *testing.T) table.Table { return Table(t, IndexLag) }
	DynamoTable   = func(t *testing.T) table.Table {
		client, name := dynamotest.New(t)
		return dynamo.New(client, name)
	}
)
