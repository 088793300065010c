package pathway

// Kinds of organisation.
const (
	OrgAgency  = "agency"  // a co-operative development agency running programmes
	OrgFunder  = "funder"  // a funder running grant programmes
	OrgCouncil = "council" // a local authority commissioning care
)

// Organisation is an agency, funder or council. Every record that is not a
// co-op's own belongs to one organisation, and staff see only their own.
type Organisation struct {
	// ID is the organisation's stable identifier, e.g. "org-pennine-cda".
	ID string `json:"id" validate:"required,max=64,slug"`
	// Name is the organisation's public name.
	Name string `json:"name" validate:"required,max=200,safetext"`
	// Kind is OrgAgency, OrgFunder or OrgCouncil.
	Kind string `json:"kind" validate:"required,oneof=agency funder council"`
	// GivingPrefix is a funder's 360Giving prefix (e.g. "360G-examplefund"),
	// registered with 360Giving: its published grants' ids start with it.
	GivingPrefix string `json:"givingPrefix,omitempty" validate:"omitempty,max=64,startswith=360G-"`
	// OrgID is the organisation's own org-id (org-id.guide), e.g.
	// "GB-CHC-1234567", published as the funder of its grants.
	OrgID string `json:"orgId,omitempty" validate:"omitempty,max=64"`
	// OCIDPrefix is a council's OCDS prefix (e.g. "ocds-b5fd17"),
	// registered with the Open Contracting Partnership: its tenders'
	// ocids start with it.
	OCIDPrefix string `json:"ocidPrefix,omitempty" validate:"omitempty,max=32,startswith=ocds-"`
	// LightTouchThreshold is a council's setting of the light-touch
	// threshold including VAT, in pence; 0 means the Act's current figure.
	LightTouchThreshold int64 `json:"lightTouchThreshold,omitempty" validate:"min=0"`
	// MinSocialValue is a council's least weight of social value in a
	// tender's award criteria, in percent; 0 means the default (10).
	MinSocialValue int `json:"minSocialValue,omitempty" validate:"min=0,max=100"`
}

// Validate reports whether o is a well-formed organisation.
func (o *Organisation) Validate() error { return validate(o) }
