package demo

import (
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// The demo council that buys care: an invented council (its tenders serve
// Somerset, a real English council area, because tenders are checked
// against the list of them), with a lead who writes tenders, moderates,
// awards and records contracts, two evaluators and one more member of
// staff. Its tenders, one in each state the demo shows, are LiveTenders,
// driven through the tenders service and the tender workflow by
// DriveTenders.
const (
	OrgTenderCouncil = "org-hallowmere-council"
	// TenderOCIDPrefix is the council's invented OCDS ocid prefix (no
	// publisher is registered with it).
	TenderOCIDPrefix = "ocds-hmdemo"
	// TenderArea is the real council area the demo tenders serve.
	TenderArea = "Somerset"

	UserCouncilLead       = "user-commissioner-lead-araminta"
	UserCouncilEvaluator1 = "user-commissioner-lysander"
	UserCouncilEvaluator2 = "user-commissioner-ondine"
	UserCouncilStaff      = "user-commissioner-crispin"

	// Founders of the two co-ops registered with CQC that bid besides
	// Mendip Micro-Care Network.
	UserFounderBrue      = "user-founder-morwenna"
	UserFounderBlackdown = "user-founder-jago"

	// The co-ops registered with CQC, stored as history (Coops).
	CoopMendip    = "coop-mendip-micro"
	CoopBrue      = "coop-brue-valley-home-care"
	CoopBlackdown = "coop-blackdown-carers"

	// The demo tenders' IDs.
	TenderOpen       = "td-hallowmere-home-care"
	TenderStandstill = "td-hallowmere-supported-living"
	TenderContracted = "td-hallowmere-reablement"
)

// TenderCouncilUsers are the council's staff, in the order the README and
// the welcome text name them.
var TenderCouncilUsers = []string{UserCouncilLead, UserCouncilEvaluator1, UserCouncilEvaluator2, UserCouncilStaff}

// LiveTender is a sample tender that DriveTenders writes and publishes as
// the council's lead, has co-ops bid for, and carries through the real
// tender workflow to its Target status.
type LiveTender struct {
	// Tender is what the lead writes; its ID is fixed, so a second drive
	// finds it instead of writing another.
	Tender tenderservice.TenderInput
	// Bids are the co-ops' bids, each with the scores the lead agrees.
	Bids []LiveBid
	// Target is the status the tender is left in: open, standstill or
	// contracted.
	Target string
	// ContractValue is the contract's value per lot, for a target of
	// contracted.
	ContractValue int64
}

// LiveBid is one co-op's bid for a demo tender, on every lot at Price.
type LiveBid struct {
	// Key is the bid's Idempotency-Key: with the founder it names the bid
	// (tenderservice.BidID).
	Key     string
	Founder string
	Coop    string
	Price   int64
	// Agreed are the scores the lead agrees at moderation, per criterion;
	// the evaluators score near them.
	Agreed map[string]int
}

// ID returns the ID of the bid.
func (b LiveBid) ID() string { return tenderservice.BidID(b.Founder, b.Key) }

// Past reports whether the tender's deadline lies in the past: it is
// written, published and bid for on a clock set weeks back.
func (l LiveTender) Past() bool { return l.Target != tenders.StatusOpen }

// Criterion IDs shared by the demo tenders.
const (
	critCare      = "care"
	critWorkforce = "workforce"
	critSocial    = "social-value"
	critPrice     = "price"
)

// demoCriteria are the award criteria of every demo tender: two quality
// criteria, social value at the council's minimum and price.
func demoCriteria() []tenders.Criterion {
	return []tenders.Criterion{
		{ID: critCare, Name: "Quality and safety of care", Kind: tenders.KindQuality, Weight: 40,
			Guide: "How you plan, deliver and review care with the people you support, and keep them safe."},
		{ID: critWorkforce, Name: "Workforce and continuity", Kind: tenders.KindQuality, Weight: 20,
			Guide: "How you recruit, train and keep care workers, so people see the same faces."},
		{ID: critSocial, Name: "Social value", Kind: tenders.KindSocialValue, Weight: 10,
			Guide: "Local jobs, fair pay and what you give back to the community."},
		{ID: critPrice, Name: "Price", Kind: tenders.KindPrice, Weight: 30},
	}
}

// responses are a bid's answers to the scored criteria.
func responses() map[string]string {
	return map[string]string{
		critCare:      "Care plans written with each person and reviewed monthly; a registered manager on call every day.",
		critWorkforce: "Every worker is a member of the co-op on the real living wage, with guaranteed hours.",
		critSocial:    "We recruit in the villages we serve and put surpluses back into training local carers.",
	}
}

// scores are agreed scores for care, workforce and social value.
func scores(care, workforce, social int) map[string]int {
	return map[string]int{critCare: care, critWorkforce: workforce, critSocial: social}
}

// tenderTimes returns, for a tender in the past, the time it is written
// and published (35 days before today, at 9:00 UK time) and its
// deadlines: questions 10 days and bids 21 days after that; for the open
// tender, now and deadlines 14 and 28 days ahead.
func tenderTimes(now time.Time, past bool) (written, questions, bids time.Time) {
	today := pathway.UKToday(now)
	if !past {
		noon := time.Date(today.Year(), today.Month(), today.Day(), 12, 0, 0, 0, pathway.UKTime)
		return now, noon.AddDate(0, 0, 14), noon.AddDate(0, 0, 28)
	}
	start := time.Date(today.Year(), today.Month(), today.Day(), 9, 0, 0, 0, pathway.UKTime).AddDate(0, 0, -35)
	noon := start.Add(3 * time.Hour)
	return start, noon.AddDate(0, 0, 10), noon.AddDate(0, 0, 21)
}

// term is a contract term starting days after today for years.
func term(now time.Time, days, years int) tenders.Term {
	start := pathway.UKToday(now).AddDate(0, 0, days)
	return tenders.Term{Start: start.Format(time.DateOnly), End: start.AddDate(years, 0, -1).Format(time.DateOnly)}
}

// LiveTenders returns the demo council's tenders, dated from now: one open
// for bids that Mendip Micro-Care Network can bid for (and Calderdene,
// not yet registered with CQC, cannot); one awarded and in its voluntary
// standstill; one light-touch contract without standstill, entered into,
// whose winner is contracted.
func LiveTenders(now time.Time) []LiveTender {
	var out []LiveTender
	{
		_, q, b := tenderTimes(now, false)
		out = append(out, LiveTender{
			Target: tenders.StatusOpen,
			Tender: tenderservice.TenderInput{Tender: tenders.Tender{
				ID: TenderOpen, Title: "Home care across the Levels and Moors",
				Description: "Care and support at home for adults across the Levels and Moors, in two lots: the villages north of the river and those south of it. " +
					"We welcome bids from co-operatives and other providers owned by their workers and the people they support.",
				Services: []string{"home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
				Areas: []string{TenderArea}, Value: 180_000_000,
				Lots:      []tenders.Lot{{ID: "north", Name: "North of the river", Value: 90_000_000}, {ID: "south", Name: "South of the river", Value: 90_000_000}},
				Procedure: tenders.ProcedureOpen, LightTouch: true, Criteria: demoCriteria(), MinQuality: 40,
				Term: term(now, 120, 3), QuestionsCloseAt: q, TendersCloseAt: b,
				Evaluators: []string{UserCouncilEvaluator1, UserCouncilEvaluator2},
			}},
		})
	}
	{
		_, q, b := tenderTimes(now, true)
		out = append(out, LiveTender{
			Target: tenders.StatusStandstill,
			Tender: tenderservice.TenderInput{
				Tender: tenders.Tender{
					ID: TenderStandstill, Title: "Supported living in Hallowmere",
					Description: "Support for adults with learning disabilities living in their own homes in and around Hallowmere, " +
						"including personal care, help with daily living and taking part in the community.",
					Services: []string{"supported-living"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
					Areas: []string{TenderArea}, Value: 240_000_000,
					Lots:      []tenders.Lot{{ID: "hallowmere", Name: "Hallowmere and its villages", Value: 240_000_000}},
					Procedure: tenders.ProcedureOpen, LightTouch: true, Criteria: demoCriteria(), MinQuality: 40,
					Term: term(now, 60, 3), QuestionsCloseAt: q, TendersCloseAt: b,
					Evaluators: []string{UserCouncilEvaluator1, UserCouncilEvaluator2},
				},
				// The voluntary standstill of a light-touch contract, on.
				Standstill: &tenders.Standstill{Applies: true, WorkingDays: 8},
			},
			Bids: []LiveBid{
				{Key: "demo-bid-supported-living-blackdown", Founder: UserFounderBlackdown, Coop: CoopBlackdown, Price: 228_000_000, Agreed: scores(4, 4, 4)},
				{Key: "demo-bid-supported-living-mendip", Founder: UserFounderMendip, Coop: CoopMendip, Price: 215_000_000, Agreed: scores(3, 3, 3)},
			},
		})
	}
	{
		_, q, b := tenderTimes(now, true)
		out = append(out, LiveTender{
			Target: tenders.StatusContracted, ContractValue: 46_000_000,
			Tender: tenderservice.TenderInput{
				Tender: tenders.Tender{
					ID: TenderContracted, Title: "Reablement at home after a hospital stay",
					Description: "Short-term care at home, up to six weeks, helping people regain their independence after a stay in hospital.",
					Services:    []string{"reablement", "home-care"}, RegulatedActivities: []string{pathway.ActivityPersonalCare},
					Areas: []string{TenderArea}, Value: 48_000_000,
					Lots:      []tenders.Lot{{ID: "reablement", Name: "Reablement service", Value: 48_000_000}},
					Procedure: tenders.ProcedureOpen, LightTouch: true, Criteria: demoCriteria(), MinQuality: 40,
					Term: term(now, 28, 2), QuestionsCloseAt: q, TendersCloseAt: b,
					Evaluators: []string{UserCouncilEvaluator1, UserCouncilEvaluator2},
				},
				// A light-touch contract may go without standstill.
				Standstill: &tenders.Standstill{Applies: false},
			},
			Bids: []LiveBid{
				{Key: "demo-bid-reablement-brue", Founder: UserFounderBrue, Coop: CoopBrue, Price: 46_000_000, Agreed: scores(5, 4, 4)},
				{Key: "demo-bid-reablement-blackdown", Founder: UserFounderBlackdown, Coop: CoopBlackdown, Price: 44_000_000, Agreed: scores(3, 3, 3)},
			},
		})
	}
	return out
}
