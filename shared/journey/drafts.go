package journey

import (
	"context"
	"encoding/json"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// ApplicationDraft is a founder's part-filled application, kept on the
// server so they can sign out and carry on later, from any browser. It is
// the body of GET and PUT /api/drafts/application.
type ApplicationDraft struct {
	// Key makes the eventual submission idempotent (CoopID): a resent
	// "Send" names the same co-op.
	Key string `json:"key"`
	// Application holds the answers so far; they are checked only when sent.
	Application Application `json:"application"`
	// Coop, when set, is the screened-out co-op whose application the
	// draft corrects (Resubmit), rather than a new application.
	Coop string `json:"coop,omitempty"`
	// Version is the stored version the draft was read at; a PUT with a
	// version other than the stored one is refused (ECONFLICT), so two
	// windows never overwrite each other unseen. 0: a new draft.
	Version int `json:"version"`
}

// draftBody is what is stored of a draft.
type draftBody struct {
	Key  string      `json:"key"`
	App  Application `json:"application"`
	Coop string      `json:"coop,omitempty"`
}

// Draft returns the user's draft application, or ENOTFOUND.
func (s *Service) Draft(ctx context.Context, u *pathway.User) (*ApplicationDraft, error) {
	if err := MayApply(u); err != nil {
		return nil, err
	}
	d, err := s.store.GetDraft(ctx, u.ID, pathway.DraftApplication)
	if err != nil {
		return nil, err
	}
	var b draftBody
	if err := json.Unmarshal(d.Body, &b); err != nil {
		return nil, err
	}
	return &ApplicationDraft{Key: b.Key, Application: b.App, Coop: b.Coop, Version: d.Version}, nil
}

// SaveDraft stores the user's draft application if its Version is still
// the stored one, and updates d.Version.
func (s *Service) SaveDraft(ctx context.Context, u *pathway.User, d *ApplicationDraft) error {
	if err := MayApply(u); err != nil {
		return err
	}
	if len(d.Key) > 64 {
		return pathway.Invalid(map[string]string{"key": "Must be 64 characters or fewer"})
	}
	if len(d.Coop) > 64 {
		return pathway.Invalid(map[string]string{"coop": "Must be 64 characters or fewer"})
	}
	body, _ := json.Marshal(draftBody{Key: d.Key, App: d.Application, Coop: d.Coop}) // strings and slices: cannot fail
	if len(body) > 64<<10 {
		return pathway.Invalid(map[string]string{"application": "Your answers are too long to keep. Shorten them and try again."})
	}
	rec := &pathway.Draft{User: u.ID, Kind: pathway.DraftApplication, Body: body, Version: d.Version, UpdatedAt: s.now()}
	if err := s.store.PutDraft(ctx, rec); err != nil {
		return err
	}
	d.Version = rec.Version
	return nil
}

// DeleteDraft removes the user's draft application (once it is sent, or
// when they start again); none is no error.
func (s *Service) DeleteDraft(ctx context.Context, u *pathway.User) error {
	if err := MayApply(u); err != nil {
		return err
	}
	return s.store.DeleteDraft(ctx, u.ID, pathway.DraftApplication)
}
