package tenderservice

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strings"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/oklog/ulid/v2"
)

// Access is how much of a bid a user may see.
type Access int

// Levels of access.
const (
	// NoAccess: the bid is "not found" to them (sealed, excluded, not theirs).
	NoAccess Access = iota
	// Limited: council staff after the deadline who have not declared see
	// the bid's ID, status and co-op's name only: declare first.
	Limited
	// FullAccess: the whole bid.
	FullAccess
)

// BidView is a bid as its reader sees it.
type BidView struct {
	// Bid is the record; nil (its fields absent) in the limited view.
	*tenders.Bid
	ID     string `json:"id"`
	Status string `json:"status"`
	// TenderTitle and CoopName name what the bid is for and who sent it.
	TenderTitle string `json:"tenderTitle"`
	CoopName    string `json:"coopName"`
	// Limited is true in the limited view: declare your interests first.
	Limited bool `json:"limited"`
	// Declaration is the caller's own declaration, if they made one.
	Declaration *tenders.Evaluation `json:"declaration,omitempty"`
	// Evaluations are every evaluator's scores, for the lead (moderation).
	Evaluations []*tenders.Evaluation `json:"evaluations,omitempty"`
	// OpenTasks are the bid's open tasks the caller may see.
	OpenTasks []*pathway.Task `json:"openTasks,omitempty"`
}

// notFound is the answer to anything the caller may not see.
func notFound() error { return pathway.NotFound("bid") }

// access says how much of the bid u may see: its co-op's founders all of
// it; council staff nothing before the deadline (sealed) nor after a
// declared conflict (for good), the lead all of it after, other staff all
// of it once they declared no conflict, else the limited view.
func (s *Service) access(ctx context.Context, u *pathway.User, b *tenders.Bid, t *tenders.Tender, c *pathway.Coop) (Access, *tenders.Evaluation, error) {
	if founds(u, c) && c.ID == b.Coop {
		return FullAccess, nil, nil
	}
	if !IsCouncilStaff(u, b.Council) || Sealed(t, s.now()) {
		return NoAccess, nil, nil
	}
	ev, err := s.tenders.GetEvaluation(ctx, b.ID, u.ID)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		ev, err = nil, nil
	}
	switch {
	case err != nil:
		return NoAccess, nil, err
	case ev != nil && ev.Conflict:
		return NoAccess, nil, nil
	case u.Lead || ev != nil:
		return FullAccess, ev, nil
	}
	return Limited, nil, nil
}

// readBid returns the bid, its tender and co-op and how much of it u may
// see; one u may not see is ENOTFOUND, like a missing one.
func (s *Service) readBid(ctx context.Context, u *pathway.User, id string) (*tenders.Bid, *tenders.Tender, *pathway.Coop, Access, *tenders.Evaluation, error) {
	if u == nil || id == "" || len(id) > 64 {
		return nil, nil, nil, NoAccess, nil, notFound()
	}
	b, err := s.tenders.GetBid(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, nil, nil, NoAccess, nil, notFound()
	} else if err != nil {
		return nil, nil, nil, NoAccess, nil, err
	}
	t, err := s.tenders.GetTender(ctx, b.Tender)
	if err != nil {
		return nil, nil, nil, NoAccess, nil, err
	}
	cost.Charge(ctx, b.Coop) // the request serves this co-op's journey
	c, err := s.coop(ctx, b.Coop)
	if err != nil {
		return nil, nil, nil, NoAccess, nil, err
	}
	acc, ev, err := s.access(ctx, u, b, t, c)
	if err != nil {
		return nil, nil, nil, NoAccess, nil, err
	}
	if acc == NoAccess {
		return nil, nil, nil, NoAccess, nil, notFound()
	}
	return b, t, c, acc, ev, nil
}

