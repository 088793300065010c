package asl

import (
	"fmt"
	"maps"
)

// ResultPath is a compiled reference path saying where a state's result goes
// in its raw input. The zero value and "$" replace the input with the
// result; null discards the result and keeps the input.
type ResultPath struct {
	src  string
	null bool
	segs []seg // empty: "$"
}

// IsNull reports whether ResultPath was null (discard the result).
func (r ResultPath) IsNull() bool { return r.null }

// String returns the path's source text.
func (r ResultPath) String() string {
	if r.null {
		return "null"
	}
	if r.src == "" {
		return "$"
	}
	return r.src
}

// compileResultPath accepts only reference paths: "$" followed by keys and
// non-negative indexes, since the path must name exactly one place to write.
func compileResultPath(src string) (ResultPath, error) {
	r := ResultPath{src: src}
	if src == "$" {
		return r, nil
	}
	if len(src) == 0 || src[0] != '$' || len(src) > 1 && src[1] == '$' {
		return r, fmt.Errorf("%q is not a reference path: it must begin with '$' and cannot use the context object", src)
	}
	segs, ok := simpleSegs(src)
	if !ok {
		return r, fmt.Errorf("%q is not a reference path: only '.key', '[\\'key\\']' and '[index]' steps are allowed", src)
	}
	r.segs = segs
	return r, nil
}

// Apply returns input with result written at the path. It copies on write
// along that path only (every map or array on the way is shallow-copied), so
// input and everything it shares with other states stay untouched. Missing
// objects on the way are created; a step through a value that is not an
// object (or an index beyond an array) is States.ResultPathMatchFailure.
func (r ResultPath) Apply(input, result any) (any, error) {
	switch {
	case r.null:
		return input, nil
	case len(r.segs) == 0:
		return result, nil
	}
	out, ok := setAt(input, r.segs, result)
	if !ok {
		return nil, errorf(ErrResultPathMatchFailure, "Unable to apply ResultPath '%s' to the state input", r.src)
	}
	return out, nil
}

func setAt(node any, segs []seg, result any) (any, bool) {
	if len(segs) == 0 {
		return result, true
	}
	s := segs[0]
	if s.index >= 0 {
		arr, ok := node.([]any)
		if !ok || s.index >= len(arr) {
			return nil, false
		}
		child, ok := setAt(arr[s.index], segs[1:], result)
		if !ok {
			return nil, false
		}
		cp := make([]any, len(arr))
		copy(cp, arr)
		cp[s.index] = child
		return cp, true
	}
	var cp map[string]any
	switch m := node.(type) {
	case map[string]any:
		child, ok := setAt(m[s.key], segs[1:], result)
		if !ok {
			return nil, false
		}
		cp = maps.Clone(m)
		cp[s.key] = child
	case nil:
		// An absent (or null) step becomes a new object, as AWS creates
		// the nodes a ResultPath names.
		child, ok := setAt(nil, segs[1:], result)
		if !ok {
			return nil, false
		}
		cp = map[string]any{s.key: child}
	default:
		return nil, false
	}
	return cp, true
}
