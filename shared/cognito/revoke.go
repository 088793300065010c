package cognito

import (
	"context"
	"sync"
	"time"
)

// RevocationStore remembers the IDs of signed-out sessions' tokens (their
// jti and origin_jti) until the tokens expire, so that a token kept from
// before a sign-out is refused.
//
// Client keeps the list in memory unless Config.Revoked gives another, so
// by default only the instance that served the sign-out refuses the old
// token. Across Lambda instances a shared list is needed: one backed by the
// table, which the composition root can pass as Config.Revoked.
type RevocationStore interface {
	// Revoke remembers id as revoked until the time given.
	Revoke(ctx context.Context, id string, until time.Time) error
	// IsRevoked reports whether id is revoked now.
	IsRevoked(ctx context.Context, id string) (bool, error)
}

// maxRevoked bounds the in-memory list. Only validly signed tokens get on
// it (one sign-out each), and each leaves when it expires; a list full of
// unexpired entries loses the one that expires soonest.
const maxRevoked = 10000

// memoryRevocations is the RevocationStore of one instance.
type memoryRevocations struct {
	now func() time.Time

	mu    sync.Mutex
	until map[string]time.Time
}

func newMemoryRevocations(now func() time.Time) *memoryRevocations {
	return &memoryRevocations{now: now, until: map[string]time.Time{}}
}

func (m *memoryRevocations) Revoke(_ context.Context, id string, until time.Time) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	now := m.now()
	if !until.After(now) {
		return nil
	}
	if _, ok := m.until[id]; !ok && len(m.until) >= maxRevoked {
		m.prune(now)
	}
	if t, ok := m.until[id]; !ok || until.After(t) {
		m.until[id] = until
	}
	return nil
}

// prune drops the expired entries, and if none had expired the one that
// expires soonest; m.mu must be held.
func (m *memoryRevocations) prune(now time.Time) {
	var soonest string
	for id, t := range m.until {
		if !t.After(now) {
			delete(m.until, id)
		} else if soonest == "" || t.Before(m.until[soonest]) {
			soonest = id
		}
	}
	if len(m.until) >= maxRevoked {
		delete(m.until, soonest)
	}
}

func (m *memoryRevocations) IsRevoked(_ context.Context, id string) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.until[id]
	return ok && t.After(m.now()), nil
}
