package tenders_test

import (
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

func TestSettingsOf(t *testing.T) {
	if got := tenders.SettingsOf(nil); got != tenders.DefaultSettings {
		t.Errorf("nil organisation: %+v", got)
	}
	got := tenders.SettingsOf(&pathway.Organisation{MinSocialValue: 15})
	if got.MinSocialValue != 15 || got.LightTouchThreshold != 663_540_00 || got.OCIDPrefix != tenders.DefaultSettings.OCIDPrefix {
		t.Errorf("council with a 15%% minimum: %+v", got)
	}
	got = tenders.SettingsOf(&pathway.Organisation{LightTouchThreshold: 700_000_00, OCIDPrefix: "ocds-abc123"})
	if got.LightTouchThreshold != 700_000_00 || got.OCIDPrefix != "ocds-abc123" || got.MinSocialValue != 10 {
		t.Errorf("council with its own threshold and prefix: %+v", got)
	}
}

// setCriteria sets the tender's criteria as kind:weight pairs with IDs c0, c1….
func setCriteria(t *tenders.Tender, kw ...any) {
	t.Criteria = nil
	for i := 0; i < len(kw); i += 2 {
		t.Criteria = append(t.Criteria, tenders.Criterion{ID: "c" + string(rune('0'+i/2)), Name: "Criterion", Kind: kw[i].(string), Weight: kw[i+1].(int)})
	}
}

// TestCheckCriteria: s.23 (criteria published with their relative
// importance, here weights adding to 100), one price criterion, at least
// one quality criterion, and the council's social-value minimum (a
// council setting, 10% by default).
func TestCheckCriteria(t *testing.T) {
	q, p, sv := tenders.KindQuality, tenders.KindPrice, tenders.KindSocialValue
	tests := []struct {
		name    string
		change  func(*tenders.Tender)
		min     int
		fields  []string
		message string
	}{
		{"s.23 valid weights 50/40/10", func(*tenders.Tender) {}, 10, nil, ""},
		{"s.23 weights add up to 90", func(t *tenders.Tender) { setCriteria(t, q, 40, p, 40, sv, 10) }, 10, []string{"criteria"}, "add up to 90"},
		{"s.23 weights add up to 110", func(t *tenders.Tender) { setCriteria(t, q, 60, p, 40, sv, 10) }, 10, []string{"criteria"}, "add up to 110"},
		{"price: two price criteria", func(t *tenders.Tender) { setCriteria(t, q, 40, p, 30, p, 20, sv, 10) }, 10, []string{"criteria"}, "exactly one price criterion; there are 2"},
		{"price: none", func(t *tenders.Tender) { setCriteria(t, q, 90, sv, 10) }, 10, []string{"criteria"}, "exactly one price criterion; there are 0"},
		{"quality: none", func(t *tenders.Tender) { setCriteria(t, p, 80, sv, 20) }, 10, []string{"criteria"}, "at least one quality criterion"},
		{"social value below the default 10%", func(t *tenders.Tender) { setCriteria(t, q, 55, p, 40, sv, 5) }, 10, []string{"criteria"}, "at least 10%, the council's minimum; it weighs 5%"},
		{"social value none", func(t *tenders.Tender) { setCriteria(t, q, 60, p, 40) }, 10, []string{"criteria"}, "it weighs 0%"},
		{"social value at a council's 15% minimum", func(t *tenders.Tender) { setCriteria(t, q, 45, p, 40, sv, 10, sv, 5) }, 15, nil, ""},
		{"social value below a council's 20% minimum", func(t *tenders.Tender) {}, 20, []string{"criteria"}, "at least 20%"},
		{"criterion IDs unique", func(t *tenders.Tender) { t.Criteria[1].ID = "q1" }, 10, []string{"criteria[1].id"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := tender()
			tt.change(td)
			s := tenders.DefaultSettings
			s.MinSocialValue = tt.min
			err := td.Check(s)
			wantFields(t, err, tt.fields...)
			if tt.message != "" && !strings.Contains(pathway.ErrorFields(err)["criteria"], tt.message) {
				t.Errorf("message %q, want it to say %q", pathway.ErrorFields(err)["criteria"], tt.message)
			}
		})
	}
}

// TestCheckFields: lots, dates and areas.
func TestCheckFields(t *testing.T) {
	tests := []struct {
		name   string
		change func(*tenders.Tender)
		fields []string
	}{
		{"lot IDs unique", func(t *tenders.Tender) { t.Lots[1].ID = "north" }, []string{"lots[1].id"}},
		{"lots add up to the value", func(t *tenders.Tender) { t.Lots[1].Value = 300_000_00 }, []string{"value"}},
		{"questions close at the tender deadline", func(t *tenders.Tender) { t.QuestionsCloseAt = t.TendersCloseAt }, []string{"questionsCloseAt"}},
		{"questions close after the tender deadline", func(t *tenders.Tender) { t.QuestionsCloseAt = t.TendersCloseAt.Add(time.Hour) }, []string{"questionsCloseAt"}},
		{"no tender deadline", func(t *tenders.Tender) { t.TendersCloseAt = time.Time{} }, []string{"tendersCloseAt"}},
		{"term starts on the deadline's day", func(t *tenders.Tender) { t.Term.Start = "2027-07-15" }, []string{"term.start"}},
		{"term starts the day after the deadline", func(t *tenders.Tender) { t.Term.Start = "2027-07-16" }, nil},
		{"term ends before it starts", func(t *tenders.Tender) { t.Term.End = "2027-09-30" }, []string{"term.end"}},
		{"term of one day", func(t *tenders.Tender) { t.Term.End = t.Term.Start }, nil},
		{"area in Wales", func(t *tenders.Tender) { t.Areas = []string{"Calderdale", "Cardiff"} }, []string{"areas[1]"}},
		{"malformed date names the field", func(t *tenders.Tender) { t.Term.Start = "1 Oct 2027" }, []string{"term.start"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := tender()
			tt.change(td)
			wantFields(t, td.Check(tenders.DefaultSettings), tt.fields...)
		})
	}
	td := tender()
	if err := td.Check(tenders.DefaultSettings); err != nil || td.Areas[0] != "Calderdale" {
		t.Errorf("the area keeps its canonical name: %v %v", td.Areas, err)
	}
}

// TestCheckThreshold: Sch 1, the light-touch threshold including VAT
// (£663,540, a setting), sets AboveThreshold.
func TestCheckThreshold(t *testing.T) {
	tests := []struct {
		name  string
		value int64
		want  bool
	}{
		{"a penny below", 663_539_99, false},
		{"at the threshold", 663_540_00, true},
		{"above", 1_000_000_00, true},
	}
	for _, tt := range tests {
		td := tender()
		td.Value, td.Lots = tt.value, td.Lots[:1]
		td.Lots[0].Value = tt.value
		if err := td.Check(tenders.DefaultSettings); err != nil || td.AboveThreshold != tt.want {
			t.Errorf("Sch 1 %s: above %v, err %v; want %v", tt.name, td.AboveThreshold, err, tt.want)
		}
	}
	td := tender()
	if err := td.Check(tenders.Settings{LightTouchThreshold: 2_000_000_00}); err != nil || td.AboveThreshold {
		t.Errorf("a council's own threshold: above %v, err %v", td.AboveThreshold, err)
	}
}

// reservedTender returns tender() reserved for public service mutuals,
// meeting s.33's conditions.
func reservedTender() *tenders.Tender {
	td := tender()
	td.Reserved, td.Procedure = true, tenders.ProcedureCompetitiveFlexible
	td.Term = tenders.Term{Start: "2027-10-01", End: "2032-09-30"} // exactly five years
	return td
}

// TestCheckReserved: s.33(1)-(2), a contract reserved for public service
// mutuals is for reservable light touch services, has a term of at most
// five years, and uses the competitive flexible procedure. Each broken
// condition is refused on its own field, with its own message.
func TestCheckReserved(t *testing.T) {
	tests := []struct {
		name     string
		change   func(*tenders.Tender)
		fields   []string
		messages []string
	}{
		{"s.33 all three conditions met", func(*tenders.Tender) {}, nil, nil},
		{"s.33(1)(a) not light touch", func(t *tenders.Tender) { t.LightTouch = false }, []string{"lightTouch"}, []string{"light touch"}},
		{"s.33(1)(b) term one day over five years", func(t *tenders.Tender) { t.Term.End = "2032-10-01" }, []string{"term.end"}, []string{"at most 5 years: end it by 30 September 2032"}},
		{"s.33(2) open procedure", func(t *tenders.Tender) { t.Procedure = tenders.ProcedureOpen }, []string{"procedure"}, []string{"competitive flexible procedure"}},
		{"s.33 all three broken", func(t *tenders.Tender) {
			t.LightTouch, t.Term.End, t.Procedure = false, "2033-03-31", tenders.ProcedureOpen
		}, []string{"lightTouch", "term.end", "procedure"}, []string{"light touch", "5 years", "competitive flexible"}},
		{"not reserved: open procedure, long term, not light touch", func(t *tenders.Tender) {
			t.Reserved, t.LightTouch, t.Term.End, t.Procedure = false, false, "2037-09-30", tenders.ProcedureOpen
		}, nil, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := reservedTender()
			tt.change(td)
			err := td.Check(tenders.DefaultSettings)
			wantFields(t, err, tt.fields...)
			for i, f := range tt.fields {
				if msg := pathway.ErrorFields(err)[f]; !strings.Contains(msg, tt.messages[i]) {
					t.Errorf("%s: %q, want it to say %q", f, msg, tt.messages[i])
				}
			}
		})
	}
}

