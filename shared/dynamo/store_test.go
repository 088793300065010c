package dynamo

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/dynamo/dynamotest"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/storetest"
)

// TestStore runs the contract suite against DynamoDB Local, with a fresh
// table (made from template.yaml) for every subtest.
func TestStore(t *testing.T) {
	storetest.Run(t, func(t *testing.T) pathway.Store {
		return New(dynamotest.New(t))
	})
}
