// Package lambdatest runs a function's real Lambda binary on this machine:
// it compiles functions/<name> as a Linux `bootstrap` (with the same tags as
// the deployed build, Tags, for the host's architecture) and serves it a
// fake of the Lambda Runtime API, the way aws-lambda-go tests itself.
//
// The binary cannot tell it is not in Lambda, so what these tests pass is
// what deploys.
package lambdatest

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/infra/repotest"
	"github.com/coopcarepathway/pathway/infra/syncbuf"
)

// Tags are the build tags of the deployed build (the Makefile's
// LAMBDA_TAGS; the build test checks the two agree).
const Tags = "lambda.norpc,validator_novalidatefn,nethttpomithttp2"

// BuildFor compiles functions/<name> for linux/goarch as the deployed build
// does (CGO off, -tags Tags, -trimpath) into a bootstrap file under
// t.TempDir() and returns its path.
func BuildFor(t testing.TB, name, goarch string) string {
	t.Helper()
	return BuildPackage(t, "./functions/"+name, goarch)
}

// BuildPackage is BuildFor for any main package, named relative to the
// repository root.
func BuildPackage(t testing.TB, pkg, goarch string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "bootstrap")
	cmd := exec.Command("go", "build", "-tags", Tags, "-trimpath", "-o", out, pkg)
	cmd.Dir = repotest.Root(t)
	cmd.Env = append(os.Environ(), "GOOS=linux", "GOARCH="+goarch, "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("lambdatest: build %s for linux/%s: %v\n%s", pkg, goarch, err, b)
	}
	return out
}

// Build compiles functions/<name> for Linux on the host's architecture, so
// the test can run it. On a host that is not Linux the test is skipped,
// except in CI, where it fails.
func Build(t testing.TB, name string) string {
	t.Helper()
	return BuildHost(t, "./functions/"+name)
}

// BuildHost is Build for any main package, named relative to the repository root.
func BuildHost(t testing.TB, pkg string) string {
	t.Helper()
	if runtime.GOOS != "linux" {
		if os.Getenv("CI") == "true" {
			t.Fatalf("lambdatest: a Linux bootstrap cannot run on %s", runtime.GOOS)
		}
		t.Skipf("lambdatest: a Linux bootstrap cannot run on %s", runtime.GOOS)
	}
	return BuildPackage(t, pkg, runtime.GOARCH)
}

// Function is a running bootstrap process and the Runtime API it polls.
type Function struct {
	// Name is the function name the process sees.
	Name string

	srv      *httptest.Server
	cmd      *exec.Cmd
	logs     syncbuf.Buffer
	queue    chan *invocation
	exited   chan struct{}
	closing  chan struct{}
	exitErr  error
	mu       sync.Mutex
	inflight map[string]*invocation
	initErr  *Error
	seq      int
	stopOnce sync.Once
}

// invocation is one event on its way through the function.
type invocation struct {
	id       string
	payload  []byte
	deadline time.Time
	done     chan result
}

// result is what the function posted for an invocation.
type result struct {
	payload []byte
	err     *Error
}

// Error is a function error, as the function posted it to the Runtime API.
type Error struct {
	// Message is the errorMessage.
	Message string `json:"errorMessage"`
	// Type is the errorType (the Go type of the error, or "Runtime.…").
	Type string `json:"errorType"`
}

// Error returns the type and message.
func (e *Error) Error() string { return e.Type + ": " + e.Message }

// Start runs the bootstrap at path with env (NAME=value) added to the
// environment Lambda gives every function, and stops it when the test ends.
func Start(t testing.TB, path string, env ...string) *Function {
	t.Helper()
	f := &Function{
		Name:     "pathway-test-function",
		queue:    make(chan *invocation),
		exited:   make(chan struct{}),
		closing:  make(chan struct{}),
		inflight: map[string]*invocation{},
	}
	f.srv = httptest.NewServer(f.routes())
	host := f.srv.Listener.Addr().(*net.TCPAddr).String()
	f.cmd = exec.Command(path)
	f.cmd.Env = append([]string{
		"PATH=" + os.Getenv("PATH"),
		"AWS_LAMBDA_RUNTIME_API=" + host,
		"AWS_LAMBDA_FUNCTION_NAME=" + f.Name,
		"AWS_LAMBDA_FUNCTION_VERSION=$LATEST",
		"AWS_LAMBDA_FUNCTION_MEMORY_SIZE=256",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/" + f.Name,
		"AWS_REGION=eu-west-2",
		"AWS_DEFAULT_REGION=eu-west-2",
		"_HANDLER=bootstrap",
		"TZ=:UTC",
	}, env...)
	f.cmd.Stdout, f.cmd.Stderr = &f.logs, &f.logs
	if err := f.cmd.Start(); err != nil {
		f.srv.Close()
		t.Fatalf("lambdatest: start %s: %v", path, err)
	}
	go func() {
		f.exitErr = f.cmd.Wait()
		close(f.exited)
	}()
	t.Cleanup(func() {
		f.Stop()
		if t.Failed() {
			t.Logf("lambdatest: output of the function:\n%s", f.logs.String())
		}
	})
	return f
}

// Stop ends the process and the Runtime API before the test ends (a
// benchmark that starts one per iteration); the test's end does it
// otherwise. Stopping twice does nothing.
func (f *Function) Stop() {
	f.stopOnce.Do(func() {
		close(f.closing)
		_ = f.cmd.Process.Kill()
		<-f.exited
		f.srv.Close()
	})
}

