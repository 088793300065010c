package pages_test

import (
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coopcarepathway/pathway/infra/repotest"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The browser tests drive Debian's chromium through chromedp, as a person
// would: signing in on the local sign-in page, clicking labels and links,
// typing into fields and pressing buttons. Each saves a screenshot of its
// last page in screenshots/ at the root of the checkout (git-ignored).

// chromiumPath finds the browser. In CI (CI=true) a missing browser fails
// the test: the test command installs it, so its absence is a broken set-up.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if _, err := os.Stat("/usr/bin/chromium"); err == nil {
		return "/usr/bin/chromium"
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("chromium is not installed; infra/test.sh installs it with apt-get install -y chromium")
	}
	t.Skip("chromium is not installed (apt-get install -y chromium); the test command installs it")
	return ""
}

// browser is a headless chromium tab on the test server.
type browser struct {
	t    *testing.T
	ctx  context.Context
	base string
	// axe is axe-core's source; width the window's; audited the paths
	// axe-core has checked.
	axe     string
	width   int64
	audited map[string]bool
}

// newBrowser starts chromium with a new empty profile.
func (v *env) newBrowser(t *testing.T, width, height int64) *browser {
	t.Helper()
	axe := axeScript(t)
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath(t)),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.WindowSize(int(width), int(height)),
	}
	// Chromium sometimes exits while starting on a loaded machine (many
	// browsers at once, little shared memory): starting it is set-up, not
	// what is tested, so a failed start is tried again, twice at most.
	var err error
	for attempt := range 3 {
		actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), append(opts, chromedp.UserDataDir(t.TempDir()))...)
		ctx, cancel := chromedp.NewContext(actx)
		if err = chromedp.Do(ctx, chromedp.EmulateViewport(width, height)); err == nil {
			t.Cleanup(func() { cancel(); cancelAlloc() })
			return &browser{t: t, ctx: ctx, base: v.srv.URL, axe: axe, width: width, audited: map[string]bool{}}
		}
		cancel()
		cancelAlloc()
		t.Logf("start chromium (attempt %d): %v", attempt+1, err)
	}
	t.Fatalf("start chromium: %v", err)
	return nil
}

// run runs actions with a time limit, failing the test on error.
func (b *browser) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		b.shot("failed-" + strings.ReplaceAll(b.t.Name(), "/", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
}

// signIn signs in on the local sign-in page as the named demo user.
func (b *browser) signIn(name string) {
	b.t.Helper()
	b.run("sign in as "+name,
		chromedp.Navigate(b.base+"/"),
		chromedp.WaitVisible(`//h1[contains(., "Sign in")]`),
		chromedp.Click(`//button[contains(., "Sign in as `+name+`")]`),
		chromedp.WaitVisible(chromedp.CSS(`h1`)),
	)
	b.audit()
}

// visit opens the page at the path and checks it with axe-core.
func (b *browser) visit(path string) {
	b.t.Helper()
	b.run("open "+path, chromedp.Navigate(b.base+path), chromedp.WaitReady(chromedp.CSS("body")))
	b.audit()
}

// click clicks the element the XPath finds and waits for the next page.
func (b *browser) click(xpath string) {
	b.t.Helper()
	b.mark()
	b.run("click "+xpath, chromedp.Click(xpath))
	b.settle()
}

// label clicks the label with the text (radios and checkboxes).
func (b *browser) label(text string) {
	b.t.Helper()
	b.run("choose "+text, chromedp.Click(`//label[contains(., "`+text+`")]`))
}

// fill types into the field with the id.
func (b *browser) fill(id, text string) {
	b.t.Helper()
	get(b, "clear #"+id, chromedp.Evaluate[bool](`(e => { e.value = ""; return true })(document.getElementById("`+id+`"))`))
	b.run("fill #"+id, chromedp.SendKeys(chromedp.CSS("#"+id), text))
}

// choose picks an option of the select with the id.
func (b *browser) choose(id, value string) {
	b.t.Helper()
	b.run("choose #"+id, chromedp.SetValue(chromedp.CSS("#"+id), value))
}

// press presses the button with the text and waits for the page it loads.
func (b *browser) press(text string) {
	b.t.Helper()
	b.mark()
	b.run("press "+text, chromedp.Click(`//button[contains(., "`+text+`")]`))
	b.settle()
}

// text returns the text of the page's main content.
func (b *browser) text() string {
	b.t.Helper()
	return get(b, "read the page", chromedp.Text(chromedp.CSS("main")))
}

// waitText waits until the main content contains want.
func (b *browser) waitText(want string) {
	b.t.Helper()
	b.run("wait for "+want, chromedp.WaitVisible(`//main[contains(., "`+want+`")]`))
}

// get runs an action that returns a value, failing the test on error.
func get[T any](b *browser, what string, a chromedp.Action[T]) T {
	b.t.Helper()
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, a)
	for err != nil && betweenPages(err) && ctx.Err() == nil {
		// The read met a page being replaced (a busy machine navigates
		// slowly): read again from the page that replaces it.
		time.Sleep(100 * time.Millisecond)
		v, err = chromedp.Run(ctx, a)
	}
	if err != nil {
		b.shot("failed-" + strings.ReplaceAll(b.t.Name(), "/", "-"))
		b.t.Fatalf("%s: %v", what, err)
	}
	return v
}

