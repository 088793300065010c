package pages_test

import (
	"net/http"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/web"
)

// site returns the application's handler as the composition roots build
// it: shared/web's, serving the pages, which run over the same journey
// service as the API.
func site(cfg web.Config) http.Handler {
	if cfg.Journey == nil {
		cfg.Journey = journey.New(cfg.Store, cfg.Workflows, cfg.Now)
	}
	cfg.Pages = pages.New(pages.Config{Journey: cfg.Journey, Now: cfg.Now, Logger: cfg.Logger})
	return web.New(cfg)
}
