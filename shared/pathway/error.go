package pathway

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Application error codes. Each maps to one HTTP status and error page in
// shared/web and to one ASL error name in shared/steps, so callers branch on
// the code, never on message text.
const (
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	ECONFLICT     = "conflict"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	EINTERNAL     = "internal"
	// EUNAVAILABLE is a failure that is neither the caller's fault nor a
	// bug: a dependency (the workflow service) did not answer, and trying
	// again later may succeed.
	EUNAVAILABLE = "unavailable"
)

// Error is an application error: a code, a message in plain English that can
// be shown to the person who caused it, and for invalid input the message for
// each field at fault, keyed by the field's JSON name.
type Error struct {
	// Code is one of the E* constants.
	Code string
	// Message is a plain-English sentence safe to show to a user.
	Message string
	// Fields maps a JSON field path (e.g. "members[0].name") to what is wrong with it.
	Fields map[string]string
}

// Error returns the message, with the fields at fault in a stable order.
func (e *Error) Error() string {
	if len(e.Fields) == 0 {
		return fmt.Sprintf("pathway error: code=%s message=%s", e.Code, e.Message)
	}
	keys := make([]string, 0, len(e.Fields))
	for k := range e.Fields {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = k + ": " + e.Fields[k]
	}
	return fmt.Sprintf("pathway error: code=%s message=%s (%s)", e.Code, e.Message, strings.Join(parts, "; "))
}

// Errorf returns an *Error with the code and a formatted message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// Invalid returns an EINVALID error naming each field at fault.
func Invalid(fields map[string]string) *Error {
	return &Error{Code: EINVALID, Message: "Some answers need correcting.", Fields: fields}
}

// NotFound returns an ENOTFOUND error for a kind of record ("co-op", "task").
func NotFound(kind string) *Error {
	return Errorf(ENOTFOUND, "That %s could not be found.", kind)
}

// ErrorCode returns the code of an application error, or EINTERNAL for any
// other error and "" for nil. Unknown errors are internal so that their text
// never reaches a user.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of an application error, or a
// generic one for any other error.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return InternalMessage
}

// InternalMessage is what a person sees for any internal error, whatever
// shows it (an API answer, a page, a workflow step's error): nothing of
// the system's inside reaches them.
const InternalMessage = "Something went wrong on our side. Please try again; if it keeps happening, contact your development agency."

// ErrorFields returns the per-field messages of an EINVALID error, or nil.
func ErrorFields(err error) map[string]string {
	var e *Error
	if errors.As(err, &e) {
		return e.Fields
	}
	return nil
}

// InField returns err with the names of its fields at fault put under
// parent ("outcome" becomes "decision.outcome"), for a record checked on
// its own and then named where it sits in a larger input. Other errors
// are returned as they are.
func InField(err error, parent string) error {
	var e *Error
	if !errors.As(err, &e) || len(e.Fields) == 0 {
		return err
	}
	fields := make(map[string]string, len(e.Fields))
	for k, v := range e.Fields {
		fields[parent+"."+k] = v
	}
	return &Error{Code: e.Code, Message: e.Message, Fields: fields}
}
