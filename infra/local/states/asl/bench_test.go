package asl

import (
	"testing"
)

const benchInput = `{"application":{"id":"app-1","coop":{"name":"Riverside Care Co-op","members":12},"stage":"review"},
	"score":72,"flags":{"urgent":false},"items":[{"id":1},{"id":2},{"id":3}]}`

func benchPath(b *testing.B, src string) {
	p, err := compilePath(src, "InputPath", anyPath)
	if err != nil {
		b.Fatal(err)
	}
	in := js(b, benchInput)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := p.Get(in, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkPathGetRoot(b *testing.B)   { benchPath(b, "$") }
func BenchmarkPathGetSimple(b *testing.B) { benchPath(b, "$.application.coop.name") }
func BenchmarkPathGetJP(b *testing.B)     { benchPath(b, "$.items[?(@.id > 1)].id") }

func BenchmarkTemplateEval(b *testing.B) {
	tmpl, err := compileTemplate(js(b, `{"coopName.$":"$.application.coop.name","stage.$":"$.application.stage",
		"execution.$":"$$.Execution.Id","kind":"review","static":{"a":[1,2]}}`), "Parameters")
	if err != nil {
		b.Fatal(err)
	}
	in, ctx := js(b, benchInput), js(b, `{"Execution":{"Id":"exec-1"}}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := tmpl.Eval(in, ctx); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkIntrinsicFormat(b *testing.B) {
	f, err := CompileIntrinsic(`States.Format('{} has {} members', $.application.coop.name, $.application.coop.members)`)
	if err != nil {
		b.Fatal(err)
	}
	in := js(b, benchInput)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := f.Eval(in, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResultPathApply(b *testing.B) {
	r, err := compileResultPath("$.application.result")
	if err != nil {
		b.Fatal(err)
	}
	in, result := js(b, benchInput), js(b, `{"ok":true}`)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Apply(in, result); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkChoose(b *testing.B) {
	d := mustParse(b, machine("C", `"C":{"Type":"Choice","Choices":[
		{"Variable":"$.application.stage","StringEquals":"draft","Next":"D"},
		{"And":[{"Variable":"$.score","NumericGreaterThanEquals":70},{"Variable":"$.flags.urgent","BooleanEquals":false}],"Next":"E"}],
		"Default":"D"},"D":{"Type":"Succeed"},"E":{"Type":"Succeed"}`))
	st, in := d.States["C"], js(b, benchInput)
	b.ReportAllocs()
	for b.Loop() {
		if next, err := st.Choose(in); err != nil || next != "E" {
			b.Fatal(next, err)
		}
	}
}

// BenchmarkTaskDefaults is the engine's hot path for a Task with no data
// processing fields: it must not allocate.
func BenchmarkTaskDefaults(b *testing.B) {
	d := mustParse(b, machine("T", `"T":{"Type":"Task","Resource":"r","End":true}`))
	st, in, result := d.States["T"], js(b, benchInput), js(b, `{"ok":true}`)
	b.ReportAllocs()
	for b.Loop() {
		eff, err := st.EffectiveInput(in, nil)
		if err != nil {
			b.Fatal(err)
		}
		_ = eff
		if _, err := st.StateOutput(in, result, nil); err != nil {
			b.Fatal(err)
		}
	}
}

func TestFastPathsDoNotAllocate(t *testing.T) {
	d := mustParse(t, machine("T", `"T":{"Type":"Task","Resource":"r","End":true,"InputPath":"$.application.coop"}`))
	st, in := d.States["T"], js(t, benchInput)
	simple, _ := compilePath("$.application.coop.name", "InputPath", anyPath)
	var unset Path
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = st.EffectiveInput(in, nil)
		_, _ = st.StateOutput(in, in, nil)
		_, _ = simple.Get(in, nil)
		_, _ = unset.Get(in, nil)
	})
	if allocs != 0 {
		t.Errorf("default processing and simple paths allocate %.1f times per run, want 0", allocs)
	}
}
