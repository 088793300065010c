package tenderservice_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// TestPublishStoresNoticeAndStart: publishing stores status open, the UK4
// notice dated today and the start of the execution tender-<id> with
// {"tender":"<id>"}; publishing again starts nothing more.
func TestPublishStoresNoticeAndStart(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	v, err := f.svc.CreateTender(ctx, users["lead"], input())
	must(t, err)
	if v.Status != tenders.StatusDraft || v.Council != council || v.Standstill != (tenders.Standstill{Applies: true, WorkingDays: 8}) {
		t.Fatalf("created %+v", v.Tender)
	}
	_, err = f.svc.Tender(ctx, users["founderA"], v.ID)
	wantCode(t, err, pathway.ENOTFOUND) // a draft is the council's alone
	in := input()
	in.Title = "Home care in two areas"
	_, err = f.svc.UpdateTender(ctx, users["lead"], v.ID, in, 7)
	wantCode(t, err, pathway.ECONFLICT) // not the version stored
	up, err := f.svc.UpdateTender(ctx, users["lead"], v.ID, in, 1)
	must(t, err)
	if up.Title != "Home care in two areas" || up.Version != 2 || up.CreatedBy != users["lead"].ID {
		t.Errorf("updated %+v", up.Tender)
	}
	_, err = f.svc.Publish(ctx, users["eval1"], v.ID)
	wantCode(t, err, pathway.EFORBIDDEN)
	for range 2 {
		_, err = f.svc.Publish(ctx, users["lead"], v.ID)
		must(t, err)
	}
	got, err := f.ts.GetTender(ctx, v.ID)
	must(t, err)
	if got.Status != tenders.StatusOpen || len(got.Notices) != 1 || got.Notices[0] != (tenders.Notice{Type: "UK4", PublishedOn: "2027-06-01"}) {
		t.Errorf("published %s %+v", got.Status, got.Notices)
	}
	starts := f.wf.Starts()
	if len(starts) != 1 || starts[0].Machine != pathway.WorkflowTender || starts[0].Name != "tender-"+v.ID || string(starts[0].Input) != `{"tender":"`+v.ID+`"}` {
		t.Errorf("starts = %+v", starts)
	}
	_, err = f.svc.UpdateTender(ctx, users["lead"], v.ID, input(), 0)
	wantCode(t, err, pathway.ECONFLICT) // published: no more changes
	page, err := f.svc.Events(ctx, users["eval1"], v.ID, "", 0)
	must(t, err)
	if len(page.Events) != 3 || page.Events[2].Action != tenderservice.ActionPublished {
		t.Errorf("trail = %+v", page.Events)
	}
	_, err = f.svc.Events(ctx, users["founderA"], v.ID, "", 0)
	wantCode(t, err, pathway.EFORBIDDEN)
}

// TestCreateTenderRefusesNamingTheField: bad input is EINVALID naming the field.
func TestCreateTenderRefusesNamingTheField(t *testing.T) {
	f := newFixture(t)
	for name, c := range map[string]struct {
		change func(*tenderservice.TenderInput)
		field  string
	}{
		"weights":   {func(in *tenderservice.TenderInput) { in.Criteria[0].Weight = 10 }, "criteria"},
		"no title":  {func(in *tenderservice.TenderInput) { in.Title = "" }, "title"},
		"lots' sum": {func(in *tenderservice.TenderInput) { in.Lots[0].Value = 1 }, "value"},
		"council":   {func(in *tenderservice.TenderInput) { in.Council = otherCouncil }, "council"},
	} {
		t.Run(name, func(t *testing.T) {
			in := input()
			c.change(in)
			_, err := f.svc.CreateTender(t.Context(), users["lead"], in)
			wantCode(t, err, pathway.EINVALID)
			if pathway.ErrorFields(err)[c.field] == "" {
				t.Errorf("fields = %v, want %s", pathway.ErrorFields(err), c.field)
			}
		})
	}
	_, err := f.svc.CreateTender(t.Context(), users["eval1"], input())
	wantCode(t, err, pathway.EFORBIDDEN)
}

// TestTenderListsByRole: council staff list their council's tenders (a
// draft too); founders the open ones with whether each co-op can bid.
func TestTenderListsByRole(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	id := f.published(t)
	_, err := f.svc.CreateTender(ctx, users["lead"], input())
	must(t, err)
	mine, err := f.svc.Tenders(ctx, users["eval1"])
	must(t, err)
	other, err := f.svc.Tenders(ctx, users["other"])
	must(t, err)
	if len(mine) != 2 || len(other) != 0 {
		t.Errorf("council sees %d, another council %d", len(mine), len(other))
	}
	for founder, want := range map[string]bool{"founderA": true, "founderC": false} {
		open, err := f.svc.Tenders(ctx, users[founder])
		must(t, err)
		if len(open) != 1 || open[0].ID != id || len(open[0].Coops) != 1 || open[0].Coops[0].CanBid != want || open[0].Evaluators != nil {
			t.Fatalf("%s sees %+v", founder, open)
		}
		if !want && (len(open[0].Coops[0].Reasons) == 0 || open[0].Coops[0].Reasons[0].Rule != tenders.RuleNotRegistered) {
			t.Errorf("reasons = %+v", open[0].Coops[0].Reasons)
		}
	}
}

// TestQuestionsAnsweredWithoutTheAsker: a founder asks before the
// deadline for questions; the council answers; another bidder reads the
// answer without who asked; after the deadline no one asks.
func TestQuestionsAnsweredWithoutTheAsker(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	id := f.published(t)
	q, err := f.svc.Ask(ctx, users["founderA"], id, tenderservice.QuestionInput{Question: "May we bid for one lot only?", Coop: coopA})
	must(t, err)
	_, err = f.svc.Ask(ctx, users["founderA"], id, tenderservice.QuestionInput{Question: "Again?", Coop: coopB})
	wantCode(t, err, pathway.EINVALID)
	_, err = f.svc.AnswerQuestion(ctx, users["founderB"], id, q.ID, tenderservice.AnswerInput{Answer: "Yes."})
	wantCode(t, err, pathway.EFORBIDDEN)
	_, err = f.svc.AnswerQuestion(ctx, users["eval1"], id, q.ID, tenderservice.AnswerInput{})
	wantCode(t, err, pathway.EINVALID)
	_, err = f.svc.AnswerQuestion(ctx, users["eval1"], id, q.ID, tenderservice.AnswerInput{Answer: "Yes: price each lot you bid for."})
	must(t, err)
	qs, err := f.svc.Questions(ctx, users["founderB"], id)
	must(t, err)
	if len(qs) != 1 || qs[0].Answer == "" || qs[0].Asker != "" || qs[0].Coop != "" || qs[0].AnsweredBy != "" {
		t.Errorf("bidder reads %+v", qs)
	}
	b, _ := json.Marshal(qs)
	if strings.Contains(string(b), users["founderA"].ID) || strings.Contains(string(b), coopA) {
		t.Errorf("the asker shows: %s", b)
	}
	f.clock.set(start.Add(6 * 24 * time.Hour))
	_, err = f.svc.Ask(ctx, users["founderB"], id, tenderservice.QuestionInput{Question: "Too late?"})
	wantCode(t, err, pathway.ECONFLICT)
}
