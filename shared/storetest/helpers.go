package storetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// Invented identifiers used across the suite.
const (
	progNorth = "prog-north-start"
	progSouth = "prog-south-growth"
	orgA      = "org-fellside-cda"
	orgB      = "org-brookvale-fund"
)

// base is the suite's clock origin. It carries nanoseconds so a store that
// rounds times to micro- or milliseconds fails.
var base = time.Date(2025, time.March, 3, 9, 15, 0, 123456789, time.UTC)

// at returns base plus n minutes.
func at(n int) time.Time { return base.Add(time.Duration(n) * time.Minute) }

// newCoop returns a valid co-op with invented people in it.
func newCoop(id, programme, stage string, entered time.Time) *pathway.Coop {
	return &pathway.Coop{
		ID:                  id,
		Name:                "Moorside Care Co-op " + id,
		Programme:           programme,
		LegalForm:           pathway.FormCooperativeSociety,
		Origin:              "new-start",
		LocalAuthority:      "Westmoor",
		Services:            []string{"home-care", "carers-services"},
		RegulatedActivities: []string{"personal-care"},
		Members: []pathway.Member{
			{Name: "Edna Quillfeather", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
			{Name: "Tobias Marchbank", Class: pathway.ClassFamilyCarer, Role: pathway.MemberOrdinary, Votes: 1},
		},
		Founders:       []string{"user-founder-edna"},
		Stage:          stage,
		StageEnteredAt: entered,
		CreatedAt:      entered,
		UpdatedAt:      entered,
	}
}

// newEvent returns a valid event of the co-op with a fresh ULID.
func newEvent(coop, action string, when time.Time) *pathway.Event {
	return &pathway.Event{
		ID:      ulid.Make().String(),
		Coop:    coop,
		At:      when,
		Actor:   pathway.ActorSystem,
		Action:  action,
		Summary: "Recorded " + action + " for " + coop,
		Data:    map[string]string{"note": "invented"},
	}
}

// stageEvent returns an event recording a move between stages.
func stageEvent(coop, from, to string, when time.Time) *pathway.Event {
	e := newEvent(coop, "stage.changed", when)
	e.From, e.To = from, to
	return e
}

// create stores c with a first event and fails the test on error.
func create(t *testing.T, s pathway.Store, c *pathway.Coop) {
	t.Helper()
	if err := s.CreateCoop(t.Context(), c, newEvent(c.ID, "application.submitted", c.CreatedAt), nil); err != nil {
		t.Fatalf("CreateCoop(%s): %v", c.ID, err)
	}
}

// get returns the stored co-op and fails the test on error.
func get(t *testing.T, s pathway.Store, id string) *pathway.Coop {
	t.Helper()
	c, err := s.GetCoop(t.Context(), id)
	if err != nil {
		t.Fatalf("GetCoop(%s): %v", id, err)
	}
	return c
}

// move changes the stored co-op's stage through UpdateCoop, with its event.
func move(t *testing.T, s pathway.Store, id, to string, when time.Time) *pathway.Coop {
	t.Helper()
	c := get(t, s, id)
	e := stageEvent(id, c.Stage, to, when)
	c.Stage, c.StageEnteredAt, c.UpdatedAt = to, when, when
	if err := s.UpdateCoop(t.Context(), c, e); err != nil {
		t.Fatalf("UpdateCoop(%s to %s): %v", id, to, err)
	}
	return c
}

// wantCode fails the test unless err carries the application error code.
func wantCode(t *testing.T, err error, code, what string) {
	t.Helper()
	if got := pathway.ErrorCode(err); got != code {
		t.Fatalf("%s: error code %q (%v), want %q", what, got, err, code)
	}
}

// wantField fails the test unless err is EINVALID naming the field.
func wantField(t *testing.T, err error, field, what string) {
	t.Helper()
	wantCode(t, err, pathway.EINVALID, what)
	if _, ok := pathway.ErrorFields(err)[field]; !ok {
		t.Fatalf("%s: fields %v do not name %q", what, pathway.ErrorFields(err), field)
	}
}

// sameTime reports whether two times are the same instant.
func sameTime(a, b time.Time) bool { return a.Equal(b) }

// diffCoop describes how got differs from want, or returns "".
func diffCoop(want, got *pathway.Coop) string {
	switch {
	case got == nil:
		return "got nil co-op"
	case want.ID != got.ID, want.Name != got.Name, want.Programme != got.Programme,
		want.LegalForm != got.LegalForm, want.Origin != got.Origin,
		want.LocalAuthority != got.LocalAuthority, want.Stage != got.Stage,
		want.ProviderID != got.ProviderID, want.Failure != got.Failure,
		want.Version != got.Version, want.Attempt != got.Attempt:
		return fmt.Sprintf("scalar fields differ:\n got %+v\nwant %+v", *got, *want)
	case !slices.Equal(want.Services, got.Services),
		!slices.Equal(want.RegulatedActivities, got.RegulatedActivities),
		!slices.Equal(want.Members, got.Members),
		!slices.Equal(want.Founders, got.Founders):
		return fmt.Sprintf("list fields differ:\n got %+v\nwant %+v", *got, *want)
	case !sameTime(want.StageEnteredAt, got.StageEnteredAt),
		!sameTime(want.CreatedAt, got.CreatedAt),
		!sameTime(want.UpdatedAt, got.UpdatedAt):
		return fmt.Sprintf("times differ: got %v %v %v, want %v %v %v",
			got.StageEnteredAt, got.CreatedAt, got.UpdatedAt,
			want.StageEnteredAt, want.CreatedAt, want.UpdatedAt)
	}
	return ""
}

// wantCoop fails the test unless got equals want field by field.
func wantCoop(t *testing.T, want, got *pathway.Coop, what string) {
	t.Helper()
	if d := diffCoop(want, got); d != "" {
		t.Fatalf("%s: %s", what, d)
	}
}

// wantEvent fails the test unless got equals want field by field.
func wantEvent(t *testing.T, want, got *pathway.Event, what string) {
	t.Helper()
	if got == nil || want.ID != got.ID || want.Coop != got.Coop || want.Actor != got.Actor ||
		want.Action != got.Action || want.Summary != got.Summary || want.From != got.From ||
		want.To != got.To || !sameTime(want.At, got.At) || !sameStringMap(want.Data, got.Data) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// wantTask fails the test unless got equals want field by field.
func wantTask(t *testing.T, want, got *pathway.Task, what string) {
	t.Helper()
	if got == nil || want.ID != got.ID || want.Kind != got.Kind || want.Coop != got.Coop ||
		want.Organisation != got.Organisation || want.Role != got.Role || want.Title != got.Title ||
		want.Token != got.Token || want.Status != got.Status || want.CompletedBy != got.CompletedBy ||
		!sameTime(want.Due, got.Due) || !sameTime(want.CreatedAt, got.CreatedAt) ||
		!sameTime(want.CompletedAt, got.CompletedAt) || !sameJSON(want.Outcome, got.Outcome) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// wantItem fails the test unless got equals want field by field.
func wantItem(t *testing.T, want, got *pathway.ChecklistItem, what string) {
	t.Helper()
	if got == nil {
		t.Fatalf("%s: got nil item", what)
	}
	w, g := *want, *got
	wt, gt := w.UpdatedAt, g.UpdatedAt
	w.UpdatedAt, g.UpdatedAt = time.Time{}, time.Time{}
	// Links is a slice, so the items compare deeply; an empty list and
	// none are the same to the JSON the stores keep.
	if len(w.Links) == 0 && len(g.Links) == 0 {
		w.Links, g.Links = nil, nil
	}
	if !reflect.DeepEqual(w, g) || !sameTime(wt, gt) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, *got, *want)
	}
}

// wantResponse fails the test unless got equals want field by field.
func wantResponse(t *testing.T, want, got *pathway.IdempotentResponse, what string) {
	t.Helper()
	if got == nil || want.Key != got.Key || want.RequestHash != got.RequestHash ||
		want.Status != got.Status || want.Location != got.Location ||
		!bytes.Equal(want.Body, got.Body) || !sameTime(want.CreatedAt, got.CreatedAt) {
		t.Fatalf("%s:\n got %+v\nwant %+v", what, got, want)
	}
}

// sameStringMap treats a nil map and an empty map as equal, as a store may
// return either for "no data".
func sameStringMap(a, b map[string]string) bool {
	return len(a) == 0 && len(b) == 0 || maps.Equal(a, b)
}

// sameJSON reports whether two JSON documents are equal in value, so a store
// may re-encode an outcome (compacting spaces) without failing the suite.
func sameJSON(a, b json.RawMessage) bool {
	if len(a) == 0 || len(b) == 0 {
		return len(a) == len(b)
	}
	var va, vb any
	if json.Unmarshal(a, &va) != nil || json.Unmarshal(b, &vb) != nil {
		return false
	}
	return reflect.DeepEqual(va, vb)
}

// ids returns the IDs of co-ops in order.
func ids(cs []*pathway.Coop) []string {
	out := make([]string, len(cs))
	for i, c := range cs {
		out[i] = c.ID
	}
	return out
}

// taskIDs returns the IDs of tasks in order.
func taskIDs(ts []*pathway.Task) []string {
	out := make([]string, len(ts))
	for i, x := range ts {
		out[i] = x.ID
	}
	return out
}

// eventIDs returns the IDs of events in order.
func eventIDs(es []*pathway.Event) []string {
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.ID
	}
	return out
}

