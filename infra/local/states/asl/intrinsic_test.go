package asl

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestIntrinsicFunctions(t *testing.T) {
	input := `{"name":"Ada","template":"Hello, my name is {}.","Id":123456,
		"inputArray":[1,2,3,4,5,6,7,8,9],"dup":[1,2,3,3,3,3,3,3,4],"obj":{"a":1},
		"escapedJsonString":"{\"foo\": \"bar\"}","unescapedJson":{"foo":"bar"},
		"value1":111,"step":-1,"inputString":"This.is+a,test=string","splitter":".+,=",
		"json1":{"a":{"a1":1,"a2":2},"b":2},"json2":{"a":{"a3":1,"a4":2},"c":3},
		"Data":"input data","Algorithm":"SHA-1","input":"Data to encode",
		"base64":"RGF0YSB0byBlbmNvZGU=","ImageRecipe":{"Arn":"arn:aws:imagebuilder:us-east-1:111122223333:image-recipe/my-recipe/1.2.3"}}`
	ctx := js(t, `{"Execution":{"Id":"exec-1"},"DayOfWeek":"Tuesday"}`)
	tests := []struct{ expr, want string }{
		// States.Format, from the AWS developer guide.
		{`States.Format('Hello, my name is {}.', $.name)`, `"Hello, my name is Ada."`},
		{`States.Format($.template, $.name)`, `"Hello, my name is Ada."`},
		{`States.Format('Today is {}', $$.DayOfWeek)`, `"Today is Tuesday"`},
		{`States.Format('{} {} {} {}', 1, 2.5, true, null)`, `"1 2.5 true null"`},
		{`States.Format('\{\} {} \'q\' \\', 'x')`, `"{} x 'q' \\"`},
		{`States.Format('no placeholders')`, `"no placeholders"`},
		{`States.StringToJson($.escapedJsonString)`, `{"foo":"bar"}`},
		{`States.JsonToString($.unescapedJson)`, `"{\"foo\":\"bar\"}"`},
		{`States.Array($.Id)`, `[123456]`},
		{`States.Array()`, `[]`},
		{`States.Array('a', 1, true, null, $.obj)`, `["a",1,true,null,{"a":1}]`},
		{`States.ArrayPartition($.inputArray, 4)`, `[[1,2,3,4],[5,6,7,8],[9]]`},
		{`States.ArrayPartition($.inputArray, 9223372036854775807)`, `[[1,2,3,4,5,6,7,8,9]]`},
		{`States.ArrayPartition(States.Array(), 2)`, `[]`},
		{`States.ArrayContains($.inputArray, 5)`, `true`},
		{`States.ArrayContains($.inputArray, 10)`, `false`},
		{`States.ArrayContains(States.Array($.obj), $.obj)`, `true`},
		{`States.ArrayRange(1, 9, 2)`, `[1,3,5,7,9]`},
		{`States.ArrayRange(5, 1, -2)`, `[5,3,1]`},
		{`States.ArrayRange(5, 1, 1)`, `[]`},
		{`States.ArrayGetItem($.inputArray, 5)`, `6`},
		{`States.ArrayLength($.inputArray)`, `9`},
		{`States.ArrayUnique($.dup)`, `[1,2,3,4]`},
		{`States.ArrayUnique(States.Array(1, 1.0, 'a', 'a', $.obj, $.obj))`, `[1,"a",{"a":1}]`},
		{`States.Base64Encode($.input)`, `"RGF0YSB0byBlbmNvZGU="`},
		{`States.Base64Decode($.base64)`, `"Data to encode"`},
		{`States.Hash($.Data, $.Algorithm)`, `"aaff4a450a104cd177d28d18d74485e8cae074b7"`},
		{`States.Hash('input data', 'MD5')`, `"812f45842bc6d66ee14572ce20db8e86"`},
		{`States.Hash('input data', 'SHA-256')`, `"b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3"`},
		// Expected digests computed independently with coreutils sha384sum/sha512sum.
		{`States.Hash('input data', 'SHA-384')`, `"d28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562"`},
		{`States.Hash('input data', 'SHA-512')`, `"6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4"`},
		{`States.JsonMerge($.json1, $.json2, false)`, `{"a":{"a3":1,"a4":2},"b":2,"c":3}`},
		{`States.MathAdd($.value1, $.step)`, `110`},
		{`States.MathAdd(-3, 3.0)`, `0`},
		{`States.StringSplit($.inputString, $.splitter)`, `["This","is","a","test","string"]`},
		{`States.StringSplit('1,2,,3', ',')`, `["1","2","3"]`},
		{`States.MathRandom(1, 2)`, `1`},
		// Nested calls, as in the AWS guide's nine-deep example.
		{`States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1), States.ArrayLength(States.Array(1,2,3)))`, `"1.2.3"`},
		{`States.Format( '{}-{}' , $.inputArray[0] , $$.Execution.Id )`, `"1-exec-1"`},
		{`States.ArrayLength($.inputArray[?(@ > 4)])`, `5`},
	}
	in := js(t, input)
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			f, err := CompileIntrinsic(tt.expr)
			if err != nil {
				t.Fatalf("CompileIntrinsic: %v", err)
			}
			got, err := f.Eval(in, ctx)
			if err != nil {
				t.Fatalf("Eval: %v", err)
			}
			wantJSON(t, got, tt.want)
		})
	}
}

