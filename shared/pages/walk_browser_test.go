package pages_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/infra/local/localfiles"
	"github.com/coopcarepathway/pathway/infra/local/localmail"
	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// withEverything rewires the test server as the local server wires itself:
// co-founder invitations make local users, evidence files go to disk
// through the S3-style upload form, and email notices are written to a
// local mailbox, listed at /local/mail, by the request that records them
// and by an outbox sweep every 100 ms. The founders get email addresses.
func (v *env) withEverything() {
	v.t.Helper()
	for _, u := range users {
		if u.Role == pathway.RoleFounder || u.Organisation == agencyID {
			c := *u
			c.Email = strings.ToLower(strings.Fields(u.Name)[0]) + "@example.test"
			v.must(v.store.PutUser(v.ctx, &c))
		}
	}
	blobs, err := localfiles.New(v.t.TempDir())
	v.must(err)
	mailbox, err := localmail.New(v.t.TempDir(), nil)
	v.must(err)
	srv := httptest.NewUnstartedServer(nil)
	base := "http://" + srv.Listener.Addr().String()
	inv := devauth.NewInvitations(v.store)
	wf := localsfn.New(v.engine)
	v.journey.WithInvitations(inv)
	v.journey.WithFiles(blobs)
	v.journey.WithMail(mailbox, base)
	routes := v.auth.Routes()
	routes["GET /local/mail"] = mailbox
	cfg := web.Config{Store: v.store, Workflows: wf, Journey: v.journey, Auth: v.auth, Mount: routes,
		SignInURL: "/auth/dev-users", SignOutURL: "/auth/dev-logout", Logger: quietLogger()}
	cfg.Pages = pages.New(pages.Config{Journey: v.journey, Logger: cfg.Logger, Selectable: inv.Founders})
	mux := http.NewServeMux()
	mux.Handle("POST "+localfiles.UploadPath, blobs.Handler())
	mux.Handle("/", web.New(cfg))
	srv.Config.Handler = mux
	v.srv.Close()
	v.srv = srv
	srv.Start()
	v.t.Cleanup(srv.Close)
	ctx, cancel := context.WithCancel(context.Background())
	v.t.Cleanup(cancel)
	go outbox.New(v.store, wf, time.Now, quietLogger()).WithMail(mailbox, base).Run(ctx, 100*time.Millisecond)
}

