package tenderservice

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/ocds"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// OCDS returns the tender's OCDS release package, published at uri, for
// anyone who may see the tender. A draft has none (not found). Bids are
// read only once the contract award notice is out: until then nothing of
// them, not even who bid, may reach the open data.
func (s *Service) OCDS(ctx context.Context, u *pathway.User, id, uri string) (*ocds.Package, error) {
	t, err := s.visibleTender(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if t.Status == tenders.StatusDraft {
		return nil, pathway.NotFound("tender")
	}
	council, err := s.store.GetOrganisation(ctx, t.Council)
	if err != nil {
		return nil, err
	}
	var bids []tenders.Bid
	var coops []pathway.Coop
	if n, ok := t.NoticeOf(tenders.NoticeAward); ok && n.PublishedOn != "" {
		if bids, coops, err = s.bidders(ctx, t); err != nil {
			return nil, err
		}
	}
	return ocds.Build(ocds.NewProcess(t, bids, council, coops), ocds.Meta{
		OCIDPrefix: ocds.PrefixOf(council),
		URI:        uri,
		Publisher:  ocds.Publisher{Name: "Co-op Care Pathway"},
		License:    ocds.LicenceOGL3,
	})
}

// bidders returns the tender's bids and the co-ops that made them.
func (s *Service) bidders(ctx context.Context, t *tenders.Tender) ([]tenders.Bid, []pathway.Coop, error) {
	list, err := s.tenders.ListBids(ctx, t.ID)
	if err != nil {
		return nil, nil, err
	}
	bids := make([]tenders.Bid, 0, len(list))
	coops := make([]pathway.Coop, 0, len(list))
	for _, b := range list {
		c, err := s.store.GetCoop(ctx, b.Coop)
		if err != nil {
			return nil, nil, err
		}
		bids, coops = append(bids, *b), append(coops, *c)
	}
	return bids, coops, nil
}
