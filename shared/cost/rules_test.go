package cost_test

import (
	"math/big"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
)

const kb = 1024

func TestGetReadHalfUnits(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
		c    cost.Read
		want int64 // half units
	}{
		{"strong 1 byte is one unit", 1, cost.Strong, 2},
		{"strong exactly 4 KB is one unit", 4 * kb, cost.Strong, 2},
		{"strong 4 KB + 1 byte is two units", 4*kb + 1, cost.Strong, 4},
		{"strong 3,500 bytes rounds up to 4 KB", 3500, cost.Strong, 2},
		{"strong 10 KB rounds up to 12 KB: three units", 10 * kb, cost.Strong, 6},
		{"eventual 4 KB is half a unit", 4 * kb, cost.Eventual, 1},
		{"eventual 8 KB is one unit", 8 * kb, cost.Eventual, 2},
		{"transactional 4 KB is two units", 4 * kb, cost.Transactional, 4},
		{"transactional 8 KB is four units", 8 * kb, cost.Transactional, 8},
		{"missing item still costs the minimum", 0, cost.Strong, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cost.GetReadHalfUnits(tc.size, tc.c); got != tc.want {
				t.Errorf("GetReadHalfUnits(%d, %v) = %d half units, want %d", tc.size, tc.c, got, tc.want)
			}
		})
	}
}

func TestQueryAndBatchGetReadHalfUnits(t *testing.T) {
	for _, tc := range []struct {
		name       string
		sizes      []int
		c          cost.Read
		query, bat int64 // half units
	}{
		// The guide's BatchGetItem example: 1.5 KB and 6.5 KB are 4 + 8 =
		// 12 KB item by item, but a Query sums them to 8 KB.
		{"guide example strong", []int{1536, 6656}, cost.Strong, 4, 6},
		{"ten 100-byte items: one block for a Query, ten for a batch", []int{100, 100, 100, 100, 100, 100, 100, 100, 100, 100}, cost.Strong, 2, 20},
		{"eventual query of 5 KB in two items", []int{2 * kb, 3 * kb}, cost.Eventual, 2, 2},
		{"empty page is the minimum", nil, cost.Eventual, 1, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cost.QueryReadHalfUnits(tc.sizes, tc.c); got != tc.query {
				t.Errorf("QueryReadHalfUnits = %d, want %d", got, tc.query)
			}
			if got := cost.BatchGetReadHalfUnits(tc.sizes, tc.c); got != tc.bat {
				t.Errorf("BatchGetReadHalfUnits = %d, want %d", got, tc.bat)
			}
		})
	}
}

func TestPutWriteUnits(t *testing.T) {
	for _, tc := range []struct {
		name string
		size int
		tx   bool
		want int64
	}{
		{"500 bytes is one unit", 500, false, 1},
		{"exactly 1 KB is one unit", kb, false, 1},
		{"1 KB + 1 byte is two units", kb + 1, false, 2},
		{"3 KB is three units", 3 * kb, false, 3},
		{"transactional 1 KB is two units", kb, true, 2},
		{"transactional 3 KB is six units (guide example)", 3 * kb, true, 6},
		{"delete of a missing item still costs one", 0, false, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cost.PutWriteUnits(tc.size, tc.tx); got != tc.want {
				t.Errorf("PutWriteUnits(%d, %v) = %d, want %d", tc.size, tc.tx, got, tc.want)
			}
		})
	}
}

