package asl

import "fmt"

// stateFields lists the fields each state type allows besides Type,
// Comment and QueryLanguage.
var stateFields = map[string][]string{
	TypePass:    {"Next", "End", "InputPath", "OutputPath", "Parameters", "ResultPath", "Result"},
	TypeTask:    {"Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath", "Resource", "TimeoutSeconds", "TimeoutSecondsPath", "HeartbeatSeconds", "HeartbeatSecondsPath", "Retry", "Catch", "Credentials"},
	TypeChoice:  {"InputPath", "OutputPath", "Choices", "Default"},
	TypeWait:    {"Next", "End", "InputPath", "OutputPath", "Seconds", "Timestamp", "SecondsPath", "TimestampPath"},
	TypeSucceed: {"InputPath", "OutputPath"},
	TypeFail:    {"Error", "ErrorPath", "Cause", "CausePath"},
	TypeParallel: {"Next", "End", "InputPath", "OutputPath", "Parameters", "ResultSelector", "ResultPath",
		"Branches", "Retry", "Catch"},
	TypeMap: {"Next", "End", "InputPath", "OutputPath", "ItemsPath", "ItemSelector", "Parameters", "ItemProcessor",
		"Iterator", "MaxConcurrency", "MaxConcurrencyPath", "ResultSelector", "ResultPath", "Retry", "Catch"},
}

// maxStateNameLength is AWS's limit on state names.
const maxStateNameLength = 80

var anyPath = pathOpts{ctx: true}

// state parses one state; qname is its qualified name for errors.
func (p *parser) state(name, qname string, m map[string]any) *State {
	st := &State{Name: name}
	if len(name) == 0 || len([]rune(name)) > maxStateNameLength {
		p.fail(qname, "", "state names must be 1 to %d characters", maxStateNameLength)
	}
	typ, _ := m["Type"].(string)
	allowed, ok := stateFields[typ]
	if !ok {
		p.fail(qname, "Type", "must be one of Pass, Task, Choice, Wait, Succeed, Fail, Parallel, Map; got %v", m["Type"])
		return st
	}
	st.Type = typ
	p.onlyFields(qname, "", m, append([]string{"Type", "Comment", "QueryLanguage"}, allowed...))
	p.queryLanguage(qname, m)
	st.Comment = p.optString(qname, "", m, "Comment")
	st.InputPath = p.optPath(qname, m, "InputPath", anyPath, true)
	st.OutputPath = p.optPath(qname, m, "OutputPath", anyPath, true)
	st.ResultPath = p.resultPath(qname, "ResultPath", m["ResultPath"], hasKey(m, "ResultPath"))
	st.ResultSelector = p.optTemplate(qname, m, "ResultSelector")
	p.transition(st, qname, m)
	switch typ {
	case TypePass:
		st.Parameters = p.optTemplate(qname, m, "Parameters")
		st.Result, st.HasResult = m["Result"]
	case TypeTask:
		p.task(st, qname, m)
	case TypeChoice:
		p.choice(st, qname, m)
	case TypeWait:
		p.wait(st, qname, m)
	case TypeFail:
		p.failState(st, qname, m)
	case TypeParallel:
		st.Parameters = p.optTemplate(qname, m, "Parameters")
		p.parallel(st, qname, m)
	case TypeMap:
		p.mapState(st, qname, m)
	}
	if typ == TypeTask || typ == TypeParallel || typ == TypeMap {
		st.Retry = p.retriers(qname, m["Retry"])
		st.Catch = p.catchers(qname, m["Catch"])
	}
	return st
}

func hasKey(m map[string]any, k string) bool {
	_, ok := m[k]
	return ok
}

// transition checks Next/End: states that continue need exactly one.
func (p *parser) transition(st *State, qname string, m map[string]any) {
	switch st.Type {
	case TypeChoice, TypeSucceed, TypeFail:
		return // Next and End are rejected by the field allowlist
	}
	next, hasNext := m["Next"]
	end, hasEnd := m["End"]
	if hasNext {
		if st.Next, _ = next.(string); st.Next == "" {
			p.fail(qname, "Next", "must be a state name")
		}
	}
	if hasEnd {
		if b, ok := end.(bool); !ok || !b {
			p.fail(qname, "End", "must be true when present")
		}
		st.End = true
	}
	switch {
	case hasNext && hasEnd:
		p.fail(qname, "Next", "a state cannot have both Next and End")
	case !hasNext && !hasEnd:
		p.fail(qname, "Next", "a %s state needs Next or \"End\": true", st.Type)
	}
}

