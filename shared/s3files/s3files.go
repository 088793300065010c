// Package s3files is the evidence files' blob storage on Amazon S3: a
// private bucket that browsers post to with a presigned POST policy, and
// that people download from through short-lived presigned GETs. The
// function only signs; the bytes of a browser's upload never pass
// through it.
//
// It speaks S3's REST API with the SDK's Signature Version 4 signer
// (already linked for DynamoDB) rather than the S3 client, whose
// operations, checksums and customisations would add over 3 MiB to the
// API function's bootstrap (infra/lambdatest holds it under 16 MiB) for
// the four calls made here. The tests check the POST signature against
// the S3 client's own.
package s3files

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// BucketEnv names the variable holding the bucket's name (template.yaml).
const BucketEnv = "FILES_BUCKET"

// FormTTL is how long an upload form may be used.
const FormTTL = time.Hour

const (
	algorithm  = "AWS4-HMAC-SHA256"
	service    = "s3"
	amzDate    = "20060102T150405Z"
	octetType  = "application/octet-stream"
	emptySHA   = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
	maxErrBody = 2 << 10
)

// Files implements pathway.Files over one bucket.
type Files struct {
	cfg      aws.Config
	bucket   string
	endpoint string // path-style base (a test server), or "" for AWS
	signer   *v4.Signer
	client   *http.Client
	now      func() time.Time
}

var _ pathway.Files = (*Files)(nil)

// New returns the storage over the bucket, with cfg's region and
// credentials. endpoint, when not empty, is an S3-compatible server
// addressed path-style (http://host:port/bucket/key); empty means AWS's
// virtual-hosted https://bucket.s3.region.amazonaws.com/key.
func New(cfg aws.Config, bucket, endpoint string) *Files {
	client := &http.Client{Timeout: 60 * time.Second}
	return &Files{cfg: cfg, bucket: bucket, endpoint: strings.TrimRight(endpoint, "/"),
		signer: v4.NewSigner(func(o *v4.SignerOptions) { o.DisableURIPathEscaping = true }), client: client, now: time.Now}
}

// objectURL returns the object's address; key "" is the bucket's.
func (f *Files) objectURL(key string) *url.URL {
	var u *url.URL
	if f.endpoint != "" {
		u, _ = url.Parse(f.endpoint + "/" + f.bucket + "/")
	} else {
		u = &url.URL{Scheme: "https", Host: f.bucket + ".s3." + f.cfg.Region + ".amazonaws.com", Path: "/"}
	}
	u.RawPath = u.Path + escapeKey(key)
	u.Path += key
	return u
}

