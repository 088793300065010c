package tenderstore_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/dynamo/dynamotest"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestEmbedded runs the contract suite on the embedded bbolt table.
func TestEmbedded(t *testing.T) {
	run(t, func(t *testing.T) table.Table { return testkit.Table(t, 0) })
}

// TestEmbeddedLagged runs it with index reads lagging writes, as
// DynamoDB's may: lists from indexes are read until they catch up.
func TestEmbeddedLagged(t *testing.T) {
	run(t, func(t *testing.T) table.Table { return testkit.Table(t, testkit.IndexLag) })
}

// TestDynamo runs the same suite on DynamoDB Local.
func TestDynamo(t *testing.T) {
	run(t, func(t *testing.T) table.Table {
		client, name := dynamotest.New(t)
		return dynamo.New(client, name)
	})
}
