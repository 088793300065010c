package store

import (
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// TaskItems returns the items PutTask stores for an open task t (at
// Version 1): the task and its copy under its subject, so tests that load
// many tasks at once write exactly its bytes. t.CoopName must already be
// what PutTask would set.
func TaskItems(t *pathway.Task) ([]table.Item, error) {
	if err := t.Validate(); err != nil {
		return nil, err
	}
	main, open, err := taskItems(t, 1)
	if err != nil {
		return nil, err
	}
	if open == nil {
		return []table.Item{main}, nil
	}
	return []table.Item{main, *open}, nil
}
