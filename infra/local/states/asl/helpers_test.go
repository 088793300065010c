package asl

import (
	"errors"
	"strings"
	"testing"

	"github.com/ohler55/ojg/oj"
)

// js parses JSON text for a test.
func js(t testing.TB, s string) any {
	t.Helper()
	v, err := oj.ParseString(s)
	if err != nil {
		t.Fatalf("bad test JSON %q: %v", s, err)
	}
	return v
}

// wantJSON fails unless got equals the JSON text want.
func wantJSON(t testing.TB, got any, want string) {
	t.Helper()
	if !jsonEqual(got, js(t, want)) {
		t.Errorf("got %s, want %s", toJSON(got), want)
	}
}

// wantStatesError fails unless err is a *Error named name.
func wantStatesError(t testing.TB, err error, name string) {
	t.Helper()
	var se *Error
	if !errors.As(err, &se) {
		t.Fatalf("got error %v, want *Error %s", err, name)
	}
	if se.Name != name {
		t.Fatalf("got error %s (%s), want %s", se.Name, se.Cause, name)
	}
}

// mustParse parses a definition that must be valid.
func mustParse(t testing.TB, def string) *Definition {
	t.Helper()
	d, err := Parse([]byte(def))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	return d
}

// definitionErrors unpacks the joined errors Parse returns.
func definitionErrors(t testing.TB, err error) []*DefinitionError {
	t.Helper()
	var errs []error
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		errs = j.Unwrap()
	} else if err != nil {
		errs = []error{err}
	}
	var out []*DefinitionError
	for _, e := range errs {
		var de *DefinitionError
		if !errors.As(e, &de) {
			t.Fatalf("Parse returned %T %v, want *DefinitionError", e, e)
		}
		out = append(out, de)
	}
	return out
}

// machine wraps states JSON into a definition starting at start.
func machine(start, states string) string {
	return `{"StartAt":"` + start + `","States":{` + states + `}}`
}

// hasDefErr reports whether errs holds an error for state and field whose
// message contains substr.
func hasDefErr(errs []*DefinitionError, state, field, substr string) bool {
	for _, e := range errs {
		if e.State == state && e.Field == field && strings.Contains(e.Message, substr) {
			return true
		}
	}
	return false
}
