package grantservice

import (
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// GrantDraft is a founder's part-filled grant application, kept for them
// between visits, one per programme and co-op
// (GET/PUT/DELETE /api/drafts/grant-application?programme=&coop=).
type GrantDraft struct {
	Programme string `json:"programme"`
	Coop      string `json:"coop"`
	// Key is the apply form's idempotency key, so sending the restored
	// form twice stores one application.
	Key string `json:"key"`
	// Application holds the answers so far; they are checked only when sent.
	Application ApplicationInput `json:"application"`
	// Version is the stored version the draft was read at (0: a new one);
	// a save at another version is refused (ECONFLICT).
	Version   int       `json:"version"`
	UpdatedAt time.Time `json:"updatedAt"`
}

// grantDraftBody is what is stored of a draft.
type grantDraftBody struct {
	Key         string           `json:"key"`
	Application ApplicationInput `json:"application"`
}

// draftTarget checks that u is a founder of the co-op and the programme
// exists, and returns the draft's kind.
func (s *Service) draftTarget(ctx context.Context, u *pathway.User, programme, coop string) (string, error) {
	if u == nil || u.Role != pathway.RoleFounder {
		return "", pathway.Errorf(pathway.EFORBIDDEN, "Only a co-op's founders keep drafts of grant applications.")
	}
	f := map[string]string{}
	if programme == "" || len(programme) > 64 {
		f["programme"] = "Choose the grant programme"
	}
	if coop == "" || len(coop) > 64 {
		f["coop"] = "Choose the co-op applying"
	}
	if len(f) > 0 {
		return "", pathway.Invalid(f)
	}
	cost.Charge(ctx, coop) // the request serves this co-op's journey
	c, err := s.coop(ctx, coop)
	if err != nil {
		return "", err
	}
	if c == nil || !slices.Contains(c.Founders, u.ID) {
		return "", pathway.NotFound("co-op")
	}
	if _, err := s.grants.GetProgramme(ctx, programme); err != nil {
		return "", err
	}
	return pathway.GrantDraftKind(programme, coop), nil
}

// Draft returns u's draft application of the co-op to the programme, or
// ENOTFOUND.
func (s *Service) Draft(ctx context.Context, u *pathway.User, programme, coop string) (*GrantDraft, error) {
	kind, err := s.draftTarget(ctx, u, programme, coop)
	if err != nil {
		return nil, err
	}
	rec, err := s.store.GetDraft(ctx, u.ID, kind)
	if err != nil {
		return nil, err
	}
	var b grantDraftBody
	if err := json.Unmarshal(rec.Body, &b); err != nil {
		return nil, err
	}
	b.Application.Programme, b.Application.Coop = programme, coop
	return &GrantDraft{Programme: programme, Coop: coop, Key: b.Key, Application: b.Application,
		Version: rec.Version, UpdatedAt: rec.UpdatedAt}, nil
}

// SaveDraft stores u's draft if its Version is still the stored one, and
// updates d's Version and UpdatedAt.
func (s *Service) SaveDraft(ctx context.Context, u *pathway.User, d *GrantDraft) error {
	kind, err := s.draftTarget(ctx, u, d.Programme, d.Coop)
	if err != nil {
		return err
	}
	if len(d.Key) > 64 {
		return pathway.Invalid(map[string]string{"key": "Must be 64 characters or fewer"})
	}
	if d.Version < 0 {
		return pathway.Invalid(map[string]string{"version": "Must be the version you loaded, or 0 for a new draft"})
	}
	d.Application.Programme, d.Application.Coop = d.Programme, d.Coop
	body, _ := json.Marshal(grantDraftBody{Key: d.Key, Application: d.Application}) // plain fields: cannot fail
	if len(body) > 64<<10 {
		return pathway.Invalid(map[string]string{"application": "Your answers are too long to keep. Shorten them and try again."})
	}
	rec := &pathway.Draft{User: u.ID, Kind: kind, Body: body, Version: d.Version, UpdatedAt: s.now()}
	if err := s.store.PutDraft(ctx, rec); err != nil {
		return err
	}
	d.Version, d.UpdatedAt = rec.Version, rec.UpdatedAt
	return nil
}

// DeleteDraft removes u's draft application of the co-op to the programme;
// none is no error.
func (s *Service) DeleteDraft(ctx context.Context, u *pathway.User, programme, coop string) error {
	kind, err := s.draftTarget(ctx, u, programme, coop)
	if err != nil {
		return err
	}
	return s.store.DeleteDraft(ctx, u.ID, kind)
}
