// Package backfill teaches the dashboards' aggregates about the subjects
// a deployment already holds: the projector only learns of a co-op, a
// grant application or a tender when it next has an event, so after an
// upgrade (or on a data directory from before the aggregates) the
// dashboards would stay empty until each changed. Run refreshes every one
// of them once, finding them through the existing indexes (never a table
// scan); a refresh of unchanged facts writes nothing, so a run may be
// repeated or interrupted safely.
//
// The indexes are read eventually consistently: a subject that changes
// during a run may be missed by it, but its change's event carries its own
// refresh (the outbox's insight delivery), so it is counted all the same.
package backfill

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

// Coops finds the co-ops: every programme, then each stage's page of the
// pipeline index (shared/store).
type Coops interface {
	ListProgrammes(ctx context.Context) ([]*pathway.Programme, error)
	ListCoops(ctx context.Context, f pathway.CoopFilter) (*pathway.CoopPage, error)
}

// Applications finds a co-op's grant applications (grantstore).
type Applications interface {
	ListCoopApplications(ctx context.Context, coop string) ([]*grants.Application, error)
}

// Tenders finds the tenders of one status, a page at a time (tenderstore).
type Tenders interface {
	ListTendersByStatus(ctx context.Context, status, cursor string, limit int) (*tenderstore.TenderPage, error)
}

// Refresher brings one subject's share of the aggregates up to date (the
// projector, shared/insight/project).
type Refresher interface {
	Refresh(ctx context.Context, kind, id string, at time.Time) error
}

// Backfill is what a run reads and refreshes through.
type Backfill struct {
	Coops        Coops
	Applications Applications
	Tenders      Tenders
	Refresher    Refresher
	// Table, when set, receives the marker of a run that completed with
	// no failure (see Needed).
	Table table.Table
	// Now gives the time of the refreshes; nil means time.Now.
	Now func() time.Time
	// Log receives one line per subject that failed, and a summary; nil
	// means slog.Default().
	Log *slog.Logger
}

// Report counts what a run refreshed (failures included in Failed only).
type Report struct {
	Coops        int `json:"coops"`
	Applications int `json:"applications"`
	Tenders      int `json:"tenders"`
	Failed       int `json:"failed"`
}

func (r Report) String() string {
	return fmt.Sprintf("%d co-ops, %d grant applications, %d tenders refreshed; %d failed",
		r.Coops, r.Applications, r.Tenders, r.Failed)
}

// maxErrs bounds the failures kept for the error Run returns; the log has
// every one.
const maxErrs = 10

// run is one run's state.
type run struct {
	b    Backfill
	at   time.Time
	rep  Report
	errs []error
}

// Run refreshes every co-op, every grant application and every tender.
// A subject that fails is logged and counted, and the run goes on; the
// error at the end sums up the failures (and any listing that failed).
// Only a run with no failure writes the marker. A cancelled context stops
// the run and is returned.
func Run(ctx context.Context, b Backfill) (Report, error) {
	if b.Now == nil {
		b.Now = time.Now
	}
	if b.Log == nil {
		b.Log = slog.Default()
	}
	r := &run{b: b, at: b.Now()}
	if err := r.coops(ctx); err != nil {
		return r.rep, err
	}
	if err := r.tenders(ctx); err != nil {
		return r.rep, err
	}
	b.Log.Info("insight backfill finished", "coops", r.rep.Coops, "applications", r.rep.Applications,
		"tenders", r.rep.Tenders, "failed", r.rep.Failed)
	if r.rep.Failed > 0 {
		return r.rep, fmt.Errorf("backfill: %d failed (%s): %w", r.rep.Failed, r.rep, errors.Join(r.errs...))
	}
	if b.Table != nil {
		if err := MarkDone(ctx, b.Table, r.rep, b.Now()); err != nil {
			return r.rep, err
		}
	}
	return r.rep, nil
}

// fail logs and counts one failure; it reports whether the run must stop
// (the context is done).
func (r *run) fail(ctx context.Context, what, id string, err error) error {
	if ctx.Err() != nil {
		return ctx.Err()
	}
	r.rep.Failed++
	r.b.Log.Error("insight backfill: a subject failed; going on", "subject", what, "id", id, "err", err)
	if len(r.errs) < maxErrs {
		r.errs = append(r.errs, fmt.Errorf("%s %s: %w", what, id, err))
	}
	return nil
}

// coops walks every programme's every stage of the pipeline index, and
// for each co-op refreshes it and its grant applications.
func (r *run) coops(ctx context.Context) error {
	progs, err := r.b.Coops.ListProgrammes(ctx)
	if err != nil {
		return r.fail(ctx, "programmes", "", err)
	}
	for _, p := range progs {
		for _, stage := range pathway.Stages {
			if err := r.stage(ctx, p.ID, stage); err != nil {
				return err
			}
		}
	}
	return nil
}

// stage refreshes the co-ops of one programme in one stage, page by page.
func (r *run) stage(ctx context.Context, prog, stage string) error {
	cursor := ""
	for {
		page, err := r.b.Coops.ListCoops(ctx, pathway.CoopFilter{Programme: prog, Stage: stage, Cursor: cursor, Limit: pathway.MaxPageSize})
		if err != nil {
			return r.fail(ctx, "pipeline page", prog+"/"+stage, err)
		}
		for _, c := range page.Coops {
			if err := r.coop(ctx, c.ID); err != nil {
				return err
			}
		}
		if page.Next == "" {
			return nil
		}
		cursor = page.Next
	}
}

// coop refreshes one co-op, then its grant applications.
func (r *run) coop(ctx context.Context, id string) error {
	if err := r.b.Refresher.Refresh(ctx, pathway.SubjectCoop, id, r.at); err != nil {
		if err := r.fail(ctx, pathway.SubjectCoop, id, err); err != nil {
			return err
		}
	} else {
		r.rep.Coops++
	}
	apps, err := r.b.Applications.ListCoopApplications(ctx, id)
	if err != nil {
		return r.fail(ctx, "applications of co-op", id, err)
	}
	for _, a := range apps {
		if err := r.b.Refresher.Refresh(ctx, pathway.SubjectGrantApplication, a.ID, r.at); err != nil {
			if err := r.fail(ctx, pathway.SubjectGrantApplication, a.ID, err); err != nil {
				return err
			}
			continue
		}
		r.rep.Applications++
	}
	return nil
}

// tenders refreshes the tenders of every status, page by page.
func (r *run) tenders(ctx context.Context) error {
	for _, s := range tenders.Statuses {
		cursor := ""
		for {
			page, err := r.b.Tenders.ListTendersByStatus(ctx, s.Code, cursor, pathway.MaxPageSize)
			if err != nil {
				if err := r.fail(ctx, "tenders of status", s.Code, err); err != nil {
					return err
				}
				break
			}
			for _, t := range page.Tenders {
				if err := r.b.Refresher.Refresh(ctx, pathway.SubjectTender, t.ID, r.at); err != nil {
					if err := r.fail(ctx, pathway.SubjectTender, t.ID, err); err != nil {
						return err
					}
					continue
				}
				r.rep.Tenders++
			}
			if page.Next == "" {
				break
			}
			cursor = page.Next
		}
	}
	return nil
}
