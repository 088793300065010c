package asl

import (
	"strings"
	"testing"
	"time"
)

func TestParseFullDefinition(t *testing.T) {
	d := mustParse(t, `{
	  "Comment":"all state types","StartAt":"Start","Version":"1.0","TimeoutSeconds":3600,"QueryLanguage":"JSONPath",
	  "States":{
	    "Start":{"Type":"Pass","Result":{"a":1},"ResultPath":"$.r","Next":"Work"},
	    "Work":{"Type":"Task","Resource":"arn:aws:lambda:eu-west-2:111122223333:function:work","TimeoutSeconds":60,
	      "HeartbeatSecondsPath":"$.hb","Parameters":{"x.$":"$.r"},"ResultSelector":{"y.$":"$.y"},
	      "Retry":[{"ErrorEquals":["Pathway.Conflict"],"IntervalSeconds":2,"MaxAttempts":5,"BackoffRate":1.5,
	                "MaxDelaySeconds":10,"JitterStrategy":"FULL"},{"ErrorEquals":["States.ALL"]}],
	      "Catch":[{"ErrorEquals":["States.ALL"],"ResultPath":"$.error","Next":"Failed"}],"Next":"Decide"},
	    "Decide":{"Type":"Choice","Choices":[{"Variable":"$.y","IsPresent":true,"Next":"Wait"}],"Default":"Fan"},
	    "Wait":{"Type":"Wait","Timestamp":"2026-01-02T03:04:05Z","Next":"Fan"},
	    "Fan":{"Type":"Parallel","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","End":true}}}],"Next":"Each"},
	    "Each":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":2,"ItemSelector":{"v.$":"$$.Map.Item.Value"},
	      "ItemProcessor":{"ProcessorConfig":{"Mode":"INLINE"},"StartAt":"I","States":{"I":{"Type":"Succeed"}}},"End":true},
	    "Failed":{"Type":"Fail","ErrorPath":"$.error.Error","CausePath":"States.Format('failed: {}', $.error.Cause)"}
	  }}`)
	if d.StartAt != "Start" || d.TimeoutSeconds != 3600 || d.Version != "1.0" || len(d.States) != 7 {
		t.Fatalf("definition header = %+v", d)
	}
	work := d.States["Work"]
	if work.TimeoutSeconds != 60 || !work.HeartbeatSecondsPath.IsSet() || work.TimeoutSecondsPath.IsSet() {
		t.Errorf("Task timeouts = %d %v %v", work.TimeoutSeconds, work.HeartbeatSecondsPath, work.TimeoutSecondsPath)
	}
	r := work.Retry[0]
	if r.IntervalSeconds != 2 || r.MaxAttempts != 5 || r.BackoffRate != 1.5 || r.MaxDelaySeconds != 10 || r.JitterStrategy != "FULL" {
		t.Errorf("retrier = %+v", r)
	}
	if def := work.Retry[1]; def.IntervalSeconds != 1 || def.MaxAttempts != 3 || def.BackoffRate != 2 || def.JitterStrategy != "NONE" {
		t.Errorf("retrier defaults = %+v, want 1s, 3 attempts, rate 2.0, NONE", def)
	}
	if c := work.Catch[0]; c.Next != "Failed" || c.ResultPath.String() != "$.error" {
		t.Errorf("catcher = %+v", c)
	}
	if w := d.States["Wait"]; !w.HasTimestamp || !w.Timestamp.Equal(time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)) || w.HasSeconds {
		t.Errorf("wait = %+v", w)
	}
	if len(d.States["Fan"].Branches) != 1 || d.States["Fan"].Branches[0].States["B"] == nil {
		t.Error("Parallel branch not parsed")
	}
	each := d.States["Each"]
	if each.ItemProcessor == nil || each.ItemSelector == nil || each.MaxConcurrency != 2 || each.ItemsPath.String() != "$.items" {
		t.Errorf("map = %+v", each)
	}
	fail := d.States["Failed"]
	cause, err := fail.CausePath.Get(js(t, `{"error":{"Error":"E","Cause":"boom"}}`), nil)
	if err != nil || cause != "failed: boom" {
		t.Errorf("Fail CausePath intrinsic = %v, %v", cause, err)
	}
	seen := map[int]bool{}
	for _, st := range d.States {
		if seen[st.Index] || st.Index < 0 || st.Index >= len(d.States) {
			t.Errorf("state %s has Index %d, want a unique index below %d", st.Name, st.Index, len(d.States))
		}
		seen[st.Index] = true
	}
}

