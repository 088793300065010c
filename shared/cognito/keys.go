package cognito

import (
	"context"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"sync"
	"time"
)

// refetchAfter is the least time between two attempts to fetch the key set,
// whether the last one worked or failed. Cognito rotates keys rarely; the
// limit stops forged tokens with made-up key IDs from making every request
// call Cognito, even while Cognito's key set is failing.
const refetchAfter = time.Minute

// maxKeyAge is how long a fetched key set is trusted. After that it is
// fetched again before use, and if that fails its keys are no longer
// trusted: a key Cognito has withdrawn stops working within a day.
const maxKeyAge = 24 * time.Hour

// fetchTimeout bounds one fetch of the key set, whatever the HTTP client's
// own timeout.
const fetchTimeout = 2 * time.Second

// maxKeySetBytes bounds the key set read; Cognito's is about a kilobyte.
const maxKeySetBytes = 256 << 10

// minKeyBits is the smallest RSA key accepted; Cognito's are 2048 bits.
const minKeyBits = 2048

// keySet is the user pool's public keys, fetched from its JWKS address on
// first use and cached for up to maxKeyAge; an unknown key ID (key
// rotation) or a set past its age causes a fetch, at most one attempt per
// refetchAfter. The lock is never held across a fetch: requests whose key
// is cached are answered while a fetch is in flight, and concurrent misses
// wait for the one fetch in flight rather than starting their own.
type keySet struct {
	url    string
	client *http.Client
	now    func() time.Time

	mu        sync.Mutex
	keys      map[string]*rsa.PublicKey
	fetched   time.Time // when keys were fetched
	attempted time.Time // when the last fetch started, however it ended
	inflight  *keyFetch // the fetch under way, if any
}

// keyFetch is one fetch of the key set, which every request that needs it
// waits for.
type keyFetch struct {
	done chan struct{}
	err  error // set before done is closed
}

// get returns the key with the ID. It returns errBadToken when the pool has
// no such key, or the key set cannot be trusted and may not be fetched yet,
// or a fetch for a key ID the trusted set lacks failed (most likely a
// forged one, and in any case one that cannot be checked). Only a request
// that waited for a fetch that failed while no key set could be trusted
// gets another error: Cognito's keys are unreachable, which is an outage,
// not a sign-out.
func (s *keySet) get(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	s.mu.Lock()
	if k := s.lookup(kid); k != nil {
		s.mu.Unlock()
		return k, nil
	}
	f := s.inflight
	if f == nil {
		if !s.attempted.IsZero() && s.now().Sub(s.attempted) < refetchAfter {
			s.mu.Unlock()
			return nil, errBadToken
		}
		f = &keyFetch{done: make(chan struct{})}
		s.inflight, s.attempted = f, s.now()
		// The fetch outlives a request that gives up on it, so the
		// others waiting for it still get its answer; fetchTimeout
		// bounds it.
		go s.run(context.WithoutCancel(ctx), f)
	}
	s.mu.Unlock()
	select {
	case <-f.done:
	case <-ctx.Done():
		return nil, fmt.Errorf("cognito: waiting for the key set: %w", ctx.Err())
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if k := s.lookup(kid); k != nil {
		return k, nil
	}
	if f.err != nil && !s.trusted() {
		return nil, f.err
	}
	return nil, errBadToken
}

// lookup returns the cached key with the ID if the set is young enough to
// trust; s.mu must be held.
func (s *keySet) lookup(kid string) *rsa.PublicKey {
	if !s.trusted() {
		return nil
	}
	return s.keys[kid]
}

// trusted reports whether there is a key set young enough to trust; s.mu
// must be held.
func (s *keySet) trusted() bool {
	return s.keys != nil && s.now().Sub(s.fetched) < maxKeyAge
}

// run fetches the key set for f. A failed fetch keeps the keys there were,
// each trusted until its set's age runs out.
func (s *keySet) run(ctx context.Context, f *keyFetch) {
	ctx, cancel := context.WithTimeout(ctx, fetchTimeout)
	defer cancel()
	keys, err := s.fetch(ctx)
	s.mu.Lock()
	if err == nil {
		s.keys, s.fetched = keys, s.now()
	}
	s.inflight = nil
	f.err = err
	s.mu.Unlock()
	close(f.done)
}

// jwk is one key of a JSON Web Key Set (RFC 7517), as Cognito publishes it.
type jwk struct {
	Kid string `json:"kid"`
	Kty string `json:"kty"`
	Alg string `json:"alg"`
	Use string `json:"use"`
	N   string `json:"n"`
	E   string `json:"e"`
}

// fetch reads the key set. Keys that are not RSA signing keys of at least
// minKeyBits are left out rather than failing the whole set.
func (s *keySet) fetch(ctx context.Context) (map[string]*rsa.PublicKey, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, s.url, nil)
	if err != nil {
		return nil, fmt.Errorf("cognito: key set address: %w", err)
	}
	res, err := s.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("cognito: fetch key set: %w", err)
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("cognito: fetch key set: %s answered %s", s.url, res.Status)
	}
	var set struct {
		Keys []jwk `json:"keys"`
	}
	if err := json.NewDecoder(io.LimitReader(res.Body, maxKeySetBytes)).Decode(&set); err != nil {
		return nil, fmt.Errorf("cognito: read key set: %w", err)
	}
	keys := map[string]*rsa.PublicKey{}
	for _, k := range set.Keys {
		if pub := k.publicKey(); pub != nil {
			keys[k.Kid] = pub
		}
	}
	return keys, nil
}

// publicKey returns the RSA key k describes, or nil if it is not a usable
// RS256 signing key.
func (k jwk) publicKey() *rsa.PublicKey {
	if k.Kty != "RSA" || (k.Alg != "" && k.Alg != "RS256") || (k.Use != "" && k.Use != "sig") || k.Kid == "" {
		return nil
	}
	nb, err1 := base64.RawURLEncoding.DecodeString(k.N)
	eb, err2 := base64.RawURLEncoding.DecodeString(k.E)
	if err1 != nil || err2 != nil || len(eb) == 0 || len(eb) > 4 {
		return nil
	}
	n := new(big.Int).SetBytes(nb)
	e := new(big.Int).SetBytes(eb).Int64()
	if n.BitLen() < minKeyBits || e < 3 || e%2 == 0 {
		return nil
	}
	return &rsa.PublicKey{N: n, E: int(e)}
}
