// Command api is the HTTP API function: shared/web's handler behind API
// Gateway's HTTP API (payload format 2.0), over DynamoDB and Step Functions.
//
// It only wires adapters; the behaviour lives in shared/.
//
// Environment: TABLE_NAME (required), APPLICATION_STATE_MACHINE_ARN and
// REGISTRATION_STATE_MACHINE_ARN (the workflows it starts), and for the web
// pages' sign-in COGNITO_DOMAIN, COGNITO_USER_POOL_ID and COGNITO_CLIENT_ID
// (and optionally CSRF_SECRET, see csrfKey), FILES_BUCKET (the evidence
// files' bucket); for email notices SENDER_EMAIL (the SES identity mail is
// sent from) and SITE_URL (the base of the links in them); with the AWS_REGION and
// credentials Lambda sets (lambdaenv.Config).
//
// Who is calling: /api/ requests carry the HTTP API JWT authorizer's
// claims; page requests (routed without an authorizer, since browsers send
// no Authorization header) carry the Cognito session cookie that
// shared/cognito verifies. Without the COGNITO_ settings the function
// serves the API only: pages send visitors to /auth/sign-in, which says
// sign-in is not set up here. Only some of them set is a deployment
// mistake, and the function refuses to start, naming the missing one.
package main

import (
	"cmp"
	"crypto/sha256"
	"errors"
	"github.com/coopcarepathway/pathway/shared/insight/market"
	"log"
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/aws/aws-lambda-go/lambda"
	"github.com/aws/aws-sdk-go-v2/aws"
	awssfn "github.com/aws/aws-sdk-go-v2/service/sfn"
	"github.com/awslabs/aws-lambda-go-api-proxy/httpadapter"
	"github.com/coopcarepathway/pathway/shared/cognito"
	"github.com/coopcarepathway/pathway/shared/cognitoadmin"
	"github.com/coopcarepathway/pathway/shared/cost/costreport"
	"github.com/coopcarepathway/pathway/shared/cost/ledger"
	"github.com/coopcarepathway/pathway/shared/cost/metered"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/insight/funding"
	"github.com/coopcarepathway/pathway/shared/insight/insightwire"
	"github.com/coopcarepathway/pathway/shared/insight/pipeline"
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/lambdaenv"
	"github.com/coopcarepathway/pathway/shared/outbox"
	"github.com/coopcarepathway/pathway/shared/pages"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/s3files"
	"github.com/coopcarepathway/pathway/shared/sfn"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
	"github.com/coopcarepathway/pathway/shared/web"
)

