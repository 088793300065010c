package asl

import (
	"testing"
)

func TestPathGet(t *testing.T) {
	in := js(t, `{"a":{"b":[10,{"c":"deep"}],"k-y":1,"sp ace":2},"vals":[0,10,20,30,40,50],"n":null,
		"detail-type":[{"id":7}],"items":[{"id":1,"ok":true},{"id":2,"ok":false},{"id":3,"ok":true}]}`)
	ctx := js(t, `{"Execution":{"Id":"e1","Input":{"x":1}},"State":{"Name":"S"}}`)
	tests := []struct{ path, want string }{
		{`$`, ``}, // whole input
		{`$.a.b[0]`, `10`},
		{`$.a.b[1].c`, `"deep"`},
		{`$['a']['sp ace']`, `2`},
		{`$.a.k-y`, `1`},
		{`$.detail-type[*].id`, `[7]`},
		{`$.items[?(@.id == 2)].ok`, `[false]`},
		{`$.n`, `null`},
		{`$.vals[-1]`, `50`},
		{`$.vals[-3:]`, `[30,40,50]`},
		{`$.vals[1:3]`, `[10,20]`},
		{`$.items[*].id`, `[1,2,3]`},
		{`$.items[?(@.ok == true)].id`, `[1,3]`},
		{`$.items[?(@.id > 9)]`, `[]`},
		{`$..c`, `["deep"]`},
		{`$$.Execution.Id`, `"e1"`},
		{`$$.Execution.Input.x`, `1`},
		{`$$`, `{"Execution":{"Id":"e1","Input":{"x":1}},"State":{"Name":"S"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			p, err := compilePath(tt.path, "InputPath", pathOpts{ctx: true})
			if err != nil {
				t.Fatal(err)
			}
			got, err := p.Get(in, ctx)
			if err != nil {
				t.Fatal(err)
			}
			if tt.want == "" {
				if !jsonEqual(got, in) {
					t.Errorf("$ should return the input")
				}
				return
			}
			wantJSON(t, got, tt.want)
		})
	}
}

func TestPathNoMatchIsRuntimeError(t *testing.T) {
	in := js(t, `{"a":{"b":1},"arr":[1]}`)
	for _, src := range []string{`$.missing`, `$.a.b.c`, `$.a.x`, `$.arr[5]`, `$.arr[-9]`, `$['a']['zz']`, `$.a.b[0]`} {
		p, err := compilePath(src, "OutputPath", pathOpts{})
		if err != nil {
			t.Fatalf("%s: %v", src, err)
		}
		_, err = p.Get(in, nil)
		wantStatesError(t, err, ErrRuntime)
	}
}

func TestPathNullAndUnset(t *testing.T) {
	var unset Path
	in := js(t, `{"a":1}`)
	if got, _ := unset.Get(in, nil); !jsonEqual(got, in) || unset.IsSet() {
		t.Errorf("unset path: got %v, IsSet %v; want the input, false", got, unset.IsSet())
	}
	null := Path{kind: pathNull}
	got, _ := null.Get(in, nil)
	wantJSON(t, got, `{}`)
	if !null.IsNull() || !null.IsSet() || null.String() != "null" {
		t.Errorf("null path: IsNull %v IsSet %v String %q", null.IsNull(), null.IsSet(), null.String())
	}
}

func TestPathCompileErrors(t *testing.T) {
	for _, src := range []string{``, `a.b`, `$.a[`, `$$.x`, `States.Array()`} {
		if _, err := compilePath(src, "InputPath", pathOpts{}); err == nil {
			t.Errorf("compilePath(%q) succeeded, want an error", src)
		}
	}
}

func TestResultPathApply(t *testing.T) {
	tests := []struct{ path, input, result, want string }{
		// The specification's examples.
		{`$`, `{"master":{"detail":[1,2,3]}}`, `"Hello"`, `"Hello"`},
		{`$.master.detail`, `{"master":{"detail":[1,2,3]}}`, `"Hello"`, `{"master":{"detail":"Hello"}}`},
		{`$.master.result.sum`, `{"master":{"detail":[1,2,3]}}`, `6`, `{"master":{"detail":[1,2,3],"result":{"sum":6}}}`},
		{`$.sum`, `{"title":"Numbers to add","numbers":{"val1":3,"val2":4}}`, `7`,
			`{"title":"Numbers to add","numbers":{"val1":3,"val2":4},"sum":7}`},
		{`$.list[1]`, `{"list":[1,2,3]}`, `"two"`, `{"list":[1,"two",3]}`},
		{`$['odd key'].x`, `{}`, `1`, `{"odd key":{"x":1}}`},
		{`$.a`, `null`, `1`, `{"a":1}`},
	}
	for _, tt := range tests {
		t.Run(tt.path, func(t *testing.T) {
			r, err := compileResultPath(tt.path)
			if err != nil {
				t.Fatal(err)
			}
			in := js(t, tt.input)
			before := toJSON(in)
			got, err := r.Apply(in, js(t, tt.result))
			if err != nil {
				t.Fatal(err)
			}
			wantJSON(t, got, tt.want)
			if toJSON(in) != before {
				t.Errorf("Apply mutated its input: %s became %s", before, toJSON(in))
			}
		})
	}
}

func TestResultPathNullAndZero(t *testing.T) {
	in := js(t, `{"a":1}`)
	null := ResultPath{null: true}
	if got, _ := null.Apply(in, "ignored"); !jsonEqual(got, in) {
		t.Errorf("null ResultPath should keep the input, got %v", got)
	}
	var zero ResultPath
	if got, _ := zero.Apply(in, "r"); got != "r" {
		t.Errorf("default ResultPath should replace the input, got %v", got)
	}
}

func TestResultPathSharesUntouchedBranches(t *testing.T) {
	in := js(t, `{"keep":{"big":[1,2,3]},"w":{"x":1}}`).(map[string]any)
	r, _ := compileResultPath(`$.w.y`)
	got, err := r.Apply(in, 2)
	if err != nil {
		t.Fatal(err)
	}
	out := got.(map[string]any)
	// Siblings off the written path are shared, not deep-copied.
	if &out["keep"].(map[string]any)["big"].([]any)[0] != &in["keep"].(map[string]any)["big"].([]any)[0] {
		t.Error("ResultPath.Apply copied a branch it did not write to")
	}
	if _, ok := in["w"].(map[string]any)["y"]; ok {
		t.Error("ResultPath.Apply wrote into the shared input")
	}
}

func TestResultPathFailures(t *testing.T) {
	tests := []struct{ path, input string }{
		{`$.a.b`, `{"a":"a string"}`},
		{`$.a`, `"not an object"`},
		{`$.list[3]`, `{"list":[1]}`},
		{`$.list[0]`, `{"list":{"0":1}}`},
	}
	for _, tt := range tests {
		r, err := compileResultPath(tt.path)
		if err != nil {
			t.Fatal(err)
		}
		_, err = r.Apply(js(t, tt.input), 1)
		wantStatesError(t, err, ErrResultPathMatchFailure)
	}
	for _, bad := range []string{`$$.x`, `$.a[*]`, `$..a`, `$.a[?(@.b)]`, `x`, `$.a[-1]`} {
		if _, err := compileResultPath(bad); err == nil {
			t.Errorf("compileResultPath(%q) succeeded, want an error (not a reference path)", bad)
		}
	}
}
