package web

import (
	"context"
	"log/slog"
	"net/http"
	"runtime/debug"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// ctxKey keys the values the middleware puts in a request's context.
type ctxKey int

const (
	loggerKey ctxKey = iota
	userKey
)

// loggerFrom returns the logger the middleware put in the request's context.
func loggerFrom(r *http.Request) *slog.Logger {
	if l, ok := r.Context().Value(loggerKey).(*slog.Logger); ok {
		return l
	}
	return slog.Default()
}

// UserFrom returns the authenticated caller of an /api/ request, or nil
// outside one.
func UserFrom(ctx context.Context) *pathway.User {
	u, _ := ctx.Value(userKey).(*pathway.User)
	return u
}

// WithUser returns ctx carrying the authenticated caller. Handlers outside
// this package (and tests) use it to call code that reads UserFrom.
func WithUser(ctx context.Context, u *pathway.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

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

// logRequests logs one line per request: method, path, status, size,
// duration and the caller's ID when known. The query string is left out
// because it may carry cursors or tokens.
func (s *server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w}
		caller := new(string) // filled in by requireUser via the context
		ctx := context.WithValue(r.Context(), loggerKey, s.log)
		ctx = context.WithValue(ctx, callerKey{}, caller)
		next.ServeHTTP(sw, r.WithContext(ctx))
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
		if *caller != "" {
			attrs = append(attrs, slog.String("user", *caller))
		}
		s.log.LogAttrs(r.Context(), slog.LevelInfo, "request", attrs...)
	})
}

// callerKey holds a pointer the logger reads after the request, so the
// authenticated user's ID (known only deeper in the chain) reaches the log.
type callerKey struct{}

// recoverPanics turns a panicking handler into a logged 500 JSON response
// instead of a dropped connection. http.ErrAbortHandler is re-raised: it is
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
			writeEnvelope(w, http.StatusInternalServerError, pathway.EINTERNAL, internalMessage, nil)
		}()
		next.ServeHTTP(w, r)
	})
}

// requireUser authenticates the caller and puts the user in the context;
// a request without a valid caller gets the authenticator's 401 or 403.
func (s *server) requireUser(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		u, err := s.auth.Authenticate(r)
		if err == nil && u == nil {
			err = pathway.Errorf(pathway.EUNAUTHORIZED, "Sign in to continue.")
		}
		if err != nil {
			WriteError(w, r, err)
			return
		}
		if p, ok := r.Context().Value(callerKey{}).(*string); ok {
			*p = u.ID
		}
		next.ServeHTTP(w, r.WithContext(WithUser(r.Context(), u)))
	})
}
