package demo

import (
	"github.com/coopcarepathway/pathway/shared/journey"
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Every organisation, person and co-op below is invented. Places are real
// local authorities only because screening checks them against the list of
// English councils.

// Invented organisations: two development agencies, a funder and two
// councils (Hallowmere buys care through the demo tenders, tenderdata.go).
const (
	OrgPennine  = "org-pennine-cda"
	OrgWessex   = "org-wessex-coop-dev"
	OrgFund     = "org-hearth-care-fund"
	OrgCouncil  = "org-westmoor-council"
	ProgStartUp = "prog-pennine-start-up"
	ProgConvert = "prog-wessex-conversion"
)

// Demo user IDs, named so a reader of a log can tell who did what.
const (
	UserFounderCalder   = "user-founder-nell"
	UserFounderCalder2  = "user-founder-idris"
	UserFounderBrook    = "user-founder-ottilie"
	UserFounderTogether = "user-founder-kofi"
	UserFounderMendip   = "user-founder-bryony"
	UserFounderHawthorn = "user-founder-ravi"
	UserFounderQuantock = "user-founder-delphine"
	UserFounderExmoor   = "user-founder-tobias"
	UserFounderPurbeck  = "user-founder-marigold"
	UserAgencyPennine   = "user-agency-marisol"
	UserAgencyLead      = "user-agency-lead-fenwick"
	UserAgencyWessex    = "user-agency-tamsin"
	UserFunder          = "user-funder-augustin"
	UserCommissioner    = "user-commissioner-wren"
)

// Organisations are the sample agencies, funder and council.
var Organisations = []*pathway.Organisation{
	{ID: OrgPennine, Name: "Pennine Co-operative Development Agency", Kind: pathway.OrgAgency},
	{ID: OrgWessex, Name: "Wessex Co-op Development Trust", Kind: pathway.OrgAgency},
	{ID: OrgFund, Name: "Hearth Care Co-operatives Fund", Kind: pathway.OrgFunder, GivingPrefix: FundGivingPrefix, OrgID: FundOrgID},
	{ID: OrgCouncil, Name: "Westmoor District Council", Kind: pathway.OrgCouncil},
	{ID: OrgTenderCouncil, Name: "Hallowmere District Council", Kind: pathway.OrgCouncil, OCIDPrefix: TenderOCIDPrefix},
}

// Programmes are a start-up programme and a conversion programme, with the
// screening settings that differ between them.
var Programmes = []*pathway.Programme{
	{
		ID: ProgStartUp, Name: "Care Co-op Start-up Programme", Agency: OrgPennine,
		Pathway: pathway.PathwayStartUp, Open: true, PanelDays: 14,
		Eligibility: pathway.Eligibility{MinFounders: 3, EnglandOnly: true},
	},
	{
		ID: ProgConvert, Name: "Care Business Conversion Programme", Agency: OrgWessex,
		Pathway: pathway.PathwayConversion, Open: true, PanelDays: 28,
		Eligibility: pathway.Eligibility{MinFounders: 2, EnglandOnly: true,
			Services: []string{"home-care", "supported-living", "day-care", "shared-lives"}},
	},
}

// Users are one or more invented people for every role.
var Users = []*pathway.User{
	{ID: UserFounderCalder, Name: "Nell Ashworthy", Role: pathway.RoleFounder},
	{ID: UserFounderCalder2, Name: "Idris Pennock", Role: pathway.RoleFounder},
	{ID: UserFounderBrook, Name: "Ottilie Varga-Snell", Role: pathway.RoleFounder},
	{ID: UserFounderTogether, Name: "Kofi Brightwater", Role: pathway.RoleFounder},
	{ID: UserFounderMendip, Name: "Bryony Tallack", Role: pathway.RoleFounder},
	{ID: UserFounderHawthorn, Name: "Ravi Oakenshaw", Role: pathway.RoleFounder},
	{ID: UserFounderQuantock, Name: "Delphine Brackenbury", Role: pathway.RoleFounder},
	{ID: UserFounderExmoor, Name: "Tobias Wellacott", Role: pathway.RoleFounder},
	{ID: UserFounderPurbeck, Name: "Marigold Fennimore", Role: pathway.RoleFounder},
	{ID: UserAgencyPennine, Name: "Marisol Dunkerley", Role: pathway.RoleAgency, Organisation: OrgPennine},
	{ID: UserAgencyLead, Name: "Fenwick Hallamshire", Role: pathway.RoleAgency, Organisation: OrgPennine, Lead: true},
	{ID: UserAgencyWessex, Name: "Tamsin Loveday-Frome", Role: pathway.RoleAgency, Organisation: OrgWessex},
	{ID: UserFunder, Name: "Augustin Mereweather", Role: pathway.RoleFunder, Organisation: OrgFund},
	{ID: UserCommissioner, Name: "Wren Castellow", Role: pathway.RoleCommissioner, Organisation: OrgCouncil},
	{ID: UserFunderLead, Name: "Perpetua Lanyon-Hale", Role: pathway.RoleFunder, Organisation: OrgFund, Lead: true},
	{ID: UserFunderReviewer1, Name: "Casimir Odell-Frayne", Role: pathway.RoleFunder, Organisation: OrgFund},
	{ID: UserFunderReviewer2, Name: "Henrietta Quillfeather", Role: pathway.RoleFunder, Organisation: OrgFund},
	{ID: UserFunderReviewer3, Name: "Barnaby Stowell-Marsh", Role: pathway.RoleFunder, Organisation: OrgFund},
	{ID: UserCouncilLead, Name: "Araminta Blackwood-Hythe", Role: pathway.RoleCommissioner, Organisation: OrgTenderCouncil, Lead: true},
	{ID: UserCouncilEvaluator1, Name: "Lysander Pevensey-Holt", Role: pathway.RoleCommissioner, Organisation: OrgTenderCouncil},
	{ID: UserCouncilEvaluator2, Name: "Ondine Marchbank", Role: pathway.RoleCommissioner, Organisation: OrgTenderCouncil},
	{ID: UserCouncilStaff, Name: "Crispin Tallowfield", Role: pathway.RoleCommissioner, Organisation: OrgTenderCouncil},
	{ID: UserFounderBrue, Name: "Morwenna Tregallow", Role: pathway.RoleFounder},
	{ID: UserFounderBlackdown, Name: "Jago Pennystone", Role: pathway.RoleFounder},
}

// keyCalderdene is the application key of the co-op part way through its
// CQC checklist.
const keyCalderdene = "demo-calderdene"

// CalderdeneID is the ID of the live co-op part way through its CQC
// checklist (founder UserFounderCalder), which the welcome text points to.
func CalderdeneID() string { return journey.CoopID(UserFounderCalder, keyCalderdene) }

// Live are the co-ops in stages where someone acts. Drive creates each
// through the journey service and carries it through the real workflows to
// its Target, so every task it shows is a real one a demo user can answer.
var Live = []LiveCoop{
	{
		// A council spin-out for people with learning disabilities: its
		// panel decision waits in the Pennine agency's inbox.
		Key: "demo-brookside", Founder: UserFounderBrook, Agency: UserAgencyPennine,
		Target: pathway.StageAwaitingPanel,
		Application: journey.Application{
			Name: "Brookside Supported Living Co-op", Programme: ProgStartUp,
			LegalForm: pathway.FormCommunityBenefit, Origin: "spin-out", LocalAuthority: "Kirklees",
			Services: []string{"supported-living", "day-care"}, RegulatedActivities: []string{"personal-care"},
			Members: []journey.Member{
				{Name: "Ottilie Varga-Snell", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Caspian Moorhouse", Class: pathway.ClassServiceUser, Role: pathway.MemberCommitteeMember},
				{Name: "Philippa Umberside", Class: pathway.ClassFamilyCarer, Role: pathway.MemberCommitteeMember},
			},
		},
	},
	{
		// A shared lives network whose panel deferred its first decision:
		// the second round's decision waits in the Wessex agency's inbox.
		Key: "demo-quantock", Founder: UserFounderQuantock, Agency: UserAgencyWessex,
		Target: pathway.StageAwaitingPanel, DeferPanel: true,
		Application: journey.Application{
			Name: "Quantock Shared Lives Co-operative", Programme: ProgConvert,
			LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginPartnership, LocalAuthority: "Somerset",
			Services: []string{"shared-lives"}, RegulatedActivities: []string{"personal-care"},
			Members: []journey.Member{
				{Name: "Delphine Brackenbury", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Osric Thornbury", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
				{Name: "Jessamy Culverhay", Class: pathway.ClassFamilyCarer, Role: pathway.MemberDirector},
			},
		},
	},
	{
		// An umbrella home-care co-op in a Pennine valley, part way through
		// its CQC checklist: some items verified, some waiting for the
		// agency, one returned with a comment.
		Key: keyCalderdene, Founder: UserFounderCalder, Agency: UserAgencyPennine,
		Target: pathway.StageCQCPreparing,
		Checklist: []ItemScript{
			{Item: "ORG-LEGAL", Status: pathway.ItemVerified},
			{Item: "SOP-01", Status: pathway.ItemVerified},
			{Item: "POL-SAFEG", Status: pathway.ItemVerified},
			{Item: "PPL-RM", Status: pathway.ItemReturned,
				Comment: "The DBS certificate attached is a basic check. CQC needs an enhanced check with the adult barred list, countersigned; please upload that."},
			{Item: "FIN-BP", Status: pathway.ItemDone},
			{Item: "POL-COMPLAINTS", Status: pathway.ItemDone},
		},
		Application: journey.Application{
			Name: "Calderdene Valley Home Care Co-operative", Programme: ProgStartUp,
			LegalForm: pathway.FormCooperativeSociety, Origin: "new-start", LocalAuthority: "Calderdale",
			Services: []string{"home-care", "carers-services"}, RegulatedActivities: []string{"personal-care"},
			Members: []journey.Member{
				{Name: "Nell Ashworthy", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Idris Pennock", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
				{Name: "Sunniva Hebblethwaite", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Ambrose Crowther-Lee", Class: pathway.ClassCommunity, Role: pathway.MemberOrdinary},
			},
		},
	},
	{
		// A home-care business whose owner is divesting, converting to a
		// worker co-op: checklist verified, the founders' CQC submission
		// task is open.
		Key: "demo-hawthorn", Founder: UserFounderHawthorn, Agency: UserAgencyWessex,
		Target: pathway.StageCQCReady,
		Application: journey.Application{
			Name: "Hawthorn Lane Care Co-operative", Programme: ProgConvert,
			LegalForm: pathway.FormPrivateCompany, Origin: pathway.OriginConversion, LocalAuthority: "Dorset",
			Services: []string{"home-care"}, RegulatedActivities: []string{"personal-care"},
			Members: []journey.Member{
				{Name: "Ravi Oakenshaw", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Cordelia Wyndlow", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
			},
		},
	},
	{
		// A carers' co-op that has applied to CQC: the founders and the
		// Pennine agency each have a task to record CQC's decision.
		Key: "demo-colne", Founder: UserFounderCalder2, Agency: UserAgencyPennine,
		Target: pathway.StageCQCSubmitted,
		Application: journey.Application{
			Name: "Colne Valley Carers' Co-operative", Programme: ProgStartUp,
			LegalForm: pathway.FormCooperativeSociety, Origin: "new-start", LocalAuthority: "Kirklees",
			Services: []string{"home-care", "reablement"}, RegulatedActivities: []string{"personal-care"},
			Members: []journey.Member{
				{Name: "Idris Pennock", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
				{Name: "Winifred Haworth-Sykes", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Lowri Ackerley", Class: pathway.ClassServiceUser, Role: pathway.MemberDirector},
			},
		},
	},
	{
		// A converted moorland care business that received a notice of
		// proposal to refuse: its 28 days for representations run, and the
		// second round's decision tasks are open.
		Key: "demo-exmoor", Founder: UserFounderExmoor, Agency: UserAgencyWessex,
		Target: pathway.StageCQCProposalToRefuse,
		Application: journey.Application{
			Name: "Exmoor Community Care Co-op", Programme: ProgConvert,
			LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginConversion, LocalAuthority: "Somerset",
			Services: []string{"home-care", "day-care"}, RegulatedActivities: []string{"personal-care"},
			Members: []journey.Member{
				{Name: "Tobias Wellacott", Class: pathway.ClassWorker, Role: pathway.MemberNominatedIndividual},
				{Name: "Kerensa Blackmore", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
				{Name: "Anselm Quartly", Class: pathway.ClassCommunity, Role: pathway.MemberDirector},
			},
		},
	},
	{
		// A Welsh group with two founders: screening finds it ineligible
		// for an England-only programme that needs three.
		Key: "demo-dyfi", Founder: UserFounderTogether, Agency: UserAgencyPennine,
		Target: pathway.StageIneligible,
		Application: journey.Application{
			Name: "Dyfi Valley Home Support Co-op", Programme: ProgStartUp,
			LegalForm: pathway.FormNotYetIncorporated, Origin: "new-start", LocalAuthority: "Powys",
			Services: []string{"home-care"}, RegulatedActivities: []string{"personal-care"},
			Members: []journey.Member{
				{Name: "Kofi Brightwater", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Gwenllian Ap-Rhosier", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
			},
		},
	},
	{
		// A meals service: screening finds it offers none of the services
		// the conversion programme supports.
		Key: "demo-wyvern", Founder: UserFounderMendip, Agency: UserAgencyWessex,
		Target: pathway.StageIneligible,
		Application: journey.Application{
			Name: "Wyvern Community Meals Co-op", Programme: ProgConvert,
			LegalForm: pathway.FormCommunityBenefit, Origin: pathway.OriginConversion, LocalAuthority: "Wiltshire",
			Services: []string{"meals", "prevention"},
			Members: []journey.Member{
				{Name: "Bryony Tallack", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Fulke Ashdown", Class: pathway.ClassCommunity, Role: pathway.MemberDirector},
			},
		},
	},
}

// applied is the first step of every history.
func applied(days int, who string) Step {
	return Step{DaysAgo: days, Actor: who, Action: pathway.ActionApplicationSubmitted, Summary: "The founders applied to the programme.", To: pathway.StageApplied}
}

// screened is the eligibility screening that passed.
func screened(days int) Step {
	return Step{DaysAgo: days, Actor: pathway.ActorSystem, Action: pathway.ActionPanelAwaiting, Summary: "The application is eligible and is with the programme's panel.", To: pathway.StageAwaitingPanel}
}

// accepted is a panel acceptance by the agency.
func accepted(days int, who string) Step {
	return Step{DaysAgo: days, Actor: who, Action: pathway.ActionPanelAccepted, Summary: "The panel accepted the co-op onto the programme.", To: pathway.StageCQCPreparing}
}

// verified is the agency verifying the last required checklist item.
func verified(days int, who string) Step {
	return Step{DaysAgo: days, Actor: who, Action: pathway.ActionChecklistVerified, Summary: "Every required checklist item is verified.", To: pathway.StageCQCReady}
}

// submitted is the founders applying to CQC.
func submitted(days int, who string) Step {
	return Step{DaysAgo: days, Actor: who, Action: pathway.ActionCQCSubmitted, Summary: "The co-op applied to CQC.", To: pathway.StageCQCSubmitted}
}

// Coops are the sample co-ops whose stage is history: nobody acts on them
// any more (or, for applied, only the system, within moments), so they are
// stored as they are with back-dated events, and the pipeline shows how
// long each has been in its stage.
var Coops = []SampleCoop{
	{
		// A multi-stakeholder co-op of personal assistants paid by direct
		// payments. Under the real workflow "applied" lasts only until
		// screening, moments later; this one is stored without a workflow
		// so the pipeline's first column has an entry.
		Coop: &pathway.Coop{
			ID: "coop-together-pa", Name: "Together PA Co-operative",
			Programme: ProgStartUp, LegalForm: pathway.FormNotYetIncorporated, Origin: "new-start",
			LocalAuthority: "Bradford", Services: []string{"home-care", "advice-brokerage"},
			RegulatedActivities: []string{"personal-care"},
			Members: []pathway.Member{
				{Name: "Kofi Brightwater", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Marguerite Oddie", Class: pathway.ClassServiceUser, Role: pathway.MemberDirector},
				{Name: "Lorcan Bellweather", Class: pathway.ClassFamilyCarer, Role: pathway.MemberOrdinary},
				{Name: "Yusra Fairclough", Class: pathway.ClassWorker, Role: pathway.MemberOrdinary},
			},
			Founders: []string{UserFounderTogether},
			Stage:    pathway.StageApplied,
		},
		History: []Step{applied(1, UserFounderTogether)},
	},
	{
		// A micro-enterprise network in a rural county, registered with CQC.
		Coop: &pathway.Coop{
			ID: CoopMendip, Name: "Mendip Micro-Care Network",
			Programme: ProgConvert, LegalForm: pathway.FormCooperativeSociety, Origin: "partnership",
			LocalAuthority: "Somerset", Services: []string{"home-care", "shared-lives"},
			RegulatedActivities: []string{"personal-care"},
			Members: []pathway.Member{
				{Name: "Bryony Tallack", Class: pathway.ClassWorker, Role: pathway.MemberNominatedIndividual},
				{Name: "Hollis Penhaligon", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
				{Name: "Elowen Trevethick", Class: pathway.ClassCommunity, Role: pathway.MemberDirector},
			},
			Founders:   []string{UserFounderMendip},
			Stage:      pathway.StageCQCRegistered,
			ProviderID: "1-900000001",
			// An invented FCA mutuals register number no society has.
			RegisterNumber: "DEMO0001",
		},
		History: []Step{
			applied(240, UserFounderMendip), screened(239), accepted(210, UserAgencyWessex),
			verified(150, UserAgencyWessex), submitted(140, UserFounderMendip),
			{DaysAgo: 30, Actor: UserAgencyWessex, Action: pathway.ActionCQCRegistered, Summary: "CQC registered the co-op, provider ID 1-900000001.", To: pathway.StageCQCRegistered},
		},
	},
	{
		// A home-care co-op on the Somerset Levels, registered with CQC: it
		// wins the demo council's reablement contract (LiveTenders), which
		// moves it on to contracted.
		Coop: &pathway.Coop{
			ID: CoopBrue, Name: "Brue Valley Home Care Co-operative",
			Programme: ProgConvert, LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginConversion,
			LocalAuthority: "Somerset", Services: []string{"home-care", "reablement"},
			RegulatedActivities: []string{"personal-care"},
			Members: []pathway.Member{
				{Name: "Morwenna Tregallow", Class: pathway.ClassWorker, Role: pathway.MemberNominatedIndividual},
				{Name: "Ptolemy Haddacott", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
				{Name: "Demelza Rowsell-Pike", Class: pathway.ClassServiceUser, Role: pathway.MemberDirector},
			},
			Founders:   []string{UserFounderBrue},
			Stage:      pathway.StageCQCRegistered,
			ProviderID: "1-900000003",
		},
		History: []Step{
			applied(400, UserFounderBrue), screened(399), accepted(370, UserAgencyWessex),
			verified(300, UserAgencyWessex), submitted(290, UserFounderBrue),
			{DaysAgo: 200, Actor: UserAgencyWessex, Action: pathway.ActionCQCRegistered, Summary: "CQC registered the co-op, provider ID 1-900000003.", To: pathway.StageCQCRegistered},
		},
	},
	{
		// A carers' co-op in the Blackdown Hills, registered with CQC: it
		// bids for the demo council's tenders and wins supported living
		// (in standstill), losing reablement.
		Coop: &pathway.Coop{
			ID: CoopBlackdown, Name: "Blackdown Hills Carers' Co-operative",
			Programme: ProgConvert, LegalForm: pathway.FormCommunityBenefit, Origin: pathway.OriginPartnership,
			LocalAuthority: "Somerset", Services: []string{"home-care", "supported-living", "reablement"},
			RegulatedActivities: []string{"personal-care"},
			Members: []pathway.Member{
				{Name: "Jago Pennystone", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Tamsyn Colebrooke", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
				{Name: "Evander Quickfall", Class: pathway.ClassFamilyCarer, Role: pathway.MemberDirector},
			},
			Founders:   []string{UserFounderBlackdown},
			Stage:      pathway.StageCQCRegistered,
			ProviderID: "1-900000004",
		},
		History: []Step{
			applied(360, UserFounderBlackdown), screened(359), accepted(330, UserAgencyWessex),
			verified(250, UserAgencyWessex), submitted(240, UserFounderBlackdown),
			{DaysAgo: 120, Actor: UserAgencyWessex, Action: pathway.ActionCQCRegistered, Summary: "CQC registered the co-op, provider ID 1-900000004.", To: pathway.StageCQCRegistered},
		},
	},
	{
		// An application the panel declined: too few founders committed yet.
		Coop: &pathway.Coop{
			ID: "coop-riverside-companions", Name: "Riverside Companions",
			Programme: ProgStartUp, LegalForm: pathway.FormNotYetIncorporated, Origin: "new-start",
			LocalAuthority: "Calderdale", Services: []string{"prevention", "meals"},
			Members: []pathway.Member{
				{Name: "Nell Ashworthy", Class: pathway.ClassSupporter, Role: pathway.MemberOrdinary},
				{Name: "Gideon Flaxby", Class: pathway.ClassCommunity, Role: pathway.MemberDirector},
				{Name: "Peregrine Stott", Class: pathway.ClassCommunity, Role: pathway.MemberDirector},
			},
			Founders: []string{UserFounderCalder},
			Stage:    pathway.StageDeclined,
		},
		History: []Step{
			applied(80, UserFounderCalder), screened(80),
			{DaysAgo: 66, Actor: UserAgencyLead, Action: pathway.ActionPanelDeclined, Summary: "The panel declined the application and suggested reapplying with a firmer founding group.", To: pathway.StageDeclined},
		},
	},
	{
		// A domiciliary care co-op that CQC refused after its
		// representations did not answer the concerns in the notice.
		Coop: &pathway.Coop{
			ID: "coop-purbeck-home-support", Name: "Purbeck Home Support Co-op",
			Programme: ProgConvert, LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginConversion,
			LocalAuthority: "Dorset", Services: []string{"home-care"},
			RegulatedActivities: []string{"personal-care"},
			Members: []pathway.Member{
				{Name: "Marigold Fennimore", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Barnaby Coombe-Lacey", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
			},
			Founders: []string{UserFounderPurbeck},
			Stage:    pathway.StageCQCRefused,
		},
		History: []Step{
			applied(300, UserFounderPurbeck), screened(299), accepted(270, UserAgencyWessex),
			verified(200, UserAgencyWessex), submitted(190, UserFounderPurbeck),
			{DaysAgo: 100, Actor: UserAgencyWessex, Action: pathway.ActionCQCProposalToRefuse, Summary: "CQC gave notice of a proposal to refuse registration; the co-op has 28 days to send written representations.", To: pathway.StageCQCProposalToRefuse},
			{DaysAgo: 45, Actor: UserAgencyWessex, Action: pathway.ActionCQCRefused, Summary: "CQC refused registration.", To: pathway.StageCQCRefused},
		},
	},
	{
		// A home care co-op that got through registration, traded for a
		// year and then closed when its members voted to wind it up: the
		// agency recorded the closure (pathway.AgencyMoves).
		Coop: &pathway.Coop{
			ID: "coop-tamar-crossing-care", Name: "Tamar Crossing Care Co-operative",
			Programme: ProgConvert, LegalForm: pathway.FormCooperativeSociety, Origin: pathway.OriginConversion,
			LocalAuthority: "Cornwall", Services: []string{"home-care"},
			RegulatedActivities: []string{"personal-care"},
			Members: []pathway.Member{
				{Name: "Loveday Penhallow", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Jory Trevithick-Nance", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
			},
			Founders:   []string{UserFounderPurbeck},
			Stage:      pathway.StageClosed,
			ProviderID: "1-900000009",
		},
		History: []Step{
			applied(620, UserFounderPurbeck), screened(619), accepted(590, UserAgencyWessex),
			verified(520, UserAgencyWessex), submitted(510, UserFounderPurbeck),
			{DaysAgo: 430, Actor: UserAgencyWessex, Action: pathway.ActionCQCRegistered, Summary: "CQC registered the co-op, provider ID 1-900000009.", To: pathway.StageCQCRegistered},
			{DaysAgo: 40, Actor: UserAgencyWessex, Action: pathway.ActionCoopClosed, Summary: "The members voted to wind the co-op up after its main contract ended; the agency recorded the closure.", To: pathway.StageClosed},
		},
	},
	{
		// A homeshare co-op whose founders withdrew while preparing for
		// CQC. No workflow path leads to withdrawn (the workflows have no
		// withdrawal step yet), so it can only be stored as history.
		Coop: &pathway.Coop{
			ID: "coop-holme-moss-homeshare", Name: "Holme Moss Homeshare Co-operative",
			Programme: ProgStartUp, LegalForm: pathway.FormCommunityBenefit, Origin: "new-start",
			LocalAuthority: "Kirklees", Services: []string{"home-care", "prevention"},
			RegulatedActivities: []string{"personal-care"},
			Members: []pathway.Member{
				{Name: "Idris Pennock", Class: pathway.ClassWorker, Role: pathway.MemberDirector},
				{Name: "Clemency Ormerod", Class: pathway.ClassCommunity, Role: pathway.MemberDirector},
				{Name: "Thaddeus Birkinshaw", Class: pathway.ClassWorker, Role: pathway.MemberRegisteredManager},
			},
			Founders: []string{UserFounderCalder2},
			Stage:    pathway.StageWithdrawn,
		},
		History: []Step{
			applied(150, UserFounderCalder2), screened(149), accepted(130, UserAgencyPennine),
			{DaysAgo: 20, Actor: UserFounderCalder2, Action: pathway.ActionCoopWithdrawn, Summary: "The founders withdrew from the programme: two founding members took jobs elsewhere and the group has paused.", To: pathway.StageWithdrawn},
		},
	},
}
