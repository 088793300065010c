package states

import (
	"bytes"
	"errors"
	"runtime"
	"sync"

	"go.etcd.io/bbolt"
)

// Bucket names; every one is prefixed "states." so the engine can share the
// embedded store's file.
var (
	bucketExecs   = []byte("states.executions")
	bucketFrames  = []byte("states.frames")
	bucketHistory = []byte("states.history")
)

// op is one write of a batch: a put, a delete (val nil) or the delete of
// every key with a prefix.
type op struct {
	bucket, key, val []byte
	prefix           bool
}

// writer commits the writes of all executions in shared transactions
// (group commit): while one transaction is being written and synced, the
// next batch fills up, so many concurrent executions share each fsync.
type writer struct {
	db   *bbolt.DB
	mu   sync.Mutex
	cond *sync.Cond // signals committed batches
	work chan struct{}

	queue     []op
	filling   uint64 // the batch being filled
	committed uint64 // the last batch committed
	err       error
	closed    bool
	over      bool // the loop has stopped: nothing more is committed
	stopped   chan struct{}
}

// errWriterClosed answers a wait for writes enqueued after close: they are
// not committed.
var errWriterClosed = errors.New("states: the engine is closed; the change was not saved")

// newWriter creates the buckets and starts the commit loop.
func newWriter(db *bbolt.DB) (*writer, error) {
	err := db.Update(func(tx *bbolt.Tx) error {
		for _, b := range [][]byte{bucketExecs, bucketFrames, bucketHistory} {
			if _, err := tx.CreateBucketIfNotExists(b); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	w := &writer{db: db, work: make(chan struct{}, 1), filling: 1, stopped: make(chan struct{})}
	w.cond = sync.NewCond(&w.mu)
	go w.loop()
	return w, nil
}

// enqueue adds ops to the batch being filled and returns its number; ops
// of one caller are applied in order, after every op enqueued before.
func (w *writer) enqueue(ops ...op) uint64 {
	w.mu.Lock()
	w.queue = append(w.queue, ops...)
	n := w.filling
	w.mu.Unlock()
	select {
	case w.work <- struct{}{}:
	default:
	}
	return n
}

// wait blocks until batch n is committed and returns the commit's error.
func (w *writer) wait(n uint64) error {
	w.mu.Lock()
	defer w.mu.Unlock()
	for w.committed < n && w.err == nil {
		if w.over {
			// An API call racing Close would otherwise wait forever.
			return errWriterClosed
		}
		w.cond.Wait()
	}
	return w.err
}

// write enqueues ops and waits for their commit.
func (w *writer) write(ops ...op) error { return w.wait(w.enqueue(ops...)) }

// loop commits batches until close.
func (w *writer) loop() {
	defer close(w.stopped)
	for {
		w.mu.Lock()
		for len(w.queue) == 0 && !w.closed {
			w.mu.Unlock()
			<-w.work
			w.mu.Lock()
		}
		if len(w.queue) == 0 && w.closed {
			w.over = true
			w.cond.Broadcast()
			w.mu.Unlock()
			return
		}
		// Let the executions that are about to write join this batch: a
		// commit costs an fsync, however many executions share it.
		for i := 0; i < 16 && !w.closed; i++ {
			before := len(w.queue)
			w.mu.Unlock()
			runtime.Gosched()
			w.mu.Lock()
			if len(w.queue) == before {
				break
			}
		}
		batch, n := w.queue, w.filling
		w.queue = nil
		w.filling++
		w.mu.Unlock()

		err := w.db.Update(func(tx *bbolt.Tx) error { return apply(tx, batch) })

		w.mu.Lock()
		w.committed = n
		if err != nil && w.err == nil {
			w.err = err
		}
		w.cond.Broadcast()
		w.mu.Unlock()
	}
}

// apply performs a batch in one transaction.
func apply(tx *bbolt.Tx, batch []op) error {
	for _, o := range batch {
		b := tx.Bucket(o.bucket)
		switch {
		case o.prefix:
			// Collect first: deleting under a cursor can skip keys.
			var keys [][]byte
			c := b.Cursor()
			for k, _ := c.Seek(o.key); k != nil && bytes.HasPrefix(k, o.key); k, _ = c.Next() {
				keys = append(keys, append([]byte(nil), k...))
			}
			for _, k := range keys {
				if err := b.Delete(k); err != nil {
					return err
				}
			}
		case o.val == nil:
			if err := b.Delete(o.key); err != nil {
				return err
			}
		default:
			if err := b.Put(o.key, o.val); err != nil {
				return err
			}
		}
	}
	return nil
}

// close commits what is queued and stops the loop.
func (w *writer) close() error {
	w.mu.Lock()
	w.closed = true
	w.mu.Unlock()
	select {
	case w.work <- struct{}{}:
	default:
	}
	<-w.stopped
	return w.err
}
