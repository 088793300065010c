package pages_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coopcarepathway/pathway/infra/repotest"
)

// Every page a browser test reaches is checked with axe-core against WCAG
// 2.1 A and AA: the browser helpers (signIn, click, press, visit) call
// b.audit after each page loads, so a new test is checked without asking.
// The test command exports AXE_CORE, the path of axe.min.js that
// infra/npm-tools/install.sh installs; without it the browser tests skip,
// and in CI (CI=true) they fail, like the DynamoDB Local tests.

// axeTags are the rule sets run: WCAG 2.0 and 2.1, levels A and AA.
var axeTags = []string{"wcag2a", "wcag2aa", "wcag21a", "wcag21aa"}

// axeSource reads axe.min.js once for the whole test binary.
var axeSource = sync.OnceValues(func() (string, error) {
	p := os.Getenv("AXE_CORE")
	if p == "" {
		return "", nil
	}
	b, err := os.ReadFile(p)
	return string(b), err
})

// axeScript returns axe-core's source, skipping the test (failing it in
// CI) when AXE_CORE is not set.
func axeScript(t *testing.T) string {
	t.Helper()
	src, err := axeSource()
	if err != nil {
		t.Fatalf("reading AXE_CORE: %v", err)
	}
	if src == "" {
		// A checkout that ran the install script has it in the shared cache.
		matches, _ := filepath.Glob(filepath.Join(repotest.Root(t), ".cache", "npm-tools-*", "node_modules", "axe-core", "axe.min.js"))
		if len(matches) > 0 {
			b, err := os.ReadFile(matches[len(matches)-1])
			if err == nil {
				return string(b)
			}
		}
	}
	if src == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("AXE_CORE is not set: infra/test.sh installs axe-core with infra/npm-tools/install.sh and exports its path")
		}
		t.Skip("AXE_CORE is not set (the path of axe.min.js; infra/test.sh sets it)")
	}
	return src
}

// mark marks the page shown, so settle can tell when another replaces it.
func (b *browser) mark() {
	b.t.Helper()
	get(b, "mark the page", chromedp.Evaluate[bool](`window.__seen = true`))
}

// settle waits until a click's page has replaced the marked one and has
// loaded, then checks it with axe-core. Every click the tests make loads a
// page; one that does not (a link within the page) settles after the time
// limit, which is long because a busy machine can be slow to answer.
func (b *browser) settle() {
	b.t.Helper()
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
		loaded, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.__seen !== true && document.readyState === "complete"`))
		cancel()
		if err == nil && loaded {
			break
		}
	}
	b.run("wait for the page", chromedp.WaitReady(chromedp.CSS("body")))
	b.audit()
}

// axeViolation is the part of an axe-core violation a failure shows.
type axeViolation struct {
	ID     string `json:"id"`
	Impact string `json:"impact"`
	Help   string `json:"help"`
	Nodes  []struct {
		Target []any `json:"target"`
	} `json:"nodes"`
}

// audit runs axe-core on the page the browser shows and fails the test
// with every WCAG 2.1 A or AA violation: rule, impact, where and what to
// do.
func (b *browser) audit() {
	b.t.Helper()
	where := b.location().Path
	for _, v := range b.violations() {
		b.t.Errorf("axe-core on %s at %dpx: %s", where, b.width, v)
	}
	b.audited[where] = true
}

// violations runs axe-core on the page and returns its violations, each
// as "rule (impact): help; at selectors".
func (b *browser) violations() []string {
	b.t.Helper()
	if !get(b, "look for axe-core", chromedp.Evaluate[bool](`typeof axe !== "undefined"`)) {
		get(b, "inject axe-core", chromedp.Evaluate[bool](b.axe+"\n;true"))
	}
	tags, _ := json.Marshal(axeTags)
	script := `axe.run(document, {runOnly: {type: "tag", values: ` + string(tags) + `}, resultTypes: ["violations"]})
		.then(r => JSON.stringify(r.violations))`
	raw := get(b, "run axe-core", chromedp.Evaluate[string](script, chromedp.EvalAwaitPromise))
	var vs []axeViolation
	if err := json.Unmarshal([]byte(raw), &vs); err != nil {
		b.t.Fatalf("axe-core's answer: %v", err)
	}
	var out []string
	for _, v := range vs {
		var targets []string
		for _, n := range v.Nodes {
			targets = append(targets, fmt.Sprint(n.Target...))
		}
		out = append(out, fmt.Sprintf("%s (%s): %s; at %s", v.ID, v.Impact, v.Help, strings.Join(targets, ", ")))
	}
	return out
}

// TestBrowserAxeFindsViolations proves the check can fail: a page given an
// image without a text alternative and a field without a label has both
// reported.
func TestBrowserAxeFindsViolations(t *testing.T) {
	v := newEnv(t)
	b := v.newBrowser(t, 1280, 800)
	b.visit("/glossary")
	get(b, "spoil the page", chromedp.Evaluate[bool](`(() => {
		const m = document.querySelector("main");
		m.insertAdjacentHTML("beforeend", '<img src="/nothing.png"><input type="text" id="unlabelled">');
		return true })()`))
	got := strings.Join(b.violations(), "\n")
	for _, rule := range []string{"image-alt (critical)", "label (critical)", "#unlabelled"} {
		if !strings.Contains(got, rule) {
			t.Errorf("axe-core did not report %q; it reported:\n%s", rule, got)
		}
	}
}
