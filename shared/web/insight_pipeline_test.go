package web_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight/insightwire"
	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
	"github.com/oklog/ulid/v2"
)

// pipelineFixture is the web fixture's two agencies with the pipeline
// service wired over the real projector: each agency has one co-op
// (applied 2 June 2025) and the north two more, one of them at the panel.
func pipelineFixture(t *testing.T) *fixture {
	t.Helper()
	f := newFixture(t, nil)
	ctx := t.Context()
	proj := insightwire.New(f.store)
	ob := outbox.New(f.store, nil, nil, nil).WithInsight(proj)
	sweep := func() { // as the server's insight sweep would, every few seconds
		t.Helper()
		if _, err := ob.SweepInsight(ctx); err != nil {
			t.Fatal(err)
		}
	}
	at := time.Date(2025, 6, 2, 10, 0, 0, 0, time.UTC)
	for _, c := range []struct{ id, name string }{{"coop-fellgate-two", "Fellgate Carers"}, {"coop-fellgate-three", "Fellgate, \"Day\" Club"}} {
		coop := &pathway.Coop{ID: c.id, Name: c.name, Programme: progNorth, LegalForm: pathway.FormCooperativeSociety,
			Origin: "new-start", LocalAuthority: "Leeds", Services: []string{"day-care"},
			Members:  []pathway.Member{{Name: "Ysolde Brackenridge", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
			Founders: []string{founderA}, Stage: pathway.StageApplied, StageEnteredAt: at, CreatedAt: at, UpdatedAt: at}
		must(t, f.store.CreateCoop(ctx, coop, &pathway.Event{ID: ulid.Make().String(), Coop: c.id, At: at, Actor: founderA,
			Action: "application.submitted", Summary: "Applied.", To: pathway.StageApplied}, nil))
	}
	sweep()
	c, err := f.store.GetCoop(ctx, "coop-fellgate-two")
	must(t, err)
	moved := at.Add(72 * time.Hour)
	must(t, pathway.Move(c, pathway.StageAwaitingPanel, moved))
	must(t, f.store.UpdateCoop(ctx, c, &pathway.Event{ID: ulid.Make().String(), Coop: c.ID, At: moved, Actor: "staff",
		Action: "application.accepted", Summary: "To the panel.", From: pathway.StageApplied, To: pathway.StageAwaitingPanel}))
	sweep()
	f.h = web.New(web.Config{Store: f.store, Auth: web.ClaimsAuthenticator{},
		Pipeline: pipeline.NewService(proj, f.store, func() time.Time { return moved.Add(24 * time.Hour) })})
	return f
}

func TestInsightPipelineReport(t *testing.T) {
	f := pipelineFixture(t)
	res := f.call(t, http.MethodGet, "/api/insight/pipeline?cohort=2025-06", staff("agency", agencyNorth), "")
	if res.status != http.StatusOK {
		t.Fatalf("status %d: %s", res.status, res.body)
	}
	var rep struct {
		Stages []struct {
			Stage      string   `json:"stage"`
			Count      int64    `json:"count"`
			Reached    int64    `json:"reached"`
			MedianDays *float64 `json:"medianDays"`
			P90Days    *float64 `json:"p90Days"`
		} `json:"stages"`
		Conversion []struct {
			From string   `json:"from"`
			To   string   `json:"to"`
			Rate *float64 `json:"rate"`
		} `json:"conversion"`
		WaitingOn  struct{ Agency, Founders, Overdue *int64 } `json:"waitingOn"`
		Programmes []struct {
			ID    string `json:"id"`
			Coops int64  `json:"coops"`
		} `json:"programmes"`
		Total int64 `json:"total"`
	}
	must(t, json.Unmarshal([]byte(res.body), &rep))
	// North: three co-ops applied; one moved on to the panel after 3 days.
	if rep.Total != 3 || len(rep.Stages) != len(pipeline.Stages) || rep.Stages[0].Count != 2 || rep.Stages[0].Reached != 3 ||
		rep.Stages[1].Count != 1 || rep.Stages[0].MedianDays == nil || *rep.Stages[0].MedianDays != 3 || rep.Stages[1].MedianDays != nil {
		t.Errorf("report = %s", res.body)
	}
	if rep.Conversion[0].From != "applied" || rep.Conversion[0].To != "panel" || *rep.Conversion[0].Rate != 33.3 ||
		rep.WaitingOn.Agency == nil || rep.WaitingOn.Overdue == nil {
		t.Errorf("conversion / waiting = %s", res.body)
	}
	if len(rep.Programmes) != 1 || rep.Programmes[0].ID != progNorth || rep.Programmes[0].Coops != 3 {
		t.Errorf("programmes = %+v", rep.Programmes)
	}
}

func TestInsightPipelineErrorsAndAccess(t *testing.T) {
	f := pipelineFixture(t)
	res := f.call(t, http.MethodGet, "/api/insight/pipeline?cohort=June&area=Narnia", staff("agency", agencyNorth), "")
	if code, _, fields := errorOf(t, res.body); res.status != http.StatusBadRequest || code != pathway.EINVALID || fields["cohort"] == "" || fields["area"] == "" {
		t.Errorf("bad filter: %d %s", res.status, res.body)
	}
	res = f.call(t, http.MethodGet, "/api/insight/pipeline?programme="+progSouth, staff("agency", agencyNorth), "")
	if _, _, fields := errorOf(t, res.body); res.status != http.StatusBadRequest || fields["programme"] == "" {
		t.Errorf("another agency's programme: %d %s", res.status, res.body)
	}
	for _, claims := range []map[string]string{founder(founderA), staff("funder", "org-funder")} {
		for _, path := range []string{"/api/insight/pipeline", "/api/insight/pipeline.csv", "/api/insight/pipeline/coops"} {
			if res := f.call(t, http.MethodGet, path, claims, ""); res.status != http.StatusForbidden {
				t.Errorf("%s as %s: %d %s", path, claims["custom:role"], res.status, res.body)
			}
		}
	}
	res = f.call(t, http.MethodGet, "/api/insight/pipeline/coops?limit=many", staff("agency", agencyNorth), "")
	if _, _, fields := errorOf(t, res.body); res.status != http.StatusBadRequest || fields["limit"] == "" {
		t.Errorf("bad limit: %d %s", res.status, res.body)
	}
	// The south sees its one co-op, none of the north's.
	res = f.call(t, http.MethodGet, "/api/insight/pipeline/coops", staff("agency", agencySouth), "")
	var page struct {
		Rows []struct{ ID string } `json:"rows"`
	}
	must(t, json.Unmarshal([]byte(res.body), &page))
	if len(page.Rows) != 1 || page.Rows[0].ID != coopSouth {
		t.Errorf("south's rows = %s", res.body)
	}
}

func TestInsightPipelineCoopsAndCSV(t *testing.T) {
	f := pipelineFixture(t)
	res := f.call(t, http.MethodGet, "/api/insight/pipeline/coops?sort=name&q=fellgate", staff("agency", agencyNorth), "")
	var page struct {
		Rows []struct{ ID, Stage string } `json:"rows"`
	}
	must(t, json.Unmarshal([]byte(res.body), &page))
	if res.status != http.StatusOK || len(page.Rows) != 2 || page.Rows[0].ID != "coop-fellgate-two" || page.Rows[0].Stage != "panel" {
		t.Errorf("search = %d %s", res.status, res.body)
	}
	res = f.call(t, http.MethodGet, "/api/insight/pipeline.csv?programme="+progNorth+"&service=day-care", staff("agency", agencyNorth), "")
	if res.status != http.StatusOK || res.headers["Content-Type"] != "text/csv; charset=utf-8" ||
		!strings.HasPrefix(res.headers["Content-Disposition"], "attachment;") {
		t.Fatalf("csv: %d %v", res.status, res.headers)
	}
	body := []byte(res.body)
	if !bytes.HasPrefix(body, []byte("\uFEFF")) {
		t.Fatal("no byte-order mark")
	}
	recs, err := csv.NewReader(bytes.NewReader(body[3:])).ReadAll()
	must(t, err)
	if len(recs) != 3 || recs[1][0] != "Fellgate Carers" || recs[2][0] != `Fellgate, "Day" Club` || recs[1][7] != "02/06/2025" {
		t.Errorf("csv records = %q", recs)
	}
}
