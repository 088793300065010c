package steps

import (
	"reflect"
	"strings"
	"testing"
)

// TestNoInputHasTheStepField: the payload's StepField names the step, so
// no step's input may have a field of that name (the step would read the
// step's name as its own input).
func TestNoInputHasTheStepField(t *testing.T) {
	for id, r := range Functions {
		for name, s := range r {
			if f := jsonField(s.input, StepField); f != "" {
				t.Errorf("%s: step %s: input %s has the field %s, which is json %q", id, name, s.input, f, StepField)
			}
		}
	}
}

// jsonField returns the Go name of t's field (embedded ones included)
// whose JSON name is name, or "".
func jsonField(t reflect.Type, name string) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct {
		return ""
	}
	for f := range t.Fields() {
		tag, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		if tag == "-" {
			continue
		}
		if f.Anonymous && tag == "" {
			if n := jsonField(f.Type, name); n != "" {
				return f.Name + "." + n
			}
			continue
		}
		if tag == "" {
			tag = f.Name
		}
		if strings.EqualFold(tag, name) {
			return f.Name
		}
	}
	return ""
}
