package tenderservice

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/oklog/ulid/v2"
)

// TenderView is a tender as its reader sees it: the council's staff the
// whole record; others a published tender without the council's working
// names (evaluators, author), and, for a founder, whether each of their
// co-ops can bid and why not.
type TenderView struct {
	*tenders.Tender
	// Open reports whether it takes bids now.
	Open bool `json:"open"`
	// Sealed reports whether its bids are still sealed (before the deadline).
	Sealed bool `json:"sealed"`
	// Coops is each of the founder's co-ops with whether it can bid;
	// absent for staff.
	Coops []CoopBidding `json:"coops,omitempty"`
}

// CoopBidding says whether one co-op can bid for a tender, and why not.
type CoopBidding struct {
	Coop    string           `json:"coop"`
	Name    string           `json:"name"`
	CanBid  bool             `json:"canBid"`
	Reasons []pathway.Reason `json:"reasons"`
}

// TenderInput is a tender as the lead writes it (POST /api/tenders, PUT
// /api/tenders/{id}): the record's fields, with the standstill optional so
// that leaving it out takes the default (8 working days, on).
type TenderInput struct {
	tenders.Tender
	Standstill *tenders.Standstill `json:"standstill,omitempty"`
}

// DefaultStandstillDays is the standstill's length when the lead gives
// none: 8 working days (Procurement Act 2023 s.51(3)).
const DefaultStandstillDays = 8

// NewTenderID returns a fresh tender ID.
func NewTenderID() string { return "td-" + strings.ToLower(ulid.Make().String()) }

// ExecutionName is the name of the tender workflow's execution.
func ExecutionName(id string) string { return "tender-" + id }

// Tenders lists the tenders the user may see: council staff their
// council's (every status); anyone else the open ones, each with the
// founder's co-ops and whether they can bid.
func (s *Service) Tenders(ctx context.Context, u *pathway.User) ([]TenderView, error) {
	if u == nil {
		return nil, pathway.NotFound("tender")
	}
	var all []*tenders.Tender
	cursor := ""
	for {
		var page *tenderstore.TenderPage
		var err error
		if u.Role == pathway.RoleCommissioner {
			page, err = s.tenders.ListCouncilTenders(ctx, u.Organisation, cursor, pathway.MaxPageSize)
		} else {
			page, err = s.tenders.ListOpenTenders(ctx, cursor, pathway.MaxPageSize)
		}
		if err != nil {
			return nil, err
		}
		all = append(all, page.Tenders...)
		if cursor = page.Next; cursor == "" {
			break
		}
	}
	mine, err := s.founderCoops(ctx, u)
	if err != nil {
		return nil, err
	}
	out := make([]TenderView, 0, len(all))
	for _, t := range all {
		v, err := s.tenderView(ctx, u, t, mine)
		if err != nil {
			return nil, err
		}
		out = append(out, *v)
	}
	return out, nil
}

// Tender returns one tender the user may see: their council's, or a
// published one.
func (s *Service) Tender(ctx context.Context, u *pathway.User, id string) (*TenderView, error) {
	t, err := s.visibleTender(ctx, u, id)
	if err != nil {
		return nil, err
	}
	mine, err := s.founderCoops(ctx, u)
	if err != nil {
		return nil, err
	}
	return s.tenderView(ctx, u, t, mine)
}

// visibleTender reads a tender the user may see; any other is ENOTFOUND
// like a missing one.
func (s *Service) visibleTender(ctx context.Context, u *pathway.User, id string) (*tenders.Tender, error) {
	if u == nil || id == "" || len(id) > 64 {
		return nil, pathway.NotFound("tender")
	}
	t, err := s.tenders.GetTender(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, pathway.NotFound("tender")
	} else if err != nil {
		return nil, err
	}
	if !IsCouncilStaff(u, t.Council) && (t.Status == tenders.StatusDraft || u.Role == pathway.RoleCommissioner) {
		return nil, pathway.NotFound("tender")
	}
	return t, nil
}

// founderCoops returns the co-ops a founder acts for (none for staff).
func (s *Service) founderCoops(ctx context.Context, u *pathway.User) ([]*pathway.Coop, error) {
	if u.Role != pathway.RoleFounder {
		return nil, nil
	}
	return s.store.ListFounderCoops(ctx, u.ID)
}

