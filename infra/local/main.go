// Command local runs all of Co-op Care Pathway on one machine: the same
// HTTP handler that serves the API in Lambda, over the embedded (bbolt)
// store and the local Step Functions engine, plus demo sign-in routes that
// exist only here.
//
//	go run ./infra/local --demo                  serve on 127.0.0.1:8080 with sample data
//	go run ./infra/local states test --definition … --mock-config … --state-machine … --test-case …
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"github.com/coopcarepathway/pathway/shared/insight/market"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/coopcarepathway/pathway/infra/local/demo"
	"github.com/coopcarepathway/pathway/infra/local/devauth"
	"github.com/coopcarepathway/pathway/infra/local/localfiles"
	"github.com/coopcarepathway/pathway/infra/local/localmail"
	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/cost/costreport"
	"github.com/coopcarepathway/pathway/shared/embedded"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/insight/funding"
	"github.com/coopcarepathway/pathway/shared/insight/insightwire"
	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/web"
)

// StoreFile is the name of the embedded store's file in the data directory.
const StoreFile = "pathway.db"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// options are the command-line flags of the server.
type options struct {
	addr, data, template string
	publicURL            string
	demo, logRequests    bool
	sweepEvery, indexLag time.Duration
}

// parseFlags reads the server's flags; a usage error is reported on stderr.
func parseFlags(args []string, stderr io.Writer) (*options, error) {
	var o options
	fs := flag.NewFlagSet("local", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&o.addr, "addr", "127.0.0.1:8080", "address to listen on")
	fs.StringVar(&o.data, "data", "data", "directory for the embedded store and the sign-in secret")
	fs.StringVar(&o.template, "template", "", "SAM template whose state machines the local engine runs (default: template.yaml here or in a parent folder)")
	fs.BoolVar(&o.demo, "demo", false, "seed invented sample organisations, programmes, users and co-ops (once)")
	fs.DurationVar(&o.sweepEvery, "sweep-every", time.Minute, "how often the outbox sends task answers and workflow starts that could not be sent at once (it also sweeps at start-up)")
	fs.StringVar(&o.publicURL, "public-url", "", "the site's address for links in emails (default: http:// and --addr)")
	fs.BoolVar(&o.logRequests, "log-requests", false, "log a line per request (method, path, status, size, duration, user); off by default, since a busy server would write gigabytes")
	fs.DurationVar(&o.indexLag, "index-lag", 0, "make index reads lag writes by this long, as DynamoDB's indexes may (for tests)")
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage:\n  go run ./infra/local [flags]\n  go run ./infra/local states test --definition FILE --mock-config FILE --state-machine NAME --test-case NAME [--input JSON]\n\nFlags:\n")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return nil, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	return &o, nil
}

// run serves until ctx ends and returns the process exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) >= 2 && args[0] == "states" && args[1] == "test" {
		return statesTest(args[2:], stdout, stderr)
	}
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	} else if err != nil {
		return 2
	}
	log := slog.New(slog.NewTextHandler(stderr, nil))
	if err := serve(ctx, o, stdout, log); err != nil {
		log.Error("local server stopped", "err", err)
		return 1
	}
	return 0
}

