package journey_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/localfiles"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// withFiles gives the service disk storage and a co-op preparing for CQC
// with its items; it returns the storage.
func withFiles(t *testing.T) (*service, *localfiles.Files) {
	t.Helper()
	s := newService(t, testkit.Store(t))
	blobs, err := localfiles.New(t.TempDir())
	s.must(err)
	s.svc.WithFiles(blobs)
	s.coop("coop-a", pathway.StageCQCPreparing)
	s.putItems("coop-a")
	return s, blobs
}

var (
	pdfBytes     = []byte("%PDF-1.7\ninvented statement of purpose\n")
	fileOutsider = &pathway.User{ID: "user-founder-other", Name: "Other Example", Role: pathway.RoleFounder}
)

func TestFounderUploadsAndOthersSee(t *testing.T) {
	s, _ := withFiles(t)
	f, err := s.svc.Upload(s.ctx, founder, "coop-a", "REQ-01", "statement-of-purpose.pdf", bytes.NewReader(pdfBytes), int64(len(pdfBytes)))
	s.must(err)
	sum := sha256.Sum256(pdfBytes)
	if f.Name != "statement-of-purpose.pdf" || f.Type != pathway.TypePDF || f.Size != int64(len(pdfBytes)) ||
		f.SHA256 != hex.EncodeToString(sum[:]) || f.UploadedBy != founderID || !f.UploadedAt.Equal(s.now) {
		t.Errorf("file = %+v", f)
	}
	// The audit trail says what was uploaded, by whom and when.
	page, err := s.store.ListEvents(s.ctx, pathway.CoopSubject("coop-a"), "", 0)
	s.must(err)
	e := page.Events[len(page.Events)-1]
	if e.Action != pathway.ActionFileUploaded || e.Actor != founderID || !e.At.Equal(s.now) ||
		e.Data["name"] != f.Name || e.Data["size"] != "39" || e.Data["type"] != pathway.TypePDF ||
		e.Data["sha256"] != f.SHA256 || e.Data["item"] != "REQ-01" || e.Data["file"] != f.ID ||
		!strings.Contains(e.Summary, "uploaded statement-of-purpose.pdf (39 bytes, PDF)") {
		t.Errorf("event = %+v", e)
	}
	for _, u := range []*pathway.User{founder, staff(1)} {
		list, err := s.svc.ItemFiles(s.ctx, u, "coop-a", "REQ-01")
		if err != nil || len(list) != 1 || list[0].ID != f.ID {
			t.Errorf("%s lists %d files, %v; want the upload", u.ID, len(list), err)
		}
		d, err := s.svc.DownloadFile(s.ctx, u, f.ID)
		s.must(err)
		got, _ := io.ReadAll(d.Body)
		d.Body.Close()
		if !bytes.Equal(got, pdfBytes) || d.URL != "" {
			t.Errorf("%s downloads %q, want the same bytes", u.ID, got)
		}
	}
	// Someone who may not see the co-op is told it does not exist.
	_, err = s.svc.ItemFiles(s.ctx, fileOutsider, "coop-a", "REQ-01")
	wantCode(t, err, pathway.ENOTFOUND, "")
	_, err = s.svc.DownloadFile(s.ctx, fileOutsider, f.ID)
	wantCode(t, err, pathway.ENOTFOUND, "")
	_, err = s.svc.DownloadFile(s.ctx, founder, "01J0000000000000000000000Z")
	wantCode(t, err, pathway.ENOTFOUND, "")
}

