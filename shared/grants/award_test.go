package grants_test

import (
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

func decision(amount int64, tranches ...grants.TrancheAnswer) *grants.DecisionAnswer {
	return &grants.DecisionAnswer{Outcome: grants.OutcomeAward, Amount: amount, Tranches: tranches,
		Conditions: []string{"Send a copy of the CQC registration certificate"}, Feedback: "A strong plan."}
}

// TestNewAwardRules holds each award rule to its field.
func TestNewAwardRules(t *testing.T) {
	half := func(n int64, trig string) grants.TrancheAnswer { return grants.TrancheAnswer{Amount: n, Trigger: trig} }
	tests := []struct {
		name   string
		d      *grants.DecisionAnswer
		fields []string
	}{
		{"the whole request in two tranches", decision(500_000, half(250_000, "agreement"), half(250_000, "cqc-registered")), nil},
		{"less than asked", decision(300_000, half(300_000, "agreement")), nil},
		{"a date tranche with its date", decision(300_000, grants.TrancheAnswer{Amount: 300_000, Trigger: "date", On: "2027-12-01"}), nil},
		{"more than asked", decision(500_001, half(500_001, "agreement")), []string{"amount"}},
		{"below the programme's minimum", decision(199_999, half(199_999, "agreement")), []string{"amount"}},
		{"tranches short", decision(500_000, half(250_000, "agreement"), half(200_000, "report")), []string{"tranches"}},
		{"date tranche without date", decision(500_000, half(500_000, "date")), []string{"tranches[0].on"}},
		{"date on another trigger", decision(500_000, grants.TrancheAnswer{Amount: 500_000, Trigger: "report", On: "2027-12-01"}), []string{"tranches[0].on"}},
		{"unknown trigger", decision(500_000, half(500_000, "whenever")), []string{"tranches[0].trigger"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			aw, err := grants.NewAward(application(), programme(), tc.d, "lead-1", false, day)
			if tc.fields == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				if aw.Amount != tc.d.Amount || aw.DecidedBy != "lead-1" || aw.Tranches[0].ID != "t1" || aw.Tranches[0].Status != grants.TrancheOpen {
					t.Errorf("award = %+v", aw)
				}
				a := application()
				a.Status, a.Award = grants.StatusAwarded, aw
				if err := a.Validate(); err != nil {
					t.Errorf("awarded application invalid: %v", err)
				}
				return
			}
			wantFields(t, err, tc.fields...)
		})
	}
	d := decision(500_000, half(500_000, "agreement"))
	if _, err := grants.NewAward(application(), programme(), d, "lead-1", true, day); pathway.ErrorCode(err) != pathway.EFORBIDDEN {
		t.Errorf("a lead with a conflict decided: %v", err)
	}
}

func TestAwardAmountMessage(t *testing.T) {
	_, err := grants.NewAward(application(), programme(), decision(600_000, grants.TrancheAnswer{Amount: 600_000, Trigger: "agreement"}), "l", false, day)
	if msg := fieldsOf(err)["amount"]; !strings.Contains(msg, "£5,000 asked for") {
		t.Errorf("message = %q", msg)
	}
}

func TestApplicationBudgetAddsUp(t *testing.T) {
	a := application()
	a.Budget[1].Amount = 100_000
	err := a.Validate()
	wantFields(t, err, "budget")
	if msg := fieldsOf(err)["budget"]; !strings.Contains(msg, "add up to £4,000, but the amount asked for is £5,000") {
		t.Errorf("message = %q", msg)
	}
	a = application()
	a.Award = &grants.Award{Amount: 100, Tranches: []grants.Tranche{{ID: "t1", Amount: 90, Trigger: "agreement", Status: "open"}}}
	wantFields(t, a.Validate(), "award.tranches")
}

func TestScheduleTranches(t *testing.T) {
	p := programme()
	p.Schedule = []grants.ScheduleShare{{Share: 33, Trigger: "agreement"}, {Share: 33, Trigger: "date", Months: 6}, {Share: 34, Trigger: "report"}}
	got := grants.ScheduleTranches(p, 100_001, "2027-06-01")
	if got[0].Amount != 33_000 || got[1].Amount != 33_000 || got[2].Amount != 34_001 {
		t.Errorf("amounts = %+v", got)
	}
	if got[1].On != "2027-12-01" || got[0].On != "" {
		t.Errorf("dates = %+v", got)
	}
}

