package pages_test

import (
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
)

// TestGrantProgrammeScaleForm: the programme forms carry the six
// descriptions of the 0–5 score scale, filled in with the default scale
// for a new programme and the programme's own when changing one; a
// missing or over-long description is an error naming its score.
func TestGrantProgrammeScaleForm(t *testing.T) {
	v := newEnv(t)
	v.seedGrants()
	lead := v.visit(grantLead)
	const create = "/grants/programmes/new"
	res := lead.get(create)
	form := formValues(t, res.body, create)
	for _, s := range grants.DefaultScale {
		if got := form.Get("scale-" + strconv.Itoa(s.Score)); got != s.Description {
			t.Fatalf("new form's score %d = %q, want the default %q", s.Score, got, s.Description)
		}
	}
	next := time.Now().AddDate(1, 0, 0)
	for k, val := range map[string]string{"name": "Hollyfield Scale Grants", "purpose": "Small grants.", "budget": "20000", "minAward": "500",
		"maxAward": "2000", "opensOn-day": "1", "opensOn-month": "4", "opensOn-year": next.Format("2006"), "closesOn-day": "30",
		"closesOn-month": "6", "closesOn-year": next.Format("2006"), "reviewers": "1", "critName-1": "Need", "critWeight-1": "100",
		"share-1": "100", "shareTrigger-1": "agreement"} {
		form.Set(k, val)
	}
	form.Set("scale-3", " ")
	res = lead.post(create, form)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `<a href="#scale-3">Score 3: say what a score of 3 means</a>`) {
		t.Fatalf("no description of 3: %d\n%s", res.status, res.body)
	}
	form.Set("scale-3", "Sound: meets the criterion")
	res = lead.post(create, form)
	if res.status != http.StatusOK || !strings.HasPrefix(res.path, "/grants/programmes/gp-") {
		t.Fatalf("create: %d %s\n%s", res.status, res.path, res.body)
	}
	id := strings.TrimPrefix(res.path, "/grants/programmes/")
	gs := grantstore.New(v.store.Table())
	p, err := gs.GetProgramme(v.ctx, id)
	v.must(err)
	if len(p.Scale) != 6 || p.Scale[3] != (grants.ScaleStep{Score: 3, Description: "Sound: meets the criterion"}) || p.Scale[5] != grants.DefaultScale[5] {
		t.Fatalf("stored scale = %+v", p.Scale)
	}

	edit := "/grants/programmes/" + id + "/edit"
	res = lead.get(edit)
	form = formValues(t, res.body, edit)
	if form.Get("scale-3") != "Sound: meets the criterion" || form.Get("scale-0") != grants.DefaultScale[0].Description {
		t.Fatalf("edit form's scale = %v", form)
	}
	form.Set("scale-5", strings.Repeat("x", 501))
	res = lead.post(edit, form)
	if res.status != http.StatusBadRequest || !strings.Contains(res.body, `<a href="#scale-5">Score 5`) {
		t.Fatalf("over-long description of 5: %d\n%s", res.status, res.body)
	}
	form.Set("scale-5", "Outstanding")
	if res = lead.post(edit, form); res.status != http.StatusOK {
		t.Fatalf("save: %d\n%s", res.status, res.body)
	}
	p, err = gs.GetProgramme(v.ctx, id)
	v.must(err)
	if p.Scale[5].Description != "Outstanding" || p.Scale[3].Description != "Sound: meets the criterion" {
		t.Errorf("saved scale = %+v", p.Scale)
	}
}
