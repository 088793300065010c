package web_test

import (
	"bytes"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/web"
)

// TestQuietRequests: a quiet handler (the local server without
// --log-requests) writes no line per request; others write one.
func TestQuietRequests(t *testing.T) {
	for _, quiet := range []bool{true, false} {
		var buf bytes.Buffer
		st, _ := openStore(t, nil, nil)
		h := web.New(web.Config{Store: st, Auth: headerAuth{}, Logger: slog.New(slog.NewJSONHandler(&buf, nil)), QuietRequests: quiet})
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest("GET", "/healthz", nil))
		if rec.Code != 200 {
			t.Fatalf("GET /healthz = %d", rec.Code)
		}
		if logged := strings.Contains(buf.String(), `"msg":"request"`); logged == quiet {
			t.Errorf("quiet %v: request logged %v:\n%s", quiet, logged, buf.String())
		}
	}
}
