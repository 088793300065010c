package main

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// localMail is one mail as GET /local/mail lists it.
type localMail struct {
	To, Subject, Body, SentAt string
}

// waitMail waits for a mail to the address whose subject starts with
// subject and whose body holds body, as GET /local/mail lists it (JSON,
// newest first), and returns it.
func waitMail(t *testing.T, base, to, subject, body string) localMail {
	t.Helper()
	var got struct {
		Mails []localMail `json:"mails"`
	}
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		res, err := http.Get(base + "/local/mail")
		if err != nil {
			t.Fatal(err)
		}
		err = json.NewDecoder(res.Body).Decode(&got)
		res.Body.Close()
		if err != nil || res.StatusCode != http.StatusOK {
			t.Fatalf("GET /local/mail: %d, %v", res.StatusCode, err)
		}
		for i, m := range got.Mails {
			if i > 0 && sentAt(t, m).After(sentAt(t, got.Mails[i-1])) {
				t.Fatalf("/local/mail is not newest first: %v", got.Mails)
			}
		}
		for _, m := range got.Mails {
			if m.To == to && strings.HasPrefix(m.Subject, subject) && strings.Contains(m.Body, body) {
				return m
			}
		}
	}
	t.Fatalf("no mail to %s %q with %q; the mails are %+v", to, subject, body, got.Mails)
	return localMail{}
}

// sentAt reads when a listed mail was written.
func sentAt(t *testing.T, m localMail) time.Time {
	t.Helper()
	at, err := time.Parse(time.RFC3339Nano, m.SentAt)
	if err != nil {
		t.Fatalf("sentAt %q: %v", m.SentAt, err)
	}
	return at
}
