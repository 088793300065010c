package pathway_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestVerificationCoop(t *testing.T) {
	for _, tc := range []struct {
		id, coop string
		ok       bool
	}{
		{pathway.VerificationTaskID("coop-a"), "coop-a", true},
		{"verify-", "", false},
		{"task-panel-1", "", false},
		{"", "", false},
	} {
		coop, ok := pathway.VerificationCoop(tc.id)
		if coop != tc.coop || ok != tc.ok {
			t.Errorf("VerificationCoop(%q) = %q, %v; want %q, %v", tc.id, coop, ok, tc.coop, tc.ok)
		}
	}
}