func (p *parser) task(st *State, qname string, m map[string]any) {
	var ok bool
	if st.Resource, ok = m["Resource"].(string); !ok || st.Resource == "" {
		p.fail(qname, "Resource", "is required and must be a URI string")
	}
	st.Parameters = p.optTemplate(qname, m, "Parameters")
	st.TimeoutSeconds = p.optInt(qname, "", m, "TimeoutSeconds", 1, maxRetrierNumber)
	st.HeartbeatSeconds = p.optInt(qname, "", m, "HeartbeatSeconds", 1, maxRetrierNumber)
	st.TimeoutSecondsPath = p.optPath(qname, m, "TimeoutSecondsPath", anyPath, false)
	st.HeartbeatSecondsPath = p.optPath(qname, m, "HeartbeatSecondsPath", anyPath, false)
	if hasKey(m, "TimeoutSeconds") && hasKey(m, "TimeoutSecondsPath") {
		p.fail(qname, "TimeoutSecondsPath", "cannot be used together with TimeoutSeconds")
	}
	if hasKey(m, "HeartbeatSeconds") && hasKey(m, "HeartbeatSecondsPath") {
		p.fail(qname, "HeartbeatSecondsPath", "cannot be used together with HeartbeatSeconds")
	}
	if st.HeartbeatSeconds > 0 && st.TimeoutSeconds > 0 && st.HeartbeatSeconds >= st.TimeoutSeconds {
		p.fail(qname, "HeartbeatSeconds", "must be smaller than TimeoutSeconds")
	}
}

func (p *parser) wait(st *State, qname string, m map[string]any) {
	n := 0
	for _, f := range [...]string{"Seconds", "Timestamp", "SecondsPath", "TimestampPath"} {
		if hasKey(m, f) {
			n++
		}
	}
	if n != 1 {
		p.fail(qname, "Seconds", "a Wait state needs exactly one of Seconds, Timestamp, SecondsPath, TimestampPath; got %d", n)
	}
	if hasKey(m, "Seconds") {
		st.HasSeconds = true
		st.Seconds = p.optInt(qname, "", m, "Seconds", 0, maxRetrierNumber)
	}
	if v, ok := m["Timestamp"]; ok {
		s, _ := v.(string)
		t, ok := parseTimestamp(s)
		if !ok {
			p.fail(qname, "Timestamp", "must be an RFC 3339 timestamp such as 2026-03-14T01:59:00Z, got %v", v)
		}
		st.Timestamp, st.HasTimestamp = t, true
	}
	st.SecondsPath = p.optPath(qname, m, "SecondsPath", anyPath, false)
	st.TimestampPath = p.optPath(qname, m, "TimestampPath", anyPath, false)
}

func (p *parser) failState(st *State, qname string, m map[string]any) {
	st.Error = p.optString(qname, "", m, "Error")
	st.Cause = p.optString(qname, "", m, "Cause")
	intrinsicPath := pathOpts{ctx: true, intrinsic: true}
	st.ErrorPath = p.optPath(qname, m, "ErrorPath", intrinsicPath, false)
	st.CausePath = p.optPath(qname, m, "CausePath", intrinsicPath, false)
	if hasKey(m, "Error") && hasKey(m, "ErrorPath") {
		p.fail(qname, "ErrorPath", "cannot be used together with Error")
	}
	if hasKey(m, "Cause") && hasKey(m, "CausePath") {
		p.fail(qname, "CausePath", "cannot be used together with Cause")
	}
}

func (p *parser) parallel(st *State, qname string, m map[string]any) {
	branches, ok := m["Branches"].([]any)
	if !ok || len(branches) == 0 {
		p.fail(qname, "Branches", "is required and must be a non-empty array of state machines")
		return
	}
	for i, b := range branches {
		where := fmt.Sprintf("%s.Branches[%d]", qname, i)
		bm, ok := b.(map[string]any)
		if !ok {
			p.fail(where, "", "a branch must be an object")
			continue
		}
		st.Branches = append(st.Branches, p.definition(bm, where, kindBranch))
	}
}

// mapState parses Map, mapping the older Iterator and Parameters fields to
// ItemProcessor and ItemSelector.
func (p *parser) mapState(st *State, qname string, m map[string]any) {
	procField := "ItemProcessor"
	switch {
	case hasKey(m, "ItemProcessor") && hasKey(m, "Iterator"):
		p.fail(qname, "Iterator", "cannot be used together with ItemProcessor")
	case hasKey(m, "Iterator"):
		procField = "Iterator"
	case !hasKey(m, "ItemProcessor"):
		p.fail(qname, "ItemProcessor", "is required")
	}
	if pm, ok := m[procField].(map[string]any); ok {
		st.ItemProcessor = p.definition(pm, qname+"."+procField, kindProcessor)
	} else if hasKey(m, procField) {
		p.fail(qname, procField, "must be an object")
	}
	selField := "ItemSelector"
	if hasKey(m, "ItemSelector") && hasKey(m, "Parameters") {
		p.fail(qname, "Parameters", "cannot be used together with ItemSelector")
	} else if hasKey(m, "Parameters") {
		selField = "Parameters"
	}
	st.ItemSelector = p.optTemplate(qname, m, selField)
	st.ItemsPath = p.optPath(qname, m, "ItemsPath", anyPath, false)
	st.MaxConcurrency = p.optInt(qname, "", m, "MaxConcurrency", 0, math32)
	st.MaxConcurrencyPath = p.optPath(qname, m, "MaxConcurrencyPath", anyPath, false)
	if hasKey(m, "MaxConcurrency") && hasKey(m, "MaxConcurrencyPath") {
		p.fail(qname, "MaxConcurrencyPath", "cannot be used together with MaxConcurrency")
	}
}

const math32 = 1<<31 - 1
