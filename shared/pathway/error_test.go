package pathway_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestErrorCodeAndMessage(t *testing.T) {
	tests := []struct {
		err      error
		code     string
		message  string
		internal bool
	}{
		{nil, "", "", false},
		{pathway.NotFound("co-op"), pathway.ENOTFOUND, "That co-op could not be found.", false},
		{fmt.Errorf("wrapped: %w", pathway.Errorf(pathway.ECONFLICT, "Changed by someone else.")), pathway.ECONFLICT, "Changed by someone else.", false},
		{errors.New("dial tcp: connection refused"), pathway.EINTERNAL, "", true},
	}
	for _, tt := range tests {
		if got := pathway.ErrorCode(tt.err); got != tt.code {
			t.Errorf("ErrorCode(%v) = %q, want %q", tt.err, got, tt.code)
		}
		msg := pathway.ErrorMessage(tt.err)
		if tt.internal {
			if strings.Contains(msg, "connection refused") || msg == "" {
				t.Errorf("internal error text leaked or empty: %q", msg)
			}
		} else if msg != tt.message {
			t.Errorf("ErrorMessage(%v) = %q, want %q", tt.err, msg, tt.message)
		}
	}
}

func TestErrorStringListsFieldsInStableOrder(t *testing.T) {
	err := pathway.Invalid(map[string]string{"name": "Enter the name", "class": "Enter the class"})
	want := "pathway error: code=invalid message=Some answers need correcting. (class: Enter the class; name: Enter the name)"
	if err.Error() != want {
		t.Fatalf("Error() = %q, want %q", err.Error(), want)
	}
}
