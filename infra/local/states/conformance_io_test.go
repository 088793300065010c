package states_test

import (
	"context"
	"encoding/json"
	"regexp"
	"sync"
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/states"
)

// Input and output processing in AWS's order, through Pass states.
func TestInputOutputProcessing(t *testing.T) {
	datasets := `{"comment":"Example for InputPath.","dataset1":{"val1":1,"val2":2,"val3":3},"dataset2":{"val1":"a","val2":"b","val3":"c"}}`
	tests := []struct {
		name, state, input string
		want               string // output, or an error name when err is set
		err                bool
	}{
		// AWS's InputPath example.
		{"InputPath selects", `{"Type":"Pass","InputPath":"$.dataset2","End":true}`, datasets, `{"val1":"a","val2":"b","val3":"c"}`, false},
		{"InputPath null is {}", `{"Type":"Pass","InputPath":null,"End":true}`, `{"a":1}`, `{}`, false},
		{"Parameters see InputPath's selection", `{"Type":"Pass","InputPath":"$.a","Parameters":{"x.$":"$.b","lit":"$.b"},"End":true}`,
			`{"a":{"b":2}}`, `{"x":2,"lit":"$.b"}`, false},
		{"Parameters nest", `{"Type":"Pass","Parameters":{"outer":{"inner.$":"$.v","list":[1,{"deep.$":"$.v"}]}},"End":true}`,
			`{"v":"V"}`, `{"outer":{"inner":"V","list":[1,{"deep":"V"}]}}`, false},
		{"Parameters read the context object", `{"Type":"Pass","Parameters":{"state.$":"$$.State.Name","in.$":"$$.Execution.Input.a","sm.$":"$$.StateMachine.Name"},"End":true}`,
			`{"a":5}`, `{"state":"S","in":5,"sm":"io"}`, false},
		{"Parameters with an indefinite path give an array", `{"Type":"Pass","Parameters":{"names.$":"$.people[*].name"},"End":true}`,
			`{"people":[{"name":"Ash Example"},{"name":"Rowan Example"}]}`, `{"names":["Ash Example","Rowan Example"]}`, false},
		{"ResultPath merges into the raw input", `{"Type":"Pass","InputPath":"$.a","Result":"r","ResultPath":"$.res","End":true}`,
			`{"a":1,"b":2}`, `{"a":1,"b":2,"res":"r"}`, false},
		{"ResultPath replaces a field", `{"Type":"Pass","Result":"new","ResultPath":"$.a","End":true}`, `{"a":"old","b":2}`, `{"a":"new","b":2}`, false},
		{"ResultPath null keeps the input", `{"Type":"Pass","Result":"dropped","ResultPath":null,"End":true}`, `{"a":1}`, `{"a":1}`, false},
		{"ResultPath creates nested objects", `{"Type":"Pass","Result":7,"ResultPath":"$.a.b.c","End":true}`, `{"a":{"k":1}}`, `{"a":{"k":1,"b":{"c":7}}}`, false},
		{"ResultPath $ replaces", `{"Type":"Pass","Result":{"only":true},"ResultPath":"$","End":true}`, `{"a":1}`, `{"only":true}`, false},
		{"OutputPath selects from the merge", `{"Type":"Pass","Result":{"x":{"y":3}},"ResultPath":"$.r","OutputPath":"$.r.x","End":true}`, `{"a":1}`, `{"y":3}`, false},
		{"OutputPath null is {}", `{"Type":"Pass","OutputPath":null,"End":true}`, `{"a":1}`, `{}`, false},
		{"InputPath to nothing", `{"Type":"Pass","InputPath":"$.missing","End":true}`, `{"a":1}`, "States.Runtime", true},
		{"Parameters path to nothing", `{"Type":"Pass","Parameters":{"x.$":"$.missing"},"End":true}`, `{"a":1}`, "States.Runtime", true},
		{"OutputPath to nothing", `{"Type":"Pass","OutputPath":"$.missing","End":true}`, `{"a":1}`, "States.Runtime", true},
		{"ResultPath through a non-object", `{"Type":"Pass","Result":1,"ResultPath":"$.a.b","End":true}`, `{"a":"text"}`, "States.ResultPathMatchFailure", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, states.Options{})
			h.machine("io", one(tt.state))
			d, _ := h.finish(h.start("io", tt.input).ARN)
			if tt.err {
				wantFailed(t, d, tt.want)
				return
			}
			wantSucceeded(t, d, tt.want)
		})
	}
}

