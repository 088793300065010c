// Package templatecheck checks that template.yaml and the repository agree:
// every function has its code, its Makefile target and explicit policies,
// and every Makefile target its function; every state machine has its
// definition file, every ${…} in a definition has a substitution, and every
// reference names something that exists.
//
// CheckSteps checks the workflows' Task states against the step registries.
// `sam validate` needs AWS credentials and a network; these checks need
// neither, so they run in every test run.
package templatecheck

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// Resource types the checks look at.
const (
	TypeFunction     = "AWS::Serverless::Function"
	TypeStateMachine = "AWS::Serverless::StateMachine"
)

// Template is a parsed template.yaml.
type Template struct {
	// Root is the document's top mapping.
	Root *yaml.Node
	// Resources maps logical IDs to their definitions.
	Resources map[string]*yaml.Node
	// Parameters holds the names of the template's parameters.
	Parameters map[string]bool
}

// Load parses the template at path. CloudFormation's short tags (!Ref,
// !Sub, !GetAtt, …) stay on the nodes, where the checks read them.
func Load(path string) (*Template, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(b, &doc); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) != 1 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, fmt.Errorf("%s: not a YAML mapping", path)
	}
	t := &Template{Root: doc.Content[0], Resources: map[string]*yaml.Node{}, Parameters: map[string]bool{}}
	if res := Get(t.Root, "Resources"); res != nil {
		for i := 0; i+1 < len(res.Content); i += 2 {
			t.Resources[res.Content[i].Value] = res.Content[i+1]
		}
	}
	if ps := Get(t.Root, "Parameters"); ps != nil {
		for i := 0; i+1 < len(ps.Content); i += 2 {
			t.Parameters[ps.Content[i].Value] = true
		}
	}
	return t, nil
}

// Get returns the value under the keys in nested mappings, or nil.
func Get(n *yaml.Node, keys ...string) *yaml.Node {
	for _, k := range keys {
		if n == nil || n.Kind != yaml.MappingNode {
			return nil
		}
		var next *yaml.Node
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == k {
				next = n.Content[i+1]
				break
			}
		}
		n = next
	}
	return n
}

// str returns the scalar value of n, or "".
func str(n *yaml.Node) string {
	if n == nil || n.Kind != yaml.ScalarNode {
		return ""
	}
	return n.Value
}

// OfType returns the logical IDs of the resources of a type, sorted.
func (t *Template) OfType(typ string) []string {
	var ids []string
	for id, r := range t.Resources {
		if str(Get(r, "Type")) == typ {
			ids = append(ids, id)
		}
	}
	slices.Sort(ids)
	return ids
}

// Check runs every check of the template at root/template.yaml against the
// repository at root and returns the problems found, one sentence each.
func Check(root string) []string {
	t, err := Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	problems = append(problems, t.checkGlobals()...)
	problems = append(problems, t.checkReferences()...)
	for _, id := range t.OfType(TypeFunction) {
		problems = append(problems, t.checkFunction(root, id)...)
	}
	for _, id := range t.OfType(TypeStateMachine) {
		problems = append(problems, t.checkStateMachine(root, id)...)
	}
	problems = append(problems, t.checkFunctionDirs(root)...)
	problems = append(problems, t.checkMakefileTargets(root)...)
	problems = append(problems, t.checkRoutes()...)
	return problems
}

// FunctionPackages returns, for each function whose Makefile target builds
// a package, that package relative to the repository root (for example
// "functions/api"), by asking make what build-<LogicalId> would run.
func (t *Template) FunctionPackages(root string) map[string]string {
	pkgs := map[string]string{}
	for _, id := range t.OfType(TypeFunction) {
		dir := filepath.Join(root, filepath.FromSlash(str(Get(t.Resources[id], "Properties", "CodeUri"))))
		recipe, err := makeRecipe(dir, id)
		if err != nil {
			continue
		}
		if m := goBuildPackage.FindStringSubmatch(recipe); m != nil {
			abs := filepath.Join(dir, m[1])
			if rel, err := filepath.Rel(root, abs); err == nil {
				pkgs[id] = filepath.ToSlash(rel)
			}
		}
	}
	return pkgs
}