// betweenPages reports whether a read failed because the page it read was
// being replaced by the next one, which chromedp reports in these words.
func betweenPages(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, "Not attached to an active page") ||
		strings.Contains(msg, "Execution context was destroyed") ||
		strings.Contains(msg, "Cannot find context with specified id") ||
		strings.Contains(msg, "Inspected target navigated or closed")
}

// location returns the page's address.
func (b *browser) location() *url.URL {
	b.t.Helper()
	u, err := url.Parse(get(b, "read the address", chromedp.Location()))
	if err != nil {
		b.t.Fatal(err)
	}
	return u
}

// fitsWidth fails the test when the page scrolls sideways at its width.
func (b *browser) fitsWidth() {
	b.t.Helper()
	if get(b, "measure", chromedp.Evaluate[bool](`document.documentElement.scrollWidth > window.innerWidth`)) {
		b.t.Errorf("%s scrolls sideways at this width", b.location().Path)
	}
}

// shot saves a screenshot of the whole page in screenshots/ as a PNG.
func (b *browser) shot(name string) {
	b.t.Helper()
	dir := filepath.Join(repotest.Root(b.t), "screenshots")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		b.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(b.ctx, 30*time.Second)
	defer cancel()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		b.t.Errorf("screenshot: %v", err)
		return
	}
	if err := os.WriteFile(filepath.Join(dir, name+".png"), png, 0o644); err != nil {
		b.t.Fatal(err)
	}
}

// coopIDOf reads the co-op ID from a co-op page's address.
func coopIDOf(t *testing.T, u *url.URL) string {
	t.Helper()
	id, ok := strings.CutPrefix(u.Path, "/coops/")
	if !ok || id == "" || strings.Contains(id, "/") {
		t.Fatalf("not a co-op page: %s", u)
	}
	return id
}

// TestBrowserFounderAppliesAndCompletesAnItem: a founder applies through
// the four-page form (meeting the error summary on the way), the agency's
// panel accepts, and the founder records evidence for a checklist item.
func TestBrowserFounderAppliesAndCompletesAnItem(t *testing.T) {
	v := newEnv(t)
	b := v.newBrowser(t, 1024, 900)
	b.signIn("Ash Example")
	b.waitText("You have not applied to a programme yet")
	b.click(`//a[contains(., "Start a new application")]`)
	b.click(`//a[contains(., "Start now")]`)

	// Continuing without answers shows the error summary, linking to the fields.
	b.press("Continue")
	b.waitText("There is a problem")
	if s := b.text(); !strings.Contains(s, "Enter the co-op's name") || !strings.Contains(s, "Choose the co-op's legal form") {
		t.Errorf("the error summary does not say what is missing:\n%s", s)
	}
	b.label("Moorside Care Co-op Start-up")
	b.fill("name", "Calder Valley Care Co-op")
	b.label("Co-operative society")
	b.label("A new start")
	b.fill("localAuthority", "Calderdale Council")
	b.press("Continue")

	b.waitText("What care or support will the co-op provide?")
	b.label("Home care")
	b.label("Personal care")
	b.press("Continue")

	b.waitText("Member 1")
	b.fill("member-0-name", "Ash Example")
	b.choose("member-0-class", pathway.ClassWorker)
	b.choose("member-0-role", pathway.MemberDirector)
	b.press("Add another member")
	b.waitText("Member 2")
	b.fill("member-1-name", "Cal Example")
	b.choose("member-1-class", pathway.ClassWorker)
	b.choose("member-1-role", pathway.MemberRegisteredManager)
	b.press("Continue")

	b.waitText("Check your answers")
	s := b.text()
	for _, want := range []string{"Calder Valley Care Co-op", "Calderdale", "Home care", "Personal care", "Cal Example", "Registered manager"} {
		if !strings.Contains(s, want) {
			t.Errorf("check your answers does not show %q:\n%s", want, s)
		}
	}
	b.press("Accept and send")
	b.waitText("Application sent")
	id := coopIDOf(t, b.location())
	c := v.waitStage(id, pathway.StageAwaitingPanel)
	if c.Name != "Calder Valley Care Co-op" || c.LocalAuthority != "Calderdale" || len(c.Members) != 2 || c.Members[1].Role != pathway.MemberRegisteredManager {
		t.Errorf("stored co-op = %+v", c)
	}

	v.accept(id)
	b.visit("/coops/" + id)
	b.waitText("Get ready for CQC registration")
	b.click(`//main//a[.="Organisation"]`)
	b.click(`//main//a[contains(., "Office or premises")]`)
	b.waitText("Record your evidence")
	b.fill("evidence", "Lease for the office at the Mill signed on 2 March; copy in the shared drive.")
	b.fill("link", "https://example.org/lease")
	b.press("Mark as done")
	b.waitText("Item marked as done")
	it, err := v.store.GetChecklistItem(v.ctx, id, pathway.ItemPremises)
	v.must(err)
	if it.Status != pathway.ItemDone || !strings.Contains(it.Evidence, "Lease for the office") || it.Link != "https://example.org/lease" {
		t.Errorf("stored item = %+v", it)
	}
	b.shot("founder-applies-and-completes-an-item")
}

