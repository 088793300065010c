package asl

import (
	"fmt"
	"strconv"
	"strings"
)

// maxIntrinsicDepth is how deeply AWS lets intrinsic calls nest in one field.
const maxIntrinsicDepth = 10

type argKind uint8

const (
	argLit argKind = iota
	argPath
	argCall
)

// iarg is one compiled argument of an intrinsic call.
type iarg struct {
	kind  argKind
	lit   any      // argLit: string, int64, float64, bool or nil
	parts []string // string literal split at unescaped "{}" (States.Format)
	path  Path
	call  *Intrinsic
}

// Intrinsic is a compiled intrinsic function call such as
// States.Format('Hello {}', $.name), ready to evaluate many times.
type Intrinsic struct {
	src  string
	name string
	impl *intrinsicImpl
	args []iarg
	// fail, when set, is the error every evaluation returns: the AWS
	// guide makes an open escape backslash in the call a runtime error.
	fail *Error
}

// String returns the call's source text.
func (f *Intrinsic) String() string { return f.src }

// CompileIntrinsic parses an intrinsic function call, checking the function
// name, the argument count, literal syntax and nested paths. An open
// escape in a string literal compiles to a call that fails at run time
// with States.Runtime, as the AWS guide says it does.
func CompileIntrinsic(expr string) (*Intrinsic, error) {
	p := iparser{s: expr, openEscape: -1}
	f, err := p.call(1)
	if err != nil {
		return nil, err
	}
	p.skipSpace()
	if p.pos != len(p.s) {
		return nil, p.errorf("unexpected %q after the call", p.s[p.pos:])
	}
	if p.openEscape >= 0 {
		f.fail = &Error{Name: ErrRuntime, Cause: fmt.Sprintf(
			"intrinsic function %q: open escape '\\' at offset %d: only \\' \\{ \\} and \\\\ are escapes", expr, p.openEscape)}
	}
	return f, nil
}

// Eval evaluates the call against input and the context object ctx. Path
// arguments that match nothing are States.Runtime; bad argument values are
// States.IntrinsicFailure.
func (f *Intrinsic) Eval(input, ctx any) (any, error) {
	if f.fail != nil {
		fail := *f.fail // the caller's own
		return nil, &fail
	}
	var buf [4]any
	vals := buf[:0]
	for i := range f.args {
		a := &f.args[i]
		switch a.kind {
		case argLit:
			vals = append(vals, a.lit)
		case argPath:
			v, err := a.path.Get(input, ctx)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		case argCall:
			v, err := a.call.Eval(input, ctx)
			if err != nil {
				return nil, err
			}
			vals = append(vals, v)
		}
	}
	return f.impl.eval(f, vals)
}

// iparser is a recursive-descent parser over one intrinsic expression.
type iparser struct {
	s   string
	pos int
	// openEscape is the offset of the first open escape, or -1.
	openEscape int
}

func (p *iparser) errorf(format string, args ...any) error {
	return fmt.Errorf("intrinsic function %q at offset %d: %s", p.s, p.pos, fmt.Sprintf(format, args...))
}

func (p *iparser) skipSpace() {
	for p.pos < len(p.s) && (p.s[p.pos] == ' ' || p.s[p.pos] == '\t' || p.s[p.pos] == '\n' || p.s[p.pos] == '\r') {
		p.pos++
	}
}

// call parses "States.Name(arg, ...)".
func (p *iparser) call(depth int) (*Intrinsic, error) {
	if depth > maxIntrinsicDepth {
		return nil, p.errorf("intrinsic functions nest deeper than %d", maxIntrinsicDepth)
	}
	start := p.pos
	for p.pos < len(p.s) && (isIdentByte(p.s[p.pos]) || p.s[p.pos] == '.') {
		p.pos++
	}
	name := p.s[start:p.pos]
	impl, ok := intrinsics[name]
	if !ok {
		return nil, p.errorf("unknown intrinsic function %q", name)
	}
	p.skipSpace()
	if p.pos >= len(p.s) || p.s[p.pos] != '(' {
		return nil, p.errorf("expected '(' after %s", name)
	}
	p.pos++
	f := &Intrinsic{name: name, impl: impl}
	p.skipSpace()
	if p.pos < len(p.s) && p.s[p.pos] == ')' {
		p.pos++
	} else {
		for {
			a, err := p.arg(depth)
			if err != nil {
				return nil, err
			}
			f.args = append(f.args, a)
			p.skipSpace()
			if p.pos >= len(p.s) {
				return nil, p.errorf("missing ')' closing %s", name)
			}
			c := p.s[p.pos]
			p.pos++
			if c == ')' {
				break
			}
			if c != ',' {
				return nil, p.errorf("expected ',' or ')' in %s, found %q", name, c)
			}
		}
	}
	f.src = p.s[start:p.pos]
	if n := len(f.args); n < impl.min || impl.max >= 0 && n > impl.max {
		return nil, p.errorf("%s takes %s, got %d", name, impl.arity(), n)
	}
	// The AWS guide and the ASL specification both make the one argument
	// of States.JsonToString a path.
	if name == "States.JsonToString" && f.args[0].kind != argPath {
		return nil, p.errorf("the argument of States.JsonToString must be a path")
	}
	return f, nil
}

