package cognitoadmin_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/coopcarepathway/pathway/shared/cognitoadmin"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// answer is what the fake Cognito answers one action with.
type answer struct {
	status int
	header map[string]string
	body   string
}

// fake is a Cognito server answering each action (X-Amz-Target's
// suffix) in turn from its list, recording the requests.
type fake struct {
	t       *testing.T
	mu      sync.Mutex
	answers map[string][]answer
	bodies  map[string][]map[string]any
}

func (f *fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	action, ok := strings.CutPrefix(r.Header.Get("X-Amz-Target"), "AWSCognitoIdentityProviderService.")
	switch {
	case !ok || r.Method != http.MethodPost || r.URL.Path != "/":
		f.t.Errorf("request %s %s target %q, want a POST to / naming a Cognito action", r.Method, r.URL.Path, r.Header.Get("X-Amz-Target"))
	case r.Header.Get("Content-Type") != "application/x-amz-json-1.1":
		f.t.Errorf("%s Content-Type %q, want application/x-amz-json-1.1", action, r.Header.Get("Content-Type"))
	case !strings.Contains(r.Header.Get("Authorization"), "Credential=AKIDEXAMPLE/") ||
		!strings.Contains(r.Header.Get("Authorization"), "/eu-west-2/cognito-idp/aws4_request"):
		f.t.Errorf("%s Authorization %q, want a SigV4 signature for cognito-idp in eu-west-2", action, r.Header.Get("Authorization"))
	}
	var body map[string]any
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		f.t.Errorf("%s body: %v", action, err)
	}
	f.bodies[action] = append(f.bodies[action], body)
	list := f.answers[action]
	if len(list) == 0 {
		f.t.Errorf("unexpected %s", action)
		http.Error(w, "unexpected", http.StatusTeapot)
		return
	}
	a := list[0]
	f.answers[action] = list[1:]
	for k, v := range a.header {
		w.Header().Set(k, v)
	}
	w.WriteHeader(a.status)
	w.Write([]byte(a.body))
}

// serve returns the invitations into pool "eu-west-2_fake" of a fake
// Cognito giving the answers.
func serve(t *testing.T, answers map[string][]answer) (*cognitoadmin.Invitations, *fake) {
	f := &fake{t: t, answers: answers, bodies: map[string][]map[string]any{}}
	srv := httptest.NewServer(f)
	t.Cleanup(srv.Close)
	cfg := aws.Config{Region: "eu-west-2", Credentials: credentials.NewStaticCredentialsProvider("AKIDEXAMPLE", "secret", "")}
	return cognitoadmin.New(cfg, "eu-west-2_fake", srv.URL+"/"), f
}

const founderAttrs = `[{"Name":"sub","Value":"sub-ada"},{"Name":"name","Value":"Ada Brook"},{"Name":"custom:role","Value":"founder"}]`

func TestInviteSendsAdminCreateUser(t *testing.T) {
	inv, f := serve(t, map[string][]answer{"AdminCreateUser": {{status: 200, body: `{"User":{"Username":"u","Attributes":` + founderAttrs + `}}`}}})
	u, err := inv.Invite(t.Context(), " ada.brook@example.org ", "Ada Brook")
	if err != nil {
		t.Fatalf("invite: %v", err)
	}
	if u.ID != "sub-ada" || u.Email != "ada.brook@example.org" || u.Role != pathway.RoleFounder {
		t.Errorf("invited %+v, want founder sub-ada", u)
	}
	in := f.bodies["AdminCreateUser"][0]
	got, _ := json.Marshal(in)
	for _, want := range []string{`"UserPoolId":"eu-west-2_fake"`, `"Username":"ada.brook@example.org"`, `"DesiredDeliveryMediums":["EMAIL"]`,
		`{"Name":"custom:role","Value":"founder"}`, `{"Name":"email_verified","Value":"true"}`, `{"Name":"name","Value":"Ada Brook"}`} {
		if !strings.Contains(string(got), want) {
			t.Errorf("AdminCreateUser input %s lacks %s", got, want)
		}
	}
}

