package templatecheck

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"

	"gopkg.in/yaml.v3"
)

// StepField is the payload field in which a Task state names the step its
// workflow's function runs (shared/steps.StepField).
const StepField = "step"

// Registries lists, for each workflow function (by logical ID), the names
// of the steps it runs: shared/steps.Functions, as names.
type Registries map[string][]string

// CheckSteps checks the workflows of the template at root/template.yaml
// against the step registries: every function a state machine invokes is
// a workflow function with a registry, and every registry's function is in
// the template; every Task state invoking one names, as a constant string
// in its payload's StepField, a step of that function's registry; and every
// step of a registry is named by some Task state. It returns the problems
// found, one sentence each.
func CheckSteps(root string, regs Registries) []string {
	t, err := Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		return []string{err.Error()}
	}
	var problems []string
	for id := range regs {
		if str(Get(t.Resources[id], "Type")) != TypeFunction {
			problems = append(problems, fmt.Sprintf("the step registry has %s, which is not a function of the template", id))
		}
	}
	used := map[string]map[string]bool{} // function → steps named
	for _, sm := range t.OfType(TypeStateMachine) {
		r := t.Resources[sm]
		uri := str(Get(r, "Properties", "DefinitionUri"))
		def, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(uri)))
		if err != nil {
			continue // checkStateMachine reports it
		}
		funcs := substitutedFunctions(Get(r, "Properties", "DefinitionSubstitutions"))
		var doc map[string]any
		if err := json.Unmarshal(def, &doc); err != nil {
			continue // checkStateMachine reports it
		}
		for _, task := range taskStates(doc, "") {
			name, ok := placeholderName(task.function)
			if !ok {
				continue // not one of the template's functions
			}
			fn := funcs[name]
			if fn == "" {
				continue // a substitution that is not a function's ARN
			}
			where := fmt.Sprintf("%s: %s, state %s", sm, uri, task.path)
			steps, ok := regs[fn]
			if !ok {
				problems = append(problems, fmt.Sprintf("%s invokes %s, which has no step registry", where, fn))
				continue
			}
			step, problem := stepName(task.payload)
			if problem != "" {
				problems = append(problems, fmt.Sprintf("%s: %s", where, problem))
				continue
			}
			if !slices.Contains(steps, step) {
				problems = append(problems, fmt.Sprintf("%s names the step %q, which %s does not run (its steps: %s)", where, step, fn, strings.Join(sorted(steps), ", ")))
				continue
			}
			if used[fn] == nil {
				used[fn] = map[string]bool{}
			}
			used[fn][step] = true
		}
	}
	for fn, steps := range regs {
		for _, s := range sorted(steps) {
			if !used[fn][s] {
				problems = append(problems, fmt.Sprintf("%s runs the step %q, which no Task state names", fn, s))
			}
		}
	}
	slices.Sort(problems)
	return problems
}

// sorted returns a sorted copy.
func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// substitutedFunctions maps each DefinitionSubstitution whose value is a
// function's ARN (!GetAtt <LogicalId>.Arn) to the function's logical ID.
func substitutedFunctions(subs *yaml.Node) map[string]string {
	funcs := map[string]string{}
	if subs == nil || subs.Kind != yaml.MappingNode {
		return funcs
	}
	for i := 0; i+1 < len(subs.Content); i += 2 {
		v := subs.Content[i+1]
		if v.Tag != "!GetAtt" {
			continue
		}
		var id, attr string
		if v.Kind == yaml.SequenceNode && len(v.Content) == 2 {
			id, attr = v.Content[0].Value, v.Content[1].Value
		} else {
			id, attr, _ = strings.Cut(v.Value, ".")
		}
		if attr == "Arn" {
			funcs[subs.Content[i].Value] = id
		}
	}
	return funcs
}

// placeholderName returns name for a string that is exactly "${name}".
func placeholderName(s string) (string, bool) {
	m := wholePlaceholder.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	return m[1], true
}

var wholePlaceholder = regexp.MustCompile(`^\$\{([^!}][^}]*)\}$`)

// task is a Task state that invokes a Lambda function.
type task struct {
	path     string // the state's name, inside its Parallel or Map states
	function string // the Resource or Parameters.FunctionName
	payload  any    // what the function receives: Parameters or Parameters.Payload
}

