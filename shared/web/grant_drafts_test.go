package web_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
)

func TestGrantDraftAPI(t *testing.T) {
	f := newGrantFixture(t)
	path := "/api/drafts/grant-application?programme=gp-larkspur-start&coop=coop-alder-care"
	wantStatus(t, f.do(t, gFounder, "GET", path, ""), http.StatusNotFound)

	w := f.do(t, gFounder, "PUT", path, `{"key":"k-1","application":{"title":"Training","amount":500000},"version":0}`)
	wantStatus(t, w, http.StatusOK)
	var d struct {
		Version     int
		Key         string
		Application struct {
			Title, Programme, Coop string
			Amount                 int64
		}
	}
	must(t, json.Unmarshal(w.Body.Bytes(), &d))
	if d.Version != 1 {
		t.Fatalf("saved: %s", w.Body)
	}
	// A stale version is refused; the loaded one is taken.
	wantStatus(t, f.do(t, gFounder, "PUT", path, `{"key":"k-1","application":{"title":"Other"},"version":0}`), http.StatusConflict)
	wantStatus(t, f.do(t, gFounder, "PUT", path, `{"key":"k-1","application":{"title":"Training carers","amount":500000},"version":1}`), http.StatusOK)

	w = f.do(t, gFounder, "GET", path, "")
	wantStatus(t, w, http.StatusOK)
	must(t, json.Unmarshal(w.Body.Bytes(), &d))
	if d.Version != 2 || d.Key != "k-1" || d.Application.Title != "Training carers" || d.Application.Amount != 500_000 ||
		d.Application.Programme != "gp-larkspur-start" || d.Application.Coop != "coop-alder-care" {
		t.Errorf("loaded: %s", w.Body)
	}
	// Each programme has its own draft.
	wantStatus(t, f.do(t, gFounder, "GET", strings.Replace(path, "gp-larkspur-start", "gp-larkspur-small", 1), ""), http.StatusNotFound)
	// Others never reach it; bad targets name the field.
	wantStatus(t, f.do(t, gFounder2, "GET", path, ""), http.StatusNotFound)
	wantStatus(t, f.do(t, gLead, "GET", path, ""), http.StatusForbidden)
	w = f.do(t, gFounder, "GET", "/api/drafts/grant-application?coop=coop-alder-care", "")
	wantStatus(t, w, http.StatusBadRequest)
	if _, _, fields := errorOf(t, w.Body.String()); fields["programme"] == "" {
		t.Errorf("fields = %v", fields)
	}

	// Sending the application deletes its draft.
	f.applyAPI(t, gApplication)
	wantStatus(t, f.do(t, gFounder, "GET", path, ""), http.StatusNotFound)
	// And DELETE removes one.
	wantStatus(t, f.do(t, gFounder, "PUT", path, `{"application":{"title":"Again"},"version":0}`), http.StatusOK)
	wantStatus(t, f.do(t, gFounder, "DELETE", path, ""), http.StatusNoContent)
	wantStatus(t, f.do(t, gFounder, "GET", path, ""), http.StatusNotFound)
}