// TestBrowserAgencyAcceptsAndReturnsAnItem: agency staff find the
// application in their task inbox, accept it at panel, and return an item
// the founders marked done, with a comment.
func TestBrowserAgencyAcceptsAndReturnsAnItem(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Hebden Home Care Co-op")
	b := v.newBrowser(t, 1024, 900)
	b.signIn("Rowan Example")
	b.waitText("Pipeline")
	b.waitText("Hebden Home Care Co-op")
	b.click(`//nav//a[contains(., "Tasks")]`)
	b.click(`//a[contains(., "Panel decision: Hebden Home Care Co-op")]`)
	b.waitText("About the co-op")
	b.label("Accept onto the programme")
	b.fill("notes", "A strong founding group with a registered manager in place.")
	b.press("Record the decision")
	b.waitText("Decision recorded: the panel accepted the co-op")
	v.waitStage(id, pathway.StageCQCPreparing)

	for deadline := time.Now().Add(20 * time.Second); len(v.items(id)) == 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
	}
	v.markDone(id, pathway.ItemOrgLegal)
	b.visit("/coops/" + id)
	b.click(`//main//a[.="Organisation"]`)
	b.waitText("Ready for you to check")
	b.click(`//main//li[contains(., "Ready for you to check")]//a`)
	b.waitText("Check the evidence")
	b.label("No, return it to the founders")
	b.fill("comment", "Please add the registration certificate from the FCA.")
	b.press("Save")
	b.waitText("Item returned to the founders")
	it, err := v.store.GetChecklistItem(v.ctx, id, pathway.ItemOrgLegal)
	v.must(err)
	if it.Status != pathway.ItemReturned || it.Comment != "Please add the registration certificate from the FCA." {
		t.Errorf("stored item = %+v", it)
	}
	b.shot("agency-accepts-and-returns-an-item")
}

// TestBrowserFounderSeesReturnedItem: on a 320px-wide screen the founder
// sees that the agency returned an item, and its comment; no page scrolls
// sideways.
func TestBrowserFounderSeesReturnedItem(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Ryburn Care Co-op")
	v.accept(id)
	v.markDone(id, pathway.ItemBusinessPlan)
	v.verify(id, pathway.ItemBusinessPlan, journey.VerifyReturned, "The forecast needs a second year.")

	b := v.newBrowser(t, 320, 640)
	b.signIn("Ash Example")
	b.fitsWidth()
	b.click(`//main//a[contains(., "Ryburn Care Co-op")]`)
	b.waitText(`Your agency returned`)
	if s := b.text(); !strings.Contains(s, "Returned by your agency, to put right:") || !strings.Contains(s, "Business plan with a two-year forecast") {
		t.Errorf("what happens next does not list the returned item:\n%s", s)
	}
	b.fitsWidth()
	b.click(`//a[contains(., "Finance")]`)
	b.waitText("Returned: action needed")
	b.fitsWidth()
	b.click(`//main//a[contains(., "Business plan")]`)
	b.waitText("The forecast needs a second year.")
	s := b.text()
	if !strings.Contains(s, "Your agency returned this item") || !strings.Contains(s, "Update your evidence") {
		t.Errorf("the item page does not show the return and the form:\n%s", s)
	}
	b.fitsWidth()
	b.shot("founder-sees-returned-item")
}

