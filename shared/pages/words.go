package pages

import (
	"github.com/coopcarepathway/pathway/shared/pathway"
)

// option is one choice of a radio group, checkbox group or select.
type option struct {
	Value, Label, Hint string
}

// options turns an enumeration into a form's choices, in its order.
func options(terms []pathway.Term) []option {
	out := make([]option, len(terms))
	for i, t := range terms {
		out[i] = option{Value: t.Code, Label: t.Name, Hint: t.Hint}
	}
	return out
}

// The people who use the pages see words, never codes. Each enumeration
// and its words live once, in pathway; these are its lists as forms offer
// them.
var (
	legalForms    = options(pathway.LegalForms)
	origins       = options(pathway.Origins)
	activities    = options(pathway.RegulatedActivities)
	memberClasses = options(pathway.MemberClasses)
	memberRoles   = options(pathway.MemberRoles)
)

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
func readable(code string) string { return pathway.Readable(code) }

// upperFirst capitalises the first letter of s.
func upperFirst(s string) string { return pathway.UpperFirst(s) }

// stageName says a stage in words (the stage table's).
func stageName(stage string) string { return pathway.StageName(stage) }

// groupName says a checklist group in words.
func groupName(g string) string { return pathway.TermName(pathway.ChecklistGroups, g) }

// serviceOptions are the service types a form offers.
func serviceOptions() []option {
	out := options(pathway.Services)
	for i := range out {
		out[i].Label = upperFirst(out[i].Label)
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
