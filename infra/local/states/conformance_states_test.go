package states_test

import (
	"context"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states"
)

func TestPassState(t *testing.T) {
	tests := []struct {
		name, state, input, want string
	}{
		// The specification's Pass example: Result placed at ResultPath.
		{"spec example", `{"Type":"Pass","Result":{"x-datum":0.381018,"y-datum":622.2269926397355},"ResultPath":"$.coords","End":true}`,
			`{"georefOf":"Home"}`, `{"georefOf":"Home","coords":{"x-datum":0.381018,"y-datum":622.2269926397355}}`},
		{"no Result passes input", `{"Type":"Pass","End":true}`, `{"a":[1,2]}`, `{"a":[1,2]}`},
		{"Result replaces input", `{"Type":"Pass","Result":"done","End":true}`, `{"a":1}`, `"done"`},
		{"Parameters build the result", `{"Type":"Pass","Parameters":{"b.$":"$.a","c":true},"End":true}`, `{"a":1}`, `{"b":1,"c":true}`},
		{"Result wins over Parameters", `{"Type":"Pass","Parameters":{"b.$":"$.a"},"Result":7,"ResultPath":"$.r","End":true}`, `{"a":1}`, `{"a":1,"r":7}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantSucceeded(t, runDef(t, one(tt.state), tt.input), tt.want)
		})
	}
}

func TestPassChainFollowsNext(t *testing.T) {
	h := newHarness(t, states.Options{})
	h.machine("chain", `{"StartAt":"A","States":{
		"A":{"Type":"Pass","Result":1,"ResultPath":"$.a","Next":"B"},
		"B":{"Type":"Pass","Result":2,"ResultPath":"$.b","Next":"C"},
		"C":{"Type":"Succeed"}}}`)
	ex := h.start("chain", `{}`)
	d, _ := h.finish(ex.ARN)
	wantSucceeded(t, d, `{"a":1,"b":2}`)
	if got := entered(h, ex.ARN); !slices.Equal(got, []string{"A", "B", "C"}) {
		t.Errorf("entered %q, want A B C", got)
	}
}

func TestSucceedAndFailStates(t *testing.T) {
	tests := []struct {
		name, state, input string
		status, out        string // out: output (SUCCEEDED) or error name
		cause              string
	}{
		{"Succeed passes input", `{"Type":"Succeed"}`, `{"a":1}`, states.ExecSucceeded, `{"a":1}`, ""},
		{"Succeed applies InputPath and OutputPath", `{"Type":"Succeed","InputPath":"$.a","OutputPath":"$.b"}`, `{"a":{"b":2}}`, states.ExecSucceeded, `2`, ""},
		{"Fail names error and cause", `{"Type":"Fail","Error":"Application.Rejected","Cause":"not eligible"}`, `{}`, states.ExecFailed, "Application.Rejected", "not eligible"},
		{"Fail reads ErrorPath and CausePath", `{"Type":"Fail","ErrorPath":"$.e","CausePath":"$.c"}`, `{"e":"Custom.Err","c":"because"}`, states.ExecFailed, "Custom.Err", "because"},
		{"ErrorPath to a number is States.Runtime", `{"Type":"Fail","ErrorPath":"$.e"}`, `{"e":5}`, states.ExecFailed, "States.Runtime", ""},
		{"CausePath to nothing is States.Runtime", `{"Type":"Fail","Error":"E","CausePath":"$.missing"}`, `{}`, states.ExecFailed, "States.Runtime", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := runDef(t, one(tt.state), tt.input)
			if tt.status == states.ExecSucceeded {
				wantSucceeded(t, d, tt.out)
				return
			}
			wantFailed(t, d, tt.out)
			if tt.cause != "" && d.Cause != tt.cause {
				t.Errorf("cause %q, want %q", d.Cause, tt.cause)
			}
			if d.Output != nil {
				t.Errorf("a failed execution has output %s", d.Output)
			}
		})
	}
}

func TestWaitState(t *testing.T) {
	at := t0.Add(90 * time.Minute).Format(time.RFC3339)
	tests := []struct {
		name, state, input string
		wait               time.Duration // the timer the Wait sets
		err                string        // instead: the execution fails
	}{
		{"Seconds", `{"Type":"Wait","Seconds":10,"End":true}`, `{"k":1}`, 10 * time.Second, ""},
		{"Timestamp", `{"Type":"Wait","Timestamp":"` + at + `","End":true}`, `{"k":1}`, 90 * time.Minute, ""},
		{"SecondsPath", `{"Type":"Wait","SecondsPath":"$.s","End":true}`, `{"k":1,"s":42}`, 42 * time.Second, ""},
		{"TimestampPath", `{"Type":"Wait","TimestampPath":"$.at","End":true}`, `{"k":1,"at":"` + at + `"}`, 90 * time.Minute, ""},
		{"SecondsPath after InputPath", `{"Type":"Wait","InputPath":"$.w","SecondsPath":"$.s","End":true}`, `{"k":1,"w":{"s":3}}`, 3 * time.Second, ""},
		{"SecondsPath to a string", `{"Type":"Wait","SecondsPath":"$.s","End":true}`, `{"s":"10"}`, 0, "States.Runtime"},
		{"SecondsPath negative", `{"Type":"Wait","SecondsPath":"$.s","End":true}`, `{"s":-1}`, 0, "States.Runtime"},
		{"SecondsPath to nothing", `{"Type":"Wait","SecondsPath":"$.s","End":true}`, `{}`, 0, "States.Runtime"},
		{"TimestampPath not a timestamp", `{"Type":"Wait","TimestampPath":"$.at","End":true}`, `{"at":"next Tuesday"}`, 0, "States.Runtime"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, states.Options{})
			h.machine("w", one(tt.state))
			ex := h.start("w", tt.input)
			if tt.err != "" {
				d, _ := h.finish(ex.ARN)
				wantFailed(t, d, tt.err)
				return
			}
			if d := h.settle(ex.ARN); d.Status != states.ExecRunning {
				t.Fatalf("status %s before the wait is over, want RUNNING", d.Status)
			}
			d, delays := h.finish(ex.ARN)
			if !slices.Equal(delays, []time.Duration{tt.wait}) {
				t.Errorf("timers %v, want one of %v", delays, tt.wait)
			}
			want := tt.input
			if strings.Contains(tt.state, "InputPath") {
				want = `{"s":3}` // a Wait's output is its effective input
			}
			wantSucceeded(t, d, want)
			if !d.StopDate.Equal(t0.Add(tt.wait)) {
				t.Errorf("stopped at %v, want %v", d.StopDate, t0.Add(tt.wait))
			}
		})
	}
}

func TestWaitTimestampInThePastDoesNotWait(t *testing.T) {
	h := newHarness(t, states.Options{})
	past := t0.Add(-time.Hour).Format(time.RFC3339)
	d := h.run(one(`{"Type":"Wait","Timestamp":"`+past+`","End":true}`), `{"a":1}`)
	wantSucceeded(t, d, `{"a":1}`)
	if !d.StopDate.Equal(t0) {
		t.Errorf("stopped at %v, want at once (%v)", d.StopDate, t0)
	}
}

// An eight-week Wait holds one timer and no goroutine, and ends when the
// clock reaches it.
func TestEightWeekWaitCostsNothingWhileWaiting(t *testing.T) {
	const n = 200
	const eightWeeks = 8 * 7 * 24 * time.Hour
	h := newHarness(t, states.Options{})
	h.machine("long", one(`{"Type":"Wait","Seconds":4838400,"End":true}`))
	h.e.WaitIdle()
	before := runtime.NumGoroutine()
	var arns []string
	for i := 0; i < n; i++ {
		arns = append(arns, h.start("long", `{"i":1}`).ARN)
	}
	h.e.WaitIdle()
	if grown := runtime.NumGoroutine() - before; grown > n/10 {
		t.Errorf("%d waiting executions hold %d more goroutines, want (almost) none", n, grown)
	}
	if p := h.clock.Pending(); p != n {
		t.Errorf("%d timers pending, want %d (one per waiting execution)", p, n)
	}
	next, _ := h.clock.Next()
	if got := next.Sub(h.clock.Now()); got != eightWeeks {
		t.Errorf("the next timer is in %v, want %v", got, eightWeeks)
	}
	h.clock.Advance(eightWeeks - time.Second)
	if d := h.settle(arns[0]); d.Status != states.ExecRunning {
		t.Fatalf("status %s a second before eight weeks, want RUNNING", d.Status)
	}
	h.clock.Advance(time.Second)
	for _, arn := range arns {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		d, err := h.e.Wait(ctx, arn)
		cancel()
		if err != nil {
			t.Fatalf("Wait: %v", err)
		}
		wantSucceeded(t, d, `{"i":1}`)
	}
}

func TestParallelState(t *testing.T) {
	def := `{"StartAt":"P","States":{"P":{"Type":"Parallel","Next":"Done",
		"Branches":[
			{"StartAt":"A","States":{"A":{"Type":"Pass","InputPath":"$.x","End":true}}},
			{"StartAt":"B1","States":{"B1":{"Type":"Wait","Seconds":5,"Next":"B2"},"B2":{"Type":"Pass","Result":"b","End":true}}},
			{"StartAt":"C","States":{"C":{"Type":"Pass","Parameters":{"name.$":"$$.State.Name","y.$":"$.y"},"End":true}}}
		],
		"ResultSelector":{"first.$":"$[0]","all.$":"$"},"ResultPath":"$.p"},
		"Done":{"Type":"Succeed"}}}`
	h := newHarness(t, states.Options{})
	h.machine("par", def)
	ex := h.start("par", `{"x":1,"y":2}`)
	d, delays := h.finish(ex.ARN)
	// Branch outputs come in branch order, whichever finished first.
	wantSucceeded(t, d, `{"x":1,"y":2,"p":{"first":1,"all":[1,"b",{"name":"C","y":2}]}}`)
	if !slices.Equal(delays, []time.Duration{5 * time.Second}) {
		t.Errorf("timers %v, want the branch's 5s wait", delays)
	}
	got := entered(h, ex.ARN)
	for _, s := range []string{"P", "A", "B1", "B2", "C", "Done"} {
		if !slices.Contains(got, s) {
			t.Errorf("state %s was never entered (entered %q)", s, got)
		}
	}
}

func TestParallelBranchFailure(t *testing.T) {
	branches := `"Branches":[
		{"StartAt":"Slow","States":{"Slow":{"Type":"Wait","Seconds":100,"End":true}}},
		{"StartAt":"Bad","States":{"Bad":{"Type":"Fail","Error":"Branch.Broken","Cause":"second branch"}}}]`
	t.Run("uncaught fails the execution with the branch's error", func(t *testing.T) {
		h := newHarness(t, states.Options{})
		h.machine("p", one(`{"Type":"Parallel","End":true,`+branches+`}`))
		ex := h.start("p", `{}`)
		d, _ := h.finish(ex.ARN)
		wantFailed(t, d, "Branch.Broken")
		if d.Cause != "second branch" {
			t.Errorf("cause %q, want the branch's cause", d.Cause)
		}
		if !d.StopDate.Equal(t0) {
			t.Errorf("stopped at %v: the failure must stop the other branch, not wait for it", d.StopDate)
		}
	})
	t.Run("caught by the Parallel state", func(t *testing.T) {
		d := runDef(t, `{"StartAt":"P","States":{
			"P":{"Type":"Parallel","Next":"Ok",`+branches+`,
				"Catch":[{"ErrorEquals":["Branch.Broken"],"ResultPath":"$.err","Next":"Handled"}]},
			"Ok":{"Type":"Succeed"},
			"Handled":{"Type":"Pass","End":true}}}`, `{"k":1}`)
		wantSucceeded(t, d, `{"k":1,"err":{"Error":"Branch.Broken","Cause":"second branch"}}`)
	})
}

func TestMapState(t *testing.T) {
	shipped := `{"ship-date":"2016-03-14T01:59:00Z","detail":{"delivery-partner":"UQS","shipped":[
		{"prod":"R31","dest-code":9511,"quantity":1344},
		{"prod":"S39","dest-code":9511,"quantity":40},
		{"prod":"R31","dest-code":9833,"quantity":12}]}}`
	tests := []struct {
		name, state, input, want string
	}{
		// The specification's Map example: ItemsPath after InputPath,
		// ItemSelector with $$.Map.Item.Value, ResultPath into the raw input.
		{"spec example", `{"Type":"Map","InputPath":"$.detail","ItemsPath":"$.shipped","MaxConcurrency":0,
			"ItemSelector":{"parcel.$":"$$.Map.Item.Value","courier.$":"$.delivery-partner"},
			"ItemProcessor":{"StartAt":"Validate","States":{"Validate":{"Type":"Task",
				"Resource":"arn:aws:lambda:eu-west-2:000000000000:function:ship-val","End":true}}},
			"ResultPath":"$.detail.shipped","End":true}`,
			shipped,
			`{"ship-date":"2016-03-14T01:59:00Z","detail":{"delivery-partner":"UQS","shipped":[
				{"valid":"R31","by":"UQS"},{"valid":"S39","by":"UQS"},{"valid":"R31","by":"UQS"}]}}`},
		{"index and value", `{"Type":"Map","ItemsPath":"$.xs",
			"ItemSelector":{"i.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value","k.$":"$.k"},
			"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}`,
			`{"k":"K","xs":["a","b","c"]}`, `[{"i":0,"v":"a","k":"K"},{"i":1,"v":"b","k":"K"},{"i":2,"v":"c","k":"K"}]`},
		{"no ItemSelector: items are the inputs", `{"Type":"Map","ItemsPath":"$.xs",
			"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","Parameters":{"twice.$":"States.MathAdd($, $)"},"End":true}}},"End":true}`,
			`{"xs":[1,2,3]}`, `[{"twice":2},{"twice":4},{"twice":6}]`},
		{"older Iterator and Parameters", `{"Type":"Map","ItemsPath":"$.xs",
			"Parameters":{"v.$":"$$.Map.Item.Value","i.$":"$$.Map.Item.Index"},
			"Iterator":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}`,
			`{"xs":[true,false]}`, `[{"v":true,"i":0},{"v":false,"i":1}]`},
		{"default ItemsPath is the input", `{"Type":"Map",
			"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","Result":"x","End":true}}},"End":true}`,
			`[1,2]`, `["x","x"]`},
		{"empty array", `{"Type":"Map","ItemsPath":"$.xs",
			"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"ResultPath":"$.out","End":true}`,
			`{"xs":[]}`, `{"xs":[],"out":[]}`},
		{"ResultSelector and OutputPath", `{"Type":"Map","ItemsPath":"$.xs",
			"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},
			"ResultSelector":{"n.$":"States.ArrayLength($)"},"ResultPath":"$.r","OutputPath":"$.r","End":true}`,
			`{"xs":[5,6,7]}`, `{"n":3}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, states.Options{})
			h.handle("ship-val", func(_ context.Context, in any) (any, error) {
				m := in.(map[string]any)
				return map[string]any{"valid": m["parcel"].(map[string]any)["prod"], "by": m["courier"]}, nil
			})
			wantSucceeded(t, h.run(one(tt.state), tt.input), tt.want)
		})
	}
}

func TestMapStateFailures(t *testing.T) {
	proc := `"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Choice",
		"Choices":[{"Variable":"$","NumericGreaterThan":2,"Next":"Bad"}],"Default":"Ok"},
		"Bad":{"Type":"Fail","Error":"Item.TooBig","Cause":"over two"},"Ok":{"Type":"Succeed"}}}`
	tests := []struct {
		name, state, input, err string
	}{
		{"ItemsPath to nothing", `{"Type":"Map","ItemsPath":"$.none",` + proc + `,"End":true}`, `{"xs":[1]}`, "States.Runtime"},
		{"ItemsPath to an object", `{"Type":"Map","ItemsPath":"$.xs",` + proc + `,"End":true}`, `{"xs":{"a":1}}`, "States.Runtime"},
		{"an iteration fails", `{"Type":"Map","ItemsPath":"$.xs",` + proc + `,"End":true}`, `{"xs":[1,2,3,1]}`, "Item.TooBig"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			wantFailed(t, runDef(t, one(tt.state), tt.input), tt.err)
		})
	}
	t.Run("Catch on the Map state", func(t *testing.T) {
		d := runDef(t, `{"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.xs",`+proc+`,"Next":"No",
			"Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.e","Next":"Caught"}]},
			"No":{"Type":"Fail","Error":"NotCaught"},"Caught":{"Type":"Pass","End":true}}}`, `{"xs":[3]}`)
		wantSucceeded(t, d, `{"xs":[3],"e":{"Error":"Item.TooBig","Cause":"over two"}}`)
	})
}

// MaxConcurrency bounds the iterations in flight: with callback tasks,
// the number of outstanding tokens is the number running.
func TestMapMaxConcurrency(t *testing.T) {
	for _, tt := range []struct {
		max, items, want int
	}{{1, 4, 1}, {2, 5, 2}, {0, 4, 4}, {10, 3, 3}} {
		h := newHarness(t, states.Options{})
		var tk tokens
		h.handle("Worker", tk.handler())
		h.machine("m", one(`{"Type":"Map","ItemsPath":"$.xs","MaxConcurrency":`+strconv.Itoa(tt.max)+`,
			"ItemProcessor":{"StartAt":"W","States":{"W":{"Type":"Task",
				"Resource":"arn:aws:states:::lambda:invoke.waitForTaskToken",
				"Parameters":{"FunctionName":"Worker","Payload":{"token.$":"$$.Task.Token","v.$":"$"}},"End":true}}},"End":true}`))
		xs := "["
		for i := 0; i < tt.items; i++ {
			if i > 0 {
				xs += ","
			}
			xs += strconv.Itoa(i)
		}
		ex := h.start("m", `{"xs":`+xs+`]}`)
		answered := 0
		for answered < tt.items {
			h.e.WaitIdle()
			open := len(tk.all()) - answered
			if want := min(tt.want, tt.items-answered); open != want {
				t.Fatalf("MaxConcurrency %d, %d items, %d answered: %d iterations running, want %d", tt.max, tt.items, answered, open, want)
			}
			tok := tk.all()[answered]
			if err := h.e.SendTaskSuccess(context.Background(), tok, []byte(`"ok"`)); err != nil {
				t.Fatalf("SendTaskSuccess: %v", err)
			}
			answered++
		}
		d, _ := h.finish(ex.ARN)
		want := "["
		for i := 0; i < tt.items; i++ {
			if i > 0 {
				want += ","
			}
			want += `"ok"`
		}
		wantSucceeded(t, d, want+"]")
	}
}
