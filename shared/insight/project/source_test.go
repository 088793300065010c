package project_test

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight"
)

// thing is the test source's subject: it belongs to a scope and carries a
// number n and tags; each tag is a cell of its scope, counting the things
// ("things") and adding up their n ("n"), and the cell "*" counts all.
type thing struct {
	Name  string   `json:"name"`
	Scope string   `json:"scope"`
	N     int64    `json:"n"`
	Tags  []string `json:"tags"`
	// Seen is carried on from the facts applied: the time of the first
	// refresh, as a source keeps what the truth does not.
	Seen time.Time `json:"seen"`
}

// things is a small Source over an in-memory truth.
type things struct {
	mu    sync.Mutex
	truth map[string]*thing
	nexts int
}

func newThings() *things { return &things{truth: map[string]*thing{}} }

func (s *things) Kind() string { return "thing" }

// set stores (or, with nil, removes) a thing's truth.
func (s *things) set(id string, t *thing) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if t == nil {
		delete(s.truth, id)
		return
	}
	c := *t
	s.truth[id] = &c
}

func (s *things) Next(_ context.Context, id string, applied json.RawMessage, at time.Time) (json.RawMessage, error) {
	s.mu.Lock()
	t := s.truth[id]
	s.nexts++
	var c thing
	if t != nil {
		c = *t
	}
	s.mu.Unlock()
	if t == nil {
		return nil, nil
	}
	c.Seen = at.UTC()
	if applied != nil {
		var old thing
		if err := json.Unmarshal(applied, &old); err != nil {
			return nil, err
		}
		c.Seen = old.Seen
	}
	return json.Marshal(&c)
}

func (s *things) Contribute(facts json.RawMessage) (insight.Contribution, error) {
	var t thing
	if err := json.Unmarshal(facts, &t); err != nil {
		return nil, err
	}
	return contribution(&t), nil
}

// contribution is what a thing adds to the cells, worked out apart from
// the projector so tests can add up what the cells should hold.
func contribution(t *thing) insight.Contribution {
	c := insight.Contribution{}
	for _, tag := range append([]string{insight.Wildcard}, t.Tags...) {
		cell := insight.Cell{Scope: t.Scope, Key: tag}
		c.Add(cell, "things", 1)
		c.Add(cell, "n", t.N)
	}
	return c
}

func (s *things) Index(facts json.RawMessage) insight.Index {
	var t thing
	_ = json.Unmarshal(facts, &t)
	return insight.Index{GSI1PK: "THINGS#" + t.Scope, GSI1SK: t.Name}
}

// want adds up the cells of every thing in the truth, per scope.
func (s *things) want() map[insight.Cell]insight.Counters {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := map[insight.Cell]insight.Counters{}
	for _, t := range s.truth {
		for cell, cs := range contribution(t) {
			if out[cell] == nil {
				out[cell] = insight.Counters{}
			}
			for name, n := range cs {
				out[cell][name] += n
			}
		}
	}
	return out
}

// tags returns n tags named t000…
func tags(n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("t%03d", i)
	}
	return out
}
