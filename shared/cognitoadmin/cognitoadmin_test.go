package cognitoadmin_test

import (
	"context"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	cip "github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider"
	"github.com/aws/aws-sdk-go-v2/service/cognitoidentityprovider/types"
	"github.com/coopcarepathway/pathway/shared/cognitoadmin"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// pool creates a user pool shaped as template.yaml's (emails as usernames,
// the custom role and organisation) on moto_server, with the SDK's client
// (test code only: the adapter does without it). It returns the client,
// the pool's ID and the invitations into a pool of the server.
func pool(t *testing.T) (*cip.Client, string, func(poolID string) *cognitoadmin.Invitations) {
	t.Helper()
	endpoint := testkit.MotoEndpoint(t)
	cfg := aws.Config{Region: "eu-west-2", Credentials: credentials.NewStaticCredentialsProvider("test", "test", "")}
	client := cip.NewFromConfig(cfg, func(o *cip.Options) { o.BaseEndpoint = aws.String(endpoint) })
	custom := func(name string) types.SchemaAttributeType {
		return types.SchemaAttributeType{Name: aws.String(name), AttributeDataType: types.AttributeDataTypeString, Mutable: aws.Bool(true),
			StringAttributeConstraints: &types.StringAttributeConstraintsType{MinLength: aws.String("0"), MaxLength: aws.String("64")}}
	}
	out, err := client.CreateUserPool(context.Background(), &cip.CreateUserPoolInput{
		PoolName:           aws.String("pathway-test-" + t.Name()),
		UsernameAttributes: []types.UsernameAttributeType{types.UsernameAttributeTypeEmail},
		Schema:             []types.SchemaAttributeType{custom("role"), custom("organisation")},
	})
	if err != nil {
		t.Fatalf("create user pool: %v", err)
	}
	invitations := func(poolID string) *cognitoadmin.Invitations { return cognitoadmin.New(cfg, poolID, endpoint) }
	return client, aws.ToString(out.UserPool.Id), invitations
}

func TestInviteCreatesAFounderAndFindsThemAgain(t *testing.T) {
	client, id, invitations := pool(t)
	inv := invitations(id)
	ctx := context.Background()
	u, err := inv.Invite(ctx, "ada.brook@example.org", "Ada Brook")
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	if u.ID == "" || u.ID == "ada.brook@example.org" || u.Name != "Ada Brook" || u.Role != pathway.RoleFounder || u.Email != "ada.brook@example.org" {
		t.Fatalf("invited %+v, want a founder with the pool's sub", u)
	}
	if err := u.Validate(); err != nil {
		t.Fatalf("invited user does not validate: %v", err)
	}
	got, err := client.AdminGetUser(ctx, &cip.AdminGetUserInput{UserPoolId: aws.String(id), Username: aws.String("ada.brook@example.org")})
	if err != nil {
		t.Fatalf("the pool has no such user: %v", err)
	}
	attrs := map[string]string{}
	for _, a := range got.UserAttributes {
		attrs[aws.ToString(a.Name)] = aws.ToString(a.Value)
	}
	if attrs["custom:role"] != "founder" || attrs["name"] != "Ada Brook" || attrs["email_verified"] != "true" {
		t.Errorf("pool attributes %v, want role founder, the name and a verified email", attrs)
	}

	again, err := inv.Invite(ctx, "ada.brook@example.org", "Someone Else")
	if err != nil {
		t.Fatalf("invite again: %v", err)
	}
	if again.ID != u.ID || again.Name != "Ada Brook" {
		t.Errorf("invited again %+v, want the same user %s named as the pool says", again, u.ID)
	}
}

func TestInviteRefusesAStaffAccount(t *testing.T) {
	client, id, invitations := pool(t)
	_, err := client.AdminCreateUser(context.Background(), &cip.AdminCreateUserInput{
		UserPoolId: aws.String(id), Username: aws.String("staff@example.org"),
		UserAttributes: []types.AttributeType{
			{Name: aws.String("email"), Value: aws.String("staff@example.org")},
			{Name: aws.String("name"), Value: aws.String("Ola Staff")},
			{Name: aws.String("custom:role"), Value: aws.String("agency")},
			{Name: aws.String("custom:organisation"), Value: aws.String("org-north")},
		},
	})
	if err != nil {
		t.Fatalf("seed staff: %v", err)
	}
	_, err = invitations(id).Invite(context.Background(), "staff@example.org", "Ola")
	var e *pathway.Error
	if pathway.ErrorCode(err) != pathway.EINVALID {
		t.Fatalf("invite staff: %v, want EINVALID", err)
	}
	if e, _ = err.(*pathway.Error); e == nil || e.Fields["email"] == "" {
		t.Errorf("error %v does not name the email field", err)
	}
}

func TestInviteIntoAMissingPoolIsUnavailable(t *testing.T) {
	_, _, invitations := pool(t)
	_, err := invitations("eu-west-2_missing").Invite(context.Background(), "kit@example.org", "Kit")
	if pathway.ErrorCode(err) != pathway.EUNAVAILABLE {
		t.Fatalf("invite into a missing pool: %v, want EUNAVAILABLE", err)
	}
}
