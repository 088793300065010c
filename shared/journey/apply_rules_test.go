package journey_test

// The rules of applying: who may, to which programmes, and what a retry
// with the same Idempotency-Key does.

import (
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/testkit"
)

func application() journey.Application {
	return journey.Application{Name: "Hollin Bank Care", Programme: programme, LegalForm: pathway.FormCooperativeSociety,
		Origin: pathway.OriginNewStart, LocalAuthority: "Cumberland", Services: []string{"home-care"},
		Members: []journey.Member{{Name: "Ira Example", Class: pathway.ClassWorker, Role: pathway.MemberDirector}}}
}

// Rule: a founder's application to an open programme becomes a co-op at
// the applied stage, with the founder as its founder, and starts its
// application workflow once.
func TestApplyCreatesTheCoopAndStartsItsWorkflow(t *testing.T) {
	s := newService(t, testkit.Store(t))
	id := journey.CoopID(founderID, "key-1")
	v, err := s.svc.Apply(s.ctx, founder, id, application())
	s.must(err)
	c, err := s.store.GetCoop(s.ctx, id)
	s.must(err)
	if c.Stage != pathway.StageApplied || len(c.Founders) != 1 || c.Founders[0] != founderID || v == nil {
		t.Fatalf("co-op %+v; want it applied, founded by the founder", c)
	}
	if starts := s.wf.Starts(); len(starts) != 1 || starts[0].Name != id || starts[0].Machine != pathway.WorkflowApplication {
		t.Fatalf("starts %+v; want the application workflow started once for %s", starts, id)
	}
	if n := count(s.actions(id), pathway.ActionApplicationSubmitted); n != 1 || s.pending() != 0 {
		t.Fatalf("%d submitted events, %d pending; want one and nothing left to send", n, s.pending())
	}
}

// Rule: applications go only to a programme that exists and is open; both
// are the same answer to the founder.
func TestApplyOnlyToAnOpenProgramme(t *testing.T) {
	s := newService(t, testkit.Store(t))
	s.must(s.store.PutProgramme(s.ctx, &pathway.Programme{ID: "prog-closed", Name: "Closed", Agency: agency,
		Pathway: pathway.PathwayStartUp, Open: false, PanelDays: 14, Eligibility: pathway.Eligibility{MinFounders: 1}}))
	for _, prog := range []string{"prog-closed", "prog-missing"} {
		a := application()
		a.Programme = prog
		_, err := s.svc.Apply(s.ctx, founder, journey.CoopID(founderID, prog), a)
		wantCode(t, err, pathway.EINVALID, "programme")
	}
	if len(s.wf.Starts()) != 0 {
		t.Fatalf("a refused application started a workflow")
	}
}

// Rule: only a signed-in founder applies.
func TestApplyOnlyFounders(t *testing.T) {
	s := newService(t, testkit.Store(t))
	for _, u := range []*pathway.User{nil, staff(1)} {
		_, err := s.svc.Apply(s.ctx, u, journey.CoopID("x", "k"), application())
		wantCode(t, err, pathway.EFORBIDDEN, "")
	}
}

// Rule: a retry with the same key and the same answers (spaced
// differently) is the same application: it returns the co-op and only
// makes sure its workflow has started; the same key for other answers, or
// for another founder, is a conflict.
func TestApplyRetries(t *testing.T) {
	s := newService(t, testkit.Store(t))
	id := journey.CoopID(founderID, "key-1")
	_, err := s.svc.Apply(s.ctx, founder, id, application())
	s.must(err)

	retry := application()
	retry.Name = "  " + retry.Name + " "
	v, err := s.svc.Apply(s.ctx, founder, id, retry)
	s.must(err)
	if v == nil || len(s.wf.Starts()) != 1 {
		t.Fatalf("retry = %+v, starts %+v; want the same co-op and one workflow", v, s.wf.Starts())
	}

	other := application()
	other.Name = "Another Co-op"
	_, err = s.svc.Apply(s.ctx, founder, id, other)
	wantCode(t, err, pathway.ECONFLICT, "")

	someoneElse := &pathway.User{ID: "user-founder-bo", Name: "Bo Example", Role: pathway.RoleFounder}
	_, err = s.svc.Apply(s.ctx, someoneElse, id, application())
	wantCode(t, err, pathway.ECONFLICT, "")
}

// Rule: a retry whose workflow cannot be started now is told the
// application is saved and to try again (unavailable), not that it
// failed; an execution that exists already is no error.
func TestApplyRetryWhenWorkflowsFail(t *testing.T) {
	for _, tc := range []struct {
		name string
		err  error
		code string
	}{
		{"workflows unavailable", errors.New("throttled"), pathway.EUNAVAILABLE},
		{"started already", fmt.Errorf("exists: %w", pathway.ErrAlreadyStarted), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newService(t, testkit.Store(t))
			id := journey.CoopID(founderID, "key-1")
			_, err := s.svc.Apply(s.ctx, founder, id, application())
			s.must(err)
			s.wf.FailStarts(tc.err, 1)
			_, err = s.svc.Apply(s.ctx, founder, id, application())
			if tc.code == "" {
				s.must(err)
				return
			}
			wantCode(t, err, tc.code, "")
		})
	}
}

// Rule: an application stands when its workflow cannot be started at
// once: the co-op is created and its start is left pending for the
// outbox's sweep (the outbox warns of the failed attempt). Nothing is
// logged as an error, as nothing was lost, and neither is a clean start.
func TestApplyStandsWhenTheStartFails(t *testing.T) {
	for _, fail := range []bool{false, true} {
		t.Run(fmt.Sprintf("start fails %v", fail), func(t *testing.T) {
			s := newService(t, testkit.Store(t))
			var logs strings.Builder
			s.svc = s.svc.WithLogger(slog.New(slog.NewTextHandler(&logs, nil)))
			wantPending := 0
			if fail {
				s.wf.FailStarts(errors.New("throttled"), 1)
				wantPending = 1
			}
			id := journey.CoopID(founderID, "key-1")
			_, err := s.svc.Apply(s.ctx, founder, id, application())
			s.must(err)
			if _, err := s.store.GetCoop(s.ctx, id); err != nil {
				t.Fatalf("the co-op was not created: %v", err)
			}
			if s.pending() != wantPending {
				t.Fatalf("pending starts %d, want %d", s.pending(), wantPending)
			}
			if n := strings.Count(logs.String(), "level=ERROR"); n != 0 {
				t.Fatalf("%d errors logged:\n%s", n, logs.String())
			}
		})
	}
}