// escapeKey percent-encodes a key as S3's canonical request does: every
// byte but the unreserved characters and "/".
func escapeKey(key string) string {
	var b strings.Builder
	for i := 0; i < len(key); i++ {
		c := key[i]
		if 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || strings.IndexByte("-_.~/", c) >= 0 {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// signingKey derives Signature Version 4's key for a day.
func signingKey(secret, day, region string) []byte {
	k := hmacSHA256([]byte("AWS4"+secret), day)
	k = hmacSHA256(k, region)
	k = hmacSHA256(k, service)
	return hmacSHA256(k, "aws4_request")
}

func hmacSHA256(key []byte, data string) []byte {
	m := hmac.New(sha256.New, key)
	m.Write([]byte(data))
	return m.Sum(nil)
}

// SignPolicy returns the signature of a base64 POST policy, made at date
// (X-Amz-Date's form) in the region.
func SignPolicy(secret, date, region, policy string) string {
	return hex.EncodeToString(hmacSHA256(signingKey(secret, date[:8], region), policy))
}

// UploadForm returns a presigned POST: the key must start with prefix
// (the form's key is prefix + "${filename}", which S3 replaces with the
// chosen file's name), the body must be 1 to maxBytes bytes, the stored
// Content-Type is application/octet-stream (a hidden field, so no script
// is needed; the real type is found from the content later), and S3
// redirects to redirect (when given) with ?bucket=&key=&etag=.
func (f *Files) UploadForm(ctx context.Context, prefix string, maxBytes int64, redirect string) (*pathway.UploadForm, error) {
	creds, err := f.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, err
	}
	now := f.now().UTC()
	date := now.Format(amzDate)
	fields := map[string]string{
		"key": prefix + "${filename}", "Content-Type": octetType,
		"X-Amz-Algorithm": algorithm, "X-Amz-Date": date,
		"X-Amz-Credential": creds.AccessKeyID + "/" + date[:8] + "/" + f.cfg.Region + "/" + service + "/aws4_request",
	}
	conds := []any{
		map[string]string{"bucket": f.bucket},
		[]any{"starts-with", "$key", prefix},
		[]any{"content-length-range", 1, maxBytes},
		map[string]string{"Content-Type": octetType},
		map[string]string{"X-Amz-Algorithm": algorithm},
		map[string]string{"X-Amz-Credential": fields["X-Amz-Credential"]},
		map[string]string{"X-Amz-Date": date},
	}
	if redirect != "" {
		fields["success_action_redirect"] = redirect
		conds = append(conds, map[string]string{"success_action_redirect": redirect})
	}
	if creds.SessionToken != "" {
		fields["X-Amz-Security-Token"] = creds.SessionToken
		conds = append(conds, map[string]string{"X-Amz-Security-Token": creds.SessionToken})
	}
	doc, err := json.Marshal(map[string]any{"expiration": now.Add(FormTTL).Format("2006-01-02T15:04:05.000Z"), "conditions": conds})
	if err != nil {
		return nil, err
	}
	fields["Policy"] = base64.StdEncoding.EncodeToString(doc)
	fields["X-Amz-Signature"] = SignPolicy(creds.SecretAccessKey, date, f.cfg.Region, fields["Policy"])
	cost.MeterFrom(ctx).Add(cost.Usage{S3Puts: 1}) // the POST the form makes
	return &pathway.UploadForm{URL: f.objectURL("").String(), Fields: fields}, nil
}

// do signs and sends a request to the object, returning the response
// of a 2xx status; 404 is ENOTFOUND.
func (f *Files) do(ctx context.Context, method, key string, body []byte) (*http.Response, error) {
	creds, err := f.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, method, f.objectURL(key).String(), bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hash := emptySHA
	if body != nil {
		sum := sha256.Sum256(body)
		hash = hex.EncodeToString(sum[:])
		req.Header.Set("Content-Type", octetType)
	} else {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	req.Header.Set("X-Amz-Content-Sha256", hash)
	if err := f.signer.SignHTTP(ctx, creds, req, hash, service, f.cfg.Region, f.now().UTC()); err != nil {
		return nil, err
	}
	cost.MeterFrom(ctx).Add(requestUsage(method, body))
	resp, err := f.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode/100 == 2 {
		return resp, nil
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrBody))
	if resp.StatusCode == http.StatusNotFound {
		return nil, pathway.NotFound("file")
	}
	return nil, fmt.Errorf("s3files: %s %s: %s: %s", method, key, resp.Status, msg)
}

// Put stores the bytes of r (at most MaxFileSize and one byte) under key.
func (f *Files) Put(ctx context.Context, key string, r io.Reader, _ int64) error {
	b, err := io.ReadAll(io.LimitReader(r, pathway.MaxFileSize+1))
	if err != nil {
		return err
	}
	if b == nil {
		b = []byte{}
	}
	resp, err := f.do(ctx, http.MethodPut, key, b)
	if err != nil {
		return err
	}
	return resp.Body.Close()
}

// Open returns the object's bytes and size.
func (f *Files) Open(ctx context.Context, key string) (io.ReadCloser, int64, error) {
	resp, err := f.do(ctx, http.MethodGet, key, nil)
	if err != nil {
		return nil, 0, err
	}
	n, _ := strconv.ParseInt(resp.Header.Get("Content-Length"), 10, 64)
	return resp.Body, n, nil
}

// Delete removes the object (the bucket is versioned: the old version is
// kept until the lifecycle rule expires it).
func (f *Files) Delete(ctx context.Context, key string) error {
	resp, err := f.do(ctx, http.MethodDelete, key, nil)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	return resp.Body.Close()
}

// DownloadURL returns a presigned GET that serves the object as an
// attachment named name, of the type found from its content.
func (f *Files) DownloadURL(ctx context.Context, key, name, mimeType string, ttl time.Duration) (string, error) {
	creds, err := f.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return "", err
	}
	u := f.objectURL(key)
	q := url.Values{}
	q.Set("X-Amz-Expires", strconv.Itoa(int(ttl.Seconds())))
	q.Set("response-content-disposition", "attachment; filename*=UTF-8''"+escapeKey(strings.ReplaceAll(name, "/", "_")))
	q.Set("response-content-type", mimeType)
	u.RawQuery = strings.ReplaceAll(q.Encode(), "+", "%20")
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u.String(), nil)
	if err != nil {
		return "", err
	}
	signed, _, err := f.signer.PresignHTTP(ctx, creds, req, "UNSIGNED-PAYLOAD", service, f.cfg.Region, f.now().UTC())
	if err == nil {
		cost.MeterFrom(ctx).Add(cost.Usage{S3Gets: 1}) // the GET the link makes
	}
	return signed, err
}
