package states

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"go.etcd.io/bbolt"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// stored is one running execution as read back from the DB.
type stored struct {
	arn    string
	rec    execRec
	frames map[string]*frameRec
	lastID int64
}

// Resume continues every execution a previous process left RUNNING in the
// DB; call it once, after registering handlers and state machines. A frame
// that was running a state runs it again unless the state had completed
// (a completed state's result is persisted before the next state starts);
// callbacks keep their tokens; Wait, retry, timeout and heartbeat timers
// are re-armed at their due time (already past: now). An in-memory engine
// has nothing to resume. Executions of unknown state machines stay in the
// DB and are reported in the error.
func (e *Engine) Resume(ctx context.Context) error {
	if e.w == nil {
		return nil
	}
	all, err := e.loadRunning()
	if err != nil {
		return err
	}
	var errs []error
	for _, s := range all {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := e.resumeOne(s); err != nil {
			errs = append(errs, fmt.Errorf("resuming %s: %w", s.arn, err))
		}
	}
	return errors.Join(errs...)
}

// loadRunning reads every RUNNING execution with its frames.
func (e *Engine) loadRunning() ([]*stored, error) {
	var all []*stored
	err := e.opts.DB.View(func(tx *bbolt.Tx) error {
		frames, hist := tx.Bucket(bucketFrames), tx.Bucket(bucketHistory)
		return tx.Bucket(bucketExecs).ForEach(func(k, v []byte) error {
			var r execRec
			if err := json.Unmarshal(v, &r); err != nil {
				return fmt.Errorf("execution %s: %w", k, err)
			}
			if r.Status != ExecRunning {
				return nil
			}
			s := &stored{arn: string(k), rec: r, frames: map[string]*frameRec{}}
			prefix := frameKey(s.arn, "")
			c := frames.Cursor()
			for fk, fv := c.Seek(prefix); fk != nil && bytes.HasPrefix(fk, prefix); fk, fv = c.Next() {
				var fr frameRec
				if err := json.Unmarshal(fv, &fr); err != nil {
					return fmt.Errorf("frame %q: %w", fk, err)
				}
				s.frames[string(fk[len(prefix):])] = &fr
			}
			hc := hist.Cursor()
			hc.Seek([]byte(s.arn + "\x01"))
			if hk, _ := hc.Prev(); hk != nil && bytes.HasPrefix(hk, prefix) && len(hk) == len(prefix)+8 {
				s.lastID = int64(binary.BigEndian.Uint64(hk[len(prefix):]))
			}
			all = append(all, s)
			return nil
		})
	})
	return all, err
}

// resumeOne rebuilds one execution's frames and sets them going.
func (e *Engine) resumeOne(s *stored) error {
	e.mu.Lock()
	_, known := e.execs[s.arn]
	e.mu.Unlock()
	if known {
		return nil // resumed already, or started again by this process
	}
	m := e.machine(s.rec.Machine)
	if m == nil {
		return fmt.Errorf("state machine %s is not registered", s.rec.Machine)
	}
	ex := &execution{e: e, m: m, arn: s.arn, name: s.rec.Name, input: s.rec.Input, start: fromNano(s.rec.Start),
		done: make(chan struct{}), status: ExecRunning, nextID: s.lastID, deadline: fromNano(s.rec.Deadline)}
	frames, err := buildTree(ex, s.frames)
	if err != nil {
		return err
	}
	e.mu.Lock()
	e.execs[ex.arn] = ex
	e.mu.Unlock()
	e.armTimeout(ex)
	for _, f := range frames {
		e.restart(f)
	}
	return nil
}

