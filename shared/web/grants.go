package web

// The grants phase's API: programmes, applications, declarations, budgets
// and the 360Giving download. The handlers only map HTTP to the grants
// service (shared/grants/grantservice), where the rules live.

import (
	"bytes"
	"context"
	"net/http"
	"net/url"

	"github.com/coopcarepathway/pathway/shared/giving360"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// defaultGrants returns the grants service over the server's store, when
// the store holds its table (shared/store does), or nil.
func defaultGrants(s *server) *grantservice.Service {
	ts, ok := s.store.(interface{ Table() table.Table })
	if !ok {
		return nil
	}
	return grantservice.New(s.store, grantstore.New(ts.Table()), s.workflows, s.now).WithLogger(s.log)
}

// grantsOf returns the grants service, or an internal error when none is
// configured (a wiring mistake).
func (s *server) grantsOf() (*grantservice.Service, error) {
	if s.grants == nil {
		return nil, pathway.Errorf(pathway.EINTERNAL, "web: no grants service configured")
	}
	return s.grants, nil
}

// grantProgrammeLocation and grantApplicationLocation are the records' addresses.
func grantProgrammeLocation(id string) string {
	return "/api/grant-programmes/" + url.PathEscape(id)
}

func grantApplicationLocation(id string) string {
	return "/api/grant-applications/" + url.PathEscape(id)
}

// handleGrantProgrammes lists the programmes the caller may see:
// {"programmes": [...]}.
func (s *server) handleGrantProgrammes(w http.ResponseWriter, r *http.Request) {
	serviceRead(w, r, s.grantsOf, func(g *grantservice.Service, ctx context.Context, u *pathway.User) (any, error) {
		ps, err := g.Programmes(ctx, u)
		return map[string]any{"programmes": ps}, err
	})
}

// handleGrantProgramme returns one programme.
func (s *server) handleGrantProgramme(w http.ResponseWriter, r *http.Request) {
	serviceRead(w, r, s.grantsOf, func(g *grantservice.Service, ctx context.Context, u *pathway.User) (*grantservice.ProgrammeView, error) {
		return g.Programme(ctx, u, r.PathValue("id"))
	})
}

// handleCreateGrantProgramme stores a new programme of the lead's funder:
// 201 with its Location.
func (s *server) handleCreateGrantProgramme(w http.ResponseWriter, r *http.Request) {
	location := func(p *grants.Programme) string { return grantProgrammeLocation(p.ID) }
	serviceCreate(w, r, s.grantsOf, location, func(g *grantservice.Service, ctx context.Context, u *pathway.User, p *grants.Programme) (*grants.Programme, error) {
		return g.CreateProgramme(ctx, u, p)
	})
}

// handleUpdateGrantProgramme replaces a programme, if unchanged since the
// version in If-Match (or the body's "version").
func (s *server) handleUpdateGrantProgramme(w http.ResponseWriter, r *http.Request) {
	g, err := s.grantsOf()
	var p grants.Programme
	if err == nil {
		err = DecodeJSON(w, r, &p)
	}
	version := 0
	if err == nil {
		version, err = ifMatchVersion(r)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	out, err := g.UpdateProgramme(r.Context(), UserFrom(r.Context()), r.PathValue("id"), &p, version)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, out)
}

// handleGrantBudget returns {"budget","awarded","paid","remaining"} in pence.
func (s *server) handleGrantBudget(w http.ResponseWriter, r *http.Request) {
	serviceRead(w, r, s.grantsOf, func(g *grantservice.Service, ctx context.Context, u *pathway.User) (grants.Budget, error) {
		return g.Budget(ctx, u, r.PathValue("id"))
	})
}

// handleGrantApply stores a founder's application and starts its
// workflow: 201 with the application and its Location. With an
// Idempotency-Key a retry gets the first response back (the ID derives
// from the key, so concurrent duplicates create one application); the
// same key with another application is 409, as for POST /api/coops.
func (s *server) handleGrantApply(w http.ResponseWriter, r *http.Request) {
	serviceCreateOnce(s, w, r, s.grantsOf, "grant-apply", grantservice.ApplicationInput.Fingerprint,
		func(g *grantservice.Service, ctx context.Context, u *pathway.User, key string, in grantservice.ApplicationInput) (string, any, error) {
			v, err := g.Apply(ctx, u, grantservice.ApplicationID(u.ID, key), in)
			if err != nil {
				return "", nil, err
			}
			return grantApplicationLocation(v.ID), v, nil
		})
}

// handleGrantApplication returns an application as the caller may see it.
func (s *server) handleGrantApplication(w http.ResponseWriter, r *http.Request) {
	serviceRead(w, r, s.grantsOf, func(g *grantservice.Service, ctx context.Context, u *pathway.User) (*grantservice.ApplicationView, error) {
		return g.Application(ctx, u, r.PathValue("id"))
	})
}

// handleGrantApplications returns a page of one programme's applications
// in one status (?programme=&status=&cursor=&limit=, funder staff), or a
// co-op's applications (?coop=, its founders and agency).
func (s *server) handleGrantApplications(w http.ResponseWriter, r *http.Request) {
	ctx, u, q := r.Context(), UserFrom(r.Context()), r.URL.Query()
	g, err := s.grantsOf()
	limit := 0
	if err == nil {
		limit, err = queryLimit(q)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	if coop := q.Get("coop"); coop != "" {
		apps, err := g.CoopApplications(ctx, u, coop)
		if err != nil {
			WriteError(w, r, err)
			return
		}
		writePrivate(w, http.StatusOK, map[string]any{"applications": apps})
		return
	}
	page, err := g.Applications(ctx, u, q.Get("programme"), q.Get("status"), q.Get("cursor"), limit)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, page)
}

// handleGrantEvents returns a page of an application's audit trail.
func (s *server) handleGrantEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	g, err := s.grantsOf()
	limit := 0
	if err == nil {
		limit, err = queryLimit(q)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	page, err := g.Events(r.Context(), UserFrom(r.Context()), r.PathValue("id"), q.Get("cursor"), limit)
	if err != nil {
		WriteError(w, r, err)
		return
	}
	writePrivate(w, http.StatusOK, page)
}

// handleGrantDeclaration records the assigned reviewer's declaration:
// {"conflict":false} or {"conflict":true,"reason":"…"}.
func (s *server) handleGrantDeclaration(w http.ResponseWriter, r *http.Request) {
	serviceWrite(w, r, s.grantsOf, http.StatusOK, false, func(g *grantservice.Service, ctx context.Context, u *pathway.User, d *grants.DeclarationAnswer) (*grantservice.DeclarationResult, error) {
		return g.Declare(ctx, u, r.PathValue("id"), *d)
	})
}

// grantDecision answers POST /api/tasks/{id}/decision when the task is a
// grant task (its subject a grant application), and reports whether it
// did; other tasks are left to the journey.
func (s *server) grantDecision(w http.ResponseWriter, r *http.Request, task *pathway.Task, body []byte) bool {
	if s.grants == nil || !grantservice.IsGrantTask(task) {
		return false // the journey answers
	}
	serviceDecision(w, r, s.grants, grantservice.AnswerFor, task, body)
	return true
}

// handleGiving360JSON downloads the funder's awarded grants as a
// 360Giving package (schema 1.4).
func (s *server) handleGiving360JSON(w http.ResponseWriter, r *http.Request) {
	s.giving360(w, r, "application/json; charset=utf-8", "360giving.json", func(buf *bytes.Buffer, f giving360.Funder, gs []giving360.Grant) error {
		return giving360.WriteJSON(buf, f, gs, giving360.Meta{Issued: s.now()})
	})
}

// handleGiving360CSV downloads them as CSV with 360Giving's column titles,
// one row per grant.
func (s *server) handleGiving360CSV(w http.ResponseWriter, r *http.Request) {
	s.giving360(w, r, "text/csv; charset=utf-8", "360giving.csv", func(buf *bytes.Buffer, f giving360.Funder, gs []giving360.Grant) error {
		return giving360.WriteCSV(buf, f, gs)
	})
}

// giving360 writes the funder's grants with write into a buffer first, so
// that a fault is a clean JSON error, then sends them as a download.
func (s *server) giving360(w http.ResponseWriter, r *http.Request, contentType, name string, write func(*bytes.Buffer, giving360.Funder, []giving360.Grant) error) {
	g, err := s.grantsOf()
	if err != nil {
		WriteError(w, r, err)
		return
	}
	f, gs, err := g.Giving(r.Context(), UserFrom(r.Context()), r.PathValue("org"))
	var buf bytes.Buffer
	if err == nil {
		err = write(&buf, f, gs)
	}
	if err != nil {
		WriteError(w, r, err)
		return
	}
	w.Header().Set("Content-Type", contentType)
	w.Header().Set("Content-Disposition", `attachment; filename="`+name+`"`)
	w.Header().Set("Cache-Control", "private, no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(buf.Bytes())
}
