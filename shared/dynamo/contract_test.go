package dynamo

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/table/tabletest"
)

// TestContract runs the port's contract suite against DynamoDB Local, on
// one table made from template.yaml: the suite keeps each subtest's keys
// apart, and creating a table per subtest would be slow.
func TestContract(t *testing.T) {
	tb, _, _ := newTable(t)
	tabletest.Run(t, func(*testing.T) table.Table { return tb })
}
