package states

import (
	"time"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// roleARN is the execution role the context object reports.
const roleARN = "arn:aws:iam::000000000000:role/StepFunctionsLocal"

// timestamp formats a time as the context object and AWS outputs do.
func timestamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

// context returns the context object ($$) for f's current state, or nil
// when the state never reads it (so the common case builds nothing).
func (f *frame) context() any {
	if !f.ex.m.usesCtx[f.st] {
		return nil
	}
	return f.buildContext()
}

// buildContext builds the context object: Execution, State, StateMachine
// and, for a callback task, Task.Token.
func (f *frame) buildContext() map[string]any {
	ex := f.ex
	ctx := map[string]any{
		"Execution": map[string]any{"Id": ex.arn, "Name": ex.name, "Input": ex.parsedInput(),
			"StartTime": timestamp(ex.start), "RoleArn": roleARN},
		"State": map[string]any{"Name": f.st.Name, "EnteredTime": timestamp(f.enteredAt),
			"RetryCount": int64(f.retryCount)},
		"StateMachine": map[string]any{"Id": ex.m.arn, "Name": ex.m.name},
	}
	if f.token != "" {
		ctx["Task"] = map[string]any{"Token": f.token}
	}
	return ctx
}

// parsedInput returns the execution input as a JSON value.
func (ex *execution) parsedInput() any {
	ex.mu.Lock()
	defer ex.mu.Unlock()
	if ex.inputVal == nil {
		v, err := parseJSON([]byte(ex.input))
		if err != nil {
			v = map[string]any{}
		}
		ex.inputVal = v
	}
	return ex.inputVal
}

// wait runs a Wait state: it parks f on a timer unless the time has come.
func (e *Engine) wait(f *frame) *frame {
	st := f.st
	ctx := f.context()
	eff, err := st.InputPath.Get(f.input, ctx)
	if err != nil {
		return e.frameFailed(f, asError(err))
	}
	if f.due.IsZero() {
		due, ferr := waitUntil(st, f.enteredAt, eff, ctx)
		if ferr != nil {
			return e.frameFailed(f, ferr)
		}
		if due.After(e.clock.Now()) {
			return e.park(f, phWait, due)
		}
	}
	out, err := st.OutputPath.Get(eff, ctx)
	if err != nil {
		return e.frameFailed(f, asError(err))
	}
	return e.complete(f, out)
}

// waitUntil is when a Wait state entered at entered ends.
func waitUntil(st *asl.State, entered time.Time, eff, ctx any) (time.Time, *asl.Error) {
	switch {
	case st.HasSeconds:
		return entered.Add(secs(st.Seconds)), nil
	case st.HasTimestamp:
		return st.Timestamp, nil
	case st.SecondsPath.IsSet():
		v, err := st.SecondsPath.Get(eff, ctx)
		if err != nil {
			return time.Time{}, asError(err)
		}
		n, ok := wholeNumber(v)
		if !ok || n < 0 {
			return time.Time{}, &asl.Error{Name: asl.ErrRuntime,
				Cause: "The SecondsPath parameter does not reference a non-negative integer: " + toJSON(v)}
		}
		return entered.Add(secs(n)), nil
	case st.TimestampPath.IsSet():
		v, err := st.TimestampPath.Get(eff, ctx)
		if err != nil {
			return time.Time{}, asError(err)
		}
		s, _ := v.(string)
		t, perr := time.Parse(time.RFC3339Nano, s)
		if perr != nil {
			return time.Time{}, &asl.Error{Name: asl.ErrRuntime,
				Cause: "The TimestampPath parameter does not reference a valid ISO-8601 timestamp: " + toJSON(v)}
		}
		return t, nil
	}
	return entered, nil
}

// wholeNumber reads a JSON number with no fractional part.
func wholeNumber(v any) (int64, bool) {
	switch n := v.(type) {
	case int64:
		return n, true
	case float64:
		if n == float64(int64(n)) {
			return int64(n), true
		}
	case int:
		return int64(n), true
	}
	return 0, false
}
