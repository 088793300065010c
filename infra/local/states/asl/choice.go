package asl

import (
	"strings"
	"time"
)

type opKind uint8

const (
	opAnd opKind = iota
	opOr
	opNot
	opStringEq
	opStringLt
	opStringGt
	opStringLe
	opStringGe
	opStringMatches
	opNumericEq
	opNumericLt
	opNumericGt
	opNumericLe
	opNumericGe
	opBooleanEq
	opTimestampEq
	opTimestampLt
	opTimestampGt
	opTimestampLe
	opTimestampGe
	opIsNull
	opIsPresent
	opIsNumeric
	opIsString
	opIsBoolean
	opIsTimestamp
)

// family groups comparison operators by the type they compare.
type family uint8

const (
	famString family = iota + 1
	famNumeric
	famBoolean
	famTimestamp
	famType
	famMatch
)

// comparison describes one comparison operator of the Choice state.
type comparison struct {
	op  opKind
	fam family
}

// comparisons maps each operator name (without the Path suffix) to its op.
var comparisons = map[string]comparison{
	"StringEquals": {opStringEq, famString}, "StringLessThan": {opStringLt, famString},
	"StringGreaterThan": {opStringGt, famString}, "StringLessThanEquals": {opStringLe, famString},
	"StringGreaterThanEquals": {opStringGe, famString}, "StringMatches": {opStringMatches, famMatch},
	"NumericEquals": {opNumericEq, famNumeric}, "NumericLessThan": {opNumericLt, famNumeric},
	"NumericGreaterThan": {opNumericGt, famNumeric}, "NumericLessThanEquals": {opNumericLe, famNumeric},
	"NumericGreaterThanEquals": {opNumericGe, famNumeric}, "BooleanEquals": {opBooleanEq, famBoolean},
	"TimestampEquals": {opTimestampEq, famTimestamp}, "TimestampLessThan": {opTimestampLt, famTimestamp},
	"TimestampGreaterThan": {opTimestampGt, famTimestamp}, "TimestampLessThanEquals": {opTimestampLe, famTimestamp},
	"TimestampGreaterThanEquals": {opTimestampGe, famTimestamp},
	"IsNull":                     {opIsNull, famType}, "IsPresent": {opIsPresent, famType}, "IsNumeric": {opIsNumeric, famType},
	"IsString": {opIsString, famType}, "IsBoolean": {opIsBoolean, famType}, "IsTimestamp": {opIsTimestamp, famType},
}

// cond is a compiled Boolean expression of a Choice rule.
type cond struct {
	op       opKind
	variable Path
	// The right-hand side: a literal of the operator's type, or a path.
	str      string
	num      float64
	inum     int64
	isInt    bool
	flag     bool
	ts       time.Time
	pattern  []matchPart
	other    Path
	hasOther bool
	subs     []*cond // And, Or; Not uses subs[0]
}

// ChoiceRule is one compiled top-level Choice rule.
type ChoiceRule struct {
	Next string
	cond *cond
}

// Choose returns the Next of the first matching rule, else Default, else a
// *Error States.NoChoiceMatched. Context paths ("$$") see an empty context;
// use ChooseCtx to supply one.
func (s *State) Choose(input any) (next string, err error) {
	return s.ChooseCtx(input, nil)
}

// ChooseCtx is Choose with the context object for "$$" paths.
func (s *State) ChooseCtx(input, ctx any) (string, error) {
	for _, r := range s.Choices {
		ok, err := r.cond.eval(input, ctx)
		if err != nil {
			return "", err
		}
		if ok {
			return r.Next, nil
		}
	}
	if s.Default != "" {
		return s.Default, nil
	}
	return "", errorf(ErrNoChoiceMatched, "No Choice rule matched and there was no Default in state '%s'", s.Name)
}

func (c *cond) eval(input, ctx any) (bool, error) {
	switch c.op {
	case opAnd:
		for _, sub := range c.subs {
			if ok, err := sub.eval(input, ctx); err != nil || !ok {
				return false, err
			}
		}
		return true, nil
	case opOr:
		for _, sub := range c.subs {
			if ok, err := sub.eval(input, ctx); err != nil || ok {
				return ok, err
			}
		}
		return false, nil
	case opNot:
		ok, err := c.subs[0].eval(input, ctx)
		return !ok, err
	case opIsPresent:
		_, err := c.variable.Get(input, ctx)
		return (err == nil) == c.flag, nil
	}
	v, err := c.variable.Get(input, ctx)
	if err != nil {
		return false, err
	}
	if c.op >= opIsNull {
		return c.typeTest(v) == c.flag, nil
	}
	if !c.hasOther {
		return c.compareLiteral(v), nil
	}
	o, err := c.other.Get(input, ctx)
	if err != nil {
		return false, err
	}
	return c.comparePaths(v, o), nil
}

