// Package steps holds the task handlers the workflows in workflows/ call:
// one method of Steps per step, each with a typed input and output.
//
// Each workflow has a Registry of its steps by name (registry.go), and one
// Lambda function runs it: the Task state's payload names the step. The same
// registries run as AWS Lambda functions (functions/<workflow>/main.go
// passes one to workflowfn.Start) and in the local Step Functions engine
// (Handlers, through states.TypedHandler, which runs aws-lambda-go's own
// JSON handling), so the two cannot behave differently.
//
// Step Functions may run a step twice (a Retry after a lost response, or a
// duplicate invocation), so every step is idempotent:
//   - events get IDs derived from the execution, the state and the time the
//     state was entered, so a second run appends nothing new;
//   - tasks get IDs derived from their task token, so a second run with the
//     same token opens nothing new, and a new token (a retry, an escalation,
//     a reminder) replaces the open task instead of adding one;
//   - a stage change goes through the stage table (pathway.Move), is
//     skipped when the co-op is in the target stage already, and is one
//     UpdateCoop call with its event.
//
// Errors carry ASL error names ("Pathway.Conflict", "Pathway.NotFound", …)
// so the workflows can Retry the transient ones and Catch the rest.
package steps

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// ASL error names the steps raise, one per application error code, plus
// ErrChecklistComplete, which the registration workflow catches to skip a
// wait that has nothing left to wait for.
const (
	ErrInvalid           = "Pathway.Invalid"
	ErrNotFound          = "Pathway.NotFound"
	ErrConflict          = "Pathway.Conflict"
	ErrUnauthorized      = "Pathway.Unauthorized"
	ErrForbidden         = "Pathway.Forbidden"
	ErrInternal          = "Pathway.Internal"
	ErrChecklistComplete = "Pathway.ChecklistComplete"
)

// errorNames maps application error codes to ASL error names.
var errorNames = map[string]string{
	pathway.EINVALID:      ErrInvalid,
	pathway.ENOTFOUND:     ErrNotFound,
	pathway.ECONFLICT:     ErrConflict,
	pathway.EUNAUTHORIZED: ErrUnauthorized,
	pathway.EFORBIDDEN:    ErrForbidden,
	pathway.EINTERNAL:     ErrInternal,
}

// Steps runs the workflow steps against a store.
type Steps struct {
	store pathway.Store
	now   func() time.Time
	// registered, when set, is told of a co-op's CQC registration
	// (OnRegistered).
	registered func(ctx context.Context, coop string) error
}

// New returns the steps over store; now tells the time (time.Now outside tests).
func New(store pathway.Store, now func() time.Time) *Steps {
	return &Steps{store: store, now: now}
}

// Invocation identifies one entry into a workflow state, copied from the
// context object by the state's Payload:
//
//	"executionId.$": "$$.Execution.Id", "state.$": "$$.State.Name",
//	"enteredTime.$": "$$.State.EnteredTime"
//
// Every ID a step creates is derived from it, which is what makes a second
// run of the same state entry a no-op.
type Invocation struct {
	// ExecutionID is the execution's ARN ($$.Execution.Id).
	ExecutionID string `json:"executionId"`
	// State is the state's name ($$.State.Name).
	State string `json:"state"`
	// EnteredTime is when the state was entered ($$.State.EnteredTime), RFC 3339.
	EnteredTime string `json:"enteredTime"`
}

// Check adds to fields what is missing or wrong in the invocation, under
// its JSON names, and returns when the state was entered; a workflow's own
// input checks it beside its own fields, so every step reports the same
// messages.
func (inv Invocation) Check(fields map[string]string) time.Time {
	if inv.ExecutionID == "" {
		fields["executionId"] = "Enter the execution ID ($$.Execution.Id)"
	}
	if inv.State == "" {
		fields["state"] = "Enter the state name ($$.State.Name)"
	}
	t, err := time.Parse(time.RFC3339Nano, inv.EnteredTime)
	if err != nil {
		fields["enteredTime"] = "Enter the time the state was entered ($$.State.EnteredTime) as an RFC 3339 timestamp"
	}
	return t
}

