package states

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"
)

// Resource types LoadTemplate understands.
const (
	typeFunction     = "AWS::Serverless::Function"
	typeStateMachine = "AWS::Serverless::StateMachine"
)

// LoadTemplate registers every AWS::Serverless::StateMachine of a SAM
// template: it reads the DefinitionUri file (relative to the template),
// replaces its ${Name} placeholders from DefinitionSubstitutions and adds
// the machine under the file's base name without ".asl.json" (so
// workflows/application.asl.json is "application"). A substitution that is
// !GetAtt X.Arn or !Ref X of a function becomes FunctionARN(X), X being
// the function's logical ID (register its handler under that name first);
// of a state machine, that machine's ARN; plain strings stay as they are.
func (e *Engine) LoadTemplate(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	root := &doc
	if root.Kind == yaml.DocumentNode && len(root.Content) > 0 {
		root = root.Content[0]
	}
	res := mapGet(root, "Resources")
	if res == nil || res.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: no Resources", path)
	}
	t := &samTemplate{e: e, dir: filepath.Dir(path), types: map[string]string{}, props: map[string]*yaml.Node{}}
	var ids []string
	for i := 0; i+1 < len(res.Content); i += 2 {
		id, r := res.Content[i].Value, res.Content[i+1]
		t.types[id] = scalar(mapGet(r, "Type"))
		t.props[id] = mapGet(r, "Properties")
		if t.types[id] == typeStateMachine {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	var errs []error
	for _, id := range ids {
		if err := t.addMachine(id); err != nil {
			errs = append(errs, fmt.Errorf("%s: resource %s: %w", path, id, err))
		}
	}
	return errors.Join(errs...)
}

// samTemplate is a template being loaded.
type samTemplate struct {
	e     *Engine
	dir   string
	types map[string]string     // resource type by logical ID
	props map[string]*yaml.Node // Properties by logical ID
}

// machineName is the name of a state machine resource: its
// DefinitionUri's base name without .asl.json (or .json).
func (t *samTemplate) machineName(id string) (string, error) {
	uri := scalar(mapGet(t.props[id], "DefinitionUri"))
	if uri == "" {
		return "", errors.New("DefinitionUri is missing (the local engine needs the definition in a file)")
	}
	base := filepath.Base(uri)
	base = strings.TrimSuffix(strings.TrimSuffix(base, ".json"), ".asl")
	return base, nil
}

// placeholder matches ${Name} in a definition.
var placeholder = regexp.MustCompile(`\$\{([^}]*)\}`)

// addMachine loads one state machine resource.
func (t *samTemplate) addMachine(id string) error {
	name, err := t.machineName(id)
	if err != nil {
		return err
	}
	uri := scalar(mapGet(t.props[id], "DefinitionUri"))
	def, err := os.ReadFile(filepath.Join(t.dir, filepath.FromSlash(uri)))
	if err != nil {
		return fmt.Errorf("DefinitionUri: %w", err)
	}
	subs := map[string]string{}
	if s := mapGet(t.props[id], "DefinitionSubstitutions"); s != nil {
		for i := 0; i+1 < len(s.Content); i += 2 {
			v, err := t.value(s.Content[i+1])
			if err != nil {
				return fmt.Errorf("DefinitionSubstitutions.%s: %w", s.Content[i].Value, err)
			}
			subs[s.Content[i].Value] = v
		}
	}
	var missing []string
	out := placeholder.ReplaceAllStringFunc(string(def), func(m string) string {
		k := m[2 : len(m)-1]
		if v, ok := subs[k]; ok {
			return v
		}
		missing = append(missing, m)
		return m
	})
	if len(missing) > 0 {
		return fmt.Errorf("DefinitionSubstitutions has no value for %s in %s", strings.Join(missing, ", "), uri)
	}
	_, err = t.e.AddStateMachine(name, []byte(out))
	return err
}

// value resolves a substitution value: a string, !Ref, !GetAtt or !Sub in
// short or long form.
func (t *samTemplate) value(n *yaml.Node) (string, error) {
	switch {
	case n.Tag == "!Ref":
		return t.ref(n.Value, "")
	case n.Tag == "!GetAtt":
		return t.getAtt(n)
	case n.Tag == "!Sub":
		return t.sub(scalar(n))
	case n.Kind == yaml.MappingNode && len(n.Content) == 2:
		switch n.Content[0].Value {
		case "Ref":
			return t.ref(n.Content[1].Value, "")
		case "Fn::GetAtt":
			return t.getAtt(n.Content[1])
		case "Fn::Sub":
			return t.sub(scalar(n.Content[1]))
		}
	case n.Kind == yaml.ScalarNode:
		return n.Value, nil
	}
	return "", fmt.Errorf("unsupported value (line %d)", n.Line)
}

// getAtt resolves X.Arn given as "X.Arn" or [X, Arn].
func (t *samTemplate) getAtt(n *yaml.Node) (string, error) {
	var id, attr string
	if n.Kind == yaml.SequenceNode && len(n.Content) == 2 {
		id, attr = n.Content[0].Value, n.Content[1].Value
	} else {
		id, attr, _ = strings.Cut(n.Value, ".")
	}
	return t.ref(id, attr)
}

// ref resolves a reference to resource id (attr "" for !Ref).
func (t *samTemplate) ref(id, attr string) (string, error) {
	switch id {
	case "AWS::Region":
		return t.e.opts.Region, nil
	case "AWS::AccountId":
		return t.e.opts.Account, nil
	case "AWS::Partition":
		return "aws", nil
	}
	switch t.types[id] {
	case typeFunction:
		if attr == "" || attr == "Arn" {
			return t.e.FunctionARN(id), nil
		}
	case typeStateMachine:
		name, err := t.machineName(id)
		if err != nil {
			return "", err
		}
		switch attr {
		case "", "Arn":
			return t.e.StateMachineARN(name), nil
		case "Name":
			return name, nil
		}
	case "":
		return "", fmt.Errorf("no resource %s in the template", id)
	}
	if attr == "" {
		return id, nil
	}
	return "", fmt.Errorf("cannot resolve %s.%s (%s) locally", id, attr, t.types[id])
}

// sub resolves ${X} and ${X.Attr} references in a !Sub string.
func (t *samTemplate) sub(s string) (string, error) {
	var firstErr error
	out := placeholder.ReplaceAllStringFunc(s, func(m string) string {
		id, attr, _ := strings.Cut(m[2:len(m)-1], ".")
		v, err := t.ref(id, attr)
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return v
	})
	return out, firstErr
}

// mapGet returns the value of key in a mapping node, or nil.
func mapGet(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i+1]
		}
	}
	return nil
}

// scalar is a scalar node's value, "" otherwise.
func scalar(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}