// serve opens the store, wires the handler and serves until ctx ends, then
// shuts down gracefully: requests in flight finish, the engine and the
// store close.
func serve(ctx context.Context, o *options, stdout io.Writer, log *slog.Logger) error {
	if err := os.MkdirAll(o.data, 0o700); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	tbl, err := embedded.Open(filepath.Join(o.data, StoreFile), embedded.Options{IndexLag: o.indexLag})
	if err != nil {
		return fmt.Errorf("open the store in %s: %w (is another local server using it?)", o.data, err)
	}
	defer tbl.Close()
	st := store.New(tbl)
	if o.demo {
		if err := demo.Seed(ctx, st, time.Now()); err != nil {
			return err
		}
		if err := demo.SeedGrants(ctx, grantstore.New(tbl), time.Now()); err != nil {
			return err
		}
	}
	auth, err := devauth.New(st, o.data)
	if err != nil {
		return err
	}
	wf, closeEngine, err := openWorkflows(ctx, tbl, st, o, log)
	if err != nil {
		return err
	}
	defer closeEngine()
	// Answers and starts stored but not sent (a crash, a failed call) are
	// sent now and then every sweepEvery, whatever else happens.
	// Emails are files under <data>/mail, listed at /local/mail.
	mailbox, err := localmail.New(o.data, nil)
	if err != nil {
		return err
	}
	// The sweep writes mail under --data: it stops, and is waited for,
	// before the server returns (and before the engine closes), so nothing
	// writes there once run has returned.
	// One projector serves every dashboard and the outbox's refreshes.
	insights := insightwire.New(st)
	sweepCtx, stopSweep := context.WithCancel(ctx)
	sweeping := make(chan struct{})
	go func() {
		defer close(sweeping)
		outbox.New(st, wf, time.Now, log).WithMail(mailbox, o.siteURL()).WithInsight(insights).WithMeter(meterSweeps(o, tbl, st, log)).Run(sweepCtx, o.sweepEvery)
	}()
	// Insight deliveries (refreshes of the dashboards' aggregates) are
	// swept every few seconds, so dashboards lag changes by seconds.
	insightSweeping := make(chan struct{})
	go func() {
		defer close(insightSweeping)
		outbox.New(st, wf, time.Now, log).WithInsight(insights).WithMeter(meterSweeps(o, tbl, st, log)).RunInsight(sweepCtx, outbox.InsightEvery)
	}()
	defer func() { stopSweep(); <-insightSweeping }()
	defer func() { stopSweep(); <-sweeping }()
	svc := journey.New(st, wf, time.Now).WithLogger(log).WithMail(mailbox, o.siteURL())
	invitations := devauth.NewInvitations(st)
	svc.WithInvitations(invitations)
	files, err := localfiles.New(filepath.Join(o.data, "files"))
	if err != nil {
		return err
	}
	svc.WithFiles(files)
	if o.demo {
		// The co-ops in stages where someone acts are carried there by the
		// real workflows, so this can run only once the engine does.
		if err := demo.Drive(ctx, svc, st); err != nil {
			if ctx.Err() != nil {
				return err
			}
			log.Error("some demo co-ops are not where the demo puts them; the server runs anyway, and the next start with --demo carries on from where they are", "err", err)
		}
	}
	// The API, the pages and the demo share one grants service.
	grantSvc := grantservice.New(st, grantstore.New(tbl), wf, time.Now).WithLogger(log)
	if o.demo {
		// Grant applications in every status, through the grant workflow.
		if err := demo.DriveGrants(ctx, grantSvc, st); err != nil {
			if ctx.Err() != nil {
				return err
			}
			log.Error("some demo grant applications are not where the demo puts them; the server runs anyway, and the next start with --demo carries on from where they are", "err", err)
		}
	}
	// The API (and, once they come, the pages) share one tenders service.
	tenderSvc := tenderservice.New(st, tenderstore.New(tbl), wf, time.Now).WithLogger(log)
	if o.demo {
		// The demo council's tenders: open, in standstill, contracted.
		if err := demo.DriveTenders(ctx, st, tenderSvc.TenderStore(), wf); err != nil {
			if ctx.Err() != nil {
				return err
			}
			log.Error("some demo tenders are not where the demo puts them; the server runs anyway, and the next start with --demo carries on from where they are", "err", err)
		}
	}
	// Subjects held from before the aggregates (an upgraded data
	// directory) are refreshed once, in the background.
	defer startBackfill(ctx, st, log)()
	pipelineSvc := pipeline.NewService(insights, st, time.Now)
	marketSvc := market.NewService(insights, time.Now)
	// The funder's dashboard (API and page) reads the insight aggregates.
	fundingSvc := funding.NewService(insights, grantstore.New(tbl), time.Now)
	// What journeys cost: the local engine reads its executions' histories.
	hist, _ := wf.(cost.Histories)
	costs := costreport.Over(svc, st, hist, time.Now)
	handler := web.New(web.Config{Store: st, Workflows: wf, Journey: svc, Grants: grantSvc, Tenders: tenderSvc, Auth: auth, Logger: log, QuietRequests: !o.logRequests, Costs: costs,
		Pages: pages.New(pages.Config{Journey: svc, Logger: log, Selectable: invitations.Founders, Grants: grantSvc, Tenders: tenderSvc, Funding: fundingSvc, Costs: costs, Pipeline: pipelineSvc, Market: marketSvc}),
		Mount: withMailbox(auth.Routes(), mailbox), SignInURL: "/auth/dev-users", SignOutURL: "/auth/dev-logout",
		CSRFKey: auth.CSRFKey(), Pipeline: pipelineSvc, Funding: fundingSvc, Market: marketSvc})

	handler = withUploads(handler, files)
	// Each request is metered and charged to its co-op's month (shared/cost/metered).
	handler = meterRequests(handler, o, tbl, st, log)

	ln, err := net.Listen("tcp", o.addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	printWelcome(stdout, "http://"+ln.Addr().String(), o)

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	log.Info("shutting down")
	return srv.Shutdown(shutdown)
}

// withUploads serves the evidence files' upload route beside the handler:
// the pages' upload form posts there as it posts to S3 on AWS, so, like
// S3, the route checks the form's signed policy, not a CSRF token (it
// sits outside web.New, whose mounted routes require one).
func withUploads(h http.Handler, files *localfiles.Files) http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+localfiles.UploadPath, files.Handler())
	mux.Handle("/", h)
	return mux
}