// checkFunctionDirs requires every functions/<dir> with a main.go to be
// built by exactly one function of the template: a step's code that no
// function deploys, or deploys twice, is a mistake either way.
func (t *Template) checkFunctionDirs(root string) []string {
	entries, err := os.ReadDir(filepath.Join(root, "functions"))
	if err != nil {
		return nil // a repository without functions/ has nothing to check here
	}
	builtBy := map[string][]string{}
	for id, pkg := range t.FunctionPackages(root) {
		builtBy[pkg] = append(builtBy[pkg], id)
	}
	var problems []string
	for _, e := range entries {
		if _, err := os.Stat(filepath.Join(root, "functions", e.Name(), "main.go")); !e.IsDir() || err != nil {
			continue
		}
		ids := builtBy["functions/"+e.Name()]
		slices.Sort(ids)
		switch len(ids) {
		case 0:
			problems = append(problems, fmt.Sprintf("functions/%s is built by no function of the template", e.Name()))
		case 1:
		default:
			problems = append(problems, fmt.Sprintf("functions/%s is built by more than one function: %s", e.Name(), strings.Join(ids, ", ")))
		}
	}
	return problems
}

// checkGlobals requires the runtime every function is built for.
func (t *Template) checkGlobals() []string {
	var problems []string
	fn := Get(t.Root, "Globals", "Function")
	if got := str(Get(fn, "Runtime")); got != "provided.al2023" {
		problems = append(problems, fmt.Sprintf("Globals.Function.Runtime is %q, want provided.al2023", got))
	}
	if got := str(Get(fn, "Handler")); got != "bootstrap" {
		problems = append(problems, fmt.Sprintf("Globals.Function.Handler is %q, want bootstrap", got))
	}
	arch := Get(fn, "Architectures")
	if arch == nil || arch.Kind != yaml.SequenceNode || len(arch.Content) != 1 || arch.Content[0].Value != "arm64" {
		problems = append(problems, "Globals.Function.Architectures must be [arm64]")
	}
	return problems
}

// checkFunction checks one function's code, build target and policies.
func (t *Template) checkFunction(root, id string) []string {
	var problems []string
	r := t.Resources[id]
	if rt := str(Get(r, "Properties", "Runtime")); rt != "" && rt != "provided.al2023" {
		problems = append(problems, fmt.Sprintf("%s: Runtime %q overrides provided.al2023", id, rt))
	}
	codeURI := str(Get(r, "Properties", "CodeUri"))
	dir := filepath.Join(root, filepath.FromSlash(codeURI))
	if codeURI == "" {
		problems = append(problems, id+": no CodeUri")
	} else if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
		problems = append(problems, fmt.Sprintf("%s: CodeUri %q is not a directory", id, codeURI))
	}
	if m := str(Get(r, "Metadata", "BuildMethod")); m != "makefile" {
		problems = append(problems, fmt.Sprintf("%s: Metadata.BuildMethod is %q, want makefile", id, m))
	} else if codeURI != "" {
		problems = append(problems, checkMakeTarget(root, dir, id)...)
	}
	problems = append(problems, checkPolicies(id, Get(r, "Properties", "Policies"))...)
	return problems
}

// goBuildPackage finds the package a `go build … -o …/bootstrap ./pkg` line builds.
var goBuildPackage = regexp.MustCompile(`go build .*-o \S*bootstrap"? (\./\S+)`)

