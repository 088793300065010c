package lambdatest_test

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/lambdatest"
)

// TestHarness drives a tiny function through the fake Runtime API: replies,
// function errors, the context Lambda gives, and a process that dies.
func TestHarness(t *testing.T) {
	f := lambdatest.Start(t, lambdatest.BuildHost(t, "./infra/lambdatest/testdata/echo"))
	ctx := t.Context()

	ids := map[string]bool{}
	for i, say := range []string{"first", "second"} {
		out, err := f.Invoke(ctx, map[string]any{"say": say})
		if err != nil {
			t.Fatalf("invoke %d: %v", i, err)
		}
		var r struct {
			Said, RequestID, FunctionARN, FunctionName string
			SecondsLeft                                int
		}
		if err := json.Unmarshal(out, &r); err != nil {
			t.Fatal(err)
		}
		if r.RequestID == "" || ids[r.RequestID] {
			t.Errorf("invoke %d: request ID %q empty or repeated", i, r.RequestID)
		}
		ids[r.RequestID] = true
		if r.Said != say || r.FunctionName != f.Name ||
			!strings.HasSuffix(r.FunctionARN, ":function:"+f.Name) || r.SecondsLeft < 10 || r.SecondsLeft > 15 {
			t.Errorf("invoke %d: reply %+v", i, r)
		}
	}

	_, err := f.Invoke(ctx, map[string]any{"fail": true})
	var fe *lambdatest.Error
	if !errors.As(err, &fe) || fe.Message != "asked to fail" || fe.Type != "errorString" {
		t.Fatalf("failing invoke: %v (%#v)", err, fe)
	}

	// A panic is reported, then the runtime exits the process.
	_, err = f.Invoke(ctx, map[string]any{"panic": true})
	if !errors.As(err, &fe) || !strings.Contains(fe.Message, "asked to panic") {
		t.Fatalf("panicking invoke: %v", err)
	}
	<-f.Exited()
	if _, err := f.Invoke(ctx, map[string]any{"say": "after"}); err == nil || !strings.Contains(err.Error(), "exited") {
		t.Errorf("invoke after exit: %v, want an exit error", err)
	}
}