// buildTree restores the frames of ex, parents before children, and
// returns them in that order.
func buildTree(ex *execution, recs map[string]*frameRec) ([]*frame, error) {
	keys := make([]string, 0, len(recs))
	for k := range recs {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		di, dj := strings.Count(keys[i], "."), strings.Count(keys[j], ".")
		if di != dj {
			return di < dj
		}
		return keys[i] < keys[j]
	})
	byKey := map[string]*frame{}
	var out []*frame
	for _, k := range keys {
		if k == "r" {
			f, err := restoreFrame(ex, k, ex.m.def, recs[k])
			if err != nil {
				return nil, err
			}
			ex.root, byKey[k] = f, f
			out = append(out, f)
			continue
		}
		dot := strings.LastIndexByte(k, '.')
		p := byKey[k[:max(dot, 0)]]
		idx, err := strconv.Atoi(k[dot+1:])
		if p == nil || err != nil || p.phase != phChildren {
			continue // left over from a finished Parallel or Map: ignored
		}
		f, err := restoreFrame(ex, k, kidDef(p, idx), recs[k])
		if err != nil {
			return nil, err
		}
		f.parent, f.idx = p, idx
		byKey[k] = f
		out = append(out, f)
	}
	if ex.root == nil {
		return nil, errors.New("no frame recorded")
	}
	for _, f := range out {
		if f.phase == phChildren {
			if err := restoreChildren(f, byKey); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

// kidDef is the definition child idx of p runs.
func kidDef(p *frame, idx int) *asl.Definition {
	if p.st.Type == asl.TypeParallel && idx < len(p.st.Branches) {
		return p.st.Branches[idx]
	}
	return p.st.ItemProcessor
}

// restoreChildren rebuilds the bookkeeping of a Parallel or Map frame
// from its children's records.
func restoreChildren(p *frame, byKey map[string]*frame) error {
	n := len(p.st.Branches)
	if p.st.Type == asl.TypeMap {
		ctx := p.context()
		eff, err := p.st.InputPath.Get(p.input, ctx)
		if err != nil {
			return err
		}
		v, err := p.st.ItemsPath.Get(eff, ctx)
		if err != nil {
			return err
		}
		p.items, _ = v.([]any)
		p.kidInput = eff
		n = len(p.items)
	}
	p.kids, p.results, p.remaining = make([]*frame, n), make([]any, n), n
	for i := range n {
		k := byKey[p.kidKey(i)]
		switch {
		case k == nil:
		case k.phase == phDone:
			p.results[i] = k.output
			p.remaining--
		default:
			p.kids[i] = k
			p.running++
		}
	}
	return nil
}

// restart sets a restored frame going according to its phase.
func (e *Engine) restart(f *frame) {
	switch f.phase {
	case phRun:
		e.spawn(f)
	case phInvoking:
		// The function may or may not have received the token: call it
		// again with the same token (Lambda's delivery is at least once).
		e.registerToken(f)
		f.phase = phRun
		e.spawn(f)
	case phCallback:
		e.registerToken(f)
		e.armTaskTimers(f, f.gen, nil)
	case phWait, phRetry:
		e.armTimer(f, f.phase, f.gen, f.due)
	case phChildExec:
		e.armTaskTimers(f, f.gen, nil)
		e.mu.Lock()
		e.waiters[f.child] = append(e.waiters[f.child], f)
		e.mu.Unlock()
		if d, err := e.DescribeExecution(e.ctx, f.child); err == nil && d.Status != ExecRunning {
			e.childResult(f, d)
		}
	case phChildren:
		e.restartChildren(f)
	}
}

// restartChildren continues a Parallel or Map whose children all ended
// before the restart, or starts the Map iterations still owed.
func (e *Engine) restartChildren(p *frame) {
	if p.remaining == 0 {
		p.phase, p.cbDone, p.cbOut, p.dropKids = phRun, true, p.results, true
		e.spawn(p)
		return
	}
	for p.st.Type == asl.TypeMap && p.running < max(p.maxConc, 1) && p.nextItem < len(p.items) {
		i := p.nextItem
		p.nextItem++
		p.running++
		in, ferr := e.iterationInput(p, i)
		k := e.iteration(p, i, in)
		p.kids[i] = k
		if ferr != nil {
			e.kidDone(k, nil, ferr)
			return
		}
		e.save(p, k)
		e.spawn(k)
	}
}

// registerToken makes a restored callback token answerable.
func (e *Engine) registerToken(f *frame) {
	if f.token == "" {
		return
	}
	e.mu.Lock()
	e.tokens[f.token] = f
	e.mu.Unlock()
}