// printWelcome tells the person what to do next.
func printWelcome(w io.Writer, url string, o *options) {
	fmt.Fprintf(w, "Co-op Care Pathway is running at %s (data in %s)\n", url, o.data)
	fmt.Fprintf(w, "  Health:   %s/healthz\n", url)
	fmt.Fprintf(w, "  Mail:     %s/local/mail (the emails the server would have sent)\n", url)
	fmt.Fprintf(w, "  Sign in:  %s/auth/dev-users (open it in a browser, or POST {\"user\": \"<id>\"} to %s/auth/dev-login)\n", url, url)
	if o.demo {
		fmt.Fprintf(w, "  Demo:     co-ops in every stage; sign in as %s (agency) and GET %s/api/tasks for a panel decision,\n", demo.UserAgencyPennine, url)
		fmt.Fprintf(w, "            or as %s (founder) for a CQC checklist part done: GET %s/api/coops/%s/checklist\n", demo.UserFounderCalder, url, demo.CalderdeneID())
		fmt.Fprintf(w, "  Grants:   as %s (founder) GET %s/api/grant-programmes for the open grants and whether the co-op may apply;\n", demo.UserFounderCalder, url)
		fmt.Fprintf(w, "            as %s (the funder's lead) GET %s/api/grant-programmes/%s/budget\n", demo.UserFunderLead, url, demo.GrantStartUp)
		fmt.Fprintf(w, "  Tenders:  as %s (a founder of a co-op registered with CQC) GET %s/api/tenders for the open tender and whether the co-op can bid;\n", demo.UserFounderMendip, url)
		fmt.Fprintf(w, "            as %s (the council's lead) GET %s/api/tenders/%s (in standstill) or %s/api/tenders/%s/ocds.json (contracted)\n", demo.UserCouncilLead, url, demo.TenderStandstill, url, demo.TenderContracted)
	} else {
		fmt.Fprintf(w, "  No users yet? Restart with --demo to add invented sample data.\n")
	}
	fmt.Fprintf(w, "Press Ctrl+C to stop.\n")
}

// siteURL is the address links in emails point to.
func (o *options) siteURL() string {
	if o.publicURL != "" {
		return o.publicURL
	}
	return "http://" + o.addr
}

// withMailbox adds GET /local/mail, the mails the server wrote, to the
// local server's own routes; the Lambda never serves it.
func withMailbox(routes map[string]http.Handler, box *localmail.Box) map[string]http.Handler {
	routes["GET /local/mail"] = box
	return routes
}