func TestIntrinsicFailures(t *testing.T) {
	in := js(t, `{"arr":[1,2,3],"s":"text","obj":{"a":1},"n":2.5,"big":"`+strings.Repeat("x", 10001)+`"}`)
	tests := []struct{ expr, name string }{
		{`States.Format('{} {}', 'one')`, ErrIntrinsicFailure},
		{`States.Format('{}', 'one', 'two')`, ErrIntrinsicFailure},
		{`States.Format($.arr, 'x')`, ErrIntrinsicFailure},
		{`States.StringToJson($.s)`, ErrIntrinsicFailure},
		{`States.StringToJson($.obj)`, ErrIntrinsicFailure},
		{`States.ArrayPartition($.arr, 0)`, ErrIntrinsicFailure},
		{`States.ArrayPartition($.s, 2)`, ErrIntrinsicFailure},
		{`States.ArrayContains($.obj, 1)`, ErrIntrinsicFailure},
		{`States.ArrayRange(1, 2, 0)`, ErrIntrinsicFailure},
		{`States.ArrayRange(1, 1001, 1)`, ErrIntrinsicFailure},
		{`States.ArrayRange(-9223372036854775808, 9223372036854775807, 1)`, ErrIntrinsicFailure},
		{`States.ArrayGetItem($.arr, 3)`, ErrIntrinsicFailure},
		{`States.ArrayGetItem($.arr, -1)`, ErrIntrinsicFailure},
		{`States.ArrayLength($.obj)`, ErrIntrinsicFailure},
		{`States.ArrayUnique($.s)`, ErrIntrinsicFailure},
		{`States.Base64Encode($.big)`, ErrIntrinsicFailure},
		{`States.Base64Encode($.arr)`, ErrIntrinsicFailure},
		{`States.Base64Decode('not base64!')`, ErrIntrinsicFailure},
		{`States.Base64Decode($.big)`, ErrIntrinsicFailure},
		{`States.Hash($.s, 'SHA-999')`, ErrIntrinsicFailure},
		{`States.Hash($.s, 'sha-256')`, ErrIntrinsicFailure},
		{`States.Hash($.big, 'MD5')`, ErrIntrinsicFailure},
		{`States.JsonMerge($.obj, $.obj, true)`, ErrIntrinsicFailure},
		{`States.JsonMerge($.obj, $.arr, false)`, ErrIntrinsicFailure},
		{`States.MathRandom(5, 5)`, ErrIntrinsicFailure},
		{`States.MathRandom($.s, 5)`, ErrIntrinsicFailure},
		{`States.MathAdd($.s, 1)`, ErrIntrinsicFailure},
		{`States.StringSplit($.arr, ',')`, ErrIntrinsicFailure},
		{`States.Array($.missing)`, ErrRuntime},
		{`States.Format('{}', $$.Execution.Id)`, ErrRuntime},
	}
	for _, tt := range tests {
		t.Run(tt.expr, func(t *testing.T) {
			f, err := CompileIntrinsic(tt.expr)
			if err != nil {
				t.Fatalf("CompileIntrinsic: %v", err)
			}
			_, err = f.Eval(in, map[string]any{})
			wantStatesError(t, err, tt.name)
		})
	}
}

