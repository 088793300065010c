package asl

import (
	"crypto/md5"
	"crypto/rand"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"math"
	mrand "math/rand/v2"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/ohler55/ojg/oj"
)

// Rand is the source of randomness for States.UUID and an unseeded
// States.MathRandom. Tests replace it for determinism; it must be safe for
// concurrent use.
var Rand io.Reader = rand.Reader

// The argument rules below are those of the AWS Step Functions developer
// guide's page on intrinsic functions for JSONPath states; each function's
// comment restates the rules it applies. Arguments that break them fail
// the state with States.IntrinsicFailure.

// AWS limits documented for the intrinsics.
const (
	maxArrayRange    = 1000      // States.ArrayRange items
	maxEncodedLength = 10000     // States.Base64Encode/Base64Decode/Hash input characters
	maxPayloadBytes  = 256 << 10 // States.ArrayPartition/ArrayContains input arrays, as JSON
)

// intrinsicImpl is one intrinsic function: its arity (max -1 = variadic)
// and its evaluator over already-evaluated argument values.
type intrinsicImpl struct {
	min, max int
	eval     func(f *Intrinsic, args []any) (any, error)
}

func (i *intrinsicImpl) arity() string {
	switch {
	case i.max < 0:
		return fmt.Sprintf("at least %d arguments", i.min)
	case i.min == i.max:
		return fmt.Sprintf("%d arguments", i.min)
	}
	return fmt.Sprintf("%d to %d arguments", i.min, i.max)
}

var intrinsics map[string]*intrinsicImpl

func init() {
	// Assigned in init because States.Format's evaluator refers back to the
	// parsed call, which would otherwise form an initialization cycle.
	intrinsics = map[string]*intrinsicImpl{
		"States.Format":         {1, -1, fnFormat},
		"States.StringToJson":   {1, 1, fnStringToJSON},
		"States.JsonToString":   {1, 1, fnJSONToString},
		"States.Array":          {0, -1, fnArray},
		"States.ArrayPartition": {2, 2, fnArrayPartition},
		"States.ArrayContains":  {2, 2, fnArrayContains},
		"States.ArrayRange":     {3, 3, fnArrayRange},
		"States.ArrayGetItem":   {2, 2, fnArrayGetItem},
		"States.ArrayLength":    {1, 1, fnArrayLength},
		"States.ArrayUnique":    {1, 1, fnArrayUnique},
		"States.Base64Encode":   {1, 1, fnBase64Encode},
		"States.Base64Decode":   {1, 1, fnBase64Decode},
		"States.Hash":           {2, 2, fnHash},
		"States.JsonMerge":      {3, 3, fnJSONMerge},
		"States.MathRandom":     {2, 3, fnMathRandom},
		"States.MathAdd":        {2, 2, fnMathAdd},
		"States.StringSplit":    {2, 2, fnStringSplit},
		"States.UUID":           {0, 0, fnUUID},
	}
}

func failure(f *Intrinsic, format string, args ...any) error {
	return &Error{Name: ErrIntrinsicFailure, Cause: "Invalid arguments in " + f.name + ": " + fmt.Sprintf(format, args...)}
}

func fnFormat(f *Intrinsic, args []any) (any, error) {
	var parts []string
	if f.args[0].kind == argLit {
		parts = f.args[0].parts
	}
	if parts == nil {
		tmpl, ok := args[0].(string)
		if !ok {
			return nil, failure(f, "the first argument must be a string, got %s", typeName(args[0]))
		}
		parts = strings.Split(tmpl, "{}")
	}
	if len(parts)-1 != len(args)-1 {
		return nil, failure(f, "the template has %d placeholders but %d values were given", len(parts)-1, len(args)-1)
	}
	var b strings.Builder
	b.WriteString(parts[0])
	for i, v := range args[1:] {
		b.WriteString(formatValue(v))
		b.WriteString(parts[i+1])
	}
	return b.String(), nil
}

// formatValue renders a value for States.Format: strings as they are,
// everything else as its JSON text.
func formatValue(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case int64:
		return strconv.FormatInt(t, 10)
	case bool:
		return strconv.FormatBool(t)
	case nil:
		return "null"
	}
	return toJSON(v)
}

// toJSON writes compact JSON with sorted keys so output is deterministic.
func toJSON(v any) string { return oj.JSON(v, &oj.Options{Sort: true, HTMLUnsafe: true}) }

func fnStringToJSON(f *Intrinsic, args []any) (any, error) {
	s, ok := args[0].(string)
	if !ok {
		return nil, failure(f, "the argument must be a string, got %s", typeName(args[0]))
	}
	v, err := oj.ParseString(s)
	if err != nil {
		return nil, failure(f, "the string is not valid JSON: %v", err)
	}
	return v, nil
}

func fnJSONToString(_ *Intrinsic, args []any) (any, error) { return toJSON(args[0]), nil }

func fnArray(_ *Intrinsic, args []any) (any, error) {
	out := make([]any, len(args))
	copy(out, args)
	return out, nil
}

