package grantservice_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// TestGrantDraftRules: a draft is a founder's own, for their co-op and an
// existing programme, one per programme, and sending deletes it.
func TestGrantDraftRules(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	a := users["founderA"]
	for _, tc := range []struct {
		name, who, prog, coop, code string
	}{
		{"another co-op's founder", "founderB", progOpen, coopA, pathway.ENOTFOUND},
		{"funder staff", "lead", progOpen, coopA, pathway.EFORBIDDEN},
		{"no programme", "founderA", "", coopA, pathway.EINVALID},
		{"no co-op", "founderA", progOpen, "", pathway.EINVALID},
		{"a missing programme", "founderA", "gp-missing", coopA, pathway.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := f.svc.SaveDraft(ctx, users[tc.who], &grantservice.GrantDraft{Programme: tc.prog, Coop: tc.coop})
			wantCode(t, err, tc.code)
		})
	}
	d := &grantservice.GrantDraft{Programme: progOpen, Coop: coopA, Key: "k-1", Application: input(progOpen)}
	must(t, f.svc.SaveDraft(ctx, a, d))
	if d.Version != 1 {
		t.Errorf("version %d after the first save", d.Version)
	}
	stale := &grantservice.GrantDraft{Programme: progOpen, Coop: coopA}
	wantCode(t, f.svc.SaveDraft(ctx, a, stale), pathway.ECONFLICT)
	if _, err := f.svc.Draft(ctx, a, progSmall, coopA); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("another programme's draft: %v", err)
	}
	got, err := f.svc.Draft(ctx, a, progOpen, coopA)
	must(t, err)
	if got.Key != "k-1" || got.Application.Title != d.Application.Title || got.Application.Amount != d.Application.Amount {
		t.Errorf("draft = %+v", got)
	}
	f.apply(t, progOpen)
	if _, err := f.svc.Draft(ctx, a, progOpen, coopA); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("the draft outlived sending: %v", err)
	}
}
