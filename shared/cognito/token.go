package cognito

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/golang-jwt/jwt/v5"
)

// Leeway is how far the clocks of Cognito and the function may disagree
// when checking a token's expiry, issue and not-before times.
const Leeway = time.Minute

// MaxTokenBytes is the largest session token looked at: Cognito's ID tokens
// are one to two kilobytes, and anything bigger is refused before parsing.
const MaxTokenBytes = 8 << 10

// maxJSONDepth bounds the nesting of a token's header and claims.
const maxJSONDepth = 16

// errBadToken is any reason a token is not a good sign-in; which check
// failed is not the browser's business (tests see it through the result).
var errBadToken = errors.New("cognito: token is not valid")

// verifier checks Cognito ID tokens against the user pool's keys.
type verifier struct {
	keys   *keySet
	parser *jwt.Parser
}

func newVerifier(issuer, clientID string, now func() time.Time, keys *keySet) *verifier {
	return &verifier{keys: keys, parser: jwt.NewParser(
		// Only RS256: never "none", never HMAC with the public key as secret.
		jwt.WithValidMethods([]string{jwt.SigningMethodRS256.Alg()}),
		jwt.WithIssuer(issuer),
		// Cognito's ID tokens carry the app client's ID as aud (a list
		// naming it is accepted too, as JWT allows).
		jwt.WithAudience(clientID),
		jwt.WithExpirationRequired(),
		jwt.WithIssuedAt(),
		jwt.WithLeeway(Leeway),
		jwt.WithTimeFunc(now),
		jwt.WithStrictDecoding(),
		jwt.WithJSONNumber(),
	)}
}

// idToken is a verified ID token.
type idToken struct {
	// claims are those that are strings, numbers or booleans, as strings,
	// which is how pathway.UserFromClaims reads them.
	claims map[string]string
	// expires is the token's exp.
	expires time.Time
	// ids are the IDs a sign-out revokes the token by: its jti and
	// origin_jti (the sign-in all its refreshed tokens share), or a digest
	// of the token when Cognito gave neither.
	ids []string
}

// verify returns a good ID token's claims. It returns errBadToken for any
// token that is malformed, badly signed, expired, not yet valid, or meant
// for another pool, client or use; and another error only when the keys
// could not be fetched.
func (v *verifier) verify(ctx context.Context, token string) (*idToken, error) {
	if len(token) > MaxTokenBytes {
		return nil, errBadToken
	}
	kid, ok := precheck(token)
	if !ok {
		return nil, errBadToken
	}
	var keyErr error
	claims := jwt.MapClaims{}
	_, err := v.parser.ParseWithClaims(token, claims, func(*jwt.Token) (any, error) {
		k, err := v.keys.get(ctx, kid)
		if err != nil {
			keyErr = err
			return nil, err
		}
		return k, nil
	})
	if keyErr != nil && !errors.Is(keyErr, errBadToken) {
		return nil, keyErr // the keys could not be had: not the token's fault
	}
	if err != nil {
		return nil, errBadToken
	}
	// What the parser leaves to us: an ID token (not an access token),
	// with an issue time, and IDs that are strings if present.
	if use, _ := claims["token_use"].(string); use != "id" {
		return nil, errBadToken
	}
	if iat, err := claims.GetIssuedAt(); err != nil || iat == nil {
		return nil, errBadToken
	}
	exp, err := claims.GetExpirationTime()
	if err != nil || exp == nil {
		return nil, errBadToken
	}
	t := &idToken{claims: stringClaims(claims), expires: exp.Time}
	for _, name := range []string{"jti", "origin_jti"} {
		raw, present := claims[name]
		id, isString := raw.(string)
		if present && (!isString || id == "") {
			return nil, errBadToken
		}
		if id != "" {
			t.ids = append(t.ids, id)
		}
	}
	if len(t.ids) == 0 {
		sum := sha256.Sum256([]byte(token))
		t.ids = []string{"sha256:" + hex.EncodeToString(sum[:])}
	}
	return t, nil
}

