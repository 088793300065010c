package asl

import (
	"testing"
	"time"
)

func TestMatches(t *testing.T) {
	tests := []struct {
		equals []string
		name   string
		want   bool
	}{
		{[]string{"States.ALL"}, "Pathway.Conflict", true},
		{[]string{"States.ALL"}, ErrTimeout, true},
		{[]string{"States.ALL"}, ErrTaskFailed, true},
		{[]string{"States.ALL"}, ErrRuntime, false},                 // never caught
		{[]string{"States.ALL"}, "States.DataLimitExceeded", false}, // terminal
		{[]string{"States.Runtime"}, ErrRuntime, false},
		{[]string{"States.DataLimitExceeded"}, "States.DataLimitExceeded", true},
		{[]string{"States.TaskFailed"}, "Lambda.ServiceException", true},
		{[]string{"States.TaskFailed"}, ErrNoChoiceMatched, true},
		{[]string{"States.TaskFailed"}, ErrTimeout, false},
		{[]string{"States.TaskFailed"}, ErrHeartbeatTimeout, false},
		{[]string{"States.TaskFailed"}, ErrRuntime, false},
		{[]string{"States.Timeout"}, ErrHeartbeatTimeout, true},
		{[]string{"States.Timeout"}, ErrTimeout, true},
		{[]string{"States.HeartbeatTimeout"}, ErrTimeout, false},
		{[]string{"Pathway.Invalid", "Pathway.Conflict"}, "Pathway.Conflict", true},
		{[]string{"Pathway.Conflict"}, "pathway.conflict", false}, // case-sensitive
		{[]string{"Pathway.Conflict"}, "Pathway.Invalid", false},
	}
	for _, tt := range tests {
		if got := Matches(tt.equals, tt.name); got != tt.want {
			t.Errorf("Matches(%v, %q) = %v, want %v", tt.equals, tt.name, got, tt.want)
		}
	}
}

func TestFindRetrierAndCatcher(t *testing.T) {
	d := mustParse(t, machine("T", `"T":{"Type":"Task","Resource":"r","End":true,
		"Retry":[{"ErrorEquals":["Pathway.Conflict"]},{"ErrorEquals":["States.Timeout"]},{"ErrorEquals":["States.ALL"]}],
		"Catch":[{"ErrorEquals":["Pathway.Invalid"],"Next":"Bad","ResultPath":"$.err"},{"ErrorEquals":["States.ALL"],"Next":"Other"}]},
		"Bad":{"Type":"Fail"},"Other":{"Type":"Fail"}`))
	st := d.States["T"]
	for name, want := range map[string]int{"Pathway.Conflict": 0, ErrHeartbeatTimeout: 1, "X": 2, ErrRuntime: -1} {
		if got := st.FindRetrier(name); got != want {
			t.Errorf("FindRetrier(%q) = %d, want %d", name, got, want)
		}
	}
	if c := st.FindCatcher("Pathway.Invalid"); c == nil || c.Next != "Bad" {
		t.Errorf("FindCatcher(Pathway.Invalid) = %+v, want Bad", c)
	}
	if c := st.FindCatcher("Other.Error"); c == nil || c.Next != "Other" {
		t.Errorf("FindCatcher(Other.Error) = %+v, want Other", c)
	}
	if c := st.FindCatcher(ErrRuntime); c != nil {
		t.Errorf("States.Runtime was caught by %+v", c)
	}
	c := st.FindCatcher("Pathway.Invalid")
	out, err := c.ResultPath.Apply(js(t, `{"in":1}`), ErrorOutput("Pathway.Invalid", "bad name"))
	if err != nil {
		t.Fatal(err)
	}
	wantJSON(t, out, `{"in":1,"err":{"Error":"Pathway.Invalid","Cause":"bad name"}}`)
}

func TestRetrierDelay(t *testing.T) {
	r := Retrier{IntervalSeconds: 3, BackoffRate: 2, MaxAttempts: 5, JitterStrategy: "NONE"}
	for attempt, want := range []time.Duration{3 * time.Second, 6 * time.Second, 12 * time.Second, 24 * time.Second} {
		if got := r.Delay(attempt, nil); got != want {
			t.Errorf("Delay(%d) = %v, want %v", attempt, got, want)
		}
	}
	r.BackoffRate = 1.5
	if got := r.Delay(2, nil); got != 6750*time.Millisecond { // 3 × 1.5²
		t.Errorf("fractional backoff Delay(2) = %v, want 6.75s", got)
	}
	r.MaxDelaySeconds = 5
	if got := r.Delay(3, nil); got != 5*time.Second {
		t.Errorf("capped Delay(3) = %v, want MaxDelaySeconds 5s", got)
	}
	r.JitterStrategy = "FULL"
	if got := r.Delay(3, func() float64 { return 0.25 }); got != 1250*time.Millisecond {
		t.Errorf("FULL jitter Delay(3) = %v, want 0.25 × 5s", got)
	}
	r.MaxDelaySeconds = 0
	if got := r.Delay(1000, nil); got <= 0 {
		t.Errorf("huge attempt overflowed to %v", got)
	}
}
