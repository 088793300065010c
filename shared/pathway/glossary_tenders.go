package pathway

// The tenders phase's terms (issue 14), appended to the glossary so that
// the council's and the founders' pages explain them where first used.
// Facts follow the Procurement Act 2023 as shared/tenders cites it.
func init() {
	Glossary = append(Glossary, tenderTerms...)
}

var tenderTerms = []Definition{
	{ID: "tender", Term: "Tender", Forms: []string{"tenders", "tender"},
		Meaning: "A council's invitation to bid for a contract to provide care, published as a tender notice (UK4) under the Procurement Act 2023. Bids are sealed until the deadline: nobody at the council can read them before it passes."},
	{ID: "tender-notice", Term: "Tender notice (UK4)", Forms: []string{"tender notice", "UK4"},
		Meaning: "The notice a council publishes on the central digital platform (Find a Tender) to invite bids. Publishing a tender here records it, and bids open."},
	{ID: "lot", Term: "Lot", Forms: []string{"lots", "lot"},
		Meaning: "A part of a tender that is bid for and awarded on its own, for example one area of a council. A co-op may bid for one lot or several."},
	{ID: "light-touch", Term: "Light touch contract", Forms: []string{"light touch", "light-touch"},
		Meaning: "A contract for services such as social care that the Procurement Act 2023 treats more flexibly (Schedule 1 and the Procurement Regulations 2024): a higher threshold, standstill is voluntary, and 120 days to publish the contract details notice."},
	{ID: "public-service-mutual", Term: "Public service mutual (reserved contract)", Forms: []string{"public service mutuals", "public service mutual", "reserved contract"},
		Meaning: "An organisation that exists to deliver public services, is not-for-profit or shares profits only among its members, and is managed and controlled by its employees. A council may reserve a light touch contract of at most 5 years for them (Procurement Act 2023, section 33)."},
	{ID: "social-value", Term: "Social value", Forms: []string{"social value"},
		Meaning: "What a contract does for the area beyond the service itself, such as local jobs or volunteering. Councils weigh it among the award criteria; this service asks for at least the council's minimum weight (10% unless the council sets another)."},
	{ID: "standstill", Term: "Standstill", Forms: []string{"standstill"},
		Meaning: "A pause of 8 working days after the contract award notice is published, during which the council may not enter into the contract, so that bidders can challenge the decision (Procurement Act 2023, section 51). Weekends, Christmas Day, Good Friday and bank holidays anywhere in the UK do not count."},
	{ID: "assessment-summary", Term: "Assessment summary", Forms: []string{"assessment summaries", "assessment summary"},
		Meaning: "What each bidder is told about its bid before the award notice: its scores and reasons per criterion, the winner's scores, and why it did or did not win (Procurement Act 2023, section 50)."},
	{ID: "contract-award-notice", Term: "Contract award notice (UK6)", Forms: []string{"contract award notice", "UK6"},
		Meaning: "The notice a council publishes when it has decided who wins the contract (Procurement Act 2023, section 50). Standstill starts from the day it is published."},
	{ID: "contract-details-notice", Term: "Contract details notice (UK7)", Forms: []string{"contract details notice", "UK7"},
		Meaning: "The notice a council publishes after it enters into the contract: within 30 days, or 120 days for a light touch contract (Procurement Act 2023, section 53)."},
	{ID: "moderation", Term: "Moderation", Forms: []string{"moderates", "moderation"},
		Meaning: "The lead reads every evaluator's scores and reasons for a bid and agrees one score and reason per criterion, which decide the bid's total and rank."},
}
