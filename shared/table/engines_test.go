package table_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// domainWords are words of the application's records. The engines under
// the port must know nothing of what the items mean: every access pattern
// lives once, in shared/store.
var domainWords = regexp.MustCompile(`(?i)\b(co-?ops?|tasks?|checklists?|programmes?|founders?|stages?|inbox(es)?|pipelines?|agenc(y|ies)|funders?|councils?|tenders?|grants?|bids?|events?)\b`)

// TestEnginesHoldNoDomainWords reads the engines' source (tests too) and
// fails on any domain word outside the module path.
func TestEnginesHoldNoDomainWords(t *testing.T) {
	for _, dir := range []string{"../embedded", "../dynamo", "../dynamo/dynamotest"} {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(files) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, f := range files {
			b, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			for i, line := range strings.Split(string(b), "\n") {
				line = strings.ReplaceAll(line, "coopcarepathway", "")
				if m := domainWords.FindString(line); m != "" {
					t.Errorf("%s:%d: domain word %q: %s", f, i+1, m, strings.TrimSpace(line))
				}
			}
		}
	}
}
