package store_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/storetest"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestEmbedded runs the store's contract suite on the embedded engine.
func TestEmbedded(t *testing.T) {
	storetest.Run(t, func(t *testing.T) pathway.Store { return testkit.Store(t) })
}

// TestDynamo runs the same suite on DynamoDB Local.
func TestDynamo(t *testing.T) {
	storetest.Run(t, func(t *testing.T) pathway.Store { return testkit.DynamoStore(t) })
}
