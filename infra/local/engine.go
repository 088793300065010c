package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/localsfn"
	"github.com/coopcarepathway/pathway/infra/local/states"
	"github.com/coopcarepathway/pathway/shared/embedded"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/workflowsteps"
)

// openWorkflows starts the local Step Functions engine over the same bbolt
// file as the store, loads the state machines of template.yaml with each
// workflow function's handler (its steps' dispatcher), and resumes the executions a previous run left.
// It returns the engine, through the application's port, and a function
// that stops it.
func openWorkflows(ctx context.Context, tbl *embedded.Table, st pathway.Store, o *options, log *slog.Logger) (pathway.Workflows, func(), error) {
	tmpl, err := findTemplate(o.template)
	if err != nil {
		return nil, nil, err
	}
	e, err := states.New(states.Options{DB: tbl.DB(), Logger: log})
	if err != nil {
		return nil, nil, fmt.Errorf("local Step Functions engine: %w", err)
	}
	// Every workflow's steps.
	for id, fn := range meterSteps(workflowsteps.Handlers(st, tbl, time.Now), tmpl, tbl, st, log) {
		// TypedHandler, not lambda.NewHandler: the latter's response is a
		// pooled buffer that concurrent executions of a function would share.
		e.RegisterHandler(id, states.TypedHandler(fn))
	}
	if err := e.LoadTemplate(tmpl); err != nil {
		e.Close()
		return nil, nil, fmt.Errorf("state machines of %s: %w", tmpl, err)
	}
	if err := e.Resume(ctx); err != nil {
		e.Close()
		return nil, nil, fmt.Errorf("resume workflows: %w", err)
	}
	return localsfn.New(e), func() { e.Close() }, nil
}

// findTemplate returns path when it is set, and otherwise the nearest
// template.yaml in the working folder or one of its parents, so the server
// runs from any folder of the checkout (`go test` runs it from infra/local).
func findTemplate(path string) (string, error) {
	if path != "" {
		return path, nil
	}
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		p := filepath.Join(dir, "template.yaml")
		if _, err := os.Stat(p); err == nil {
			return p, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no template.yaml in this folder or its parents; run from the checkout or pass --template")
		}
		dir = parent
	}
}