func TestUploadRules(t *testing.T) {
	s, blobs := withFiles(t)
	_, err := s.svc.Upload(s.ctx, staff(1), "coop-a", "REQ-01", "a.pdf", bytes.NewReader(pdfBytes), -1)
	wantCode(t, err, pathway.EFORBIDDEN, "")
	_, err = s.svc.Upload(s.ctx, fileOutsider, "coop-a", "REQ-01", "a.pdf", bytes.NewReader(pdfBytes), -1)
	wantCode(t, err, pathway.ENOTFOUND, "")
	_, err = s.svc.UploadForm(s.ctx, staff(1), "coop-a", "REQ-01", "/x")
	wantCode(t, err, pathway.EFORBIDDEN, "")

	for _, c := range []struct {
		name, file string
		body       []byte
		msg        string
	}{
		{"an exe renamed pdf", "statement.pdf", []byte("MZ\x90\x00 program"), pathway.FileTypeMessage},
		{"html renamed pdf", "statement.pdf", []byte("<html><script>alert(1)</script></html>"), pathway.FileTypeMessage},
		{"too large", "big.pdf", append([]byte("%PDF-1.7\n"), make([]byte, pathway.MaxFileSize)...), pathway.FileSizeMessage},
		{"empty", "empty.pdf", []byte{}, pathway.FileEmptyMessage},
	} {
		t.Run(c.name, func(t *testing.T) {
			// -1: the size is unknown, so the content itself is checked.
			_, err := s.svc.Upload(s.ctx, founder, "coop-a", "REQ-01", c.file, bytes.NewReader(c.body), -1)
			wantCode(t, err, pathway.EINVALID, "file")
			if got := pathway.ErrorFields(err)["file"]; got != c.msg {
				t.Errorf("message %q, want %q", got, c.msg)
			}
		})
	}
	_, err = s.svc.Upload(s.ctx, founder, "coop-a", "REQ-01", "big.pdf", bytes.NewReader(nil), pathway.MaxFileSize+1)
	wantCode(t, err, pathway.EINVALID, "file")
	if list, _ := s.svc.ItemFiles(s.ctx, founder, "coop-a", "REQ-01"); len(list) != 0 {
		t.Errorf("refused uploads were recorded: %d", len(list))
	}
	if n := count(s.actions("coop-a"), pathway.ActionFileUploaded); n != 0 {
		t.Errorf("%d upload events for refused files", n)
	}
	// A refused upload's bytes are deleted.
	key := "coops/coop-a/REQ-01/01J0000000000000000000000A/x.pdf"
	s.must(blobs.Put(s.ctx, key, strings.NewReader("<html>"), 6))
	_, err = s.svc.CompleteUpload(s.ctx, founder, "coop-a", "REQ-01", key)
	wantCode(t, err, pathway.EINVALID, "file")
	if _, _, err := blobs.Open(s.ctx, key); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("refused upload still stored (%v)", err)
	}
	// A key of another item, or not made by the service, is refused.
	for _, k := range []string{"coops/coop-a/OPT-01/01J0000000000000000000000A/x.pdf", "coops/coop-a/REQ-01/not-a-ulid/x.pdf", "../../etc/passwd"} {
		_, err = s.svc.CompleteUpload(s.ctx, founder, "coop-a", "REQ-01", k)
		wantCode(t, err, pathway.EINVALID, "key")
	}
}

func TestBrowserUploadRecordedOnce(t *testing.T) {
	s, blobs := withFiles(t)
	form, err := s.svc.UploadForm(s.ctx, founder, "coop-a", "REQ-01", "/coops/coop-a/items/REQ-01/uploaded")
	s.must(err)
	prefix := strings.TrimSuffix(form.Fields["key"], "${filename}")
	if !strings.HasPrefix(prefix, "coops/coop-a/REQ-01/") {
		t.Fatalf("key field %q", form.Fields["key"])
	}
	key := prefix + "minutes.pdf"
	s.must(blobs.Put(s.ctx, key, bytes.NewReader(pdfBytes), int64(len(pdfBytes))))
	first, err := s.svc.CompleteUpload(s.ctx, founder, "coop-a", "REQ-01", key)
	s.must(err)
	s.now = s.now.Add(1e9)
	again, err := s.svc.CompleteUpload(s.ctx, founder, "coop-a", "REQ-01", key) // the redirect replayed
	s.must(err)
	if again.ID != first.ID || !again.UploadedAt.Equal(first.UploadedAt) {
		t.Errorf("replay returned %+v, want the first record", again)
	}
	if n := count(s.actions("coop-a"), pathway.ActionFileUploaded); n != 1 {
		t.Errorf("%d upload events, want 1", n)
	}
	if list, _ := s.svc.ItemFiles(s.ctx, founder, "coop-a", "REQ-01"); len(list) != 1 {
		t.Errorf("%d files listed, want 1", len(list))
	}
}

func TestNoUploadToClosedItem(t *testing.T) {
	s, _ := withFiles(t)
	s.coop("coop-b", pathway.StageDeclined)
	s.putItems("coop-b")
	_, err := s.svc.Upload(s.ctx, founder, "coop-b", "REQ-01", "a.pdf", bytes.NewReader(pdfBytes), -1)
	wantCode(t, err, pathway.ECONFLICT, "")
	_, err = s.svc.MarkDone(s.ctx, founder, "coop-a", "REQ-01", journey.ItemUpdate{Status: pathway.ItemDone, Evidence: "x"})
	s.must(err)
	_, err = s.svc.Verify(s.ctx, staff(1), "coop-a", "REQ-01", journey.Verification{Outcome: journey.VerifyAccepted})
	s.must(err)
	_, err = s.svc.Upload(s.ctx, founder, "coop-a", "REQ-01", "a.pdf", bytes.NewReader(pdfBytes), -1)
	wantCode(t, err, pathway.ECONFLICT, "")
}
