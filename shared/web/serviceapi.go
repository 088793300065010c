package web

// What the phases' APIs (grants, tenders) share: each handler maps HTTP to
// one call of its phase's service, which of returns (or an internal error
// when none is configured, a wiring mistake), so reading, writing,
// creating, creating once per Idempotency-Key, uploading, listing files
// and answering a task are written once here.

import (
	"bytes"
	"context"
	"io"
	"net/http"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// serviceRead answers a read of a service as JSON: 200 with what read
// returns for the caller, or the error's status.
func serviceRead[S, T any](w http.ResponseWriter, r *http.Request, of func() (S, error), read func(S, context.Context, *pathway.User) (T, error)) {
	g, err := of()
	if err != nil {
		WriteError(w, r, err)
		return
	}
	v, err := read(g, r.Context(), UserFrom(r.Context()))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, v)
}

// serviceWrite decodes the body into an In (an empty body leaves it zero
// when optional) and answers with status and what write returns.
func serviceWrite[S, In, Out any](w http.ResponseWriter, r *http.Request, of func() (S, error), status int, optional bool, write func(S, context.Context, *pathway.User, *In) (Out, error)) {
	g, err := of()
	var body []byte
	if err == nil {
		body, err = ReadBody(w, r)
	}
	var in In
	if err == nil && !(optional && len(bytes.TrimSpace(body)) == 0) {
		err = DecodeBody(body, &in)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	v, err := write(g, r.Context(), UserFrom(r.Context()), &in)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, status, v)
}

// serviceCreate decodes the body into an In and answers 201 with what
// create returns and its Location.
func serviceCreate[S, In, Out any](w http.ResponseWriter, r *http.Request, of func() (S, error), location func(Out) string, create func(S, context.Context, *pathway.User, *In) (Out, error)) {
	g, err := of()
	var in In
	if err == nil {
		err = DecodeJSON(w, r, &in)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	v, err := create(g, r.Context(), UserFrom(r.Context()), &in)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	w.Header().Set("Location", location(v))
	writePrivate(w, http.StatusCreated, v)
}

// serviceCreateOnce decodes the body into an In and creates a record with
// create once per Idempotency-Key (createOnce, under scope; fingerprint
// tells a retry from another request under the same key). create gets
// the key, from which the record's ID derives, so concurrent duplicates
// create one record, and returns the record's Location and body.
func serviceCreateOnce[S, In any](s *server, w http.ResponseWriter, r *http.Request, of func() (S, error), scope string, fingerprint func(In) string,
	create func(g S, ctx context.Context, u *pathway.User, key string, in In) (string, any, error)) {
	ctx, u := r.Context(), UserFrom(r.Context())
	g, err := of()
	var in In
	if err == nil {
		err = DecodeJSON(w, r, &in)
	}
	key := r.Header.Get(IdempotencyKeyHeader)
	if err == nil {
		err = checkIdempotencyKey(key)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.createOnce(w, r, scope, key, fingerprint(in), func() (string, any, error) {
		return create(g, ctx, u, key, in)
	})
}

// serviceUpload stores and records a file sent to a record of the
// service (s.upload: multipart, field "file"): 201 with the file.
func serviceUpload[S any](s *server, w http.ResponseWriter, r *http.Request, of func() (S, error),
	upload func(g S, ctx context.Context, u *pathway.User, id, name string, body io.Reader, size int64) (*pathway.File, error)) {
	g, err := of()
	if err != nil {
		WriteError(w, r, err)
		return
	}
	s.upload(w, r, func(ctx context.Context, u *pathway.User, name string, body io.Reader) (*pathway.File, error) {
		return upload(g, ctx, u, r.PathValue("id"), name, body, -1)
	})
}

// serviceFiles lists a record's files as {"files":[...]}.
func serviceFiles[S any](w http.ResponseWriter, r *http.Request, of func() (S, error), list func(g S, ctx context.Context, u *pathway.User, id string) ([]*pathway.File, error)) {
	serviceRead(w, r, of, func(g S, ctx context.Context, u *pathway.User) (any, error) {
		files, err := list(g, ctx, u, r.PathValue("id"))
		out := make([]FileJSON, len(files))
		for i, f := range files {
			out[i] = FileOf(f)
		}
		return map[string]any{"files": out}, err
	})
}

// taskAnswerer is a phase service's side of POST /api/tasks/{id}/decision:
// AnswerableTask checks u may answer the task and returns it with the
// record it is about (T), AnswerFor the answer's type for the task's
// kind, Answer records the answer.
type taskAnswerer[T any] interface {
	AnswerableTask(ctx context.Context, u *pathway.User, task *pathway.Task) (*pathway.Task, T, error)
	Answer(ctx context.Context, u *pathway.User, t *pathway.Task, about T, ans any) (*pathway.Task, error)
}

// serviceDecision answers the decision on task with body through g (a
// phase's service), with answerFor the answer's type for a task kind.
func serviceDecision[T any](w http.ResponseWriter, r *http.Request, g taskAnswerer[T], answerFor func(kind string) (any, error), task *pathway.Task, body []byte) {
	ctx, u := r.Context(), UserFrom(r.Context())
	t, about, err := g.AnswerableTask(ctx, u, task)
	var ans any
	if err == nil {
		ans, err = answerFor(t.Kind)
	}
	if err == nil {
		err = DecodeBody(body, ans)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	done, err := g.Answer(ctx, u, t, about, ans)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, done)
}
