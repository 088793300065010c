package journey_test

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

// corrected is the application of s.coop's co-ops with the council area
// corrected.
func corrected() journey.Application {
	a := journey.ApplicationOf(&pathway.Coop{Name: "Co-op coop-again", Programme: programme, LegalForm: pathway.FormCooperativeSociety,
		Origin: pathway.OriginNewStart, LocalAuthority: "Westmorland and Furness", Services: []string{"home-care"},
		RegulatedActivities: []string{pathway.ActivityPersonalCare},
		Members:             []pathway.Member{{Name: "Ira Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}}})
	return a
}

// Rule: a screened-out application is corrected and sent again by a
// founder of the co-op: it goes back to applied as attempt 2, with its
// event, and starts a new execution of the application workflow, named
// after the attempt; a retried resubmission starts nothing twice.
func TestResubmitStartsTheNextAttempt(t *testing.T) {
	s := newService(t, testkit.Store(t))
	c := s.coop("coop-again", pathway.StageIneligible)
	v, err := s.svc.Resubmit(s.ctx, founder, c.ID, corrected())
	s.must(err)
	got, err := s.store.GetCoop(s.ctx, c.ID)
	s.must(err)
	if got.Stage != pathway.StageApplied || got.Attempt != 2 || got.LocalAuthority != "Westmorland and Furness" || v.Stage != pathway.StageApplied {
		t.Fatalf("co-op %+v; want applied again as attempt 2 with the corrected answers", got)
	}
	want := []testkit.Start{{Machine: pathway.WorkflowApplication, Name: c.ID + "-attempt-2"}}
	if starts := s.wf.Starts(); len(starts) != 1 || starts[0].Name != want[0].Name || starts[0].Machine != want[0].Machine {
		t.Fatalf("starts %+v; want one new execution %s", starts, want[0].Name)
	}
	if n := count(s.actions(c.ID), pathway.ActionApplicationResent); n != 1 || s.pending() != 0 {
		t.Fatalf("%d resent events, %d pending; want one and nothing left to send", n, s.pending())
	}
	page, err := s.store.ListEvents(s.ctx, pathway.CoopSubject(c.ID), "", 10)
	s.must(err)
	if !slices.ContainsFunc(page.Events, func(e *pathway.Event) bool {
		return e.Action == pathway.ActionApplicationResent && strings.Contains(e.Summary, "again (attempt 2)") && e.From == pathway.StageIneligible
	}) || count(s.actions(c.ID), pathway.ActionApplicationSubmitted) != 1 {
		t.Fatalf("history %v; want the first application and the second attempt", s.actions(c.ID))
	}

	// The same request again (a retry): nothing new starts.
	_, err = s.svc.Resubmit(s.ctx, founder, c.ID, corrected())
	s.must(err)
	if starts := s.wf.Starts(); len(starts) != 1 {
		t.Fatalf("a retried resubmission started %d executions, want 1", len(starts))
	}
	if got, _ := s.store.GetCoop(s.ctx, c.ID); got.Attempt != 2 {
		t.Fatalf("a retried resubmission counted attempt %d", got.Attempt)
	}
}

// Rule: a retried resubmission whose first start failed starts the
// attempt's execution, once.
func TestResubmitRetryStartsTheAttempt(t *testing.T) {
	s := newService(t, testkit.Store(t))
	c := s.coop("coop-again", pathway.StageIneligible)
	s.wf.FailStarts(errors.New("engine down"), 1)
	_, err := s.svc.Resubmit(s.ctx, founder, c.ID, corrected())
	s.must(err) // stored with the co-op: the start waits in the outbox
	_, err = s.svc.Resubmit(s.ctx, founder, c.ID, corrected())
	s.must(err)
	if starts := s.wf.Starts(); len(starts) != 1 || starts[0].Name != c.ID+"-attempt-2" {
		t.Fatalf("starts %+v; want the second attempt started once", starts)
	}
}

// Rule: only the co-op's founders send it again, only while it is
// ineligible, and only with changed answers.
func TestResubmitRules(t *testing.T) {
	s := newService(t, testkit.Store(t))
	ineligible := s.coop("coop-out", pathway.StageIneligible)
	panel := s.coop("coop-panel", pathway.StageAwaitingPanel)
	other := &pathway.User{ID: "user-founder-other", Name: "Other Example", Role: pathway.RoleFounder}
	for _, tc := range []struct {
		name string
		u    *pathway.User
		coop string
		app  journey.Application
		code string
	}{
		{"agency staff", staff(1), ineligible.ID, corrected(), pathway.EFORBIDDEN},
		{"another co-op's founder", other, ineligible.ID, corrected(), pathway.ENOTFOUND},
		{"not ineligible", founder, panel.ID, corrected(), pathway.ECONFLICT},
		{"the answers screened out", founder, ineligible.ID, journey.ApplicationOf(ineligible), pathway.ECONFLICT},
		{"another programme", founder, ineligible.ID, func() journey.Application { a := corrected(); a.Programme = "prog-other"; return a }(), pathway.EINVALID},
		{"an invalid answer", founder, ineligible.ID, func() journey.Application { a := corrected(); a.LegalForm = "partnership"; return a }(), pathway.EINVALID},
	} {
		_, err := s.svc.Resubmit(s.ctx, tc.u, tc.coop, tc.app)
		if pathway.ErrorCode(err) != tc.code {
			t.Errorf("%s: %v, want %s", tc.name, err, tc.code)
		}
	}
	if len(s.wf.Starts()) != 0 {
		t.Fatalf("a refused resubmission started %v", s.wf.Starts())
	}
}

// Rule: the eligibility checker answers with the screening's own rules,
// naming the answer at fault and the rule; bad answers name their field.
func TestCheckEligibility(t *testing.T) {
	s := newService(t, testkit.Store(t))
	s.must(s.store.PutProgramme(s.ctx, &pathway.Programme{ID: "prog-strict", Name: "Strict Start-up", Agency: agency,
		Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14,
		Eligibility: pathway.Eligibility{MinFounders: 3, EnglandOnly: true, Services: []string{"home-care"}}}))
	good := journey.EligibilityQuestions{Programme: "prog-strict", LocalAuthority: "Leeds", Founders: 3,
		Classes: []string{pathway.ClassWorker, pathway.ClassServiceUser}, Services: []string{"home-care"}, LegalForm: pathway.FormCooperativeSociety}
	for _, tc := range []struct {
		name  string
		edit  func(q *journey.EligibilityQuestions)
		rules []string
		field string // an EINVALID field
	}{
		{"eligible", func(*journey.EligibilityQuestions) {}, nil, ""},
		{"a town, not a council", func(q *journey.EligibilityQuestions) { q.LocalAuthority = "Hebden Bridge" }, []string{pathway.RuleEngland}, ""},
		{"one founder of three", func(q *journey.EligibilityQuestions) { q.Founders = 1 }, []string{pathway.RuleMinFounders}, ""},
		{"not a supported service", func(q *journey.EligibilityQuestions) { q.Services = []string{"day-care"} }, []string{pathway.RuleServices}, ""},
		{"a private company", func(q *journey.EligibilityQuestions) { q.LegalForm = pathway.FormPrivateCompany }, []string{pathway.RuleLegalForm}, ""},
		{"a converting private company", func(q *journey.EligibilityQuestions) {
			q.LegalForm, q.Origin = pathway.FormPrivateCompany, pathway.OriginConversion
		}, nil, ""},
		{"several at once", func(q *journey.EligibilityQuestions) { q.LocalAuthority, q.Founders = "Cardiff", 0 },
			[]string{pathway.RuleEngland, pathway.RuleMinFounders}, ""},
		{"an unknown legal form", func(q *journey.EligibilityQuestions) { q.LegalForm = "partnership" }, nil, "legalForm"},
		{"a negative count", func(q *journey.EligibilityQuestions) { q.Founders = -1 }, nil, "founders"},
		{"an unknown class", func(q *journey.EligibilityQuestions) { q.Classes = []string{"owner"} }, nil, "classes"},
		{"a closed or missing programme", func(q *journey.EligibilityQuestions) { q.Programme = "prog-none" }, nil, "programme"},
	} {
		q := good
		tc.edit(&q)
		res, err := s.svc.CheckEligibility(s.ctx, q)
		if tc.field != "" {
			if pathway.ErrorCode(err) != pathway.EINVALID || !strings.Contains(err.Error(), tc.field) {
				t.Errorf("%s: %v, want EINVALID naming %s", tc.name, err, tc.field)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var rules []string
		for _, r := range res.Reasons {
			rules = append(rules, r.Rule)
			if r.Field == "" || r.Message == "" || pathway.RuleNames[r.Rule] == "" {
				t.Errorf("%s: reason %+v lacks a field, a message or a named rule", tc.name, r)
			}
		}
		if !slices.Equal(rules, tc.rules) || res.Eligible != (len(tc.rules) == 0) {
			t.Errorf("%s: eligible %v, rules %v; want %v", tc.name, res.Eligible, rules, tc.rules)
		}
	}
}
