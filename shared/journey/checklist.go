package journey

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// ChecklistView is a co-op's CQC checklist with its progress.
type ChecklistView struct {
	Coop     string                   `json:"coop"`
	Items    []*pathway.ChecklistItem `json:"items"`
	Progress pathway.Progress         `json:"progress"`
}

// Checklist returns the checklist of a co-op the user may see.
func (s *Service) Checklist(ctx context.Context, u *pathway.User, coopID string) (*ChecklistView, error) {
	c, _, err := s.Coop(ctx, u, coopID)
	if err != nil {
		return nil, err
	}
	items, err := s.store.ListChecklist(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	return &ChecklistView{Coop: c.ID, Items: items, Progress: pathway.ChecklistProgress(items)}, nil
}

// ItemUpdate is a founder marking a checklist item done, with its evidence.
type ItemUpdate struct {
	// Status must be "done": founders mark items done; only the agency
	// verifies or returns them.
	Status string `json:"status"`
	// Evidence says what the founders did or where the evidence is.
	Evidence string `json:"evidence"`
	// Link is an optional https:// address of the evidence document.
	Link string `json:"link"`
	// IfVersion, when not zero, is the item version the founder saw (the
	// API takes it from If-Match): a later change makes the update ECONFLICT.
	IfVersion int `json:"-"`
}

// check trims the answers and names each field at fault.
func (up *ItemUpdate) check() error {
	up.Evidence, up.Link = strings.TrimSpace(pathway.NormaliseNewlines(up.Evidence)), strings.TrimSpace(up.Link)
	fields := map[string]string{}
	if up.Status != pathway.ItemDone {
		fields["status"] = `Must be "done"`
	}
	switch n := len([]rune(up.Evidence)); {
	case pathway.TextProblem(up.Evidence, true) != "":
		fields["evidence"] = pathway.TextProblem(up.Evidence, true)
	case n == 0:
		fields["evidence"] = "Say what you have done or where the evidence is"
	case n > 4000:
		fields["evidence"] = "Must be 4000 characters or fewer"
	}
	if up.Link != "" {
		if msg := pathway.TextProblem(up.Link, false); msg != "" {
			fields["link"] = msg
		} else if u, err := url.Parse(up.Link); err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil {
			fields["link"] = "Enter a full web address starting with https://"
		} else if len(up.Link) > 2000 {
			fields["link"] = "Must be 2000 characters or fewer"
		}
	}
	if len(fields) > 0 {
		return pathway.Invalid(fields)
	}
	return nil
}

// MarkDone records a founder marking an item of their co-op's checklist
// done. Only the co-op's founders may; agency staff who can see the co-op
// get EFORBIDDEN. A verified item cannot change, and a concurrent change to
// the same item is ECONFLICT (the store's update is conditional on the
// version read), so no update is lost.
func (s *Service) MarkDone(ctx context.Context, u *pathway.User, coopID, itemID string, up ItemUpdate) (*pathway.ChecklistItem, error) {
	c, it, err := s.checklistItem(ctx, u, coopID, itemID)
	if err != nil {
		return nil, err
	}
	if err := mayMarkDone(u); err != nil {
		return nil, err
	}
	if err := up.check(); err != nil {
		return nil, err
	}
	if err := checklistOpen(c); err != nil {
		return nil, err
	}
	if err := sameVersion(it, up.IfVersion); err != nil {
		return nil, err
	}
	if err := stillOpen(it); err != nil {
		return nil, err
	}
	it.Status, it.Evidence, it.Link, it.Comment = pathway.ItemDone, up.Evidence, up.Link, ""
	it.UpdatedAt, it.UpdatedBy = s.now(), u.ID
	e := s.newEvent(c.ID, u, pathway.ActionChecklistItemDone, u.Name+" marked “"+it.Title+"” done.", map[string]string{"item": it.ID})
	if err := s.store.UpdateChecklistItem(ctx, it, e); err != nil {
		return nil, err
	}
	return it, nil
}

// Verification is the agency's check of an item marked done.
type Verification struct {
	// Outcome is accepted or returned.
	Outcome string `json:"outcome"`
	// Comment says what to put right: required when returned.
	Comment string `json:"comment"`
	// IfVersion, when not zero, is the item version the agency checked
	// (the API takes it from If-Match): evidence changed since then makes
	// the verification ECONFLICT, so nobody verifies evidence unseen.
	IfVersion int `json:"-"`
}

// Verification outcomes.
const (
	VerifyAccepted = "accepted"
	VerifyReturned = "returned"
)

// check trims the comment and names each field at fault.
func (v *Verification) check() error {
	v.Comment = strings.TrimSpace(pathway.NormaliseNewlines(v.Comment))
	fields := map[string]string{}
	switch v.Outcome {
	case VerifyAccepted:
	case VerifyReturned:
		if v.Comment == "" {
			fields["comment"] = "Say what the founders need to put right"
		}
	case "":
		fields["outcome"] = "Choose accepted or returned"
	default:
		fields["outcome"] = "Must be one of: accepted, returned"
	}
	if msg := pathway.TextProblem(v.Comment, true); msg != "" {
		fields["comment"] = msg
	} else if len([]rune(v.Comment)) > 2000 {
		fields["comment"] = "Must be 2000 characters or fewer"
	}
	if len(fields) > 0 {
		return pathway.Invalid(fields)
	}
	return nil
}

// Verify records the agency accepting or returning an item marked done.
// Only staff of the agency running the programme may; founders get
// EFORBIDDEN. When the last required item becomes verified, the
// registration workflow's checklist wait is released.
//
// Accepting an item that is verified already is allowed when the checklist
// is complete and its wait is still open: that is the retry after a release
// that could not be delivered, and it only sends the release again.
func (s *Service) Verify(ctx context.Context, u *pathway.User, coopID, itemID string, v Verification) (*pathway.ChecklistItem, error) {
	c, it, err := s.checklistItem(ctx, u, coopID, itemID)
	if err != nil {
		return nil, err
	}
	if err := mayVerify(u); err != nil {
		return nil, err
	}
	if err := v.check(); err != nil {
		return nil, err
	}
	if err := checklistOpen(c); err != nil {
		return nil, err
	}
	if err := sameVersion(it, v.IfVersion); err != nil {
		return nil, err
	}
	if it.Status == pathway.ItemVerified && v.Outcome == VerifyAccepted {
		released, err := s.releaseChecklist(ctx, u, c)
		if err != nil {
			return nil, err
		}
		if released {
			return it, nil
		}
	}
	if it.Status != pathway.ItemDone {
		return nil, pathway.Errorf(pathway.ECONFLICT, "Only an item the founders have marked done can be verified; this one is %s.", pathway.Words(it.Status))
	}
	action, summary := pathway.ActionChecklistItemVerified, u.Name+" verified “"+it.Title+"”."
	it.Status, it.Comment = pathway.ItemVerified, v.Comment
	if v.Outcome == VerifyReturned {
		action, summary = pathway.ActionChecklistItemReturned, u.Name+" returned “"+it.Title+"”: "+v.Comment
		it.Status = pathway.ItemReturned
	}
	it.UpdatedAt, it.UpdatedBy = s.now(), u.ID
	e := s.newEvent(c.ID, u, action, summary, map[string]string{"item": it.ID})
	if it.Status == pathway.ItemReturned {
		// The founders' email goes in the return's transaction (see Event.Notices).
		e.Notices = append(e.Notices, pathway.NewNotice(pathway.CoopSubject(c.ID), pathway.ItemReturnedNotice(c, it), u.ID, e.At))
	}
	if err := s.store.UpdateChecklistItem(ctx, it, e); err != nil {
		return nil, err
	}
	s.mailNow(ctx, e.Notices)
	if it.Status == pathway.ItemVerified && it.Required {
		if _, err := s.releaseChecklist(ctx, u, c); err != nil {
			return nil, err
		}
	}
	return it, nil
}

// mayMarkDone refuses anyone but a founder: only the co-op's founders
// mark its items done (Coop has checked they are its founders).
func mayMarkDone(u *pathway.User) error {
	if u.Role != pathway.RoleFounder {
		return pathway.Errorf(pathway.EFORBIDDEN, "Only the co-op's founders can mark checklist items done.")
	}
	return nil
}

// mayVerify refuses anyone but agency staff: only the agency that runs
// the programme verifies items (Coop has checked it is theirs).
func mayVerify(u *pathway.User) error {
	if u.Role != pathway.RoleAgency {
		return pathway.Errorf(pathway.EFORBIDDEN, "Only the agency that runs the programme can verify checklist items.")
	}
	return nil
}

// stillOpen refuses a change to a verified item, which is locked.
func stillOpen(it *pathway.ChecklistItem) error {
	if it.Status == pathway.ItemVerified {
		return pathway.Errorf(pathway.ECONFLICT, "The agency has verified this item already, so it cannot be changed.")
	}
	return nil
}

// ItemActions says what a person may do with a checklist item now: the
// same rules MarkDone and Verify apply, for a page to offer only the form
// that will be taken.
type ItemActions struct {
	// MarkDone: the person may record evidence and mark the item done.
	MarkDone bool
	// Verify: the person may accept or return the evidence.
	Verify bool
	// Closed says why the item cannot change, when it cannot.
	Closed string
}

// ActionsOn returns what u may do with item it of co-op c, which u may
// see (from Coop or Checklist).
func ActionsOn(u *pathway.User, c *pathway.Coop, it *pathway.ChecklistItem) ItemActions {
	switch {
	case checklistOpen(c) != nil:
		return ItemActions{Closed: "The checklist cannot change at this stage (" + pathway.StageName(c.Stage) + ")."}
	case mayMarkDone(u) == nil && stillOpen(it) != nil:
		return ItemActions{Closed: "Your agency has verified this item, so it cannot change."}
	case mayMarkDone(u) == nil:
		return ItemActions{MarkDone: true}
	case mayVerify(u) == nil && it.Status == pathway.ItemDone:
		return ItemActions{Verify: true}
	}
	return ItemActions{}
}

// sameVersion fails with ECONFLICT when the caller saw another version of
// the item than the stored one; version 0 means the caller did not say.
func sameVersion(it *pathway.ChecklistItem, version int) error {
	if version == 0 || version == it.Version {
		return nil
	}
	return pathway.Errorf(pathway.ECONFLICT, "Someone changed “%s” after you loaded it. Reload it, check the changes and try again.", it.Title)
}

// checklistItem returns a co-op the user may see and one of its items.
func (s *Service) checklistItem(ctx context.Context, u *pathway.User, coopID, itemID string) (*pathway.Coop, *pathway.ChecklistItem, error) {
	c, _, err := s.Coop(ctx, u, coopID)
	if err != nil {
		return nil, nil, err
	}
	if itemID == "" || len(itemID) > 32 {
		return nil, nil, pathway.NotFound("checklist item")
	}
	it, err := s.store.GetChecklistItem(ctx, c.ID, itemID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, nil, pathway.NotFound("checklist item")
	}
	return c, it, err
}

// checklistOpen fails unless the co-op's stage lets its checklist change
// (the stage table's ChecklistOpen: from the panel's acceptance until CQC
// decides). After the co-op is ready every required item is verified, and
// verified items are locked, so only optional items can still change then.
func checklistOpen(c *pathway.Coop) error {
	if pathway.StageOf(c.Stage).ChecklistOpen {
		return nil
	}
	return pathway.Errorf(pathway.ECONFLICT, "The checklist can be changed only between the panel's acceptance and CQC's decision; the co-op is at the %s stage.", pathway.Words(c.Stage))
}

// releaseChecklist answers the registration workflow's checklist wait
// when every required item is verified, and reports whether it did. The
// answer goes through the outbox like any other (stored with the wait's
// completion, then sent), so it is never lost; a wait that is answered
// already is not an error.
func (s *Service) releaseChecklist(ctx context.Context, u *pathway.User, c *pathway.Coop) (bool, error) {
	items, err := s.store.ListChecklist(ctx, c.ID)
	if err != nil {
		return false, err
	}
	p := pathway.ChecklistProgress(items)
	if !p.Complete() {
		return false, nil
	}
	open, err := s.store.ListTasks(ctx, pathway.TaskFilter{Coop: c.ID})
	if err != nil {
		return false, err
	}
	ob, err := s.outboxOf()
	if err != nil {
		return false, err
	}
	released := false
	for _, t := range open {
		if t.Kind != pathway.TaskChecklist {
			continue
		}
		out, _ := json.Marshal(pathway.ChecklistRelease{CoopID: c.ID, By: u.ID, Required: p.Required, Verified: p.RequiredVerified})
		d := ob.NewAnswer(t, u.ID, out)
		_, err := s.store.CompleteTask(ctx, t.ID, pathway.TaskCompletion{
			By: u.ID, At: s.now(), Outcome: out, Status: pathway.TaskCompleted, Delivery: d,
		})
		if pathway.ErrorCode(err) == pathway.ECONFLICT {
			released = true
			continue
		} else if err != nil {
			return false, err
		}
		if _, err := ob.Send(ctx, d); err != nil {
			s.log.ErrorContext(ctx, "journey: recording the checklist's release", "coop", c.ID, "err", err)
		}
		released = true
	}
	return released, nil
}
