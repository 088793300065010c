package web

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/base64"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/aws/aws-lambda-go/events"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
)

// gunzip returns the decompressed body, failing the test if it is not gzip.
func gunzip(t *testing.T, b []byte) string {
	t.Helper()
	zr, err := gzip.NewReader(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("not gzip: %v", err)
	}
	out, err := io.ReadAll(zr)
	if err != nil {
		t.Fatalf("gunzip: %v", err)
	}
	return string(out)
}

// gzipFixture serves bodies of each kind the middleware tells apart.
func gzipFixture() http.Handler {
	big := strings.Repeat("<p>A co-op on the board.</p>\n", 200)
	mux := http.NewServeMux()
	mux.HandleFunc("/html", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		w.Header().Set("Content-Length", "99999")
		w.WriteHeader(http.StatusTeapot)
		for i := 0; i < len(big); i += 100 { // many small writes
			_, _ = io.WriteString(w, big[i:min(i+100, len(big))])
		}
	})
	mux.HandleFunc("/json", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"text": big})
	})
	mux.HandleFunc("/tiny", func(w http.ResponseWriter, r *http.Request) {
		WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	mux.HandleFunc("/encoded", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/plain")
		w.Header().Set("Content-Encoding", "br")
		_, _ = io.WriteString(w, big)
	})
	mux.HandleFunc("/png", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "image/png")
		_, _ = io.WriteString(w, big)
	})
	mux.HandleFunc("/empty", func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("/sniffed", func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, "<!doctype html>"+big)
	})
	return gzipResponses(mux)
}

func TestGzipResponses(t *testing.T) {
	h := gzipFixture()
	tests := []struct {
		path, accept string
		gzipped      bool
		status       int
	}{
		{"/html", "gzip, deflate, br", true, http.StatusTeapot},
		{"/json", "br;q=1.0, gzip;q=0.8", true, 200},
		{"/sniffed", "*", true, 200},
		{"/html", "", false, http.StatusTeapot},
		{"/html", "gzip;q=0", false, http.StatusTeapot},
		{"/html", "identity", false, http.StatusTeapot},
		{"/tiny", "gzip", false, 200},
		{"/encoded", "gzip", false, 200},
		{"/png", "gzip", false, 200},
		{"/empty", "gzip", false, http.StatusNoContent},
	}
	for _, tc := range tests {
		t.Run(tc.path+" "+tc.accept, func(t *testing.T) {
			r := httptest.NewRequest("GET", tc.path, nil)
			if tc.accept != "" {
				r.Header.Set("Accept-Encoding", tc.accept)
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			res := w.Result()
			if res.StatusCode != tc.status {
				t.Errorf("status %d, want %d", res.StatusCode, tc.status)
			}
			if got := res.Header.Get("Vary"); got != "Accept-Encoding" {
				t.Errorf("Vary = %q", got)
			}
			gz := res.Header.Get("Content-Encoding") == "gzip"
			if gz != tc.gzipped {
				t.Fatalf("Content-Encoding %q, want gzip %v", res.Header.Get("Content-Encoding"), tc.gzipped)
			}
			body := w.Body.Bytes()
			if gz {
				if res.Header.Get("Content-Length") != "" {
					t.Errorf("Content-Length %q kept on a gzipped body", res.Header.Get("Content-Length"))
				}
				plain := gunzip(t, body)
				if !strings.Contains(plain, "A co-op on the board.") || len(body) >= len(plain)/4 {
					t.Errorf("gzipped %d bytes of %d: %.60q", len(body), len(plain), plain)
				}
				if tc.path == "/sniffed" && !strings.HasPrefix(res.Header.Get("Content-Type"), "text/html") {
					t.Errorf("sniffed Content-Type %q", res.Header.Get("Content-Type"))
				}
			} else if tc.status != http.StatusNoContent && len(body) == 0 {
				t.Error("empty body")
			}
		})
	}
}

// TestGzipThroughLambdaProxy: behind API Gateway the proxy must mark a
// gzipped page (and JSON) base64-encoded, or API Gateway would mangle its
// bytes as text.
func TestGzipThroughLambdaProxy(t *testing.T) {
	proxy := httpadapter.NewV2(gzipFixture())
	for _, path := range []string{"/html", "/json"} {
		ev := events.APIGatewayV2HTTPRequest{
			Version: "2.0", RouteKey: "ANY /{proxy+}", RawPath: path,
			Headers: map[string]string{"accept-encoding": "gzip, deflate, br", "host": "example.execute-api.eu-west-2.amazonaws.com"},
			RequestContext: events.APIGatewayV2HTTPRequestContext{
				HTTP: events.APIGatewayV2HTTPRequestContextHTTPDescription{Method: "GET", Path: path, Protocol: "HTTP/1.1"},
			},
		}
		res, err := proxy.ProxyWithContext(context.Background(), ev)
		if err != nil {
			t.Fatal(err)
		}
		if res.Headers["Content-Encoding"] != "gzip" || !res.IsBase64Encoded {
			t.Fatalf("%s: headers %v, base64 %v; want gzip, base64-encoded", path, res.Headers, res.IsBase64Encoded)
		}
		raw, err := base64.StdEncoding.DecodeString(res.Body)
		if err != nil {
			t.Fatal(err)
		}
		if plain := gunzip(t, raw); !strings.Contains(plain, "A co-op on the board.") {
			t.Errorf("%s: body %.80q", path, plain)
		}
	}
}