// checkPage fails the test if a page breaks the page-size rules: a page
// with a Next is full, and no page is longer than the limit.
func checkPage(t *testing.T, n, limit int, next string, what string) {
	t.Helper()
	if n > limit {
		t.Fatalf("%s: page holds %d, limit %d", what, n, limit)
	}
	if next != "" && n != limit {
		t.Fatalf("%s: page of %d (limit %d) has a Next; only full pages may", what, n, limit)
	}
}

// allCoops pages through a pipeline column with the limit, calling between
// (if not nil) after every page, and returns every page's co-ops in order.
func allCoops(t *testing.T, s pathway.Store, programme, stage string, limit int, between func(page int)) [][]*pathway.Coop {
	t.Helper()
	var pages [][]*pathway.Coop
	cursor := ""
	for {
		p, err := s.ListCoops(t.Context(), pathway.CoopFilter{Programme: programme, Stage: stage, Cursor: cursor, Limit: limit})
		if err != nil {
			t.Fatalf("ListCoops(%s, %s, page %d): %v", programme, stage, len(pages), err)
		}
		checkPage(t, len(p.Coops), limit, p.Next, fmt.Sprintf("ListCoops page %d", len(pages)))
		pages = append(pages, p.Coops)
		if p.Next == "" {
			return pages
		}
		if len(pages) > 10_000 {
			t.Fatalf("ListCoops: more than 10,000 pages; the cursor does not advance")
		}
		if between != nil {
			between(len(pages) - 1)
		}
		cursor = p.Next
	}
}

