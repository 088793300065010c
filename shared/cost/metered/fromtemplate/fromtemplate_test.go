package fromtemplate_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/cost/metered/fromtemplate"
)

// TestProjectTemplate reads the functions' memory from the project's own
// template.yaml: every function takes Globals' 256 MB today.
func TestProjectTemplate(t *testing.T) {
	for _, id := range []string{"ApiFunction", "ApplicationFunction", "RegistrationFunction", "GrantFunction", "TenderFunction"} {
		mb, err := fromtemplate.File("../../../../template.yaml", id)
		if err != nil || mb != 256 {
			t.Errorf("%s: %d MB, %v; want 256", id, mb, err)
		}
	}
}

func TestMemoryRules(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		want      int
		err       bool
	}{
		{"own", "Globals: {Function: {MemorySize: 256}}\nResources: {F: {Properties: {MemorySize: 1024}}}", 1024, false},
		{"globals", "Globals: {Function: {MemorySize: 512}}\nResources: {F: {Properties: {}}}", 512, false},
		{"Lambda's default", "Resources: {F: {Type: AWS::Serverless::Function}}", 128, false},
		{"missing function", "Resources: {G: {}}", 0, true},
		{"not a number", "Resources: {F: {Properties: {MemorySize: lots}}}", 0, true},
	} {
		got, err := fromtemplate.MemoryMB([]byte(tc.src), "F")
		if got != tc.want || (err != nil) != tc.err {
			t.Errorf("%s: %d, %v; want %d (error %v)", tc.name, got, err, tc.want, tc.err)
		}
	}
}
