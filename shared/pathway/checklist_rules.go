package pathway

import (
	"fmt"
	"slices"
)

// Regulated activities a co-op may register with CQC.
const (
	ActivityPersonalCare              = "personal-care"
	ActivityAccommodationPersonalCare = "accommodation-personal-care"
	ActivityNursingCare               = "nursing-care"
	ActivityTreatment                 = "treatment"
)

// Fixed checklist item IDs. Fit and proper person items are numbered:
// FPPRItemID(1), FPPRItemID(2), … one per director or committee member.
const (
	ItemOrgLegal       = "ORG-LEGAL"
	ItemInsEmployers   = "ORG-INS-EL"
	ItemInsPublic      = "ORG-INS-PL"
	ItemInsIndemnity   = "ORG-INS-PI"
	ItemPremises       = "ORG-PREM"
	ItemScope          = "RA-SCOPE"
	ItemBusinessPlan   = "FIN-BP"
	ItemViability      = "FIN-FVS"
	ItemNominated      = "PPL-NI"
	ItemManager        = "PPL-RM"
	ItemRecruitment    = "PPL-REC"
	ItemSubmissionGate = "SUB-READY"
)

// FPPRItemID returns the ID of the n-th fit and proper person item, from 1.
func FPPRItemID(n int) string { return fmt.Sprintf("PPL-FPPR-%d", n) }

// Citations, written once so every item cites alike. They go in an
// item's Why ("Why we ask"), never in its guidance.
const (
	citeRegistration = "CQC (Registration) Regulations 2009"
	citeActivities   = "Health and Social Care Act 2008 (Regulated Activities) Regulations 2014"
	citeSOP          = "Reg 12 and Schedule 3, " + citeRegistration
)

// because says why an item is asked for: the rule it answers to.
func because(rule string) string { return "CQC checks this against " + rule + "." }

// Official pages items link to. CQC's provider portal is where providers
// and registered managers deal with CQC online; the DBS pages are GOV.UK's.
var (
	LinkProviderPortal  = Link{Text: "CQC provider portal", URL: "https://www.cqc.org.uk/guidance-regulation/provider-portal"}
	LinkCQCRegistration = Link{Text: "CQC: registering as a provider", URL: "https://www.cqc.org.uk/guidance-providers/registration"}
	LinkDBS             = Link{Text: "Disclosure and Barring Service (GOV.UK)", URL: "https://www.gov.uk/government/organisations/disclosure-and-barring-service"}
	LinkDBSWhichCheck   = Link{Text: "Find out which DBS check is right (GOV.UK)", URL: "https://www.gov.uk/find-out-dbs-check"}
)

// dbsLinks are the links of every item that needs a DBS check.
var dbsLinks = []Link{LinkDBS, LinkDBSWhichCheck}

// sopElements are the five elements of a statement of purpose, in the
// order of Schedule 3: each becomes one item, SOP-01 to SOP-05.
var sopElements = []struct{ title, guidance string }{
	{"Statement of purpose: aims and objectives",
		"Say what the co-op aims to achieve for the people it supports and how working as a co-operative serves that."},
	{"Statement of purpose: kinds of service and range of needs",
		"Describe the kinds of service you will provide and the range of needs they meet, for example older people, people with dementia, people with learning disabilities."},
	{"Statement of purpose: provider and registered manager contact details",
		"Give the name, address, telephone number and email address of the co-op as provider and of the registered manager."},
	{"Statement of purpose: legal status",
		"State the co-op's legal status, for example a co-operative society registered with the Financial Conduct Authority, with its registration number."},
	{"Statement of purpose: locations",
		"List the address of each location from which the regulated activities are managed or provided."},
}

// policies are the eight policies every registering co-op shows, with the
// regulation each answers to.
var policies = []struct{ id, title, guidance, why string }{
	{"POL-CONSENT", "Consent policy",
		"How staff seek and record consent to care, and act under the Mental Capacity Act 2005 when a person lacks capacity.", "Reg 11, " + citeActivities},
	{"POL-EDHR", "Equality, diversity and human rights policy",
		"How the co-op treats people with dignity and respect and meets the Equality Act 2010.", "Reg 10, " + citeActivities},
	{"POL-GOV", "Governance and information policy, including UK GDPR",
		"How the co-op's members and committee oversee quality and risk, keep records, and protect personal data under UK GDPR.", "Reg 17, " + citeActivities},
	{"POL-IPC", "Infection prevention and control policy",
		"How staff prevent and control infection, following the Code of Practice on infection prevention and control.", "Reg 12, " + citeActivities},
	{"POL-MEDS", "Medicines policy",
		"How staff support people with their medicines safely, the training they get, and how errors are reported.", "Reg 12, " + citeActivities},
	{"POL-RECRUIT", "Recruitment policy",
		"How the co-op recruits members and staff safely, with the checks the regulations list: identity, an enhanced DBS check, employment history, references and qualifications.", "Reg 19, " + citeActivities},
	{"POL-SAFEG", "Safeguarding policy, naming the safeguarding lead",
		"How staff recognise and report abuse, and the named person who leads on safeguarding: even a co-operatively run service needs one.", "Reg 13, " + citeActivities},
	{"POL-COMPLAINTS", "Complaints policy",
		"How people and families can complain, how complaints are investigated, and how they can take a complaint further.", "Reg 16, " + citeActivities},
}

