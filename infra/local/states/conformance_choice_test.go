package states_test

import (
	"testing"

	"github.com/coopcarepathway/pathway/infra/local/states"
)

// choiceMachine routes to Yes when rule matches, else to No.
func choiceMachine(rule string) string {
	return `{"StartAt":"C","States":{
		"C":{"Type":"Choice","Choices":[` + rule + `],"Default":"No"},
		"Yes":{"Type":"Pass","Result":"yes","End":true},
		"No":{"Type":"Pass","Result":"no","End":true}}}`
}

// Every comparison operator, its Path form and the type tests, through a
// running machine.
func TestChoiceOperators(t *testing.T) {
	in := `{"s":"apple","s2":"banana","n":10,"f":10.0,"m":7.5,"b":true,"b2":false,"nul":null,
		"ts":"2026-03-02T09:00:00Z","ts2":"2026-03-02T10:00:00.5Z","star":"a*b","file":"report-2026.csv","obj":{"k":1}}`
	tests := []struct {
		rule string
		yes  bool
	}{
		{`"Variable":"$.s","StringEquals":"apple"`, true},
		{`"Variable":"$.s","StringEquals":"Apple"`, false},
		{`"Variable":"$.s","StringEqualsPath":"$.s2"`, false},
		{`"Variable":"$.s","StringLessThan":"banana"`, true},
		{`"Variable":"$.s","StringLessThanPath":"$.s2"`, true},
		{`"Variable":"$.s","StringGreaterThan":"apple"`, false},
		{`"Variable":"$.s2","StringGreaterThanPath":"$.s"`, true},
		{`"Variable":"$.s","StringLessThanEquals":"apple"`, true},
		{`"Variable":"$.s","StringLessThanEqualsPath":"$.s"`, true},
		{`"Variable":"$.s","StringGreaterThanEquals":"apples"`, false},
		{`"Variable":"$.s2","StringGreaterThanEqualsPath":"$.s"`, true},
		{`"Variable":"$.file","StringMatches":"report-*.csv"`, true},
		{`"Variable":"$.file","StringMatches":"*.txt"`, false},
		{`"Variable":"$.star","StringMatches":"a\\*b"`, true},
		{`"Variable":"$.file","StringMatches":"report\\*"`, false},
		{`"Variable":"$.n","NumericEquals":10`, true},
		{`"Variable":"$.f","NumericEqualsPath":"$.n"`, true},
		{`"Variable":"$.n","NumericLessThan":10`, false},
		{`"Variable":"$.m","NumericLessThanPath":"$.n"`, true},
		{`"Variable":"$.n","NumericGreaterThan":7.5`, true},
		{`"Variable":"$.m","NumericGreaterThanPath":"$.n"`, false},
		{`"Variable":"$.n","NumericLessThanEquals":10`, true},
		{`"Variable":"$.n","NumericLessThanEqualsPath":"$.m"`, false},
		{`"Variable":"$.m","NumericGreaterThanEquals":7.5`, true},
		{`"Variable":"$.n","NumericGreaterThanEqualsPath":"$.f"`, true},
		{`"Variable":"$.b","BooleanEquals":true`, true},
		{`"Variable":"$.b","BooleanEqualsPath":"$.b2"`, false},
		{`"Variable":"$.ts","TimestampEquals":"2026-03-02T09:00:00Z"`, true},
		{`"Variable":"$.ts","TimestampEqualsPath":"$.ts2"`, false},
		{`"Variable":"$.ts","TimestampLessThan":"2026-03-02T09:00:01Z"`, true},
		{`"Variable":"$.ts","TimestampLessThanPath":"$.ts2"`, true},
		{`"Variable":"$.ts2","TimestampGreaterThan":"2026-03-02T10:00:00Z"`, true},
		{`"Variable":"$.ts","TimestampGreaterThanPath":"$.ts2"`, false},
		{`"Variable":"$.ts","TimestampLessThanEquals":"2026-03-02T09:00:00Z"`, true},
		{`"Variable":"$.ts","TimestampLessThanEqualsPath":"$.ts"`, true},
		{`"Variable":"$.ts","TimestampGreaterThanEquals":"2026-03-02T09:00:01Z"`, false},
		{`"Variable":"$.ts2","TimestampGreaterThanEqualsPath":"$.ts"`, true},
		{`"Variable":"$.nul","IsNull":true`, true},
		{`"Variable":"$.s","IsNull":true`, false},
		{`"Variable":"$.nope","IsPresent":false`, true},
		{`"Variable":"$.nul","IsPresent":true`, true},
		{`"Variable":"$.m","IsNumeric":true`, true},
		{`"Variable":"$.s","IsNumeric":true`, false},
		{`"Variable":"$.s","IsString":true`, true},
		{`"Variable":"$.obj","IsString":false`, true},
		{`"Variable":"$.b2","IsBoolean":true`, true},
		{`"Variable":"$.ts","IsTimestamp":true`, true},
		{`"Variable":"$.s","IsTimestamp":true`, false},
		// A comparison of the wrong type is false, not an error.
		{`"Variable":"$.n","StringEquals":"10"`, false},
		{`"Variable":"$.s","NumericEquals":10`, false},
		{`"Variable":"$.s","TimestampEquals":"2026-03-02T09:00:00Z"`, false},
		{`"And":[{"Variable":"$.n","NumericEquals":10},{"Variable":"$.b","BooleanEquals":true}]`, true},
		{`"And":[{"Variable":"$.n","NumericEquals":10},{"Variable":"$.b","BooleanEquals":false}]`, false},
		{`"Or":[{"Variable":"$.n","NumericEquals":11},{"Variable":"$.s","StringEquals":"apple"}]`, true},
		{`"Or":[{"Variable":"$.n","NumericEquals":11},{"Variable":"$.s","StringEquals":"pear"}]`, false},
		{`"Not":{"Variable":"$.s","StringEquals":"pear"}`, true},
		{`"Not":{"Or":[{"Variable":"$.b","BooleanEquals":true},{"Variable":"$.n","IsNull":true}]}`, false},
	}
	h := newHarness(t, states.Options{})
	for _, tt := range tests {
		t.Run(tt.rule, func(t *testing.T) {
			d := h.run(choiceMachine(`{`+tt.rule+`,"Next":"Yes"}`), in)
			want := `"no"`
			if tt.yes {
				want = `"yes"`
			}
			wantSucceeded(t, d, want)
		})
	}
}

