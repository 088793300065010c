package backfill_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/insight/backfill"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

// paged holds subjects in pages of two, with cursors, as the indexes do.
type paged struct {
	coops   map[string][]string // "<programme>/<stage>" → co-op IDs
	apps    map[string][]string // co-op → application IDs
	tenders map[string][]string // status → tender IDs
	pages   int
}

func page(ids []string, cursor string) ([]string, string) {
	from := 0
	if cursor != "" {
		from, _ = strconv.Atoi(cursor)
	}
	to := min(from+2, len(ids))
	next := ""
	if to < len(ids) {
		next = strconv.Itoa(to)
	}
	return ids[from:to], next
}

func (p *paged) ListProgrammes(context.Context) ([]*pathway.Programme, error) {
	return []*pathway.Programme{{ID: "prog-a"}, {ID: "prog-b"}}, nil
}

func (p *paged) ListCoops(_ context.Context, f pathway.CoopFilter) (*pathway.CoopPage, error) {
	p.pages++
	ids, next := page(p.coops[f.Programme+"/"+f.Stage], f.Cursor)
	out := &pathway.CoopPage{Next: next}
	for _, id := range ids {
		out.Coops = append(out.Coops, &pathway.Coop{ID: id})
	}
	return out, nil
}

func (p *paged) ListCoopApplications(_ context.Context, coop string) ([]*grants.Application, error) {
	var out []*grants.Application
	for _, id := range p.apps[coop] {
		out = append(out, &grants.Application{ID: id})
	}
	return out, nil
}

func (p *paged) ListTendersByStatus(_ context.Context, status, cursor string, _ int) (*tenderstore.TenderPage, error) {
	ids, next := page(p.tenders[status], cursor)
	out := &tenderstore.TenderPage{Next: next}
	for _, id := range ids {
		out.Tenders = append(out.Tenders, &tenders.Tender{ID: id})
	}
	return out, nil
}

type record struct{ seen []string }

func (r *record) Refresh(_ context.Context, kind, id string, _ time.Time) error {
	r.seen = append(r.seen, kind+"/"+id)
	return nil
}

// Every page of every programme's every stage, and of every tender
// status, is followed to its end.
func TestEveryPageIsRead(t *testing.T) {
	p := &paged{coops: map[string][]string{}, apps: map[string][]string{}, tenders: map[string][]string{}}
	var want []string
	for _, prog := range []string{"prog-a", "prog-b"} {
		for _, stage := range []string{pathway.StageApplied, pathway.StageWithdrawn, pathway.StageClosed} {
			for i := range 5 {
				id := fmt.Sprintf("coop-%s-%s-%d", prog, stage, i)
				p.coops[prog+"/"+stage] = append(p.coops[prog+"/"+stage], id)
				want = append(want, "coop/"+id)
			}
		}
	}
	p.apps["coop-prog-b-closed-4"] = []string{"ga-1", "ga-2", "ga-3"}
	want = append(want, "grant-application/ga-1", "grant-application/ga-2", "grant-application/ga-3")
	for _, s := range []string{tenders.StatusDraft, tenders.StatusCancelled} {
		for i := range 3 {
			id := fmt.Sprintf("td-%s-%d", s, i)
			p.tenders[s] = append(p.tenders[s], id)
			want = append(want, "tender/"+id)
		}
	}
	r := &record{}
	rep, err := backfill.Run(context.Background(), backfill.Backfill{Coops: p, Applications: p, Tenders: p, Refresher: r, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	if rep != (backfill.Report{Coops: 30, Applications: 3, Tenders: 6}) {
		t.Errorf("report = %+v", rep)
	}
	slices.Sort(want)
	slices.Sort(r.seen)
	if !slices.Equal(r.seen, want) {
		t.Errorf("refreshed %v\nwant %v", r.seen, want)
	}
	if min := 2 * len(pathway.Stages); p.pages < min {
		t.Errorf("read %d pipeline pages, want at least one per programme and stage (%d)", p.pages, min)
	}
}

// cancelling stops the run at its first refresh.
type cancelling struct {
	cancel func()
	n      int
}

func (c *cancelling) Refresh(ctx context.Context, _, _ string, _ time.Time) error {
	c.n++
	c.cancel()
	return ctx.Err()
}

// A cancelled run stops, returns the context's error, counts no failure
// and writes no marker.
func TestCancelledRunStops(t *testing.T) {
	p := &paged{coops: map[string][]string{"prog-a/applied": {"coop-1", "coop-2", "coop-3"}}}
	ctx, cancel := context.WithCancel(context.Background())
	r := &cancelling{cancel: cancel}
	tbl := &counting{Table: nil}
	rep, err := backfill.Run(ctx, backfill.Backfill{Coops: p, Applications: p, Tenders: p, Refresher: r, Table: tbl, Log: quiet})
	if !errors.Is(err, context.Canceled) || rep.Failed != 0 || r.n != 1 || tbl.writes.Load() != 0 {
		t.Errorf("err %v, report %+v, %d refreshes, %d writes; want cancelled after one, no marker", err, rep, r.n, tbl.writes.Load())
	}
}