// BuildChecklist returns the CQC readiness checklist for a co-op, every item
// not started. Which items apply follows from the co-op: a co-op with no
// regulated activity needs no CQC registration, so it gets only the
// organisation and insurance items; one that is not yet incorporated is told
// to incorporate first; and there is one fit and proper person item for each
// director or committee member. Items come in the order the task list shows
// them (by group).
func BuildChecklist(c *Coop) []*ChecklistItem {
	if c == nil {
		return nil
	}
	regulated := c.NeedsCQC()
	var items []*ChecklistItem
	add := func(it item) {
		items = append(items, &ChecklistItem{
			Coop: c.ID, ID: it.id, Group: it.group, Title: Clip(it.title, 200), Guidance: Clip(it.guidance, 2000),
			Why: Clip(it.why, 2000), Links: it.links, Required: it.required, Status: ItemNotStarted,
		})
	}
	add(legalItem(c))
	add(premisesItem(c))
	if regulated {
		add(item{ItemScope, GroupOrganisation, "Regulated activities to register", scopeGuidance(c),
			"Carrying on a regulated activity without registration is an offence (section 10, Health and Social Care Act 2008).", nil, true})
		peopleItems(c, add)
		for i, e := range sopElements {
			g := e.guidance
			if i == 0 {
				g += " Keep the statement under review and send CQC any revision within 28 days."
			}
			add(item{fmt.Sprintf("SOP-%02d", i+1), GroupPurpose, e.title, g, because(citeSOP), nil, true})
		}
		for _, p := range policies {
			add(item{p.id, GroupPolicies, p.title, p.guidance, because(p.why), nil, true})
		}
		add(item{ItemBusinessPlan, GroupFinance, "Business plan with a two-year forecast",
			"A business plan showing the services, the members who will deliver them, the commissioners or people who will buy them, and income and costs for the first two years.", "", nil, true})
		add(item{ItemViability, GroupFinance, "Financial viability statement",
			"A statement, signed by an accountant or the co-op's bank, that the co-op has the money to carry on the regulated activities for its first year.",
			"Providers must stay financially viable. " + because("Reg 13, "+citeRegistration), nil, true})
	}
	add(item{ItemInsEmployers, GroupInsurance, "Employers' liability insurance",
		"Legally required once the co-op employs anyone, including worker-members on its payroll: cover of at least £5 million from an authorised insurer. Upload the certificate.",
		"The Employers' Liability (Compulsory Insurance) Act 1969 requires it.", nil, true})
	add(item{ItemInsPublic, GroupInsurance, "Public liability insurance",
		"Covers injury or damage to the people you support, visitors and their property. Not a legal requirement, but commissioners and CQC expect it.", "", nil, false})
	add(item{ItemInsIndemnity, GroupInsurance, "Professional indemnity insurance",
		"Covers claims that care or advice given was negligent. Not a legal requirement for every service, but commissioners usually ask for it.", "", nil, false})
	if regulated {
		add(item{ItemSubmissionGate, GroupSubmission, "Ready to apply to CQC",
			"A last check with your agency that the provider application and the registered manager's application are complete and can go in together: CQC returns incomplete applications.",
			"", []Link{LinkProviderPortal, LinkCQCRegistration}, true})
	}
	return items
}

// item is a checklist item as BuildChecklist writes it.
type item struct {
	id, group, title, guidance, why string
	links                           []Link
	required                        bool
}

