package s3files_test

import (
	"bytes"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	s3types "github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/s3files"
	"github.com/coopcarepathway/pathway/shared/testkit"
	"github.com/oklog/ulid/v2"
)

// newFiles returns the storage over a fresh bucket on moto_server.
func newFiles(t *testing.T) *s3files.Files {
	t.Helper()
	endpoint := testkit.MotoEndpoint(t)
	client := s3.New(s3.Options{
		Region: "eu-west-2", BaseEndpoint: aws.String(endpoint), UsePathStyle: true,
		Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", ""),
	})
	// The bucket is made with the S3 client (test code only: the adapter
	// does without it).
	bucket := "evidence-" + strings.ToLower(ulid.Make().String())
	_, err := client.CreateBucket(t.Context(), &s3.CreateBucketInput{Bucket: aws.String(bucket),
		CreateBucketConfiguration: &s3types.CreateBucketConfiguration{LocationConstraint: s3types.BucketLocationConstraintEuWest2}})
	if err != nil {
		t.Fatalf("CreateBucket: %v", err)
	}
	cfg := aws.Config{Region: "eu-west-2", Credentials: credentials.NewStaticCredentialsProvider("testing", "testing", "")}
	return s3files.New(cfg, bucket, endpoint)
}

// postForm posts the form as a browser does: the hidden fields, then the
// file last, without following the redirect.
func postForm(t *testing.T, form *pathway.UploadForm, name string, content []byte) *http.Response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range form.Fields {
		if err := mw.WriteField(k, v); err != nil {
			t.Fatal(err)
		}
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	req, _ := http.NewRequestWithContext(t.Context(), http.MethodPost, form.URL, &body)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	resp, err := client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	return resp
}

func TestPresignedPostAndGet(t *testing.T) {
	f := newFiles(t)
	ctx := t.Context()
	prefix := "coops/c1/SOP-02/" + ulid.Make().String() + "/"
	form, err := f.UploadForm(ctx, prefix, pathway.MaxFileSize, "https://pathway.example.test/coops/c1/items/SOP-02/uploaded")
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"key", "Policy", "X-Amz-Signature", "X-Amz-Credential", "Content-Type", "success_action_redirect"} {
		if form.Fields[k] == "" {
			t.Errorf("form lacks the field %q: %v", k, form.Fields)
		}
	}
	pdf := []byte("%PDF-1.7\ninvented statement of purpose\n")
	resp := postForm(t, form, "statement.pdf", pdf)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST = %d, want 303", resp.StatusCode)
	}
	loc, err := url.Parse(resp.Header.Get("Location"))
	if err != nil || loc.Host != "pathway.example.test" || loc.Path != "/coops/c1/items/SOP-02/uploaded" {
		t.Fatalf("redirect = %q", resp.Header.Get("Location"))
	}
	// S3 puts the chosen file's name in place of ${filename}; moto keeps
	// the field as sent. Either way the redirect names the stored key.
	key := loc.Query().Get("key")
	if !strings.HasPrefix(key, prefix) {
		t.Fatalf("redirect key %q is not under %q", key, prefix)
	}
	rc, size, err := f.Open(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(got, pdf) || size != int64(len(pdf)) {
		t.Errorf("stored %q (%d bytes)", got, size)
	}

	link, err := f.DownloadURL(ctx, key, "statement of purpose.pdf", pathway.TypePDF, 5*time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(link)
	if q := u.Query(); q.Get("X-Amz-Expires") != "300" || !strings.HasPrefix(q.Get("response-content-disposition"), "attachment") ||
		q.Get("response-content-type") != pathway.TypePDF {
		t.Errorf("presigned GET = %s", link)
	}
	dl, err := http.Get(link)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(dl.Body)
	dl.Body.Close()
	if dl.StatusCode != 200 || !bytes.Equal(body, pdf) {
		t.Errorf("GET presigned = %d %q", dl.StatusCode, body)
	}
	// moto_server ignores the response-content-* overrides that S3 obeys,
	// so the signed URL's parameters (checked above) are the test of them.

	// moto_server does not enforce a POST policy's conditions (key prefix,
	// content-length-range, expiry): S3 does. The local adapter enforces
	// the same conditions and its tests (infra/local/localfiles) refuse a
	// too large file, a forged policy and a wrong prefix.

	if err := f.Put(ctx, prefix+"api.pdf", bytes.NewReader(pdf), -1); err != nil {
		t.Fatal(err)
	}
	if err := f.Delete(ctx, prefix+"api.pdf"); err != nil {
		t.Fatal(err)
	}
	if _, _, err := f.Open(ctx, prefix+"api.pdf"); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("Open after Delete = %v, want not found", err)
	}
}

// TestPolicySignatureMatchesTheSDK: moto_server does not check POST
// signatures, so the signing is checked against the S3 client's own
// presigned POST: the same policy, date and key give the same signature.
func TestPolicySignatureMatchesTheSDK(t *testing.T) {
	client := s3.New(s3.Options{Region: "eu-west-2",
		Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", "")})
	req, err := s3.NewPresignClient(client).PresignPostObject(t.Context(), &s3.PutObjectInput{Bucket: aws.String("b"), Key: aws.String("k")})
	if err != nil {
		t.Fatal(err)
	}
	got := s3files.SignPolicy("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", req.Values["X-Amz-Date"], "eu-west-2", req.Values["policy"])
	if got != req.Values["X-Amz-Signature"] {
		t.Errorf("SignPolicy = %s, the SDK signs %s (fields %v)", got, req.Values["X-Amz-Signature"], req.Values)
	}
}
