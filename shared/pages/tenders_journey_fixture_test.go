package pages_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/oklog/ulid/v2"

	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/infra/local/localfiles"
	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/infra/repotest"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/web"
	"github.com/coopcarepathway/pathway/shared/workflowsteps"
)

// The tender journey's co-ops: both registered with CQC for personal care,
// on the Moorside programme (so Rowan Example's agency follows them), one
// founded by Ash Example and one by Bea Example.
const (
	tjCoopA = "coop-juniper-care"
	tjCoopB = "coop-linden-care"
)

// tjStart is Tuesday 1 June 2027, 10:00 in the UK: the journey's fake
// clock starts here, and moves only when the test moves it.
var tjStart = time.Date(2027, 6, 1, 9, 0, 0, 0, time.UTC)

// tenderJourneyEnv is the whole application on one fake clock: the local
// engine runs the real tender workflow with the real step handlers, its
// Wait states and task timeouts are timers of the clock, and the services,
// the API and the pages read the same clock. Only the dev sign-in keeps
// real time, for its sessions' expiry.
type tenderJourneyEnv struct {
	*env
	clock *states.FakeClock
	ts    *tenderstore.Store
	svc   *tenderservice.Service
}

// newTenderJourneyEnv starts the application with the council (a lead,
// two evaluators and one more member of staff), the agency and its
// programme, the founders and the agency's officer, and the two co-ops.
func newTenderJourneyEnv(t *testing.T) *tenderJourneyEnv {
	t.Helper()
	st, dir := openStore(t)
	clock := states.NewFakeClock(tjStart)
	e, err := states.New(states.Options{Clock: clock})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = e.Close() })
	for id, fn := range workflowsteps.Handlers(st, st.Table(), clock.Now) {
		e.RegisterHandler(id, states.TypedHandler(fn))
	}
	if err := e.LoadTemplate(filepath.Join(repotest.Root(t), "template.yaml")); err != nil {
		t.Fatal(err)
	}
	auth, err := devauth.New(st, dir)
	if err != nil {
		t.Fatal(err)
	}
	wf := localsfn.New(e)
	blobs, err := localfiles.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	v := &tenderJourneyEnv{env: &env{t: t, ctx: context.Background(), store: st, engine: e, auth: auth}, clock: clock,
		ts: tenderstore.New(st.Table())}
	v.journey = journey.New(st, wf, clock.Now).WithFiles(blobs)
	g := grantservice.New(st, grantstore.New(st.Table()), wf, clock.Now)
	svc := tenderservice.New(st, v.ts, wf, clock.Now).WithLogger(quietLogger())
	v.svc = svc
	p := pages.New(pages.Config{Journey: v.journey, Now: clock.Now, Logger: quietLogger(), Grants: g, Tenders: svc})
	mux := http.NewServeMux()
	mux.Handle("POST "+localfiles.UploadPath, blobs.Handler()) // the browser posts bids' files straight to storage
	mux.Handle("/", web.New(web.Config{Store: st, Workflows: wf, Journey: v.journey, Grants: g, Tenders: svc, Pages: p, Auth: auth,
		Mount: auth.Routes(), Now: clock.Now, SignInURL: "/auth/dev-users", SignOutURL: "/auth/dev-logout", Logger: quietLogger()}))
	v.srv = httptest.NewServer(mux)
	t.Cleanup(v.srv.Close)
	v.seed()
	v.must(st.PutOrganisation(v.ctx, &pathway.Organisation{ID: tcCouncil, Name: "Harrowdale Council", Kind: pathway.OrgCouncil}))
	for _, u := range councilUsers[:4] {
		v.must(st.PutUser(v.ctx, u))
	}
	for _, c := range []struct{ id, name, founder string }{{tjCoopA, "Juniper Care Co-operative", founderID}, {tjCoopB, "Linden Care Co-operative", founder2ID}} {
		co := &pathway.Coop{ID: c.id, Name: c.name, Programme: programmeID, LegalForm: pathway.FormCooperativeSociety,
			Origin: pathway.OriginNewStart, LocalAuthority: "Leeds", Services: []string{"home-care"},
			RegulatedActivities: []string{pathway.ActivityPersonalCare}, RegisterNumber: "7702R",
			Members:  []pathway.Member{{Name: "Zephyr Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
			Founders: []string{c.founder}, Stage: pathway.StageCQCRegistered, StageEnteredAt: tjStart, CreatedAt: tjStart, UpdatedAt: tjStart}
		ev := &pathway.Event{ID: ulid.Make().String(), Coop: c.id, At: tjStart, Actor: c.founder, Action: "application.submitted", Summary: "Applied.", To: co.Stage}
		v.must(st.CreateCoop(v.ctx, co, ev, nil))
	}
	return v
}

// later lets the engine finish what it is doing, moves the clock on by d
// (firing the Wait states and timeouts that fall due on the way, in order)
// and lets the engine finish again.
func (v *tenderJourneyEnv) later(d time.Duration) {
	v.engine.WaitIdle()
	v.clock.Advance(d)
	v.engine.WaitIdle()
}

// until moves the clock on to at.
func (v *tenderJourneyEnv) until(at time.Time) {
	v.t.Helper()
	if d := at.Sub(v.clock.Now()); d > 0 {
		v.later(d)
	}
}

// tender reads the tender as stored.
func (v *tenderJourneyEnv) tender(id string) *tenders.Tender {
	v.t.Helper()
	td, err := v.ts.GetTender(v.ctx, id)
	v.must(err)
	return td
}

// waitTender waits for the workflow to move the tender to the status.
func (v *tenderJourneyEnv) waitTender(id, status string) *tenders.Tender {
	v.t.Helper()
	var td *tenders.Tender
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		v.engine.WaitIdle()
		if td = v.tender(id); td.Status == status {
			return td
		}
	}
	v.t.Fatalf("tender %s did not reach %s; it is %s", id, status, td.Status)
	return nil
}

// tenderTask waits for the workflow's open task of the kind on the
// subject, for the user when user is not empty.
func (v *tenderJourneyEnv) tenderTask(subject pathway.Subject, kind, user string) *pathway.Task {
	v.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		v.engine.WaitIdle()
		ts, err := v.store.ListTasks(v.ctx, pathway.TaskFilter{Subject: subject})
		v.must(err)
		for _, t := range ts {
			if t.Kind == kind && t.Status == pathway.TaskOpen && (user == "" || t.User == user) {
				return t
			}
		}
	}
	ts, _ := v.store.ListTasks(v.ctx, pathway.TaskFilter{Subject: subject})
	for _, t := range ts {
		v.t.Logf("task %s %s %s %s", t.ID, t.Kind, t.Status, t.User)
	}
	v.t.Fatalf("no open %s task on %s %s for %q", kind, subject.Kind, subject.ID, user)
	return nil
}

// choice clicks the radio or checkbox labelled label in the fieldset
// whose legend contains legend (forms have many "Yes" and "No").
func (b *browser) choice(legend, label string) {
	b.t.Helper()
	b.run("choose "+label+" for "+legend,
		chromedp.Click(`//fieldset[legend[contains(., "`+legend+`")]]//label[normalize-space(.)="`+label+`"]`))
}

// date types a day, month and year into a date field with the id.
func (b *browser) date(id string, day, month, year int) {
	b.t.Helper()
	b.fill(id, itoa(day))
	b.fill(id+"-month", itoa(month))
	b.fill(id+"-year", itoa(year))
}
