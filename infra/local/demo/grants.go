package demo

import (
	"context"
	"fmt"
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// The demo funder's grants: its 360Giving identity (invented), a lead who
// decides, three reviewers besides UserFunder, and two programmes open now.
// Its applications, one in every status, are LiveGrants (grantdata.go),
// driven through the grant service and workflow by DriveGrants.
const (
	// FundGivingPrefix is the demo funder's invented 360Giving prefix.
	FundGivingPrefix = "360G-hearthcarefund"
	// FundOrgID is the demo funder's invented org-id (a charity number
	// no charity has: nine digits, where real ones have seven or eight).
	FundOrgID = "GB-CHC-999999901"

	UserFunderLead      = "user-funder-lead-perpetua"
	UserFunderReviewer1 = "user-funder-casimir"
	UserFunderReviewer2 = "user-funder-henrietta"
	UserFunderReviewer3 = "user-funder-barnaby"

	GrantIdeas   = "gp-hearth-ideas"
	GrantStartUp = "gp-hearth-start-up"
)

// GrantProgrammes returns the demo funder's two programmes, open from 30
// days before now to 180 days after, so the demo always has them open: a
// small "ideas" grant any co-op on its journey may apply for, and a larger
// start-up grant for co-ops accepted onto a development programme, paid
// half on the agreement and half on CQC registration.
func GrantProgrammes(now time.Time) []*grants.Programme {
	today := pathway.UKToday(now)
	opens := today.AddDate(0, 0, -30).Format(time.DateOnly)
	closes := today.AddDate(0, 0, 180).Format(time.DateOnly)
	return []*grants.Programme{
		{
			ID: GrantIdeas, Name: "Hearth Ideas Grant", Funder: OrgFund,
			Purpose: "Small grants for a founding group to test its idea: meetings, a feasibility study, advice on the legal form.",
			Budget:  2_000_000, MinAward: 50_000, MaxAward: 200_000, OpensOn: opens, ClosesOn: closes,
			Criteria: []grants.Criterion{
				{ID: "need", Name: "Need for care in the area", Weight: 40, Guide: "Is there evidence people lack the care the co-op would give?"},
				{ID: "idea", Name: "The idea", Weight: 30, Guide: "Is it clear what the co-op would do and for whom?"},
				{ID: "group", Name: "The founding group", Weight: 30, Guide: "Are workers and the people they care for both involved?"},
			},
			Scale: grants.DefaultScale, ReviewersPerApplication: 2,
			Schedule: []grants.ScheduleShare{{Share: 100, Trigger: grants.TriggerAgreement}},
		},
		{
			ID: GrantStartUp, Name: "Hearth Start-up Grant", Funder: OrgFund,
			Purpose: "Larger grants to take a care co-op from its development programme to registration with CQC and its first paid work.",
			Budget:  15_000_000, MinAward: 500_000, MaxAward: 2_500_000, OpensOn: opens, ClosesOn: closes,
			Rules: grants.Rules{StageReached: pathway.StageCQCPreparing},
			Criteria: []grants.Criterion{
				{ID: "need", Name: "Need for care in the area", Weight: 30},
				{ID: "plan", Name: "The business plan", Weight: 30},
				{ID: "team", Name: "The team and its registered manager", Weight: 20},
				{ID: "value", Name: "Value for money", Weight: 20},
			},
			Scale: grants.DefaultScale, ReviewersPerApplication: 3,
			Schedule: []grants.ScheduleShare{
				{Share: 50, Trigger: grants.TriggerAgreement},
				{Share: 50, Trigger: grants.TriggerCQCRegistered},
			},
		},
	}
}

// SeedGrants stores the demo funder's programmes in gs, unless they exist
// (a programme someone changed since is left as it is).
func SeedGrants(ctx context.Context, gs *grantstore.Store, now time.Time) error {
	for _, p := range GrantProgrammes(now) {
		err := putOnce(ctx, gs.GetProgramme, p.ID, func() error { return gs.PutProgramme(ctx, p, now) })
		if err != nil {
			return fmt.Errorf("demo: grant programme %s: %w", p.ID, err)
		}
	}
	return nil
}