// checkMakeTarget asks make what build-<id> would do (without doing it) and
// checks that it builds a Linux arm64 bootstrap into ARTIFACTS_DIR from a
// package that exists.
func checkMakeTarget(root, dir, id string) []string {
	if _, err := os.Stat(filepath.Join(dir, "Makefile")); err != nil {
		return []string{fmt.Sprintf("%s: no Makefile in its CodeUri %s", id, dir)}
	}
	recipe, err := makeRecipe(dir, id)
	if err != nil {
		return []string{fmt.Sprintf("%s: make build-%s fails: %v", id, id, err)}
	}
	var problems []string
	for _, want := range []string{"GOOS=linux", "GOARCH=arm64", "CGO_ENABLED=0", "-tags lambda.norpc", artifacts + "/bootstrap"} {
		if !strings.Contains(recipe, want) {
			problems = append(problems, fmt.Sprintf("%s: make build-%s does not use %s: %s", id, id, want, recipe))
		}
	}
	m := goBuildPackage.FindStringSubmatch(recipe)
	if m == nil {
		return append(problems, fmt.Sprintf("%s: make build-%s runs no go build of a package: %s", id, id, recipe))
	}
	if fi, err := os.Stat(filepath.Join(dir, m[1], "main.go")); err != nil || fi.IsDir() {
		problems = append(problems, fmt.Sprintf("%s: make build-%s builds %s, which has no main.go", id, id, m[1]))
	}
	return problems
}

// artifacts is the ARTIFACTS_DIR the checks pass to make.
const artifacts = "/artifacts-dir-check"

// makeRecipe returns what `make build-<id>` would run in dir, without
// running it.
func makeRecipe(dir, id string) (string, error) {
	cmd := exec.Command("make", "--no-print-directory", "-n", "-C", dir, "build-"+id, "ARTIFACTS_DIR="+artifacts)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("%w: %s", err, strings.TrimSpace(out.String()))
	}
	return out.String(), nil
}

// checkPolicies requires explicit IAM statements without wildcard actions,
// so each function is granted only what it uses and a reviewer sees it all
// in the template.
func checkPolicies(id string, policies *yaml.Node) []string {
	if policies == nil || policies.Kind != yaml.SequenceNode || len(policies.Content) == 0 {
		return []string{id + ": no Policies (each function lists the IAM statements it needs)"}
	}
	var problems []string
	for i, p := range policies.Content {
		stmts := Get(p, "Statement")
		if stmts == nil || stmts.Kind != yaml.SequenceNode || len(stmts.Content) == 0 {
			problems = append(problems, fmt.Sprintf("%s: Policies[%d] is not a policy document with explicit statements", id, i))
			continue
		}
		for j, s := range stmts.Content {
			actions := Get(s, "Action")
			if actions == nil {
				problems = append(problems, fmt.Sprintf("%s: Policies[%d].Statement[%d] has no Action", id, i, j))
				continue
			}
			list := []*yaml.Node{actions}
			if actions.Kind == yaml.SequenceNode {
				list = actions.Content
			}
			for _, a := range list {
				if strings.Contains(a.Value, "*") {
					problems = append(problems, fmt.Sprintf("%s: Policies[%d].Statement[%d] grants the wildcard action %q", id, i, j, a.Value))
				}
			}
			if Get(s, "Resource") == nil {
				problems = append(problems, fmt.Sprintf("%s: Policies[%d].Statement[%d] has no Resource", id, i, j))
			}
		}
	}
	return problems
}

// placeholder finds ${name} in a definition; ${!…} is CloudFormation's escape.
var placeholder = regexp.MustCompile(`\$\{([^!}][^}]*)\}`)

