package cognito

import (
	"context"
	"strconv"
	"testing"
	"time"
)

func TestMemoryRevocations(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	m := newMemoryRevocations(func() time.Time { return now })
	revoked := func(id string) bool {
		ok, err := m.IsRevoked(ctx, id)
		if err != nil {
			t.Fatal(err)
		}
		return ok
	}
	_ = m.Revoke(ctx, "a", now.Add(time.Hour))
	_ = m.Revoke(ctx, "past", now.Add(-time.Second))
	if !revoked("a") || revoked("past") || revoked("b") {
		t.Errorf("a %v, past %v, b %v; want only a revoked", revoked("a"), revoked("past"), revoked("b"))
	}
	// Revoking again never shortens the time.
	_ = m.Revoke(ctx, "a", now.Add(time.Minute))
	now = now.Add(30 * time.Minute)
	if !revoked("a") {
		t.Error("a later revocation with an earlier end shortened the first")
	}
	now = now.Add(time.Hour)
	if revoked("a") {
		t.Error("still revoked after its token expired")
	}
	// The list stays bounded: expired entries go first, then the one
	// that expires soonest.
	for i := range maxRevoked {
		_ = m.Revoke(ctx, strconv.Itoa(i), now.Add(time.Hour+time.Duration(i)*time.Second))
	}
	_ = m.Revoke(ctx, "new", now.Add(2*time.Hour))
	if len(m.until) > maxRevoked || !revoked("new") || revoked("0") || !revoked("1") {
		t.Errorf("%d entries; new %v, 0 %v, 1 %v", len(m.until), revoked("new"), revoked("0"), revoked("1"))
	}
}
