package grantservice_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

func TestProgrammesEachSees(t *testing.T) {
	f := newFixture(t)
	cases := []struct {
		who       string
		want      []string
		withCoops bool
	}{
		{"lead", []string{progClosed, progOpen, progSmall}, false},
		{"reviewer1", []string{progClosed, progOpen, progSmall}, false},
		{"otherFund", []string{"gp-thistle"}, false},
		{"founderA", []string{progOpen, progSmall, "gp-thistle"}, true},
		{"agency", []string{progOpen, progSmall, "gp-thistle"}, false},
	}
	for _, c := range cases {
		t.Run(c.who, func(t *testing.T) {
			ps, err := f.svc.Programmes(t.Context(), users[c.who])
			must(t, err)
			var ids []string
			for _, p := range ps {
				ids = append(ids, p.ID)
				if (p.Coops != nil) != c.withCoops {
					t.Errorf("%s: coops = %v, want present %v", p.ID, p.Coops, c.withCoops)
				}
			}
			slices.Sort(ids)
			want := slices.Sorted(slices.Values(c.want))
			if !slices.Equal(ids, want) {
				t.Errorf("programmes = %v, want %v", ids, want)
			}
		})
	}
}

func TestFounderSeesEligibilityPerCoop(t *testing.T) {
	f := newFixture(t)
	ps, err := f.svc.Programmes(t.Context(), users["founderA"])
	must(t, err)
	for _, p := range ps {
		if len(p.Coops) != 1 || p.Coops[0].Coop != coopA || !p.Coops[0].Eligible || len(p.Coops[0].Reasons) != 0 {
			t.Errorf("%s: coops = %+v, want co-op A eligible", p.ID, p.Coops)
		}
	}
	// A programme for co-ops accepted onto a development programme: co-op
	// B, only applied, is told why not.
	p := programme("gp-larkspur-stage", fund, "2027-04-01", "2027-09-30", 10_000_000)
	p.Rules.StageReached = pathway.StageCQCPreparing
	must(t, f.gs.PutProgramme(t.Context(), p, now))
	v, err := f.svc.Programme(t.Context(), users["founderB"], p.ID)
	must(t, err)
	if len(v.Coops) != 1 || v.Coops[0].Eligible || len(v.Coops[0].Reasons) != 1 || v.Coops[0].Reasons[0].Rule != grants.RuleStageReached {
		t.Errorf("coops = %+v, want co-op B ineligible by stage", v.Coops)
	}
	// A closed programme is not found to a founder, but is to its funder.
	_, err = f.svc.Programme(t.Context(), users["founderA"], progClosed)
	wantCode(t, err, pathway.ENOTFOUND)
	_, err = f.svc.Programme(t.Context(), users["reviewer1"], progClosed)
	must(t, err)
}

func TestWhoMayCreateAndChangeProgrammes(t *testing.T) {
	cases := []struct {
		who    string
		create string // error code, "" for success
		update string
	}{
		{"lead", "", ""},
		{"reviewer1", pathway.EFORBIDDEN, pathway.EFORBIDDEN},
		{"founderA", pathway.EFORBIDDEN, pathway.ENOTFOUND}, // a closed programme is hidden
		{"agency", pathway.EFORBIDDEN, pathway.ENOTFOUND},
		{"otherFund", "", pathway.ENOTFOUND}, // their own is created; ours closed is hidden
	}
	for _, c := range cases {
		t.Run(c.who, func(t *testing.T) {
			f := newFixture(t)
			p := programme("", "", "2027-04-01", "2027-09-30", 5_000_000)
			got, err := f.svc.CreateProgramme(t.Context(), users[c.who], p)
			wantCode(t, err, c.create)
			if err == nil && (got.Funder != users[c.who].Organisation || got.Version != 1 || !strings.HasPrefix(got.ID, "gp-")) {
				t.Errorf("created = %+v", got)
			}
			upd := programme("", "", "2026-01-01", "2026-04-30", 12_000_000)
			got, err = f.svc.UpdateProgramme(t.Context(), users[c.who], progClosed, upd, 0)
			wantCode(t, err, c.update)
			if err == nil && (got.Budget != 12_000_000 || got.Version != 2 || got.Funder != fund) {
				t.Errorf("updated = %+v", got)
			}
		})
	}
}

