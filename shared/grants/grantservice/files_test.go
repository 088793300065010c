package grantservice_test

import (
	"bytes"
	"io"
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/localfiles"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

var pdf = []byte("%PDF-1.7\ninvented cash-flow forecast\n")

// withFiles gives the fixture's service disk storage for files.
func (f *fixture) withFiles(t *testing.T) {
	t.Helper()
	blobs, err := localfiles.New(t.TempDir())
	must(t, err)
	f.svc.WithFiles(blobs)
}

func (f *fixture) upload(t *testing.T, u *pathway.User, app string) (*pathway.File, error) {
	t.Helper()
	return f.svc.UploadFile(t.Context(), u, app, "forecast.pdf", bytes.NewReader(pdf), int64(len(pdf)))
}

func TestWhoMayUploadGrantFiles(t *testing.T) {
	cases := []struct {
		who, status, want string // want: error code, "" for success
	}{
		{"founderA", grants.StatusSubmitted, ""},
		{"founderA", grants.StatusInReview, ""},
		{"founderA", grants.StatusAwaitingDecision, ""},
		{"founderA", grants.StatusIneligible, pathway.ECONFLICT},
		{"founderA", grants.StatusRejected, pathway.ECONFLICT},
		{"founderB", grants.StatusSubmitted, pathway.ENOTFOUND}, // not their co-op
		{"agency", grants.StatusSubmitted, pathway.EFORBIDDEN},
		{"lead", grants.StatusSubmitted, pathway.EFORBIDDEN},
	}
	paths := map[string][]string{
		grants.StatusSubmitted:        nil,
		grants.StatusInReview:         {grants.StatusInReview},
		grants.StatusAwaitingDecision: {grants.StatusInReview, grants.StatusAwaitingDecision},
		grants.StatusIneligible:       {grants.StatusIneligible},
		grants.StatusRejected:         {grants.StatusInReview, grants.StatusAwaitingDecision, grants.StatusRejected},
	}
	for _, c := range cases {
		t.Run(c.who+"/"+c.status, func(t *testing.T) {
			f := newFixture(t)
			f.withFiles(t)
			id := f.apply(t, progOpen)
			f.moveTo(t, id, paths[c.status]...)
			file, err := f.upload(t, users[c.who], id)
			if c.want != "" {
				wantCode(t, err, c.want)
				return
			}
			must(t, err)
			if file.Subject != grants.Subject(id) || file.Coop != coopA || file.Type != pathway.TypePDF || file.Size != int64(len(pdf)) {
				t.Errorf("file = %+v", file)
			}
			// The upload is on the application's audit trail.
			page, err := f.st.ListEvents(t.Context(), grants.Subject(id), "", 0)
			must(t, err)
			e := page.Events[len(page.Events)-1]
			if e.Action != pathway.ActionFileUploaded || e.Data["file"] != file.ID || e.Data["application"] != id {
				t.Errorf("event = %+v", e)
			}
		})
	}
}

func TestWhoSeesGrantFiles(t *testing.T) {
	f := newFixture(t)
	f.withFiles(t)
	ctx := t.Context()
	id := f.apply(t, progOpen)
	file, err := f.upload(t, users["founderA"], id)
	must(t, err)
	f.moveTo(t, id, grants.StatusInReview)
	f.task(t, id, "task-r1", grants.TaskReview, pathway.RoleFunder, users["reviewer1"].ID)
	f.task(t, id, "task-r2", grants.TaskReview, pathway.RoleFunder, users["reviewer2"].ID)
	_, err = f.svc.Declare(ctx, users["reviewer1"], id, grants.DeclarationAnswer{Conflict: false})
	must(t, err)
	_, err = f.svc.Declare(ctx, users["reviewer2"], id, grants.DeclarationAnswer{Conflict: true, Reason: "My sister is a founder."})
	must(t, err)

	cases := []struct {
		who        string
		list, down string // error codes, "" for success
	}{
		{"founderA", "", ""},
		{"agency", "", ""},
		{"lead", "", ""},
		{"reviewer1", "", ""}, // declared no conflict
		{"reviewer2", pathway.ENOTFOUND, pathway.ENOTFOUND}, // declared a conflict
		{"staff", pathway.EFORBIDDEN, pathway.ENOTFOUND},    // not yet declared
		{"founderB", pathway.ENOTFOUND, pathway.ENOTFOUND},  // another co-op's founder
		{"otherAgcy", pathway.ENOTFOUND, pathway.ENOTFOUND}, // an agency not supporting it
		{"otherFund", pathway.ENOTFOUND, pathway.ENOTFOUND}, // another funder
		{"commission", pathway.ENOTFOUND, pathway.ENOTFOUND},
	}
	for _, c := range cases {
		t.Run(c.who, func(t *testing.T) {
			list, err := f.svc.ApplicationFiles(ctx, users[c.who], id)
			if c.list != "" {
				wantCode(t, err, c.list)
			} else if err != nil || len(list) != 1 || list[0].ID != file.ID {
				t.Errorf("files = %v, %v; want the upload", list, err)
			}
			d, err := f.svc.DownloadFile(ctx, users[c.who], file.ID)
			if c.down != "" {
				wantCode(t, err, c.down)
				return
			}
			must(t, err)
			b, _ := io.ReadAll(d.Body)
			d.Body.Close()
			if !bytes.Equal(b, pdf) {
				t.Errorf("downloaded %q", b)
			}
		})
	}
}

func TestGrantFileRefusedAndReplayed(t *testing.T) {
	f := newFixture(t)
	f.withFiles(t)
	ctx := t.Context()
	id := f.apply(t, progOpen)
	_, err := f.svc.UploadFile(ctx, users["founderA"], id, "run.exe", bytes.NewReader([]byte("MZ not a document")), 17)
	if pathway.ErrorCode(err) != pathway.EINVALID || pathway.ErrorFields(err)["file"] != pathway.FileTypeMessage {
		t.Fatalf("error = %v, want the file type refused", err)
	}
	file, err := f.upload(t, users["founderA"], id)
	must(t, err)
	again, err := f.svc.CompleteFileUpload(ctx, users["founderA"], id, file.Key)
	must(t, err)
	list, err := f.svc.ApplicationFiles(ctx, users["founderA"], id)
	must(t, err)
	if again.ID != file.ID || len(list) != 1 {
		t.Errorf("replayed completion = %s, %d files; want the same file once", again.ID, len(list))
	}
	// A key of another application is not this one's.
	other := f.apply(t, progSmall)
	_, err = f.svc.CompleteFileUpload(ctx, users["founderA"], other, file.Key)
	if pathway.ErrorFields(err)["key"] == "" {
		t.Errorf("error = %v, want the key refused", err)
	}
}