// fnArrayPartition: the first argument is an array no larger than the
// 256 KiB payload limit; the second, the chunk size, a positive integer
// (a number with a fraction is rounded to the nearest integer first).
func fnArrayPartition(f *Intrinsic, args []any) (any, error) {
	arr, err := payloadArray(f, args[0])
	if err != nil {
		return nil, err
	}
	size, ok := roundInt(args[1])
	if !ok || size <= 0 {
		return nil, failure(f, "the chunk size must be a positive integer, got %v", args[1])
	}
	chunks := int64(len(arr)) / size
	if int64(len(arr))%size != 0 {
		chunks++
	}
	out := make([]any, 0, chunks)
	for i := int64(0); i < int64(len(arr)); i += size {
		end := min(i+size, int64(len(arr)))
		chunk := make([]any, end-i)
		copy(chunk, arr[i:end])
		out = append(out, chunk)
	}
	return out, nil
}

// fnArrayContains: the first argument is an array no larger than the
// 256 KiB payload limit; the second, the value looked for, any JSON value
// (the guide's example looks for a number).
func fnArrayContains(f *Intrinsic, args []any) (any, error) {
	arr, err := payloadArray(f, args[0])
	if err != nil {
		return nil, err
	}
	for _, v := range arr {
		if jsonEqual(v, args[1]) {
			return true, nil
		}
	}
	return false, nil
}

// payloadArray returns v as an array no bigger, as JSON, than a payload.
func payloadArray(f *Intrinsic, v any) ([]any, error) {
	arr, ok := v.([]any)
	if !ok {
		return nil, failure(f, "the first argument must be an array, got %s", typeName(v))
	}
	if n := len(toJSON(arr)); n > maxPayloadBytes {
		return nil, failure(f, "the array is %d bytes of JSON, more than the payload limit of %d", n, maxPayloadBytes)
	}
	return arr, nil
}

// fnArrayRange: three integers, first, last and step (a number with a
// fraction is rounded to the nearest integer first); the step is not zero;
// the array has at most 1000 items.
func fnArrayRange(f *Intrinsic, args []any) (any, error) {
	var n [3]int64
	for i := range n {
		v, ok := roundInt(args[i])
		if !ok {
			return nil, failure(f, "argument %d must be an integer, got %v", i+1, args[i])
		}
		n[i] = v
	}
	start, end, step := n[0], n[1], n[2]
	if step == 0 {
		return nil, failure(f, "the step must not be zero")
	}
	// Counted in uint64 so extreme bounds cannot overflow.
	var steps uint64
	nonEmpty := true
	switch {
	case step > 0 && end >= start:
		steps = (uint64(end) - uint64(start)) / uint64(step)
	case step < 0 && end <= start:
		steps = (uint64(start) - uint64(end)) / -uint64(step)
	default:
		nonEmpty = false
	}
	if steps >= maxArrayRange {
		return nil, failure(f, "the range has more than the limit of %d items", maxArrayRange)
	}
	count := 0
	if nonEmpty {
		count = int(steps) + 1
	}
	out := make([]any, count)
	for i := range out {
		out[i] = start + int64(i)*step
	}
	return out, nil
}

func fnArrayGetItem(f *Intrinsic, args []any) (any, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, failure(f, "the first argument must be an array, got %s", typeName(args[0]))
	}
	i, ok := toInt(args[1])
	if !ok || i < 0 {
		return nil, failure(f, "the index must be a non-negative integer, got %v", args[1])
	}
	if i >= int64(len(arr)) {
		return nil, failure(f, "index %d is out of range for an array of %d items", i, len(arr))
	}
	return arr[i], nil
}

func fnArrayLength(f *Intrinsic, args []any) (any, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, failure(f, "the argument must be an array, got %s", typeName(args[0]))
	}
	return int64(len(arr)), nil
}

func fnArrayUnique(f *Intrinsic, args []any) (any, error) {
	arr, ok := args[0].([]any)
	if !ok {
		return nil, failure(f, "the argument must be an array, got %s", typeName(args[0]))
	}
	seen := make(map[string]bool, len(arr))
	out := make([]any, 0, len(arr))
	for _, v := range arr {
		k := canonicalKey(v)
		if !seen[k] {
			seen[k] = true
			out = append(out, v)
		}
	}
	return out, nil
}

// canonicalKey makes equal JSON values (1 and 1.0 included) share a key.
func canonicalKey(v any) string {
	if f, ok := toFloat(v); ok {
		return "n" + strconv.FormatFloat(f, 'g', -1, 64)
	}
	return "j" + toJSON(v)
}

func limitedString(f *Intrinsic, v any) (string, error) {
	s, ok := v.(string)
	if !ok {
		return "", failure(f, "the argument must be a string, got %s", typeName(v))
	}
	if n := utf8.RuneCountInString(s); n > maxEncodedLength {
		return "", failure(f, "the input has %d characters, more than the limit of %d", n, maxEncodedLength)
	}
	return s, nil
}