// Older Map fields: Iterator becomes ItemProcessor and Parameters ItemSelector.
func TestMapLegacyFields(t *testing.T) {
	d := mustParse(t, machine("M", `"M":{"Type":"Map","ItemsPath":"$.list","Parameters":{"index.$":"$$.Map.Item.Index","v.$":"$$.Map.Item.Value"},
		"Iterator":{"StartAt":"I","States":{"I":{"Type":"Pass","End":true}}},"End":true}`))
	m := d.States["M"]
	if m.ItemProcessor == nil || m.ItemProcessor.StartAt != "I" {
		t.Fatalf("Iterator was not mapped to ItemProcessor: %+v", m.ItemProcessor)
	}
	if m.Parameters != nil || m.ItemSelector == nil {
		t.Fatalf("Parameters was not mapped to ItemSelector")
	}
	got, err := m.ItemSelector.Eval(nil, js(t, `{"Map":{"Item":{"Index":3,"Value":"x"}}}`))
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, got, `{"index":3,"v":"x"}`)
}

func TestValidationErrors(t *testing.T) {
	pass := `"Type":"Pass","End":true`
	tests := []struct {
		name, def, state, field, msg string
	}{
		{"not JSON", `{`, "", "", "invalid JSON"},
		{"not an object", `[1]`, "", "", "must be a JSON object"},
		{"missing StartAt", `{"States":{"A":{` + pass + `}}}`, "", "StartAt", "required"},
		{"missing States", `{"StartAt":"A"}`, "", "States", "required"},
		{"unknown StartAt", machine("Z", `"A":{`+pass+`}`), "", "StartAt", `"Z"`},
		{"JSONata", `{"QueryLanguage":"JSONata","StartAt":"A","States":{"A":{` + pass + `}}}`, "", "QueryLanguage", "JSONPath"},
		{"unknown top field", `{"Bogus":1,"StartAt":"A","States":{"A":{` + pass + `}}}`, "", "Bogus", "not allowed"},
		{"unknown Next", machine("A", `"A":{"Type":"Pass","Next":"Nowhere"}`), "A", "Next", `"Nowhere"`},
		{"no Next or End", machine("A", `"A":{"Type":"Pass"}`), "A", "Next", "Next or"},
		{"Next and End", machine("A", `"A":{"Type":"Pass","Next":"A","End":true}`), "A", "Next", "both"},
		{"End false", machine("A", `"A":{"Type":"Pass","End":false}`), "A", "End", "true"},
		{"unreachable", machine("A", `"A":{`+pass+`},"B":{`+pass+`}`), "B", "", "unreachable"},
		{"bad type", machine("A", `"A":{"Type":"Sleep","End":true}`), "A", "Type", "must be one of"},
		{"field not for type", machine("A", `"A":{"Type":"Succeed","Resource":"r"}`), "A", "Resource", "not allowed"},
		{"End on Choice", machine("A", `"A":{"Type":"Choice","End":true,"Choices":[{"Variable":"$.x","IsNull":true,"Next":"A"}]}`), "A", "End", "not allowed"},
		{"Retry on Pass", machine("A", `"A":{"Type":"Pass","End":true,"Retry":[]}`), "A", "Retry", "not allowed"},
		{"bad InputPath", machine("A", `"A":{"Type":"Pass","End":true,"InputPath":"$.a["}`), "A", "InputPath", "invalid JSONPath"},
		{"path without $", machine("A", `"A":{"Type":"Pass","End":true,"OutputPath":"a.b"}`), "A", "OutputPath", "must begin with '$'"},
		{"intrinsic in InputPath", machine("A", `"A":{"Type":"Pass","End":true,"InputPath":"States.Array()"}`), "A", "InputPath", "not allowed"},
		{"bad ResultPath", machine("A", `"A":{"Type":"Pass","End":true,"ResultPath":"$.a[*]"}`), "A", "ResultPath", "reference path"},
		{"context ResultPath", machine("A", `"A":{"Type":"Pass","End":true,"ResultPath":"$$.a"}`), "A", "ResultPath", "reference path"},
		{"Parameters not object", machine("A", `"A":{"Type":"Pass","End":true,"Parameters":[1]}`), "A", "Parameters", "must be an object"},
		{"dollar key not path", machine("A", `"A":{"Type":"Pass","End":true,"Parameters":{"a.$":5}}`), "A", "Parameters", "'.$'"},
		{"dollar key plain string", machine("A", `"A":{"Type":"Pass","End":true,"Parameters":{"a.$":"hello"}}`), "A", "Parameters", "must begin with '$'"},
		{"bad intrinsic", machine("A", `"A":{"Type":"Pass","End":true,"Parameters":{"a.$":"States.Format('x"}}`), "A", "Parameters", "unterminated"},
		{"unknown intrinsic", machine("A", `"A":{"Type":"Pass","End":true,"Parameters":{"a.$":"States.Nope()"}}`), "A", "Parameters", "unknown intrinsic"},
		{"duplicate key", machine("A", `"A":{"Type":"Pass","End":true,"Parameters":{"a.$":"$.x","a":1}}`), "A", "Parameters", "both"},
		{"Task without Resource", machine("A", `"A":{"Type":"Task","End":true}`), "A", "Resource", "required"},
		{"Timeout and path", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"TimeoutSeconds":5,"TimeoutSecondsPath":"$.t"}`), "A", "TimeoutSecondsPath", "together"},
		{"Heartbeat and path", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"HeartbeatSeconds":5,"HeartbeatSecondsPath":"$.t"}`), "A", "HeartbeatSecondsPath", "together"},
		{"Heartbeat not below timeout", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"TimeoutSeconds":5,"HeartbeatSeconds":5}`), "A", "HeartbeatSeconds", "smaller"},
		{"bad TimeoutSeconds", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"TimeoutSeconds":0}`), "A", "TimeoutSeconds", "integer"},
		{"fractional TimeoutSeconds", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"TimeoutSeconds":1.5}`), "A", "TimeoutSeconds", "integer"},
		{"Wait two fields", machine("A", `"A":{"Type":"Wait","End":true,"Seconds":5,"SecondsPath":"$.s"}`), "A", "Seconds", "exactly one"},
		{"Wait no field", machine("A", `"A":{"Type":"Wait","End":true}`), "A", "Seconds", "exactly one"},
		{"Wait negative", machine("A", `"A":{"Type":"Wait","End":true,"Seconds":-1}`), "A", "Seconds", "integer"},
		{"Wait bad timestamp", machine("A", `"A":{"Type":"Wait","End":true,"Timestamp":"2026-01-02 03:04:05"}`), "A", "Timestamp", "RFC 3339"},
		{"Wait lowercase t", machine("A", `"A":{"Type":"Wait","End":true,"Timestamp":"2026-01-02t03:04:05Z"}`), "A", "Timestamp", "RFC 3339"},
		{"Fail Error and path", machine("A", `"A":{"Type":"Fail","Error":"E","ErrorPath":"$.e"}`), "A", "ErrorPath", "together"},
		{"Fail Cause and path", machine("A", `"A":{"Type":"Fail","Cause":"C","CausePath":"$.c"}`), "A", "CausePath", "together"},
		{"Fail bad CausePath", machine("A", `"A":{"Type":"Fail","CausePath":"States.Format("}`), "A", "CausePath", "intrinsic"},
		{"Choice no rules", machine("A", `"A":{"Type":"Choice","Choices":[]}`), "A", "Choices", "non-empty"},
		{"Choice unknown Default", machine("A", `"A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsNull":true,"Next":"A"}],"Default":"Z"}`), "A", "Default", `"Z"`},
		{"Choice unknown rule Next", machine("A", `"A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsNull":true,"Next":"Z"}]}`), "A", "Choices[0].Next", `"Z"`},
		{"rule without Next", machine("A", `"A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsNull":true}],"Default":"B"},"B":{`+pass+`}`), "A", "Choices[0].Next", "required"},
		{"nested rule with Next", machine("A", `"A":{"Type":"Choice","Choices":[{"Not":{"Variable":"$.x","IsNull":true,"Next":"A"},"Next":"A"}]}`), "A", "Choices[0].Not.Next", "cannot"},
		{"two operators", machine("A", `"A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsNull":true,"IsString":true,"Next":"A"}]}`), "A", "Choices[0]", "exactly one"},
		{"no operator", machine("A", `"A":{"Type":"Choice","Choices":[{"Variable":"$.x","Next":"A"}]}`), "A", "Choices[0]", "exactly one"},
		{"unknown operator", machine("A", `"A":{"Type":"Choice","Choices":[{"Variable":"$.x","StringContains":"a","Next":"A"}]}`), "A", "Choices[0].StringContains", "not a Choice"},
		{"no Path form for Is", machine("A", `"A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsNullPath":"$.y","Next":"A"}]}`), "A", "Choices[0].IsNullPath", "not a Choice"},
		{"missing Variable", machine("A", `"A":{"Type":"Choice","Choices":[{"StringEquals":"a","Next":"A"}]}`), "A", "Choices[0].Variable", "required"},
		{"wrong literal type", machine("A", `"A":{"Type":"Choice","Choices":[{"Variable":"$.x","NumericEquals":"1","Next":"A"}]}`), "A", "Choices[0].NumericEquals", "number"},
		{"bad timestamp literal", machine("A", `"A":{"Type":"Choice","Choices":[{"Variable":"$.x","TimestampEquals":"yesterday","Next":"A"}]}`), "A", "Choices[0].TimestampEquals", "timestamp"},
		{"bad Is literal", machine("A", `"A":{"Type":"Choice","Choices":[{"Variable":"$.x","IsPresent":"yes","Next":"A"}]}`), "A", "Choices[0].IsPresent", "true or false"},
		{"bad Path operand", machine("A", `"A":{"Type":"Choice","Choices":[{"Variable":"$.x","StringEqualsPath":"x","Next":"A"}]}`), "A", "Choices[0].StringEqualsPath", "'$'"},
		{"empty And", machine("A", `"A":{"Type":"Choice","Choices":[{"And":[],"Next":"A"}]}`), "A", "Choices[0].And", "non-empty"},
		{"Variable beside Or", machine("A", `"A":{"Type":"Choice","Choices":[{"Variable":"$.x","Or":[{"Variable":"$.x","IsNull":true}],"Next":"A"}]}`), "A", "Choices[0].Variable", "not allowed"},
		{"bad nested rule", machine("A", `"A":{"Type":"Choice","Choices":[{"Or":[{"Variable":"$.x","NumericEquals":true}],"Next":"A"}]}`), "A", "Choices[0].Or[0].NumericEquals", "number"},
		{"ALL not alone", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["States.ALL","X"]}]}`), "A", "Retry[0].ErrorEquals", "alone"},
		{"ALL not last", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"Catch":[{"ErrorEquals":["States.ALL"],"Next":"A"},{"ErrorEquals":["X"],"Next":"A"}]}`), "A", "Catch[0].ErrorEquals", "last"},
		{"empty ErrorEquals", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":[]}]}`), "A", "Retry[0].ErrorEquals", "non-empty"},
		{"negative MaxAttempts", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["X"],"MaxAttempts":-1}]}`), "A", "Retry[0].MaxAttempts", "integer"},
		{"BackoffRate below 1", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["X"],"BackoffRate":0.5}]}`), "A", "Retry[0].BackoffRate", "at least 1.0"},
		{"IntervalSeconds 0", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["X"],"IntervalSeconds":0}]}`), "A", "Retry[0].IntervalSeconds", "integer"},
		{"MaxDelaySeconds 0", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["X"],"MaxDelaySeconds":0}]}`), "A", "Retry[0].MaxDelaySeconds", "integer"},
		{"bad jitter", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["X"],"JitterStrategy":"HALF"}]}`), "A", "Retry[0].JitterStrategy", "FULL or NONE"},
		{"unknown retrier field", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"Retry":[{"ErrorEquals":["X"],"Delay":1}]}`), "A", "Retry[0].Delay", "not allowed"},
		{"catcher without Next", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"Catch":[{"ErrorEquals":["X"]}]}`), "A", "Catch[0].Next", "required"},
		{"catcher unknown Next", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"Catch":[{"ErrorEquals":["X"],"Next":"Z"}]}`), "A", "Catch[0].Next", `"Z"`},
		{"catcher bad ResultPath", machine("A", `"A":{"Type":"Task","Resource":"r","End":true,"Catch":[{"ErrorEquals":["X"],"Next":"A","ResultPath":"$..x"}]}`), "A", "Catch[0].ResultPath", "reference path"},
		{"Parallel no branches", machine("A", `"A":{"Type":"Parallel","End":true,"Branches":[]}`), "A", "Branches", "non-empty"},
		{"nested branch error", machine("P", `"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Next":"Z"}}}]}`), "P.Branches[0].B", "Next", `"Z"`},
		{"nested unreachable", machine("P", `"P":{"Type":"Parallel","End":true,"Branches":[{"StartAt":"B","States":{"B":{`+pass+`},"C":{`+pass+`}}}]}`), "P.Branches[0].C", "", "unreachable"},
		{"branch cannot jump out", machine("P", `"P":{"Type":"Parallel","Next":"Q","Branches":[{"StartAt":"B","States":{"B":{"Type":"Pass","Next":"Q"}}}]},"Q":{`+pass+`}`), "P.Branches[0].B", "Next", `"Q"`},
		{"Map without processor", machine("M", `"M":{"Type":"Map","End":true}`), "M", "ItemProcessor", "required"},
		{"Map both processors", machine("M", `"M":{"Type":"Map","End":true,"Iterator":{"StartAt":"I","States":{"I":{`+pass+`}}},"ItemProcessor":{"StartAt":"I","States":{"I":{`+pass+`}}}}`), "M", "Iterator", "together"},
		{"Map both selectors", machine("M", `"M":{"Type":"Map","End":true,"Parameters":{},"ItemSelector":{},"ItemProcessor":{"StartAt":"I","States":{"I":{`+pass+`}}}}`), "M", "Parameters", "together"},
		{"Map nested error", machine("M", `"M":{"Type":"Map","End":true,"ItemProcessor":{"StartAt":"I","States":{"I":{"Type":"Task","End":true}}}}`), "M.ItemProcessor.I", "Resource", "required"},
		{"Map distributed", machine("M", `"M":{"Type":"Map","End":true,"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED"},"StartAt":"I","States":{"I":{`+pass+`}}}}`), "M.ItemProcessor", "ProcessorConfig.Mode", "INLINE"},
		{"Map concurrency twice", machine("M", `"M":{"Type":"Map","End":true,"MaxConcurrency":1,"MaxConcurrencyPath":"$.c","ItemProcessor":{"StartAt":"I","States":{"I":{`+pass+`}}}}`), "M", "MaxConcurrencyPath", "together"},
		{"long state name", machine(strings.Repeat("n", 81), `"`+strings.Repeat("n", 81)+`":{`+pass+`}`), strings.Repeat("n", 81), "", "1 to 80"},
		{"state not object", machine("A", `"A":5`), "A", "", "JSON object"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.def))
			if err == nil {
				t.Fatalf("Parse succeeded (%+v), want an error", d)
			}
			errs := definitionErrors(t, err)
			if !hasDefErr(errs, tt.state, tt.field, tt.msg) {
				t.Errorf("want an error for state %q field %q containing %q; got:\n%v", tt.state, tt.field, tt.msg, err)
			}
		})
	}
}

