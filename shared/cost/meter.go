package cost

import (
	"context"
	"sync"
)

// Meter adds up the usage of one piece of work (a request, a workflow
// step) as it happens, so that it can be charged to the journey it served.
// The table engines add DynamoDB units to the meter of the context they are
// called with; the Lambda wiring adds the invocation; the mail and file
// adapters add emails and S3 requests. Safe for concurrent use.
type Meter struct {
	mu    sync.Mutex
	usage Usage
	coop  string
}

// Add adds u to the meter. A nil meter ignores it, so adapters add to
// whatever MeterFrom returns without checking.
func (m *Meter) Add(u Usage) {
	if m == nil {
		return
	}
	m.mu.Lock()
	m.usage = m.usage.Add(u)
	m.mu.Unlock()
}

// Charge names the co-op whose journey the work serves; the last name
// given wins. Services call it once they know the co-op (from a grant
// application, a bid…), so that work reached through another subject is
// charged to the right journey.
func (m *Meter) Charge(coop string) {
	if m == nil || coop == "" {
		return
	}
	m.mu.Lock()
	m.coop = coop
	m.mu.Unlock()
}

// Take returns the usage added since the last Take and the co-op charged,
// and starts the meter again from zero.
func (m *Meter) Take() (Usage, string) {
	if m == nil {
		return Usage{}, ""
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	u, c := m.usage, m.coop
	m.usage = Usage{}
	return u, c
}

type meterKey struct{}

// WithMeter returns ctx carrying m.
func WithMeter(ctx context.Context, m *Meter) context.Context {
	return context.WithValue(ctx, meterKey{}, m)
}

// MeterFrom returns the meter ctx carries, or nil.
func MeterFrom(ctx context.Context) *Meter {
	m, _ := ctx.Value(meterKey{}).(*Meter)
	return m
}

// Charge names the co-op of the meter ctx carries (see Meter.Charge).
func Charge(ctx context.Context, coop string) { MeterFrom(ctx).Charge(coop) }
