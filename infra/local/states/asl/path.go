package asl

import (
	"fmt"
	"strings"

	"github.com/ohler55/ojg/jp"
)

type pathKind uint8

const (
	pathUnset     pathKind = iota // field absent: behaves as "$"
	pathNull                      // field explicitly null: yields {}
	pathRoot                      // "$" or "$$": the whole document
	pathSimple                    // dotted keys and indexes, walked by hand
	pathJP                        // anything else, evaluated by ojg/jp
	pathIntrinsic                 // an intrinsic function call (Fail ErrorPath/CausePath)
)

// seg is one step of a simple path: a map key, or an array index when
// index >= 0.
type seg struct {
	key   string
	index int
}

// Path is a compiled JSONPath (or, where allowed, an intrinsic function call).
// The zero Path is "not set" and, like "$", yields its input unchanged.
type Path struct {
	src      string
	field    string // the definition field it came from, for error causes
	kind     pathKind
	ctx      bool // reads the context object ("$$...")
	definite bool // names one node; indefinite jp paths yield an array
	segs     []seg
	expr     jp.Expr
	fn       *Intrinsic
}

// pathOpts says what a field accepts.
type pathOpts struct {
	ctx       bool // "$$" paths into the context object
	intrinsic bool // States.* calls
}

// IsSet reports whether the field was present in the definition.
func (p *Path) IsSet() bool { return p.kind != pathUnset }

// IsNull reports whether the field was explicitly null.
func (p *Path) IsNull() bool { return p.kind == pathNull }

// String returns the path's source text ("" when unset, "null" when null).
func (p *Path) String() string {
	if p.kind == pathNull {
		return "null"
	}
	return p.src
}

// Get evaluates the path against input ("$...") or ctx ("$$..."). A null
// path yields an empty object, as InputPath/OutputPath null do in AWS. A
// definite path that matches nothing is a *Error States.Runtime; an
// indefinite one (wildcards, filters, slices, descent) yields an array of
// its matches.
func (p *Path) Get(input, ctx any) (any, error) {
	doc := input
	if p.ctx {
		doc = ctx
	}
	switch p.kind {
	case pathUnset:
		return input, nil
	case pathRoot:
		return doc, nil
	case pathNull:
		return map[string]any{}, nil
	case pathSimple:
		if v, ok := walk(doc, p.segs); ok {
			return v, nil
		}
		return nil, p.notFound()
	case pathIntrinsic:
		return p.fn.Eval(input, ctx)
	}
	if !p.definite {
		got := p.expr.Get(doc)
		if got == nil {
			got = []any{}
		}
		return got, nil
	}
	if v, ok := p.expr.FirstFound(doc); ok {
		return v, nil
	}
	return nil, p.notFound()
}

func (p *Path) notFound() *Error {
	return errorf(ErrRuntime, "The JSONPath '%s' specified for the field '%s' could not be found in the input", p.src, p.field)
}

// walk follows simple segments without allocating.
func walk(v any, segs []seg) (any, bool) {
	for i := range segs {
		s := &segs[i]
		if s.index >= 0 {
			arr, ok := v.([]any)
			if !ok || s.index >= len(arr) {
				return nil, false
			}
			v = arr[s.index]
			continue
		}
		m, ok := v.(map[string]any)
		if !ok {
			return nil, false
		}
		if v, ok = m[s.key]; !ok {
			return nil, false
		}
	}
	return v, true
}

