package dynamo

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
	"github.com/coopcarepathway/pathway/shared/table"
)

// These tests need no DynamoDB: DynamoDB Local runs transactions one at a
// time, so it never reports the conflicts they stand in for.

func canceled(codes ...string) error {
	tc := &types.TransactionCanceledException{}
	for _, c := range codes {
		tc.CancellationReasons = append(tc.CancellationReasons, types.CancellationReason{Code: aws.String(c)})
	}
	return tc
}

func TestTransactError(t *testing.T) {
	writes := []table.Write{table.Add("p", "a", 1), table.Add("p", "b", 1), table.Add("p", "c", 1)}
	failed := errors.New("service unavailable")
	for _, tc := range []struct {
		name string
		err  error
		want func(error) bool
	}{
		{"condition", canceled("None", "ConditionalCheckFailed", "None"), func(err error) bool {
			var ce *table.ConditionError
			return errors.As(err, &ce) && ce.Index == 1 && ce.Key == table.Key{PK: "p", SK: "b"}
		}},
		{"first of two conditions", canceled("None", "ConditionalCheckFailed", "ConditionalCheckFailed"), func(err error) bool {
			return table.FailedAt(err, 1)
		}},
		{"condition beside a conflict", canceled("TransactionConflict", "None", "ConditionalCheckFailed"), func(err error) bool {
			return table.FailedAt(err, 2)
		}},
		{"conflict", canceled("None", "TransactionConflict", "None"), func(err error) bool { return err == errConflict }},
		{"conflict outside a transaction", &types.TransactionConflictException{}, func(err error) bool { return err == errConflict }},
		{"other reason", canceled("None", "ValidationError", "None"), func(err error) bool {
			var tc *types.TransactionCanceledException
			_, invalid := table.Invalid(err)
			return errors.As(err, &tc) && !invalid
		}},
		{"service error", failed, func(err error) bool { return errors.Is(err, failed) && err != failed }},
	} {
		if got := transactError(tc.err, writes); !tc.want(got) {
			t.Errorf("%s: %v", tc.name, got)
		}
	}
}

func TestRetryGivesUpOnContention(t *testing.T) {
	calls := 0
	start := time.Now()
	err := retry(context.Background(), func() error { calls++; return errConflict })
	if !errors.Is(err, table.ErrContention) || calls != conflictRetries+1 {
		t.Fatalf("retry: %v after %d calls; want ErrContention after %d", err, calls, conflictRetries+1)
	}
	if d := time.Since(start); d > 1500*time.Millisecond {
		t.Errorf("retrying took %v; want about a second at most", d)
	}
}

func TestRetryStopsWhenItWorks(t *testing.T) {
	calls := 0
	lost := &table.ConditionError{Index: 0}
	err := retry(context.Background(), func() error {
		calls++
		if calls < 3 {
			return errConflict
		}
		return lost // the next attempt's conditions decide
	})
	if err != lost || calls != 3 {
		t.Fatalf("retry: %v after %d calls", err, calls)
	}
}

func TestRetryEndsWithContext(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := retry(ctx, func() error { return errConflict })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("retry: %v; want the context's error", err)
	}
}