// taskStates returns the Task states of a definition (a state machine or a
// Parallel branch or Map processor) that invoke a Lambda function: directly
// (Resource is the function's ARN, the payload Parameters) or through the
// lambda:invoke integrations (Parameters.FunctionName and Payload).
func taskStates(def map[string]any, prefix string) []task {
	states, _ := def["States"].(map[string]any)
	var tasks []task
	for _, name := range sortedKeys(states) {
		st, _ := states[name].(map[string]any)
		path := prefix + name
		switch st["Type"] {
		case "Task":
			res, _ := st["Resource"].(string)
			params, _ := st["Parameters"].(map[string]any)
			if strings.HasPrefix(res, "arn:aws:states:::lambda:invoke") {
				fn, _ := params["FunctionName"].(string)
				tasks = append(tasks, task{path: path, function: fn, payload: params["Payload"]})
			} else {
				tasks = append(tasks, task{path: path, function: res, payload: st["Parameters"]})
			}
		case "Parallel":
			branches, _ := st["Branches"].([]any)
			for i, b := range branches {
				if bm, ok := b.(map[string]any); ok {
					tasks = append(tasks, taskStates(bm, fmt.Sprintf("%s.Branches[%d].", path, i))...)
				}
			}
		case "Map":
			for _, key := range []string{"ItemProcessor", "Iterator"} {
				if p, ok := st[key].(map[string]any); ok {
					tasks = append(tasks, taskStates(p, path+"."+key+".")...)
				}
			}
		}
	}
	return tasks
}

// sortedKeys returns a map's keys, sorted.
func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// stepName returns the constant step a payload names, or why it names none.
func stepName(payload any) (string, string) {
	obj, ok := payload.(map[string]any)
	if !ok {
		return "", fmt.Sprintf("its payload is not an object naming the step (%q)", StepField)
	}
	if _, dynamic := obj[StepField+".$"]; dynamic {
		return "", fmt.Sprintf("its payload takes %q from a path; name the step as a constant", StepField)
	}
	step, ok := obj[StepField].(string)
	if !ok || step == "" {
		return "", fmt.Sprintf("its payload names no step (a constant %q field)", StepField)
	}
	return step, ""
}

// checkMakefileTargets requires every build-<LogicalId> target of the
// Makefile at root to build a function of the template (checkFunction
// requires the other way round), so a function removed from the template
// leaves no build behind.
func (t *Template) checkMakefileTargets(root string) []string {
	if _, err := os.Stat(filepath.Join(root, "Makefile")); err != nil {
		return nil // checkFunction reports a function without its Makefile
	}
	targets, err := makeTargets(root)
	if err != nil {
		return []string{fmt.Sprintf("Makefile: cannot list its targets: %v", err)}
	}
	var problems []string
	for _, target := range targets {
		id, ok := strings.CutPrefix(target, "build-")
		if !ok || id == "" {
			continue
		}
		if str(Get(t.Resources[id], "Type")) != TypeFunction {
			problems = append(problems, fmt.Sprintf("Makefile: %s builds %s, which is not a function of the template", target, id))
		}
	}
	return problems
}

// makeTarget is a target line of `make -p`'s database.
var makeTarget = regexp.MustCompile(`(?m)^([A-Za-z0-9_.-]+):`)

// makeTargets lists the targets the Makefile in dir defines, as make
// reads them (so targets that $(eval …) defines count), sorted.
func makeTargets(dir string) ([]string, error) {
	// -p prints make's database; -q and -n run nothing; the goal names no
	// target, so make stops (with an error) after reading the Makefile.
	cmd := exec.Command("make", "--no-print-directory", "-pnqrR", "-C", dir, "__templatecheck_no_such_target__")
	var out bytes.Buffer
	cmd.Stdout = &out
	_ = cmd.Run()
	if !bytes.Contains(out.Bytes(), []byte("# Make data base")) {
		return nil, fmt.Errorf("make -p printed no database")
	}
	seen := map[string]bool{}
	for _, m := range makeTarget.FindAllSubmatch(out.Bytes(), -1) {
		seen[string(m[1])] = true
	}
	targets := make([]string, 0, len(seen))
	for t := range seen {
		targets = append(targets, t)
	}
	slices.Sort(targets)
	return targets, nil
}