func TestChangeProgrammeIsVersionChecked(t *testing.T) {
	f := newFixture(t)
	upd := programme("", "", "2026-01-01", "2026-04-30", 12_000_000)
	_, err := f.svc.UpdateProgramme(t.Context(), users["lead"], progClosed, upd, 7)
	wantCode(t, err, pathway.ECONFLICT)
	bad := programme("", "", "2026-01-01", "2026-04-30", 12_000_000)
	bad.Criteria[0].Weight = 10
	_, err = f.svc.UpdateProgramme(t.Context(), users["lead"], progClosed, bad, 0)
	wantCode(t, err, pathway.EINVALID)
	if pathway.ErrorFields(err)["criteria"] == "" {
		t.Errorf("fields = %v, want criteria named", pathway.ErrorFields(err))
	}
}

func TestApplyStoresAndStartsTheWorkflowOnce(t *testing.T) {
	f := newFixture(t)
	id := grantservice.ApplicationID(users["founderA"].ID, "key-1")
	v, err := f.svc.Apply(t.Context(), users["founderA"], id, input(progOpen))
	must(t, err)
	if v.Status != grants.StatusSubmitted || v.Funder != fund || v.CoopSummary.Name != "Co-op "+coopA || len(v.CoopSummary.Founders) != 1 {
		t.Errorf("view = %+v", v)
	}
	starts := f.wf.Starts()
	if len(starts) != 1 || starts[0].Machine != pathway.WorkflowGrant || starts[0].Name != "grant-"+id || string(starts[0].Input) != `{"application":"`+id+`"}` {
		t.Fatalf("starts = %+v", starts)
	}
	// A retry finds the first and starts nothing new.
	again, err := f.svc.Apply(t.Context(), users["founderA"], id, input(progOpen))
	must(t, err)
	if again.ID != id || again.Version != 1 || len(f.wf.Starts()) != 1 {
		t.Errorf("retry: %+v, starts %d", again, len(f.wf.Starts()))
	}
	evs, err := f.st.ListEvents(t.Context(), grants.Subject(id), "", 0)
	must(t, err)
	if len(evs.Events) != 1 || evs.Events[0].Action != grants.ActionSubmitted {
		t.Errorf("events = %+v", evs.Events)
	}
	if pending, _ := f.st.PendingDeliveries(t.Context(), 10); len(pending) != 0 {
		t.Errorf("deliveries left: %+v", pending)
	}
}

func TestApplyRefusals(t *testing.T) {
	f := newFixture(t)
	mod := func(change func(*grantservice.ApplicationInput)) grantservice.ApplicationInput {
		in := input(progOpen)
		change(&in)
		return in
	}
	cases := []struct {
		name   string
		who    string
		in     grantservice.ApplicationInput
		code   string
		fields []string
	}{
		{"not a founder", "agency", input(progOpen), pathway.EFORBIDDEN, nil},
		{"someone else's co-op", "founderB", input(progOpen), pathway.EINVALID, []string{"coop"}},
		{"no such programme", "founderA", mod(func(in *grantservice.ApplicationInput) { in.Programme = "gp-nope" }), pathway.EINVALID, []string{"programme"}},
		{"budget does not add up", "founderA", mod(func(in *grantservice.ApplicationInput) { in.Budget[0].Amount = 1 }), pathway.EINVALID, []string{"budget"}},
		{"no title", "founderA", mod(func(in *grantservice.ApplicationInput) { in.Title = " " }), pathway.EINVALID, []string{"title"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := f.svc.Apply(t.Context(), users[c.who], grantservice.ApplicationID(users[c.who].ID, ""), c.in)
			wantCode(t, err, c.code)
			for _, fl := range c.fields {
				if pathway.ErrorFields(err)[fl] == "" {
					t.Errorf("fields = %v, want %s named", pathway.ErrorFields(err), fl)
				}
			}
		})
	}
	if len(f.wf.Starts()) != 0 {
		t.Errorf("a refused application started a workflow")
	}
}

