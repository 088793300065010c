package store

import (
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// CoopItem returns the item CreateCoop stores for c (at Version 1), so
// tests that load many co-ops at once write exactly its bytes.
func CoopItem(c *pathway.Coop) (table.Item, error) {
	rec := *c
	rec.Version = 1
	return coopItem(&rec)
}

// CountItem returns the stage counter CreateCoop's additions leave after n
// co-ops of the programme entered the stage.
func CountItem(programme, stage string, n int64) table.Item {
	w := countWrite(programme, stage, n)
	return table.Item{PK: w.Item.PK, SK: w.Item.SK, Count: n}
}
