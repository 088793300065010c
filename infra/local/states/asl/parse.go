package asl

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"

	"github.com/ohler55/ojg/oj"
)

// Parse parses and validates a JSONPath state machine definition, compiling
// every path, template, intrinsic call and Choice rule. All problems are
// returned joined with errors.Join, each a *DefinitionError; Parse never
// panics, whatever the input.
func Parse(data []byte) (def *Definition, err error) {
	defer func() {
		if r := recover(); r != nil {
			def, err = nil, &DefinitionError{Message: fmt.Sprintf("internal error while parsing: %v", r)}
		}
	}()
	// ojg's parser can panic on some malformed documents (such as
	// `{"a":}`), so the syntax is checked by encoding/json first.
	if !json.Valid(data) {
		var v any
		return nil, &DefinitionError{Message: "invalid JSON: " + json.Unmarshal(data, &v).Error()}
	}
	v, perr := oj.Parse(data)
	if perr != nil {
		return nil, &DefinitionError{Message: "invalid JSON: " + perr.Error()}
	}
	m, ok := v.(map[string]any)
	if !ok {
		return nil, &DefinitionError{Message: "a state machine definition must be a JSON object, got " + typeName(v)}
	}
	p := &parser{}
	def = p.definition(m, "", kindTop)
	if len(p.errs) > 0 {
		return nil, errors.Join(p.errs...)
	}
	return def, nil
}

// defKind says where a definition sits, which decides its allowed fields.
type defKind uint8

const (
	kindTop defKind = iota
	kindBranch
	kindProcessor
)

var defFields = map[defKind][]string{
	kindTop:       {"Comment", "StartAt", "States", "TimeoutSeconds", "Version", "QueryLanguage"},
	kindBranch:    {"Comment", "StartAt", "States", "QueryLanguage"},
	kindProcessor: {"Comment", "StartAt", "States", "QueryLanguage", "ProcessorConfig"},
}

// parser collects every problem instead of stopping at the first.
type parser struct {
	errs []error
}

func (p *parser) fail(state, field, format string, args ...any) {
	p.errs = append(p.errs, &DefinitionError{State: state, Field: field, Message: fmt.Sprintf(format, args...)})
}

// definition parses a state machine, branch or item processor. where names
// it in errors ("" at the top, "Parallel1.Branches[0]" when nested) and
// prefixes its state names.
func (p *parser) definition(m map[string]any, where string, kind defKind) *Definition {
	p.onlyFields(where, "", m, defFields[kind])
	p.queryLanguage(where, m)
	d := &Definition{States: map[string]*State{}}
	d.Comment = p.optString(where, "", m, "Comment")
	d.Version = p.optString(where, "", m, "Version")
	if kind == kindTop {
		d.TimeoutSeconds = p.optInt(where, "", m, "TimeoutSeconds", 1, maxRetrierNumber)
	}
	if kind == kindProcessor {
		p.processorConfig(where, m["ProcessorConfig"])
	}
	var ok bool
	if d.StartAt, ok = m["StartAt"].(string); !ok {
		p.fail(where, "StartAt", "is required and must be a string")
	}
	states, ok := m["States"].(map[string]any)
	if !ok || len(states) == 0 {
		p.fail(where, "States", "is required and must be an object with at least one state")
	}
	names := make([]string, 0, len(states))
	for name := range states {
		names = append(names, name)
	}
	sort.Strings(names)
	for i, name := range names {
		qname := qualify(where, name)
		sm, ok := states[name].(map[string]any)
		if !ok {
			p.fail(qname, "", "a state must be a JSON object")
			continue
		}
		st := p.state(name, qname, sm)
		st.Index = i
		d.States[name] = st
	}
	p.validateGraph(d, where)
	return d
}

func qualify(where, name string) string {
	if where == "" {
		return name
	}
	return where + "." + name
}

func (p *parser) queryLanguage(where string, m map[string]any) {
	if v, ok := m["QueryLanguage"]; ok && v != "JSONPath" {
		p.fail(where, "QueryLanguage", "only \"JSONPath\" is supported, got %v", v)
	}
}

func (p *parser) processorConfig(where string, v any) {
	if v == nil {
		return
	}
	m, ok := v.(map[string]any)
	if !ok {
		p.fail(where, "ProcessorConfig", "must be an object")
		return
	}
	p.onlyFields(where, "ProcessorConfig.", m, []string{"Mode", "ExecutionType"})
	if mode, ok := m["Mode"]; ok && mode != "INLINE" {
		p.fail(where, "ProcessorConfig.Mode", "only INLINE is supported, got %v", mode)
	}
}

// onlyFields reports every key of m that is not in allowed.
func (p *parser) onlyFields(state, prefix string, m map[string]any, allowed []string) {
	for k := range m {
		found := false
		for _, a := range allowed {
			if k == a {
				found = true
				break
			}
		}
		if !found {
			p.fail(state, prefix+k, "field is not allowed here")
		}
	}
}

func (p *parser) optString(state, prefix string, m map[string]any, field string) string {
	v, ok := m[field]
	if !ok {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.fail(state, prefix+field, "must be a string, got %s", typeName(v))
	}
	return s
}

// optInt reads an optional integer field within [lo, hi]; 0 when absent.
func (p *parser) optInt(state, prefix string, m map[string]any, field string, lo, hi int64) int64 {
	v, ok := m[field]
	if !ok {
		return 0
	}
	n, ok := toInt(v)
	if !ok || n < lo || n > hi {
		p.fail(state, prefix+field, "must be an integer from %d to %d, got %v", lo, hi, v)
		return 0
	}
	return n
}

// optPath compiles an optional path field; null is accepted only where
// nullable (InputPath, OutputPath).
func (p *parser) optPath(state string, m map[string]any, field string, o pathOpts, nullable bool) Path {
	v, ok := m[field]
	if !ok {
		return Path{}
	}
	if v == nil {
		if !nullable {
			p.fail(state, field, "must be a path, not null")
			return Path{}
		}
		return Path{kind: pathNull, field: field}
	}
	s, ok := v.(string)
	if !ok {
		p.fail(state, field, "must be a path string, got %s", typeName(v))
		return Path{}
	}
	path, err := compilePath(s, field, o)
	if err != nil {
		p.fail(state, field, "%v", err)
	}
	return path
}

func (p *parser) optTemplate(state string, m map[string]any, field string) *Template {
	v, ok := m[field]
	if !ok {
		return nil
	}
	t, err := compileTemplate(v, field)
	if err != nil {
		p.fail(state, field, "%v", err)
	}
	return t
}

func (p *parser) resultPath(state, field string, v any, present bool) ResultPath {
	switch {
	case !present:
		return ResultPath{}
	case v == nil:
		return ResultPath{null: true}
	}
	s, ok := v.(string)
	if !ok {
		p.fail(state, field, "must be a reference path string or null, got %s", typeName(v))
		return ResultPath{}
	}
	r, err := compileResultPath(s)
	if err != nil {
		p.fail(state, field, "%v", err)
	}
	return r
}

// number reads a JSON number field as float64.
func (p *parser) number(state, field string, v any) (float64, bool) {
	f, ok := toFloat(v)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		p.fail(state, field, "must be a number, got %v", v)
		return 0, false
	}
	return f, true
}
