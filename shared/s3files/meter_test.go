package s3files_test

import (
	"bytes"
	"io"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
)

// TestRequestsAreMetered counts the requests the adapter makes to moto's
// S3 as S3 bills them: a PUT and its bytes, a GET, a free DELETE, and one
// request for each presigned form or link made.
func TestRequestsAreMetered(t *testing.T) {
	f := newFiles(t)
	m := new(cost.Meter)
	ctx := cost.WithMeter(t.Context(), m)
	body := bytes.Repeat([]byte("evidence "), 100) // 900 bytes
	if err := f.Put(ctx, "coops/c1/a.pdf", bytes.NewReader(body), int64(len(body))); err != nil {
		t.Fatal(err)
	}
	rc, _, err := f.Open(ctx, "coops/c1/a.pdf")
	if err != nil {
		t.Fatal(err)
	}
	if b, _ := io.ReadAll(rc); !bytes.Equal(b, body) {
		t.Fatal("read back other bytes")
	}
	rc.Close()
	if err := f.Delete(ctx, "coops/c1/a.pdf"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.UploadForm(ctx, "coops/c1/", 1<<20, ""); err != nil {
		t.Fatal(err)
	}
	if _, err := f.DownloadURL(ctx, "coops/c1/b.pdf", "b.pdf", "application/pdf", time.Minute); err != nil {
		t.Fatal(err)
	}
	u, _ := m.Take()
	want := cost.Usage{S3Puts: 2, S3Gets: 2, S3Bytes: 900}
	if u != want {
		t.Errorf("metered %+v, want %+v", u, want)
	}
}
