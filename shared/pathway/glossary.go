package pathway

import "strings"

// Definition is one term of the glossary: the words people meet on the
// pages and what they mean, in plain English.
type Definition struct {
	// ID is the term's anchor on the glossary page, e.g. "cqc".
	ID string `json:"id"`
	// Term is the term as the glossary heads it.
	Term string `json:"term"`
	// Forms are the ways the term is written in the pages' text, longest
	// first where one contains another; matched whole-word.
	Forms []string `json:"forms"`
	// Meaning explains it.
	Meaning string `json:"meaning"`
}

// Glossary is the one home of the pages' definitions, in the order the
// glossary page lists them. The facts follow the law as the checklist cites
// it (Health and Social Care Act 2008 and its regulations; the
// Co-operative and Community Benefit Societies Act 2014).
var Glossary = []Definition{
	{ID: "co-op", Term: "Co-op (co-operative)", Forms: []string{"co-operative", "co-op"},
		Meaning: "A business owned and run by its members, with one member, one vote. In a care co-op the members may be the workers, the people who use the service, family carers and the community."},
	{ID: "development-agency", Term: "Development agency", Forms: []string{"development agency"},
		Meaning: "The co-operative development body that runs the programme: its advisers help the founders, its panel decides who joins the programme, and its staff check the evidence on the CQC checklist."},
	{ID: "programme-panel", Term: "Programme panel", Forms: []string{"programme panel"},
		Meaning: "The development agency's group that reads applications that passed screening and decides whether to accept the co-op onto the programme, decline it with reasons, or defer the decision to its next meeting."},
	{ID: "council", Term: "Council (local authority)", Forms: []string{"council area", "council"},
		Meaning: "The local authority for an area: a county, district, unitary or metropolitan borough council, or a London borough. Adult social care is arranged and bought by the county, unitary, metropolitan borough or London borough council; a town or parish council is not a local authority in this sense."},
	{ID: "cqc", Term: "CQC (Care Quality Commission)", Forms: []string{"Care Quality Commission", "CQC"},
		Meaning: "The independent regulator of health and adult social care in England. An organisation must register with CQC before it carries on a regulated activity, such as personal care (Health and Social Care Act 2008)."},
	{ID: "regulated-activity", Term: "Regulated activity", Forms: []string{"regulated activities", "regulated activity"},
		Meaning: "One of the kinds of care listed in Schedule 1 of the Health and Social Care Act 2008 (Regulated Activities) Regulations 2014, such as personal care: help with washing, dressing, eating or medicines. Carrying one on without registering with CQC is an offence."},
	{ID: "provider-portal", Term: "CQC provider portal", Forms: []string{"provider portal"},
		Meaning: "CQC's online service for providers and registered managers. Check CQC's registration pages for how to send an application: CQC also takes applications on its own forms."},
	{ID: "provider-id", Term: "CQC provider ID", Forms: []string{"provider ID"},
		Meaning: "The number CQC gives a provider it registers, such as 1-123456789. It is on the notice of decision."},
	{ID: "registered-manager", Term: "Registered manager", Forms: []string{"registered manager"},
		Meaning: "The person registered with CQC to manage the regulated activity day to day. They apply to CQC at the same time as the co-op and must have the character, skills and experience to manage the service."},
	{ID: "nominated-individual", Term: "Nominated individual", Forms: []string{"nominated individual"},
		Meaning: "The director, manager or secretary an organisation names to CQC as responsible for supervising the management of its regulated activities."},
	{ID: "fit-and-proper-person", Term: "Fit and proper person", Forms: []string{"fit and proper persons", "fit and proper person"},
		Meaning: "Every director and committee member of a registered provider must be of good character, have the skills and experience for the role, and be able to do it; the co-op checks this with a DBS check, identity, employment history, insolvency and disqualified-director searches and a signed declaration."},
	{ID: "dbs", Term: "DBS check", Forms: []string{"Disclosure and Barring Service", "DBS"},
		Meaning: "A criminal record check from the Disclosure and Barring Service. An enhanced check is the highest level; people who give care need an enhanced check with the adult barred list."},
	{ID: "adult-barred-list", Term: "Adult barred list", Forms: []string{"adults' barred list", "adult barred list"},
		Meaning: "The list, kept by the Disclosure and Barring Service, of people barred from regulated activity with adults. An enhanced DBS check with the adult barred list says whether someone is on it."},
	{ID: "countersigned", Term: "Countersigned DBS check", Forms: []string{"countersigned"},
		Meaning: "A DBS application is checked and signed by an organisation registered with the DBS, as well as by the applicant. A registered manager's enhanced DBS check must be one countersigned for CQC, and less than 12 months old when CQC receives the application."},
	{ID: "statement-of-purpose", Term: "Statement of purpose", Forms: []string{"statement of purpose"},
		Meaning: "A document the co-op sends CQC saying what it will do: its aims and objectives, the kinds of service and the needs they meet, contact details of the provider and the registered manager, its legal status and its locations. Any revision goes to CQC within 28 days."},
	{ID: "fca", Term: "FCA (Financial Conduct Authority)", Forms: []string{"Financial Conduct Authority", "FCA"},
		Meaning: "The body that registers co-operative societies and community benefit societies under the Co-operative and Community Benefit Societies Act 2014, and keeps the register of them (the mutuals register)."},
	{ID: "asset-lock", Term: "Asset lock", Forms: []string{"asset lock"},
		Meaning: "A rule in the organisation's constitution that its assets are used for its community purpose and cannot be shared out among its members, even if it closes. Community benefit societies usually have one."},
	{ID: "conflict-of-interest", Term: "Conflict of interest", Forms: []string{"conflicts of interest", "conflict of interest"},
		Meaning: "A link between a reviewer and an applicant (a relative, a friend, a business or a past job in common) that could sway, or seem to sway, their judgement. A reviewer who declares one does not see or score that application again."},
	{ID: "tranche", Term: "Tranche", Forms: []string{"tranches", "tranche"},
		Meaning: "One instalment of a grant. Each is paid when its trigger happens: the agreement accepted, a date, the co-op registered with CQC, or a monitoring report accepted."},
	{ID: "360giving", Term: "360Giving", Forms: []string{"360Giving"},
		Meaning: "An open standard, from the charity of the same name, for funders to publish the grants they make, so anyone can see who funds what. Grants are published as data, one record per grant."},
}

// DefinitionOf returns the glossary's definition with the ID, and whether
// there is one.
func DefinitionOf(id string) (Definition, bool) {
	for _, d := range Glossary {
		if d.ID == id {
			return d, true
		}
	}
	return Definition{}, false
}

// GlossaryForms lists every form of every term with its definition's ID,
// longest form first, so that a text is matched on "adult barred list"
// before "DBS" and on "regulated activities" before "regulated activity".
func GlossaryForms() []GlossaryForm {
	var out []GlossaryForm
	for _, d := range Glossary {
		for _, f := range d.Forms {
			out = append(out, GlossaryForm{Form: f, ID: d.ID})
		}
	}
	for i := 1; i < len(out); i++ { // insertion sort: short and stable
		for j := i; j > 0 && len(out[j].Form) > len(out[j-1].Form); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

// GlossaryForm is one written form of a glossary term.
type GlossaryForm struct {
	Form, ID string
}

// CaseSensitive reports whether a form is matched only as written:
// abbreviations are, so that "fca" in an address is not a term.
func (f GlossaryForm) CaseSensitive() bool { return strings.ToUpper(f.Form) == f.Form }
