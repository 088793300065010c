package states

import (
	"bytes"
	"context"
	"fmt"
	"reflect"
	"sync"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-lambda-go/lambda/messages"
	"github.com/aws/aws-lambda-go/lambdacontext"
	"github.com/ohler55/ojg/oj"

	"github.com/coopcarepathway/pathway/infra/local/states/asl"
)

// Handler is an in-process Lambda function: the same interface as
// github.com/aws/aws-lambda-go/lambda.Handler. The engine reads the bytes
// Invoke returns after it returns, so they must be the caller's to keep.
// Register a typed Go function (what a function's main hands to
// lambda.Start) with TypedHandler(fn); a handler made by lambda.NewHandler
// is accepted too, but runs one call at a time (see RegisterHandler).
type Handler interface {
	Invoke(ctx context.Context, payload []byte) ([]byte, error)
}

// TypedHandler is the Handler of a typed Lambda function: any fn that
// lambda.Start accepts. Calls go through aws-lambda-go's own
// lambda.NewHandler, so the JSON in and out is exactly the Lambda
// runtime's, but each concurrent call gets an instance of its own.
//
// Why: that handler (aws-lambda-go v1.55.1) returns a slice of its pooled
// output buffer after putting the buffer back in its pool, and the pool
// belongs to the instance. Sharing one instance, a concurrent call could
// overwrite the response before the engine read it ("Lambda.InvalidResponse
// … extra characters after close"). Holding the instance until its
// response is copied makes the copy the engine's alone.
func TypedHandler(fn any) Handler {
	t := &typedHandler{}
	t.free.New = func() any { return lambda.NewHandler(fn) }
	return t
}

// typedHandler keeps the idle lambda.NewHandler instances of a function.
type typedHandler struct{ free sync.Pool }

// Invoke calls fn on an instance no other call is using.
func (t *typedHandler) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	h := t.free.Get().(lambda.Handler)
	out, err := h.Invoke(ctx, payload)
	out = bytes.Clone(out) // out is h's pooled buffer: copy it while h is ours
	t.free.Put(h)          // not reached on a panic: that instance is dropped
	return out, err
}

// exclusive runs a Handler whose response may alias memory it reuses on
// its next call (one made by lambda.NewHandler, kept by its pool) one call
// at a time, and copies the response before the next call may start.
type exclusive struct {
	mu sync.Mutex
	h  Handler
}

// Invoke calls the handler alone.
func (x *exclusive) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	x.mu.Lock()
	defer x.mu.Unlock()
	out, err := x.h.Invoke(ctx, payload)
	return bytes.Clone(out), err
}

// reusesResponse reports whether h is one of aws-lambda-go's handlers,
// whose response is a pooled buffer the next call may overwrite.
func reusesResponse(h Handler) bool {
	t := reflect.TypeOf(h)
	if t == nil {
		return false
	}
	if t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.PkgPath() == "github.com/aws/aws-lambda-go/lambda"
}

// ValueHandler is an optional fast path for Go handlers that take and
// return JSON values in ojg's generic form (map[string]any, []any, int64,
// float64, string, bool, nil) and so skip JSON text. The engine prefers it
// when a Handler also implements it. The handler must not modify payload,
// and the engine treats the result as immutable.
type ValueHandler interface {
	InvokeValue(ctx context.Context, payload any) (any, error)
}

// HandlerFunc adapts a function on JSON values to a Handler with the fast
// path, for tests and benchmarks.
type HandlerFunc func(ctx context.Context, payload any) (any, error)

// Invoke decodes the payload, calls f and encodes its result.
func (f HandlerFunc) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	in, err := parseJSON(payload)
	if err != nil {
		return nil, err
	}
	out, err := f(ctx, in)
	if err != nil {
		return nil, err
	}
	return []byte(toJSON(out)), nil
}

// InvokeValue calls f.
func (f HandlerFunc) InvokeValue(ctx context.Context, payload any) (any, error) {
	return f(ctx, payload)
}

// invokeHandler calls h with payload and maps its error (or panic) to the
// ASL error Step Functions reports for a Lambda function error. meta names
// the function and the request, for handlers that read the Lambda context.
func invokeHandler(ctx context.Context, h Handler, meta *lambdaMeta, payload any) (out any, err error) {
	defer func() {
		if r := recover(); r != nil {
			out, err = nil, panicError(r)
		}
	}()
	if vh, ok := h.(ValueHandler); ok {
		out, err = vh.InvokeValue(ctx, payload)
		if err != nil {
			return nil, lambdaError(err)
		}
		return out, nil
	}
	fnARN, requestID := meta.ids()
	ctx = lambdacontext.NewContext(ctx, &lambdacontext.LambdaContext{AwsRequestID: requestID, InvokedFunctionArn: fnARN})
	raw, err := h.Invoke(ctx, []byte(toJSON(payload)))
	if err != nil {
		return nil, lambdaError(err)
	}
	if len(raw) == 0 {
		return nil, nil
	}
	v, perr := parseJSON(raw)
	if perr != nil {
		return nil, &asl.Error{Name: "Lambda.InvalidResponse", Cause: "the function returned invalid JSON: " + perr.Error()}
	}
	return v, nil
}

// lambdaError names an error as aws-lambda-go's runtime does: an
// messages.InvokeResponse_Error keeps its Type, any other error is named
// after its Go type. The cause is the error document Step Functions shows.
func lambdaError(err error) *asl.Error {
	if e, ok := err.(*asl.Error); ok {
		return e
	}
	if ive, ok := err.(messages.InvokeResponse_Error); ok {
		return functionError(ive.Type, ive.Message)
	}
	if ive, ok := err.(*messages.InvokeResponse_Error); ok && ive != nil {
		return functionError(ive.Type, ive.Message)
	}
	return functionError(typeName(err), err.Error())
}

// panicError maps a recovered panic the way the runtime's panic response does.
func panicError(r any) *asl.Error {
	if ive, ok := r.(messages.InvokeResponse_Error); ok {
		return functionError(ive.Type, ive.Message)
	}
	if ive, ok := r.(*messages.InvokeResponse_Error); ok && ive != nil {
		return functionError(ive.Type, ive.Message)
	}
	return functionError(typeName(r), fmt.Sprintf("%v", r))
}

// typeName is the Go type name of v, through one pointer.
func typeName(v any) string {
	t := reflect.TypeOf(v)
	if t == nil {
		return "nil"
	}
	if t.Kind() == reflect.Pointer {
		return t.Elem().Name()
	}
	return t.Name()
}

// functionError is a Lambda function error as a States error.
func functionError(typ, msg string) *asl.Error {
	cause := toJSON(map[string]any{"errorMessage": msg, "errorType": typ})
	return &asl.Error{Name: typ, Cause: cause}
}

// parseJSON parses one JSON document into ojg's generic form.
func parseJSON(b []byte) (any, error) {
	if len(b) == 0 {
		return nil, fmt.Errorf("empty JSON document")
	}
	return oj.Parse(b)
}

// jsonOpts writes compact JSON without HTML escaping, as AWS does; sorted
// keys keep documents (and so idempotency checks) stable.
var jsonOpts = &oj.Options{Sort: true, HTMLUnsafe: true}

// writers reuses JSON writers and their buffers: oj allocates a fresh
// 1 KiB buffer per call otherwise.
var writers = sync.Pool{New: func() any { return &oj.Writer{Options: *jsonOpts} }}

// toJSON writes v as compact JSON text.
func toJSON(v any) string {
	w := writers.Get().(*oj.Writer)
	s := oj.JSON(v, w)
	writers.Put(w)
	return s
}