// The specification's Choice example, with Not, And, a Path comparison
// and Default.
func TestChoiceSpecExample(t *testing.T) {
	def := `{"StartAt":"ChoiceStateX","States":{
		"ChoiceStateX":{"Type":"Choice","Choices":[
			{"Not":{"Variable":"$.type","StringEquals":"Private"},"Next":"Public"},
			{"And":[{"Variable":"$.value","IsPresent":true},{"Variable":"$.value","IsNumeric":true},
				{"Variable":"$.value","NumericGreaterThanEquals":20},{"Variable":"$.value","NumericLessThan":30}],
			 "Next":"ValueInTwenties"},
			{"Variable":"$.rating","NumericGreaterThanPath":"$.auditThreshold","Next":"StartAudit"}],
		 "Default":"RecordEvent"},
		"Public":{"Type":"Pass","Result":"Public","End":true},
		"ValueInTwenties":{"Type":"Pass","Result":"ValueInTwenties","End":true},
		"StartAudit":{"Type":"Pass","Result":"StartAudit","End":true},
		"RecordEvent":{"Type":"Pass","Result":"RecordEvent","End":true}}}`
	tests := []struct{ input, want string }{
		{`{"type":"Public"}`, "Public"},
		{`{"type":"Private","value":25}`, "ValueInTwenties"},
		{`{"type":"Private","value":35,"rating":9,"auditThreshold":8}`, "StartAudit"},
		{`{"type":"Private","value":"25","rating":1,"auditThreshold":8}`, "RecordEvent"},
	}
	h := newHarness(t, states.Options{})
	h.machine("x", def)
	for _, tt := range tests {
		d, _ := h.finish(h.start("x", tt.input).ARN)
		wantSucceeded(t, d, `"`+tt.want+`"`)
	}
}

func TestChoiceFailures(t *testing.T) {
	noDefault := `{"StartAt":"C","States":{
		"C":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"Yes"}]},
		"Yes":{"Type":"Succeed"}}}`
	t.Run("no match and no Default", func(t *testing.T) {
		wantFailed(t, runDef(t, noDefault, `{"n":2}`), "States.NoChoiceMatched")
	})
	t.Run("comparing a missing variable", func(t *testing.T) {
		wantFailed(t, runDef(t, choiceMachine(`{"Variable":"$.missing","StringEquals":"x","Next":"Yes"}`), `{}`), "States.Runtime")
	})
	t.Run("Choice applies InputPath and OutputPath", func(t *testing.T) {
		def := `{"StartAt":"C","States":{
			"C":{"Type":"Choice","InputPath":"$.in","OutputPath":"$.keep","Choices":[{"Variable":"$.n","NumericEquals":1,"Next":"Out"}]},
			"Out":{"Type":"Succeed"}}}`
		wantSucceeded(t, runDef(t, def, `{"in":{"n":1,"keep":{"k":true}}}`), `{"k":true}`)
	})
}