func TestIndexWriteUnits(t *testing.T) {
	for _, tc := range []struct {
		name string
		w    cost.IndexWrite
		tx   bool
		want int64
	}{
		{"item not in the index before or after", cost.IndexWrite{}, false, 0},
		{"new item defines the index key: one put", cost.IndexWrite{After: 300}, false, 1},
		{"update defines a key the item lacked: one put of 1.5 KB", cost.IndexWrite{After: 1536}, false, 2},
		{"item deleted from the index: one delete", cost.IndexWrite{Before: 300}, false, 1},
		{"stage changes (an index key): delete old and put new", cost.IndexWrite{Before: 300, After: 300, KeyChanged: true}, false, 2},
		{"key change of a 2 KB entry: 2 + 2", cost.IndexWrite{Before: 2 * kb, After: 2 * kb, KeyChanged: true}, false, 4},
		{"projected attribute only: one write of the larger", cost.IndexWrite{Before: 900, After: 1100, ProjectedChanged: true}, false, 2},
		{"update touching nothing the index holds", cost.IndexWrite{Before: 300, After: 300}, false, 0},
		{"key change in a transaction is doubled", cost.IndexWrite{Before: 300, After: 300, KeyChanged: true}, true, 4},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cost.IndexWriteUnits(tc.w, tc.tx); got != tc.want {
				t.Errorf("IndexWriteUnits(%+v, %v) = %d, want %d", tc.w, tc.tx, got, tc.want)
			}
		})
	}
}

func TestLambdaInvocation(t *testing.T) {
	for _, tc := range []struct {
		name string
		mem  int
		d    time.Duration
		mbms int64
	}{
		{"128 MB × 50 ms", 128, 50 * time.Millisecond, 6400},
		{"50.0001 ms is billed as 51", 128, 50*time.Millisecond + 100*time.Nanosecond, 128 * 51},
		{"under a millisecond is billed as one", 1024, 200 * time.Microsecond, 1024},
		{"zero is billed as one", 128, 0, 128},
		{"1,769 MB × 1.5 s", 1769, 1500 * time.Millisecond, 1769 * 1500},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := cost.LambdaInvocation(tc.mem, tc.d)
			if u.LambdaRequests != 1 || u.LambdaMBms != tc.mbms {
				t.Errorf("LambdaInvocation(%d, %v) = %d requests, %d MB-ms; want 1, %d", tc.mem, tc.d, u.LambdaRequests, u.LambdaMBms, tc.mbms)
			}
		})
	}
	// 128 MB for 1 ms is 0.125 GB × 0.001 s, exactly.
	if got := cost.LambdaInvocation(128, time.Millisecond).LambdaGBSeconds().FloatString(6); got != "0.000125" {
		t.Errorf("GB-seconds of 128 MB × 1 ms = %s, want 0.000125", got)
	}
}