// Bid returns the bid as u may see it.
func (s *Service) Bid(ctx context.Context, u *pathway.User, id string) (*BidView, error) {
	b, t, c, acc, ev, err := s.readBid(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return s.bidView(ctx, u, b, t, c, acc, ev)
}

// bidView assembles a bid for its reader.
func (s *Service) bidView(ctx context.Context, u *pathway.User, b *tenders.Bid, t *tenders.Tender, c *pathway.Coop, acc Access, ev *tenders.Evaluation) (*BidView, error) {
	v := &BidView{ID: b.ID, Status: b.Status, TenderTitle: t.Title, Limited: acc == Limited, Declaration: ev}
	if c != nil {
		v.CoopName = c.Name
	}
	if acc == FullAccess {
		v.Bid = b
	}
	if acc == FullAccess && IsCouncilLead(u, t.Council) {
		evs, err := s.tenders.Evaluations(ctx, b.ID)
		if err != nil {
			return nil, err
		}
		v.Evaluations = evs
	}
	if !IsCouncilStaff(u, t.Council) {
		return v, nil // founders have no tasks on a bid
	}
	tasks, err := s.store.ListTasks(ctx, pathway.TaskFilter{Subject: tenders.BidSubject(b.ID)})
	if err != nil {
		return nil, err
	}
	for _, tk := range tasks {
		if tk.User == "" || tk.User == u.ID {
			v.OpenTasks = append(v.OpenTasks, pathway.WithoutToken(tk))
		}
	}
	return v, nil
}

// TenderBids returns the bids of a tender as the caller sees them: a
// founder their co-ops' bids; council staff, after the deadline only,
// every bid they may see (none they declared a conflict with; the
// limited view before declaring). Before the deadline the list is "not
// found" to council staff: they see only Tender.Bids.
func (s *Service) TenderBids(ctx context.Context, u *pathway.User, id string) ([]*BidView, error) {
	t, err := s.visibleTender(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if u.Role == pathway.RoleCommissioner && Sealed(t, s.now()) {
		return nil, notFound()
	}
	if u.Role != pathway.RoleCommissioner && u.Role != pathway.RoleFounder {
		return nil, notFound()
	}
	bids, err := s.tenders.ListBids(ctx, id)
	if err != nil {
		return nil, err
	}
	out := []*BidView{}
	for _, b := range bids {
		c, err := s.coop(ctx, b.Coop)
		if err != nil {
			return nil, err
		}
		acc, ev, err := s.access(ctx, u, b, t, c)
		if err != nil {
			return nil, err
		}
		if acc == NoAccess {
			continue
		}
		v := &BidView{ID: b.ID, Status: b.Status, TenderTitle: t.Title, Limited: acc == Limited, Declaration: ev}
		if c != nil {
			v.CoopName = c.Name
		}
		if acc == FullAccess {
			v.Bid = b
		}
		out = append(out, v)
	}
	return out, nil
}

// CoopBids returns the co-op's bids, for its founders.
func (s *Service) CoopBids(ctx context.Context, u *pathway.User, coop string) ([]*tenders.Bid, error) {
	if u == nil || coop == "" || len(coop) > 64 {
		return nil, pathway.NotFound("co-op")
	}
	cost.Charge(ctx, coop) // the request serves this co-op's journey
	c, err := s.coop(ctx, coop)
	if err != nil {
		return nil, err
	}
	if !founds(u, c) {
		return nil, pathway.NotFound("co-op")
	}
	return s.tenders.ListCoopBids(ctx, coop)
}

// BidInput is a founder's bid (POST /api/bids, PUT /api/bids/{id}).
type BidInput struct {
	Tender       string                         `json:"tender"`
	Coop         string                         `json:"coop"`
	Lots         []tenders.LotPrice             `json:"lots"`
	Responses    map[string]string              `json:"responses"`
	Declarations map[string]tenders.Declaration `json:"declarations,omitempty"`
	Files        []string                       `json:"files,omitempty"`
}

// Fingerprint identifies the input, so a retry under an Idempotency-Key
// can be told from a different bid under the same key.
func (in BidInput) Fingerprint() string {
	b, _ := json.Marshal(in) // plain fields and maps (sorted keys): cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// BidID returns the ID of a bid sent by the user: derived from the
// Idempotency-Key when there is one, so a retry finds the first; fresh
// otherwise.
func BidID(userID, idempotencyKey string) string {
	if idempotencyKey == "" {
		return "bd-" + strings.ToLower(ulid.Make().String())
	}
	sum := sha256.Sum256([]byte("bid\x00" + userID + "\x00" + idempotencyKey))
	return "bd-" + hex.EncodeToString(sum[:13])
}

// clean trims the bid's text.
func (in *BidInput) clean() {
	for k, v := range in.Responses {
		in.Responses[k] = strings.TrimSpace(pathway.NormaliseNewlines(v))
	}
	for k, d := range in.Declarations {
		d.Evidence = strings.TrimSpace(pathway.NormaliseNewlines(d.Evidence))
		in.Declarations[k] = d
	}
}

// Submit stores a founder's bid for an open tender, counted in the
// tender's Bids in the same transaction. id is BidID's result: a bid with
// the ID stored already by the same founder is a retry and is returned as
// it is.
func (s *Service) Submit(ctx context.Context, u *pathway.User, id string, in BidInput) (*BidView, error) {
	if u == nil || u.Role != pathway.RoleFounder {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only a co-op's founders can bid for a tender.")
	}
	c, t, err := s.bidTargets(ctx, u, in)
	if err != nil {
		return nil, err
	}
	if first, err := s.tenders.GetBid(ctx, id); err == nil { // a retry
		if first.Bidder != u.ID {
			return nil, pathway.Errorf(pathway.ECONFLICT, "A bid with this ID exists already.")
		}
		return s.bidView(ctx, u, first, t, c, FullAccess, nil)
	}
	now := s.now()
	before, err := s.reservedBefore(ctx, t, c)
	if err != nil {
		return nil, err
	}
	if rs := tenders.CanBid(t, c, before, now); len(rs) > 0 {
		return nil, cannotBid(rs)
	}
	in.clean()
	b := &tenders.Bid{
		ID: id, Tender: t.ID, Council: t.Council, Coop: c.ID, Bidder: u.ID, Lots: in.Lots, Responses: in.Responses,
		Declarations: in.Declarations, Files: in.Files, Status: tenders.BidSubmitted, CreatedAt: now, UpdatedAt: now,
	}
	if b.Responses == nil {
		b.Responses = map[string]string{}
	}
	if err := b.Check(t); err != nil {
		return nil, err
	}
	e := s.bidEvent(b, u, ActionBidSent, summary(u, "sent a bid for %s.", t.Title), map[string]string{"tender": t.ID})
	if err := s.tenders.CreateBid(ctx, b, e); err != nil {
		return nil, err
	}
	if b.Bidder != u.ID {
		return nil, pathway.Errorf(pathway.ECONFLICT, "A bid with this ID exists already.")
	}
	return s.bidView(ctx, u, b, t, c, FullAccess, nil)
}

// cannotBid is the refusal of a bid the co-op cannot make, each reason
// beside the field at fault.
func cannotBid(rs []pathway.Reason) error {
	f := map[string]string{}
	var msgs []string
	for _, r := range rs {
		if f[r.Field] == "" {
			f[r.Field] = r.Message
		}
		msgs = append(msgs, r.Message)
	}
	return &pathway.Error{Code: pathway.ECONFLICT, Message: "The co-op cannot bid for this tender: " + strings.Join(msgs, "; ") + ".", Fields: f}
}

// bidTargets reads the co-op (one of u's) and the tender bid for.
func (s *Service) bidTargets(ctx context.Context, u *pathway.User, in BidInput) (*pathway.Coop, *tenders.Tender, error) {
	f := map[string]string{}
	var c *pathway.Coop
	if in.Coop == "" || len(in.Coop) > 64 {
		f["coop"] = "Choose the co-op bidding"
	} else if got, err := s.coop(ctx, in.Coop); err != nil {
		return nil, nil, err
	} else if !founds(u, got) {
		f["coop"] = "Is not a co-op you are a founder of"
	} else {
		c = got
		cost.Charge(ctx, c.ID) // the request serves this co-op's journey
	}
	var t *tenders.Tender
	if in.Tender == "" || len(in.Tender) > 64 {
		f["tender"] = "Choose the tender"
	} else if got, err := s.visibleTender(ctx, u, in.Tender); pathway.ErrorCode(err) == pathway.ENOTFOUND {
		f["tender"] = "Is not a published tender"
	} else if err != nil {
		return nil, nil, err
	} else {
		t = got
	}
	if len(f) > 0 {
		return nil, nil, pathway.Invalid(f)
	}
	return c, t, nil
}

// ownBid reads a bid of one of u's co-ops that may still change: sent,
// and its tender's deadline not passed.
func (s *Service) ownBid(ctx context.Context, u *pathway.User, id, what string) (*tenders.Bid, *tenders.Tender, *pathway.Coop, error) {
	b, t, c, _, _, err := s.readBid(ctx, u, id)
	if err != nil {
		return nil, nil, nil, err
	}
	if !founds(u, c) {
		return nil, nil, nil, pathway.Errorf(pathway.EFORBIDDEN, "Only the co-op's founders can %s its bid.", what)
	}
	if !Sealed(t, s.now()) {
		return nil, nil, nil, pathway.Errorf(pathway.ECONFLICT, "The deadline for tenders has passed, so the bid can no longer be %s.", past(what))
	}
	return b, t, c, nil
}

// past is the verb's past participle, for the messages.
func past(what string) string {
	if what == "withdraw" {
		return "withdrawn"
	}
	return "changed"
}

// UpdateBid replaces a sent bid's prices, responses, declarations and
// files before the deadline, if nobody changed it since version ifVersion
// (0: the stored one).
func (s *Service) UpdateBid(ctx context.Context, u *pathway.User, id string, in BidInput, ifVersion int) (*BidView, error) {
	b, t, c, err := s.ownBid(ctx, u, id, "change")
	if err != nil {
		return nil, err
	}
	if b.Status != tenders.BidSubmitted {
		return nil, pathway.Errorf(pathway.ECONFLICT, "The bid is %q, so it can no longer be changed.", pathway.TermName(tenders.BidStatuses, b.Status))
	}
	f := map[string]string{}
	if in.Tender != "" && in.Tender != b.Tender {
		f["tender"] = "A bid cannot move to another tender"
	}
	if in.Coop != "" && in.Coop != b.Coop {
		f["coop"] = "A bid cannot move to another co-op"
	}
	if len(f) > 0 {
		return nil, pathway.Invalid(f)
	}
	in.clean()
	b.Lots, b.Responses, b.Declarations, b.Files, b.UpdatedAt = in.Lots, in.Responses, in.Declarations, in.Files, s.now()
	if b.Responses == nil {
		b.Responses = map[string]string{}
	}
	if ifVersion > 0 {
		b.Version = ifVersion
	}
	if err := b.Check(t); err != nil {
		return nil, err
	}
	if err := s.tenders.UpdateBid(ctx, b, s.bidEvent(b, u, ActionBidChanged, summary(u, "changed the bid."), nil)); err != nil {
		return nil, err
	}
	return s.bidView(ctx, u, b, t, c, FullAccess, nil)
}

// WithdrawBid withdraws a sent bid before the deadline, taking it off the
// tender's count in the same transaction. Withdrawing again changes nothing.
func (s *Service) WithdrawBid(ctx context.Context, u *pathway.User, id, reason string) (*BidView, error) {
	b, t, c, err := s.ownBid(ctx, u, id, "withdraw")
	if err != nil {
		return nil, err
	}
	reason = strings.TrimSpace(pathway.NormaliseNewlines(reason))
	if len(reason) > 2000 {
		return nil, pathway.Invalid(map[string]string{"reason": "Must be 2,000 characters or fewer"})
	}
	if b.Status == tenders.BidWithdrawn {
		return s.bidView(ctx, u, b, t, c, FullAccess, nil)
	}
	if err := tenders.MoveBid(b, tenders.BidWithdrawn, s.now()); err != nil {
		return nil, err
	}
	words, data := summary(u, "withdrew the bid."), map[string]string(nil)
	if reason != "" {
		words, data = summary(u, "withdrew the bid: %s", reason), map[string]string{"reason": pathway.Clip(reason, 500)}
	}
	e := s.bidEvent(b, u, ActionBidWithdrew, words, data)
	e.From, e.To = tenders.BidSubmitted, tenders.BidWithdrawn
	if err := s.tenders.WithdrawBid(ctx, b, e); err != nil {
		return nil, err
	}
	return s.bidView(ctx, u, b, t, c, FullAccess, nil)
}

// isEvaluator reports whether u evaluates the tender's bids.
func isEvaluator(u *pathway.User, t *tenders.Tender) bool {
	return IsCouncilStaff(u, t.Council) && slices.Contains(t.Evaluators, u.ID)
}
