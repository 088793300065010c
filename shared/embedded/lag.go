package embedded

import (
	"bytes"
	"slices"
	"sync"
	"time"
)

// Index lag. DynamoDB updates a global secondary index a little after the
// table, so code that writes an item and then reads it back through an
// index may miss it. To let tests meet that bug here, a lagged table keeps
// in memory, for each recent commit, the before-image of every index entry
// it changed, and an index query lays the before-images of the commits
// younger than the lag over what the bucket holds. The query thus sees the
// index exactly as the last older commit left it: a consistent past state,
// so a cursor still neither skips nor repeats an item.
//
// No bbolt read transaction is held open while waiting for anything: a
// write holds mu (exclusively) around its bbolt update and the log append,
// and a lagged query holds it (shared) around its bbolt read, so the read
// sees the log that matches its snapshot. bbolt's remap, which waits for
// readers, cannot wait on a reader that waits on mu.

// lagLog is the recent commits of a lagged table.
type lagLog struct {
	lag     time.Duration
	mu      sync.RWMutex
	commits []commit // oldest first; none older than lag after a commit
}

// commit is one transaction's changes to index entries.
type commit struct {
	at      time.Time
	changes changes
}

// change is one index entry a commit changed, and its value before (nil
// when the entry was absent).
type change struct {
	ix          int
	key, before []byte
}

// changes collects a transaction's changes. A nil *changes collects
// nothing, which is what an unlagged table passes.
type changes []change

// note records that the entry key of index ix held before (nil: absent)
// before this transaction changed it.
func (c *changes) note(ix int, key, before []byte) {
	if c == nil {
		return
	}
	if before != nil {
		before = bytes.Clone(before) // bbolt's memory outlives no transaction
	}
	*c = append(*c, change{ix: ix, key: key, before: before})
}

// commit runs update (a bbolt update noting its changes) and logs what it
// changed, and forgets commits that no query hides any more.
func (l *lagLog) commit(update func(*changes) error) error {
	l.mu.Lock()
	defer l.mu.Unlock()
	var rec changes
	err := update(&rec)
	now := time.Now()
	if err == nil && len(rec) > 0 {
		l.commits = append(l.commits, commit{at: now, changes: rec})
	}
	old := 0
	for old < len(l.commits) && now.Sub(l.commits[old].at) >= l.lag {
		old++
	}
	l.commits = slices.Delete(l.commits, 0, old)
	return err
}

// entry is one index entry; a nil val means the entry is absent.
type entry struct{ key, val []byte }

// overlay returns the entries of index ix in [lo, hi) as they were before
// the commits younger than the lag, in query order. The caller holds mu.
func (l *lagLog) overlay(ix int, lo, hi []byte, desc bool, now time.Time) []entry {
	// Walking from the newest commit to the oldest and overwriting leaves
	// each key with the before-image of the oldest commit still hidden.
	m := map[string][]byte{}
	for i := len(l.commits) - 1; i >= 0 && now.Sub(l.commits[i].at) < l.lag; i-- {
		for _, c := range l.commits[i].changes {
			if c.ix == ix && bytes.Compare(c.key, lo) >= 0 && bytes.Compare(c.key, hi) < 0 {
				m[string(c.key)] = c.before
			}
		}
	}
	out := make([]entry, 0, len(m))
	for k, v := range m {
		out = append(out, entry{key: []byte(k), val: v})
	}
	slices.SortFunc(out, func(a, b entry) int {
		if desc {
			return bytes.Compare(b.key, a.key)
		}
		return bytes.Compare(a.key, b.key)
	})
	return out
}
