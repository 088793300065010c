package pathway

// The council dashboard's terms (issue 15), added to the glossary when the
// package starts, in their own file as each phase's are.
func init() {
	Glossary = append(Glossary, marketTerms...)
}

var marketTerms = []Definition{
	{ID: "vcse", Term: "VCSE organisation", Forms: []string{"VCSE organisations", "VCSE organisation", "VCSE"},
		Meaning: "A voluntary, community or social enterprise organisation. On the council dashboard a co-op is a co-operative society, and other VCSE organisations are community benefit societies, community interest companies (CICs) and companies limited by guarantee."},
}
