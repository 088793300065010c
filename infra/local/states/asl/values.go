package asl

import (
	"math"
	"time"
)

// toFloat reads any JSON (or Go) number as float64.
func toFloat(v any) (float64, bool) {
	switch n := v.(type) {
	case int64:
		return float64(n), true
	case float64:
		return n, true
	case int:
		return float64(n), true
	case int32:
		return float64(n), true
	case uint64:
		return float64(n), true
	case uint32:
		return float64(n), true
	case float32:
		return float64(n), true
	}
	return 0, false
}

// toInt reads a number with no fractional part as int64.
func toInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case int:
		return int64(n), true
	case int32:
		return int64(n), true
	case uint32:
		return int64(n), true
	case uint64:
		if n <= math.MaxInt64 {
			return int64(n), true
		}
	case float64:
		if n == math.Trunc(n) && math.Abs(n) < 1<<63 {
			return int64(n), true
		}
	case float32:
		return toInt(float64(n))
	}
	return 0, false
}

// roundInt reads a number as int64, rounding one with a fractional part
// to the nearest integer, as the AWS guide says Step Functions does for
// the integer arguments of several intrinsics. Halves round up, as Java's
// Math.round does (2.5 to 3, -2.5 to -2): the guide does not say which
// way, and Step Functions runs on Java.
func roundInt(v any) (int64, bool) {
	if n, ok := toInt(v); ok {
		return n, true
	}
	x, ok := toFloat(v)
	if !ok || math.IsNaN(x) || math.IsInf(x, 0) {
		return 0, false
	}
	r := math.Floor(x)
	if x-r >= 0.5 {
		r++
	}
	if r < -(1<<63) || r >= 1<<63 {
		return 0, false
	}
	return int64(r), true
}

// isNumber reports whether v is a JSON number.
func isNumber(v any) bool {
	_, ok := toFloat(v)
	return ok
}

// jsonEqual compares JSON values structurally; numbers compare by value so
// 1 equals 1.0.
func jsonEqual(a, b any) bool {
	if fa, ok := toFloat(a); ok {
		fb, ok := toFloat(b)
		if !ok {
			return false
		}
		ia, aInt := a.(int64)
		ib, bInt := b.(int64)
		if aInt && bInt {
			return ia == ib
		}
		return fa == fb
	}
	switch x := a.(type) {
	case string:
		y, ok := b.(string)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	case nil:
		return b == nil
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !jsonEqual(x[i], y[i]) {
				return false
			}
		}
		return true
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !jsonEqual(xv, yv) {
				return false
			}
		}
		return true
	}
	return false
}

// typeName names a value's JSON type for error messages.
func typeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case string:
		return "a string"
	case bool:
		return "a boolean"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	if isNumber(v) {
		return "a number"
	}
	return "an unsupported value"
}

// parseTimestamp parses an ASL timestamp: RFC 3339 with an uppercase T and
// either Z or a numeric offset.
func parseTimestamp(s string) (time.Time, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == 't' || s[i] == 'z' {
			return time.Time{}, false
		}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	return t, err == nil
}
