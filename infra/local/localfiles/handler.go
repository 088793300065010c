package localfiles

import (
	"crypto/hmac"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"path"
	"strings"
)

// maxFieldBytes bounds each form field before the file.
const maxFieldBytes = 8 << 10

// uploadError is a refused upload: the status and what to tell the person.
type uploadError struct {
	status int
	msg    string
}

func refuse(status int, msg string) *uploadError { return &uploadError{status, msg} }

// Handler serves POST UploadPath: it checks the form's signed policy
// (signature, expiry, key prefix), streams the file (the last part, as
// S3 requires) to disk within the policy's size range, and redirects 303
// to the policy's success_action_redirect with ?key=, as S3 does.
func (f *Files) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "Upload files with the form on the item's page.", http.StatusMethodNotAllowed)
			return
		}
		to, uerr := f.receive(w, r)
		if uerr != nil {
			w.Header().Set("Cache-Control", "no-store")
			http.Error(w, uerr.msg, uerr.status)
			return
		}
		if to == "" { // no redirect asked (an API client): S3 answers 204
			w.WriteHeader(http.StatusNoContent)
			return
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	})
}

// receive stores the posted file and returns where to redirect.
func (f *Files) receive(w http.ResponseWriter, r *http.Request) (string, *uploadError) {
	if mt, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mt != "multipart/form-data" {
		return "", refuse(http.StatusBadRequest, "Send the upload as multipart/form-data.")
	}
	mr, err := r.MultipartReader()
	if err != nil {
		return "", refuse(http.StatusBadRequest, "The upload could not be read.")
	}
	fields := map[string]string{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return "", refuse(http.StatusBadRequest, "Choose a file to upload.")
		} else if err != nil {
			return "", refuse(http.StatusBadRequest, "The upload could not be read.")
		}
		if part.FormName() != "file" {
			b, err := io.ReadAll(io.LimitReader(part, maxFieldBytes+1))
			if err != nil || len(b) > maxFieldBytes {
				return "", refuse(http.StatusBadRequest, "The upload form could not be read.")
			}
			fields[part.FormName()] = string(b)
			continue
		}
		p, uerr := f.check(fields)
		if uerr != nil {
			return "", uerr
		}
		name := path.Base(strings.ReplaceAll(part.FileName(), `\`, "/"))
		if part.FileName() == "" || name == "." || name == "/" {
			return "", refuse(http.StatusBadRequest, "Choose a file to upload.")
		}
		key := strings.ReplaceAll(fields["key"], "${filename}", name)
		if !strings.HasPrefix(key, p.Prefix) || len(key) > 1024 {
			return "", refuse(http.StatusForbidden, "The upload's name is not allowed by its form.")
		}
		n, err := f.write(key, part, p.MaxBytes)
		switch {
		case errors.Is(err, errTooBig):
			return "", refuse(http.StatusBadRequest, "The file must be smaller than 20 MB. Go back and choose a smaller file.")
		case err != nil:
			return "", refuse(http.StatusInternalServerError, "The file could not be saved. Go back and try again.")
		case n == 0:
			_ = f.Delete(r.Context(), key)
			return "", refuse(http.StatusBadRequest, "The file is empty. Go back and choose the file again.")
		}
		if p.Redirect == "" {
			return "", nil
		}
		return withKey(p.Redirect, key), nil
	}
}

// check verifies the form's policy: signed by this server, not expired,
// and the key field under its prefix.
func (f *Files) check(fields map[string]string) (*policy, *uploadError) {
	enc, sig := fields["policy"], fields["signature"]
	if enc == "" || !hmac.Equal([]byte(sig), []byte(f.sign(enc))) {
		return nil, refuse(http.StatusForbidden, "The upload form's signature is not valid. Go back, reload the page and try again.")
	}
	var p policy
	b, err := base64.StdEncoding.DecodeString(enc)
	if err == nil {
		err = json.Unmarshal(b, &p)
	}
	if err != nil {
		return nil, refuse(http.StatusForbidden, "The upload form is not valid.")
	}
	if !f.now().Before(p.Expires) {
		return nil, refuse(http.StatusForbidden, "The upload form has expired. Go back, reload the page and try again.")
	}
	if !strings.HasPrefix(fields["key"], p.Prefix) || strings.Contains(fields["key"][len(p.Prefix):], "/") {
		return nil, refuse(http.StatusForbidden, "The upload's name is not allowed by its form.")
	}
	if fields["success_action_redirect"] != p.Redirect {
		return nil, refuse(http.StatusForbidden, "The upload form's redirect is not the one signed.")
	}
	return &p, nil
}

// withKey adds key= to the redirect's query, as S3 does.
func withKey(redirect, key string) string {
	u, err := url.Parse(redirect)
	if err != nil {
		return "/"
	}
	q := u.Query()
	q.Set("key", key)
	u.RawQuery = q.Encode()
	return u.String()
}
