package demo

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantservice"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// liveCoop returns a function giving the ID of the live co-op with the
// key, for a grant application it sends.
func liveCoop(key string) func() string {
	return func() string {
		for _, l := range Live {
			if l.Key == key {
				return l.ID()
			}
		}
		return ""
	}
}

// seededCoop returns a function giving a seeded co-op's fixed ID.
func seededCoop(id string) func() string { return func() string { return id } }

// ask is an application for amount, spent on two budget lines.
func ask(programme, title, purpose string, amount int64) grantservice.ApplicationInput {
	return grantservice.ApplicationInput{
		Programme: programme, Title: title, Purpose: purpose, Amount: amount,
		Budget: []grants.BudgetLine{
			{Item: "Advice and training", Amount: amount / 2},
			{Item: "Founding meetings and materials", Amount: amount - amount/2},
		},
		Timeline: "Six months from the award.",
	}
}

// awardAll is the lead's award of amount in the tranches given as shares.
func awardAll(amount int64, triggers ...string) grants.DecisionAnswer {
	d := grants.DecisionAnswer{Outcome: grants.OutcomeAward, Amount: amount,
		Conditions: []string{"Tell the fund of any change to the founding group."},
		Feedback:   "The reviewers liked the plan; we are glad to fund it."}
	var given int64
	for i, t := range triggers {
		part := amount / int64(len(triggers))
		if i == len(triggers)-1 {
			part = amount - given
		}
		given += part
		d.Tranches = append(d.Tranches, grants.TrancheAnswer{Amount: part, Trigger: t})
		if t == grants.TriggerReport && d.Reports == nil {
			d.Reports = []string{pathway.UKToday(time.Now()).AddDate(0, 6, 0).Format(time.DateOnly)}
		}
	}
	return d
}

// LiveGrants are the demo's grant applications, one in each status the
// service can store (GrantStatuses). Calderdene is left free to apply to
// the ideas grant, as the welcome text suggests.
func LiveGrants() []LiveGrant {
	return []LiveGrant{
		{
			Key: "demo-grant-brookside", Founder: UserFounderBrook, Coop: liveCoop("demo-brookside"),
			Application: ask(GrantIdeas, "Talking to families in the valley",
				"Meetings with the families and disabled people who would be members, to shape the supported living service.", 150_000),
			Target: grants.StatusInReview, Conflict: true,
		},
		{
			Key: "demo-grant-brookside-withdrawn", Founder: UserFounderBrook, Coop: liveCoop("demo-brookside"),
			Application: ask(GrantIdeas, "Visits to other supported living co-ops",
				"Two visits to supported living co-ops elsewhere, to learn how they share the work.", 120_000),
			Target: grants.StatusWithdrawn,
		},
		{
			Key: "demo-grant-dyfi", Founder: UserFounderTogether, Coop: liveCoop("demo-dyfi"),
			Application: ask(GrantIdeas, "A feasibility study for home support",
				"A study of the need for home support in the Dyfi valley.", 100_000),
			Target: grants.StatusIneligible,
		},
		{
			Key: "demo-grant-hawthorn", Founder: UserFounderHawthorn, Coop: liveCoop("demo-hawthorn"),
			Application: ask(GrantStartUp, "Registered manager and first carers",
				"The registered manager's first six months and training for four carers before CQC registration.", 1_500_000),
			Target: grants.StatusAwaitingDecision, Recommendation: grants.RecommendAward,
		},
		{
			Key: "demo-grant-quantock", Founder: UserFounderQuantock, Coop: liveCoop("demo-quantock"),
			Application: ask(GrantIdeas, "A shared lives open day",
				"An open day for households who might become shared lives carers.", 200_000),
			Target: grants.StatusRejected, Recommendation: grants.RecommendReject,
			Decision: grants.DecisionAnswer{Outcome: grants.OutcomeReject,
				Feedback: "The open day is a good idea, but the plan does not yet say who would come or how they would be found. Please apply again with that."},
		},
		{
			Key: "demo-grant-colne", Founder: UserFounderCalder2, Coop: liveCoop("demo-colne"),
			Application: ask(GrantStartUp, "From registration to the first care packages",
				"Working capital for the first three months of paid care after CQC registration.", 2_000_000),
			Target: grants.StatusAwarded, Recommendation: grants.RecommendAward,
			Decision: awardAll(2_000_000, grants.TriggerAgreement, grants.TriggerCQCRegistered),
		},
		{
			Key: "demo-grant-together", Founder: UserFounderTogether, Coop: seededCoop("coop-together-pa"),
			Application: ask(GrantIdeas, "Advice on the legal form",
				"Advice from a co-operative lawyer on the rules of a multi-stakeholder co-op.", 100_000),
			Target: grants.StatusDeclined, Recommendation: grants.RecommendAward,
			Decision: awardAll(100_000, grants.TriggerAgreement), Agreement: grants.AgreementDecline,
		},
		{
			Key: "demo-grant-mendip", Founder: UserFounderMendip, Coop: seededCoop("coop-mendip-micro"),
			Application: ask(GrantStartUp, "Growing the micro-care network",
				"Recruiting and training six more micro-providers to join the network.", 2_500_000),
			Target: grants.StatusActive, Recommendation: grants.RecommendAward,
			Decision: awardAll(2_500_000, grants.TriggerAgreement, grants.TriggerReport), Agreement: grants.AgreementAccept,
		},
		{
			Key: "demo-grant-exmoor", Founder: UserFounderExmoor, Coop: liveCoop("demo-exmoor"),
			Application: ask(GrantIdeas, "Help answering CQC",
				"Advice from a registered manager of another co-op on answering CQC's notice of proposal.", 120_000),
			Target: grants.StatusClosed, Recommendation: grants.RecommendAward,
			Decision: awardAll(120_000, grants.TriggerAgreement), Agreement: grants.AgreementAccept,
		},
	}
}