func TestWhoSeesAnApplication(t *testing.T) {
	f := newFixture(t)
	id := f.apply(t, progOpen)
	f.moveTo(t, id, grants.StatusInReview)
	f.task(t, id, "review-"+id+"-1", grants.TaskReview, pathway.RoleFunder, users["reviewer1"].ID)
	cases := []struct {
		who  string
		want string // "full", "names" or "404"
	}{
		{"founderA", "full"},
		{"founderB", "404"},
		{"agency", "full"},
		{"otherAgcy", "404"},
		{"lead", "full"},
		{"reviewer1", "names"},
		{"staff", "names"},
		{"otherFund", "404"},
		{"commission", "404"},
	}
	for _, c := range cases {
		t.Run(c.who, func(t *testing.T) {
			v, err := f.svc.Application(t.Context(), users[c.who], id)
			switch c.want {
			case "404":
				wantCode(t, err, pathway.ENOTFOUND)
				return
			case "names":
				must(t, err)
				b, _ := json.Marshal(v)
				if !v.Limited || v.Application != nil || strings.Contains(string(b), "Training our first carers") || strings.Contains(string(b), "purpose") {
					t.Errorf("names-only view shows more: %s", b)
				}
				if v.CoopSummary.Name != "Co-op "+coopA || v.CoopSummary.CouncilArea != "Leeds" ||
					!slices.Equal(v.CoopSummary.Members, []string{"Ysolde Brackenridge", "Tobiah Marchant"}) ||
					!slices.Equal(v.CoopSummary.Founders, []string{"Aurelie Fenwright"}) {
					t.Errorf("coopSummary = %+v", v.CoopSummary)
				}
			case "full":
				must(t, err)
				if v.Limited || v.Application == nil || v.Title != "Training our first carers" {
					t.Errorf("full view = %+v", v)
				}
			}
		})
	}
	// Events follow the same rules; a names-only reader must declare first.
	_, err := f.svc.Events(t.Context(), users["reviewer1"], id, "", 0)
	wantCode(t, err, pathway.EFORBIDDEN)
	_, err = f.svc.Events(t.Context(), users["founderB"], id, "", 0)
	wantCode(t, err, pathway.ENOTFOUND)
	evs, err := f.svc.Events(t.Context(), users["agency"], id, "", 0)
	must(t, err)
	if len(evs.Events) == 0 {
		t.Error("agency sees no events")
	}
}

func TestConflictShutsTheReviewerOutForGood(t *testing.T) {
	f := newFixture(t)
	id := f.apply(t, progOpen)
	f.moveTo(t, id, grants.StatusInReview)
	task := f.task(t, id, "review-"+id+"-1", grants.TaskReview, pathway.RoleFunder, users["reviewer1"].ID)
	res, err := f.svc.Declare(t.Context(), users["reviewer1"], id, grants.DeclarationAnswer{Conflict: true, Reason: "My sister is a founding member."})
	must(t, err)
	if !res.Declaration.Conflict || res.Application != nil {
		t.Errorf("result = %+v", res)
	}
	// The review task is answered with the conflict, through the outbox.
	done, err := f.st.GetTask(t.Context(), task.ID)
	must(t, err)
	if done.Status != pathway.TaskCompleted {
		t.Errorf("task status = %s", done.Status)
	}
	answers := f.wf.Answers()
	if len(answers) != 1 || answers[0].Token != task.Token || string(answers[0].Output) != `{"conflict":true,"reason":"My sister is a founding member."}` {
		t.Fatalf("answers = %+v", answers)
	}
	// From now on everything says not found, whatever they try.
	r := users["reviewer1"]
	_, err = f.svc.Application(t.Context(), r, id)
	wantCode(t, err, pathway.ENOTFOUND)
	_, err = f.svc.Events(t.Context(), r, id, "", 0)
	wantCode(t, err, pathway.ENOTFOUND)
	_, err = f.svc.Declare(t.Context(), r, id, grants.DeclarationAnswer{Conflict: false})
	wantCode(t, err, pathway.ENOTFOUND)
	later := f.task(t, id, "review-"+id+"-again", grants.TaskReview, pathway.RoleFunder, r.ID)
	_, _, err = f.svc.TaskToAnswer(t.Context(), r, later.ID)
	wantCode(t, err, pathway.ENOTFOUND)
	page, err := f.svc.Applications(t.Context(), r, progOpen, grants.StatusInReview, "", 0)
	must(t, err)
	if len(page.Applications) != 0 {
		t.Errorf("list shows %d applications to the excluded reviewer", len(page.Applications))
	}
	// A colleague still sees it.
	page, err = f.svc.Applications(t.Context(), users["reviewer2"], progOpen, grants.StatusInReview, "", 0)
	must(t, err)
	if len(page.Applications) != 1 || !page.Applications[0].Limited {
		t.Errorf("colleague's list = %+v", page.Applications)
	}
}

