package pages_test

import (
	"github.com/coopcarepathway/pathway/shared/insight/market"
	"github.com/coopcarepathway/pathway/shared/insight/project"
	"net/http"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/cost/costreport"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/web"
)

// site returns the application's handler as the composition roots build
// it: shared/web's, serving the pages, which run over the same journey
// service as the API.
func site(cfg web.Config) http.Handler {
	if cfg.Journey == nil {
		cfg.Journey = journey.New(cfg.Store, cfg.Workflows, cfg.Now)
	}
	if ts, ok := cfg.Store.(interface{ Table() table.Table }); ok && cfg.Grants == nil {
		cfg.Grants = grantservice.New(cfg.Store, grantstore.New(ts.Table()), cfg.Workflows, cfg.Now)
	}
	if ts, ok := cfg.Store.(interface{ Table() table.Table }); ok && cfg.Tenders == nil {
		cfg.Tenders = tenderservice.New(cfg.Store, tenderstore.New(ts.Table()), cfg.Workflows, cfg.Now)
	}
	if st, ok := cfg.Store.(*store.Store); ok && cfg.Costs == nil {
		hist, _ := cfg.Workflows.(cost.Histories)
		cfg.Costs = costreport.Over(cfg.Journey, st, hist, cfg.Now)
	}
	if ts, ok := cfg.Store.(interface{ Table() table.Table }); ok && cfg.Market == nil {
		cfg.Market = market.NewService(project.New(ts.Table()), cfg.Now)
	}
	cfg.Pages = pages.New(pages.Config{Journey: cfg.Journey, Now: cfg.Now, Logger: cfg.Logger, Grants: cfg.Grants, Tenders: cfg.Tenders, Costs: cfg.Costs, Market: cfg.Market,
		Pipeline: sitePipeline(&cfg)})
	return web.New(cfg)
}