// legalItem is ORG-LEGAL, whose words depend on whether the co-op has been
// incorporated yet.
func legalItem(c *Coop) item {
	it := item{id: ItemOrgLegal, group: GroupOrganisation, required: true,
		why: "CQC registers a legal entity, and the statement of purpose must state its legal status. " + because(citeSOP)}
	switch c.LegalForm {
	case FormNotYetIncorporated:
		it.title = "Incorporate the co-op before applying to CQC"
		it.guidance = "Register the co-op first, for example as a co-operative society with the Financial Conduct Authority under the Co-operative and Community Benefit Societies Act 2014, with rules that give each member one vote; then upload the certificate of registration and the rules."
	case FormPrivateCompany:
		it.title = "Show the company's registration and its plan to convert"
		it.guidance = "Upload the certificate of incorporation, the articles, and the members' resolution and timetable for converting to co-operative ownership with one member, one vote."
	default:
		it.title = "Show the co-op's legal registration"
		it.guidance = "Upload the certificate of registration (Financial Conduct Authority for a society, Companies House for a company) and the rules or articles, which should give each member one vote."
	}
	return it
}

// premisesItem is ORG-PREM; a care home's premises are themselves
// regulated, an office is a location on the application.
func premisesItem(c *Coop) item {
	it := item{id: ItemPremises, group: GroupOrganisation, title: "Office or premises", required: c.NeedsCQC(),
		guidance: "Upload the lease or licence for the address the co-op works from."}
	if !c.NeedsCQC() {
		return it
	}
	it.guidance += " The address from which the regulated activities are managed is a location on the CQC application."
	it.why = because(citeSOP)
	if slices.Contains(c.RegulatedActivities, ActivityAccommodationPersonalCare) {
		it.guidance += " Where people live in the premises, show they are suitable, safe and well maintained."
		it.why = "The statement of purpose lists each location (" + citeSOP + "); premises where people live must be suitable, safe and well maintained (Reg 15, " + citeActivities + ")."
	}
	return it
}

// scopeGuidance lists the regulated activities the co-op said it will carry on.
func scopeGuidance(c *Coop) string {
	names := make([]string, 0, len(c.RegulatedActivities))
	for _, a := range c.RegulatedActivities {
		if t, ok := TermOf(RegulatedActivities, a); ok {
			names = append(names, t.Formal)
		} else {
			names = append(names, a)
		}
	}
	return "Confirm you will register for " + JoinAnd(names) + ". Register for every regulated activity you will carry on and no others."
}

// peopleItems adds the nominated individual, the registered manager, one fit
// and proper person item for each director or committee member, and safer
// recruitment.
func peopleItems(c *Coop, add func(item)) {
	ni, rm := memberWithRole(c, MemberNominatedIndividual), memberWithRole(c, MemberRegisteredManager)
	niTitle, rmTitle := "Appoint a nominated individual", "Recruit a registered manager"
	if ni != "" {
		niTitle = "Nominated individual: " + ni
	}
	if rm != "" {
		rmTitle = "Registered manager: " + rm
	}
	add(item{ItemNominated, GroupPeople, niTitle,
		"A co-op registering with CQC names a nominated individual, a director, manager or secretary of the co-op, to supervise the management of the regulated activities. They need an enhanced DBS check.",
		because("Reg 6, " + citeActivities), dbsLinks, true})
	add(item{ItemManager, GroupPeople, rmTitle,
		"The registered manager applies to CQC alongside the co-op and must be of good character with the skills and experience to manage the service. They need a CQC-countersigned enhanced DBS certificate with the adult barred list, less than 12 months old when CQC receives the application. It can take up to 8 weeks, so start it first.",
		because("Reg 7, " + citeActivities), dbsLinks, true})
	n := 0
	for _, m := range c.Members {
		if m.Role != MemberDirector && m.Role != MemberCommitteeMember {
			continue
		}
		n++
		add(item{FPPRItemID(n), GroupPeople, "Fit and proper person checks: " + m.Name, fpprGuidance, fpprWhy, dbsLinks, true})
	}
	if n == 0 {
		add(item{FPPRItemID(1), GroupPeople, "Name the co-op's directors or committee members", "The application names no director or committee member. " + fpprGuidance, fpprWhy, dbsLinks, true})
	}
	add(item{ItemRecruitment, GroupPeople, "Safer recruitment",
		"Show the checks made before anyone gives care: proof of identity, an enhanced DBS check with the adult barred list, a full employment history with gaps explained, references, right to work and qualifications.",
		because("Reg 19 and Schedule 3, " + citeActivities), dbsLinks, true})
}

// fpprGuidance explains a fit and proper person item; fpprWhy its rule.
const (
	fpprGuidance = "Every director and committee member of a registered provider must be a fit and proper person: an enhanced DBS check, proof of identity, employment history, searches of the insolvency and disqualified directors registers, and a signed declaration that none of the unfit grounds apply."
	fpprWhy      = "CQC checks this against Reg 5, " + citeActivities + "."
)

// memberWithRole returns the name of the first member with the role, or "".
func memberWithRole(c *Coop, role string) string {
	for _, m := range c.Members {
		if m.Role == role {
			return m.Name
		}
	}
	return ""
}