func TestOnlyTheAssignedReviewerDeclares(t *testing.T) {
	f := newFixture(t)
	id := f.apply(t, progOpen)
	f.moveTo(t, id, grants.StatusInReview)
	f.task(t, id, "review-"+id+"-1", grants.TaskReview, pathway.RoleFunder, users["reviewer1"].ID)
	_, err := f.svc.Declare(t.Context(), users["reviewer2"], id, grants.DeclarationAnswer{})
	wantCode(t, err, pathway.EFORBIDDEN)
	_, err = f.svc.Declare(t.Context(), users["founderA"], id, grants.DeclarationAnswer{})
	wantCode(t, err, pathway.ENOTFOUND)
	_, err = f.svc.Declare(t.Context(), users["reviewer1"], id, grants.DeclarationAnswer{Conflict: true})
	wantCode(t, err, pathway.EINVALID)
	if pathway.ErrorFields(err)["reason"] == "" {
		t.Errorf("fields = %v, want reason", pathway.ErrorFields(err))
	}
}

func TestNoConflictThenReview(t *testing.T) {
	f := newFixture(t)
	id := f.apply(t, progOpen)
	f.moveTo(t, id, grants.StatusInReview)
	task := f.task(t, id, "review-"+id+"-1", grants.TaskReview, pathway.RoleFunder, users["reviewer1"].ID)
	review := &grants.ReviewAnswer{Scores: map[string]int{"need": 4, "team": 3}, Comments: map[string]string{"need": "Clear evidence."}, Recommendation: grants.RecommendAward}
	// Scoring before declaring is refused.
	wantCode(t, f.answer(t, users["reviewer1"], task.ID, review), pathway.ECONFLICT)
	// A colleague may not answer another's review.
	wantCode(t, f.answer(t, users["reviewer2"], task.ID, review), pathway.EFORBIDDEN)
	res, err := f.svc.Declare(t.Context(), users["reviewer1"], id, grants.DeclarationAnswer{Conflict: false})
	must(t, err)
	if res.Application == nil || res.Application.Limited || res.Application.Application == nil {
		t.Fatalf("after no conflict: %+v", res.Application)
	}
	if len(f.wf.Answers()) != 0 {
		t.Fatal("no conflict must leave the review task open")
	}
	bad := &grants.ReviewAnswer{Scores: map[string]int{"need": 9}, Recommendation: grants.RecommendAward}
	err = f.answer(t, users["reviewer1"], task.ID, bad)
	wantCode(t, err, pathway.EINVALID)
	if fl := pathway.ErrorFields(err); fl["scores.need"] == "" || fl["scores.team"] == "" {
		t.Errorf("fields = %v", fl)
	}
	must(t, f.answer(t, users["reviewer1"], task.ID, review))
	rs, err := f.gs.Reviews(t.Context(), id)
	must(t, err)
	if len(rs) != 1 || rs[0].Scores["need"] != 4 {
		t.Errorf("reviews = %+v", rs)
	}
	answers := f.wf.Answers()
	var got grants.ReviewAnswer
	must(t, json.Unmarshal(answers[0].Output, &got))
	if len(answers) != 1 || got.Recommendation != grants.RecommendAward || got.Scores["team"] != 3 {
		t.Errorf("answers = %+v", answers)
	}
	wantCode(t, f.answer(t, users["reviewer1"], task.ID, review), pathway.ECONFLICT)
	// The lead now sees the weighted score: (60×4 + 40×3) / 500 = 72.0%.
	v, err := f.svc.Application(t.Context(), users["lead"], id)
	must(t, err)
	if v.WeightedScore == nil || v.WeightedScore.String() != "72.0%" || len(v.Reviews) != 1 {
		t.Errorf("lead's view: score %v, reviews %d", v.WeightedScore, len(v.Reviews))
	}
}