// TestBrowserEveryPageAtBothWidths opens each kind of page of the
// founders' and the agency's journeys at 1280px and 320px, as each would
// reach it, so axe-core checks every one (the helpers audit each page);
// at 320px the tables become stacked rows with the status in view.
func TestBrowserEveryPageAtBothWidths(t *testing.T) {
	v := newEnv(t)
	id := v.apply("Calder Valley Care Co-op")
	v.accept(id)
	v.markDone(id, pathway.ItemBusinessPlan)
	declined := v.apply("Luddenden Care Co-op")
	v.decide(declined, pathway.TaskPanelDecision, officerID, &journey.PanelAnswer{Outcome: "decline", Notes: "The business plan is not ready yet."})
	v.waitStage(declined, pathway.StageDeclined)
	v.apply("Hebden Home Care Co-op") // a panel decision in the agency's inbox
	coop := "/coops/" + id
	founderPages := []string{"/", "/apply", "/apply/about", "/tasks", coop, coop + "/application", coop + "/history",
		coop + "/checklist/finance", coop + "/items/" + pathway.ItemBusinessPlan, coop + "/items/" + pathway.ItemManager,
		"/coops/" + declined, "/glossary"}
	agencyPages := []string{"/board", "/board/" + programmeID + "/" + pathway.StageCQCPreparing, "/tasks", coop, coop + "/history",
		coop + "/checklist/finance", coop + "/items/" + pathway.ItemBusinessPlan, "/coops/" + declined, "/glossary"}
	shots := map[string]string{coop: "coop", coop + "/items/" + pathway.ItemManager: "item", "/coops/" + declined: "declined-coop"}
	for _, width := range []int64{1280, 320} {
		t.Run(fmt.Sprint(width), func(t *testing.T) {
			for _, who := range []struct {
				name  string
				pages []string
			}{{"Ash Example", founderPages}, {"Rowan Example", agencyPages}} {
				b := v.newBrowser(t, width, 800)
				b.signIn(who.name)
				for _, p := range who.pages {
					b.visit(p)
					b.fitsWidth()
					if name, ok := shots[p]; ok {
						b.shot(fmt.Sprintf("%s-%s-%d", strings.ToLower(strings.Fields(who.name)[0]), name, width))
					}
				}
				if width == 320 {
					b.visit("/tasks")
					b.statusInView()
					b.shot(fmt.Sprintf("every-page-%s-%d", strings.Fields(who.name)[0], width))
				}
				// A task page, reached from the inbox.
				if who.name == "Rowan Example" {
					b.visit("/tasks")
					b.click(`//main//a[contains(., "Panel decision: Hebden Home Care Co-op")]`)
					b.waitText("Panel decision")
				}
			}
		})
	}
}

// statusInView fails the test unless every cell of the page's table
// labelled Status shows, with a width, inside the window.
func (b *browser) statusInView() {
	b.t.Helper()
	js := `(() => {
		const cells = [...document.querySelectorAll('td[data-label="Status"]')];
		if (cells.length === 0) return "no status cells";
		for (const c of cells) {
			const r = c.getBoundingClientRect();
			if (r.width <= 0 || r.left < 0 || r.right > window.innerWidth) return "status cell at " + r.left + ".." + r.right + " of " + window.innerWidth;
		}
		return "";
	})()`
	if msg := get(b, "measure the status column", chromedp.Evaluate[string](js)); msg != "" {
		b.t.Errorf("%s at %dpx: %s", b.location().Path, b.width, msg)
	}
}

// TestBrowserChoosesADailySummary: a founder at 320 px follows the
// header's link, chooses one daily summary and saves it.
func TestBrowserChoosesADailySummary(t *testing.T) {
	v := newEnv(t)
	b := v.newBrowser(t, 320, 640)
	b.signIn("Ash Example")
	b.click(`//header//a[contains(., "Email notices")]`)
	b.waitText("How do you want to hear from us?")
	b.fitsWidth()
	b.label("One daily summary")
	b.press("Save")
	b.waitText("Your choice is saved.")
	b.fitsWidth()
	u, err := v.store.GetUser(v.ctx, founderID)
	v.must(err)
	if u.Notices != pathway.NoticesDaily {
		t.Errorf("stored notices %q, want daily", u.Notices)
	}
	b.shot("founder-chooses-daily-summary")
}
