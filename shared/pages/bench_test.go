package pages_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// seedPipeline stores n co-ops of the agency's programme spread over every
// stage, a quarter of those before the panel with an overdue panel task.
func seedPipeline(tb testing.TB, st pathway.Store, n int, now time.Time) {
	tb.Helper()
	ctx := context.Background()
	must := func(err error) {
		tb.Helper()
		if err != nil {
			tb.Fatal(err)
		}
	}
	must(st.PutOrganisation(ctx, &pathway.Organisation{ID: agencyID, Name: "Moorside Co-op Development", Kind: pathway.OrgAgency}))
	must(st.PutProgramme(ctx, &pathway.Programme{ID: programmeID, Name: "Moorside Care Co-op Start-up", Agency: agencyID,
		Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 2}}))
	for _, u := range users {
		must(st.PutUser(ctx, u))
	}
	for i := range n {
		stage := pathway.Stages[i%len(pathway.Stages)]
		entered := now.Add(-time.Duration(i%90) * 24 * time.Hour)
		c := &pathway.Coop{
			ID: fmt.Sprintf("coop-bench-%05d", i), Name: fmt.Sprintf("Bench Care Co-op %d", i), Programme: programmeID,
			LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginNewStart, LocalAuthority: "Calderdale",
			Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
			Members: []pathway.Member{{Name: "Ash Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Cal Example", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager}},
			Founders: []string{founderID}, Stage: stage, StageEnteredAt: entered, CreatedAt: entered, UpdatedAt: entered,
		}
		must(st.CreateCoop(ctx, c, &pathway.Event{ID: fmt.Sprintf("01JQ%022d", i), Coop: c.ID, At: entered,
			Actor: founderID, Action: "application.submitted", Summary: "Applied.", To: stage}, nil))
		if stage == pathway.StageAwaitingPanel && (i/len(pathway.Stages))%4 == 0 { // every fourth
			_, err := st.PutTask(ctx, &pathway.Task{ID: c.ID + ".panel", Kind: pathway.TaskPanelDecision, Coop: c.ID,
				Organisation: agencyID, Role: pathway.RoleAgency, Title: "Panel decision: " + c.Name,
				Due: entered.Add(14 * 24 * time.Hour), Token: "token-" + c.ID, Status: pathway.TaskOpen, CreatedAt: entered})
			must(err)
		}
	}
}

// boardServer returns the application handler over a store seeded with n
// co-ops, and the agency officer's session cookie.
func boardServer(tb testing.TB, n int) (http.Handler, *http.Cookie) {
	tb.Helper()
	st, dir := openStore(tb)
	seedPipeline(tb, st, n, time.Now())
	auth, err := devauth.New(st, dir)
	if err != nil {
		tb.Fatal(err)
	}
	h := site(web.Config{Store: st, Auth: auth, Logger: quietLogger()})
	token, _ := auth.Token(officerID)
	return h, &http.Cookie{Name: devauth.CookieName, Value: token}
}

// BenchmarkBoard10000 measures the server time to render the pipeline
// board for an agency whose programme has 10,000 co-ops, through the whole
// handler (sign-in, middleware, page). It reports the median as well as
// the mean, because the target is a median (under 5 ms).
func BenchmarkBoard10000(b *testing.B) {
	h, cookie := boardServer(b, 10000)
	req := httptest.NewRequest("GET", "/board", nil)
	req.AddCookie(cookie)
	times := make([]time.Duration, 0, b.N)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		start := time.Now()
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		times = append(times, time.Since(start))
		if rec.Code != 200 {
			b.Fatalf("GET /board = %d", rec.Code)
		}
	}
	slices.Sort(times)
	b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
}

// TestBoardPagesLargeColumns shows the board reads only the first few
// co-ops of each stage while counting them all, and a column's own pages
// walk every co-op once by cursor.
func TestBoardPagesLargeColumns(t *testing.T) {
	stages := len(pathway.Stages)
	n := stages * 60 // 60 co-ops in each stage
	h, cookie := boardServer(t, n)
	get := func(path string) string {
		t.Helper()
		req := httptest.NewRequest("GET", path, nil)
		req.AddCookie(cookie)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Fatalf("GET %s = %d", path, rec.Code)
		}
		return rec.Body.String()
	}
	board := get("/board")
	// Every stage has co-ops, so every column shows, each with 5 cards.
	if got := strings.Count(board, `<li class="board__card`); got != stages*5 {
		t.Errorf("board shows %d cards, want 5 in each of %d columns", got, stages)
	}
	if !strings.Contains(board, fmt.Sprintf("(%d co-ops)", n)) || strings.Count(board, `<span class="board__count">(60)</span>`) != stages {
		t.Errorf("board counts are wrong")
	}
	// 15 of the 60 before the panel have a panel task (every fourth).
	if !strings.Contains(board, "15 waiting on the agency") {
		t.Errorf("the awaiting-panel column does not say that 15 co-ops wait on the agency")
	}
	if !strings.Contains(board, `href="/board/`+programmeID+`/awaiting-panel"`) {
		t.Errorf("no link to the whole awaiting-panel column")
	}
	if !strings.Contains(board, "Overdue") {
		t.Errorf("no co-op is marked overdue, though a quarter of those before the panel have an overdue task")
	}
	seen := map[string]bool{}
	path := "/board/" + programmeID + "/awaiting-panel"
	for pages := 0; path != ""; pages++ {
		if pages > 5 {
			t.Fatal("the column's pages do not end")
		}
		body := get(path)
		for _, part := range strings.Split(body, `<a href="/coops/`)[1:] {
			id, _, _ := strings.Cut(part, `"`)
			if seen[id] {
				t.Errorf("%s is on two pages", id)
			}
			seen[id] = true
		}
		path = ""
		if _, rest, ok := strings.Cut(body, `<a href="/board/`+programmeID+`/awaiting-panel?cursor=`); ok {
			cursor, _, _ := strings.Cut(rest, `"`)
			path = "/board/" + programmeID + "/awaiting-panel?cursor=" + strings.ReplaceAll(cursor, "&amp;", "&")
		}
	}
	if len(seen) != 60 {
		t.Errorf("the column's pages show %d co-ops, want all 60", len(seen))
	}
}
