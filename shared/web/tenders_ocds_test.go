package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/ocds/ocdsschema"
)

// TestTenderOCDS: a published tender's OCDS package validates against the
// official schema and names the council as buyer, for anyone who may see
// the tender; a draft has none, and another council's staff get 404.
func TestTenderOCDS(t *testing.T) {
	f := newTenderFixture(t)
	w := f.do(t, tLead, "POST", "/api/tenders", tTender)
	wantStatus(t, w, http.StatusCreated)
	var draft struct{ ID string }
	must(t, json.Unmarshal(w.Body.Bytes(), &draft))
	wantStatus(t, f.do(t, tLead, "GET", "/api/tenders/"+draft.ID+"/ocds.json", ""), http.StatusNotFound)

	id := f.publish(t)
	f.sendBid(t, tFounderA, bidBody(id, tCoopA, tSecret, tPrice))
	for _, user := range []string{tLead, tFounderB} {
		w := f.do(t, user, "GET", "/api/tenders/"+id+"/ocds.json", "")
		wantStatus(t, w, http.StatusOK)
		if err := ocdsschema.Validate(w.Body.Bytes()); err != nil {
			t.Fatalf("the package does not validate: %v\n%s", err, w.Body)
		}
		var pkg struct {
			URI      string `json:"uri"`
			Releases []struct {
				OCID  string                `json:"ocid"`
				Tag   []string              `json:"tag"`
				Buyer struct{ Name string } `json:"buyer"`
			} `json:"releases"`
		}
		must(t, json.Unmarshal(w.Body.Bytes(), &pkg))
		if len(pkg.Releases) != 1 || pkg.Releases[0].Tag[0] != "tender" || pkg.Releases[0].Buyer.Name != "Westmoor Council" ||
			!strings.HasSuffix(pkg.Releases[0].OCID, "-"+id) || !strings.HasSuffix(pkg.URI, "/api/tenders/"+id+"/ocds.json") {
			t.Errorf("package = %+v", pkg)
		}
		if b := w.Body.String(); strings.Contains(b, tCoopA) || strings.Contains(b, tPrice) {
			t.Errorf("the open data names a bidder before the award notice: %s", b)
		}
	}
	wantStatus(t, f.do(t, tOtherLd, "GET", "/api/tenders/"+id+"/ocds.json", ""), http.StatusNotFound)
}
