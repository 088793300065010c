package web

import (
	"log/slog"
	"net/http"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// StatusOf returns the HTTP status for an application error code. It is the
// one place codes become statuses; an unknown code is a 500 so that nothing
// unexpected is reported as the caller's fault.
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
	case journey.EUNAVAILABLE:
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
	if status == http.StatusInternalServerError {
		loggerFrom(r).ErrorContext(r.Context(), "internal error",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
		// Even an EINTERNAL *pathway.Error may carry details in its
		// message ("validation could not run: …"): never show them.
		code, msg, fields = pathway.EINTERNAL, internalMessage, nil
	}
	if status == http.StatusServiceUnavailable {
		// The message is for people and is shown; the cause is only logged.
		loggerFrom(r).WarnContext(r.Context(), "dependency unavailable",
			slog.String("method", r.Method), slog.String("path", r.URL.Path), slog.Any("err", err))
		w.Header().Set("Retry-After", "30")
	}
	if status == http.StatusUnauthorized {
		w.Header().Set("WWW-Authenticate", `Bearer realm="pathway"`)
	}
	writeEnvelope(w, status, code, msg, fields)
}

// internalMessage is what a caller sees for any internal error.
const internalMessage = "Something went wrong on our side. Please try again; if it keeps happening, contact your development agency."

// writeEnvelope writes an error envelope with the status.
func writeEnvelope(w http.ResponseWriter, status int, code, msg string, fields map[string]string) {
	WriteJSON(w, status, errorBody{Error: errorDetail{Code: code, Message: msg, Fields: fields}})
}
