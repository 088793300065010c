package asl

import (
	"fmt"
	"strings"
)

// choice parses a Choice state's rules and Default.
func (p *parser) choice(st *State, qname string, m map[string]any) {
	st.Default = p.optString(qname, "", m, "Default")
	rules, ok := m["Choices"].([]any)
	if !ok || len(rules) == 0 {
		p.fail(qname, "Choices", "is required and must be a non-empty array of rules")
		return
	}
	for i, r := range rules {
		field := fmt.Sprintf("Choices[%d]", i)
		rm, ok := r.(map[string]any)
		if !ok {
			p.fail(qname, field, "a Choice rule must be an object")
			continue
		}
		next, _ := rm["Next"].(string)
		if next == "" {
			p.fail(qname, field+".Next", "is required in a top-level Choice rule")
		}
		c := p.rule(qname, field, rm, true)
		if c != nil {
			st.Choices = append(st.Choices, &ChoiceRule{Next: next, cond: c})
		}
	}
}

// rule compiles one Boolean expression; top says whether it is a
// top-level rule (which carries Next) or nested in And/Or/Not (which must
// not).
func (p *parser) rule(qname, field string, m map[string]any, top bool) *cond {
	var ops []string
	for k := range m {
		switch k {
		case "Next":
			if !top {
				p.fail(qname, field+".Next", "nested Choice rules cannot have Next")
			}
		case "Variable", "Comment":
		case "And", "Or", "Not":
			ops = append(ops, k)
		default:
			if _, ok := comparisonFor(k); ok {
				ops = append(ops, k)
			} else {
				p.fail(qname, field+"."+k, "is not a Choice rule field")
			}
		}
	}
	if len(ops) != 1 {
		p.fail(qname, field, "a Choice rule needs exactly one operator (a comparison, And, Or or Not); found %d", len(ops))
		return nil
	}
	op := ops[0]
	switch op {
	case "And", "Or":
		return p.boolList(qname, field, op, m)
	case "Not":
		if hasKey(m, "Variable") {
			p.fail(qname, field+".Variable", "is not allowed beside Not")
		}
		sub, ok := m["Not"].(map[string]any)
		if !ok {
			p.fail(qname, field+".Not", "must be a Choice rule object")
			return nil
		}
		c := p.rule(qname, field+".Not", sub, false)
		if c == nil {
			return nil
		}
		return &cond{op: opNot, subs: []*cond{c}}
	}
	return p.comparison(qname, field, op, m)
}

func (p *parser) boolList(qname, field, op string, m map[string]any) *cond {
	if hasKey(m, "Variable") {
		p.fail(qname, field+".Variable", "is not allowed beside %s", op)
	}
	arr, ok := m[op].([]any)
	if !ok || len(arr) == 0 {
		p.fail(qname, field+"."+op, "must be a non-empty array of Choice rules")
		return nil
	}
	c := &cond{op: opAnd}
	if op == "Or" {
		c.op = opOr
	}
	for i, e := range arr {
		sf := fmt.Sprintf("%s.%s[%d]", field, op, i)
		sm, ok := e.(map[string]any)
		if !ok {
			p.fail(qname, sf, "must be a Choice rule object")
			return nil
		}
		sub := p.rule(qname, sf, sm, false)
		if sub == nil {
			return nil
		}
		c.subs = append(c.subs, sub)
	}
	return c
}

// comparisonFor resolves an operator key, with or without the Path suffix.
// StringMatches and the Is* tests have no Path form.
func comparisonFor(k string) (comparison, bool) {
	if c, ok := comparisons[k]; ok {
		return c, true
	}
	base, ok := strings.CutSuffix(k, "Path")
	c, known := comparisons[base]
	if !ok || !known || c.fam == famType || c.fam == famMatch {
		return comparison{}, false
	}
	return c, true
}

// comparison compiles Variable <op> literal (or <op>Path path).
func (p *parser) comparison(qname, field, key string, m map[string]any) *cond {
	cmp, _ := comparisonFor(key)
	c := &cond{op: cmp.op}
	vs, ok := m["Variable"].(string)
	if !ok {
		p.fail(qname, field+".Variable", "is required and must be a path")
		return nil
	}
	var err error
	if c.variable, err = compilePath(vs, "Variable", anyPath); err != nil {
		p.fail(qname, field+".Variable", "%v", err)
		return nil
	}
	at := field + "." + key
	v := m[key]
	if _, isLiteral := comparisons[key]; !isLiteral {
		s, ok := v.(string)
		if !ok {
			p.fail(qname, at, "must be a path string")
			return nil
		}
		if c.other, err = compilePath(s, key, anyPath); err != nil {
			p.fail(qname, at, "%v", err)
			return nil
		}
		c.hasOther = true
		return c
	}
	if !p.literal(c, cmp.fam, v, qname, at) {
		return nil
	}
	return c
}

// literal checks and stores a comparison's literal operand.
func (p *parser) literal(c *cond, fam family, v any, qname, at string) bool {
	bad := func(want string) bool {
		p.fail(qname, at, "must be %s, got %v", want, v)
		return false
	}
	switch fam {
	case famString, famMatch:
		s, ok := v.(string)
		if !ok {
			return bad("a string")
		}
		c.str = s
		if fam == famMatch {
			c.pattern = compilePattern(s)
		}
	case famNumeric:
		f, ok := toFloat(v)
		if !ok {
			return bad("a number")
		}
		c.num = f
		c.inum, c.isInt = v.(int64)
	case famBoolean, famType:
		b, ok := v.(bool)
		if !ok {
			return bad("true or false")
		}
		c.flag = b
	case famTimestamp:
		s, _ := v.(string)
		t, ok := parseTimestamp(s)
		if !ok {
			return bad("an RFC 3339 timestamp string")
		}
		c.ts = t
	}
	return true
}
