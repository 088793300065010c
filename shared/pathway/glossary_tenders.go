package pathway

// The tenders phase's terms (issue 14), added to the glossary when the
// package starts: kept in their own file so the phase's words stay together.
// The facts follow the Procurement Act 2023 as shared/tenders cites it.
func init() {
	Glossary = append(Glossary, tenderTerms...)
}

var tenderTerms = []Definition{
	{ID: "tender", Term: "Tender", Forms: []string{"tenders", "tender"},
		Meaning: "A council's invitation to bid for a contract to provide care, with what it buys, how bids are judged and the deadline. A co-op's answer to it is its bid (sometimes also called a tender)."},
	{ID: "lot", Term: "Lot", Forms: []string{"lots", "lot"},
		Meaning: "One part of a tender, such as one area or one kind of care, bid for and awarded on its own. A co-op may bid for one lot, several or all of them."},
	{ID: "light-touch", Term: "Light touch contract", Forms: []string{"light-touch", "light touch"},
		Meaning: "A contract for services such as social care that the Procurement Act 2023 treats more flexibly than others: for example the standstill before the contract is voluntary, and the contract details notice is due within 120 days instead of 30."},
	{ID: "public-service-mutual", Term: "Public service mutual (reserved contract)", Forms: []string{"public service mutuals", "public service mutual", "reserved contract", "reserved tender"},
		Meaning: "An organisation that exists to deliver public services, is not-for-profit or shares profits only among its members, and is managed and controlled by its employees. A council may reserve a light touch contract of up to 5 years for such mutuals (Procurement Act 2023, section 33): only they may bid, and only if the council has not given them a comparable reserved contract in the last 3 years."},
	{ID: "social-value", Term: "Social value", Forms: []string{"social value", "social-value"},
		Meaning: "The wider good a contract does for the area beyond the service itself, such as local jobs, fair pay or volunteering. Councils score it as one of the award criteria."},
	{ID: "standstill", Term: "Standstill", Forms: []string{"standstill"},
		Meaning: "The pause of at least 8 working days after the council publishes who won, before it may sign the contract, so that a bidder can challenge the decision (Procurement Act 2023, section 51). Weekends, Christmas Day, Good Friday and bank holidays anywhere in the UK do not count."},
	{ID: "assessment-summary", Term: "Assessment summary", Forms: []string{"assessment summaries", "assessment summary"},
		Meaning: "What the council tells each bidder after deciding the award: the bid's own scores with reasons for each criterion, the winner's scores, and why it won or did not (Procurement Act 2023, section 50)."},
	// The council's pages' terms: the notices and moderation.
	{ID: "tender-notice", Term: "Tender notice (UK4)", Forms: []string{"tender notice", "UK4"},
		Meaning: "The notice a council publishes on the central digital platform (Find a Tender) to invite bids. Publishing a tender here records it, and bids open."},
	{ID: "contract-award-notice", Term: "Contract award notice (UK6)", Forms: []string{"contract award notice", "UK6"},
		Meaning: "The notice a council publishes when it has decided who wins the contract, after sending the assessment summaries (Procurement Act 2023, section 50). Standstill starts from the day it is published."},
	{ID: "contract-details-notice", Term: "Contract details notice (UK7)", Forms: []string{"contract details notice", "UK7"},
		Meaning: "The notice a council publishes after it enters into the contract: within 30 days, or 120 days for a light touch contract (Procurement Act 2023, section 53)."},
	{ID: "moderation", Term: "Moderation", Forms: []string{"moderates", "moderation"},
		Meaning: "The lead reads every evaluator's scores and reasons for a bid and agrees one score and reason per criterion, which decide the bid's total and rank."},
}
