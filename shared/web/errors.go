package web

import (
	"log/slog"
	"net/http"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// StatusOf returns the HTTP status for an application error code. It is the
// one place codes become statuses, for the API and the pages alike; an
// unknown code is a 500 so that nothing unexpected is reported as the
// caller's fault.
func StatusOf(code string) int {
	switch code {
	case pathway.EINVALID:
		return http.StatusBadRequest
	case pathway.EUNAUTHORIZED:
		return http.StatusUnauthorized
	case pathway.EFORBIDDEN:
		return http.StatusForbidden
	case pathway.ENOTFOUND:
		return http.StatusNotFound
	case pathway.ECONFLICT:
		return http.StatusConflict
	case pathway.EUNAVAILABLE:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

// errorBody is the JSON envelope of every error response.
type errorBody struct {
	Error errorDetail `json:"error"`
}

// errorDetail says what went wrong: a code clients branch on, a message for
// people, and for invalid input the message of each field at fault.
type errorDetail struct {
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

// WriteError writes err as a JSON error response. Application errors
// (*pathway.Error) are shown as they are; any other error is logged with the
// request's logger and answered with a generic 500, so internal details never
// reach the caller.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	code := pathway.ErrorCode(err)
	status := StatusOf(code)
	msg, fields := pathway.ErrorMessage(err), pathway.ErrorFields(err)
	report(w, r, status, err)
	if status == http.StatusInternalServerError {
		// Even an EINTERNAL *pathway.Error may carry details in its
		// message ("validation could not run: …"): never show them.
		code, msg, fields = pathway.EINTERNAL, pathway.InternalMessage, nil
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="pathway"`)
	}
	writeEnvelope(w, status, code, msg, fields)
}

// report logs what the caller is not shown, for the JSON and the HTML
// answers alike: an internal error in full, and the cause of an unavailable
// dependency (whose message for people is shown), with a Retry-After.
func report(w http.ResponseWriter, r *http.Request, status int, err error) {
	switch status {
	case http.StatusInternalServerError:
		loggerFrom(r).ErrorContext(r.Context(), "internal error",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
	case http.StatusServiceUnavailable:
		loggerFrom(r).WarnContext(r.Context(), "dependency unavailable",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
		w.Header().Set("Retry-After", "30")
	}
}

// writeEnvelope writes an error envelope with the status.
func writeEnvelope(w http.ResponseWriter, status int, code, msg string, fields map[string]string) {
	WriteJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: msg, Fields: fields}})
}

// ErrorView is what an error page shows: the status it is sent with, a
// heading and a message for people, and where they can go next.
type ErrorView struct {
	Status           int
	Heading, Message string
	Links            []Link
}

// Link is an address and its words.
type Link struct{ Href, Text string }

// internalPageMessage is what a person sees on a page for any internal
// error: the API's message, with an apology.
var internalPageMessage = "Sorry, s" + pathway.InternalMessage[1:]

// WriteErrorPage writes err as an HTML page with the status StatusOf gives
// its code, in the pages' layout when the handler has pages (plain
// otherwise). A record the user may not see reads exactly like a missing
// one; an internal error is logged and shown only as a generic apology.
func WriteErrorPage(w http.ResponseWriter, r *http.Request, err error) {
	s := serverOf(r)
	v := s.errorView(err)
	report(w, r, v.Status, err)
	s.writeErrorView(w, r, v)
}

// errorView says what the error page for err shows.
func (s *server) errorView(err error) ErrorView {
	code := pathway.ErrorCode(err)
	v := ErrorView{Status: StatusOf(code), Message: pathway.ErrorMessage(err), Links: []Link{{"/", "Go to your home page"}}}
	switch code {
	case pathway.ENOTFOUND:
		v.Heading = "Page not found"
		v.Message = "If you typed the web address, check it is correct. If you followed a link, the page may belong to a co-op or programme you cannot see."
	case pathway.EUNAUTHORIZED:
		v.Heading = "Sign in to continue"
		if s.signIn != "" {
			v.Links = []Link{{s.signIn, "Sign in"}}
		}
	case pathway.EFORBIDDEN:
		v.Heading = "You cannot do this"
	case pathway.ECONFLICT:
		v.Heading = "This has already changed"
	case pathway.EINVALID:
		v.Heading = "There is a problem"
	case pathway.EUNAVAILABLE:
		v.Heading = "Sorry, the service is busy"
	default:
		v.Heading, v.Message = "Sorry, there is a problem with the service", internalPageMessage
	}
	return v
}

// writeErrorView renders an error page through the pages, or as a plain
// page when there are none or their renderer fails (then the layout itself
// is what is broken).
func (s *server) writeErrorView(w http.ResponseWriter, r *http.Request, v ErrorView) {
	if s.pages != nil {
		err := s.pages.RenderError(w, r, v)
		if err == nil {
			return
		}
		s.log.ErrorContext(r.Context(), "rendering the error page", slog.Int("status", v.Status), slog.Any("err", err))
	}
	writePlain(w, v.Status, plainError, v)
}
