package asl

import (
	"fmt"
	"strings"
)

type tkind uint8

const (
	tLiteral tkind = iota // a static value, shared between evaluations
	tObject
	tArray
	tPath
	tCall
)

// tnode is one compiled node of a payload template.
type tnode struct {
	kind   tkind
	lit    any
	fields []tfield
	items  []*tnode
	path   Path
	call   *Intrinsic
}

type tfield struct {
	key  string
	node *tnode
}

// Template is a compiled payload template (Parameters, ResultSelector,
// ItemSelector): keys ending ".$" hold paths, context paths ("$$...") or
// intrinsic function calls, evaluated per run; static parts are built once.
// Values it returns may share static parts with the template and with the
// input, so callers must treat them as immutable.
type Template struct {
	root *tnode
}

// compileTemplate compiles a template object; field names the definition
// field for error messages.
func compileTemplate(v any, field string) (*Template, error) {
	if _, ok := v.(map[string]any); !ok {
		return nil, fmt.Errorf("%s must be an object, got %s", field, typeName(v))
	}
	root, err := compileNode(v, field)
	if err != nil {
		return nil, err
	}
	return &Template{root: root}, nil
}

func compileNode(v any, where string) (*tnode, error) {
	switch t := v.(type) {
	case map[string]any:
		n := &tnode{kind: tObject}
		static := true
		seen := make(map[string]bool, len(t))
		for k, fv := range t {
			child, err := compileField(k, fv, where)
			if err != nil {
				return nil, err
			}
			if seen[child.key] {
				return nil, fmt.Errorf("%s: the field %q appears both with and without '.$'", where, child.key)
			}
			seen[child.key] = true
			static = static && child.node.kind == tLiteral
			n.fields = append(n.fields, child)
		}
		if static {
			return &tnode{kind: tLiteral, lit: v}, nil
		}
		return n, nil
	case []any:
		n := &tnode{kind: tArray}
		static := true
		for i, iv := range t {
			child, err := compileNode(iv, fmt.Sprintf("%s[%d]", where, i))
			if err != nil {
				return nil, err
			}
			static = static && child.kind == tLiteral
			n.items = append(n.items, child)
		}
		if static {
			return &tnode{kind: tLiteral, lit: v}, nil
		}
		return n, nil
	}
	return &tnode{kind: tLiteral, lit: v}, nil
}

// compileField compiles one object member; a ".$" key's value must be a
// path or an intrinsic call, and the key loses its ".$" suffix.
func compileField(k string, v any, where string) (tfield, error) {
	name, dynamic := strings.CutSuffix(k, ".$")
	at := where + "." + k
	if !dynamic {
		n, err := compileNode(v, at)
		return tfield{key: k, node: n}, err
	}
	s, ok := v.(string)
	if !ok {
		return tfield{}, fmt.Errorf("%s: a field ending in '.$' must hold a path or intrinsic function string, got %s", at, typeName(v))
	}
	if strings.HasPrefix(s, "States.") {
		fn, err := CompileIntrinsic(s)
		if err != nil {
			return tfield{}, fmt.Errorf("%s: %v", at, err)
		}
		return tfield{key: name, node: &tnode{kind: tCall, call: fn}}, nil
	}
	p, err := compilePath(s, at, pathOpts{ctx: true})
	if err != nil {
		return tfield{}, fmt.Errorf("%s: %v", at, err)
	}
	return tfield{key: name, node: &tnode{kind: tPath, path: p}}, nil
}

// Eval builds the payload for input and the context object ctx.
func (t *Template) Eval(input, ctx any) (any, error) {
	return t.root.eval(input, ctx)
}

func (n *tnode) eval(input, ctx any) (any, error) {
	switch n.kind {
	case tLiteral:
		return n.lit, nil
	case tPath:
		return n.path.Get(input, ctx)
	case tCall:
		return n.call.Eval(input, ctx)
	case tArray:
		out := make([]any, len(n.items))
		for i, item := range n.items {
			v, err := item.eval(input, ctx)
			if err != nil {
				return nil, err
			}
			out[i] = v
		}
		return out, nil
	}
	out := make(map[string]any, len(n.fields))
	for i := range n.fields {
		f := &n.fields[i]
		v, err := f.node.eval(input, ctx)
		if err != nil {
			return nil, err
		}
		out[f.key] = v
	}
	return out, nil
}
