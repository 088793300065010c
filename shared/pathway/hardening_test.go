package pathway_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Characters an attacker types to hide text, rewrite a terminal that
// prints it, or make it read differently from what it holds.
var unsafeSamples = map[string]string{
	"NUL":                     "Calder\x00Care",
	"ESC":                     "Calder \x1b[31mCare",
	"DEL":                     "Calder\x7fCare",
	"C1 control (NEL)":        "Calder\u0085Care",
	"carriage return":         "Calder\rCare",
	"right-to-left override":  "Calder \u202eeraC",
	"left-to-right embedding": "Calder \u202aCare",
	"first strong isolate":    "Calder \u2068Care",
	"pop directional isolate": "Calder Care\u2069",
}

func TestTextProblemRefusesControlAndDirectionCharacters(t *testing.T) {
	for name, s := range unsafeSamples {
		for _, long := range []bool{false, true} {
			if got := pathway.TextProblem(s, long); got != pathway.UnsafeTextMessage {
				t.Errorf("%s (long %v): TextProblem = %q, want %q", name, long, got, pathway.UnsafeTextMessage)
			}
		}
	}
	if got := pathway.TextProblem("Calder\xffCare", false); got == "" {
		t.Errorf("bytes that are not UTF-8 were accepted")
	}
	// Newlines and tabs belong in long text only.
	for _, s := range []string{"Line one\nline two", "Item\tdone"} {
		if got := pathway.TextProblem(s, true); got != "" {
			t.Errorf("long text %q: %q, want accepted", s, got)
		}
		if got := pathway.TextProblem(s, false); got != pathway.UnsafeTextMessage {
			t.Errorf("one-line text %q: %q, want refused", s, got)
		}
	}
	// Text in any script, with the marks right-to-left writing needs, is fine.
	for _, s := range []string{"Côté Care Co-op", "Cydweithfa Gofal Ŵyr", "تعاونية الرعاية", "שיתופית\u200f טיפול", "Care 🤝 Co-op", ""} {
		if got := pathway.TextProblem(s, false); got != "" {
			t.Errorf("%q: %q, want accepted", s, got)
		}
	}
}

func TestNormaliseNewlines(t *testing.T) {
	if got := pathway.NormaliseNewlines("a\r\nb\rc\nd"); got != "a\nb\nc\nd" {
		t.Errorf("NormaliseNewlines = %q", got)
	}
}

// TestFreeTextFieldsRefuseUnsafeCharacters: every free-text field of the
// records refuses them, naming the field.
func TestFreeTextFieldsRefuseUnsafeCharacters(t *testing.T) {
	item := func() *pathway.ChecklistItem {
		return &pathway.ChecklistItem{Coop: "coop-1", ID: "ORG-LEGAL", Group: pathway.GroupOrganisation, Title: "Legal form",
			Status: pathway.ItemDone, Evidence: "Rules agreed.\n\tSigned copy in the drive.", Comment: "Thanks.\nAll good.", Version: 1}
	}
	task := func() *pathway.Task {
		return &pathway.Task{ID: "task-1", Kind: pathway.TaskPanelDecision, Coop: "coop-1", CoopName: "Calder Care",
			Organisation: "org-a", Role: pathway.RoleAgency, Title: "Decide", Status: pathway.TaskOpen, CreatedAt: time.Now()}
	}
	if err := item().Validate(); err != nil {
		t.Fatalf("an item with newlines and tabs in its evidence: %v", err)
	}
	tests := []struct {
		name   string
		field  string
		record func(s string) interface{ Validate() error }
	}{
		{"co-op name", "name", func(s string) interface{ Validate() error } { c := validCoop(); c.Name = s; return c }},
		{"local authority", "localAuthority", func(s string) interface{ Validate() error } { c := validCoop(); c.LocalAuthority = s; return c }},
		{"member name", "members[0].name", func(s string) interface{ Validate() error } { c := validCoop(); c.Members[0].Name = s; return c }},
		{"item title", "title", func(s string) interface{ Validate() error } { it := item(); it.Title = s; return it }},
		{"item evidence", "evidence", func(s string) interface{ Validate() error } { it := item(); it.Evidence = s; return it }},
		{"item comment", "comment", func(s string) interface{ Validate() error } { it := item(); it.Comment = s; return it }},
		{"item guidance", "guidance", func(s string) interface{ Validate() error } { it := item(); it.Guidance = s; return it }},
		{"task title", "title", func(s string) interface{ Validate() error } { tk := task(); tk.Title = s; return tk }},
		{"task co-op name", "coopName", func(s string) interface{ Validate() error } { tk := task(); tk.CoopName = s; return tk }},
	}
	for _, tc := range tests {
		for name, s := range unsafeSamples {
			t.Run(tc.name+"/"+name, func(t *testing.T) {
				fields := pathway.ErrorFields(tc.record(s).Validate())
				if fields[tc.field] != pathway.UnsafeTextMessage {
					t.Errorf("fields[%q] = %q, want %q (all: %v)", tc.field, fields[tc.field], pathway.UnsafeTextMessage, fields)
				}
			})
		}
	}
	c := validCoop()
	c.Name = "Calder\nCare"
	if got := pathway.ErrorFields(c.Validate())["name"]; got != pathway.UnsafeTextMessage {
		t.Errorf("a newline in a one-line name: %q, want refused", got)
	}
}

