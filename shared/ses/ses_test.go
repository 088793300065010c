package ses_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/ses"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// client returns an SES v2 client of moto_server.
func client(t *testing.T) (*sesv2.Client, string) {
	endpoint := testkit.MotoEndpoint(t)
	return sesv2.NewFromConfig(aws.Config{
		Region:       "eu-west-2",
		Credentials:  credentials.NewStaticCredentialsProvider("testing", "testing", ""),
		BaseEndpoint: aws.String(endpoint),
	}), endpoint
}

// sentMessages returns what moto recorded as sent, from its internal API
// (/moto-api/data.json lists the SES backend's Message models).
func sentMessages(t *testing.T, endpoint string) []map[string]any {
	t.Helper()
	res, err := http.Get(endpoint + "/moto-api/data.json")
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var data map[string]map[string][]map[string]any
	if err := json.NewDecoder(res.Body).Decode(&data); err != nil {
		t.Fatalf("moto data.json: %v", err)
	}
	return data["ses"]["Message"]
}

func TestSendThroughSES(t *testing.T) {
	c, endpoint := client(t)
	// Unique per run: moto_server is shared by the tests of one command.
	run := fmt.Sprint(time.Now().UnixNano())
	from := "notices-" + run + "@example.test"
	if _, err := c.CreateEmailIdentity(t.Context(), &sesv2.CreateEmailIdentityInput{EmailIdentity: aws.String(from)}); err != nil {
		t.Fatalf("CreateEmailIdentity: %v", err)
	}
	m, err := ses.New(ses.SendFunc(c.SendEmail), from)
	if err != nil {
		t.Fatal(err)
	}
	to := "founder-" + run + "@example.test"
	mail := pathway.Mail{To: to, Subject: "Checklist item returned: Safeguarding policy " + run,
		Body: "Hello,\n\nYour agency returned the checklist item “Safeguarding policy”.\n"}
	if err := m.Send(t.Context(), mail); err != nil {
		t.Fatalf("Send: %v", err)
	}
	var found map[string]any
	for _, msg := range sentMessages(t, endpoint) {
		if msg["subject"] == mail.Subject {
			found = msg
		}
	}
	if found == nil {
		t.Fatalf("moto recorded no message with the subject %q", mail.Subject)
	}
	if found["source"] != from || found["body"] != mail.Body || !strings.Contains(fmt.Sprint(found["destinations"]), to) {
		t.Errorf("moto recorded %v; want from %s to %s with the body", found, from, to)
	}
}

func TestSendFromAnUnverifiedSenderFails(t *testing.T) {
	c, _ := client(t)
	m, err := ses.New(ses.SendFunc(c.SendEmail), "nobody-verified-"+fmt.Sprint(time.Now().UnixNano())+"@example.test")
	if err != nil {
		t.Fatal(err)
	}
	if err := m.Send(t.Context(), pathway.Mail{To: "ada@example.test", Subject: "S", Body: "B"}); err == nil {
		t.Error("SES accepted mail from an identity that is not verified")
	}
}

func TestNewRefusesABadSender(t *testing.T) {
	for _, from := range []string{"", "not an address"} {
		if _, err := ses.New(nil, from); err == nil {
			t.Errorf("New(%q) accepted it", from)
		}
	}
}