// awaitingDecision returns an application of co-op A to prog awaiting the
// lead's decision, with its decision task.
func (f *fixture) awaitingDecision(t *testing.T, prog string) (string, *pathway.Task) {
	t.Helper()
	id := f.apply(t, prog)
	f.moveTo(t, id, grants.StatusInReview, grants.StatusAwaitingDecision)
	return id, f.task(t, id, "decision-"+id, grants.TaskDecision, pathway.RoleFunderLead, "")
}

func award(amount int64) *grants.DecisionAnswer {
	return &grants.DecisionAnswer{Outcome: grants.OutcomeAward, Amount: amount, Conditions: []string{"Send a report at six months"},
		Tranches: []grants.TrancheAnswer{{Amount: amount / 2, Trigger: grants.TriggerAgreement}, {Amount: amount - amount/2, Trigger: grants.TriggerCQCRegistered}},
		Feedback: "A strong plan."}
}

func TestDecisionRules(t *testing.T) {
	cases := []struct {
		name string
		who  string
		ans  *grants.DecisionAnswer
		code string
	}{
		{"lead awards", "lead", award(400_000), ""},
		{"lead rejects", "lead", &grants.DecisionAnswer{Outcome: grants.OutcomeReject, Feedback: "Not this round."}, ""},
		{"reviewer cannot", "reviewer1", award(400_000), pathway.EFORBIDDEN},
		{"founder cannot", "founderA", award(400_000), pathway.EFORBIDDEN},
		{"other funder's lead sees nothing", "otherFund", award(400_000), pathway.ENOTFOUND},
		{"more than asked", "lead", award(550_000), pathway.EINVALID},
		{"below the range", "lead", award(100_000), pathway.EINVALID},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			id, task := f.awaitingDecision(t, progOpen)
			err := f.answer(t, users[c.who], task.ID, c.ans)
			wantCode(t, err, c.code)
			a, gerr := f.gs.GetApplication(t.Context(), id)
			must(t, gerr)
			b, berr := f.gs.Budget(t.Context(), progOpen)
			must(t, berr)
			switch {
			case c.code != "":
				if a.Status != grants.StatusAwaitingDecision || b.Awarded != 0 || len(f.wf.Answers()) != 0 {
					t.Errorf("a refused decision changed things: %s, awarded %d", a.Status, b.Awarded)
				}
			case c.ans.Outcome == grants.OutcomeAward:
				if a.Status != grants.StatusAwarded || a.Award.Amount != 400_000 || len(a.Award.Tranches) != 2 || b.Awarded != 400_000 || b.Remaining != 9_600_000 {
					t.Errorf("award: %s %+v, budget %+v", a.Status, a.Award, b)
				}
			default:
				if a.Status != grants.StatusRejected || a.Feedback != "Not this round." || b.Awarded != 0 {
					t.Errorf("reject: %s %q", a.Status, a.Feedback)
				}
			}
			if c.code == "" && len(f.wf.Answers()) != 1 {
				t.Errorf("answers = %d, want 1", len(f.wf.Answers()))
			}
		})
	}
}