func TestPanelNotesRefuseUnsafeCharacters(t *testing.T) {
	for name, s := range unsafeSamples {
		if name == "carriage return" {
			continue // the service turns a browser's line breaks into "\n" before the check
		}
		d := pathway.PanelDecision{Outcome: pathway.PanelDecline, Notes: s}
		if got := pathway.ErrorFields(d.Check())["notes"]; got != pathway.UnsafeTextMessage {
			t.Errorf("%s: notes = %q, want %q", name, got, pathway.UnsafeTextMessage)
		}
	}
	if err := (pathway.PanelDecision{Outcome: pathway.PanelDecline, Notes: "No business plan yet.\n\tCome back in spring."}).Check(); err != nil {
		t.Errorf("notes over two lines: %v", err)
	}
}

// TestDatesMakeSense: no date before 2000 where a past date is asked,
// none in the future, and none about a co-op's CQC registration before
// the day it applied to the programme.
func TestDatesMakeSense(t *testing.T) {
	now := time.Date(2027, 7, 15, 12, 0, 0, 0, time.UTC)
	for _, s := range []string{"0001-01-01", "1970-01-01", "1999-12-31"} {
		if _, msg := pathway.PastDate(s, now); msg != "Must be 1 January 2000 or later" {
			t.Errorf("PastDate(%q) = %q, want it refused as before 2000", s, msg)
		}
	}
	if _, msg := pathway.PastDate("2000-01-01", now); msg != "" {
		t.Errorf("PastDate(2000-01-01) = %q, want accepted", msg)
	}
	// Applied at 23:30 UTC on 30 June in summer: 1 July in the UK.
	applied := time.Date(2027, 6, 30, 23, 30, 0, 0, time.UTC)
	if _, msg := pathway.PastDateSince("2027-06-30", applied, "the day the co-op applied", now); msg != "Must be 1 July 2027 or later, the day the co-op applied" {
		t.Errorf("a day before the UK day of applying = %q", msg)
	}
	if d, msg := pathway.PastDateSince("2027-07-01", applied, "the day the co-op applied", now); msg != "" || d.Day() != 1 {
		t.Errorf("the day of applying = %v %q, want accepted", d, msg)
	}

	sub := pathway.Submission{SubmittedOn: "0001-01-01"}
	if _, err := sub.Check(now); pathway.ErrorFields(err)["submittedOn"] == "" {
		t.Errorf("submitted on 0001-01-01: %v, want submittedOn refused", err)
	}
	sub.SubmittedOn = "2027-06-29"
	if _, err := sub.Check(now); err != nil {
		t.Errorf("Check without the co-op: %v", err)
	}
	if _, err := sub.CheckApplied(applied, now); !strings.Contains(pathway.ErrorFields(err)["submittedOn"], "the day the co-op applied") {
		t.Errorf("submitted before the co-op applied: %v, want submittedOn refused saying why", err)
	}
	sub.SubmittedOn = "2027-07-15"
	if _, err := sub.CheckApplied(applied, now); err != nil {
		t.Errorf("submitted today: %v", err)
	}
	sub.SubmittedOn = "2027-07-16"
	if _, err := sub.CheckApplied(applied, now); pathway.ErrorFields(err)["submittedOn"] == "" {
		t.Errorf("submitted tomorrow: %v, want refused", err)
	}

	dec := pathway.CQCDecision{Outcome: pathway.CQCRefused, DecidedOn: "0001-01-01"}
	if pathway.ErrorFields(dec.Check(now))["decidedOn"] == "" {
		t.Errorf("decided on 0001-01-01 accepted")
	}
	dec.DecidedOn = "2027-06-01"
	if err := dec.CheckApplied(applied, now); pathway.ErrorFields(err)["decidedOn"] == "" {
		t.Errorf("decided before the co-op applied: %v, want decidedOn refused", err)
	}
	dec.DecidedOn = "2027-07-02"
	if err := dec.CheckApplied(applied, now); err != nil {
		t.Errorf("decided after the co-op applied: %v", err)
	}
}
