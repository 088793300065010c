package devauth

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"
)

// revocations are the sessions signed out before their tokens expired,
// each with its token's expiry, kept in memory and in a file of lines
// "<session ID> <expiry, Unix seconds>". A sign-out appends a line and
// syncs it before it is answered, so a restarted server refuses the token
// too; a start drops the lines of tokens that have expired since, which
// are refused anyway.
type revocations struct {
	path string
	mu   sync.RWMutex
	ids  map[string]time.Time
}

// loadRevocations reads the file at path (none yet is an empty list) and
// rewrites it without the sessions whose tokens expired before now.
func loadRevocations(path string, now time.Time) (*revocations, error) {
	rv := &revocations{path: path, ids: map[string]time.Time{}}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return rv, nil
	} else if err != nil {
		return nil, fmt.Errorf("devauth: read signed-out sessions: %w", err)
	}
	expired := false
	sc := bufio.NewScanner(bytes.NewReader(b))
	for sc.Scan() {
		id, expPart, ok := strings.Cut(strings.TrimSpace(sc.Text()), " ")
		exp, err := strconv.ParseInt(expPart, 10, 64)
		if !ok || id == "" || err != nil {
			continue // a line cut short by a crash: its sign-out was never answered
		}
		if at := time.Unix(exp, 0); now.Before(at) {
			rv.ids[id] = at
		} else {
			expired = true
		}
	}
	if expired {
		if err := rv.rewrite(); err != nil {
			return nil, err
		}
	}
	return rv, nil
}

// has reports whether the session was signed out.
func (rv *revocations) has(id string) bool {
	rv.mu.RLock()
	defer rv.mu.RUnlock()
	_, ok := rv.ids[id]
	return ok
}

// add signs out the session whose token expires at exp, durably.
func (rv *revocations) add(id string, exp, now time.Time) error {
	rv.mu.Lock()
	defer rv.mu.Unlock()
	if _, ok := rv.ids[id]; ok || !now.Before(exp) {
		return nil
	}
	f, err := os.OpenFile(rv.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("devauth: record a sign-out: %w", err)
	}
	_, werr := fmt.Fprintf(f, "%s %d\n", id, exp.Unix())
	if werr == nil {
		werr = f.Sync()
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return fmt.Errorf("devauth: record a sign-out: %w", werr)
	}
	rv.ids[id] = exp
	return nil
}

// rewrite replaces the file with the sessions in memory, through a
// temporary file renamed over it, so a crash leaves the old list or the
// new one.
func (rv *revocations) rewrite() error {
	var b strings.Builder
	for id, exp := range rv.ids {
		fmt.Fprintf(&b, "%s %d\n", id, exp.Unix())
	}
	tmp := rv.path + ".tmp"
	if err := os.WriteFile(tmp, []byte(b.String()), 0o600); err != nil {
		return fmt.Errorf("devauth: rewrite signed-out sessions: %w", err)
	}
	if err := os.Rename(tmp, rv.path); err != nil {
		return fmt.Errorf("devauth: rewrite signed-out sessions: %w", err)
	}
	return nil
}
