package pages

import (
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// option is one choice of a radio group, checkbox group or select.
type option struct {
	Value, Label, Hint string
}

// The people who use the pages see words, never codes: each list below
// says a code in plain English, in the order a form offers the choices.
var (
	legalForms = []option{
		{pathway.FormCooperativeSociety, "Co-operative society", "Registered with the FCA under the Co-operative and Community Benefit Societies Act 2014"},
		{pathway.FormCommunityBenefit, "Community benefit society", "Registered with the FCA, usually with an asset lock"},
		{pathway.FormCommunityInterest, "Community interest company", ""},
		{pathway.FormGuarantee, "Company limited by guarantee", ""},
		{pathway.FormPrivateCompany, "Private company limited by shares", "For example a business converting to a co-op"},
		{pathway.FormNotYetIncorporated, "Not incorporated yet", "The programme can help you choose a legal form"},
	}
	origins = []option{
		{pathway.OriginNewStart, "A new start", ""},
		{pathway.OriginConversion, "Converting an existing business", "For example an owner selling to the staff"},
		{pathway.OriginSpinOut, "A spin-out from a council", ""},
		{pathway.OriginPartnership, "Set up with a charity", ""},
		{pathway.OriginSocietyVenture, "A venture of an existing co-op", ""},
		{pathway.OriginContracting, "Formed to bid for a contract", ""},
	}
	serviceCodes = []string{
		"home-care", "supported-living", "extra-care-housing", "shared-lives", "day-care", "reablement", "care-home",
		"nursing-care", "carers-services", "advice-brokerage", "equipment", "meals", "telecare", "prevention",
	}
	activities = []option{
		{pathway.ActivityPersonalCare, "Personal care", "Help with washing, dressing, eating or medicines in people's own homes"},
		{pathway.ActivityAccommodationPersonalCare, "Accommodation for people who need nursing or personal care", ""},
		{pathway.ActivityNursingCare, "Nursing care", ""},
		{pathway.ActivityTreatment, "Treatment of disease, disorder or injury", ""},
	}
	memberClasses = []option{
		{pathway.ClassWorker, "Worker", ""},
		{pathway.ClassServiceUser, "Person who uses the service", ""},
		{pathway.ClassFamilyCarer, "Family carer", ""},
		{pathway.ClassCommunity, "Community member", ""},
		{pathway.ClassSupporter, "Supporter or investor", ""},
	}
	memberRoles = []option{
		{pathway.MemberDirector, "Director", ""},
		{pathway.MemberCommitteeMember, "Committee member", ""},
		{pathway.MemberRegisteredManager, "Registered manager", ""},
		{pathway.MemberNominatedIndividual, "Nominated individual", ""},
		{pathway.MemberOrdinary, "Member", ""},
	}
)

// stageNames says each stage as the pipeline board and co-op pages show it.
var stageNames = map[string]string{
	pathway.StageApplied:             "Applied",
	pathway.StageIneligible:          "Not eligible",
	pathway.StageAwaitingPanel:       "Waiting for the panel",
	pathway.StageDeclined:            "Declined by the panel",
	pathway.StageCQCPreparing:        "Preparing for CQC",
	pathway.StageCQCReady:            "Ready to apply to CQC",
	pathway.StageCQCSubmitted:        "Applied to CQC",
	pathway.StageCQCProposalToRefuse: "CQC proposes to refuse",
	pathway.StageCQCRegistered:       "Registered with CQC",
	pathway.StageCQCRefused:          "Refused by CQC",
	pathway.StageWithdrawn:           "Withdrawn",
}

// groupNames names the checklist groups on the task list.
var groupNames = map[string]string{
	pathway.GroupOrganisation: "Organisation",
	pathway.GroupPeople:       "People: registered manager, nominated individual and fit and proper persons",
	pathway.GroupPurpose:      "Statement of purpose",
	pathway.GroupPolicies:     "Policies",
	pathway.GroupFinance:      "Finance",
	pathway.GroupInsurance:    "Insurance",
	pathway.GroupSubmission:   "Final check before you apply to CQC",
}

// checklistGroups are the groups in task-list order.
var checklistGroups = []string{
	pathway.GroupOrganisation, pathway.GroupPeople, pathway.GroupPurpose, pathway.GroupPolicies,
	pathway.GroupFinance, pathway.GroupInsurance, pathway.GroupSubmission,
}

// labelOf returns the label of a code among options, or the code made
// readable when it is not one of them.
func labelOf(opts []option, code string) string {
	for _, o := range opts {
		if o.Value == code {
			return o.Label
		}
	}
	return readable(code)
}

// readable turns a code such as "proposal-to-refuse" into words.
func readable(code string) string {
	return upperFirst(strings.ReplaceAll(code, "-", " "))
}

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

// stageName says a stage in words.
func stageName(stage string) string {
	if n, ok := stageNames[stage]; ok {
		return n
	}
	return readable(stage)
}

// groupName says a checklist group in words.
func groupName(g string) string {
	if n, ok := groupNames[g]; ok {
		return n
	}
	return readable(g)
}

// serviceOptions are the service types a form offers.
func serviceOptions() []option {
	out := make([]option, len(serviceCodes))
	for i, c := range serviceCodes {
		out[i] = option{Value: c, Label: upperFirst(pathway.ServiceName(c))}
	}
	return out
}

// roleName says who must act on a task.
func roleName(role string) string {
	switch role {
	case pathway.RoleFounder:
		return "The founders"
	case pathway.RoleAgency:
		return "The development agency"
	case pathway.RoleAgencyLead:
		return "The agency's lead"
	}
	return readable(role)
}