// The exception's name comes in the header or the body, with or without
// a namespace before '#'; each form finds the existing account.
func TestInviteReadsUsernameExistsInEachForm(t *testing.T) {
	for name, a := range map[string]answer{
		"header":           {status: 400, header: map[string]string{"X-Amzn-ErrorType": "UsernameExistsException:http://internal.amazon.com/coral/com.amazonaws.cognito/"}, body: `{"message":"exists"}`},
		"type with #":      {status: 400, body: `{"__type":"com.amazonaws.cognito.identity.idp.model#UsernameExistsException","message":"exists"}`},
		"type without #":   {status: 400, body: `{"__type":"UsernameExistsException","message":"exists"}`},
		"code and Message": {status: 400, body: `{"code":"UsernameExistsException","Message":"exists"}`},
	} {
		t.Run(name, func(t *testing.T) {
			inv, f := serve(t, map[string][]answer{
				"AdminCreateUser": {a},
				"AdminGetUser":    {{status: 200, body: `{"Username":"u","UserAttributes":` + founderAttrs + `}`}},
			})
			u, err := inv.Invite(t.Context(), "ada.brook@example.org", "Someone Else")
			if err != nil {
				t.Fatalf("invite: %v", err)
			}
			if u.ID != "sub-ada" || u.Name != "Ada Brook" {
				t.Errorf("invited %+v, want the existing sub-ada named Ada Brook", u)
			}
			if in := f.bodies["AdminGetUser"][0]; in["UserPoolId"] != "eu-west-2_fake" || in["Username"] != "ada.brook@example.org" {
				t.Errorf("AdminGetUser input %v", in)
			}
		})
	}
}

func TestInviteWithABadEmailNamesTheField(t *testing.T) {
	inv, _ := serve(t, map[string][]answer{"AdminCreateUser": {{status: 400,
		body: `{"__type":"InvalidParameterException","message":"Invalid email address format."}`}}})
	_, err := inv.Invite(t.Context(), "not-an-email", "Kit")
	if e, _ := err.(*pathway.Error); e == nil || e.Code != pathway.EINVALID || e.Fields["email"] == "" {
		t.Fatalf("invite: %v, want EINVALID naming the email", err)
	}
}

// An error the adapter does not know, or an answer that is not JSON, is
// the service being unavailable, and says what came back.
func TestInviteMakesUnexpectedAnswersClearErrors(t *testing.T) {
	for name, c := range map[string]struct {
		a    answer
		want []string
	}{
		"unknown type": {answer{status: 400, body: `{"__type":"prefix#LimitExceededException","message":"Too many users."}`},
			[]string{"AdminCreateUser", "400 Bad Request", "LimitExceededException", "Too many users."}},
		"not JSON": {answer{status: 403, body: `<html>Forbidden by a proxy</html>`},
			[]string{"AdminCreateUser", "403 Forbidden", "not JSON", "<html>Forbidden by a proxy</html>"}},
		"no type": {answer{status: 400, body: `{"message":"Something odd."}`},
			[]string{"AdminCreateUser", "400 Bad Request", "no error type", "Something odd."}},
	} {
		t.Run(name, func(t *testing.T) {
			inv, _ := serve(t, map[string][]answer{"AdminCreateUser": {c.a}})
			_, err := inv.Invite(t.Context(), "kit@example.org", "Kit")
			if pathway.ErrorCode(err) != pathway.EUNAVAILABLE {
				t.Fatalf("invite: %v, want EUNAVAILABLE", err)
			}
			for _, w := range c.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not say %q", err, w)
				}
			}
		})
	}
}

// Throttling and Cognito's own failures are retried, as the SDK's client
// did; a retried AdminCreateUser that had succeeded finds the account.
func TestInviteRetriesThrottlingAndServerErrors(t *testing.T) {
	inv, f := serve(t, map[string][]answer{
		"AdminCreateUser": {
			{status: 400, body: `{"__type":"TooManyRequestsException","message":"Slow down."}`},
			{status: 500, body: `{"__type":"InternalErrorException","message":"Oops."}`},
			{status: 200, body: `{"User":{"Attributes":` + founderAttrs + `}}`},
		},
	})
	u, err := inv.Invite(t.Context(), "ada.brook@example.org", "Ada Brook")
	if err != nil || u.ID != "sub-ada" {
		t.Fatalf("invite: %+v, %v, want sub-ada after two retries", u, err)
	}
	if n := len(f.bodies["AdminCreateUser"]); n != 3 {
		t.Errorf("%d AdminCreateUser calls, want 3", n)
	}
}