// allEvents pages through a co-op's events with the limit.
func allEvents(t *testing.T, s pathway.Store, coop string, limit int) []*pathway.Event {
	t.Helper()
	var out []*pathway.Event
	cursor := ""
	for page := 0; ; page++ {
		p, err := s.ListEvents(t.Context(), pathway.CoopSubject(coop), cursor, limit)
		if err != nil {
			t.Fatalf("ListEvents(%s, page %d): %v", coop, page, err)
		}
		checkPage(t, len(p.Events), limit, p.Next, fmt.Sprintf("ListEvents page %d", page))
		out = append(out, p.Events...)
		if p.Next == "" {
			return out
		}
		if page > 10_000 {
			t.Fatalf("ListEvents: more than 10,000 pages; the cursor does not advance")
		}
		cursor = p.Next
	}
}

// wantNewestFirst fails the test unless the co-ops are in pipeline order:
// (StageEnteredAt, ID) descending.
func wantNewestFirst(t *testing.T, cs []*pathway.Coop, what string) {
	t.Helper()
	for i := 1; i < len(cs); i++ {
		a, b := cs[i-1], cs[i]
		if a.StageEnteredAt.Before(b.StageEnteredAt) ||
			a.StageEnteredAt.Equal(b.StageEnteredAt) && a.ID <= b.ID {
			t.Fatalf("%s: %s (%v) comes before %s (%v); want (StageEnteredAt, ID) descending",
				what, a.ID, a.StageEnteredAt, b.ID, b.StageEnteredAt)
		}
	}
}
