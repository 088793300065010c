package grants_test

import (
	"encoding/json"
	"testing"

	"github.com/coopcarepathway/pathway/shared/grants"
)

func TestTaskKinds(t *testing.T) {
	want := []string{"grant-review", "grant-decision", "grant-agreement", "grant-payment", "grant-report", "grant-report-review"}
	if len(grants.TaskKinds) != len(want) {
		t.Fatalf("kinds = %v", grants.TaskKinds)
	}
	for i := range want {
		if grants.TaskKinds[i] != want[i] {
			t.Errorf("kind %d = %s, want %s", i, grants.TaskKinds[i], want[i])
		}
	}
}

// validator is any answer with a Validate method.
type validator interface{ Validate() error }

// TestAnswers decodes each answer from the API's JSON and holds it to
// its rules, naming the fields at fault.
func TestAnswers(t *testing.T) {
	tests := []struct {
		name   string
		into   func() validator
		body   string
		fields []string
	}{
		{"decision award", func() validator { return &grants.DecisionAnswer{} },
			`{"outcome":"award","amount":500000,"conditions":["Open a bank account"],"tranches":[{"amount":250000,"trigger":"agreement"},{"amount":250000,"trigger":"date","on":"2027-12-01"}],"feedback":"Good"}`, nil},
		{"decision reject", func() validator { return &grants.DecisionAnswer{} }, `{"outcome":"reject","feedback":"Not this round"}`, nil},
		{"decision reject with an amount", func() validator { return &grants.DecisionAnswer{} }, `{"outcome":"reject","amount":5,"feedback":"No"}`, []string{"outcome"}},
		{"decision without feedback", func() validator { return &grants.DecisionAnswer{} }, `{"outcome":"reject"}`, []string{"feedback"}},
		{"award without amount or tranches", func() validator { return &grants.DecisionAnswer{} }, `{"outcome":"award","feedback":"x"}`, []string{"amount", "tranches"}},
		{"award tranches short", func() validator { return &grants.DecisionAnswer{} },
			`{"outcome":"award","amount":10,"tranches":[{"amount":5,"trigger":"agreement"}],"feedback":"x"}`, []string{"tranches"}},
		{"award date tranche without date", func() validator { return &grants.DecisionAnswer{} },
			`{"outcome":"award","amount":10,"tranches":[{"amount":10,"trigger":"date"}],"feedback":"x"}`, []string{"tranches[0].on"}},
		{"award with reports", func() validator { return &grants.DecisionAnswer{} },
			`{"outcome":"award","amount":10,"tranches":[{"amount":10,"trigger":"report"}],"reports":["2027-12-01","2028-06-01"],"feedback":"x"}`, nil},
		{"report tranche without reports", func() validator { return &grants.DecisionAnswer{} },
			`{"outcome":"award","amount":10,"tranches":[{"amount":10,"trigger":"report"}],"feedback":"x"}`, []string{"reports"}},
		{"report day not a date", func() validator { return &grants.DecisionAnswer{} },
			`{"outcome":"award","amount":10,"tranches":[{"amount":10,"trigger":"agreement"}],"reports":["1 June"],"feedback":"x"}`, []string{"reports[0]"}},
		{"reject with reports", func() validator { return &grants.DecisionAnswer{} }, `{"outcome":"reject","reports":["2027-12-01"],"feedback":"No"}`, []string{"outcome"}},
		{"unknown outcome", func() validator { return &grants.DecisionAnswer{} }, `{"outcome":"maybe","feedback":"x"}`, []string{"outcome"}},
		{"agreement accept", func() validator { return &grants.AgreementAnswer{} }, `{"outcome":"accept"}`, nil},
		{"agreement other", func() validator { return &grants.AgreementAnswer{} }, `{"outcome":"later"}`, []string{"outcome"}},
		{"payment", func() validator { return &grants.PaymentAnswer{} }, `{"paidOn":"2027-06-03","reference":"BACS-1"}`, nil},
		{"payment bad date", func() validator { return &grants.PaymentAnswer{} }, `{"paidOn":"2027-13-03","reference":"BACS-1"}`, []string{"paidOn"}},
		{"report", func() validator { return &grants.ReportAnswer{} },
			`{"summary":"We hired two carers.","figures":{"membersByClass":{"worker":6,"service-user":3},"paidJobs":4,"careHoursPerWeek":120,"peopleSupported":14}}`, nil},
		{"report negative figures", func() validator { return &grants.ReportAnswer{} },
			`{"summary":"x","figures":{"membersByClass":{"worker":-1},"paidJobs":-1,"careHoursPerWeek":-2,"peopleSupported":-3}}`,
			[]string{"figures.membersByClass[worker]", "figures.paidJobs", "figures.careHoursPerWeek", "figures.peopleSupported"}},
		{"report unknown class", func() validator { return &grants.ReportAnswer{} },
			`{"summary":"x","figures":{"membersByClass":{"pirate":1}}}`, []string{"figures.membersByClass[pirate]"}},
		{"report without summary", func() validator { return &grants.ReportAnswer{} }, `{"figures":{}}`, []string{"summary"}},
		{"report accepted", func() validator { return &grants.ReportReviewAnswer{} }, `{"outcome":"accepted"}`, nil},
		{"report returned without comment", func() validator { return &grants.ReportReviewAnswer{} }, `{"outcome":"returned"}`, []string{"comment"}},
		{"report returned", func() validator { return &grants.ReportReviewAnswer{} }, `{"outcome":"returned","comment":"Add the hours"}`, nil},
		{"declaration conflict", func() validator { return &grants.DeclarationAnswer{} }, `{"conflict":true,"reason":"I advise them"}`, nil},
		{"declaration none", func() validator { return &grants.DeclarationAnswer{} }, `{"conflict":false}`, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := tc.into()
			if err := json.Unmarshal([]byte(tc.body), v); err != nil {
				t.Fatal(err)
			}
			err := v.Validate()
			if tc.fields == nil {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			wantFields(t, err, tc.fields...)
		})
	}
}

// TestProgrammeJSON holds the programme's JSON names to the API's.
func TestProgrammeJSON(t *testing.T) {
	b, err := json.Marshal(programme())
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	must(t, json.Unmarshal(b, &m))
	for _, k := range []string{"id", "name", "funder", "budget", "minAward", "maxAward", "opensOn", "closesOn", "rules", "criteria", "reviewersPerApplication", "schedule"} {
		if _, ok := m[k]; !ok {
			t.Errorf("no %q in %s", k, b)
		}
	}
	c := m["criteria"].([]any)[0].(map[string]any)
	for _, k := range []string{"id", "name", "weight"} {
		if _, ok := c[k]; !ok {
			t.Errorf("criterion has no %q", k)
		}
	}
	s := m["schedule"].([]any)[0].(map[string]any)
	if s["share"] != float64(50) || s["trigger"] != "agreement" {
		t.Errorf("schedule = %v", s)
	}
}