// CPUTime returns the user and system CPU time the process used, once it
// has exited (after Stop), else 0.
func (f *Function) CPUTime() time.Duration {
	select {
	case <-f.exited:
	default:
		return 0
	}
	if st := f.cmd.ProcessState; st != nil {
		return st.UserTime() + st.SystemTime()
	}
	return 0
}

// Logs returns what the function wrote to stdout and stderr so far.
func (f *Function) Logs() string { return f.logs.String() }

// Invoke sends one event and returns the function's response payload, or
// an *Error if the function reported one, or another error if the process
// died or ctx ended first. The invocation's deadline is 15 s, the
// template's Timeout.
func (f *Function) Invoke(ctx context.Context, event any) (json.RawMessage, error) {
	payload, ok := event.([]byte)
	if !ok {
		var err error
		if payload, err = json.Marshal(event); err != nil {
			return nil, err
		}
	}
	f.mu.Lock()
	f.seq++
	inv := &invocation{
		id:       fmt.Sprintf("00000000-0000-4000-8000-%012d", f.seq),
		payload:  payload,
		deadline: time.Now().Add(15 * time.Second),
		done:     make(chan result, 1),
	}
	f.mu.Unlock()
	select {
	case f.queue <- inv:
	case <-f.exited:
		return nil, f.exitError()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case r := <-inv.done:
		if r.err != nil {
			return nil, r.err
		}
		return r.payload, nil
	case <-f.exited:
		return nil, f.exitError()
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// exitError explains why the process is gone.
func (f *Function) exitError() error {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.initErr != nil {
		return fmt.Errorf("lambdatest: function failed to initialise: %w", f.initErr)
	}
	return fmt.Errorf("lambdatest: function exited (%v); output:\n%s", f.exitErr, f.logs.String())
}

// Exited returns a channel closed when the process has ended.
func (f *Function) Exited() <-chan struct{} { return f.exited }

// InitError returns the error the function posted to /runtime/init/error, if any.
func (f *Function) InitError() *Error {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.initErr
}

// routes serves the Runtime API (version 2018-06-01).
func (f *Function) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /2018-06-01/runtime/invocation/next", f.handleNext)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/response", f.handleResponse)
	mux.HandleFunc("POST /2018-06-01/runtime/invocation/{id}/error", f.handleError)
	mux.HandleFunc("POST /2018-06-01/runtime/init/error", f.handleInitError)
	return mux
}

// handleNext long-polls until an event is queued, then hands it over with
// the headers Lambda sends.
func (f *Function) handleNext(w http.ResponseWriter, r *http.Request) {
	select {
	case inv := <-f.queue:
		f.mu.Lock()
		f.inflight[inv.id] = inv
		f.mu.Unlock()
		h := w.Header()
		h.Set("Content-Type", "application/json")
		h.Set("Lambda-Runtime-Aws-Request-Id", inv.id)
		h.Set("Lambda-Runtime-Deadline-Ms", strconv.FormatInt(inv.deadline.UnixMilli(), 10))
		h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:eu-west-2:123456789012:function:"+f.Name)
		h.Set("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Parent=0000000000000000;Sampled=0")
		w.WriteHeader(http.StatusOK)
		_, _ = w.Write(inv.payload)
	case <-r.Context().Done():
	case <-f.closing:
		http.Error(w, "shutting down", http.StatusGone)
	}
}

// take removes the in-flight invocation with the request's ID, or answers
// 400 as Lambda does for an unknown request ID.
func (f *Function) take(w http.ResponseWriter, r *http.Request) *invocation {
	f.mu.Lock()
	defer f.mu.Unlock()
	inv := f.inflight[r.PathValue("id")]
	if inv == nil {
		w.WriteHeader(http.StatusBadRequest)
		_, _ = io.WriteString(w, `{"errorMessage":"unknown request id","errorType":"InvalidRequestID"}`)
		return nil
	}
	delete(f.inflight, inv.id)
	return inv
}

func (f *Function) handleResponse(w http.ResponseWriter, r *http.Request) {
	inv := f.take(w, r)
	if inv == nil {
		return
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		inv.done <- result{err: &Error{Type: "Runtime.TruncatedResponse", Message: err.Error()}}
	} else {
		inv.done <- result{payload: body}
	}
	w.WriteHeader(http.StatusAccepted)
}

func (f *Function) handleError(w http.ResponseWriter, r *http.Request) {
	inv := f.take(w, r)
	if inv == nil {
		return
	}
	inv.done <- result{err: readError(r)}
	w.WriteHeader(http.StatusAccepted)
}

func (f *Function) handleInitError(w http.ResponseWriter, r *http.Request) {
	e := readError(r)
	f.mu.Lock()
	f.initErr = e
	f.mu.Unlock()
	w.WriteHeader(http.StatusAccepted)
}

// readError decodes an error body, falling back to the error-type header.
func readError(r *http.Request) *Error {
	var e Error
	body, _ := io.ReadAll(r.Body)
	if err := json.Unmarshal(body, &e); err != nil || e.Type == "" {
		e.Type = r.Header.Get("Lambda-Runtime-Function-Error-Type")
		if e.Message == "" {
			e.Message = string(body)
		}
	}
	return &e
}
