package asl

import (
	"math"
	"time"
)

// Retrier defaults and limits from the States Language specification.
const (
	defaultIntervalSeconds = 1
	defaultMaxAttempts     = 3
	defaultBackoffRate     = 2.0
	maxRetrierNumber       = 99999999
	maxDelaySecondsLimit   = 31622400 // exclusive upper bound AWS accepts
)

// errDataLimitExceeded is terminal: not even States.ALL catches it.
const errDataLimitExceeded = "States.DataLimitExceeded"

// Retrier is one compiled Retry entry, with the specification's defaults
// filled in (IntervalSeconds 1, MaxAttempts 3, BackoffRate 2.0).
type Retrier struct {
	ErrorEquals     []string
	IntervalSeconds int64
	MaxAttempts     int64
	BackoffRate     float64
	MaxDelaySeconds int64  // 0 = no cap
	JitterStrategy  string // "FULL" or "NONE"
}

// Catcher is one compiled Catch entry.
type Catcher struct {
	ErrorEquals []string
	Next        string
	ResultPath  ResultPath
}

// Matches reports whether an error named name matches errorEquals, with
// AWS's rules:
//   - States.Runtime is never retried or caught, even when named;
//   - States.ALL matches every other error except States.DataLimitExceeded;
//   - States.TaskFailed matches every error except the timeouts
//     (States.Timeout, States.HeartbeatTimeout) and the two above;
//   - States.Timeout also matches States.HeartbeatTimeout, since AWS reports
//     a missed heartbeat as a timeout;
//   - any other name matches itself exactly (case-sensitive).
func Matches(errorEquals []string, name string) bool {
	if name == ErrRuntime {
		return false
	}
	for _, e := range errorEquals {
		switch {
		case e == name:
			return true
		case e == ErrALL:
			return name != errDataLimitExceeded
		case e == ErrTaskFailed:
			if name != ErrTimeout && name != ErrHeartbeatTimeout && name != errDataLimitExceeded {
				return true
			}
		case e == ErrTimeout && name == ErrHeartbeatTimeout:
			return true
		}
	}
	return false
}

// FindRetrier returns the index of the first retrier matching name, or -1.
func (s *State) FindRetrier(name string) int {
	for i := range s.Retry {
		if Matches(s.Retry[i].ErrorEquals, name) {
			return i
		}
	}
	return -1
}

// Delay is the wait before retry attempt (0 for the first retry):
// IntervalSeconds × BackoffRate^attempt, capped at MaxDelaySeconds; with
// JitterStrategy FULL it is scaled by rnd() in [0,1) (nil rnd: no jitter).
func (r *Retrier) Delay(attempt int, rnd func() float64) time.Duration {
	secs := float64(r.IntervalSeconds) * math.Pow(r.BackoffRate, float64(attempt))
	if r.MaxDelaySeconds > 0 && secs > float64(r.MaxDelaySeconds) {
		secs = float64(r.MaxDelaySeconds)
	}
	if r.JitterStrategy == "FULL" && rnd != nil {
		secs *= rnd()
	}
	if limit := float64(math.MaxInt64) / float64(time.Second); secs > limit || math.IsNaN(secs) {
		return time.Duration(math.MaxInt64)
	}
	return time.Duration(secs * float64(time.Second))
}

// FindCatcher returns the first catcher matching name, or nil.
func (s *State) FindCatcher(name string) *Catcher {
	for i := range s.Catch {
		if Matches(s.Catch[i].ErrorEquals, name) {
			return &s.Catch[i]
		}
	}
	return nil
}

// ErrorOutput is the error object a Catch passes on through its ResultPath.
func ErrorOutput(name, cause string) map[string]any {
	return map[string]any{"Error": name, "Cause": cause}
}