func fnBase64Encode(f *Intrinsic, args []any) (any, error) {
	s, err := limitedString(f, args[0])
	if err != nil {
		return nil, err
	}
	return base64.StdEncoding.EncodeToString([]byte(s)), nil
}

func fnBase64Decode(f *Intrinsic, args []any) (any, error) {
	s, err := limitedString(f, args[0])
	if err != nil {
		return nil, err
	}
	b, err := base64.StdEncoding.DecodeString(s)
	if err != nil {
		return nil, failure(f, "the input is not valid base64: %v", err)
	}
	return string(b), nil
}

var hashes = map[string]func() hash.Hash{
	"MD5": md5.New, "SHA-1": sha1.New, "SHA-256": sha256.New, "SHA-384": sha512.New384, "SHA-512": sha512.New,
}

// fnHash: the data is a string of at most 10,000 characters (another
// value is not turned into one); the algorithm one of MD5, SHA-1, SHA-256,
// SHA-384 and SHA-512.
func fnHash(f *Intrinsic, args []any) (any, error) {
	alg, ok := args[1].(string)
	newHash := hashes[alg]
	if !ok || newHash == nil {
		return nil, failure(f, "the algorithm must be one of MD5, SHA-1, SHA-256, SHA-384, SHA-512, got %v", args[1])
	}
	data, err := limitedString(f, args[0])
	if err != nil {
		return nil, err
	}
	h := newHash()
	h.Write([]byte(data))
	return hex.EncodeToString(h.Sum(nil)), nil
}

func fnJSONMerge(f *Intrinsic, args []any) (any, error) {
	a, ok1 := args[0].(map[string]any)
	b, ok2 := args[1].(map[string]any)
	if !ok1 || !ok2 {
		return nil, failure(f, "the first two arguments must be objects, got %s and %s", typeName(args[0]), typeName(args[1]))
	}
	if deep, ok := args[2].(bool); !ok || deep {
		return nil, failure(f, "the third argument must be false: only shallow merges are supported")
	}
	out := make(map[string]any, len(a)+len(b))
	for k, v := range a {
		out[k] = v
	}
	for k, v := range b {
		out[k] = v
	}
	return out, nil
}

// fnMathRandom: a number from the start (included) to the end (excluded),
// both integers (a number with a fraction is rounded to the nearest
// integer first). The guide gives the optional seed no rule of its own; it
// is read as the others are.
func fnMathRandom(f *Intrinsic, args []any) (any, error) {
	lo, ok1 := roundInt(args[0])
	hi, ok2 := roundInt(args[1])
	if !ok1 || !ok2 {
		return nil, failure(f, "the start and end must be integers, got %v and %v", args[0], args[1])
	}
	if hi <= lo {
		return nil, failure(f, "the end (%d) must be greater than the start (%d)", hi, lo)
	}
	var r uint64
	if len(args) == 3 {
		seed, ok := roundInt(args[2])
		if !ok {
			return nil, failure(f, "the seed must be an integer, got %v", args[2])
		}
		r = mrand.New(mrand.NewPCG(uint64(seed), 0x5eed)).Uint64()
	} else {
		var b [8]byte
		if _, err := io.ReadFull(Rand, b[:]); err != nil {
			return nil, failure(f, "no randomness: %v", err)
		}
		r = binary.LittleEndian.Uint64(b[:])
	}
	span := uint64(hi) - uint64(lo) // exact even when hi-lo overflows int64
	return int64(uint64(lo) + r%span), nil
}

// fnMathAdd: two integers (a number with a fraction is rounded to the
// nearest integer first), each from -2147483648 to 2147483647.
func fnMathAdd(f *Intrinsic, args []any) (any, error) {
	a, ok1 := roundInt(args[0])
	b, ok2 := roundInt(args[1])
	if !ok1 || !ok2 {
		return nil, failure(f, "both arguments must be integers, got %v and %v", args[0], args[1])
	}
	for _, n := range [2]int64{a, b} {
		if n < math.MinInt32 || n > math.MaxInt32 {
			return nil, failure(f, "%d is outside the range -2147483648 to 2147483647", n)
		}
	}
	return a + b, nil
}

func fnStringSplit(f *Intrinsic, args []any) (any, error) {
	s, ok1 := args[0].(string)
	delims, ok2 := args[1].(string)
	if !ok1 || !ok2 {
		return nil, failure(f, "both arguments must be strings, got %s and %s", typeName(args[0]), typeName(args[1]))
	}
	// Every character of the delimiter splits, and empty pieces are
	// dropped, as in AWS's examples ("a.b+c" split by ".+").
	fields := strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(delims, r) })
	out := make([]any, len(fields))
	for i, v := range fields {
		out[i] = v
	}
	return out, nil
}

func fnUUID(f *Intrinsic, _ []any) (any, error) {
	var b [16]byte
	if _, err := io.ReadFull(Rand, b[:]); err != nil {
		return nil, failure(f, "no randomness: %v", err)
	}
	b[6] = b[6]&0x0f | 0x40 // version 4
	b[8] = b[8]&0x3f | 0x80 // RFC 4122 variant
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}
