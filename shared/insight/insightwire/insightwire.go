// Package insightwire puts the dashboards' projector together with every
// insight source, once, for each composition root (infra/local,
// functions/api) and for tests that run the whole journey.
package insightwire

import (
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/insight"
	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/insight/project"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

// Sources returns the insight sources over the store: one per kind of
// subject whose facts feed the aggregates. Each source's package appends
// its own line.
func Sources(st *store.Store) []insight.Source {
	return []insight.Source{
		pipeline.NewSource(st, grantstore.New(st.Table()), tenderstore.New(st.Table())),
	}
}

// New returns the projector of every source over the store's table.
func New(st *store.Store) *project.Projector {
	return project.New(st.Table(), Sources(st)...)
}
