// Package embedded implements pathway.Store in one bbolt file, so the whole
// application runs on one machine with no database server. It is the default
// store of `go run ./infra/local` and the store tests use.
//
// Records are stored as JSON. Every index (the pipeline by programme and
// stage, stage counts, founders' co-ops, task inboxes) lives in its own
// bucket and is written in the same bbolt transaction as the record it
// indexes, so an index never disagrees with its records. bbolt runs one
// writer at a time, and every condition (version, existence, open task) is
// checked inside the write transaction, so conflicts are exact.
//
// Bucket names: every bucket this package uses starts with "store." Other
// packages that share the file through DB (the local Step Functions engine)
// must use another prefix.
package embedded

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"go.etcd.io/bbolt"
)

// BucketPrefix starts the name of every bucket the store uses.
const BucketPrefix = "store."

// Buckets. Keys are built in keys.go.
var (
	bucketCoops      = []byte(BucketPrefix + "coops")       // coop ID → Coop JSON
	bucketPipeline   = []byte(BucketPrefix + "pipeline")    // programme, stage, entered, ID → nothing
	bucketCounts     = []byte(BucketPrefix + "counts")      // programme, stage → count (uint64)
	bucketFounders   = []byte(BucketPrefix + "founders")    // user, coop ID → nothing
	bucketEvents     = []byte(BucketPrefix + "events")      // coop, event ID → Event JSON
	bucketTasks      = []byte(BucketPrefix + "tasks")       // task ID → Task JSON
	bucketInbox      = []byte(BucketPrefix + "tasks.inbox") // organisation, role, due, ID → nothing (open tasks)
	bucketCoopTasks  = []byte(BucketPrefix + "tasks.coop")  // coop, due, ID → nothing (open tasks)
	bucketChecklist  = []byte(BucketPrefix + "checklist")   // coop, item ID → ChecklistItem JSON
	bucketOrgs       = []byte(BucketPrefix + "organisations")
	bucketProgrammes = []byte(BucketPrefix + "programmes")
	bucketUsers      = []byte(BucketPrefix + "users")
	bucketResponses  = []byte(BucketPrefix + "idempotency") // key → IdempotentResponse JSON
)

var allBuckets = [][]byte{
	bucketCoops, bucketPipeline, bucketCounts, bucketFounders, bucketEvents,
	bucketTasks, bucketInbox, bucketCoopTasks, bucketChecklist,
	bucketOrgs, bucketProgrammes, bucketUsers, bucketResponses,
}

// Store is a pathway.Store in a bbolt file. It is safe for concurrent use.
type Store struct {
	db *bbolt.DB
	// visited counts index keys the pipeline listing stepped over; tests use
	// it to prove a page is a seek, not a scan.
	visited atomic.Int64
}

var _ pathway.Store = (*Store)(nil)

// Option changes how Open opens the file.
type Option func(*bbolt.Options)

// WithTimeout sets how long Open waits for another process to release the
// file's lock before failing; the default is one second, so a second copy of
// the application fails fast instead of hanging.
func WithTimeout(d time.Duration) Option {
	return func(o *bbolt.Options) { o.Timeout = d }
}

// WithNoSync skips fsync on commit. A crash can then lose recent writes, so
// use it only for tests and benchmarks.
func WithNoSync() Option {
	return func(o *bbolt.Options) { o.NoSync, o.NoGrowSync = true, true }
}

// Open opens (creating if needed) the store file at path and its buckets.
func Open(path string, opts ...Option) (*Store, error) {
	o := &bbolt.Options{Timeout: time.Second, FreelistType: bbolt.FreelistMapType}
	for _, opt := range opts {
		opt(o)
	}
	db, err := bbolt.Open(path, 0o600, o)
	if err != nil {
		return nil, fmt.Errorf("embedded: open %s: %w", path, err)
	}
	err = db.Update(func(tx *bbolt.Tx) error {
		for _, name := range allBuckets {
			if _, err := tx.CreateBucketIfNotExists(name); err != nil {
				return fmt.Errorf("create bucket %s: %w", name, err)
			}
		}
		return nil
	})
	if err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("embedded: %w", err)
	}
	return &Store{db: db}, nil
}

// Close closes the file. Pending reads finish first.
func (s *Store) Close() error { return s.db.Close() }

// DB returns the underlying bbolt database, so other local components can
// keep their data in the same file. They must name their buckets without the
// BucketPrefix ("store.") this package uses.
func (s *Store) DB() *bbolt.DB { return s.db }

// view runs fn in a read transaction, unless ctx is already done.
func (s *Store) view(ctx context.Context, fn func(tx *bbolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return wrap(s.db.View(fn))
}

// update runs fn in a write transaction, unless ctx is already done. fn's
// changes are committed only if it returns nil.
func (s *Store) update(ctx context.Context, fn func(tx *bbolt.Tx) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return wrap(s.db.Update(fn))
}

// wrap passes application errors through and labels any other error with
// the package, so a log shows where it came from.
func wrap(err error) error {
	var e *pathway.Error
	if err == nil || errors.As(err, &e) {
		return err
	}
	return fmt.Errorf("embedded: %w", err)
}