// compilePath compiles the source of a path field.
func compilePath(src, field string, o pathOpts) (Path, error) {
	p := Path{src: src, field: field}
	if strings.HasPrefix(src, "States.") {
		if !o.intrinsic {
			return p, fmt.Errorf("intrinsic functions are not allowed in %s", field)
		}
		fn, err := CompileIntrinsic(src)
		if err != nil {
			return p, err
		}
		p.kind, p.fn = pathIntrinsic, fn
		return p, nil
	}
	body := src
	if strings.HasPrefix(src, "$$") {
		if !o.ctx {
			return p, fmt.Errorf("context object paths ($$) are not allowed in %s", field)
		}
		p.ctx = true
		body = src[1:]
	}
	if !strings.HasPrefix(body, "$") {
		return p, fmt.Errorf("%q is not a JSONPath: it must begin with '$'", src)
	}
	if body == "$" {
		p.kind, p.definite = pathRoot, true
		return p, nil
	}
	if segs, ok := simpleSegs(body); ok {
		p.kind, p.segs, p.definite = pathSimple, segs, true
		return p, nil
	}
	x, err := jp.ParseString(bracketDottedKeys(body))
	if err != nil {
		return p, fmt.Errorf("invalid JSONPath %q: %v", src, err)
	}
	p.kind, p.expr, p.definite = pathJP, x, isDefinite(x)
	return p, nil
}

// isDefinite reports whether x can name at most one node.
func isDefinite(x jp.Expr) bool {
	for _, f := range x {
		switch f.(type) {
		case jp.Root, jp.At, jp.Bracket, jp.Child, jp.Nth:
		default:
			return false
		}
	}
	return true
}

// simpleSegs parses "$.a.b[0]['c d']" style paths that a hand walk can
// evaluate; anything else (wildcards, filters, negative indexes, unusual
// key characters) reports false and is left to jp.
func simpleSegs(s string) ([]seg, bool) {
	var segs []seg
	i := 1
	for i < len(s) {
		switch s[i] {
		case '.':
			j := i + 1
			for j < len(s) && isKeyByte(s[j]) {
				j++
			}
			if j == i+1 {
				return nil, false
			}
			segs = append(segs, seg{key: s[i+1 : j], index: -1})
			i = j
		case '[':
			sg, n, ok := bracketSeg(s[i:])
			if !ok {
				return nil, false
			}
			segs = append(segs, sg)
			i += n
		default:
			return nil, false
		}
	}
	return segs, len(segs) > 0
}

// bracketSeg parses "[12]" or "['key']" at the start of s.
func bracketSeg(s string) (seg, int, bool) {
	if len(s) < 3 {
		return seg{}, 0, false
	}
	if q := s[1]; q == '\'' || q == '"' {
		end := strings.IndexByte(s[2:], q)
		if end < 0 || 2+end+1 >= len(s) || s[2+end+1] != ']' {
			return seg{}, 0, false
		}
		key := s[2 : 2+end]
		if strings.ContainsAny(key, `\'"`) {
			return seg{}, 0, false
		}
		return seg{key: key, index: -1}, 2 + end + 2, true
	}
	n, j := 0, 1
	for j < len(s) && s[j] >= '0' && s[j] <= '9' {
		if n > 1<<24 {
			return seg{}, 0, false
		}
		n = n*10 + int(s[j]-'0')
		j++
	}
	if j == 1 || j >= len(s) || s[j] != ']' {
		return seg{}, 0, false
	}
	return seg{index: n}, j + 1, true
}

func isIdentByte(b byte) bool {
	return b == '_' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9'
}

// isKeyByte reports whether b may appear in a dot-notation key. Like AWS's
// JSONPath (and unlike ojg's parser) this admits '-' and ':', as in
// "$.detail-type".
func isKeyByte(b byte) bool {
	return b > ' ' && b != 0x7f && !strings.ContainsRune(".[]()*?@'\"\\,$=<>!&|~^%#{}+/;` ", rune(b))
}

// bracketDottedKeys rewrites top-level ".key" steps whose key ojg would not
// accept in dot notation into "['key']", leaving filters untouched.
func bracketDottedKeys(s string) string {
	var b strings.Builder
	depth := 0
	var quote byte
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '[' || c == '(':
			depth++
		case c == ']' || c == ')':
			depth--
		case c == '.' && depth == 0 && i+1 < len(s) && s[i+1] != '.' && s[i+1] != '*':
			j := i + 1
			for j < len(s) && isKeyByte(s[j]) {
				j++
			}
			key := s[i+1 : j]
			if strings.ContainsAny(key, "-:") {
				b.WriteString("['" + key + "']")
				i = j - 1
				continue
			}
		}
		b.WriteByte(c)
	}
	return b.String()
}