func TestIntrinsicSyntaxErrors(t *testing.T) {
	deep := strings.Repeat("States.Array(", 11) + strings.Repeat(")", 11)
	for _, expr := range []string{
		``, `States.Nope()`, `States.Array`, `States.Array(`, `States.Array(1,)`, `States.Array(1 2)`,
		`States.Array('unterminated)`, `States.Format('trailing \`,
		`States.Array(tru)`, `States.Array(1.2.3)`, `States.Array(--1)`, `States.Array(x)`,
		`States.Array() extra`, `States.UUID(1)`, `States.MathRandom(1)`, `States.MathRandom(1,2,3,4)`,
		`States.JsonMerge($.a, $.b)`, `States.Hash('a')`, `States.Array($.a[)`, deep,
	} {
		if _, err := CompileIntrinsic(expr); err == nil {
			t.Errorf("CompileIntrinsic(%q) succeeded, want a syntax error", expr)
		}
	}
	nine := strings.Repeat("States.Array(", 10) + strings.Repeat(")", 10)
	if _, err := CompileIntrinsic(nine); err != nil {
		t.Errorf("10 nested calls should compile: %v", err)
	}
}

// TestIntrinsicArgumentRules holds each function to the argument rules of
// the AWS Step Functions developer guide's page on intrinsic functions for
// JSONPath states, restated per group of cases.
func TestIntrinsicArgumentRules(t *testing.T) {
	in := js(t, `{"arr":[1,2,3,4,5],"n":2.5,"s":"text","obj":{"a":1},"tenk":"`+strings.Repeat("é", 10000)+`",
		"big":[`+strings.TrimSuffix(strings.Repeat(`"`+strings.Repeat("x", 1000)+`",`, 263), ",")+`]}`)
	tests := []struct {
		rule, expr string
		want       string // the result as JSON, or
		err        string // the error name
	}{
		// ArrayPartition: the chunk size is a positive integer; a number
		// with a fraction is rounded to the nearest integer.
		{"partition: a non-integer size is rounded", `States.ArrayPartition($.arr, 1.6)`, `[[1,2],[3,4],[5]]`, ""},
		{"partition: rounded down", `States.ArrayPartition($.arr, 2.4)`, `[[1,2],[3,4],[5]]`, ""},
		{"partition: rounded to zero is not positive", `States.ArrayPartition($.arr, 0.4)`, "", ErrIntrinsicFailure},
		{"partition: negative", `States.ArrayPartition($.arr, -2)`, "", ErrIntrinsicFailure},
		{"partition: a string is no size", `States.ArrayPartition($.arr, '2')`, "", ErrIntrinsicFailure},
		// ArrayPartition and ArrayContains: the array is at most the
		// 256 KiB payload limit.
		{"partition: over 256 KiB", `States.ArrayPartition($.big, 2)`, "", ErrIntrinsicFailure},
		{"contains: over 256 KiB", `States.ArrayContains($.big, 'x')`, "", ErrIntrinsicFailure},
		// ArrayContains: the value looked for is any JSON value.
		{"contains: an object", `States.ArrayContains(States.Array($.obj), $.obj)`, `true`, ""},
		{"contains: null", `States.ArrayContains(States.Array(1, null), null)`, `true`, ""},
		// ArrayRange: three integers, each rounded to the nearest integer
		// if it has a fraction; the step is not zero; at most 1000 items.
		{"range: every argument rounded", `States.ArrayRange(0.6, 5.4, $.n)`, `[1,4]`, ""},
		{"range: a step rounded to zero", `States.ArrayRange(1, 5, 0.4)`, "", ErrIntrinsicFailure},
		{"range: 1000 items", `States.ArrayLength(States.ArrayRange(1, 1000, 1))`, `1000`, ""},
		{"range: 1001 items", `States.ArrayRange(0, 1000, 1)`, "", ErrIntrinsicFailure},
		{"range: a string is no integer", `States.ArrayRange(1, '5', 1)`, "", ErrIntrinsicFailure},
		// Base64Encode and Hash: a string of up to 10,000 characters
		// (characters, not bytes: é is two bytes).
		{"base64: 10,000 characters", `States.ArrayLength(States.Array(States.Base64Encode($.tenk)))`, `1`, ""},
		{"hash: 10,000 characters", `States.ArrayLength(States.Array(States.Hash($.tenk, 'SHA-256')))`, `1`, ""},
		// Hash: the data is a string, not any value.
		{"hash: an object is not a string", `States.Hash($.obj, 'MD5')`, "", ErrIntrinsicFailure},
		{"hash: a number is not a string", `States.Hash(1, 'MD5')`, "", ErrIntrinsicFailure},
		// MathRandom: start and end are integers, each rounded to the
		// nearest integer if it has a fraction; start included, end
		// excluded.
		{"random: rounded bounds", `States.MathRandom(0.6, 1.6)`, `1`, ""},
		{"random: a string is no integer", `States.MathRandom('1', 5)`, "", ErrIntrinsicFailure},
		// MathAdd: integers, each rounded to the nearest integer if it has
		// a fraction (halves up, as Java's Math.round: the guide does not
		// say), each from -2147483648 to 2147483647.
		{"add: rounded", `States.MathAdd(1.4, 2.6)`, `4`, ""},
		{"add: a half rounds up", `States.MathAdd($.n, 1)`, `4`, ""},
		{"add: a negative half rounds up too", `States.MathAdd(-2.5, 0)`, `-2`, ""},
		{"add: the ends of the range", `States.MathAdd(-2147483648, 2147483647)`, `-1`, ""},
		{"add: the sum may leave the range", `States.MathAdd(2147483647, 1)`, `2147483648`, ""},
		{"add: above the range", `States.MathAdd(2147483648, 0)`, "", ErrIntrinsicFailure},
		{"add: below the range", `States.MathAdd(0, -2147483649)`, "", ErrIntrinsicFailure},
		{"add: a string is no integer", `States.MathAdd('1', 1)`, "", ErrIntrinsicFailure},
		// Reserved characters: an open escape backslash in the call is a
		// runtime error (States.Runtime), not a malformed definition.
		{"open escape", `States.Format('bad \n escape')`, "", ErrRuntime},
		{"open escape in a nested call", `States.Array(1, States.Format('\d'))`, "", ErrRuntime},
		{"escapes that are not open", `States.Format('\' \{ \} \\')`, `"' { } \\"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			f, err := CompileIntrinsic(tt.expr)
			if err != nil {
				t.Fatalf("CompileIntrinsic(%s): %v", tt.expr, err)
			}
			got, err := f.Eval(in, map[string]any{})
			if tt.err != "" {
				wantStatesError(t, err, tt.err)
				return
			}
			if err != nil {
				t.Fatalf("Eval(%s): %v", tt.expr, err)
			}
			wantJSON(t, got, tt.want)
		})
	}
	// JsonToString: its one argument is a path (the guide and the ASL
	// specification); anything else is refused with the definition.
	for _, expr := range []string{`States.JsonToString('{}')`, `States.JsonToString(1)`, `States.JsonToString(States.Array())`} {
		if _, err := CompileIntrinsic(expr); err == nil {
			t.Errorf("CompileIntrinsic(%s) succeeded, want an error: the argument must be a path", expr)
		}
	}
	if _, err := CompileIntrinsic(`States.JsonToString($$.Execution.Input)`); err != nil {
		t.Errorf("a context path is a path: %v", err)
	}
}