// TestBrowserWalk walks issue 12's journey in Chromium, each step saving a
// screenshot: a founder checks eligibility and applies, invites a
// co-founder, who signs in and sees the co-op; after the panel's yes, a
// founder uploads a PDF to a checklist item; the agency finds it in its
// inbox, downloads the very bytes, and returns the item with a comment;
// the founder gets the email, follows its link and reads the comment.
func TestBrowserWalk(t *testing.T) {
	v := newEnv(t)
	v.withEverything()
	b := v.newBrowser(t, 1024, 900)

	// Eligibility first, then the application.
	b.signIn("Ash Example")
	b.click(`//a[contains(., "Start a new application")]`)
	b.click(`//a[contains(., "Check whether you can apply")]`)
	b.label("Moorside Care Co-op Start-up")
	b.fill("localAuthority", "Calderdale")
	b.fill("founders", "2")
	b.label("Home care")
	b.label("Co-operative society")
	b.label("A new start")
	b.press("Check")
	b.waitText("You can apply")
	b.shot("walk-1-eligible")
	b.click(`//a[contains(., "Start your application")]`)
	b.waitText("What is the co-op called?")
	b.label("Moorside Care Co-op Start-up")
	b.fill("name", "Ryburn Care Co-op")
	b.label("Co-operative society")
	b.label("A new start")
	b.fill("localAuthority", "Calderdale")
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
	b.fill("member-1-name", "Bea Example")
	b.choose("member-1-class", pathway.ClassWorker)
	b.choose("member-1-role", pathway.MemberRegisteredManager)
	b.press("Continue")
	b.waitText("Check your answers")
	b.press("Accept and send")
	b.waitText("Application sent")
	id := coopIDOf(t, b.location())
	b.shot("walk-2-applied")

	// The registered manager named in the application becomes a co-founder.
	b.click(`//a[contains(., "Invite or manage founders")]`)
	b.waitText("People named in your application")
	b.fill("member-email-1", "bea@example.test")
	b.press("Invite Bea Example")
	b.waitText("Co-founder added")
	b.shot("walk-3-invited")
	bea := v.newBrowser(t, 320, 800)
	bea.signIn("Bea Example")
	bea.click(`//main//a[contains(., "Ryburn Care Co-op")]`)
	bea.waitText("Bea Example (you)")
	bea.shot("walk-4-co-founder-sees-the-coop")

	// The panel says yes; a founder uploads a PDF to the business plan.
	v.waitStage(id, pathway.StageAwaitingPanel)
	v.accept(id)
	pdfBytes := "%PDF-1.7\ninvented business plan for the walk\n"
	pdf := filepath.Join(t.TempDir(), "business-plan.pdf")
	v.must(os.WriteFile(pdf, []byte(pdfBytes), 0o600))
	item := "/coops/" + id + "/items/" + pathway.ItemBusinessPlan
	b.visit(item)
	b.run("choose the file", chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{pdf}))
	b.press("Upload file")
	b.waitText("File uploaded")
	b.fill("evidence", "Business plan agreed by the founders; the PDF is attached.")
	b.press("Mark as done")
	b.waitText("Item marked as done")
	b.shot("walk-5-uploaded")

	// The agency finds it in its inbox and downloads the same bytes.
	staff := v.newBrowser(t, 1024, 900)
	staff.signIn("Rowan Example")
	staff.click(`//nav//a[contains(., "Tasks")]`)
	staff.waitText("Check 1 item of evidence from Ryburn Care Co-op")
	staff.shot("walk-6-agency-inbox")
	staff.click(`//a[contains(., "Check 1 item of evidence from Ryburn Care Co-op")]`)
	staff.visit(item)
	staff.waitText("business-plan.pdf")
	got := get(staff, "download the file", chromedp.Evaluate[string](
		`fetch([...document.querySelectorAll("a")].find(a => a.textContent.includes("business-plan.pdf")).href).then(r => r.text())`,
		chromedp.EvalAwaitPromise))
	if got != pdfBytes {
		t.Errorf("the agency downloaded %q, want the founder's %q", got, pdfBytes)
	}
	comment := "Please add the cash-flow forecast for the first year."
	staff.label("No, return it to the founders")
	staff.fill("comment", comment)
	staff.press("Save")
	staff.waitText("Item returned to the founders")
	staff.shot("walk-7-returned")

	// The founder gets the email, follows its link and reads the comment.
	link := v.waitMail(t, "ash@example.test", "Checklist item returned", comment)
	b.visit("/local/mail")
	b.shot("walk-8-email")
	b.run("follow the email's link", chromedp.Navigate(link), chromedp.WaitReady(chromedp.CSS("body")))
	b.waitText(comment)
	b.shot("walk-9-founder-reads-the-comment")
}

// waitMail waits until the local mailbox holds a mail to the address whose
// subject and body say the words, and returns the page the mail links to.
func (v *env) waitMail(t *testing.T, to, subject, body string) string {
	t.Helper()
	link := regexp.MustCompile(`Open the page: (\S+)`)
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		res, err := http.Get(v.srv.URL + "/local/mail")
		v.must(err)
		var box struct {
			Mails []struct{ To, Subject, Body string } `json:"mails"`
		}
		err = json.NewDecoder(res.Body).Decode(&box)
		res.Body.Close()
		v.must(err)
		for _, m := range box.Mails {
			if m.To == to && strings.Contains(m.Subject, subject) && strings.Contains(m.Body, body) {
				if l := link.FindStringSubmatch(m.Body); l != nil {
					return l[1]
				}
				t.Fatalf("the mail has no link:\n%s", m.Body)
			}
		}
	}
	t.Fatalf("no mail to %s about %q arrived", to, subject)
	return ""
}
