package web_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"github.com/coopcarepathway/pathway/shared/tenders"
)

// TestCancelTenderAPI: POST /api/tenders/{id}/cancel is the lead's; a
// missing reason is 400 naming it; the cancelled tender carries the
// reason and the UK12 notice; a retry is 200 and changes nothing.
func TestCancelTenderAPI(t *testing.T) {
	f := newTenderFixture(t)
	id := f.publish(t)
	path := "/api/tenders/" + id + "/cancel"
	wantStatus(t, f.do(t, tStaff, "POST", path, `{"reason":"Budget withdrawn."}`), http.StatusForbidden)
	wantStatus(t, f.do(t, tOtherLd, "POST", path, `{"reason":"Budget withdrawn."}`), http.StatusNotFound)
	w := f.do(t, tLead, "POST", path, `{"reason":""}`)
	wantStatus(t, w, http.StatusBadRequest)
	var bad struct {
		Error struct {
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	_ = json.Unmarshal(w.Body.Bytes(), &bad)
	if bad.Error.Fields["reason"] == "" {
		t.Errorf("400 does not name the reason: %s", w.Body)
	}
	var got []tenders.Tender
	for range 2 {
		w = f.do(t, tLead, "POST", path, `{"reason":"Budget withdrawn."}`)
		wantStatus(t, w, http.StatusOK)
		var v tenders.Tender
		if err := json.Unmarshal(w.Body.Bytes(), &v); err != nil {
			t.Fatal(err)
		}
		got = append(got, v)
	}
	v := got[0]
	if _, ok := v.NoticeOf(tenders.NoticeTermination); v.Status != tenders.StatusCancelled || v.Cancellation == nil || v.Cancellation.Reason != "Budget withdrawn." || !ok {
		t.Errorf("cancelled %s %+v %+v", v.Status, v.Cancellation, v.Notices)
	}
	if got[1].Version != v.Version {
		t.Errorf("the retry moved the version %d → %d", v.Version, got[1].Version)
	}
}
