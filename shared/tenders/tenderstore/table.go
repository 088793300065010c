package tenderstore

import "github.com/coopcarepathway/pathway/shared/table"

// Table returns the table the store keeps its records in, which holds the
// insight aggregates too: the council dashboard's pages read them from it
// without another wire from the composition roots.
func (s *Store) Table() table.Table { return s.t }
