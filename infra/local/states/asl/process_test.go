package asl

import (
	"testing"
)

// The specification's Parameters example, with its context object.
func TestParametersSpecExample(t *testing.T) {
	d := mustParse(t, machine("X", `"X":{"Type":"Pass","End":true,"Parameters":{
		"flagged": true,
		"parts": {"first.$": "$.vals[0]", "last3.$": "$.vals[-3:]"},
		"weekday.$": "$$.DayOfWeek",
		"formattedOutput.$": "States.Format('Today is {}', $$.DayOfWeek)"}}`))
	got, err := d.States["X"].EffectiveInput(js(t, `{"flagged":7,"vals":[0,10,20,30,40,50]}`), js(t, `{"DayOfWeek":"TUESDAY"}`))
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, got, `{"flagged":true,"parts":{"first":0,"last3":[30,40,50]},"weekday":"TUESDAY","formattedOutput":"Today is TUESDAY"}`)
}

// The specification's InputPath/ResultPath/OutputPath example: a Task adds
// $.numbers.val1 and val2.
func TestInputResultOutputPathSpecExample(t *testing.T) {
	d := mustParse(t, machine("Add", `"Add":{"Type":"Task","Resource":"arn:aws:lambda:::function:add","End":true,
		"InputPath":"$.numbers","ResultPath":"$.sum","OutputPath":"$"}`))
	st := d.States["Add"]
	raw := js(t, `{"title":"Numbers to add","numbers":{"val1":3,"val2":4}}`)
	in, err := st.EffectiveInput(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, in, `{"val1":3,"val2":4}`)
	out, err := st.StateOutput(raw, int64(7), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, out, `{"title":"Numbers to add","numbers":{"val1":3,"val2":4},"sum":7}`)
}

// The AWS guide's ResultSelector example (an EMR createCluster result).
func TestResultSelector(t *testing.T) {
	d := mustParse(t, machine("T", `"T":{"Type":"Task","Resource":"arn:aws:states:::elasticmapreduce:createCluster.sync","End":true,
		"ResultSelector":{"ClusterId.$":"$.output.ClusterId","ResourceType.$":"$.resourceType","Fixed":1},
		"ResultPath":"$.EMROutput"}`))
	result := js(t, `{"resourceType":"elasticmapreduce","resource":"createCluster.sync",
		"output":{"SdkHttpMetadata":{"HttpStatusCode":200},"ClusterId":"AKIAIOSFODNN7EXAMPLE"}}`)
	out, err := d.States["T"].StateOutput(js(t, `{"cluster":"c1"}`), result, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, out, `{"cluster":"c1","EMROutput":{"ClusterId":"AKIAIOSFODNN7EXAMPLE","ResourceType":"elasticmapreduce","Fixed":1}}`)
}

func TestNullInputOutputAndResultPath(t *testing.T) {
	d := mustParse(t, machine("P", `"P":{"Type":"Pass","End":true,"InputPath":null,"ResultPath":null,"OutputPath":"$.keep"}`))
	st := d.States["P"]
	raw := js(t, `{"keep":"me"}`)
	in, err := st.EffectiveInput(raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, in, `{}`) // InputPath null: the effective input is {}
	out, err := st.StateOutput(raw, st.PassResult(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, out, `"me"`) // ResultPath null keeps the raw input

	d = mustParse(t, machine("P", `"P":{"Type":"Pass","End":true,"OutputPath":null}`))
	out, err = d.States["P"].StateOutput(raw, raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, out, `{}`) // OutputPath null: output is {}
}

func TestPassResultAndDefaults(t *testing.T) {
	d := mustParse(t, machine("P", `"P":{"Type":"Pass","Result":{"x-datum":0.381018},"ResultPath":"$.coords.x","Next":"Q"},
		"Q":{"Type":"Pass","End":true}`))
	p := d.States["P"]
	raw := js(t, `{"georefOf":"Home"}`)
	in, _ := p.EffectiveInput(raw, nil)
	out, err := p.StateOutput(raw, p.PassResult(in), nil)
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, out, `{"georefOf":"Home","coords":{"x":{"x-datum":0.381018}}}`)
	// A Pass with no Result or Parameters passes its input through.
	q := d.States["Q"]
	in, _ = q.EffectiveInput(out, nil)
	got, _ := q.StateOutput(out, q.PassResult(in), nil)
	if !jsonEqual(got, out) {
		t.Errorf("default Pass changed its input: %s", toJSON(got))
	}
}

func TestProcessingErrors(t *testing.T) {
	d := mustParse(t, machine("T", `"T":{"Type":"Task","Resource":"r","End":true,"InputPath":"$.in",
		"Parameters":{"x.$":"$.nope"},"ResultSelector":{"y.$":"$.nope"},"ResultPath":"$.a.b","OutputPath":"$.nope"}`))
	st := d.States["T"]
	_, err := st.EffectiveInput(js(t, `{}`), nil)
	wantStatesError(t, err, ErrRuntime) // InputPath matched nothing
	_, err = st.EffectiveInput(js(t, `{"in":{}}`), nil)
	wantStatesError(t, err, ErrRuntime) // Parameters path matched nothing
	_, err = st.StateOutput(js(t, `{}`), js(t, `{}`), nil)
	wantStatesError(t, err, ErrRuntime) // ResultSelector path matched nothing

	d = mustParse(t, machine("T", `"T":{"Type":"Task","Resource":"r","End":true,"ResultPath":"$.a.b","OutputPath":"$.nope"}`))
	_, err = d.States["T"].StateOutput(js(t, `{"a":1}`), 1, nil)
	wantStatesError(t, err, ErrResultPathMatchFailure)
	_, err = d.States["T"].StateOutput(js(t, `{}`), 1, nil)
	wantStatesError(t, err, ErrRuntime) // OutputPath matched nothing
}

func TestTemplateArraysAndStaticParts(t *testing.T) {
	d := mustParse(t, machine("P", `"P":{"Type":"Pass","End":true,"Parameters":{
		"list":[1,{"v.$":"$.v"},["static"]],"static":{"deep":{"a":[1,2]}},"ctx.$":"$$.Execution.Id","all.$":"$"}}`))
	in := js(t, `{"v":"val"}`)
	got, err := d.States["P"].EffectiveInput(in, js(t, `{"Execution":{"Id":"e-9"}}`))
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, got, `{"list":[1,{"v":"val"},["static"]],"static":{"deep":{"a":[1,2]}},"ctx":"e-9","all":{"v":"val"}}`)
}
