package pathway

import "time"

// Programme pathways, after Co-operatives UK's The Hive.
const (
	PathwayStartUp    = "start-up"
	PathwayGrowth     = "growth"
	PathwayConversion = "conversion"
)

// Programme is a development programme an agency runs: founders apply to it,
// its panel decides, and accepted co-ops get adviser support towards CQC
// registration.
type Programme struct {
	// ID is the programme's stable identifier.
	ID string `json:"id" validate:"required,max=64,slug"`
	// Name is the programme's public name.
	Name string `json:"name" validate:"required,max=200,safetext"`
	// Agency is the ID of the organisation that runs the programme.
	Agency string `json:"agency" validate:"required,max=64"`
	// Pathway is PathwayStartUp, PathwayGrowth or PathwayConversion.
	Pathway string `json:"pathway" validate:"required,oneof=start-up growth conversion"`
	// Open reports whether the programme takes new applications.
	Open bool `json:"open"`
	// Eligibility holds the screening settings applied to every application.
	Eligibility Eligibility `json:"eligibility"`
	// PanelDays is how many days after screening the panel decision is due.
	PanelDays int `json:"panelDays" validate:"min=1,max=366"`
	// VerifyDays is how many days the agency gives itself to check an
	// item of evidence once it is marked done; zero means
	// DefaultVerifyDays.
	VerifyDays int `json:"verifyDays,omitempty" validate:"min=0,max=366"`
}

// DefaultVerifyDays is the agency's time to check evidence when the
// programme sets none: seven calendar days, a working week and its
// weekend, counted like PanelDays in calendar days so that due dates
// need no calendar of bank holidays.
const DefaultVerifyDays = 7

// VerifyTime is how long after an item is marked done its check is due.
func (p *Programme) VerifyTime() time.Duration {
	d := p.VerifyDays
	if d <= 0 {
		d = DefaultVerifyDays
	}
	return time.Duration(d) * 24 * time.Hour
}

// Eligibility holds a programme's screening settings. Thresholds are
// configuration, not code, because programmes differ.
type Eligibility struct {
	// MinFounders is the least number of founding members an application needs.
	MinFounders int `json:"minFounders" validate:"min=1,max=1000"`
	// EnglandOnly requires the co-op's local authority to be in England.
	EnglandOnly bool `json:"englandOnly"`
	// Services, when not empty, limits applications to these service types.
	Services []string `json:"services,omitempty" validate:"dive,max=64"`
}

// Validate reports whether p is a well-formed programme.
func (p *Programme) Validate() error { return validate(p) }
