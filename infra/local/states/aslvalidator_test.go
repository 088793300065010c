package states_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// workflowsDir holds the project's state machine definitions.
const workflowsDir = "../../../workflows"

// placeholder is a DefinitionSubstitutions reference such as
// ${ScreenApplicationFunctionArn}.
var placeholder = regexp.MustCompile(`\$\{([A-Za-z0-9_]+)\}`)

// Every definition in workflows/ passes asl-validator, the npm package
// that checks definitions against the Amazon States Language schema, so
// they are valid ASL independently of this engine's parser.
func TestWorkflowsPassASLValidator(t *testing.T) {
	files, err := filepath.Glob(filepath.Join(workflowsDir, "*.asl.json"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no %s/*.asl.json files: the workflows must exist and be validated", workflowsDir)
	}
	validator := aslValidator(t)
	for _, file := range files {
		t.Run(filepath.Base(file), func(t *testing.T) {
			def, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			// SAM replaces ${…} with ARNs before AWS sees the definition;
			// do the same so the validator's ARN check applies.
			def = placeholder.ReplaceAllFunc(def, substitute)
			if _, err := asl.Parse(def); err != nil {
				t.Errorf("this engine's parser rejects %s: %v", file, err)
			}
			tmp := filepath.Join(t.TempDir(), filepath.Base(file))
			if err := os.WriteFile(tmp, def, 0o600); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command(validator, "--json-path", tmp)
			var out bytes.Buffer
			cmd.Stdout, cmd.Stderr = &out, &out
			if err := cmd.Run(); err != nil {
				t.Errorf("asl-validator rejects %s (%v):\n%s", file, err, out.String())
			}
		})
	}
}

// substitute stands in for a DefinitionSubstitutions value: a function
// ARN, or a state machine ARN for ${…StateMachineArn}.
func substitute(ref []byte) []byte {
	name := strings.TrimSuffix(strings.TrimPrefix(string(ref), "${"), "}")
	if m, ok := strings.CutSuffix(name, "StateMachineArn"); ok {
		return []byte("arn:aws:states:eu-west-2:000000000000:stateMachine:" + strings.ToLower(m))
	}
	return []byte("arn:aws:lambda:eu-west-2:000000000000:function:" + strings.TrimSuffix(name, "Arn"))
}

// aslValidator returns the asl-validator executable: $ASL_VALIDATOR, set
// by the test command; outside CI, installed on demand by the same script.
func aslValidator(t *testing.T) string {
	t.Helper()
	if p := os.Getenv("ASL_VALIDATOR"); p != "" {
		return p
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("ASL_VALIDATOR is not set: run the tests with infra/test.sh, which installs asl-validator")
	}
	cmd := exec.Command("bash", "../../npm-tools/install.sh")
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("installing asl-validator with infra/npm-tools/install.sh: %v\n%s", err, stderr.String())
	}
	return filepath.Join(strings.TrimSpace(string(out)), "asl-validator")
}
