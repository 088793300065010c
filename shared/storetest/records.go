package storetest

import (
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func testOrganisations(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	o := &pathway.Organisation{ID: orgA, Name: "Fellside Co-operative Development Agency", Kind: pathway.OrgAgency}
	if err := s.PutOrganisation(ctx, o); err != nil {
		t.Fatalf("PutOrganisation: %v", err)
	}
	wantOrg := func(want *pathway.Organisation) {
		t.Helper()
		got, err := s.GetOrganisation(ctx, want.ID)
		if err != nil {
			t.Fatalf("GetOrganisation: %v", err)
		}
		if *got != *want {
			t.Fatalf("GetOrganisation = %+v, want %+v", *got, *want)
		}
	}
	wantOrg(o)
	replaced := *o
	replaced.Name = "Fellside and Dales Development Agency"
	if err := s.PutOrganisation(ctx, &replaced); err != nil {
		t.Fatalf("PutOrganisation (replace): %v", err)
	}
	wantOrg(&replaced)

	_, err := s.GetOrganisation(ctx, "org-nowhere")
	wantCode(t, err, pathway.ENOTFOUND, "GetOrganisation of a missing ID")
	wantField(t, s.PutOrganisation(ctx, &pathway.Organisation{ID: "Not A Slug", Name: "Bad", Kind: pathway.OrgFunder}),
		"id", "PutOrganisation with a bad ID")
	wantField(t, s.PutOrganisation(ctx, &pathway.Organisation{ID: orgA, Name: "", Kind: pathway.OrgFunder}),
		"name", "PutOrganisation without a name")
	wantOrg(&replaced)
}

// newProgramme returns a valid programme.
func newProgramme(id string) *pathway.Programme {
	return &pathway.Programme{
		ID: id, Name: "Invented Programme " + id, Agency: orgA, Pathway: pathway.PathwayStartUp,
		Open: true, PanelDays: 14,
		Eligibility: pathway.Eligibility{MinFounders: 3, EnglandOnly: true, Services: []string{"home-care"}},
	}
}

func testProgrammes(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	list, err := s.ListProgrammes(ctx)
	if err != nil || len(list) != 0 {
		t.Fatalf("ListProgrammes of an empty store = %v, %v", list, err)
	}
	for _, id := range []string{"prog-c", "prog-a", "prog-b"} {
		if err := s.PutProgramme(ctx, newProgramme(id)); err != nil {
			t.Fatalf("PutProgramme(%s): %v", id, err)
		}
	}
	changed := newProgramme("prog-b")
	changed.Open, changed.PanelDays, changed.Eligibility.Services = false, 30, nil
	if err := s.PutProgramme(ctx, changed); err != nil {
		t.Fatalf("PutProgramme (replace): %v", err)
	}
	want := []*pathway.Programme{newProgramme("prog-a"), changed, newProgramme("prog-c")}
	list, err = s.ListProgrammes(ctx)
	if err != nil {
		t.Fatalf("ListProgrammes: %v", err)
	}
	if len(list) != len(want) {
		t.Fatalf("ListProgrammes holds %d, want %d", len(list), len(want))
	}
	for i := range want {
		if !sameProgramme(want[i], list[i]) {
			t.Fatalf("ListProgrammes[%d] = %+v, want %+v", i, list[i], want[i])
		}
	}
	got, err := s.GetProgramme(ctx, "prog-b")
	if err != nil || !sameProgramme(changed, got) {
		t.Fatalf("GetProgramme = %+v, %v; want %+v", got, err, changed)
	}
	_, err = s.GetProgramme(ctx, "prog-nowhere")
	wantCode(t, err, pathway.ENOTFOUND, "GetProgramme of a missing ID")
	bad := newProgramme("prog-d")
	bad.PanelDays = 0
	wantField(t, s.PutProgramme(ctx, bad), "panelDays", "PutProgramme with no panel days")
	_, err = s.GetProgramme(ctx, "prog-d")
	wantCode(t, err, pathway.ENOTFOUND, "GetProgramme of a programme refused as invalid")
}

// sameProgramme compares programmes treating nil and empty lists as equal.
func sameProgramme(a, b *pathway.Programme) bool {
	if a == nil || b == nil {
		return a == b
	}
	ca, cb := *a, *b
	if !slices.Equal(ca.Eligibility.Services, cb.Eligibility.Services) {
		return false
	}
	ca.Eligibility.Services, cb.Eligibility.Services = nil, nil
	return reflect.DeepEqual(ca, cb)
}

func testUsers(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	list, err := s.ListUsers(ctx)
	if err != nil || len(list) != 0 {
		t.Fatalf("ListUsers of an empty store = %v, %v", list, err)
	}
	users := []*pathway.User{
		{ID: "user-quill", Name: "Quill Ashdown", Role: pathway.RoleAgency, Organisation: orgA, Lead: true},
		{ID: "user-bryn", Name: "Bryn Hollowell", Role: pathway.RoleFounder},
		{ID: "user-mira", Name: "Mira Stonecrop", Role: pathway.RoleFunder, Organisation: orgB},
	}
	for _, u := range users {
		if err := s.PutUser(ctx, u); err != nil {
			t.Fatalf("PutUser(%s): %v", u.ID, err)
		}
	}
	moved := *users[2]
	moved.Name, moved.Organisation = "Mira Stonecrop-Vale", orgA
	if err := s.PutUser(ctx, &moved); err != nil {
		t.Fatalf("PutUser (replace): %v", err)
	}
	want := []pathway.User{*users[1], moved, *users[0]}
	list, err = s.ListUsers(ctx)
	if err != nil {
		t.Fatalf("ListUsers: %v", err)
	}
	if len(list) != len(want) {
		t.Fatalf("ListUsers holds %d, want %d", len(list), len(want))
	}
	for i := range want {
		if *list[i] != want[i] {
			t.Fatalf("ListUsers[%d] = %+v, want %+v", i, *list[i], want[i])
		}
	}
	got, err := s.GetUser(ctx, "user-bryn")
	if err != nil || *got != *users[1] {
		t.Fatalf("GetUser = %+v, %v; want %+v", got, err, users[1])
	}
	_, err = s.GetUser(ctx, "user-nobody")
	wantCode(t, err, pathway.ENOTFOUND, "GetUser of a missing ID")
	wantField(t, s.PutUser(ctx, &pathway.User{ID: "user-odd", Name: "Odd Staff", Role: pathway.RoleAgency}),
		"organisation", "PutUser of staff without an organisation")
}

func testIdempotency(t *testing.T, s pathway.Store) {
	ctx := t.Context()
	_, err := s.RecallResponse(ctx, "user-bryn|key-unknown")
	wantCode(t, err, pathway.ENOTFOUND, "RecallResponse of an unknown key")

	first := &pathway.IdempotentResponse{
		Key: "user-bryn|key-1", RequestHash: "hash-first", Status: 201,
		Location: "/coops/coop-i-1", Body: []byte(`{"id":"coop-i-1"}`), CreatedAt: base,
	}
	got, err := s.RememberResponse(ctx, first)
	if err != nil {
		t.Fatalf("RememberResponse: %v", err)
	}
	wantResponse(t, first, got, "RememberResponse of a new key")

	second := &pathway.IdempotentResponse{
		Key: first.Key, RequestHash: "hash-second", Status: 409,
		Body: []byte(`{"error":"conflict"}`), CreatedAt: base.Add(time.Second),
	}
	got, err = s.RememberResponse(ctx, second)
	if err != nil {
		t.Fatalf("RememberResponse of a known key: %v", err)
	}
	wantResponse(t, first, got, "RememberResponse of a known key returns the first")
	got, err = s.RecallResponse(ctx, first.Key)
	if err != nil {
		t.Fatalf("RecallResponse: %v", err)
	}
	wantResponse(t, first, got, "RecallResponse")

	other := *first
	other.Key = "user-quill|key-1" // another caller's same Idempotency-Key
	other.Body = []byte(`{"id":"coop-i-2"}`)
	if got, err = s.RememberResponse(ctx, &other); err != nil {
		t.Fatalf("RememberResponse of another caller's key: %v", err)
	}
	wantResponse(t, &other, got, "another caller's response")

	_, err = s.RememberResponse(ctx, &pathway.IdempotentResponse{Key: "", RequestHash: "h", Status: 200})
	wantField(t, err, "key", "RememberResponse without a key")
}

// testIdempotencyRace: 20 retries of one request race to remember their
// response; all of them get the same stored one.
func testIdempotencyRace(t *testing.T, s pathway.Store) {
	const racers = 20
	ctx := t.Context()
	results := make([]*pathway.IdempotentResponse, racers)
	var wg, start sync.WaitGroup
	start.Add(1)
	for i := range racers {
		wg.Go(func() {
			start.Wait()
			got, err := s.RememberResponse(ctx, &pathway.IdempotentResponse{
				Key: "user-bryn|key-race", RequestHash: "hash-race", Status: 201,
				Body: fmt.Appendf(nil, `{"racer":%d}`, i), CreatedAt: base.Add(time.Duration(i) * time.Millisecond),
			})
			if err != nil {
				t.Errorf("racer %d: %v", i, err)
				return
			}
			results[i] = got
		})
	}
	start.Done()
	wg.Wait()
	if t.Failed() {
		return
	}
	stored, err := s.RecallResponse(ctx, "user-bryn|key-race")
	if err != nil {
		t.Fatalf("RecallResponse: %v", err)
	}
	for i, got := range results {
		wantResponse(t, stored, got, fmt.Sprintf("racer %d's result", i))
	}
}
