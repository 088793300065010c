package storetest

import (
	"encoding/base64"
	"slices"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func testEvents(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	const n = 30
	events := make([]*pathway.Event, n)
	for i := range events {
		events[i] = newEvent("coop-ev", "note.added", at(i)) // IDs increase with i
	}
	// Append out of order: the list is ordered by ID, not by arrival.
	for _, i := range []int{3, 0, 29, 1, 2} {
		if err := s.AppendEvent(ctx, events[i]); err != nil {
			t.Fatalf("AppendEvent(%d): %v", i, err)
		}
	}
	for i := 4; i < n-1; i++ {
		if err := s.AppendEvent(ctx, events[i]); err != nil {
			t.Fatalf("AppendEvent(%d): %v", i, err)
		}
	}

	// A retried step appends the same event again: stored once, first copy kept.
	retry := *events[3]
	retry.Summary = "A retry with a different summary"
	if err := s.AppendEvent(ctx, &retry); err != nil {
		t.Fatalf("AppendEvent of an existing ID: %v", err)
	}
	// Another co-op's events never mix in.
	if err := s.AppendEvent(ctx, newEvent("coop-ev-other", "note.added", at(0))); err != nil {
		t.Fatalf("AppendEvent: %v", err)
	}

	all := allEvents(t, s, "coop-ev", pathway.MaxPageSize)
	if got, want := eventIDs(all), eventIDs(events); !slices.Equal(got, want) {
		t.Fatalf("ListEvents = %v, want %v", got, want)
	}
	for i, e := range all {
		wantEvent(t, events[i], e, "listed event")
	}

	page, err := s.ListEvents(ctx, pathway.CoopSubject("coop-ev"), "", 0)
	if err != nil {
		t.Fatalf("ListEvents with no limit: %v", err)
	}
	if len(page.Events) != pathway.DefaultPageSize || page.Next == "" {
		t.Fatalf("no limit gave %d events (next %q), want %d and a Next", len(page.Events), page.Next, pathway.DefaultPageSize)
	}
	for _, limit := range []int{1, 4, 29, 30} {
		if got := eventIDs(allEvents(t, s, "coop-ev", limit)); !slices.Equal(got, eventIDs(events)) {
			t.Fatalf("paging events by %d = %v", limit, got)
		}
	}

	page, err = s.ListEvents(ctx, pathway.CoopSubject("coop-without-events"), "", 0)
	if err != nil || len(page.Events) != 0 || page.Next != "" {
		t.Fatalf("ListEvents of a co-op without events = %+v, %v; want an empty last page", page, err)
	}
}

func testEventsBadInput(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	e := newEvent("coop-evb", "note.added", at(0))
	e.Action = ""
	wantField(t, s.AppendEvent(ctx, e), "action", "AppendEvent without an action")
	if got := allEvents(t, s, "coop-evb", 10); len(got) != 0 {
		t.Fatalf("an invalid event was stored: %v", eventIDs(got))
	}

	for range 3 {
		for _, coop := range []string{"coop-evb", "coop-evc"} {
			if err := s.AppendEvent(ctx, newEvent(coop, "note.added", at(0))); err != nil {
				t.Fatalf("AppendEvent: %v", err)
			}
		}
	}
	p, err := s.ListEvents(ctx, pathway.CoopSubject("coop-evc"), "", 1)
	if err != nil || p.Next == "" {
		t.Fatalf("ListEvents(limit 1) = %v, %v; want a Next", p, err)
	}
	for name, cursor := range map[string]string{
		"not base64":         "%%%",
		"base64 of garbage":  base64.RawURLEncoding.EncodeToString([]byte("garbage")),
		"another co-op's":    p.Next,
		"std base64 of {}":   base64.StdEncoding.EncodeToString([]byte("{}")),
		"base64 of a number": base64.RawURLEncoding.EncodeToString([]byte("12")),
	} {
		_, err := s.ListEvents(ctx, pathway.CoopSubject("coop-evb"), cursor, 1)
		wantCode(t, err, pathway.EINVALID, "ListEvents with "+name+" cursor")
	}
	_, err = s.ListEvents(ctx, pathway.CoopSubject(""), "", 0)
	wantField(t, err, "subject", "ListEvents without a subject")
	_, err = s.ListEvents(ctx, pathway.CoopSubject("coop-evb"), "", -1)
	wantField(t, err, "limit", "ListEvents with a negative limit")
}
