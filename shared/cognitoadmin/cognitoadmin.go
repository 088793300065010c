// Package cognitoadmin invites co-founders into the Cognito user pool: it
// is the AWS pathway.Invitations.
//
// An invitation creates the user (AdminCreateUser) with their email,
// name and the founder role; Cognito emails them a temporary password
// and the sign-in address. Someone who has an account already is looked up
// (AdminGetUser) and added as they are, unless their account is a staff
// one, which can never be a founder's. The function needs only
// cognito-idp:AdminCreateUser and cognito-idp:AdminGetUser on the pool.
package cognitoadmin

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// PoolEnv names the variable holding the user pool's ID.
const PoolEnv = "COGNITO_USER_POOL_ID"

// API is the part of the Cognito client the invitations use.
type API interface {
	AdminCreateUser(ctx context.Context, in *cip.AdminCreateUserInput, opts ...func(*cip.Options)) (*cip.AdminCreateUserOutput, error)
	AdminGetUser(ctx context.Context, in *cip.AdminGetUserInput, opts ...func(*cip.Options)) (*cip.AdminGetUserOutput, error)
}

// Invitations invites founders into one user pool.
type Invitations struct {
	api  API
	pool string
}

var _ pathway.Invitations = (*Invitations)(nil)

// New returns the invitations into the pool.
func New(api API, poolID string) *Invitations { return &Invitations{api: api, pool: poolID} }

// Invite creates the founder's account (Cognito emails the invitation), or
// finds the account the email has, and returns the founder.
func (i *Invitations) Invite(ctx context.Context, email, name string) (*pathway.User, error) {
	email = strings.TrimSpace(email)
	out, err := i.api.AdminCreateUser(ctx, &cip.AdminCreateUserInput{
		UserPoolId:             aws.String(i.pool),
		Username:               aws.String(email), // the pool's usernames are emails
		DesiredDeliveryMediums: []types.DeliveryMediumType{types.DeliveryMediumTypeEmail},
		UserAttributes: []types.AttributeType{
			{Name: aws.String(pathway.ClaimEmail), Value: aws.String(email)},
			{Name: aws.String("email_verified"), Value: aws.String("true")},
			{Name: aws.String(pathway.ClaimName), Value: aws.String(name)},
			{Name: aws.String(pathway.ClaimRole), Value: aws.String(pathway.RoleFounder)},
		},
	})
	var exists *types.UsernameExistsException
	var bad *types.InvalidParameterException
	switch {
	case errors.As(err, &exists):
		return i.existing(ctx, email)
	case errors.As(err, &bad):
		return nil, pathway.Invalid(map[string]string{"email": "Enter an email address in the correct format, like name@example.org"})
	case err != nil:
		return nil, unavailable(err)
	}
	return founder(out.User.Attributes, email, name)
}

// existing returns the founder an existing account is, or refuses a
// staff account.
func (i *Invitations) existing(ctx context.Context, email string) (*pathway.User, error) {
	out, err := i.api.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(i.pool), Username: aws.String(email)})
	if err != nil {
		return nil, unavailable(err)
	}
	return founder(out.UserAttributes, email, "")
}

// founder reads a founder user from an account's attributes.
func founder(attrs []types.AttributeType, email, name string) (*pathway.User, error) {
	a := map[string]string{}
	for _, at := range attrs {
		a[aws.ToString(at.Name)] = aws.ToString(at.Value)
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