func TestParseReportsAllProblems(t *testing.T) {
	_, err := Parse([]byte(machine("A", `"A":{"Type":"Pass","Next":"X"},"B":{"Type":"Task","End":true}`)))
	errs := definitionErrors(t, err)
	if len(errs) < 3 {
		t.Fatalf("want at least 3 problems (unknown Next, missing Resource, unreachable B), got %d: %v", len(errs), err)
	}
}

func FuzzParse(f *testing.F) {
	f.Add([]byte(machine("A", `"A":{"Type":"Pass","End":true}`)))
	f.Add([]byte(machine("C", `"C":{"Type":"Choice","Choices":[{"And":[{"Variable":"$.a","StringMatches":"x*\\*"}],"Next":"C"}],"Default":"D"},"D":{"Type":"Succeed"}`)))
	f.Add([]byte(machine("T", `"T":{"Type":"Task","Resource":"r","Parameters":{"a.$":"States.Format('{}\\{', States.Array($.x[?(@.y)], 1.5e3, null))"},"Retry":[{"ErrorEquals":["States.ALL"],"BackoffRate":2.5}],"Catch":[{"ErrorEquals":["X"],"Next":"T","ResultPath":"$.e['k']"}],"End":true}`)))
	f.Add([]byte(machine("M", `"M":{"Type":"Map","Iterator":{"StartAt":"I","States":{"I":{"Type":"Wait","SecondsPath":"$$.Map.Item.Value","End":true}}},"Parameters":{"v.$":"$$"},"End":true}`)))
	f.Add([]byte(`{"StartAt":1,"States":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(data)
		if err == nil && d == nil {
			t.Fatal("Parse returned neither a definition nor an error")
		}
		if err != nil {
			for _, e := range definitionErrors(t, err) {
				if strings.Contains(e.Message, "internal error") {
					t.Fatalf("Parse recovered from a panic: %v", e)
				}
			}
		}
	})
}
