package journey

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// WithMail makes requests send at once the email notices they record
// (a returned item's), through m with links under site, as answers are
// sent at once; what fails, or any notice without it, the outbox's sweep
// sends. It returns the service.
func (s *Service) WithMail(m pathway.Mailer, site string) *Service {
	s.mailer, s.site = m, site
	return s
}

// mailNow makes one attempt at each notice just recorded. A sweep that
// takes the same notice meanwhile is no harm: fanning a notice out is
// conditional on its version, so only one of the two sends it.
func (s *Service) mailNow(ctx context.Context, notices []*pathway.Delivery) {
	if s.mailer == nil || len(notices) == 0 {
		return
	}
	ob := outbox.New(s.store, s.wf, s.now, s.log).WithMail(s.mailer, s.site)
	for _, d := range notices {
		if _, err := ob.Send(ctx, d); err != nil {
			s.log.ErrorContext(ctx, "journey: recording a mail; the outbox's sweep will send it", "delivery", d.ID, "err", err)
		}
	}
}