// tenderView assembles a tender for u with whether the co-ops in mine can bid.
func (s *Service) tenderView(ctx context.Context, u *pathway.User, t *tenders.Tender, mine []*pathway.Coop) (*TenderView, error) {
	now := s.now()
	rec := t
	if !IsCouncilStaff(u, t.Council) {
		c := *t
		c.Evaluators, c.CreatedBy = nil, ""
		if c.Cancellation != nil {
			cc := *c.Cancellation
			cc.By = "" // the reason and day are public; who at the council is not
			c.Cancellation = &cc
		}
		rec = &c
	}
	v := &TenderView{Tender: rec, Open: t.Status == tenders.StatusOpen && !t.TendersCloseAt.IsZero() && now.Before(t.TendersCloseAt), Sealed: Sealed(t, now)}
	if u.Role != pathway.RoleFounder {
		return v, nil
	}
	v.Coops = make([]CoopBidding, 0, len(mine))
	for _, c := range mine {
		before, err := s.reservedBefore(ctx, t, c)
		if err != nil {
			return nil, err
		}
		rs := tenders.CanBid(t, c, before, now)
		if rs == nil {
			rs = []pathway.Reason{}
		}
		v.Coops = append(v.Coops, CoopBidding{Coop: c.ID, Name: c.Name, CanBid: len(rs) == 0, Reasons: rs})
	}
	return v, nil
}

// reservedBefore reports whether the co-op won a contract reserved for
// public service mutuals from the tender's council in the 3 years before
// now (s.33(3)(d)); only a reserved tender asks.
func (s *Service) reservedBefore(ctx context.Context, t *tenders.Tender, c *pathway.Coop) (bool, error) {
	if !t.Reserved {
		return false, nil
	}
	bids, err := s.tenders.ListCoopBids(ctx, c.ID)
	if err != nil {
		return false, err
	}
	since := pathway.UKToday(s.now()).AddDate(-3, 0, 0).Format("2006-01-02")
	for _, b := range bids {
		if b.Status != tenders.BidWon || b.Council != t.Council || b.Tender == t.ID {
			continue
		}
		won, err := s.tenders.GetTender(ctx, b.Tender)
		if err != nil {
			return false, err
		}
		if won.Reserved && won.Contract != nil && won.Contract.SignedOn >= since {
			return true, nil
		}
	}
	return false, nil
}

// settings returns the council's procurement settings.
func (s *Service) settings(ctx context.Context, council string) (tenders.Settings, error) {
	o, err := s.store.GetOrganisation(ctx, council)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return tenders.SettingsOf(nil), nil
	} else if err != nil {
		return tenders.Settings{}, err
	}
	return tenders.SettingsOf(o), nil
}

// mustLead refuses anyone but a lead of a council.
func mustLead(u *pathway.User, what string) error {
	if u == nil || u.Role != pathway.RoleCommissioner {
		return pathway.Errorf(pathway.EFORBIDDEN, "Only a council's staff can %s.", what)
	}
	if !u.Lead {
		return pathway.Errorf(pathway.EFORBIDDEN, "Only a lead of your council can %s.", what)
	}
	return nil
}

// fill completes a tender written by the lead: the council, the default
// standstill and price scoring, trimmed text.
func fill(in *TenderInput, council string) *tenders.Tender {
	t := in.Tender
	t.Council = council
	t.Title = strings.TrimSpace(t.Title)
	t.Description = strings.TrimSpace(pathway.NormaliseNewlines(t.Description))
	if in.Standstill != nil {
		t.Standstill = *in.Standstill
	} else {
		t.Standstill = tenders.Standstill{Applies: true, WorkingDays: DefaultStandstillDays}
	}
	if t.Standstill.Applies && t.Standstill.WorkingDays == 0 {
		t.Standstill.WorkingDays = DefaultStandstillDays
	}
	if t.PriceScoring == "" {
		t.PriceScoring = tenders.PriceLowestProportional
	}
	t.Status, t.Notices, t.Award, t.Period, t.Challenges, t.Contract, t.Bids = tenders.StatusDraft, nil, nil, nil, nil, nil, 0
	t.Cancellation = nil
	return &t
}

// CreateTender stores a new draft tender of the lead's council, checked
// against the council's settings.
func (s *Service) CreateTender(ctx context.Context, u *pathway.User, in *TenderInput) (*TenderView, error) {
	if err := mustLead(u, "write tenders"); err != nil {
		return nil, err
	}
	if in.Council != "" && in.Council != u.Organisation {
		return nil, pathway.Invalid(map[string]string{"council": "Must be your own council, " + u.Organisation})
	}
	t := fill(in, u.Organisation)
	if t.ID == "" {
		t.ID = NewTenderID()
	}
	now := s.now()
	t.CreatedBy, t.CreatedAt, t.UpdatedAt, t.Version, t.PublishedAt = u.ID, now, now, 0, time.Time{}
	st, err := s.settings(ctx, u.Organisation)
	if err != nil {
		return nil, err
	}
	if err := t.Check(st); err != nil {
		return nil, err
	}
	e := s.tenderEvent(t, u, ActionCreated, summary(u, "wrote a draft tender, %s.", t.Title), nil)
	if err := s.tenders.CreateTender(ctx, t, e); err != nil {
		return nil, err
	}
	return &TenderView{Tender: t, Sealed: Sealed(t, now)}, nil
}

