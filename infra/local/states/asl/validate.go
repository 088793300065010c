package asl

import (
	"fmt"
	"sort"
)

// validateGraph checks a definition's transitions: StartAt and every Next,
// Default and Catch Next name a state, and every state is reachable.
func (p *parser) validateGraph(d *Definition, where string) {
	if d.StartAt != "" && d.States[d.StartAt] == nil && len(d.States) > 0 {
		p.fail(where, "StartAt", "names %q, which is not a state", d.StartAt)
	}
	for _, name := range sortedNames(d.States) {
		st := d.States[name]
		q := qualify(where, name)
		check := func(field, target string) {
			if target != "" && d.States[target] == nil {
				p.fail(q, field, "names %q, which is not a state in this state machine", target)
			}
		}
		check("Next", st.Next)
		check("Default", st.Default)
		for i, r := range st.Choices {
			check(fmt.Sprintf("Choices[%d].Next", i), r.Next)
		}
		for i, c := range st.Catch {
			check(fmt.Sprintf("Catch[%d].Next", i), c.Next)
		}
	}
	if d.States[d.StartAt] == nil {
		return
	}
	seen := map[string]bool{d.StartAt: true}
	queue := []string{d.StartAt}
	for len(queue) > 0 {
		st := d.States[queue[0]]
		queue = queue[1:]
		for _, next := range successors(st) {
			if d.States[next] != nil && !seen[next] {
				seen[next] = true
				queue = append(queue, next)
			}
		}
	}
	for _, name := range sortedNames(d.States) {
		if !seen[name] {
			p.fail(qualify(where, name), "", "state is unreachable from StartAt %q", d.StartAt)
		}
	}
	if !hasTerminal(d) {
		p.fail(where, "States", "has no terminal state: one state needs \"End\": true, or to be a Succeed or Fail state")
	}
}

// hasTerminal reports whether an execution of d can end: the specification
// requires at least one terminal state, and without one a definition loops
// for ever.
func hasTerminal(d *Definition) bool {
	for _, st := range d.States {
		if st.End || st.Type == TypeSucceed || st.Type == TypeFail {
			return true
		}
	}
	return false
}

// successors lists the states st can move to.
func successors(st *State) []string {
	out := []string{}
	if st.Next != "" {
		out = append(out, st.Next)
	}
	if st.Default != "" {
		out = append(out, st.Default)
	}
	for _, r := range st.Choices {
		out = append(out, r.Next)
	}
	for _, c := range st.Catch {
		out = append(out, c.Next)
	}
	return out
}

func sortedNames(states map[string]*State) []string {
	names := make([]string, 0, len(states))
	for name := range states {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// errorEquals checks an ErrorEquals list: non-empty strings, with
// States.ALL alone in its list and in the last entry.
func (p *parser) errorEquals(state, field string, v any, last bool) []string {
	arr, ok := v.([]any)
	if !ok || len(arr) == 0 {
		p.fail(state, field, "is required and must be a non-empty array of error names")
		return nil
	}
	out := make([]string, 0, len(arr))
	for i, e := range arr {
		s, ok := e.(string)
		if !ok || s == "" {
			p.fail(state, fmt.Sprintf("%s[%d]", field, i), "must be an error name string")
			continue
		}
		if s == ErrALL && len(arr) > 1 {
			p.fail(state, field, "States.ALL must appear alone in ErrorEquals")
		}
		if s == ErrALL && !last {
			p.fail(state, field, "States.ALL must be in the last retrier or catcher")
		}
		out = append(out, s)
	}
	return out
}

// retriers parses Retry.
func (p *parser) retriers(state string, v any) []Retrier {
	if v == nil {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		p.fail(state, "Retry", "must be an array of retriers")
		return nil
	}
	out := make([]Retrier, 0, len(arr))
	for i, e := range arr {
		prefix := fmt.Sprintf("Retry[%d].", i)
		m, ok := e.(map[string]any)
		if !ok {
			p.fail(state, prefix[:len(prefix)-1], "must be an object")
			continue
		}
		p.onlyFields(state, prefix, m, []string{"ErrorEquals", "IntervalSeconds", "MaxAttempts", "BackoffRate",
			"MaxDelaySeconds", "JitterStrategy", "Comment"})
		r := Retrier{
			ErrorEquals:     p.errorEquals(state, prefix+"ErrorEquals", m["ErrorEquals"], i == len(arr)-1),
			IntervalSeconds: defaultIntervalSeconds, MaxAttempts: defaultMaxAttempts,
			BackoffRate: defaultBackoffRate, JitterStrategy: "NONE",
		}
		if hasKey(m, "IntervalSeconds") {
			r.IntervalSeconds = p.optInt(state, prefix, m, "IntervalSeconds", 1, maxRetrierNumber)
		}
		if hasKey(m, "MaxAttempts") {
			r.MaxAttempts = p.optInt(state, prefix, m, "MaxAttempts", 0, maxRetrierNumber)
		}
		r.MaxDelaySeconds = p.optInt(state, prefix, m, "MaxDelaySeconds", 1, maxDelaySecondsLimit)
		if b, ok := m["BackoffRate"]; ok {
			if f, ok := p.number(state, prefix+"BackoffRate", b); ok {
				if f < 1 {
					p.fail(state, prefix+"BackoffRate", "must be at least 1.0, got %v", b)
				}
				r.BackoffRate = f
			}
		}
		if j, ok := m["JitterStrategy"]; ok {
			if j != "FULL" && j != "NONE" {
				p.fail(state, prefix+"JitterStrategy", "must be FULL or NONE, got %v", j)
			}
			r.JitterStrategy, _ = j.(string)
		}
		out = append(out, r)
	}
	return out
}

// catchers parses Catch.
func (p *parser) catchers(state string, v any) []Catcher {
	if v == nil {
		return nil
	}
	arr, ok := v.([]any)
	if !ok {
		p.fail(state, "Catch", "must be an array of catchers")
		return nil
	}
	out := make([]Catcher, 0, len(arr))
	for i, e := range arr {
		prefix := fmt.Sprintf("Catch[%d].", i)
		m, ok := e.(map[string]any)
		if !ok {
			p.fail(state, prefix[:len(prefix)-1], "must be an object")
			continue
		}
		p.onlyFields(state, prefix, m, []string{"ErrorEquals", "Next", "ResultPath", "Comment"})
		c := Catcher{ErrorEquals: p.errorEquals(state, prefix+"ErrorEquals", m["ErrorEquals"], i == len(arr)-1)}
		if c.Next, _ = m["Next"].(string); c.Next == "" {
			p.fail(state, prefix+"Next", "is required and must be a state name")
		}
		c.ResultPath = p.resultPath(state, prefix+"ResultPath", m["ResultPath"], hasKey(m, "ResultPath"))
		out = append(out, c)
	}
	return out
}