func TestIntrinsicRandomness(t *testing.T) {
	old := Rand
	defer func() { Rand = old }()
	Rand = bytes.NewReader(bytes.Repeat([]byte{0xab}, 64))
	f, _ := CompileIntrinsic(`States.UUID()`)
	got, err := f.Eval(nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got != "abababab-abab-4bab-abab-abababababab" {
		t.Errorf("UUID = %v, want a version 4 UUID built from the injected bytes", got)
	}

	Rand = bytes.NewReader([]byte{7, 0, 0, 0, 0, 0, 0, 0})
	f, _ = CompileIntrinsic(`States.MathRandom(10, 15)`)
	if got, _ := f.Eval(nil, nil); got != int64(12) { // 10 + 7%5
		t.Errorf("MathRandom = %v, want 12 from the injected source", got)
	}

	seeded, _ := CompileIntrinsic(`States.MathRandom(0, 1000000, 42)`)
	a, _ := seeded.Eval(nil, nil)
	b, _ := seeded.Eval(nil, nil)
	if a != b {
		t.Errorf("seeded MathRandom gave %v then %v, want the same number", a, b)
	}
	for seed := range 50 {
		f, _ := CompileIntrinsic(`States.MathRandom(-3, 3, ` + string(rune('0'+seed%10)) + `)`)
		v, _ := f.Eval(nil, nil)
		if n := v.(int64); n < -3 || n >= 3 {
			t.Fatalf("MathRandom(-3, 3) = %d, outside [-3, 3)", n)
		}
	}
}

func FuzzCompileIntrinsic(f *testing.F) {
	for _, s := range []string{
		`States.Format('a {} \{ \' \\', $.x)`, `States.Array(1, -2.5e3, true, null, $$.Execution.Id, $.a[?(@.b == 'x,)')])`,
		`States.MathRandom(1, 10, 7)`, `States.JsonMerge($.a, States.StringToJson('{}'), false)`,
	} {
		f.Add(s)
	}
	in := map[string]any{"x": "v", "a": []any{map[string]any{"b": "x,)"}}}
	f.Fuzz(func(t *testing.T, expr string) {
		fn, err := CompileIntrinsic(expr)
		if err != nil {
			return
		}
		if _, err := fn.Eval(in, map[string]any{}); err != nil {
			var se *Error
			if !errors.As(err, &se) {
				t.Fatalf("Eval(%q) returned %T, want *Error", expr, err)
			}
		}
	})
}

func TestMathRandomExtremeBounds(t *testing.T) {
	f, err := CompileIntrinsic(`States.MathRandom(-9223372036854775808, 9223372036854775807, 3)`)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.Eval(nil, nil); err != nil {
		t.Fatalf("MathRandom over the whole int64 range: %v", err)
	}
}
