package pathway

// Term is one value of an enumeration: the code records and the API
// carry, and its words for people. Each enumeration below is the one list
// of its values, in the order forms offer them; the validator's oneof
// rules on the records name the same set of codes (a test holds them
// together), in the order their messages list them.
type Term struct {
	// Code is the value stored and sent.
	Code string `json:"code"`
	// Name says it in words: as a label on forms and pages, or, for
	// services, as it reads in the middle of a sentence.
	Name string `json:"name"`
	// Hint says more, where a form helps people choose.
	Hint string `json:"hint,omitempty"`
	// Formal says it as the law names it, where a sentence must follow
	// the statute (regulated activities); otherwise empty.
	Formal string `json:"formal,omitempty"`
}

// LegalForms are the legal forms a co-op may have or intend.
var LegalForms = []Term{
	{Code: FormCooperativeSociety, Name: "Co-operative society", Hint: "Registered with the FCA under the Co-operative and Community Benefit Societies Act 2014"},
	{Code: FormCommunityBenefit, Name: "Community benefit society", Hint: "Registered with the FCA, usually with an asset lock"},
	{Code: FormCommunityInterest, Name: "Community interest company"},
	{Code: FormGuarantee, Name: "Company limited by guarantee"},
	{Code: FormPrivateCompany, Name: "Private company limited by shares", Hint: "For example a business converting to a co-op"},
	{Code: FormNotYetIncorporated, Name: "Not incorporated yet", Hint: "The programme can help you choose a legal form"},
}

// Origins are the ways a co-op comes about.
var Origins = []Term{
	{Code: OriginNewStart, Name: "A new start"},
	{Code: OriginConversion, Name: "Converting an existing business", Hint: "For example an owner selling to the staff"},
	{Code: OriginSpinOut, Name: "A spin-out from a council"},
	{Code: OriginPartnership, Name: "Set up with a charity"},
	{Code: OriginSocietyVenture, Name: "A venture of an existing co-op"},
	{Code: OriginContracting, Name: "Formed to bid for a contract"},
}

// Services are the kinds of care and support a co-op may provide (the
// NAO's list of care and support services): a service missing from this
// list is not a care or support service. Names read in a sentence.
var Services = []Term{
	{Code: "home-care", Name: "home care"},
	{Code: "supported-living", Name: "supported living"},
	{Code: "extra-care-housing", Name: "extra care housing"},
	{Code: "shared-lives", Name: "Shared Lives"},
	{Code: "day-care", Name: "day care"},
	{Code: "reablement", Name: "reablement"},
	{Code: "care-home", Name: "care homes"},
	{Code: "nursing-care", Name: "nursing care"},
	{Code: "carers-services", Name: "carers' services"},
	{Code: "advice-brokerage", Name: "advice and brokerage"},
	{Code: "equipment", Name: "equipment"},
	{Code: "meals", Name: "meals"},
	{Code: "telecare", Name: "telecare"},
	{Code: "prevention", Name: "prevention"},
}

// RegulatedActivities are the CQC regulated activities a co-op may
// register for, Formal as Schedule 1 of the Regulated Activities
// Regulations 2014 names them.
var RegulatedActivities = []Term{
	{Code: ActivityPersonalCare, Name: "Personal care", Hint: "Help with washing, dressing, eating or medicines in people's own homes",
		Formal: "personal care"},
	{Code: ActivityAccommodationPersonalCare, Name: "Accommodation for people who need nursing or personal care",
		Formal: "accommodation for persons who require nursing or personal care"},
	{Code: ActivityNursingCare, Name: "Nursing care", Formal: "nursing care"},
	{Code: ActivityTreatment, Name: "Treatment of disease, disorder or injury", Formal: "treatment of disease, disorder or injury"},
}

// MemberClasses are the membership classes of a multi-stakeholder co-op.
var MemberClasses = []Term{
	{Code: ClassWorker, Name: "Worker"},
	{Code: ClassServiceUser, Name: "Person who uses the service"},
	{Code: ClassFamilyCarer, Name: "Family carer"},
	{Code: ClassCommunity, Name: "Community member"},
	{Code: ClassSupporter, Name: "Supporter or investor"},
}

// MemberRoles are the roles a member can hold in the co-op's governance
// and CQC registration.
var MemberRoles = []Term{
	{Code: MemberDirector, Name: "Director"},
	{Code: MemberCommitteeMember, Name: "Committee member"},
	{Code: MemberRegisteredManager, Name: "Registered manager"},
	{Code: MemberNominatedIndividual, Name: "Nominated individual"},
	{Code: MemberOrdinary, Name: "Member"},
}

// ChecklistGroups are the groups of the CQC checklist, in the order the
// task list shows them.
var ChecklistGroups = []Term{
	{Code: GroupOrganisation, Name: "Organisation"},
	{Code: GroupPeople, Name: "People: registered manager, nominated individual and fit and proper persons"},
	{Code: GroupPurpose, Name: "Statement of purpose"},
	{Code: GroupPolicies, Name: "Policies"},
	{Code: GroupFinance, Name: "Finance"},
	{Code: GroupInsurance, Name: "Insurance"},
	{Code: GroupSubmission, Name: "Final check before you apply to CQC"},
}

// TermOf returns the term of code among terms, and whether it is one.
func TermOf(terms []Term, code string) (Term, bool) {
	for _, t := range terms {
		if t.Code == code {
			return t, true
		}
	}
	return Term{}, false
}

// TermName returns the words for code among terms, or the code made
// readable when it is none of them.
func TermName(terms []Term, code string) string {
	if t, ok := TermOf(terms, code); ok {
		return t.Name
	}
	return Readable(code)
}

// TermCodes returns the codes of terms, in order.
func TermCodes(terms []Term) []string {
	out := make([]string, len(terms))
	for i, t := range terms {
		out[i] = t.Code
	}
	return out
}
