package states

import (
	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// parallel runs a Parallel state: one child frame per branch, all on the
// same effective input; the output is their outputs in branch order.
func (e *Engine) parallel(f *frame) *frame {
	if f.cbDone {
		return e.childrenDone(f)
	}
	st := f.st
	eff, err := st.EffectiveInput(f.input, f.context())
	if err != nil {
		return e.handleError(f, asError(err))
	}
	kids := make([]*frame, len(st.Branches))
	for i, b := range st.Branches {
		kids[i] = &frame{ex: f.ex, key: f.kidKey(i), parent: f, idx: i, def: b, st: b.States[b.StartAt], input: eff}
	}
	f.ex.emit(f, event{typ: evParallelStateStarted, st: st})
	return e.startKids(f, kids, len(kids))
}

// mapState runs an inline Map state: one child frame per item, at most
// MaxConcurrency at a time (0: all); the output is their outputs in item
// order.
func (e *Engine) mapState(f *frame) *frame {
	if f.cbDone {
		return e.childrenDone(f)
	}
	st := f.st
	ctx := f.context()
	eff, err := st.InputPath.Get(f.input, ctx)
	if err != nil {
		return e.handleError(f, asError(err))
	}
	v, err := st.ItemsPath.Get(eff, ctx)
	if err != nil {
		return e.handleError(f, asError(err))
	}
	items, ok := v.([]any)
	if !ok {
		return e.handleError(f, &asl.Error{Name: asl.ErrRuntime,
			Cause: "the value of ItemsPath '" + st.ItemsPath.String() + "' is not an array: " + toJSON(v)})
	}
	mc := st.MaxConcurrency
	if st.MaxConcurrencyPath.IsSet() {
		x, err := st.MaxConcurrencyPath.Get(eff, ctx)
		n, ok := wholeNumber(x)
		if err != nil || !ok || n < 0 {
			return e.handleError(f, &asl.Error{Name: asl.ErrRuntime,
				Cause: "the value of MaxConcurrencyPath is not a non-negative integer: " + toJSON(x)})
		}
		mc = n
	}
	if mc <= 0 || mc > int64(len(items)) {
		mc = int64(len(items))
	}
	f.items, f.kidInput, f.maxConc, f.nextItem = items, eff, int(mc), int(mc)
	f.ex.emit(f, event{typ: evMapStateStarted, st: st}.with(dLength, int64(len(items))))
	kids := make([]*frame, len(items))
	for i := range int(mc) {
		in, ferr := e.iterationInput(f, i)
		if ferr != nil {
			f.items, f.kidInput = nil, nil
			return e.handleError(f, ferr)
		}
		kids[i] = e.iteration(f, i, in)
	}
	return e.startKids(f, kids, int(mc))
}

// iteration makes the frame of Map iteration i.
func (e *Engine) iteration(p *frame, i int, input any) *frame {
	d := p.st.ItemProcessor
	return &frame{ex: p.ex, key: p.kidKey(i), parent: p, idx: i, def: d, st: d.States[d.StartAt], input: input}
}

// iterationInput is the input of Map iteration i: the item, or what
// ItemSelector makes of the Map's effective input with $$.Map.Item.
func (e *Engine) iterationInput(p *frame, i int) (any, *asl.Error) {
	sel := p.st.ItemSelector
	if sel == nil {
		return p.items[i], nil
	}
	ctx := p.buildContext()
	ctx["Map"] = map[string]any{"Item": map[string]any{"Index": int64(i), "Value": p.items[i]}}
	v, err := sel.Eval(p.kidInput, ctx)
	if err != nil {
		return nil, asError(err)
	}
	return v, nil
}

// startKids parks f until its children end, persists them, and runs the
// first n (the rest of kids is nil until started) — the first on this
// goroutine.
func (e *Engine) startKids(f *frame, kids []*frame, n int) *frame {
	ex := f.ex
	ex.mu.Lock()
	f.kids, f.results, f.remaining, f.running = kids, make([]any, len(kids)), len(kids), n
	if len(kids) == 0 {
		f.cbDone, f.cbOut = true, []any{}
		ex.mu.Unlock()
		return f
	}
	f.phase = phChildren
	f.gen++
	if f.st.Type == asl.TypeMap {
		for _, k := range kids[:n] {
			ex.emitLocked(k, event{typ: evMapIterationStarted, st: f.st}.with(dIndex, int64(k.idx)))
		}
	}
	ex.mu.Unlock()
	if !e.save(f, kids[:n]...) {
		return nil
	}
	for _, k := range kids[1:n] {
		e.spawn(k)
	}
	return kids[0]
}

// kidDone records the end of branch or iteration k and returns the frame
// to run next on this goroutine: the next Map iteration, or the parent
// once every child has ended or one has failed.
func (e *Engine) kidDone(k *frame, out any, fail *asl.Error) *frame {
	p := k.parent
	ex := k.ex
	ex.mu.Lock()
	if k.cancelled || p.phase != phChildren || k.idx >= len(p.kids) || p.kids[k.idx] != k {
		ex.mu.Unlock()
		return nil
	}
	isMap := p.st.Type == asl.TypeMap
	if fail != nil {
		if isMap {
			ex.emitLocked(k, event{typ: evMapIterationFailed, st: p.st}.with(dIndex, int64(k.idx)))
		}
		tokens, children := p.cancelKidsLocked()
		p.phase, p.cbDone, p.cbErr = phRun, true, fail
		p.gen++
		ex.mu.Unlock()
		e.dropTokens(tokens)
		e.stopChildren(children)
		return p
	}
	if isMap {
		ex.emitLocked(k, event{typ: evMapIterationSucceeded, st: p.st}.with(dIndex, int64(k.idx)))
	}
	p.results[k.idx] = out
	p.kids[k.idx] = nil
	p.remaining--
	p.running--
	k.phase, k.output = phDone, out
	if p.remaining == 0 {
		p.phase, p.cbDone, p.cbOut = phRun, true, p.results
		p.gen++
		p.dropKids = true
		e.saveLocked(k)
		ex.mu.Unlock()
		e.flushAfter(k)
		return p
	}
	next := -1
	if isMap && p.nextItem < len(p.items) {
		next = p.nextItem
		p.nextItem++
		p.running++
	}
	ex.mu.Unlock()
	if next < 0 {
		e.save(k, p)
		e.flushAfter(k)
		return nil
	}
	return e.nextIteration(k, p, next)
}

// flushAfter waits for the commit of a branch's or iteration's end if its
// last state had effects, so that they are not repeated after a restart.
func (e *Engine) flushAfter(k *frame) {
	if hasEffects(k.st) {
		e.flush(k.ex)
	}
}

// nextIteration starts Map iteration i after k ended.
func (e *Engine) nextIteration(k, p *frame, i int) *frame {
	in, ferr := e.iterationInput(p, i)
	nk := e.iteration(p, i, in)
	ex := p.ex
	ex.mu.Lock()
	if p.phase != phChildren {
		ex.mu.Unlock()
		return nil
	}
	p.kids[i] = nk
	ex.emitLocked(nk, event{typ: evMapIterationStarted, st: p.st}.with(dIndex, int64(i)))
	ex.mu.Unlock()
	if ferr != nil {
		return e.kidDone(nk, nil, ferr)
	}
	if !e.save(k, p, nk) {
		return nil
	}
	e.flushAfter(k)
	return nk
}

// childrenDone finishes a Parallel or Map state once its children ended.
func (e *Engine) childrenDone(f *frame) *frame {
	ex := f.ex
	ex.mu.Lock()
	out, fail := f.takeResultLocked()
	f.kids, f.results, f.items, f.kidInput = nil, nil, nil, nil
	f.dropKids = true
	ex.mu.Unlock()
	st := f.st
	if fail != nil {
		f.ex.emit(f, event{typ: branchEnded(st.Type, true), st: st}.with(dError, fail))
		return e.handleError(f, fail)
	}
	f.ex.emit(f, event{typ: branchEnded(st.Type, false), st: st})
	res, err := st.StateOutput(f.input, out, f.context())
	if err != nil {
		return e.handleError(f, asError(err))
	}
	return e.complete(f, res)
}

// cancelKidsLocked stops every frame below f: they stop at their next
// boundary, their timers stop, and their tokens and .sync children are
// returned for the caller to drop (ex.mu is held).
func (f *frame) cancelKidsLocked() (tokens, children []string) {
	for _, k := range f.kids {
		if k == nil {
			continue
		}
		k.walk(func(x *frame) {
			x.cancelled = true
			x.stopTimers()
			if x.token != "" {
				tokens = append(tokens, x.token)
			}
			if x.phase == phChildExec && x.child != "" {
				children = append(children, x.child)
			}
		})
	}
	f.kids = nil
	f.dropKids = true
	return tokens, children
}

// dropTokens forgets callback tokens.
func (e *Engine) dropTokens(tokens []string) {
	if len(tokens) == 0 {
		return
	}
	e.mu.Lock()
	for _, t := range tokens {
		delete(e.tokens, t)
	}
	e.mu.Unlock()
}