// arg parses one argument: a string, number, boolean, null, path or call.
func (p *iparser) arg(depth int) (iarg, error) {
	p.skipSpace()
	if p.pos >= len(p.s) {
		return iarg{}, p.errorf("missing argument")
	}
	switch c := p.s[p.pos]; {
	case c == '\'':
		return p.stringLit()
	case c == '$':
		return p.pathArg()
	case c == '-' || c >= '0' && c <= '9':
		return p.number()
	case strings.HasPrefix(p.s[p.pos:], "States."):
		f, err := p.call(depth + 1)
		return iarg{kind: argCall, call: f}, err
	}
	for _, kw := range [...]struct {
		word string
		val  any
	}{{"true", true}, {"false", false}, {"null", nil}} {
		if strings.HasPrefix(p.s[p.pos:], kw.word) && !p.identAt(p.pos+len(kw.word)) {
			p.pos += len(kw.word)
			return iarg{kind: argLit, lit: kw.val}, nil
		}
	}
	return iarg{}, p.errorf("unexpected %q: arguments are 'strings', numbers, true, false, null, paths or States.* calls", p.s[p.pos:])
}

func (p *iparser) identAt(i int) bool { return i < len(p.s) && isIdentByte(p.s[i]) }

// stringLit parses a quoted literal with the escapes \' \{ \} \\ and records
// where unescaped "{}" placeholders split it.
func (p *iparser) stringLit() (iarg, error) {
	p.pos++ // opening quote
	var cur, all strings.Builder
	var parts []string
	for p.pos < len(p.s) {
		c := p.s[p.pos]
		switch {
		case c == '\'':
			p.pos++
			parts = append(parts, cur.String())
			return iarg{kind: argLit, lit: all.String(), parts: parts}, nil
		case c == '\\' && p.pos+1 < len(p.s) && !strings.ContainsRune(`'{}\`, rune(p.s[p.pos+1])):
			// An open escape: kept as it is, and a runtime error.
			if p.openEscape < 0 {
				p.openEscape = p.pos
			}
			cur.WriteByte(c)
			all.WriteByte(c)
			p.pos++
		case c == '\\':
			if p.pos+1 >= len(p.s) {
				return iarg{}, p.errorf("unterminated string literal")
			}
			cur.WriteByte(p.s[p.pos+1])
			all.WriteByte(p.s[p.pos+1])
			p.pos += 2
		case c == '{' && p.pos+1 < len(p.s) && p.s[p.pos+1] == '}':
			parts = append(parts, cur.String())
			cur.Reset()
			all.WriteString("{}")
			p.pos += 2
		default:
			cur.WriteByte(c)
			all.WriteByte(c)
			p.pos++
		}
	}
	return iarg{}, p.errorf("unterminated string literal")
}

// pathArg reads a path up to the ',' or ')' that ends the argument, skipping
// over brackets, parentheses and quotes inside filters.
func (p *iparser) pathArg() (iarg, error) {
	start, depth := p.pos, 0
	var quote byte
scan:
	for ; p.pos < len(p.s); p.pos++ {
		c := p.s[p.pos]
		switch {
		case quote != 0:
			if c == '\\' {
				p.pos++
			} else if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '[' || c == '(':
			depth++
		case c == ']' || c == ')':
			if depth == 0 {
				break scan
			}
			depth--
		case c == ',' && depth == 0:
			break scan
		}
	}
	src := strings.TrimRight(p.s[start:p.pos], " \t\r\n")
	path, err := compilePath(src, "intrinsic function argument", pathOpts{ctx: true})
	if err != nil {
		return iarg{}, p.errorf("%v", err)
	}
	return iarg{kind: argPath, path: path}, nil
}

// number parses a JSON number: integers become int64, others float64.
func (p *iparser) number() (iarg, error) {
	start := p.pos
	for p.pos < len(p.s) && strings.IndexByte("+-0123456789.eE", p.s[p.pos]) >= 0 {
		p.pos++
	}
	text := p.s[start:p.pos]
	if i, err := strconv.ParseInt(text, 10, 64); err == nil {
		return iarg{kind: argLit, lit: i}, nil
	}
	f, err := strconv.ParseFloat(text, 64)
	if err != nil || strings.ContainsAny(text[1:], "+-") && !strings.ContainsAny(text, "eE") {
		return iarg{}, p.errorf("invalid number %q", text)
	}
	return iarg{kind: argLit, lit: f}, nil
}
