package tablesize

import "github.com/coopcarepathway/pathway/shared/table"

// attrCounter starts the attribute name of each named counter, a top-level
// Number in shared/dynamo.
const attrCounter = "c:"

// counters is the size of the item's named counters.
func counters(it *table.Item) int {
	n := 0
	for name, v := range it.Counts {
		n += Number(attrCounter+name, v)
	}
	return n
}
