package asl

import (
	"testing"
)

// choose parses one rule into a Choice state (match → "Yes", Default "No").
func choose(t *testing.T, rule, input string) (string, error) {
	t.Helper()
	d := mustParse(t, machine("C", `"C":{"Type":"Choice","Choices":[`+rule[:len(rule)-1]+`,"Next":"Yes"}],"Default":"No"},
		"Yes":{"Type":"Succeed"},"No":{"Type":"Succeed"}`))
	return d.States["C"].ChooseCtx(js(t, input), js(t, `{"Execution":{"Name":"run-1"}}`))
}

func TestChoiceOperators(t *testing.T) {
	in := `{"s":"beta","n":5,"f":2.5,"b":true,"t":"2026-03-14T01:59:00Z","nul":null,
		"s2":"alpha","n2":5.0,"f2":3,"b2":false,"t2":"2026-03-14T02:00:00+00:00","bad":"2026-03-14 01:59:00",
		"file":"log-2026-*.txt","big":9007199254740993,"big2":9007199254740992,"arr":[1]}`
	tests := []struct {
		rule string
		want bool
	}{
		{`{"Variable":"$.s","StringEquals":"beta"}`, true},
		{`{"Variable":"$.s","StringEquals":"Beta"}`, false},
		{`{"Variable":"$.n","StringEquals":"5"}`, false}, // type mismatch is false
		{`{"Variable":"$.s","StringLessThan":"gamma"}`, true},
		{`{"Variable":"$.s","StringGreaterThan":"alpha"}`, true},
		{`{"Variable":"$.s","StringLessThanEquals":"beta"}`, true},
		{`{"Variable":"$.s","StringGreaterThanEquals":"c"}`, false},
		{`{"Variable":"$.s","StringEqualsPath":"$.s2"}`, false},
		{`{"Variable":"$.s","StringGreaterThanPath":"$.s2"}`, true},
		{`{"Variable":"$.s","StringLessThanPath":"$.s2"}`, false},
		{`{"Variable":"$.s","StringLessThanEqualsPath":"$.s"}`, true},
		{`{"Variable":"$.s","StringGreaterThanEqualsPath":"$.n"}`, false},
		{`{"Variable":"$.n","NumericEquals":5}`, true},
		{`{"Variable":"$.n","NumericEquals":5.0}`, true},
		{`{"Variable":"$.s","NumericEquals":5}`, false},
		{`{"Variable":"$.f","NumericLessThan":3}`, true},
		{`{"Variable":"$.f","NumericGreaterThan":2.5}`, false},
		{`{"Variable":"$.f","NumericLessThanEquals":2.5}`, true},
		{`{"Variable":"$.f","NumericGreaterThanEquals":2.6}`, false},
		{`{"Variable":"$.n","NumericEqualsPath":"$.n2"}`, true},
		{`{"Variable":"$.f","NumericLessThanPath":"$.f2"}`, true},
		{`{"Variable":"$.f","NumericGreaterThanPath":"$.f2"}`, false},
		{`{"Variable":"$.n","NumericLessThanEqualsPath":"$.n2"}`, true},
		{`{"Variable":"$.n","NumericGreaterThanEqualsPath":"$.s"}`, false},
		{`{"Variable":"$.big","NumericGreaterThanPath":"$.big2"}`, true}, // integers compare exactly
		{`{"Variable":"$.b","BooleanEquals":true}`, true},
		{`{"Variable":"$.s","BooleanEquals":true}`, false},
		{`{"Variable":"$.b","BooleanEqualsPath":"$.b2"}`, false},
		{`{"Variable":"$.t","TimestampEquals":"2026-03-14T01:59:00Z"}`, true},
		{`{"Variable":"$.t","TimestampEquals":"2026-03-14T02:59:00+01:00"}`, true},
		{`{"Variable":"$.bad","TimestampEquals":"2026-03-14T01:59:00Z"}`, false},
		{`{"Variable":"$.n","TimestampLessThan":"2026-03-14T01:59:00Z"}`, false},
		{`{"Variable":"$.t","TimestampLessThan":"2026-03-14T02:00:00Z"}`, true},
		{`{"Variable":"$.t","TimestampGreaterThan":"2026-03-14T02:00:00Z"}`, false},
		{`{"Variable":"$.t","TimestampLessThanEquals":"2026-03-14T01:59:00Z"}`, true},
		{`{"Variable":"$.t","TimestampGreaterThanEquals":"2026-03-14T01:59:00.5Z"}`, false},
		{`{"Variable":"$.t","TimestampEqualsPath":"$.t2"}`, false},
		{`{"Variable":"$.t","TimestampLessThanPath":"$.t2"}`, true},
		{`{"Variable":"$.t","TimestampGreaterThanPath":"$.t2"}`, false},
		{`{"Variable":"$.t","TimestampLessThanEqualsPath":"$.t"}`, true},
		{`{"Variable":"$.t2","TimestampGreaterThanEqualsPath":"$.t"}`, true},
		{`{"Variable":"$.nul","IsNull":true}`, true},
		{`{"Variable":"$.s","IsNull":true}`, false},
		{`{"Variable":"$.s","IsNull":false}`, true},
		{`{"Variable":"$.s","IsPresent":true}`, true},
		{`{"Variable":"$.missing","IsPresent":true}`, false},
		{`{"Variable":"$.missing","IsPresent":false}`, true},
		{`{"Variable":"$.nul","IsPresent":true}`, true},
		{`{"Variable":"$.f","IsNumeric":true}`, true},
		{`{"Variable":"$.s","IsNumeric":true}`, false},
		{`{"Variable":"$.s","IsString":true}`, true},
		{`{"Variable":"$.arr","IsString":true}`, false},
		{`{"Variable":"$.b","IsBoolean":true}`, true},
		{`{"Variable":"$.nul","IsBoolean":true}`, false},
		{`{"Variable":"$.t","IsTimestamp":true}`, true},
		{`{"Variable":"$.bad","IsTimestamp":true}`, false},
		{`{"Variable":"$.s","IsTimestamp":false}`, true},
		{`{"Variable":"$$.Execution.Name","StringEquals":"run-1"}`, true},
		{`{"Variable":"$.s","StringMatches":"b*"}`, true},
		{`{"Variable":"$.s","StringMatches":"*et*"}`, true},
		{`{"Variable":"$.s","StringMatches":"*a"}`, true},
		{`{"Variable":"$.s","StringMatches":"b*t*a"}`, true},
		{`{"Variable":"$.s","StringMatches":"b*x"}`, false},
		{`{"Variable":"$.s","StringMatches":"beta*"}`, true},
		{`{"Variable":"$.s","StringMatches":"*"}`, true},
		{`{"Variable":"$.s","StringMatches":"bet"}`, false},
		{`{"Variable":"$.file","StringMatches":"log-*-\\*.txt"}`, true},
		{`{"Variable":"$.file","StringMatches":"log-2026-\\*.txt"}`, true},
		{`{"Variable":"$.s2","StringMatches":"log-2026-\\*.txt"}`, false},
		{`{"Variable":"$.n","StringMatches":"*"}`, false},
		{`{"And":[{"Variable":"$.n","NumericGreaterThan":1},{"Variable":"$.s","StringEquals":"beta"}]}`, true},
		{`{"And":[{"Variable":"$.n","NumericGreaterThan":1},{"Variable":"$.s","StringEquals":"x"}]}`, false},
		{`{"Or":[{"Variable":"$.n","NumericGreaterThan":9},{"Variable":"$.s","StringEquals":"beta"}]}`, true},
		{`{"Or":[{"Variable":"$.n","NumericGreaterThan":9},{"Variable":"$.s","StringEquals":"x"}]}`, false},
		{`{"Not":{"Variable":"$.s","StringEquals":"beta"}}`, false},
		{`{"Not":{"Not":{"Variable":"$.s","StringEquals":"beta"}}}`, true},
		// Short-circuit: the second rule would fail on a missing variable.
		{`{"Or":[{"Variable":"$.b","BooleanEquals":true},{"Variable":"$.missing","IsString":true}]}`, true},
		{`{"And":[{"Variable":"$.missing","IsPresent":true},{"Variable":"$.missing","IsString":true}]}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			next, err := choose(t, tt.rule, in)
			if err != nil {
				t.Fatal(err)
			}
			if got := next == "Yes"; got != tt.want {
				t.Errorf("matched = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestChoiceMissingVariableIsRuntimeError(t *testing.T) {
	for _, rule := range []string{
		`{"Variable":"$.missing","StringEquals":"x"}`,
		`{"Variable":"$.missing","IsNull":true}`,
		`{"Variable":"$.s","StringEqualsPath":"$.missing"}`,
		`{"Not":{"Variable":"$.missing","NumericEquals":1}}`,
	} {
		_, err := choose(t, rule, `{"s":"x"}`)
		wantStatesError(t, err, ErrRuntime)
	}
}

// The specification's Choice example.
func TestChoiceSpecExample(t *testing.T) {
	d := mustParse(t, machine("ChoiceStateX", `"ChoiceStateX":{"Type":"Choice","Choices":[
		{"Not":{"Variable":"$.type","StringEquals":"Private"},"Next":"Public"},
		{"And":[{"Variable":"$.value","IsPresent":true},{"Variable":"$.value","IsNumeric":true},
			{"Variable":"$.value","NumericGreaterThanEquals":20},{"Variable":"$.value","NumericLessThan":30}],
		 "Next":"ValueInTwenties"},
		{"Variable":"$.rating","NumericGreaterThanPath":"$.auditThreshold","Next":"StartAudit"}],
		"Default":"RecordEvent"},
		"Public":{"Type":"Succeed"},"ValueInTwenties":{"Type":"Succeed"},"StartAudit":{"Type":"Succeed"},"RecordEvent":{"Type":"Succeed"}`))
	st := d.States["ChoiceStateX"]
	for _, tt := range []struct{ input, want string }{
		{`{"type":"Public"}`, "Public"},
		{`{"type":"Private","value":25}`, "ValueInTwenties"},
		{`{"type":"Private","value":"25","rating":5,"auditThreshold":3}`, "StartAudit"},
		{`{"type":"Private","value":35,"rating":1,"auditThreshold":3}`, "RecordEvent"},
	} {
		got, err := st.Choose(js(t, tt.input))
		if err != nil {
			t.Fatalf("%s: %v", tt.input, err)
		}
		if got != tt.want {
			t.Errorf("%s: next = %s, want %s", tt.input, got, tt.want)
		}
	}
}

func TestChoiceNoMatchWithoutDefault(t *testing.T) {
	d := mustParse(t, machine("C", `"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"D"}]},
		"D":{"Type":"Succeed"}`))
	_, err := d.States["C"].Choose(js(t, `{"n":2}`))
	wantStatesError(t, err, ErrNoChoiceMatched)
}
