package web

import (
	"bufio"
	"compress/gzip"
	"io"
	"mime"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
)

// minGzipSize is the smallest body worth compressing: below it gzip's
// header and the CPU cost outweigh the bytes saved.
const minGzipSize = 1024

// gzipResponses compresses the responses of next (pages and JSON alike)
// with gzip when the client accepts it. It leaves alone bodies under
// minGzipSize, responses already encoded (Content-Encoding set), kinds of
// content that do not compress (images, archives) and bodiless ones, and
// always says Vary: Accept-Encoding, so caches keep the two apart.
//
// Behind API Gateway the Lambda proxy (aws-lambda-go-api-proxy) sends a
// body that is not UTF-8 base64-encoded with isBase64Encoded set, which
// API Gateway decodes; a gzip stream never is UTF-8 (its second byte is
// 0x8b), so compressed pages and JSON arrive intact.
func gzipResponses(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Encoding")
		if r.Method == http.MethodHead || !acceptsGzip(r.Header.Get("Accept-Encoding")) {
			next.ServeHTTP(w, r)
			return
		}
		gw := &gzipWriter{ResponseWriter: w}
		defer gw.finish()
		next.ServeHTTP(gw, r)
	})
}

// acceptsGzip reports whether an Accept-Encoding header accepts gzip (by
// name or "*") with a quality above zero.
func acceptsGzip(h string) bool {
	for part := range strings.SplitSeq(h, ",") {
		name, params, _ := strings.Cut(part, ";")
		name = strings.ToLower(strings.TrimSpace(name))
		if name != "gzip" && name != "*" {
			continue
		}
		q := 1.0
		for p := range strings.SplitSeq(params, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(p), "=")
			if ok && strings.EqualFold(strings.TrimSpace(k), "q") {
				if f, err := strconv.ParseFloat(strings.TrimSpace(v), 64); err == nil {
					q = f
				}
			}
		}
		if q > 0 {
			return true
		}
	}
	return false
}

// compressible reports whether content of the type is worth compressing.
func compressible(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return false
	}
	switch {
	case strings.HasPrefix(mt, "text/"):
		return true
	case mt == "application/json", mt == "application/problem+json", mt == "application/javascript",
		mt == "application/xml", mt == "image/svg+xml", strings.HasSuffix(mt, "+json"):
		return true
	}
	return false
}

// gzipPool reuses compressors: each holds about 800 KB of state.
var gzipPool = sync.Pool{New: func() any {
	gz, _ := gzip.NewWriterLevel(io.Discard, gzip.DefaultCompression)
	return gz
}}

// gzipWriter holds back the start of a body until it knows whether the
// body is worth compressing: minGzipSize bytes written, or the handler
// done (then it is too small and goes out as it is).
type gzipWriter struct {
	http.ResponseWriter
	status  int
	buf     []byte
	decided bool
	gz      *gzip.Writer // nil when the body goes out as it is
}

func (w *gzipWriter) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		w.ResponseWriter.WriteHeader(code) // informational: not the response's status
		return
	}
	if w.status == 0 {
		w.status = code // sent with the body, once decided
	}
}

func (w *gzipWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if !w.decided {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(append(w.buf, b...)))
		}
		if len(w.buf)+len(b) < minGzipSize && w.worthCompressing() {
			w.buf = append(w.buf, b...)
			return len(b), nil
		}
		if err := w.decide(w.worthCompressing()); err != nil {
			return 0, err
		}
	}
	if w.gz != nil {
		return w.gz.Write(b)
	}
	return w.ResponseWriter.Write(b)
}

// worthCompressing reports whether the response, from its status and
// headers, may be compressed.
func (w *gzipWriter) worthCompressing() bool {
	h := w.Header()
	switch {
	case w.status == http.StatusNoContent, w.status == http.StatusNotModified, w.status == http.StatusPartialContent:
		return false
	case h.Get("Content-Encoding") != "", h.Get("Content-Range") != "":
		return false
	}
	return compressible(h.Get("Content-Type"))
}

// decide sends the headers, compressed or not, and what was held back.
func (w *gzipWriter) decide(compress bool) error {
	w.decided = true
	if w.status == 0 {
		w.status = http.StatusOK
	}
	if compress {
		h := w.Header()
		h.Set("Content-Encoding", "gzip")
		// An ETag stays as it is: it names the record's version, which
		// If-Match compares, not the bytes.
		h.Del("Content-Length")
		w.gz = gzipPool.Get().(*gzip.Writer)
		w.gz.Reset(w.ResponseWriter)
	}
	w.ResponseWriter.WriteHeader(w.status)
	if len(w.buf) == 0 {
		return nil
	}
	var err error
	if w.gz != nil {
		_, err = w.gz.Write(w.buf)
	} else {
		_, err = w.ResponseWriter.Write(w.buf)
	}
	w.buf = nil
	return err
}

// finish ends the response once the handler returns: a body held back
// goes out as it is (it was too small), a compressed one is closed.
func (w *gzipWriter) finish() {
	if !w.decided {
		if w.status == 0 && len(w.buf) == 0 {
			return // nothing written: let the server answer 200 with no body
		}
		_ = w.decide(false)
		return
	}
	if w.gz != nil {
		_ = w.gz.Close()
		w.gz.Reset(io.Discard)
		gzipPool.Put(w.gz)
		w.gz = nil
	}
}

// Flush sends what was written so far (compressed, if the body is).
func (w *gzipWriter) Flush() {
	if !w.decided && (w.status != 0 || len(w.buf) > 0) {
		_ = w.decide(w.worthCompressing())
	}
	if w.gz != nil {
		_ = w.gz.Flush()
	}
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// Hijack hands the connection over, when the underlying writer can.
func (w *gzipWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	return http.NewResponseController(w.ResponseWriter).Hijack()
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *gzipWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
