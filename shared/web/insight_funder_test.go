package web_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/insight/funding"
	"github.com/coopcarepathway/pathway/shared/insight/funding/fundingtest"
	"github.com/coopcarepathway/pathway/shared/insight/insightwire"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/coopcarepathway/pathway/shared/web"
)

// fundingAuth authenticates the seeded funder's users by X-Test-User.
type fundingAuth struct{}

func (fundingAuth) Authenticate(r *http.Request) (*pathway.User, error) {
	for _, u := range []*pathway.User{fundingtest.Lead, fundingtest.Staff, fundingtest.OtherStaff, fundingtest.FounderA, fundingtest.AgencyStaff} {
		if u.ID == r.Header.Get("X-Test-User") {
			return u, nil
		}
	}
	return nil, pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue.")
}

// TestFunderInsightAPI: the funder's staff get its figures as JSON, the
// same as worked out by hand; anyone else is told the funder is not
// found, and nobody signed in is asked to sign in.
func TestFunderInsightAPI(t *testing.T) {
	st := testkit.Store(t)
	proj := insightwire.New(st)
	fundingtest.Seed(t, st, proj)
	now := func() time.Time { return fundingtest.Today }
	h := web.New(web.Config{Store: st, Workflows: &testkit.Workflows{}, Auth: fundingAuth{}, Now: now,
		Funding: funding.NewService(proj, grantstore.New(st.Table()), now)})
	get := func(user, org string) *httptest.ResponseRecorder {
		r := httptest.NewRequest("GET", "/api/insight/funders/"+org, nil)
		if user != "" {
			r.Header.Set("X-Test-User", user)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	w := get(fundingtest.Staff.ID, fundingtest.Funder)
	wantStatus(t, w, http.StatusOK)
	if cc := w.Header().Get("Cache-Control"); cc != "private, no-store" {
		t.Errorf("Cache-Control = %q", cc)
	}
	var got struct {
		Funder string `json:"funder"`
		Total  struct {
			Budget, Awarded, Paid, Remaining, Applications, Awards, ReportsOverdue int64
			Decisions                                                              struct {
				Count      int64    `json:"count"`
				MedianDays *float64 `json:"medianDays"`
				P90Days    *float64 `json:"p90Days"`
			} `json:"decisions"`
			Months []funding.Month `json:"months"`
			ByArea []funding.Group `json:"byArea"`
		} `json:"total"`
		Programmes []struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"programmes"`
	}
	must(t, json.Unmarshal(w.Body.Bytes(), &got))
	tot := got.Total
	if got.Funder != fundingtest.Funder || tot.Budget != 15_000_000 || tot.Awarded != 900_000 || tot.Paid != 200_000 || tot.Remaining != 14_100_000 ||
		tot.Applications != 5 || tot.Awards != 2 || tot.ReportsOverdue != 2 {
		t.Errorf("total = %+v", tot)
	}
	if d := tot.Decisions; d.Count != 4 || d.MedianDays == nil || *d.MedianDays != 17 || d.P90Days == nil || *d.P90Days != 27 {
		t.Errorf("decisions = %+v", d)
	}
	if len(tot.Months) != 3 || tot.Months[1].Remaining != 14_100_000 || len(tot.ByArea) != 2 || tot.ByArea[0].Code != "Calderdale" {
		t.Errorf("months %+v, areas %+v", tot.Months, tot.ByArea)
	}
	if len(got.Programmes) != 2 || got.Programmes[0].Name == "" {
		t.Errorf("programmes = %+v", got.Programmes)
	}

	for _, user := range []string{fundingtest.OtherStaff.ID, fundingtest.FounderA.ID, fundingtest.AgencyStaff.ID} {
		wantStatus(t, get(user, fundingtest.Funder), http.StatusNotFound)
	}
	wantStatus(t, get(fundingtest.Staff.ID, fundingtest.OtherFunder), http.StatusNotFound)
	wantStatus(t, get("", fundingtest.Funder), http.StatusUnauthorized)
}
