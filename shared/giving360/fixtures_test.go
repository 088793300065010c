package giving360

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Invented funder and co-ops; no real organisations.
func testFunder() Funder {
	return Funder{Prefix: "360G-examplefund", OrgID: "GB-CHC-9999991", Name: "Example Care Fund"}
}

func day(s string) time.Time {
	d, err := time.Parse(time.DateOnly, s)
	if err != nil {
		panic(err)
	}
	return d
}

// testGrants holds one grant to each kind of recipient: a registered
// society, a company whose number starts with a zero, and a group with no
// register number.
func testGrants() []Grant {
	return []Grant{
		{
			ID: "01JAPP0001", Title: "Start-up grant", Description: "Setting up a home-care co-op",
			AmountPence: 1234567, AppliedForPence: 1500000, AwardDate: day("2027-03-14"),
			Programme: "Start-up grants", ProgrammeCode: "prog-startup",
			PlannedStart: day("2027-04-01"), PlannedEnd: day("2028-03-31"),
			Recipient: Recipient{
				Name: "Aire Valley Care Co-operative", LegalForm: pathway.FormCooperativeSociety,
				RegisterNumber: "7654R", InternalRef: "coop-1", LocalAuthority: "Leeds",
			},
		},
		{
			ID: "APP/2027 2", Title: "Ideas grant", Description: "A feasibility study",
			AmountPence: 100000, AwardDate: day("2027-05-02"), Programme: "Ideas grants",
			Recipient: Recipient{
				Name: "Cydweithfa Gofal Môn CIC", LegalForm: pathway.FormCommunityInterest,
				RegisterNumber: "09506232", InternalRef: "coop-2", LocalAuthority: "Isle of Anglesey",
			},
		},
		{
			ID: "app-3", Title: "Ideas grant", Description: "=Meeting costs for founders",
			AmountPence: 99, AwardDate: day("2027-06-30"),
			Recipient: Recipient{Name: "Calder Carers Group", InternalRef: "coop 3"},
		},
	}
}
