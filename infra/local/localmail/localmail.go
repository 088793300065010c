// Package localmail is the local server's mailer: each email is written as
// a JSON file under the data folder instead of being sent, and GET
// /local/mail lists them, newest first, as JSON or, for a browser, as a
// page. It exists only in the local server; the Lambda sends through SES.
package localmail

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Dir is the folder under the data directory that holds the mails.
const Dir = "mail"

// Sent is one mail as written and listed.
type Sent struct {
	To      string    `json:"to"`
	Subject string    `json:"subject"`
	Body    string    `json:"body"`
	SentAt  time.Time `json:"sentAt"`
}

// Box writes mails to a folder and lists them.
type Box struct {
	dir string
	now func() time.Time
	seq atomic.Uint64
}

var _ pathway.Mailer = (*Box)(nil)

// New returns the box over <data>/mail, creating the folder; now nil means
// time.Now.
func New(data string, now func() time.Time) (*Box, error) {
	if now == nil {
		now = time.Now
	}
	dir := filepath.Join(data, Dir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("localmail: %w", err)
	}
	return &Box{dir: dir, now: now}, nil
}

// Send writes the mail as one file, atomically: written to a temporary
// file, synced and renamed, so a listing never reads half a mail.
func (b *Box) Send(_ context.Context, m pathway.Mail) error {
	at := b.now().UTC()
	body, err := json.MarshalIndent(Sent{To: m.To, Subject: m.Subject, Body: m.Body, SentAt: at}, "", "  ")
	if err != nil {
		return err
	}
	// The name orders the files by time; the counter and process ID keep
	// two mails of one nanosecond apart.
	name := fmt.Sprintf("%s-%d-%06d.json", at.Format("20060102T150405.000000000Z"), os.Getpid(), b.seq.Add(1))
	tmp, err := os.CreateTemp(b.dir, ".mail-*")
	if err != nil {
		return fmt.Errorf("localmail: %w", err)
	}
	defer os.Remove(tmp.Name()) // after the rename, there is nothing to remove
	if _, err := tmp.Write(body); err != nil {
		tmp.Close()
		return fmt.Errorf("localmail: %w", err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("localmail: %w", err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("localmail: %w", err)
	}
	return os.Rename(tmp.Name(), filepath.Join(b.dir, name))
}

// List returns every mail written, newest first.
func (b *Box) List() ([]Sent, error) {
	entries, err := os.ReadDir(b.dir)
	if errors.Is(err, fs.ErrNotExist) {
		return []Sent{}, nil
	}
	if err != nil {
		return nil, err
	}
	out := []Sent{}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") || strings.HasPrefix(e.Name(), ".") {
			continue
		}
		raw, err := os.ReadFile(filepath.Join(b.dir, e.Name()))
		if err != nil {
			return nil, err
		}
		var s Sent
		if err := json.Unmarshal(raw, &s); err != nil {
			continue // not one of ours
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(a, b Sent) int { return b.SentAt.Compare(a.SentAt) })
	return out, nil
}

// ServeHTTP answers GET /local/mail: {"mails":[…]} newest first, or a page
// when the browser asks for HTML. Locally there is no sign-in for it: the
// mails of everyone are what a developer wants to read.
func (b *Box) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	mails, err := b.List()
	if err != nil {
		http.Error(w, "The mails could not be read: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	if strings.Contains(r.Header.Get("Accept"), "text/html") {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		if err := page.Execute(w, mails); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string][]Sent{"mails": mails})
}

// page lists the mails for a browser: one section per mail, its text as
// written.
var page = template.Must(template.New("mail").Funcs(template.FuncMap{
	"when": func(t time.Time) string { return t.In(pathway.UKTime).Format("2 January 2006 at 15:04:05") },
}).Parse(`<!DOCTYPE html>
<html lang="en-GB">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Mail sent by the local server – Co-op Care Pathway</title>
<style>body{font-family:system-ui,sans-serif;max-width:50rem;margin:1rem auto;padding:0 1rem;line-height:1.5;color:#0b0c0c}
article{border-top:1px solid #b1b4b6;padding:.5rem 0}pre{white-space:pre-wrap;font:inherit}dt{font-weight:bold}</style></head>
<body><main>
<h1>Mail sent by the local server</h1>
<p>Emails the local server would have sent, newest first. They are files in the data folder's <code>mail</code> folder; nothing leaves this machine.</p>
{{if not .}}<p>No mail yet.</p>{{end}}
{{range .}}<article>
<h2>{{.Subject}}</h2>
<dl><dt>To</dt><dd>{{.To}}</dd><dt>Sent</dt><dd>{{when .SentAt}}</dd></dl>
<pre>{{.Body}}</pre>
</article>{{end}}
</main></body></html>
`))