// The whole pipeline on a Task: InputPath → Parameters → task →
// ResultSelector → ResultPath (on the raw input) → OutputPath.
func TestTaskInputOutputOrder(t *testing.T) {
	tests := []struct {
		name, fields, want string
		err                bool
	}{
		{"full pipeline", `"InputPath":"$.sub","Parameters":{"n.$":"$.n","tag":"t"},
			"ResultSelector":{"d.$":"$.doubled","from.$":"$.got.tag"},"ResultPath":"$.res"`,
			`{"keep":1,"sub":{"n":2},"res":{"d":4,"from":"t"}}`, false},
		{"OutputPath after ResultPath", `"InputPath":"$.sub","Parameters":{"n.$":"$.n"},
			"ResultSelector":{"d.$":"$.doubled"},"ResultPath":"$.res","OutputPath":"$.res.d"`, `4`, false},
		{"ResultPath null discards the result", `"InputPath":"$.sub","ResultPath":null`, `{"keep":1,"sub":{"n":2}}`, false},
		{"ResultSelector path to nothing", `"InputPath":"$.sub","ResultSelector":{"x.$":"$.nothing"}`, "States.Runtime", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, states.Options{})
			var mu sync.Mutex
			var got any
			h.handle("Double", func(_ context.Context, in any) (any, error) {
				mu.Lock()
				got = in
				mu.Unlock()
				m := in.(map[string]any)
				return map[string]any{"doubled": m["n"].(int64) * 2, "got": in, "noise": true}, nil
			})
			def := one(`{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:000000000000:function:Double",` + tt.fields + `,"End":true}`)
			d := h.run(def, `{"keep":1,"sub":{"n":2}}`)
			if tt.err {
				wantFailed(t, d, tt.want)
				return
			}
			wantSucceeded(t, d, tt.want)
			mu.Lock()
			defer mu.Unlock()
			if m, _ := got.(map[string]any); m["n"] != int64(2) {
				t.Errorf("the function got %v, want the effective input with n=2", got)
			}
		})
	}
}

// Intrinsic functions evaluated inside running workflows (the asl package
// tests each function; here they meet paths, the context object and
// errors of a real execution).
func TestIntrinsicsInAWorkflow(t *testing.T) {
	def := one(`{"Type":"Pass","Parameters":{
		"greeting.$":"States.Format('Hello, {}! You are {} today.', $.name, $.age)",
		"parts.$":"States.StringSplit($.csv, ',')",
		"sum.$":"States.MathAdd($.age, 5)",
		"count.$":"States.ArrayLength($.list)",
		"second.$":"States.ArrayGetItem($.list, 1)",
		"obj.$":"States.StringToJson($.json)",
		"text.$":"States.JsonToString($.list)",
		"has.$":"States.ArrayContains($.list, 'b')",
		"b64.$":"States.Base64Encode($.name)",
		"merged.$":"States.JsonMerge($.x, $.y, false)",
		"exec.$":"States.Format('{}', $$.Execution.Name)",
		"id.$":"States.UUID()"},"End":true}`)
	h := newHarness(t, states.Options{})
	h.machine("fn", def)
	ex := h.start("fn", `{"name":"Ash Example","age":40,"csv":"a,b,c","list":["a","b"],"json":"{\"k\":[1,2]}","x":{"a":1,"b":1},"y":{"b":2}}`)
	d, _ := h.finish(ex.ARN)
	out, ok := decode(t, d.Output).(map[string]any)
	if !ok {
		t.Fatalf("output %s, want an object (status %s, error %s %s)", d.Output, d.Status, d.Error, d.Cause)
	}
	id, _ := out["id"].(string)
	if !regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`).MatchString(id) {
		t.Errorf("States.UUID() = %q, want a version 4 UUID", id)
	}
	delete(out, "id")
	execName := ex.Name
	want := `{"greeting":"Hello, Ash Example! You are 40 today.","parts":["a","b","c"],"sum":45,"count":2,"second":"b",
		"obj":{"k":[1,2]},"text":"[\"a\",\"b\"]","has":true,"b64":"QXNoIEV4YW1wbGU=","merged":{"a":1,"b":2},"exec":"` + execName + `"}`
	jsonEqual(t, "output without id", mustJSON(t, out), want)
}

func TestIntrinsicFailuresFailTheState(t *testing.T) {
	tests := []struct {
		name, param, err string
	}{
		{"index out of range", `"States.ArrayGetItem($.list, 5)"`, "States.IntrinsicFailure"},
		{"not JSON", `"States.StringToJson($.s)"`, "States.IntrinsicFailure"},
		{"path to nothing", `"States.Format('{}', $.missing)"`, "States.Runtime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := runDef(t, one(`{"Type":"Pass","Parameters":{"x.$":`+tt.param+`},"End":true}`), `{"list":[1],"s":"{not json"}`)
			wantFailed(t, d, tt.err)
			if d.Cause == "" {
				t.Error("the failure has no cause explaining it")
			}
		})
	}
}

func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
