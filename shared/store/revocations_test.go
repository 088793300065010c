package store_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestRevocations: a signed-out session stays refused until its token
// would have expired, on every instance that reads the same table, and
// revoking again never shortens that.
func TestRevocations(t *testing.T) {
	for name, open := range map[string]func(testing.TB) *store.Store{
		"embedded": func(tb testing.TB) *store.Store { return testkit.Store(tb) },
		"dynamo":   func(tb testing.TB) *store.Store { return testkit.DynamoStore(tb) },
	} {
		t.Run(name, func(t *testing.T) {
			s := open(t)
			ctx := t.Context()
			if r, err := s.IsRevoked(ctx, "jti-1"); r || err != nil {
				t.Fatalf("IsRevoked before any sign-out = %v, %v", r, err)
			}
			if err := s.Revoke(ctx, "jti-1", time.Now().Add(time.Hour)); err != nil {
				t.Fatal(err)
			}
			other := store.New(s.Table()) // another instance over the same table
			if r, err := other.IsRevoked(ctx, "jti-1"); !r || err != nil {
				t.Fatalf("IsRevoked on another instance = %v, %v; want revoked", r, err)
			}
			if err := s.Revoke(ctx, "jti-1", time.Now().Add(-time.Minute)); err != nil {
				t.Fatal(err)
			}
			if r, _ := s.IsRevoked(ctx, "jti-1"); !r {
				t.Fatal("revoking again with an earlier time shortened the revocation")
			}
			if err := s.Revoke(ctx, "jti-old", time.Now().Add(-time.Second)); err != nil {
				t.Fatal(err)
			}
			if r, _ := s.IsRevoked(ctx, "jti-old"); r {
				t.Fatal("a revocation past its token's expiry still counts")
			}
			if err := s.Revoke(ctx, "", time.Now()); err == nil {
				t.Fatal("Revoke of an empty ID was accepted")
			}
		})
	}
}