func awarded() *grants.Application {
	a := application()
	a.Status = grants.StatusActive
	a.Award = &grants.Award{Amount: 500_000, Tranches: []grants.Tranche{
		{ID: "t1", Amount: 200_000, Trigger: "agreement", Status: "open"},
		{ID: "t2", Amount: 100_000, Trigger: "date", On: "2027-12-01", Status: "open"},
		{ID: "t3", Amount: 100_000, Trigger: "date", On: "2028-06-01", Status: "open"},
		{ID: "t4", Amount: 50_000, Trigger: "cqc-registered", Status: "open"},
		{ID: "t5", Amount: 25_000, Trigger: "report", Status: "open"},
		{ID: "t6", Amount: 25_000, Trigger: "report", Status: "open"},
	}}
	return a
}

func TestRelease(t *testing.T) {
	tests := []struct {
		trigger, today string
		want           []string
	}{
		{"agreement", "2027-06-01", []string{"t1"}},
		{"date", "2027-11-30", nil},
		{"date", "2027-12-01", []string{"t2"}},
		{"date", "2028-06-01", []string{"t2", "t3"}},
		{"cqc-registered", "2027-06-01", []string{"t4"}},
		{"report", "2027-06-01", []string{"t5"}},
	}
	for _, tc := range tests {
		a := awarded()
		got := grants.Release(a, tc.trigger, tc.today)
		if strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s on %s: released %v, want %v", tc.trigger, tc.today, got, tc.want)
		}
		for _, id := range got {
			if a.Tranche(id).Status != grants.TrancheDue {
				t.Errorf("%s not due", id)
			}
		}
		again := grants.Release(a, tc.trigger, tc.today)
		if tc.trigger == grants.TriggerReport {
			if len(again) != 1 || again[0] != "t6" {
				t.Errorf("a second report released %v, want t6", again)
			}
			continue
		}
		if len(again) != 0 {
			t.Errorf("released twice: %v", again)
		}
	}
	if err := awarded().Validate(); err != nil {
		t.Fatalf("fixture invalid: %v", err)
	}
}

func TestPay(t *testing.T) {
	a := awarded()
	pay := &grants.PaymentAnswer{PaidOn: "2027-06-03", Reference: "BACS-0001"}
	if err := grants.Pay(a, "t1", pay); pathway.ErrorCode(err) != pathway.ECONFLICT {
		t.Errorf("paid an open tranche: %v", err)
	}
	grants.Release(a, "agreement", "2027-06-01")
	must(t, grants.Pay(a, "t1", pay))
	if tr := a.Tranche("t1"); tr.Status != grants.TranchePaid || tr.PaidOn != "2027-06-03" || tr.Reference != "BACS-0001" {
		t.Errorf("tranche = %+v", tr)
	}
	if err := grants.Pay(a, "t1", pay); pathway.ErrorCode(err) != pathway.ECONFLICT || !strings.Contains(err.Error(), "3 June 2027") {
		t.Errorf("paid twice: %v", err)
	}
	if err := grants.Pay(a, "t9", pay); pathway.ErrorCode(err) != pathway.ENOTFOUND {
		t.Errorf("unknown tranche: %v", err)
	}
	wantFields(t, grants.Pay(a, "t4", &grants.PaymentAnswer{PaidOn: "3 June", Reference: ""}), "paidOn", "reference")
}

func TestCheckCommit(t *testing.T) {
	b := grants.Budget{Budget: 1_000_000, Awarded: 700_000}
	must(t, b.CheckCommit(300_000))
	err := b.CheckCommit(300_001)
	if pathway.ErrorCode(err) != pathway.ECONFLICT || pathway.ErrorMessage(err) != "The programme has £3,000 left; this award of £3,000.01 would overspend it." {
		t.Errorf("err = %v", err)
	}
}
