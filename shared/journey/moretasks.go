package journey

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// FounderTasks lists the open tasks of a co-op's other subjects (its grant
// applications: grantservice.Service.FounderTasks), read from the table.
type FounderTasks func(ctx context.Context, coop string) ([]*pathway.Task, error)

// WithFounderTasks makes the founders' inbox list, beside their co-ops'
// own tasks, the founder tasks more returns (the grants phase's), and
// returns the service. Call it while wiring, before serving.
func (s *Service) WithFounderTasks(more FounderTasks) *Service {
	s.moreFounderTasks = more
	return s
}
