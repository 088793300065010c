// Package cognitoadmin invites co-founders into the Cognito user pool: it
// is the AWS pathway.Invitations.
//
// An invitation creates the user (AdminCreateUser) with their email,
// name and the founder role; Cognito emails them a temporary password
// and the sign-in address. Someone who has an account already is looked up
// (AdminGetUser) and added as they are, unless their account is a staff
// one, which can never be a founder's. The function needs only
// cognito-idp:AdminCreateUser and cognito-idp:AdminGetUser on the pool.
//
// It speaks Cognito's AWS JSON 1.1 protocol (call.go) with the SDK's
// Signature Version 4 signer (already linked for DynamoDB) rather than the
// SDK's Cognito client, which would add about 4 MiB to the API function's
// bootstrap (infra/lambdatest holds it under 16 MiB) for these two calls.
package cognitoadmin

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	v4 "github.com/aws/aws-sdk-go-v2/aws/signer/v4"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// PoolEnv names the variable holding the user pool's ID.
const PoolEnv = "COGNITO_USER_POOL_ID"

// Invitations invites founders into one user pool.
type Invitations struct {
	cfg      aws.Config
	pool     string
	endpoint string // a test server's base address, or "" for AWS
	signer   *v4.Signer
	client   *http.Client
	now      func() time.Time
}

var _ pathway.Invitations = (*Invitations)(nil)

// New returns the invitations into the pool, with cfg's region and
// credentials. endpoint, when not empty, is a Cognito-compatible server
// (moto_server in tests); empty means AWS's
// https://cognito-idp.region.amazonaws.com/.
func New(cfg aws.Config, poolID, endpoint string) *Invitations {
	return &Invitations{cfg: cfg, pool: poolID, endpoint: strings.TrimRight(endpoint, "/"),
		signer: v4.NewSigner(), client: &http.Client{Timeout: 30 * time.Second}, now: time.Now}
}

// attribute is one of a user's attributes (Cognito's AttributeType).
type attribute struct {
	Name  string `json:"Name"`
	Value string `json:"Value"`
}

// createUser is AdminCreateUser's input.
type createUser struct {
	UserPoolId             string      `json:"UserPoolId"`
	Username               string      `json:"Username"`
	DesiredDeliveryMediums []string    `json:"DesiredDeliveryMediums"`
	UserAttributes         []attribute `json:"UserAttributes"`
}

// createdUser is AdminCreateUser's output, the part read.
type createdUser struct {
	User struct {
		Attributes []attribute `json:"Attributes"`
	} `json:"User"`
}

// getUser is AdminGetUser's input.
type getUser struct {
	UserPoolId string `json:"UserPoolId"`
	Username   string `json:"Username"`
}

// gotUser is AdminGetUser's output, the part read.
type gotUser struct {
	UserAttributes []attribute `json:"UserAttributes"`
}

// Invite creates the founder's account (Cognito emails the invitation), or
// finds the account the email has, and returns the founder.
func (i *Invitations) Invite(ctx context.Context, email, name string) (*pathway.User, error) {
	email = strings.TrimSpace(email)
	var out createdUser
	err := i.call(ctx, "AdminCreateUser", &createUser{
		UserPoolId:             i.pool,
		Username:               email, // the pool's usernames are emails
		DesiredDeliveryMediums: []string{"EMAIL"},
		UserAttributes: []attribute{
			{Name: pathway.ClaimEmail, Value: email},
			{Name: "email_verified", Value: "true"},
			{Name: pathway.ClaimName, Value: name},
			{Name: pathway.ClaimRole, Value: pathway.RoleFounder},
		},
	}, &out)
	switch {
	case isType(err, "UsernameExistsException"):
		return i.existing(ctx, email)
	case isType(err, "InvalidParameterException"):
		return nil, pathway.Invalid(map[string]string{"email": "Enter an email address in the correct format, like name@example.org"})
	case err != nil:
		return nil, unavailable(err)
	}
	return founder(out.User.Attributes, email, name)
}

// existing returns the founder an existing account is, or refuses a
// staff account.
func (i *Invitations) existing(ctx context.Context, email string) (*pathway.User, error) {
	var out gotUser
	err := i.call(ctx, "AdminGetUser", &getUser{UserPoolId: i.pool, Username: email}, &out)
	if err != nil {
		return nil, unavailable(err)
	}
	return founder(out.UserAttributes, email, "")
}

// founder reads a founder user from an account's attributes.
func founder(attrs []attribute, email, name string) (*pathway.User, error) {
	a := map[string]string{}
	for _, at := range attrs {
		a[at.Name] = at.Value
	}
	switch role := a[pathway.ClaimRole]; {
	case role == pathway.RoleFounder:
	case role != "":
		return nil, pathway.Invalid(map[string]string{"email": "That email address belongs to a staff account, which cannot be a founder of a co-op"})
	default:
		return nil, pathway.Invalid(map[string]string{"email": "That email address has an account that is not set up as a founder's. Ask your development agency to set it up."})
	}
	if a[pathway.ClaimSubject] == "" {
		return nil, pathway.Errorf(pathway.EUNAVAILABLE, "The sign-in service did not say who %s is. Try again in a minute.", email)
	}
	if n := strings.TrimSpace(a[pathway.ClaimName]); n != "" {
		name = n
	}
	if name == "" {
		name = email
	}
	return &pathway.User{ID: a[pathway.ClaimSubject], Name: name, Role: pathway.RoleFounder, Email: email}, nil
}

// unavailable is the error of a call to Cognito that failed, for people.
func unavailable(cause error) error {
	return fmt.Errorf("%w (cause: %w)", &pathway.Error{Code: pathway.EUNAVAILABLE,
		Message: "We could not send the invitation just now. Try again in a minute."}, cause)
}
