package pages_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserFounderUploadsAPDF: in Chromium, a founder chooses a PDF on
// an item's page and presses Upload, with no script on the page; the form
// posts to storage, which sends the browser back; the page then lists the
// file. The agency sees it on its view of the item.
func TestBrowserFounderUploadsAPDF(t *testing.T) {
	v, item := filesSite(t)
	pdf := filepath.Join(t.TempDir(), "statement-of-purpose.pdf")
	if err := os.WriteFile(pdf, []byte("%PDF-1.7\ninvented statement of purpose\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	b := v.newBrowser(t, 1280, 900)
	b.signIn("Ash Example")
	b.run("signed in", chromedp.WaitNotPresent(`//h1[contains(., "Sign in")]`))
	b.run("open the item", chromedp.Navigate(b.base+item), chromedp.WaitVisible(chromedp.CSS(`#file`)))
	b.run("choose the file", chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{pdf}))
	b.press("Upload file")
	b.waitText("File uploaded")
	if text := b.text(); !strings.Contains(text, "statement-of-purpose.pdf") || !strings.Contains(text, "PDF") {
		t.Errorf("item page after the upload:\n%s", text)
	}
	b.shot("founder-uploads-a-pdf")

	staff := v.newBrowser(t, 320, 800)
	staff.signIn("Rowan Example")
	staff.run("signed in", chromedp.WaitNotPresent(`//h1[contains(., "Sign in")]`))
	staff.run("open the item", chromedp.Navigate(staff.base+item), chromedp.WaitVisible(`//a[contains(., "statement-of-purpose.pdf")]`))
	staff.shot("agency-sees-the-file-320")
}
