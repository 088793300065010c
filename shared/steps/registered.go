package steps

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// OnRegistered sets what the step recording CQC's decision tells when CQC
// registered the co-op, after the co-op's move and its event: the grant
// workflow's release of the tranches waiting for the registration
// (grantsteps.Steps.ReleaseCQC). An error fails the step, which the
// workflow retries; the move is not made twice (the co-op is registered
// already), so only the telling is repeated, and it is idempotent. It
// returns s.
func (s *Steps) OnRegistered(tell func(ctx context.Context, coop string) error) *Steps {
	s.registered = tell
	return s
}

// tellRegistered calls the OnRegistered function for a registration.
func (s *Steps) tellRegistered(ctx context.Context, c *pathway.Coop, outcome string) error {
	if s.registered == nil || outcome != pathway.CQCRegistered {
		return nil
	}
	return s.registered(ctx, c.ID)
}
