package asl

import (
	"sync"
	"testing"
)

// A parsed definition is shared by every execution, so evaluating it from
// many goroutines must be safe (run with -race).
func TestConcurrentEvaluation(t *testing.T) {
	d := mustParse(t, machine("T", `"T":{"Type":"Task","Resource":"r","Next":"C",
		"Parameters":{"ids.$":"$.items[?(@.id > 1)].id","f.$":"States.Format('{}', $.items[0].id)"},
		"ResultPath":"$.out.r"},
		"C":{"Type":"Choice","Choices":[{"Variable":"$.out.r.ids[0]","NumericEquals":2,"Next":"E"}]},"E":{"Type":"Succeed"}`))
	in := js(t, `{"items":[{"id":1},{"id":2},{"id":3}]}`)
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 200 {
				eff, err := d.States["T"].EffectiveInput(in, nil)
				if err != nil {
					t.Error(err)
					return
				}
				out, err := d.States["T"].StateOutput(in, eff, nil)
				if err != nil {
					t.Error(err)
					return
				}
				if next, err := d.States["C"].Choose(out); err != nil || next != "E" {
					t.Errorf("Choose = %q, %v", next, err)
					return
				}
			}
		})
	}
	wg.Wait()
	wantJSON(t, in, `{"items":[{"id":1},{"id":2},{"id":3}]}`)
}