// CheckFor checks the invocation and the ID of what the step is about
// (field, its JSON name; message, what to enter when it is empty), and
// returns when the state was entered.
func (inv Invocation) CheckFor(field, id, message string) (time.Time, error) {
	fields := map[string]string{}
	t := inv.Check(fields)
	if id == "" {
		fields[field] = message
	}
	if len(fields) > 0 {
		return time.Time{}, pathway.Invalid(fields)
	}
	return t, nil
}

// entered checks the invocation and returns when the state was entered.
func (inv Invocation) entered() (time.Time, error) {
	fields := map[string]string{}
	t := inv.Check(fields)
	if len(fields) > 0 {
		return time.Time{}, pathway.Invalid(fields)
	}
	return t, nil
}

// EventID returns the n-th event ID of a state entry: a ULID whose time is
// the entry time, so events sort in the order they happened, and whose
// entropy starts with n, so a state's own events keep their order within
// the millisecond, followed by a hash of the execution, state and entry
// (and scope, which tells apart the iterations of a Map, whose states may
// be entered at the same instant), so a second run of the same entry
// produces the same ID.
func (inv Invocation) EventID(n int, scope ...string) (string, error) {
	at, err := inv.entered()
	if err != nil {
		return "", err
	}
	if n < 0 || n > 255 {
		return "", pathway.Errorf(pathway.EINTERNAL, "event number %d of a state entry is out of range", n)
	}
	h := fmt.Appendf(nil, "%s\x00%s\x00%s\x00", inv.ExecutionID, inv.State, inv.EnteredTime)
	for _, sc := range scope {
		h = fmt.Appendf(h, "%s\x00", sc)
	}
	sum := sha256.Sum256(fmt.Appendf(h, "%d", n))
	var id ulid.ULID
	if err := id.SetTime(ulid.Timestamp(at)); err != nil {
		return "", pathway.Invalid(map[string]string{"enteredTime": "Is out of range"})
	}
	entropy := append([]byte{byte(n)}, sum[:9]...)
	_ = id.SetEntropy(entropy) // always 10 bytes
	return id.String(), nil
}

// eventID is EventID with no scope.
func (inv Invocation) eventID(n int) (string, error) { return inv.EventID(n) }

// TokenKey returns a short, stable key for a task token (or whom a task is
// for), so a task's ID changes exactly when its token does.
func TokenKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:6])
}

// Seconds returns a positive whole number of seconds for a wait state's
// TimeoutSecondsPath: at least one, because Step Functions rejects zero.
func Seconds(d time.Duration) int64 {
	return max(int64(d/time.Second), 1)
}

// Days returns n days as a duration.
func Days(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// Result returns out, or err as the function error aws-lambda-go reports
// (see Error).
func Result[T any](out T, err error) (T, error) { return result(out, err) }

// Error returns err as the function error aws-lambda-go reports, whose Type
// is the ASL error name of err's application error code (Pathway.Internal
// for any other error); nil stays nil.
func Error(err error) error {
	_, err = result[struct{}](struct{}{}, err)
	return err
}

// result turns a step's error into the value aws-lambda-go reports as the
// function error, whose Type becomes the ASL error name. Internal errors are
// logged in full and reported with a generic message, so no detail of the
// system reaches an agency's screen.
func result[T any](out T, err error) (T, error) {
	if err == nil {
		return out, nil
	}
	var zero T
	var lerr messages.InvokeResponse_Error
	if errors.As(err, &lerr) {
		return zero, lerr
	}
	code := pathway.ErrorCode(err)
	if code == pathway.EINTERNAL {
		log.Printf("steps: internal error: %v", err)
	}
	msg := pathway.ErrorMessage(err)
	if fields := pathway.ErrorFields(err); len(fields) > 0 {
		parts := make([]string, 0, len(fields))
		for _, k := range slices.Sorted(maps.Keys(fields)) {
			parts = append(parts, k+": "+fields[k])
		}
		msg += " (" + strings.Join(parts, "; ") + ")"
	}
	return zero, messages.InvokeResponse_Error{Type: errorNames[code], Message: msg}
}

// stepError returns an error the workflow sees under the ASL error name.
func stepError(name, message string) error {
	return messages.InvokeResponse_Error{Type: name, Message: message}
}
