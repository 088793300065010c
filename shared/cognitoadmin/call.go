package cognitoadmin

import (
	"bytes"
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"strings"
	"time"
)

// The protocol of Cognito's API: AWS JSON 1.1, every action a POST to "/"
// named by X-Amz-Target, signed with Signature Version 4.
const (
	service     = "cognito-idp"
	target      = "AWSCognitoIdentityProviderService."
	contentType = "application/x-amz-json-1.1"
	maxBody     = 1 << 20 // an AdminGetUser answer is a few KiB
	maxErrBody  = 2 << 10
	attempts    = 3 // as the SDK's standard retryer
)

// backoff is the wait before retry n (1, 2, ...), at most; the wait is
// jittered so that many functions retrying do not retry together.
var backoff = func(n int) time.Duration { return time.Duration(n) * 100 * time.Millisecond }

// apiError is an error Cognito answered with: the exception's name
// (UsernameExistsException) and its message.
type apiError struct {
	Action, Type, Message, Status string
}

func (e *apiError) Error() string {
	return fmt.Sprintf("cognito-idp %s: %s: %s: %s", e.Action, e.Status, e.Type, e.Message)
}

// isType reports whether err is Cognito's exception named typ.
func isType(err error, typ string) bool {
	var e *apiError
	return errors.As(err, &e) && e.Type == typ
}

// call sends the action with the input in and decodes the answer into out,
// retrying (as the SDK would) when the connection fails, Cognito fails
// (5xx) or it throttles the call.
func (i *Invitations) call(ctx context.Context, action string, in, out any) error {
	body, err := json.Marshal(in)
	if err != nil {
		return err
	}
	for n := 1; ; n++ {
		err = i.send(ctx, action, body, out)
		if n == attempts || !retryable(err) || ctx.Err() != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(rand.N(backoff(n)) + time.Millisecond):
		}
	}
}

// retryable reports whether a failed call may succeed if sent again.
func retryable(err error) bool {
	var e *apiError
	switch {
	case err == nil:
		return false
	case errors.As(err, &e):
		return strings.HasPrefix(e.Status, "5") || strings.Contains(e.Type, "Throttling") || e.Type == "TooManyRequestsException"
	default:
		var sent *sendError
		return errors.As(err, &sent)
	}
}

// sendError is a request that failed on the way (no answer came back).
type sendError struct{ err error }

func (e *sendError) Error() string { return e.err.Error() }
func (e *sendError) Unwrap() error { return e.err }

// send makes one signed request and reads its answer.
func (i *Invitations) send(ctx context.Context, action string, body []byte, out any) error {
	req, err := i.request(ctx, action, body)
	if err != nil {
		return err
	}
	resp, err := i.client.Do(req)
	if err != nil {
		return &sendError{fmt.Errorf("cognito-idp %s: %w", action, err)}
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, maxErrBody))
		return answerError(action, resp, msg)
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, maxBody)).Decode(out); err != nil {
		return fmt.Errorf("cognito-idp %s: the answer is not the JSON expected: %w", action, err)
	}
	return nil
}

// request returns the signed POST of the action.
func (i *Invitations) request(ctx context.Context, action string, body []byte) (*http.Request, error) {
	if i.cfg.Credentials == nil {
		return nil, errors.New("cognito-idp: the AWS configuration has no credentials")
	}
	creds, err := i.cfg.Credentials.Retrieve(ctx)
	if err != nil {
		return nil, fmt.Errorf("cognito-idp: credentials: %w", err)
	}
	u := i.endpoint + "/"
	if i.endpoint == "" {
		if i.cfg.Region == "" {
			return nil, errors.New("cognito-idp: the AWS configuration has no region")
		}
		u = "https://cognito-idp." + i.cfg.Region + ".amazonaws.com/"
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("X-Amz-Target", target+action)
	req.Header.Set("Content-Type", contentType)
	sum := sha256.Sum256(body)
	if err := i.signer.SignHTTP(ctx, creds, req, hex.EncodeToString(sum[:]), service, i.cfg.Region, i.now().UTC()); err != nil {
		return nil, fmt.Errorf("cognito-idp %s: sign: %w", action, err)
	}
	return req, nil
}

// answerError reads the error of an answer that is not a success: the
// exception's name from the X-Amzn-ErrorType header or the body's __type
// (or code), and the body's message (or Message).
func answerError(action string, resp *http.Response, body []byte) error {
	var doc struct {
		Type     string `json:"__type"`
		Code     string `json:"code"`
		Message  string `json:"message"`
		MessageU string `json:"Message"`
	}
	jsonErr := json.Unmarshal(body, &doc)
	typ := errorType(resp.Header.Get("X-Amzn-ErrorType"))
	if typ == "" {
		typ = errorType(doc.Type)
	}
	if typ == "" {
		typ = errorType(doc.Code)
	}
	if typ == "" {
		msg := strings.TrimSpace(string(body))
		if jsonErr != nil {
			msg = "the answer is not JSON: " + msg
		}
		return fmt.Errorf("cognito-idp %s: %s with no error type: %s", action, resp.Status, msg)
	}
	return &apiError{Action: action, Type: typ, Message: cmp.Or(doc.Message, doc.MessageU), Status: resp.Status}
}

// errorType returns the exception's name from its forms
// "aws.prefix#NameException" and "NameException:http://...".
func errorType(s string) string {
	if j := strings.IndexByte(s, ':'); j >= 0 {
		s = s[:j]
	}
	if j := strings.LastIndexByte(s, '#'); j >= 0 {
		s = s[j+1:]
	}
	return strings.TrimSpace(s)
}
