// Package s3files is the evidence files' blob storage on Amazon S3: a
// private bucket that browsers post to with a presigned POST policy, and
// that people download from through short-lived presigned GETs. The
// function only signs; the bytes never pass through it.
package s3files

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/url"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/aws-sdk-go-v2/service/s3/types"
	"github.com/aws/smithy-go"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// BucketEnv names the variable holding the bucket's name (template.yaml).
const BucketEnv = "FILES_BUCKET"

// FormTTL is how long an upload form may be used.
const FormTTL = time.Hour

// Files implements pathway.Files over one bucket.
type Files struct {
	client  *s3.Client
	presign *s3.PresignClient
	bucket  string
}

var _ pathway.Files = (*Files)(nil)

// New returns the storage over the bucket.
func New(client *s3.Client, bucket string) *Files {
	return &Files{client: client, presign: s3.NewPresignClient(client), bucket: bucket}
}

// UploadForm returns a presigned POST: the key must start with prefix
// (the form's key is prefix + "${filename}", which S3 replaces with the
// chosen file's name), the body must be 1 to maxBytes bytes, the stored
// Content-Type is application/octet-stream (a hidden field, so no script
// is needed; the real type is found from the content later), and S3
// redirects to redirect (when given) with ?bucket=&key=&etag=.
func (f *Files) UploadForm(ctx context.Context, prefix string, maxBytes int64, redirect string) (*pathway.UploadForm, error) {
	conds := []any{
		[]any{"starts-with", "$key", prefix},
		[]any{"content-length-range", 1, maxBytes},
		map[string]string{"Content-Type": "application/octet-stream"},
	}
	if redirect != "" {
		conds = append(conds, map[string]string{"success_action_redirect": redirect})
	}
	req, err := f.presign.PresignPostObject(ctx, &s3.PutObjectInput{Bucket: aws.String(f.bucket), Key: aws.String(prefix + "${filename}")},
		func(o *s3.PresignPostOptions) { o.Expires, o.Conditions = FormTTL, conds })
	if err != nil {
		return nil, err
	}
	fields := req.Values
	fields["Content-Type"] = "application/octet-stream"
	if redirect != "" {
		fields["success_action_redirect"] = redirect
	}
	return &pathway.UploadForm{URL: req.URL, Fields: fields}, nil
}

// Put stores size bytes of r (size < 0: unknown, read into memory first,
// at most MaxFileSize and one byte) under key.
func (f *Files) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	in := &s3.PutObjectInput{Bucket: aws.String(f.bucket), Key: aws.String(key), ContentType: aws.String("application/octet-stream")}
	if size < 0 {
		b, err := io.ReadAll(io.LimitReader(r, pathway.MaxFileSize+1))
		if err != nil {
			return err
		}
		r, size = bytes.NewReader(b), int64(len(b))
	}
	in.Body, in.ContentLength = r, aws.Int64(size)
	_, err := f.client.PutObject(ctx, in)
	return err
}

// Open returns the object's bytes and size.
func (f *Files) Open(ctx context.Context, key string) (io.ReadCloser, int64, error) {
	out, err := f.client.GetObject(ctx, &s3.GetObjectInput{Bucket: aws.String(f.bucket), Key: aws.String(key)})
	if notFound(err) {
		return nil, 0, pathway.NotFound("file")
	} else if err != nil {
		return nil, 0, err
	}
	return out.Body, aws.ToInt64(out.ContentLength), nil
}

// notFound reports a missing key.
func notFound(err error) bool {
	var nsk *types.NoSuchKey
	var api smithy.APIError
	return errors.As(err, &nsk) || (errors.As(err, &api) && (api.ErrorCode() == "NotFound" || api.ErrorCode() == "NoSuchKey"))
}

// Delete removes the object (S3 keeps the old version: the bucket is
// versioned, and a lifecycle rule expires it).
func (f *Files) Delete(ctx context.Context, key string) error {
	_, err := f.client.DeleteObject(ctx, &s3.DeleteObjectInput{Bucket: aws.String(f.bucket), Key: aws.String(key)})
	return err
}

// DownloadURL returns a presigned GET that serves the object as an
// attachment named name, of the type found from its content.
func (f *Files) DownloadURL(ctx context.Context, key, name, mimeType string, ttl time.Duration) (string, error) {
	req, err := f.presign.PresignGetObject(ctx, &s3.GetObjectInput{
		Bucket: aws.String(f.bucket), Key: aws.String(key),
		ResponseContentDisposition: aws.String("attachment; filename*=UTF-8''" + url.PathEscape(name)),
		ResponseContentType:        aws.String(mimeType),
	}, s3.WithPresignExpires(ttl))
	if err != nil {
		return "", err
	}
	return req.URL, nil
}