func TestLeadWithAConflictCannotDecide(t *testing.T) {
	f := newFixture(t)
	id, task := f.awaitingDecision(t, progOpen)
	_, err := f.svc.Declare(t.Context(), users["lead"], id, grants.DeclarationAnswer{Conflict: true, Reason: "I advised the founders."})
	must(t, err)
	for _, ans := range []*grants.DecisionAnswer{award(400_000), {Outcome: grants.OutcomeReject, Feedback: "No."}} {
		err := f.answer(t, users["lead"], task.ID, ans)
		wantCode(t, err, pathway.EFORBIDDEN)
		if !strings.Contains(pathway.ErrorMessage(err), "conflict of interest") {
			t.Errorf("message = %q", pathway.ErrorMessage(err))
		}
	}
	_, err = f.svc.Application(t.Context(), users["lead"], id)
	wantCode(t, err, pathway.ENOTFOUND)
	// Another lead decides.
	must(t, f.answer(t, users["lead2"], task.ID, award(400_000)))
}

func TestOverspendingAwardIsRefused(t *testing.T) {
	f := newFixture(t) // progSmall's budget is £7,000
	_, first := f.awaitingDecision(t, progSmall)
	id2, second := f.awaitingDecision(t, progSmall)
	must(t, f.answer(t, users["lead"], first.ID, award(400_000)))
	err := f.answer(t, users["lead"], second.ID, award(400_000))
	wantCode(t, err, pathway.ECONFLICT)
	if msg := pathway.ErrorFields(err)["amount"]; !strings.Contains(msg, "£3,000 left") || !strings.Contains(msg, "overspend") {
		t.Errorf("amount = %q, message %q", msg, pathway.ErrorMessage(err))
	}
	tk, err := f.st.GetTask(t.Context(), second.ID)
	must(t, err)
	a, err := f.gs.GetApplication(t.Context(), id2)
	must(t, err)
	if tk.Status != pathway.TaskOpen || a.Status != grants.StatusAwaitingDecision {
		t.Errorf("refused award: task %s, application %s", tk.Status, a.Status)
	}
	// Within what is left it goes through.
	must(t, f.answer(t, users["lead"], second.ID, award(300_000)))
	b, err := f.gs.Budget(t.Context(), progSmall)
	must(t, err)
	if b.Awarded != 700_000 || b.Remaining != 0 {
		t.Errorf("budget = %+v", b)
	}
}

func TestAgreementAndPayment(t *testing.T) {
	f := newFixture(t)
	id, dec := f.awaitingDecision(t, progOpen)
	must(t, f.answer(t, users["lead"], dec.ID, award(400_000)))
	agree := f.task(t, id, "agreement-"+id, grants.TaskAgreement, pathway.RoleFounder, "")
	wantCode(t, f.answer(t, users["founderB"], agree.ID, &grants.AgreementAnswer{Outcome: grants.AgreementAccept}), pathway.ENOTFOUND)
	must(t, f.answer(t, users["founderA"], agree.ID, &grants.AgreementAnswer{Outcome: grants.AgreementAccept}))
	a, err := f.gs.GetApplication(t.Context(), id)
	must(t, err)
	if a.Status != grants.StatusActive {
		t.Fatalf("status = %s", a.Status)
	}
	// The workflow releases the first tranche and opens its payment task.
	grants.Release(a, grants.TriggerAgreement, "2027-06-01")
	must(t, f.gs.UpdateApplication(t.Context(), a, nil))
	pay := f.task(t, id, "payment-"+id+"-t1", grants.TaskPayment, pathway.RoleFunder, "")
	wantCode(t, f.answer(t, users["founderA"], pay.ID, &grants.PaymentAnswer{PaidOn: "2027-06-03", Reference: "BACS-0001"}), pathway.EFORBIDDEN)
	must(t, f.answer(t, users["staff"], pay.ID, &grants.PaymentAnswer{PaidOn: "2027-06-03", Reference: "BACS-0001"}))
	b, err := f.svc.Budget(t.Context(), users["staff"], progOpen)
	must(t, err)
	if b.Awarded != 400_000 || b.Paid != 200_000 || b.Remaining != 9_600_000 {
		t.Errorf("budget = %+v", b)
	}
	_, err = f.svc.Budget(t.Context(), users["founderA"], progOpen)
	wantCode(t, err, pathway.ENOTFOUND)
}

