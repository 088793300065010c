package market

import (
	"context"
	"encoding/json"
	"time"

	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

// Tenders is what the source reads of the tenders phase
// (tenderstore.Store): the tender and its bids, read from the table.
type Tenders interface {
	GetTender(ctx context.Context, id string) (*tenders.Tender, error)
	ListBids(ctx context.Context, tender string) ([]*tenders.Bid, error)
}

// Coops reads a co-op, for its legal form (shared/store.Store).
type Coops interface {
	GetCoop(ctx context.Context, id string) (*pathway.Coop, error)
}

var _ Tenders = (*tenderstore.Store)(nil)

// Source is the insight.Source of tenders: their scope is the council
// that runs them.
type Source struct {
	tenders Tenders
	coops   Coops
}

var _ insight.Source = (*Source)(nil)

// NewSource returns the source reading tenders and co-ops.
func NewSource(t Tenders, c Coops) *Source { return &Source{tenders: t, coops: c} }

// Kind is pathway.SubjectTender.
func (s *Source) Kind() string { return pathway.SubjectTender }

// Next reads the tender, its bids and their co-ops' legal forms. The reads
// are bounded: a tender has few bids (one live bid per co-op, read from
// its links), and each co-op is read once. The facts hold only what the
// stored truth says, so applied and at are not needed.
func (s *Source) Next(ctx context.Context, id string, _ json.RawMessage, _ time.Time) (json.RawMessage, error) {
	t, err := s.tenders.GetTender(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	bids, err := s.tenders.ListBids(ctx, id)
	if err != nil {
		return nil, err
	}
	kinds := map[string]string{} // co-op ID → kind
	kindOf := func(coop string) (string, error) {
		if k, ok := kinds[coop]; ok {
			return k, nil
		}
		c, err := s.coops.GetCoop(ctx, coop)
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			kinds[coop] = KindOther
			return KindOther, nil
		}
		if err != nil {
			return "", err
		}
		kinds[coop] = Classify(c.LegalForm)
		return kinds[coop], nil
	}
	f, err := factsOf(t, bids, kindOf)
	if err != nil {
		return nil, err
	}
	return json.Marshal(f)
}

// factsOf reduces a tender and its bids to its facts; kindOf says the kind
// of a co-op.
func factsOf(t *tenders.Tender, bids []*tenders.Bid, kindOf func(coop string) (string, error)) (*Facts, error) {
	f := &Facts{
		Tender: t.ID, Council: t.Council, Title: t.Title, Status: t.Status, Value: t.Value,
		Reserved: t.Reserved, TendersCloseAt: t.TendersCloseAt.UTC(), Bids: t.Bids,
	}
	for _, b := range bids {
		if b.Status == tenders.BidWithdrawn {
			continue
		}
		k, err := kindOf(b.Coop)
		if err != nil {
			return nil, err
		}
		switch k {
		case KindCoop:
			f.Coops++
		case KindVCSE:
			f.VCSE++
		default:
			f.Others++
		}
	}
	if t.Contract != nil {
		for _, l := range t.Contract.Lots {
			f.Contracted += l.Value
			mutual := t.Reserved && l.Coop != ""
			if mutual {
				f.ToCoopsMutuals += l.Value
				continue
			}
			if l.Coop == "" {
				continue
			}
			k, err := kindOf(l.Coop)
			if err != nil {
				return nil, err
			}
			if k == KindCoop {
				f.ToCoopsMutuals += l.Value
			}
		}
	}
	if t.Status == tenders.StatusCancelled && t.Cancellation != nil && t.Cancellation.At.Before(t.TendersCloseAt) {
		f.CancelledSealed = true
	}
	if t.Status == tenders.StatusStandstill && t.Period != nil {
		f.StandstillLastDay = t.Period.LastDay
	}
	if n, ok := t.NoticeOf(tenders.NoticeContractDetails); ok && n.PublishedOn == "" && n.Due != "" {
		f.UK7Due = n.Due
	}
	return f, nil
}
