// Package ses sends the application's emails through Amazon SES (the v2
// API's SendEmail): plain text, from one verified sender identity.
package ses

import (
	"context"
	"errors"
	"fmt"
	"net/mail"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/sesv2"
	"github.com/aws/aws-sdk-go-v2/service/sesv2/types"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// API is the one SES call the mailer makes. Pass the client's method value
// (SendFunc), not the client: the linker then keeps one operation, not
// every SES operation, in the Lambda's bootstrap (see functions/api).
type API interface {
	SendEmail(ctx context.Context, in *sesv2.SendEmailInput, opts ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)
}

// SendFunc is API over a function, such as (*sesv2.Client).SendEmail.
type SendFunc func(ctx context.Context, in *sesv2.SendEmailInput, opts ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error)

// SendEmail calls f.
func (f SendFunc) SendEmail(ctx context.Context, in *sesv2.SendEmailInput, opts ...func(*sesv2.Options)) (*sesv2.SendEmailOutput, error) {
	return f(ctx, in, opts...)
}

// Mailer sends pathway mails through SES.
type Mailer struct {
	api  API
	from string
}

var _ pathway.Mailer = (*Mailer)(nil)

// New returns a mailer sending from the address, which must be an SES
// identity the function may send as (template.yaml's SenderEmail).
func New(api API, from string) (*Mailer, error) {
	if _, err := mail.ParseAddress(from); err != nil || from == "" {
		return nil, fmt.Errorf("ses: the sender %q is not an email address", from)
	}
	return &Mailer{api: api, from: from}, nil
}

// Send sends one plain-text email. A message SES refuses for good (a
// rejected address) is still an error: the outbox retries with a backoff
// and the log says why.
func (m *Mailer) Send(ctx context.Context, msg pathway.Mail) error {
	if msg.To == "" {
		return errors.New("ses: no recipient")
	}
	_, err := m.api.SendEmail(ctx, &sesv2.SendEmailInput{
		FromEmailAddress: aws.String(m.from),
		Destination:      &types.Destination{ToAddresses: []string{msg.To}},
		Content: &types.EmailContent{Simple: &types.Message{
			Subject: &types.Content{Data: aws.String(msg.Subject), Charset: aws.String("UTF-8")},
			Body:    &types.Body{Text: &types.Content{Data: aws.String(msg.Body), Charset: aws.String("UTF-8")}},
		}},
	})
	if err != nil {
		return fmt.Errorf("ses: sending to %s: %w", msg.To, err)
	}
	return nil
}