func TestTransitions(t *testing.T) {
	// The local engine's conformance history (infra/local/states
	// TestHistoryEventTypes): Pass, Lambda task, SDK task, Choice, Wait,
	// Succeed — six states entered, no retries.
	straight := cost.EventTypes("ExecutionStarted", "PassStateEntered", "PassStateExited",
		"TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
		"TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded", "TaskStateExited",
		"ChoiceStateEntered", "ChoiceStateExited", "WaitStateEntered", "WaitStateExited",
		"SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded")
	// retries are the cases' transitions that are retries (the rest are 0).
	retries := map[string]int64{
		"a task retried twice is three transitions":                 2,
		"Parallel of two branches, one retry of the whole Parallel": 1,
	}

	for _, tc := range []struct {
		name string
		ev   []cost.Event
		want int64
	}{
		{"empty history", nil, 0},
		{"six states entered", straight, 6},
		{"a task retried twice is three transitions", cost.EventTypes("ExecutionStarted",
			"TaskStateEntered", "LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed",
			"LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionFailed",
			"LambdaFunctionScheduled", "LambdaFunctionStarted", "LambdaFunctionSucceeded", "TaskStateExited",
			"ExecutionSucceeded"), 3},
		{"a failed task caught to a Fail state", cost.EventTypes("ExecutionStarted",
			"TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskFailed", "TaskStateExited",
			"FailStateEntered", "ExecutionFailed"), 2},
		{"a Wait state counts once however long", cost.EventTypes("ExecutionStarted",
			"WaitStateEntered", "WaitStateExited", "SucceedStateEntered", "SucceedStateExited", "ExecutionSucceeded"), 2},
		{"inline Map of three items, one Task each: Map + 3 tasks", cost.EventTypes("ExecutionStarted",
			"MapStateEntered", "MapStateStarted",
			"MapIterationStarted", "TaskStateEntered", "TaskScheduled", "TaskSucceeded", "TaskStateExited", "MapIterationSucceeded",
			"MapIterationStarted", "TaskStateEntered", "TaskScheduled", "TaskSucceeded", "TaskStateExited", "MapIterationSucceeded",
			"MapIterationStarted", "TaskStateEntered", "TaskScheduled", "TaskSucceeded", "TaskStateExited", "MapIterationSucceeded",
			"MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"), 4},
		{"Parallel of two branches, one retry of the whole Parallel", cost.EventTypes("ExecutionStarted",
			"ParallelStateEntered", "ParallelStateStarted",
			"PassStateEntered", "PassStateExited", "TaskStateEntered", "TaskScheduled", "TaskFailed", "TaskStateExited",
			"ParallelStateFailed", "ParallelStateStarted",
			"PassStateEntered", "PassStateExited", "TaskStateEntered", "TaskScheduled", "TaskSucceeded", "TaskStateExited",
			"ParallelStateSucceeded", "ParallelStateExited", "ExecutionSucceeded"), 6},
		{"a task that fails before scheduling is one, not minus one", cost.EventTypes("ExecutionStarted",
			"TaskStateEntered", "TaskStateEntered", "TaskScheduled", "TaskSucceeded", "TaskStateExited"), 2},
		{"a redrive and the state it reruns", cost.EventTypes("ExecutionStarted",
			"TaskStateEntered", "TaskScheduled", "TaskFailed", "ExecutionFailed",
			"ExecutionRedriven", "TaskStateEntered", "TaskScheduled", "TaskSucceeded", "TaskStateExited", "ExecutionSucceeded"), 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := cost.Transitions(tc.ev); got != tc.want {
				t.Errorf("Transitions = %d, want %d", got, tc.want)
			}
			if got := cost.Retries(tc.ev); got != retries[tc.name] {
				t.Errorf("Retries = %d, want %d", got, retries[tc.name])
			}
		})
	}
}

func TestConsumedUnits(t *testing.T) {
	for _, tc := range []struct {
		name        string
		read, write float64
		half, wru   int64
	}{
		{"one eventually consistent read", 0.5, 0, 1, 0},
		{"a query page of 3.5 units", 3.5, 0, 7, 0},
		{"a transaction of two puts with an index write", 0, 6, 0, 6},
		{"nothing consumed", 0, 0, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := cost.ConsumedUnits(tc.read, tc.write)
			if u.ReadHalfUnits != tc.half || u.WriteUnits != tc.wru {
				t.Errorf("ConsumedUnits(%v, %v) = %d half reads, %d writes; want %d, %d", tc.read, tc.write, u.ReadHalfUnits, u.WriteUnits, tc.half, tc.wru)
			}
		})
	}
}

func TestS3Stored(t *testing.T) {
	for _, tc := range []struct {
		name  string
		bytes int64
		d     time.Duration
		want  int64
	}{
		{"1 MB for a 730-hour month", 1 << 20, cost.HoursPerMonth * time.Hour, (1 << 20) * 730},
		{"a part hour is a whole hour", 1000, 90 * time.Minute, 2000},
		{"nothing kept", 1000, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			u := cost.S3Stored(tc.bytes, tc.d)
			if u.S3ByteHours != tc.want || u.S3Bytes != 0 {
				t.Errorf("S3Stored(%d, %v) = %d byte-hours, %d bytes; want %d, 0", tc.bytes, tc.d, u.S3ByteHours, u.S3Bytes, tc.want)
			}
		})
	}
	// A GB for a month is one GB-month, exactly.
	if got := cost.S3Stored(cost.BytesPerGB, cost.HoursPerMonth*time.Hour).S3GBMonths(); got.Cmp(big.NewRat(1, 1)) != 0 {
		t.Errorf("GB-months of 1 GB for a month = %s, want 1", got)
	}
}
