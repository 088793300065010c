package grantstore_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/testkit"
)

// TestEmbedded runs the contract suite on the embedded bbolt table.
func TestEmbedded(t *testing.T) { run(t, testkit.EmbeddedTable) }

// TestEmbeddedLagged runs it with index reads lagging writes, as
// DynamoDB's may: lists from indexes are read until they catch up.
func TestEmbeddedLagged(t *testing.T) { run(t, testkit.LaggedTable) }

// TestDynamo runs the same suite on DynamoDB Local.
func TestDynamo(t *testing.T) { run(t, testkit.DynamoTable) }
