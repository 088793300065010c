package funding_test

import (
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/insight/funding"
	"github.com/coopcarepathway/pathway/shared/insight/funding/fundingtest"
	"github.com/coopcarepathway/pathway/shared/insight/insightwire"
	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// engines runs f on the embedded store and on DynamoDB Local.
func engines(t *testing.T, f func(t *testing.T, st *store.Store)) {
	t.Run("embedded", func(t *testing.T) { f(t, testkit.Store(t)) })
	t.Run("dynamodb", func(t *testing.T) { f(t, testkit.DynamoStore(t)) })
}

// TestDashboardFromTheGrantsService seeds applications through the real
// grants service, refreshes them through the projector after every
// change, and checks every figure against the numbers worked out by hand
// (fundingtest.CheckReport). Refreshing everything again adds nothing.
func TestDashboardFromTheGrantsService(t *testing.T) {
	engines(t, func(t *testing.T, st *store.Store) {
		proj := insightwire.New(st)
		seeded := fundingtest.Seed(t, st, proj)
		svc := funding.NewService(proj, grantstore.New(st.Table()), func() time.Time { return fundingtest.Today })
		r, err := svc.Report(t.Context(), fundingtest.Staff, fundingtest.Funder)
		testkit.Must(t, err)
		fundingtest.CheckReport(t, r)

		for _, id := range seeded.Apps {
			testkit.Must(t, proj.Refresh(t.Context(), pathway.SubjectGrantApplication, id, fundingtest.Today))
		}
		r, err = svc.Report(t.Context(), fundingtest.Lead, fundingtest.Funder)
		testkit.Must(t, err)
		fundingtest.CheckReport(t, r)

		for _, u := range []*pathway.User{fundingtest.OtherStaff, fundingtest.FounderA, fundingtest.AgencyStaff, nil} {
			_, err := svc.Report(t.Context(), u, fundingtest.Funder)
			testkit.WantCode(t, err, pathway.ENOTFOUND)
		}
	})
}

// TestDashboardThroughTheOutbox leaves the refreshes to the trigger:
// every change's event carries an insight delivery, and the outbox's
// insight sweep sends them to the projector.
func TestDashboardThroughTheOutbox(t *testing.T) {
	st := testkit.Store(t)
	fundingtest.Seed(t, st, nil)
	proj := insightwire.New(st)
	ob := outbox.New(st, &testkit.Workflows{}, func() time.Time { return fundingtest.Today }, nil).WithInsight(proj)
	for range 20 {
		n, err := ob.SweepInsight(t.Context())
		testkit.Must(t, err)
		if n == 0 {
			break
		}
	}
	svc := funding.NewService(proj, grantstore.New(st.Table()), func() time.Time { return fundingtest.Today })
	r, err := svc.Report(t.Context(), fundingtest.Staff, fundingtest.Funder)
	testkit.Must(t, err)
	fundingtest.CheckReport(t, r)
}
