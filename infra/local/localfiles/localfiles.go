// Package localfiles is the evidence files' blob storage on one machine:
// the files live under a directory (the local server's --data), and the
// pages' upload form posts to this package's handler exactly as it posts
// to S3 on AWS: a signed policy (key prefix, size range, expiry, where to
// redirect), the file last, then a 303 to the redirect with ?key=.
package localfiles

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localsecret"
	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// UploadPath is where the upload form posts (local server only).
const UploadPath = "/local/files/upload"

// SecretFile names the policy-signing secret's file in the directory.
const SecretFile = "upload.secret"

// PolicyTTL is how long an upload form may be used.
const PolicyTTL = time.Hour

// Files stores files under a directory: objects/<sha256 of the key>, so
// no key, whatever it holds, can name a path outside it.
type Files struct {
	dir    string
	secret []byte
	now    func() time.Time
}

var _ pathway.Files = (*Files)(nil)

// New returns the storage under dir, creating it and its secret.
func New(dir string) (*Files, error) {
	if err := os.MkdirAll(filepath.Join(dir, "objects"), 0o700); err != nil {
		return nil, fmt.Errorf("localfiles: %w", err)
	}
	secret, err := loadSecret(filepath.Join(dir, SecretFile))
	if err != nil {
		return nil, err
	}
	return &Files{dir: dir, secret: secret, now: time.Now}, nil
}

// SetClock makes the storage read the time from now (tests).
func (f *Files) SetClock(now func() time.Time) { f.now = now }

// loadSecret reads the signing secret at path, or creates it.
func loadSecret(path string) ([]byte, error) { return localsecret.Load(path) }

// policy is what an upload form allows, signed.
type policy struct {
	Expires  time.Time `json:"expiration"`
	Prefix   string    `json:"prefix"`
	MaxBytes int64     `json:"maxBytes"`
	Redirect string    `json:"redirect"`
}

// sign returns the HMAC-SHA256 of the encoded policy, in hex.
func (f *Files) sign(encoded string) string {
	m := hmac.New(sha256.New, f.secret)
	m.Write([]byte("localfiles-policy-v1\x00" + encoded))
	return hex.EncodeToString(m.Sum(nil))
}

// UploadForm returns the form fields for one upload, as S3's presigned
// POST does: key (the prefix and ${filename}), policy, signature and
// success_action_redirect.
func (f *Files) UploadForm(ctx context.Context, prefix string, maxBytes int64, redirect string) (*pathway.UploadForm, error) {
	cost.MeterFrom(ctx).Add(cost.Usage{S3Puts: 1}) // the POST it allows, as S3's form (shared/s3files)
	b, err := json.Marshal(policy{Expires: f.now().Add(PolicyTTL).UTC(), Prefix: prefix, MaxBytes: maxBytes, Redirect: redirect})
	if err != nil {
		return nil, err
	}
	enc := base64.StdEncoding.EncodeToString(b)
	return &pathway.UploadForm{URL: UploadPath, Fields: map[string]string{
		"key": prefix + "${filename}", "policy": enc, "signature": f.sign(enc), "success_action_redirect": redirect,
	}}, nil
}

// path returns where the bytes of key live.
func (f *Files) path(key string) string {
	sum := sha256.Sum256([]byte(key))
	return filepath.Join(f.dir, "objects", hex.EncodeToString(sum[:]))
}

// Put stores the bytes of r under key, atomically.
func (f *Files) Put(ctx context.Context, key string, r io.Reader, _ int64) error {
	n, err := f.write(key, r, -1)
	if err == nil {
		cost.MeterFrom(ctx).Add(cost.Usage{S3Puts: 1, S3Bytes: n}) // as S3's PUT would be billed
	}
	return err
}

// errTooBig reports more bytes than allowed.
var errTooBig = errors.New("localfiles: too many bytes")

// write copies r to a temporary file (at most limit bytes, or any number
// when limit < 0), syncs it and renames it into place, so a reader never
// sees half a file. It returns the number of bytes.
func (f *Files) write(key string, r io.Reader, limit int64) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Join(f.dir, "objects"), ".upload-*")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name()) // after the rename this removes nothing
	src := r
	if limit >= 0 {
		src = io.LimitReader(r, limit+1)
	}
	n, err := io.Copy(tmp, src)
	if err == nil && limit >= 0 && n > limit {
		err = errTooBig
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), f.path(key))
	}
	if err == nil {
		err = syncDir(filepath.Join(f.dir, "objects"))
	}
	return n, err
}

// syncDir makes a rename in dir durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Open returns the bytes under key.
func (f *Files) Open(ctx context.Context, key string) (io.ReadCloser, int64, error) {
	cost.MeterFrom(ctx).Add(cost.Usage{S3Gets: 1}) // as S3's GET would be billed
	file, err := os.Open(f.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, 0, pathway.NotFound("file")
	} else if err != nil {
		return nil, 0, err
	}
	st, err := file.Stat()
	if err != nil {
		file.Close()
		return nil, 0, err
	}
	return file, st.Size(), nil
}

// Delete removes the bytes under key.
func (f *Files) Delete(_ context.Context, key string) error {
	err := os.Remove(f.path(key))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// DownloadURL returns ErrNoURL: the server streams local files itself.
func (f *Files) DownloadURL(context.Context, string, string, string, time.Duration) (string, error) {
	return "", pathway.ErrNoURL
}