// checkStateMachine checks that the definition file exists and that its
// placeholders and the DefinitionSubstitutions match one to one.
func (t *Template) checkStateMachine(root, id string) []string {
	r := t.Resources[id]
	uri := str(Get(r, "Properties", "DefinitionUri"))
	if uri == "" {
		return []string{id + ": no DefinitionUri (definitions live in workflows/, one file each)"}
	}
	def, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(uri)))
	if err != nil {
		return []string{fmt.Sprintf("%s: DefinitionUri %q: %v", id, uri, err)}
	}
	var problems []string
	// One long-running execution per co-op and phase needs STANDARD:
	// EXPRESS executions last five minutes and cannot wait for a task token.
	if typ := str(Get(r, "Properties", "Type")); typ != "STANDARD" {
		problems = append(problems, fmt.Sprintf("%s: Type is %q, want STANDARD", id, typ))
	}
	// The placeholders are plain strings to the parser, so the file can be
	// checked as it is stored.
	if _, err := asl.Parse(def); err != nil {
		problems = append(problems, fmt.Sprintf("%s: %s is not a valid definition: %v", id, uri, err))
	}
	subs := map[string]bool{}
	if m := Get(r, "Properties", "DefinitionSubstitutions"); m != nil {
		for i := 0; i+1 < len(m.Content); i += 2 {
			subs[m.Content[i].Value] = true
		}
	}
	used := map[string]bool{}
	for _, m := range placeholder.FindAllStringSubmatch(string(def), -1) {
		name := m[1]
		if !used[name] && !subs[name] {
			problems = append(problems, fmt.Sprintf("%s: %s uses ${%s}, which has no DefinitionSubstitution", id, uri, name))
		}
		used[name] = true
	}
	for name := range subs {
		if !used[name] {
			problems = append(problems, fmt.Sprintf("%s: DefinitionSubstitution %s is not used in %s", id, name, uri))
		}
	}
	slices.Sort(problems)
	return problems
}

// checkReferences requires every !Ref, !GetAtt and ${…} in a !Sub anywhere
// in the template to name a resource, a parameter, a pseudo parameter or a
// resource SAM generates.
func (t *Template) checkReferences() []string {
	var problems []string
	var walk func(path string, n *yaml.Node)
	walk = func(path string, n *yaml.Node) {
		for _, name := range referencedNames(n) {
			if !t.defines(name) {
				problems = append(problems, fmt.Sprintf("%s: %s refers to %q, which does not exist", path, n.Tag, name))
			}
		}
		switch n.Kind {
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(path+"."+n.Content[i].Value, n.Content[i+1])
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(fmt.Sprintf("%s[%d]", path, i), c)
			}
		}
	}
	walk("template", t.Root)
	return problems
}

// referencedNames returns the logical names a tagged node refers to.
func referencedNames(n *yaml.Node) []string {
	switch n.Tag {
	case "!Ref":
		return []string{n.Value}
	case "!GetAtt":
		if n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
			return []string{n.Content[0].Value}
		}
		name, _, _ := strings.Cut(n.Value, ".")
		return []string{name}
	case "!Sub":
		text, vars := n.Value, map[string]bool{}
		if n.Kind == yaml.SequenceNode && len(n.Content) > 0 {
			text = n.Content[0].Value
			if len(n.Content) > 1 {
				for i := 0; i+1 < len(n.Content[1].Content); i += 2 {
					vars[n.Content[1].Content[i].Value] = true
				}
			}
		}
		var names []string
		for _, m := range placeholder.FindAllStringSubmatch(text, -1) {
			name, _, _ := strings.Cut(m[1], ".")
			if !vars[m[1]] {
				names = append(names, name)
			}
		}
		return names
	}
	return nil
}

// samGenerated are the suffixes of resources SAM adds for a resource of
// the given type (a function's role, a state machine's role).
var samGenerated = map[string][]string{
	TypeFunction:     {"Role"},
	TypeStateMachine: {"Role"},
}

// defines reports whether a name can be referred to in the template.
func (t *Template) defines(name string) bool {
	if strings.HasPrefix(name, "AWS::") || t.Parameters[name] || t.Resources[name] != nil {
		return true
	}
	for id, r := range t.Resources {
		for _, suffix := range samGenerated[str(Get(r, "Type"))] {
			if name == id+suffix {
				return true
			}
		}
	}
	return false
}
