// Package metered puts a cost.Meter on each piece of work the application
// does for someone, the way AWS bills it: each HTTP request (one invocation
// of the API function on AWS) and each workflow step (one invocation of a
// workflow's function). The table engines, the file store and the mail
// sender add to the meter what they use; the services name the co-op the
// work serves (cost.Charge); at the end the Lambda invocation is added
// (memory × time) and the whole is flushed to the ledger (shared/cost/ledger)
// under that co-op and its agency. The same wrappers run on AWS and in the
// local server, so a journey run locally is counted as it would be on AWS.
package metered

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/cost/ledger"
	"github.com/coopcarepathway/pathway/shared/table"
)

// Config is where metered work is flushed to and how it is billed.
type Config struct {
	// Table holds the ledger; nil meters nothing (the wrappers pass the
	// work through untouched).
	Table table.Table
	// MemoryMB is the function's configured memory (template.yaml's
	// MemorySize; on AWS, EnvMemoryMB).
	MemoryMB int
	// AgencyOf names a co-op's agency, for the agency's month.
	AgencyOf ledger.AgencyOf
	// Now returns the current time; nil means time.Now.
	Now func() time.Time
	// Logger receives flush errors; nil means slog.Default().
	Logger *slog.Logger
}

// DefaultMemoryMB is Lambda's memory when a function sets none.
const DefaultMemoryMB = 128

// EnvMemoryMB is the memory Lambda gives the running function
// (AWS_LAMBDA_FUNCTION_MEMORY_SIZE), or def outside Lambda.
func EnvMemoryMB(def int) int {
	if n, err := strconv.Atoi(os.Getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")); err == nil && n > 0 {
		return n
	}
	return def
}

// run does work with a fresh meter in its context, then bills the
// invocation and flushes. A failed flush is logged: the work has been done
// and its answer must not depend on the bookkeeping.
func (c *Config) run(ctx context.Context, work func(context.Context)) {
	c.meter(ctx, work, true)
}

// Work meters work that is one part of an invocation billed as a whole
// elsewhere (each delivery of an outbox sweep: outbox.WithMeter): its
// table units, files and emails, charged to its co-op, but no Lambda
// invocation. Without a table it just runs work.
func (c Config) Work(ctx context.Context, work func(context.Context)) {
	if c.Table == nil {
		work(ctx)
		return
	}
	c.meter(ctx, work, false)
}

// meter runs work with a fresh meter, adds the invocation when asked, and
// flushes.
func (c *Config) meter(ctx context.Context, work func(context.Context), invocation bool) {
	m := new(cost.Meter)
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	start := time.Now() // the wall clock, whatever c.Now says: this is a duration
	work(cost.WithMeter(ctx, m))
	if invocation {
		m.Add(cost.LambdaInvocation(c.memory(), time.Since(start)))
	}
	fctx := cost.WithMeter(context.WithoutCancel(ctx), m)
	if err := ledger.Flush(fctx, c.Table, m, c.AgencyOf, now()); err != nil {
		c.log().Error("cost: flush", "err", err)
	}
}

func (c *Config) memory() int {
	if c.MemoryMB > 0 {
		return c.MemoryMB
	}
	return DefaultMemoryMB
}

func (c *Config) log() *slog.Logger {
	if c.Logger != nil {
		return c.Logger
	}
	return slog.Default()
}

// HTTP meters each request next serves.
func HTTP(c Config, next http.Handler) http.Handler {
	if c.Table == nil {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		c.run(r.Context(), func(ctx context.Context) { next.ServeHTTP(w, r.WithContext(ctx)) })
	})
}

// StepFunc is a workflow function's handler (steps.RegistryOf.Handler).
type StepFunc = func(context.Context, json.RawMessage) (any, error)

// Step meters each invocation of a workflow function. A payload naming a
// co-op ("coopId", as the application and registration workflows' do) is
// charged to it; the grant workflow's steps charge their application's
// co-op themselves (grantsteps), and the tender workflow's serve a
// council's tender, no co-op's journey, so they are not stored.
func Step(c Config, fn StepFunc) StepFunc {
	if c.Table == nil {
		return fn
	}
	return func(ctx context.Context, payload json.RawMessage) (out any, err error) {
		c.run(ctx, func(ctx context.Context) {
			var head struct {
				Coop string `json:"coopId"`
			}
			if json.Unmarshal(payload, &head) == nil {
				cost.Charge(ctx, head.Coop)
			}
			out, err = fn(ctx, payload)
		})
		return out, err
	}
}

// Steps meters every handler of a map of workflow functions by logical ID
// (workflowsteps.Handlers); values of another type are left as they are.
func Steps(c Config, hs map[string]any) map[string]any {
	out := make(map[string]any, len(hs))
	for id, h := range hs {
		if fn, ok := h.(StepFunc); ok {
			h = Step(c, fn)
		}
		out[id] = h
	}
	return out
}