func TestDeclineReleasesTheCommitment(t *testing.T) {
	f := newFixture(t)
	id, dec := f.awaitingDecision(t, progOpen)
	must(t, f.answer(t, users["lead"], dec.ID, award(400_000)))
	agree := f.task(t, id, "agreement-"+id, grants.TaskAgreement, pathway.RoleFounder, "")
	must(t, f.answer(t, users["founderA"], agree.ID, &grants.AgreementAnswer{Outcome: grants.AgreementDecline}))
	b, err := f.gs.Budget(t.Context(), progOpen)
	must(t, err)
	a, err := f.gs.GetApplication(t.Context(), id)
	must(t, err)
	if b.Awarded != 0 || a.Status != grants.StatusDeclined {
		t.Errorf("after decline: budget %+v, status %s", b, a.Status)
	}
}

func TestReportsCloseTheGrant(t *testing.T) {
	f := newFixture(t)
	id, dec := f.awaitingDecision(t, progOpen)
	withReport := award(400_000)
	withReport.Reports = []string{"2027-12-01"} // set at award, as the lead does
	must(t, f.answer(t, users["lead"], dec.ID, withReport))
	must(t, f.answer(t, users["founderA"], f.task(t, id, "agreement-"+id, grants.TaskAgreement, pathway.RoleFounder, "").ID, &grants.AgreementAnswer{Outcome: grants.AgreementAccept}))
	a, err := f.gs.GetApplication(t.Context(), id)
	must(t, err)
	if len(a.Reports) != 1 || a.Reports[0].Due != "2027-12-01" || a.Reports[0].Status != grants.ReportDue {
		t.Fatalf("reports set at award = %+v", a.Reports)
	}
	rep := f.task(t, id, "report-"+id+"-r1", grants.TaskReport, pathway.RoleFounder, "")
	must(t, f.answer(t, users["founderA"], rep.ID, &grants.ReportAnswer{Summary: "We trained six carers.", Figures: grants.Figures{PaidJobs: 6, PeopleSupported: 12}}))
	rr := f.task(t, id, "report-review-"+id+"-r1", grants.TaskReportReview, pathway.RoleFunder, "")
	wantCode(t, f.answer(t, users["staff"], rr.ID, &grants.ReportReviewAnswer{Outcome: grants.ReportReviewReturned}), pathway.EINVALID)
	must(t, f.answer(t, users["staff"], rr.ID, &grants.ReportReviewAnswer{Outcome: grants.ReportReviewAccepted}))
	a, err = f.gs.GetApplication(t.Context(), id)
	must(t, err)
	if a.Status != grants.StatusClosed || a.Reports[0].Status != grants.ReportAccepted {
		t.Errorf("status %s, report %+v", a.Status, a.Reports[0])
	}
}

func TestCoopApplicationsForFoundersAndAgency(t *testing.T) {
	f := newFixture(t)
	id := f.apply(t, progOpen)
	for who, want := range map[string]string{"founderA": "", "agency": "", "founderB": pathway.ENOTFOUND, "otherAgcy": pathway.ENOTFOUND, "lead": pathway.ENOTFOUND} {
		apps, err := f.svc.CoopApplications(t.Context(), users[who], coopA)
		wantCode(t, err, want)
		if want == "" && (len(apps) != 1 || apps[0].ID != id) {
			t.Errorf("%s: apps = %+v", who, apps)
		}
	}
}

