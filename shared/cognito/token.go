package cognito

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Leeway is how far the clocks of Cognito and the function may disagree
// when checking a token's expiry and issue time.
const Leeway = time.Minute

// refetchAfter is the least time between two fetches of the key set caused
// by a token naming a key we do not know. Cognito rotates keys rarely; the
// limit stops forged tokens with made-up key IDs from making every request
// call Cognito.
const refetchAfter = time.Minute

// minKeyBits is the smallest RSA key accepted; Cognito's are 2048 bits.
const minKeyBits = 2048

// errBadToken is any reason a token is not a good sign-in; which check
// failed is not the browser's business (tests see it through the result).
var errBadToken = errors.New("cognito: token is not valid")

// verifier checks Cognito ID tokens against the user pool's keys.
type verifier struct {
	issuer   string
	clientID string
	now      func() time.Time
	keys     *keySet
}

// header is the part of a JWT header the checks read.
type header struct {
	Alg string `json:"alg"`
	Kid string `json:"kid"`
}

// verify returns the claims of a good ID token as strings (the form the
// API Gateway authorizer hands on). It returns errBadToken for any token
// that is malformed, badly signed, expired, or meant for another pool,
// client or use; and another error only when the keys cannot be fetched.
func (v *verifier) verify(ctx context.Context, token string) (map[string]string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return nil, errBadToken
	}
	var h header
	if err := decodeSegment(parts[0], &h); err != nil || h.Alg != "RS256" || h.Kid == "" {
		// Only RS256: never "none", never HMAC with the public key as secret.
		return nil, errBadToken
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil {
		return nil, errBadToken
	}
	key, err := v.keys.get(ctx, h.Kid)
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
	if rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], sig) != nil {
		return nil, errBadToken
	}
	var claims map[string]any
	if err := decodeSegment(parts[1], &claims); err != nil {
		return nil, errBadToken
	}
	if !v.validClaims(claims) {
		return nil, errBadToken
	}
	return stringClaims(claims), nil
}

// validClaims checks issuer, audience, use and times. Cognito's ID tokens
// carry aud as one string; a list is accepted too, as JWT allows.
func (v *verifier) validClaims(c map[string]any) bool {
	if c["iss"] != v.issuer || c["token_use"] != "id" || !hasAudience(c["aud"], v.clientID) {
		return false
	}
	now := v.now()
	exp, ok := unixClaim(c["exp"])
	if !ok || !now.Before(exp.Add(Leeway)) {
		return false
	}
	if iat, ok := unixClaim(c["iat"]); ok && iat.After(now.Add(Leeway)) {
		return false // issued in the future: a clock or a forger is wrong
	}
	return true
}

// hasAudience reports whether aud (a string or a list of them) names id.
func hasAudience(aud any, id string) bool {
	switch a := aud.(type) {
	case string:
		return a == id
	case []any:
		for _, x := range a {
			if x == id {
				return true
			}
		}
	}
	return false
}

// unixClaim reads a NumericDate claim.
func unixClaim(v any) (time.Time, bool) {
	n, ok := v.(json.Number)
	if !ok {
		return time.Time{}, false
	}
	secs, err := n.Int64()
	if err != nil {
		f, ferr := n.Float64()
		if ferr != nil {
			return time.Time{}, false
		}
		secs = int64(f)
	}
	return time.Unix(secs, 0), true
}

// stringClaims keeps the claims that are strings, numbers or booleans, as
// strings, which is how pathway.UserFromClaims reads them.
func stringClaims(c map[string]any) map[string]string {
	out := make(map[string]string, len(c))
	for k, v := range c {
		switch x := v.(type) {
		case string:
			out[k] = x
		case bool:
			out[k] = strconv.FormatBool(x)
		case json.Number:
			out[k] = x.String()
		}
	}
	return out
}

// decodeSegment decodes a base64url JSON segment, keeping numbers exact.
func decodeSegment(seg string, dst any) error {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	if err != nil {
		return err
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	return d.Decode(dst)
}

// keySet is the user pool's public keys, fetched from its JWKS address on
// first use and cached; an unknown key ID triggers a refetch (key rotation),
// at most once per refetchAfter.
type keySet struct {
	url    string
	client *http.Client
	now    func() time.Time

	mu      sync.Mutex // held across a fetch, so concurrent misses fetch once
	keys    map[string]*rsa.PublicKey
	fetched time.Time
}

// get returns the key with the ID, or errBadToken when the pool has none.
func (s *keySet) get(ctx context.Context, kid string) (*rsa.PublicKey, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if k, ok := s.keys[kid]; ok {
		return k, nil
	}
	if s.keys != nil && s.now().Sub(s.fetched) < refetchAfter {
		return nil, errBadToken
	}
	keys, err := s.fetch(ctx)
	if err != nil {
		return nil, err
	}
	s.keys, s.fetched = keys, s.now()
	if k, ok := keys[kid]; ok {
		return k, nil
	}
	return nil, errBadToken
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
	if err := json.NewDecoder(io.LimitReader(res.Body, 1<<20)).Decode(&set); err != nil {
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
