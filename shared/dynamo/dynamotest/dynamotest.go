// Package dynamotest gives tests a fresh DynamoDB table in DynamoDB Local,
// created from the Table resource of template.yaml so the table a test
// uses and the table AWS deploys can never drift apart.
//
// Run tests that use it through infra/dynamodb-local/run.sh, which starts
// DynamoDB Local and sets DYNAMODB_ENDPOINT. Without the variable the tests
// skip, except in CI (CI=true), where they fail.
package dynamotest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"regexp"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// EndpointEnv names the variable holding DynamoDB Local's URL.
const EndpointEnv = "DYNAMODB_ENDPOINT"

// Region is the region the clients claim; DynamoDB Local keeps one set of
// tables per access key and region, so every client uses the same.
const Region = "eu-west-2"

// Client returns a client of DynamoDB Local with static dummy credentials.
// It skips the test when DYNAMODB_ENDPOINT is unset, or fails it in CI.
func Client(t testing.TB) *dynamodb.Client {
	t.Helper()
	endpoint := os.Getenv(EndpointEnv)
	if endpoint == "" {
		msg := EndpointEnv + " is not set; run the tests through infra/dynamodb-local/run.sh"
		if os.Getenv("CI") == "true" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return dynamodb.New(dynamodb.Options{
		Region:       Region,
		BaseEndpoint: aws.String(endpoint),
		Credentials:  credentials.NewStaticCredentialsProvider("local", "local", ""),
	})
}

// New creates a new, uniquely named table shaped like template.yaml's Table
// and returns a client and the table's name; the table is deleted when the
// test ends.
func New(t testing.TB) (*dynamodb.Client, string) {
	t.Helper()
	client := Client(t)
	name := TableName(t.Name())
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	if err := CreateTable(ctx, client, name); err != nil {
		t.Fatalf("dynamotest: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		if _, err := client.DeleteTable(ctx, &dynamodb.DeleteTableInput{TableName: aws.String(name)}); err != nil {
			t.Errorf("dynamotest: delete table %s: %v", name, err)
		}
	})
	return client, name
}

// CreateTable creates the table name as template.yaml defines it and waits
// until it is active.
func CreateTable(ctx context.Context, client *dynamodb.Client, name string) error {
	in, err := TemplateTable()
	if err != nil {
		return err
	}
	in.TableName = aws.String(name)
	if _, err := client.CreateTable(ctx, in); err != nil {
		return fmt.Errorf("create table %s: %w", name, err)
	}
	w := dynamodb.NewTableExistsWaiter(client, func(o *dynamodb.TableExistsWaiterOptions) {
		o.MinDelay, o.MaxDelay = 50*time.Millisecond, time.Second
	})
	if err := w.Wait(ctx, &dynamodb.DescribeTableInput{TableName: aws.String(name)}, time.Minute); err != nil {
		return fmt.Errorf("wait for table %s: %w", name, err)
	}
	return nil
}

var unsafeName = regexp.MustCompile(`[^a-zA-Z0-9_.-]+`)

// TableName returns a table name unique to this call that still says which
// test made it, within DynamoDB's 255 characters.
func TableName(testName string) string {
	var b [6]byte
	rand.Read(b[:]) // never fails (crypto/rand since Go 1.24)
	base := unsafeName.ReplaceAllString(testName, "-")
	if len(base) > 200 {
		base = base[len(base)-200:]
	}
	return "test-" + base + "-" + hex.EncodeToString(b[:])
}