func main() {
	table, err := lambdaenv.Table()
	if err != nil {
		log.Fatalf("api: %v", err)
	}
	cfg, err := lambdaenv.Config()
	if err != nil {
		log.Fatalf("api: %v", err)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stdout, nil))
	st := lambdaenv.Store(cfg, table)
	auth, mount := signIn(logger, st)
	machines := map[string]string{
		pathway.WorkflowApplication:  os.Getenv("APPLICATION_STATE_MACHINE_ARN"),
		pathway.WorkflowRegistration: os.Getenv("REGISTRATION_STATE_MACHINE_ARN"),
		pathway.WorkflowGrant:        os.Getenv("GRANT_STATE_MACHINE_ARN"),
		pathway.WorkflowTender:       os.Getenv("TENDER_STATE_MACHINE_ARN"),
	}
	sfnClient := awssfn.NewFromConfig(cfg)
	wf := sfn.New(sfnCalls(sfnClient), machines)
	svc := journey.New(st, wf, time.Now).WithLogger(logger)
	if pool := os.Getenv(cognitoadmin.PoolEnv); pool != "" {
		// Co-founders are invited into the user pool, which emails them.
		// AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER points tests at moto_server.
		svc.WithInvitations(cognitoadmin.New(cfg, pool, cmp.Or(os.Getenv("AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER"), aws.ToString(cfg.BaseEndpoint))))
	}
	if bucket := os.Getenv(s3files.BucketEnv); bucket != "" {
		// AWS_ENDPOINT_URL_S3 points tests at an S3-compatible server.
		svc.WithFiles(s3files.New(cfg, bucket, cmp.Or(os.Getenv("AWS_ENDPOINT_URL_S3"), aws.ToString(cfg.BaseEndpoint))))
	} else {
		logger.Warn(s3files.BucketEnv + " not set: evidence files cannot be uploaded")
	}
	m := mailer(cfg, logger)
	if m != nil {
		svc = svc.WithMail(m, os.Getenv("SITE_URL"))
	}
	// The API and the pages share one grants service.
	grantSvc := grantservice.New(st, grantstore.New(st.Table()), wf, time.Now).WithLogger(logger)
	// The API (and, once they come, the pages) share one tenders service.
	tenderSvc := tenderservice.New(st, tenderstore.New(st.Table()), wf, time.Now).WithLogger(logger)
	// The funder's dashboard (API and page) reads the insight aggregates.
	// One projector serves every dashboard and the outbox's refreshes.
	insights := insightwire.New(st)
	fundingSvc := funding.NewService(insights, grantstore.New(st.Table()), time.Now)
	// What journeys cost: transitions from the executions' histories.
	costs := costreport.Over(svc, st, sfn.NewHistories(historyCalls(sfnClient), machines), time.Now)
	pipelineSvc := pipeline.NewService(insights, st, time.Now)
	marketSvc := market.NewService(insights, time.Now)
	handler := web.New(web.Config{
		Costs:      costs,
		Store:      st,
		Workflows:  wf,
		Journey:    svc,
		Auth:       auth,
		Grants:     grantSvc,
		Tenders:    tenderSvc,
		Pipeline:   pipelineSvc,
		Pages:      pages.New(pages.Config{Journey: svc, Logger: logger, Grants: grantSvc, Tenders: tenderSvc, Funding: fundingSvc, Costs: costs, Pipeline: pipelineSvc, Market: marketSvc}),
		Funding:    fundingSvc,
		Market:     marketSvc,
		Logger:     logger,
		SignInURL:  cognito.SignInPath,
		SignOutURL: cognito.SignOutPath,
		CSRFKey:    csrfKey(),
		Mount:      mount,
	})
	// Each request is metered and charged to its co-op's month, at the
	// function's own memory (shared/cost/metered).
	meter := metered.Config{Table: st.Table(), MemoryMB: metered.EnvMemoryMB(metered.DefaultMemoryMB),
		AgencyOf: ledger.Cached(ledger.StoreAgencyOf(st)), Logger: logger}
	handler = metered.HTTP(meter, handler)
	// The schedule in template.yaml invokes this function every minute to
	// send what the outbox holds; every other invocation is an HTTP request.
	ob := outbox.New(st, wf, nil, logger).WithInsight(insights).WithMeter(meter.Work)
	if m != nil {
		ob = ob.WithMail(m, os.Getenv("SITE_URL"))
	}
	lambda.Start(ob.OrHTTP(httpadapter.NewV2(handler).ProxyWithContext))
}

// signIn returns the authenticator and the /auth/ routes: the Cognito hosted
// sign-in when configured, else the authorizer's claims alone and a page
// explaining that the web pages cannot be signed in to here.
//
// Signed-out sessions are kept in the table (revoked), so every instance of
// the function refuses a token that was signed out on any of them.
func signIn(logger *slog.Logger, st signInStore) (web.Authenticator, map[string]http.Handler) {
	cfg, err := cognito.FromEnv(os.Getenv)
	if errors.Is(err, cognito.ErrNotConfigured) {
		logger.Warn("COGNITO_ settings not set: serving the API only; the web pages cannot be signed in to")
		return web.ClaimsAuthenticator{}, cognito.NotConfigured()
	}
	if err != nil {
		log.Fatalf("api: %v", err)
	}
	// The table also keeps each signed-in person's record, for notices.
	cfg.Logger, cfg.Revoked, cfg.Users = logger, st, st
	c, err := cognito.New(cfg)
	if err != nil {
		log.Fatalf("api: %v", err)
	}
	return web.ClaimsAuthenticator{Fallback: c}, c.Routes()
}

// signInStore is what sign-in keeps in the table: signed-out sessions and
// the records of people who signed in.
type signInStore interface {
	cognito.RevocationStore
	pathway.UserStore
}

// csrfKey is the key the pages' CSRF tokens are signed with, which every
// instance of the function must share: CSRF_SECRET when the deployment
// sets it, else one derived from the Cognito settings. The tokens are bound
// to the session's ID token, an HttpOnly cookie no other site can read, so
// they cannot be forged even with a key that is no secret; CSRF_SECRET adds
// a key only the deployment knows.
func csrfKey() []byte {
	if k := os.Getenv("CSRF_SECRET"); k != "" {
		return []byte(k)
	}
	sum := sha256.Sum256([]byte("pathway csrf " + os.Getenv("COGNITO_USER_POOL_ID") + " " + os.Getenv("COGNITO_CLIENT_ID")))
	return sum[:]
}