func TestListApplicationsNeedsProgrammeAndStatus(t *testing.T) {
	f := newFixture(t)
	_, err := f.svc.Applications(t.Context(), users["lead"], "", "nonsense", "", 0)
	wantCode(t, err, pathway.EINVALID)
	if fl := pathway.ErrorFields(err); fl["programme"] == "" || fl["status"] == "" {
		t.Errorf("fields = %v", fl)
	}
	_, err = f.svc.Applications(t.Context(), users["founderA"], progOpen, grants.StatusSubmitted, "", 0)
	wantCode(t, err, pathway.EFORBIDDEN)
	_, err = f.svc.Applications(t.Context(), users["otherFund"], progClosed, grants.StatusSubmitted, "", 0)
	wantCode(t, err, pathway.ENOTFOUND)
	f.apply(t, progOpen)
	page, err := f.svc.Applications(t.Context(), users["lead"], progOpen, grants.StatusSubmitted, "", 0)
	must(t, err)
	if len(page.Applications) != 1 || page.Applications[0].Application == nil {
		t.Errorf("lead's list = %+v", page.Applications)
	}
}

func TestGivingForTheFunderOnly(t *testing.T) {
	f := newFixture(t)
	_, dec := f.awaitingDecision(t, progOpen)
	must(t, f.answer(t, users["lead"], dec.ID, award(400_000)))
	funder, gs, err := f.svc.Giving(t.Context(), users["staff"], fund)
	must(t, err)
	if funder.Prefix != "360G-larkspurfund" || len(gs) != 1 || gs[0].AmountPence != 400_000 || gs[0].Recipient.RegisterNumber != "7654R" {
		t.Errorf("funder %+v grants %+v", funder, gs)
	}
	_, _, err = f.svc.Giving(t.Context(), users["founderA"], fund)
	wantCode(t, err, pathway.ENOTFOUND)
	_, _, err = f.svc.Giving(t.Context(), users["otherFund"], otherFund)
	wantCode(t, err, pathway.EINVALID)
	if fl := pathway.ErrorFields(err); fl["givingPrefix"] == "" || fl["orgId"] == "" {
		t.Errorf("fields = %v", fl)
	}
}

func TestTaskHelpers(t *testing.T) {
	a := &grants.Application{Award: &grants.Award{Tranches: []grants.Tranche{{ID: "t1", Status: grants.TrancheDue}, {ID: "t2", Status: grants.TrancheDue}}},
		Reports: []grants.Report{{ID: "r1", Status: grants.ReportAccepted}, {ID: "r2", Status: grants.ReportDue}}}
	cases := []struct{ id, tranche, report string }{
		{"grant-payment-ga-1-t2", "t2", "r2"},
		{"grant-payment-ga-1", "", "r2"}, // two due tranches: ambiguous
		{"grant-report-ga-1-r1-2", "", "r1"},
	}
	for _, c := range cases {
		tk := &pathway.Task{ID: c.id}
		if got := grantservice.TrancheOf(tk, a); got != c.tranche {
			t.Errorf("TrancheOf(%s) = %q, want %q", c.id, got, c.tranche)
		}
		if got := grantservice.ReportOf(tk, a, grants.ReportDue); got != c.report {
			t.Errorf("ReportOf(%s) = %q, want %q", c.id, got, c.report)
		}
	}
}

// TestTokensNeverShown checks that neither an application's open tasks nor
// an answered task carry the workflow's task token: whoever held it could
// answer the workflow past every rule of the service.
func TestTokensNeverShown(t *testing.T) {
	f := newFixture(t)
	id, task := f.awaitingDecision(t, progOpen)
	v, err := f.svc.Application(t.Context(), users["lead"], id)
	must(t, err)
	if len(v.OpenTasks) != 1 || v.OpenTasks[0].ID != task.ID || v.OpenTasks[0].Token != "" {
		t.Errorf("the lead's view shows open tasks %+v, want the decision without its token", v.OpenTasks)
	}
	tk, a, err := f.svc.TaskToAnswer(t.Context(), users["lead"], task.ID)
	must(t, err)
	done, err := f.svc.Answer(t.Context(), users["lead"], tk, a, award(400_000))
	must(t, err)
	if done.ID != task.ID || done.Token != "" {
		t.Errorf("the answered task is %s with token %q, want none", done.ID, done.Token)
	}
	stored, err := f.st.GetTask(t.Context(), task.ID)
	must(t, err)
	if stored.Token == "" {
		t.Error("the stored task lost its token: only what people see leaves it out")
	}
}
