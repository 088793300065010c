package main

import (
	"log"
	"log/slog"
	"os"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsses "github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/coopcarepathway/pathway/shared/ses"
)

// mailer returns the SES mailer sending from SENDER_EMAIL, or nil when it
// is not set: mail then waits in the table until a deployment sets it. The
// client's SendEmail is passed as a method value (see sfnCalls) so the
// bootstrap keeps that one SES operation.
func mailer(cfg aws.Config, logger *slog.Logger) *ses.Mailer {
	from := os.Getenv("SENDER_EMAIL")
	if from == "" {
		logger.Warn("SENDER_EMAIL not set: email notices wait in the table and are not sent")
		return nil
	}
	m, err := ses.New(ses.SendFunc(awsses.NewFromConfig(cfg).SendEmail), from)
	if err != nil {
		log.Fatalf("api: %v", err)
	}
	return m
}
