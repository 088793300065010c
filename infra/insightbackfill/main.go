// Command insightbackfill teaches a deployed table's dashboard aggregates
// about the co-ops, grant applications and tenders it already holds. Run
// it once after deploying the release that brought the aggregates (or one
// that raises backfill.Version), from a machine with AWS credentials:
//
//	go run ./infra/insightbackfill -table <table name> [-region eu-west-2] [-force]
//
// It uses the AWS SDK's default configuration (environment, shared config,
// SSO). It is not run by the scheduled sweep: on a large table it may take
// longer than a Lambda may run. It is safe to run again, or to stop: a
// refresh of unchanged facts writes nothing.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/coopcarepathway/pathway/shared/dynamo"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/insight/backfill"
	"github.com/coopcarepathway/pathway/shared/insight/insightwire"
	"github.com/coopcarepathway/pathway/shared/store"
	"github.com/coopcarepathway/pathway/shared/table"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// run parses the flags, opens the table and runs the backfill; it returns
// the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("insightbackfill", flag.ContinueOnError)
	fs.SetOutput(stderr)
	name := fs.String("table", "", "the DynamoDB table's name (the stack's table; required)")
	region := fs.String("region", "", "the AWS region (default: from the AWS configuration)")
	force := fs.Bool("force", false, "run even if a run of this version already completed")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if *name == "" {
		fmt.Fprintln(stderr, "insightbackfill: -table is required: the name of the stack's DynamoDB table")
		return 2
	}
	var opts []func(*config.LoadOptions) error
	if *region != "" {
		opts = append(opts, config.WithRegion(*region))
	}
	cfg, err := config.LoadDefaultConfig(ctx, opts...)
	if err != nil {
		fmt.Fprintln(stderr, "insightbackfill: AWS configuration:", err)
		return 1
	}
	tbl := dynamo.New(dynamodb.NewFromConfig(cfg), *name)
	return backfillTable(ctx, tbl, *force, stdout, stderr)
}

// backfillTable runs the backfill on the table unless it is not needed.
func backfillTable(ctx context.Context, tbl table.Table, force bool, stdout, stderr io.Writer) int {
	if !force {
		needed, err := backfill.Needed(ctx, tbl)
		if err != nil {
			fmt.Fprintln(stderr, "insightbackfill: reading the marker:", err)
			return 1
		}
		if !needed {
			fmt.Fprintf(stdout, "insightbackfill: version %d already ran on this table; -force runs it again\n", backfill.Version)
			return 0
		}
	}
	st := store.New(tbl)
	rep, err := backfill.Run(ctx, backfill.Backfill{
		Coops: st, Applications: grantstore.New(tbl), Tenders: tenderstore.New(tbl),
		Refresher: insightwire.New(st), Table: tbl, Now: time.Now,
		Log: slog.New(slog.NewTextHandler(stderr, nil)),
	})
	fmt.Fprintln(stdout, "insightbackfill:", rep)
	if err != nil {
		if errors.Is(err, context.Canceled) {
			fmt.Fprintln(stderr, "insightbackfill: stopped; run it again to finish")
		} else {
			fmt.Fprintln(stderr, "insightbackfill:", err)
		}
		return 1
	}
	return 0
}
