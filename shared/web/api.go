package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The API handlers only map HTTP to the journey service and back: reading
// the path, query and body, and writing the result or the error.

// writePrivate writes v as JSON that no shared cache may keep: every API
// answer depends on who asked.
func writePrivate(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Cache-Control", "private, no-store")
	WriteJSON(w, status, v)
}

// handleProgrammes lists the programmes open for applications.
func (s *server) handleProgrammes(w http.ResponseWriter, r *http.Request) {
	ps, err := s.journey.OpenProgrammes(r.Context())
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, map[string]any{"programmes": ps})
}

// handleGetCoop returns a co-op the caller may see, with its checklist
// progress, open tasks and next step. A co-op the caller may not see is
// "not found", exactly like a missing one.
func (s *server) handleGetCoop(w http.ResponseWriter, r *http.Request) {
	v, err := s.journey.View(r.Context(), UserFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	out, err := s.withGrantFacts(r.Context(), v)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, out)
}

// handlePipeline returns a page of one programme's co-ops in one stage.
func (s *server) handlePipeline(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := queryLimit(q)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	page, err := s.journey.Pipeline(r.Context(), UserFrom(r.Context()), pathway.CoopFilter{
		Programme: q.Get("programme"), Stage: q.Get("stage"), Cursor: q.Get("cursor"), Limit: limit,
	})
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, page)
}

// handleEvents returns a page of a co-op's audit trail, oldest first.
func (s *server) handleEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := queryLimit(q)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	page, err := s.journey.Events(r.Context(), UserFrom(r.Context()), r.PathValue("id"), q.Get("cursor"), limit)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, page)
}

// queryLimit reads the optional page size; 0 means the default.
func queryLimit(q url.Values) (int, error) {
	v := q.Get("limit")
	if v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, pathway.Invalid(map[string]string{"limit": "Must be a whole number from 1 to " + strconv.Itoa(pathway.MaxPageSize)})
	}
	return min(n, pathway.MaxPageSize), nil
}

// ifMatchVersion reads an optional If-Match header holding the version of
// the record the caller saw, as the "version" field shows it ("3", or the
// ETag form with quotes); 0 when the request has none. A header that is
// there but blank, repeated or not a version is EINVALID naming If-Match:
// sent, it must be checked, so it never silently skips the version check.
func ifMatchVersion(r *http.Request) (int, error) {
	vs, sent := r.Header[http.CanonicalHeaderKey("If-Match")]
	if !sent {
		return 0, nil
	}
	bad := pathway.Invalid(map[string]string{"If-Match": "Give the version you loaded in the If-Match header, as a whole number such as \"3\""})
	bad.Message = "The If-Match header must hold the version you loaded, such as \"3\"; leave the header out only if you do not mind overwriting a change."
	if len(vs) != 1 {
		return 0, bad
	}
	v := strings.TrimPrefix(strings.TrimSpace(vs[0]), "W/")
	if q, ok := strings.CutPrefix(v, `"`); ok {
		if v, ok = strings.CutSuffix(q, `"`); !ok {
			return 0, bad
		}
	}
	if v == "" || len(v) > 9 || strings.Trim(v, "0123456789") != "" {
		return 0, bad
	}
	n, _ := strconv.Atoi(v) // nine digits at most: cannot fail
	if n < 1 {
		return 0, bad
	}
	return n, nil
}

// handleInbox returns a page of the caller's open tasks
// (?cursor=&limit=): {"tasks": [...], "next": "..."}.
func (s *server) handleInbox(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	limit, err := queryLimit(q)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	page, err := s.journey.InboxPage(r.Context(), UserFrom(r.Context()), q.Get("cursor"), limit)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, page)
}

// handleDecision answers a task. The body's shape depends on the task's
// kind, so the body is read (and an oversized one refused) first, the task
// is looked up and the caller's right to answer it checked, and only then
// is the body decoded into the answer the kind takes.
func (s *server) handleDecision(w http.ResponseWriter, r *http.Request) {
	ctx, u := r.Context(), UserFrom(r.Context())
	body, err := ReadBody(w, r)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	task, err := s.taskOf(ctx, u, r.PathValue("id"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if s.grantDecision(w, r, task, body) {
		return // a grant task, answered by the grants service
	}
	if s.tenderDecision(w, r, task, body) {
		return // a tender task, answered by the tenders service
	}
	t, c, err := s.journey.AnswerableTask(ctx, u, task)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	a, err := journey.AnswerFor(t.Kind)
	if err == nil {
		err = DecodeBody(body, a)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	v, err := s.journey.Decide(ctx, u, t, c, a)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, v)
}

// taskOf reads the task a decision answers, once, for the service its
// subject belongs to: a task that is missing, or an ID no task has, is
// "not found", as both services say.
func (s *server) taskOf(ctx context.Context, u *pathway.User, id string) (*pathway.Task, error) {
	return pathway.TaskFor(ctx, s.store, u, id)
}

// handleChecklist returns a co-op's checklist and its progress.
func (s *server) handleChecklist(w http.ResponseWriter, r *http.Request) {
	v, err := s.journey.Checklist(r.Context(), UserFrom(r.Context()), r.PathValue("id"))
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, v)
}

// handleMarkDone records a founder marking a checklist item done.
func (s *server) handleMarkDone(w http.ResponseWriter, r *http.Request) {
	var up journey.ItemUpdate
	err := DecodeJSON(w, r, &up)
	if err == nil {
		up.IfVersion, err = ifMatchVersion(r)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	it, err := s.journey.MarkDone(r.Context(), UserFrom(r.Context()), r.PathValue("id"), r.PathValue("item"), up)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, it)
}

// handleVerify records the agency accepting or returning a checklist item.
func (s *server) handleVerify(w http.ResponseWriter, r *http.Request) {
	var v journey.Verification
	err := DecodeJSON(w, r, &v)
	if err == nil {
		v.IfVersion, err = ifMatchVersion(r)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	it, err := s.journey.Verify(r.Context(), UserFrom(r.Context()), r.PathValue("id"), r.PathValue("item"), v)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, it)
}
