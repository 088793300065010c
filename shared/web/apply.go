package web

import (
	"encoding/json"
	"net/http"
	"net/url"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// IdempotencyKeyHeader names the header that makes a POST safe to retry.
const IdempotencyKeyHeader = "Idempotency-Key"

// maxIdempotencyKey bounds the header, so the stored key (user ID, key)
// stays within the store's limit.
const maxIdempotencyKey = 255

// handleApply stores a founder's application and starts its workflow,
// answering 201 with the co-op and its Location.
//
// With an Idempotency-Key the request is safe to retry: the first response
// is remembered under (caller, key) and a retry with the same application
// gets it back byte for byte; the same key with another application is 409.
// Concurrent duplicates cannot create two co-ops either, because the co-op
// ID is derived from (caller, key) and the store's conditional create lets
// one through; the other finds the co-op, sees the same application, and
// answers with whatever response was remembered first.
func (s *server) handleApply(w http.ResponseWriter, r *http.Request) {
	ctx, u := r.Context(), UserFrom(r.Context())
	if err := journey.MayApply(u); err != nil {
		WriteError(w, r, err)
		return
	}
	var app journey.Application
	if err := DecodeJSON(w, r, &app); err != nil {
		WriteError(w, r, err)
		return
	}
	key := r.Header.Get(IdempotencyKeyHeader)
	if err := checkIdempotencyKey(key); err != nil {
		WriteError(w, r, err)
		return
	}
	s.createOnce(w, r, "apply", key, app.Fingerprint(), func() (string, any, error) {
		v, err := s.journey.Apply(ctx, u, journey.CoopID(u.ID, key), app)
		if err != nil {
			return "", nil, err
		}
		return coopLocation(v.ID), v, nil
	})
}

// createOnce answers a POST that creates a record with create, which
// returns the record's Location and body. With an Idempotency-Key the
// first 201 is remembered under the scope, the caller and the key, and a
// retry gets it back byte for byte; the same key with another request
// (hash) is 409. Errors are not remembered: a request that failed
// validation can be corrected and sent again under the same key.
func (s *server) createOnce(w http.ResponseWriter, r *http.Request, scope, key, hash string, create func() (string, any, error)) {
	ctx := r.Context()
	storeKey := scope + " " + UserFrom(ctx).ID + " " + key
	if key != "" {
		if prev, err := s.store.RecallResponse(ctx, storeKey); err == nil {
			s.replay(w, r, prev, hash)
			return
		} else if pathway.ErrorCode(err) != pathway.ENOTFOUND {
			WriteError(w, r, err)
			return
		}
	}
	location, v, err := create()
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if key == "" {
		w.Header().Set("Location", location)
		writePrivate(w, http.StatusCreated, v)
		return
	}
	body, err := json.Marshal(v)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	first, err := s.store.RememberResponse(ctx, &pathway.IdempotentResponse{
		Key: storeKey, RequestHash: hash, Status: http.StatusCreated, Location: location,
		Body: append(body, '\n'), CreatedAt: s.now(),
	})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.replay(w, r, first, hash)
}

// replay writes a remembered response, unless it answered a different
// request under the same key.
func (s *server) replay(w http.ResponseWriter, r *http.Request, prev *pathway.IdempotentResponse, hash string) {
	if prev.RequestHash != hash {
		WriteError(w, r, pathway.Errorf(pathway.ECONFLICT,
			"This Idempotency-Key was already used for a different application. Use a new key for a new application."))
		return
	}
	if prev.Location != "" {
		w.Header().Set("Location", prev.Location)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(prev.Status)
	_, _ = w.Write(prev.Body)
}

// checkIdempotencyKey accepts an empty key or up to 255 visible ASCII
// characters.
func checkIdempotencyKey(key string) error {
	bad := len(key) > maxIdempotencyKey
	for i := 0; i < len(key) && !bad; i++ {
		bad = key[i] < 0x21 || key[i] > 0x7e
	}
	if bad {
		return pathway.Invalid(map[string]string{IdempotencyKeyHeader: "Use up to 255 visible characters, such as a UUID"})
	}
	return nil
}

// coopLocation is the address of a co-op.
func coopLocation(id string) string { return "/api/coops/" + url.PathEscape(id) }
