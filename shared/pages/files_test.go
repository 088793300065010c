package pages_test

import (
	"bytes"
	"context"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/infra/local/localfiles"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/web"
)

// filesSite serves the pages with disk storage for files, and the local
// upload route beside them, as the local server does; it stores a co-op
// preparing for CQC with one item.
func filesSite(t *testing.T) (*env, string) {
	t.Helper()
	st, dir := openStore(t)
	auth, err := devauth.New(st, dir)
	if err != nil {
		t.Fatal(err)
	}
	blobs, err := localfiles.New(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	v := &env{t: t, ctx: context.Background(), store: st, auth: auth, journey: journey.New(st, nil, nil).WithFiles(blobs)}
	v.seed()
	now := time.Now()
	v.must(st.CreateCoop(v.ctx, &pathway.Coop{ID: "coop-files", Name: "Files Care Co-op", Programme: programmeID,
		LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginNewStart, LocalAuthority: "Cumberland",
		Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
		Members:  []pathway.Member{{Name: "Ira Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}},
		Founders: []string{founderID}, Stage: pathway.StageCQCPreparing, StageEnteredAt: now, CreatedAt: now, UpdatedAt: now},
		&pathway.Event{ID: "01J0000000000000000000000E", Coop: "coop-files", At: now, Actor: founderID,
			Action: pathway.ActionApplicationSubmitted, Summary: "Applied.", To: pathway.StageCQCPreparing}, nil))
	v.must(st.PutChecklist(v.ctx, []*pathway.ChecklistItem{{Coop: "coop-files", ID: "SOP-01", Group: pathway.GroupPurpose,
		Title: "Statement of purpose", Required: true, Status: pathway.ItemNotStarted}}))
	mux := http.NewServeMux()
	mux.Handle("POST "+localfiles.UploadPath, blobs.Handler())
	mux.Handle("/", site(web.Config{Store: st, Journey: v.journey, Auth: auth, Mount: auth.Routes(),
		SignInURL: "/auth/dev-users", SignOutURL: "/auth/dev-logout", Logger: quietLogger()}))
	v.srv = httptest.NewServer(mux)
	t.Cleanup(v.srv.Close)
	return v, "/coops/coop-files/items/SOP-01"
}

// browser returns a client signed in as the user, keeping cookies and
// following redirects as a browser does.
func (v *env) browser(userID string) *http.Client {
	jar, _ := cookiejar.New(nil)
	u, _ := url.Parse(v.srv.URL)
	jar.SetCookies(u, []*http.Cookie{v.cookie(userID)})
	return &http.Client{Jar: jar}
}

// getPage returns a page's status and body.
func getPage(t *testing.T, c *http.Client, u string) (int, string) {
	t.Helper()
	resp, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

var (
	formAction = regexp.MustCompile(`<form method="post" action="([^"]+)" enctype="multipart/form-data"`)
	hiddenIn   = regexp.MustCompile(`<input type="hidden" name="([^"]+)" value="([^"]*)">`)
)

// postUpload submits the item page's upload form with the file, as a
// browser does: the hidden fields in page order, then the file.
func postUpload(t *testing.T, c *http.Client, base, page, name string, content []byte) (int, string) {
	t.Helper()
	m := formAction.FindStringSubmatch(page)
	if m == nil {
		t.Fatal("the item page has no upload form")
	}
	start := strings.Index(page, m[0])
	form := page[start : start+strings.Index(page[start:], "</form>")]
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for _, h := range hiddenIn.FindAllStringSubmatch(form, -1) {
		mw.WriteField(html.UnescapeString(h[1]), html.UnescapeString(h[2]))
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	resp, err := c.Post(base+html.UnescapeString(m[1]), mw.FormDataContentType(), &body)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func TestUploadFormAsBrowser(t *testing.T) {
	v, item := filesSite(t)
	founder := v.browser(founderID)
	_, page := getPage(t, founder, v.srv.URL+item)
	pdf := []byte("%PDF-1.7\ninvented statement of purpose\n")
	status, after := postUpload(t, founder, v.srv.URL, page, "statement-of-purpose.pdf", pdf)
	if status != 200 || !strings.Contains(after, "File uploaded") || !strings.Contains(after, "statement-of-purpose.pdf") ||
		!strings.Contains(after, "PDF") || !strings.Contains(after, "39 bytes") {
		t.Fatalf("after the upload: %d\n%s", status, after)
	}
	// A file of another type comes back with the error summary naming the field.
	status, refused := postUpload(t, founder, v.srv.URL, after, "notes.pdf", []byte("<html>not a pdf</html>"))
	if status != 400 || !strings.Contains(refused, `href="#file"`) || !strings.Contains(refused, pathway.FileTypeMessage) {
		t.Errorf("refused upload: %d\n%s", status, refused)
	}

	// The agency sees the file on its verification view and downloads the same bytes.
	officer := v.browser(officerID)
	_, view := getPage(t, officer, v.srv.URL+item)
	link := regexp.MustCompile(`<a href="(/files/[^"]+)" download>statement-of-purpose.pdf</a>`).FindStringSubmatch(view)
	if link == nil || strings.Contains(view, "Upload a file") {
		t.Fatalf("agency's view of the item:\n%s", view)
	}
	resp, err := officer.Get(v.srv.URL + link[1])
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !bytes.Equal(got, pdf) || !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment") {
		t.Errorf("download = %q %v", got, resp.Header)
	}
	// Staff of another agency are told there is no such file.
	if status, _ := getPage(t, v.browser(outsiderID), v.srv.URL+link[1]); status != 404 {
		t.Errorf("outsider's download = %d, want 404", status)
	}
}