// UpdateTender replaces the draft tender id of the lead's council with in,
// if nobody changed it since version ifVersion (0: the body's version, or
// the stored one when it has none). Only a draft may change.
func (s *Service) UpdateTender(ctx context.Context, u *pathway.User, id string, in *TenderInput, ifVersion int) (*TenderView, error) {
	old, err := s.visibleTender(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := mustLead(u, "change tenders"); err != nil {
		return nil, err
	}
	if old.Status != tenders.StatusDraft {
		return nil, pathway.Errorf(pathway.ECONFLICT, "The tender is published, so it can no longer be changed here.")
	}
	if in.ID != "" && in.ID != id {
		return nil, pathway.Invalid(map[string]string{"id": "Must be the tender's ID, " + id})
	}
	t := fill(in, old.Council)
	t.ID, t.CreatedBy, t.CreatedAt, t.UpdatedAt = id, old.CreatedBy, old.CreatedAt, s.now()
	switch {
	case ifVersion > 0:
		t.Version = ifVersion
	case t.Version == 0:
		t.Version = old.Version
	}
	st, err := s.settings(ctx, old.Council)
	if err != nil {
		return nil, err
	}
	if err := t.Check(st); err != nil {
		return nil, err
	}
	e := s.tenderEvent(t, u, ActionUpdated, summary(u, "changed the draft tender."), nil)
	if err := s.tenders.UpdateTender(ctx, t, e); err != nil {
		return nil, err
	}
	return &TenderView{Tender: t, Sealed: Sealed(t, s.now())}, nil
}

// Publish publishes the lead's draft tender: status open, the tender
// notice (UK4) published today, and the start of its workflow, in one
// transaction; then starts it. Publishing again changes nothing.
func (s *Service) Publish(ctx context.Context, u *pathway.User, id string) (*TenderView, error) {
	ob, err := s.outboxOf()
	if err != nil {
		return nil, err
	}
	t, err := s.visibleTender(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if err := mustLead(u, "publish tenders"); err != nil {
		return nil, err
	}
	now := s.now()
	if t.Status == tenders.StatusOpen {
		return &TenderView{Tender: t, Open: now.Before(t.TendersCloseAt), Sealed: Sealed(t, now)}, nil // a retry
	}
	st, err := s.settings(ctx, t.Council)
	if err != nil {
		return nil, err
	}
	if err := t.Check(st); err != nil {
		return nil, err
	}
	if !now.Before(t.QuestionsCloseAt) {
		return nil, pathway.Invalid(map[string]string{"questionsCloseAt": "The deadline for questions has passed: set a later one before publishing"})
	}
	if err := tenders.Move(t, tenders.StatusOpen, now); err != nil {
		return nil, err
	}
	t.PublishedAt = now
	t.Notices = append(t.Notices, tenders.Notice{Type: tenders.NoticeTender, PublishedOn: tenders.Today(now)})
	e := s.tenderEvent(t, u, ActionPublished, summary(u, "published the tender (tender notice UK4)."), nil)
	e.From, e.To = tenders.StatusDraft, tenders.StatusOpen
	input, _ := json.Marshal(map[string]string{"tender": id})
	start := ob.NewStart(tenders.Subject(id), pathway.WorkflowTender, ExecutionName(id), input, u.ID)
	if err := s.tenders.UpdateTender(ctx, t, e, tenderstore.WithDelivery(start)); err != nil {
		return nil, err
	}
	if _, err := ob.Send(ctx, start); err != nil {
		s.log.ErrorContext(ctx, "tenderservice: starting a tender workflow", "tender", id, "err", err)
	}
	return &TenderView{Tender: t, Open: true, Sealed: true}, nil
}

// Events returns a page of the tender's audit trail, oldest first, for
// the council's staff (bids have their own trails, sealed like the bids).
func (s *Service) Events(ctx context.Context, u *pathway.User, id, cursor string, limit int) (*pathway.EventPage, error) {
	t, err := s.visibleTender(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if !IsCouncilStaff(u, t.Council) {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only the council's staff can see the tender's history.")
	}
	return s.store.ListEvents(ctx, tenders.Subject(id), cursor, limit)
}
