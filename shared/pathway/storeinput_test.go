package pathway_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestCheckWrite(t *testing.T) {
	bad := validCoop()
	bad.Name = ""
	tests := []struct {
		name    string
		err     error
		field   string // the field the error must name, or "" for none
		message string // the message it must have, or "" for any
	}{
		{"valid co-op, no event", pathway.CheckWrite("co-op", validCoop(), nil), "", ""},
		{"missing co-op", pathway.CheckWrite("co-op", (*pathway.Coop)(nil), nil), "", "No co-op was given."},
		{"invalid co-op", pathway.CheckWrite("co-op", bad, nil), "name", ""},
		{"invalid event", pathway.CheckWrite("co-op", validCoop(), &pathway.Event{}), "id", ""},
		// IdempotentResponse has no Validate method: its tags still apply.
		{"record without Validate", pathway.CheckWrite("response", &pathway.IdempotentResponse{RequestHash: "h"}, nil), "key", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			valid := tt.field == "" && tt.message == ""
			if valid {
				if tt.err != nil {
					t.Fatalf("err = %v, want nil", tt.err)
				}
				return
			}
			if code := pathway.ErrorCode(tt.err); code != pathway.EINVALID {
				t.Fatalf("code = %q (%v), want %q", code, tt.err, pathway.EINVALID)
			}
			if tt.field != "" && pathway.ErrorFields(tt.err)[tt.field] == "" {
				t.Errorf("fields = %v, want one naming %q", pathway.ErrorFields(tt.err), tt.field)
			}
			if tt.message != "" && pathway.ErrorMessage(tt.err) != tt.message {
				t.Errorf("message = %q, want %q", pathway.ErrorMessage(tt.err), tt.message)
			}
		})
	}
}

func TestPageLimit(t *testing.T) {
	for _, tt := range []struct{ in, want int }{
		{0, pathway.DefaultPageSize},
		{1, 1},
		{pathway.MaxPageSize, pathway.MaxPageSize},
		{pathway.MaxPageSize + 1, pathway.MaxPageSize},
	} {
		if got, err := pathway.PageLimit(tt.in); err != nil || got != tt.want {
			t.Errorf("PageLimit(%d) = %d, %v; want %d", tt.in, got, err, tt.want)
		}
	}
	_, err := pathway.PageLimit(-1)
	if pathway.ErrorFields(err)["limit"] == "" {
		t.Errorf("PageLimit(-1) error = %v, want EINVALID naming limit", err)
	}
}

func TestCheckTaskFilter(t *testing.T) {
	tests := []struct {
		f      pathway.TaskFilter
		fields []string // the fields the error names; none for a valid filter
	}{
		{pathway.TaskFilter{Coop: "coop-1"}, nil},
		{pathway.TaskFilter{Organisation: "org-1", Role: pathway.RoleAgency}, nil},
		{pathway.TaskFilter{}, []string{"organisation", "role"}},
		{pathway.TaskFilter{Organisation: "org-1"}, []string{"role"}},
		{pathway.TaskFilter{Role: pathway.RoleAgency}, []string{"organisation"}},
	}
	for _, tt := range tests {
		err := pathway.CheckTaskFilter(tt.f)
		fields := pathway.ErrorFields(err)
		if len(fields) != len(tt.fields) || (len(tt.fields) > 0 && pathway.ErrorCode(err) != pathway.EINVALID) {
			t.Errorf("CheckTaskFilter(%+v) = %v, want fields %v", tt.f, err, tt.fields)
			continue
		}
		for _, name := range tt.fields {
			if fields[name] == "" {
				t.Errorf("CheckTaskFilter(%+v) fields = %v, want one naming %q", tt.f, fields, name)
			}
		}
	}
}

func TestEventPageLimit(t *testing.T) {
	if got, err := pathway.EventPageLimit(pathway.CoopSubject("coop-1"), 0); err != nil || got != pathway.DefaultPageSize {
		t.Errorf("EventPageLimit(coop-1, 0) = %d, %v; want %d", got, err, pathway.DefaultPageSize)
	}
	if _, err := pathway.EventPageLimit(pathway.CoopSubject(""), 5); pathway.ErrorFields(err)["subject"] == "" {
		t.Errorf("EventPageLimit(no ID, 5) error = %v, want EINVALID naming subject", err)
	}
	if _, err := pathway.EventPageLimit(pathway.Subject{ID: "x"}, 5); pathway.ErrorFields(err)["subject"] == "" {
		t.Errorf("EventPageLimit(no kind, 5) error = %v, want EINVALID naming subject", err)
	}
	if _, err := pathway.EventPageLimit(pathway.CoopSubject("coop-1"), -1); pathway.ErrorFields(err)["limit"] == "" {
		t.Errorf("EventPageLimit(coop-1, -1) error = %v, want EINVALID naming limit", err)
	}
}

func TestCheckCoopFilter(t *testing.T) {
	if got, err := pathway.CheckCoopFilter(pathway.CoopFilter{Programme: "prog-1", Stage: pathway.StageApplied}); err != nil || got != pathway.DefaultPageSize {
		t.Errorf("valid filter = %d, %v; want %d", got, err, pathway.DefaultPageSize)
	}
	fields := pathway.ErrorFields(func() error {
		_, err := pathway.CheckCoopFilter(pathway.CoopFilter{Stage: "nowhere"})
		return err
	}())
	if fields["programme"] == "" || fields["stage"] == "" {
		t.Errorf("filter without a programme, of an unknown stage: fields %v, want programme and stage named", fields)
	}
	if _, err := pathway.CheckCoopFilter(pathway.CoopFilter{Programme: "prog-1", Stage: pathway.StageApplied, Limit: -1}); pathway.ErrorFields(err)["limit"] == "" {
		t.Errorf("negative limit: error %v, want EINVALID naming limit", err)
	}
}