// TestCheckStandstill: s.51, a mandatory standstill of 8 working days for
// a contract that is not light touch; for a light touch contract (exempt,
// s.51(3)) a voluntary one of at least 8, or none.
func TestCheckStandstill(t *testing.T) {
	tests := []struct {
		name       string
		lightTouch bool
		in         tenders.Standstill
		fields     []string
		want       tenders.Standstill
	}{
		{"s.51 mandatory: 8 working days", false, tenders.Standstill{Applies: true, WorkingDays: 8}, nil, tenders.Standstill{Applies: true, WorkingDays: 8}},
		{"s.51 mandatory: days unset take 8", false, tenders.Standstill{Applies: true}, nil, tenders.Standstill{Applies: true, WorkingDays: 8}},
		{"s.51 mandatory: none refused", false, tenders.Standstill{}, []string{"standstill.applies"}, tenders.Standstill{}},
		{"s.51 mandatory: 5 days refused", false, tenders.Standstill{Applies: true, WorkingDays: 5}, []string{"standstill.workingDays"}, tenders.Standstill{Applies: true, WorkingDays: 5}},
		{"s.51 mandatory: 10 days kept", false, tenders.Standstill{Applies: true, WorkingDays: 10}, nil, tenders.Standstill{Applies: true, WorkingDays: 10}},
		{"s.51(3) light touch: voluntary 8", true, tenders.Standstill{Applies: true, WorkingDays: 8}, nil, tenders.Standstill{Applies: true, WorkingDays: 8}},
		{"s.51(3) light touch: none", true, tenders.Standstill{}, nil, tenders.Standstill{}},
		{"s.51(3) light touch: off clears the days", true, tenders.Standstill{WorkingDays: 8}, nil, tenders.Standstill{}},
		{"s.51(5) light touch: voluntary 7 refused", true, tenders.Standstill{Applies: true, WorkingDays: 7}, []string{"standstill.workingDays"}, tenders.Standstill{Applies: true, WorkingDays: 7}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			td := tender()
			td.LightTouch, td.Standstill = tt.lightTouch, tt.in
			wantFields(t, td.Check(tenders.DefaultSettings), tt.fields...)
			if td.Standstill != tt.want {
				t.Errorf("standstill = %+v, want %+v", td.Standstill, tt.want)
			}
		})
	}
}

func TestCheckFillsPriceScoring(t *testing.T) {
	td := tender()
	if err := td.Check(tenders.DefaultSettings); err != nil || td.PriceScoring != tenders.PriceLowestProportional {
		t.Errorf("price scoring %q, err %v", td.PriceScoring, err)
	}
}
