package tenderservice_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// TestCancelDuringEvaluation: the lead cancels a tender under evaluation:
// status, reason, UK12 dated today and the event are stored together;
// the bidders' founders get an email each; every open task is answered
// {"cancelled":true} through the outbox; a retry changes nothing.
func TestCancelDuringEvaluation(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	id := f.published(t)
	bidA := f.bid(t, "founderA", id, coopA, 50_000_00)
	bidB := f.bid(t, "founderB", id, coopB, 55_000_00)
	f.closeTenders(t, id)
	ev1 := f.task(t, tenders.BidSubject(bidA), id+".tender-evaluation.a", tenders.TaskEvaluation, pathway.RoleCommissioner, users["eval1"].ID)
	ev2 := f.task(t, tenders.BidSubject(bidB), id+".tender-evaluation.b", tenders.TaskEvaluation, pathway.RoleCommissioner, users["eval2"].ID)

	_, err := f.svc.Cancel(ctx, users["eval1"], id, "Budget withdrawn.")
	wantCode(t, err, pathway.EFORBIDDEN) // not a lead
	_, err = f.svc.Cancel(ctx, users["other"], id, "Budget withdrawn.")
	wantCode(t, err, pathway.ENOTFOUND) // another council's lead
	_, err = f.svc.Cancel(ctx, users["lead"], id, " ")
	wantCode(t, err, pathway.EINVALID)

	f.clock.set(start.Add(12 * 24 * time.Hour))
	v, err := f.svc.Cancel(ctx, users["lead"], id, "The council's budget for this service was withdrawn.")
	must(t, err)
	td, err := f.ts.GetTender(ctx, id)
	must(t, err)
	if v.Status != tenders.StatusCancelled || td.Status != tenders.StatusCancelled || td.Cancellation == nil ||
		td.Cancellation.Reason != "The council's budget for this service was withdrawn." || td.Cancellation.By != users["lead"].ID {
		t.Fatalf("cancelled %s %+v", td.Status, td.Cancellation)
	}
	if n, ok := td.NoticeOf(tenders.NoticeTermination); !ok || n.PublishedOn != "2027-06-13" {
		t.Errorf("UK12 %v %+v", ok, n)
	}
	for _, tk := range []*pathway.Task{ev1, ev2} {
		got, err := f.st.GetTask(ctx, tk.ID)
		must(t, err)
		if got.Status != pathway.TaskCompleted || string(got.Outcome) != `{"cancelled":true}` {
			t.Errorf("task %s %s %s", tk.ID, got.Status, got.Outcome)
		}
	}
	answers := f.wf.Answers()
	if len(answers) != 2 || string(answers[0].Output) != `{"cancelled":true}` {
		t.Errorf("answers = %+v", answers)
	}
	pending, err := f.st.PendingMail(ctx, 50)
	must(t, err)
	mailed := map[string]bool{}
	for _, d := range pending {
		if d.Mail != nil && strings.Contains(d.Mail.Detail, "budget for this service was withdrawn") {
			mailed[d.Mail.Coop] = d.Mail.Audience == pathway.AudienceFounders
		}
	}
	if len(mailed) != 2 || !mailed[coopA] || !mailed[coopB] {
		t.Errorf("founders told: %v", mailed)
	}
	page, err := f.svc.Events(ctx, users["lead"], id, "", 0)
	must(t, err)
	last := page.Events[len(page.Events)-1]
	if last.Action != tenderservice.ActionCancelled || last.From != tenders.StatusEvaluation || last.To != tenders.StatusCancelled {
		t.Errorf("last event %+v", last)
	}

	// A retry: no change, no second answer, no second email.
	_, err = f.svc.Cancel(ctx, users["lead"], id, "Another reason.")
	must(t, err)
	again, err := f.ts.GetTender(ctx, id)
	must(t, err)
	if again.Version != td.Version || again.Cancellation.Reason != td.Cancellation.Reason || len(again.Notices) != len(td.Notices) {
		t.Errorf("the retry changed the tender: %+v", again)
	}
	if n := len(f.wf.Answers()); n != 2 {
		t.Errorf("%d answers after the retry, want 2", n)
	}
	if p, _ := f.st.PendingMail(ctx, 50); len(p) != len(pending) {
		t.Errorf("%d deliveries after the retry, want %d", len(p), len(pending))
	}
	// Founders read the tender cancelled, with the reason.
	fv, err := f.svc.Tender(ctx, users["founderA"], id)
	must(t, err)
	if fv.Status != tenders.StatusCancelled || fv.Cancellation == nil || fv.Cancellation.Reason == "" || fv.Cancellation.By != "" {
		t.Errorf("founder sees %s %+v", fv.Status, fv.Cancellation)
	}
}

// TestCancelDraftAndTooLate: a draft is cancelled without a UK12 (no
// tender notice was published); once the contract may be entered into,
// the tender can no longer be cancelled.
func TestCancelDraftAndTooLate(t *testing.T) {
	f := newFixture(t)
	ctx := t.Context()
	v, err := f.svc.CreateTender(ctx, users["lead"], input())
	must(t, err)
	_, err = f.svc.Cancel(ctx, users["lead"], v.ID, "Written by mistake.")
	must(t, err)
	td, err := f.ts.GetTender(ctx, v.ID)
	must(t, err)
	if _, ok := td.NoticeOf(tenders.NoticeTermination); td.Status != tenders.StatusCancelled || ok || len(f.wf.Starts()) != 0 {
		t.Errorf("draft cancelled: %s, notices %+v", td.Status, td.Notices)
	}

	id := f.published(t)
	f.closeTenders(t, id)
	f.moveTo(t, id, tenders.StatusModeration, tenders.StatusAward, tenders.StatusContracting)
	_, err = f.svc.Cancel(ctx, users["lead"], id, "Too late.")
	wantCode(t, err, pathway.ECONFLICT)
	if td, _ := f.ts.GetTender(ctx, id); td.Status != tenders.StatusContracting || td.Cancellation != nil {
		t.Errorf("contracting tender became %s", td.Status)
	}
}
