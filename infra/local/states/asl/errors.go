package asl

import "fmt"

// Well-known States error names (Amazon States Language, "Errors").
const (
	ErrALL                             = "States.ALL"
	ErrRuntime                         = "States.Runtime"
	ErrTimeout                         = "States.Timeout"
	ErrHeartbeatTimeout                = "States.HeartbeatTimeout"
	ErrTaskFailed                      = "States.TaskFailed"
	ErrPermissions                     = "States.Permissions"
	ErrResultPathMatchFailure          = "States.ResultPathMatchFailure"
	ErrParameterPathFailure            = "States.ParameterPathFailure"
	ErrBranchFailed                    = "States.BranchFailed"
	ErrNoChoiceMatched                 = "States.NoChoiceMatched"
	ErrIntrinsicFailure                = "States.IntrinsicFailure"
	ErrExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold"
	ErrItemReaderFailed                = "States.ItemReaderFailed"
	ErrResultWriterFailed              = "States.ResultWriterFailed"
	ErrQueryEvaluationError            = "States.QueryEvaluationError"
)

// Error is a States error raised while running a state: Name is the ASL
// error name that Retry and Catch match against, Cause a human explanation.
type Error struct{ Name, Cause string }

// Error implements error.
func (e *Error) Error() string {
	if e.Cause == "" {
		return e.Name
	}
	return e.Name + ": " + e.Cause
}

// errorf builds a *Error with a formatted cause.
func errorf(name, format string, args ...any) *Error {
	return &Error{Name: name, Cause: fmt.Sprintf(format, args...)}
}

// DefinitionError is a problem found while parsing or validating a
// definition. State is the state's path ("" for the top level, nested states
// as "Parallel1.Branches[0].B"); Field the offending field.
type DefinitionError struct {
	State, Field, Message string
}

// Error implements error.
func (e *DefinitionError) Error() string {
	switch {
	case e.State == "" && e.Field == "":
		return e.Message
	case e.State == "":
		return e.Field + ": " + e.Message
	case e.Field == "":
		return "state " + e.State + ": " + e.Message
	}
	return "state " + e.State + ": " + e.Field + ": " + e.Message
}