func (c *cond) typeTest(v any) bool {
	switch c.op {
	case opIsNull:
		return v == nil
	case opIsNumeric:
		return isNumber(v)
	case opIsString:
		_, ok := v.(string)
		return ok
	case opIsBoolean:
		_, ok := v.(bool)
		return ok
	}
	s, ok := v.(string)
	if !ok {
		return false
	}
	_, ok = parseTimestamp(s)
	return ok
}

// compareLiteral compares v with the rule's literal; a value of the wrong
// type never matches.
func (c *cond) compareLiteral(v any) bool {
	switch {
	case c.op == opStringMatches:
		s, ok := v.(string)
		return ok && matchPattern(c.pattern, s)
	case c.op <= opStringGe:
		s, ok := v.(string)
		return ok && ordered(c.op-opStringEq, strings.Compare(s, c.str))
	case c.op <= opNumericGe:
		cmp, ok := compareNumbers(v, c.numberLiteral())
		return ok && ordered(c.op-opNumericEq, cmp)
	case c.op == opBooleanEq:
		b, ok := v.(bool)
		return ok && b == c.flag
	}
	s, ok := v.(string)
	if !ok {
		return false
	}
	t, ok := parseTimestamp(s)
	return ok && ordered(c.op-opTimestampEq, t.Compare(c.ts))
}

func (c *cond) numberLiteral() any {
	if c.isInt {
		return c.inum
	}
	return c.num
}

// comparePaths compares v with the value another path selected.
func (c *cond) comparePaths(v, o any) bool {
	switch {
	case c.op <= opStringGe:
		a, ok1 := v.(string)
		b, ok2 := o.(string)
		return ok1 && ok2 && ordered(c.op-opStringEq, strings.Compare(a, b))
	case c.op <= opNumericGe:
		cmp, ok := compareNumbers(v, o)
		return ok && ordered(c.op-opNumericEq, cmp)
	case c.op == opBooleanEq:
		a, ok1 := v.(bool)
		b, ok2 := o.(bool)
		return ok1 && ok2 && a == b
	}
	a, ok1 := v.(string)
	b, ok2 := o.(string)
	if !ok1 || !ok2 {
		return false
	}
	ta, ok1 := parseTimestamp(a)
	tb, ok2 := parseTimestamp(b)
	return ok1 && ok2 && ordered(c.op-opTimestampEq, ta.Compare(tb))
}

// ordered applies the n-th of Equals, LessThan, GreaterThan,
// LessThanEquals, GreaterThanEquals to a three-way comparison result.
func ordered(n opKind, cmp int) bool {
	switch n {
	case 0:
		return cmp == 0
	case 1:
		return cmp < 0
	case 2:
		return cmp > 0
	case 3:
		return cmp <= 0
	}
	return cmp >= 0
}

// compareNumbers returns a three-way comparison and whether both are
// numbers; two integers compare exactly.
func compareNumbers(a, b any) (int, bool) {
	ia, aInt := a.(int64)
	ib, bInt := b.(int64)
	if aInt && bInt {
		switch {
		case ia < ib:
			return -1, true
		case ia > ib:
			return 1, true
		}
		return 0, true
	}
	fa, ok1 := toFloat(a)
	fb, ok2 := toFloat(b)
	if !ok1 || !ok2 {
		return 0, false
	}
	switch {
	case fa < fb:
		return -1, true
	case fa > fb:
		return 1, true
	case fa == fb:
		return 0, true
	}
	return 0, false // NaN
}

// matchPart is a piece of a StringMatches pattern: a literal, or a '*'.
type matchPart struct {
	lit  string
	star bool
}

// compilePattern splits a StringMatches pattern at unescaped '*'; "\*" is
// a literal star and "\\" a literal backslash.
func compilePattern(p string) []matchPart {
	var parts []matchPart
	var cur strings.Builder
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '\\' && i+1 < len(p) && (p[i+1] == '*' || p[i+1] == '\\'):
			cur.WriteByte(p[i+1])
			i++
		case c == '*':
			if cur.Len() > 0 {
				parts = append(parts, matchPart{lit: cur.String()})
				cur.Reset()
			}
			parts = append(parts, matchPart{star: true})
		default:
			cur.WriteByte(c)
		}
	}
	if cur.Len() > 0 {
		parts = append(parts, matchPart{lit: cur.String()})
	}
	return parts
}

// matchPattern matches s against parts in linear time: each star takes the
// earliest place the following literal fits, which is enough because stars
// absorb anything.
func matchPattern(parts []matchPart, s string) bool {
	star := false
	for i, p := range parts {
		if p.star {
			star = true
			continue
		}
		last := i == len(parts)-1
		switch {
		case last && star:
			return strings.HasSuffix(s, p.lit)
		case last:
			return s == p.lit
		case star:
			j := strings.Index(s, p.lit)
			if j < 0 {
				return false
			}
			s = s[j+len(p.lit):]
		default:
			if !strings.HasPrefix(s, p.lit) {
				return false
			}
			s = s[len(p.lit):]
		}
		star = false
	}
	return star || s == ""
}