// precheck refuses what the JWT library would let through although no
// token Cognito issues looks like it, and returns the header's key ID:
//
//   - each segment must be canonical unpadded base64url (nothing after the
//     last full byte, no padding, no line breaks), so one token has one
//     spelling;
//   - header and claims must each be one JSON object of valid UTF-8 and
//     nothing after it, with no name given twice at any depth and no two
//     top-level names equal but for case (a "ALG" beside "alg" is a
//     confusion attack, not a header);
//   - in the header, registered names must be spelt exactly, alg must be
//     RS256, kid a non-empty string, and there must be no crit (no
//     extension is understood) and no b64 (payloads are always encoded).
func precheck(token string) (kid string, ok bool) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", false
	}
	var segs [3][]byte
	for i, p := range parts {
		b, err := base64.RawURLEncoding.Strict().DecodeString(p)
		if err != nil || len(b) == 0 || base64.RawURLEncoding.EncodeToString(b) != p {
			return "", false
		}
		segs[i] = b
	}
	if strictObject(segs[0], headerNames) != nil || strictObject(segs[1], nil) != nil {
		return "", false
	}
	var h map[string]any
	if json.Unmarshal(segs[0], &h) != nil {
		return "", false
	}
	alg, _ := h["alg"].(string)
	kid, _ = h["kid"].(string)
	_, crit := h["crit"]
	_, b64 := h["b64"]
	if alg != "RS256" || kid == "" || crit || b64 {
		return "", false
	}
	return kid, true
}

// headerNames are the registered JOSE header names (RFC 7515, 7516, 7797),
// which must be spelt exactly.
var headerNames = []string{"alg", "jku", "jwk", "kid", "x5u", "x5c", "x5t", "x5t#S256", "typ", "cty", "crit", "enc", "zip", "b64"}

var errStrictJSON = errors.New("cognito: not a strict JSON object")

// strictObject checks that b is one JSON object of valid UTF-8 with
// nothing after it, no name twice in any object, no two top-level names
// equal but for case, no top-level name that is one of exact but spelt
// otherwise, and at most maxJSONDepth levels of nesting.
func strictObject(b []byte, exact []string) error {
	if !utf8.Valid(b) {
		return errStrictJSON
	}
	type frame struct {
		object, wantName bool
		names            []string
	}
	d := json.NewDecoder(bytes.NewReader(b))
	d.UseNumber()
	var stack []*frame
	for {
		tok, err := d.Token()
		if err != nil {
			return errStrictJSON
		}
		if len(stack) == 0 && tok != json.Delim('{') {
			return errStrictJSON // not an object
		}
		var top *frame
		if len(stack) > 0 {
			top = stack[len(stack)-1]
		}
		if top != nil && top.object && top.wantName {
			if tok == json.Delim('}') {
				stack = stack[:len(stack)-1]
				if len(stack) == 0 {
					return atEnd(d)
				}
				continue
			}
			name, _ := tok.(string)
			for _, seen := range top.names {
				if seen == name || (len(stack) == 1 && strings.EqualFold(seen, name)) {
					return errStrictJSON
				}
			}
			if len(stack) == 1 {
				for _, e := range exact {
					if name != e && strings.EqualFold(name, e) {
						return errStrictJSON
					}
				}
			}
			top.names = append(top.names, name)
			top.wantName = false
			continue
		}
		if top != nil && top.object {
			top.wantName = true // after this value, a name or the end
		}
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if len(stack) == maxJSONDepth {
				return errStrictJSON
			}
			stack = append(stack, &frame{object: tok == json.Delim('{'), wantName: true})
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
		}
	}
}

// atEnd checks that nothing but white space follows the top-level value
// (a json.Decoder would read a second one as the next of a stream).
func atEnd(d *json.Decoder) error {
	if _, err := d.Token(); err != io.EOF {
		return errStrictJSON
	}
	return nil
}

// stringClaims keeps the claims that are strings, numbers or booleans, as
// strings, which is how pathway.UserFromClaims reads them.
func stringClaims(c jwt.MapClaims) map[string]string {
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
