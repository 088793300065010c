package web

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// call is what the middleware keeps about one request: the handler serving
// it, whose settings (the authenticator, the sign-in page, the CSRF key,
// the pages' renderer) the exported helpers that pages and sign-in routes
// call read from the request, and the caller's ID once known, for the log.
type call struct {
	s      *server
	caller string
}

// callKey keys the request's *call in its context.
type callKey struct{}

// callOf returns the request's *call, or nil outside New's handler.
func callOf(r *http.Request) *call {
	c, _ := r.Context().Value(callKey{}).(*call)
	return c
}

// fallback serves the helpers when they run outside New's handler (a
// handler tested on its own): nobody can sign in, CSRF tokens are signed
// with a key of this process, errors are plain pages.
var fallback = newServer(Config{})

// serverOf returns the handler serving the request.
func serverOf(r *http.Request) *server {
	if c := callOf(r); c != nil {
		return c.s
	}
	return fallback
}

// loggerFrom returns the logger of the handler serving the request.
func loggerFrom(r *http.Request) *slog.Logger { return serverOf(r).log }

// noteCaller records the authenticated caller's ID for the request log.
func noteCaller(r *http.Request, u *pathway.User) {
	if c := callOf(r); c != nil && u != nil {
		c.caller = u.ID
	}
}

// errPanic stands for a panic on the error page, which shows no details.
var errPanic = errors.New("panic serving request")

// securityHeaders sets the headers every response carries: no MIME
// sniffing, no framing (clickjacking), no referrer leaking co-op IDs.
func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "DENY")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Content-Security-Policy", "frame-ancestors 'none'")
		next.ServeHTTP(w, r)
	})
}

// statusWriter remembers the status and size of a response for the log.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer.
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

// logRequests puts the request's *call in its context and, unless the
// handler is quiet (Config.QuietRequests), logs one line per request: method, path, status, size, duration and the caller's ID
// when known. The query string is left out because it may carry cursors or
// tokens.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		c := &call{s: s}
		next.ServeHTTP(sw, r.WithContext(context.WithValue(r.Context(), callKey{}, c)))
		if s.quiet {
			return
		}
		if sw.status == 0 {
			sw.status = http.StatusOK
		}
		attrs := []slog.Attr{
			slog.String("method", r.Method),
			slog.String("path", r.URL.Path),
			slog.Int("status", sw.status),
			slog.Int("bytes", sw.bytes),
			slog.Duration("duration", time.Since(start)),
		}
		if c.caller != "" {
			attrs = append(attrs, slog.String("user", c.caller))
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// recoverPanics turns a panicking handler into a logged 500 (a JSON error,
// or for a browser outside /api/ the error page) instead of a dropped
// connection. http.ErrAbortHandler is re-raised: it is
// how a handler deliberately aborts a response.
func (s *server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.ErrorContext(r.Context(), "panic serving request",
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Any("panic", v), slog.String("stack", string(debug.Stack())))
			if !isAPI(r.URL.Path) && WantsHTML(r) {
				s.writeErrorView(w, r, s.errorView(errPanic)) // a browser gets a page
				return
			}
			writeEnvelope(w, http.StatusInternalServerError, pathway.EINTERNAL, pathway.InternalMessage, nil)
		}()
		next.ServeHTTP(w, r)
	})
}
