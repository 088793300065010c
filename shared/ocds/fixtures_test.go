package ocds

// handBuilt is a full contracting process written by hand: a tender with
// two lots, three bidders, one award per lot with standstill, and a
// contract for one lot. It pins the release shapes independently of the
// builder.
func handBuilt() *Package {
	ocid := "ocds-a1b2c3-T42"
	council := OrganizationReference{ID: "GB-LAE-XMP", Name: "Examplebury Council"}
	valley := OrganizationReference{ID: "GB-MPR-IP031455", Name: "Valley Home Care Co-operative"}
	spinout := OrganizationReference{ID: "GB-MPR-7654R", Name: "Riverside Support Mutual"}
	pas := OrganizationReference{ID: "GB-COH-09506232", Name: "PA Collective CIC"}
	parties := func(withSuppliers bool) []Organization {
		p := []Organization{
			{ID: council.ID, Name: council.Name, Identifier: &Identifier{Scheme: "GB-LAE", ID: "XMP"}, Roles: []string{RoleBuyer}},
			{ID: valley.ID, Name: valley.Name, Identifier: &Identifier{Scheme: "GB-MPR", ID: "IP031455"}, Roles: []string{RoleTenderer}},
			{ID: spinout.ID, Name: spinout.Name, Identifier: &Identifier{Scheme: "GB-MPR", ID: "7654R"}, Roles: []string{RoleTenderer}},
			{ID: pas.ID, Name: pas.Name, Identifier: &Identifier{Scheme: "GB-COH", ID: "09506232"}, Roles: []string{RoleTenderer}},
		}
		if withSuppliers {
			p[1].Roles = append(p[1].Roles, RoleSupplier)
			p[2].Roles = append(p[2].Roles, RoleSupplier)
		}
		return p
	}
	three := 3
	yes := true
	tender := func(status string) *Tender {
		return &Tender{
			ID: "T42", Title: "Home care in the Pennine valleys", Description: "Care and support at home for adults.",
			Status: status, Value: GBPGross(120000000),
			ProcurementMethod: "selective", ProcurementMethodDetails: "Competitive flexible procedure (Procurement Act 2023)",
			MainProcurementCategory: "services", AwardCriteria: "ratedCriteria",
			AwardCriteriaDetails: "Quality 60%, price 30%, social value 10%",
			SubmissionMethod:     []string{"electronicSubmission"},
			TenderPeriod:         &Period{StartDate: "2027-01-11T09:00:00Z", EndDate: "2027-02-12T12:00:00Z"},
			EnquiryPeriod:        &Period{StartDate: "2027-01-11T09:00:00Z", EndDate: "2027-02-05T12:00:00Z"},
			ContractPeriod:       &Period{StartDate: "2027-04-01T00:00:00+01:00", EndDate: "2032-03-31T23:59:59+01:00"},
			Lots: []Lot{
				{ID: "north", Title: "North valley", Value: GBPGross(70000000)},
				{ID: "south", Title: "South valley", Value: GBPGross(50000000)},
			},
			Items: []Item{
				{ID: "north", Description: "Home care, north valley", RelatedLot: "north", Classification: &Classification{Scheme: "CPV", ID: "85312000", Description: "Social work services without accommodation"}},
				{ID: "south", Description: "Home care, south valley", RelatedLot: "south", Classification: &Classification{Scheme: "CPV", ID: "85312000", Description: "Social work services without accommodation"}},
			},
			AboveThreshold: &yes,
			Documents: []Document{{ID: "UK4", DocumentType: DocTenderNotice, NoticeType: NoticeTender,
				Title: "Tender notice", DatePublished: "2027-01-11T09:00:00Z"}},
		}
	}
	awarded := tender("complete")
	awarded.NumberOfTenderers = &three
	awarded.Tenderers = []OrganizationReference{valley, spinout, pas}
	awards := []Award{
		{ID: "north", Status: "active", Date: "2027-03-01T10:00:00Z", Value: GBPGross(68000050), Suppliers: []OrganizationReference{valley},
			RelatedLots: []string{"north"}, StandstillPeriod: &Period{StartDate: "2027-03-01T00:00:00Z", EndDate: "2027-03-10T23:59:59Z"},
			AssessmentSummariesDateSent: "2027-02-26T16:00:00Z",
			Documents:                   []Document{{ID: "UK6", DocumentType: DocAwardNotice, NoticeType: NoticeContractAward, DatePublished: "2027-03-01T10:00:00Z"}}},
		{ID: "south", Status: "active", Date: "2027-03-01T10:00:00Z", Value: GBPGross(49999999), Suppliers: []OrganizationReference{spinout},
			RelatedLots: []string{"south"}, StandstillPeriod: &Period{StartDate: "2027-03-01T00:00:00Z", EndDate: "2027-03-10T23:59:59Z"},
			AssessmentSummariesDateSent: "2027-02-26T16:00:00Z"},
	}
	return &Package{
		URI: "https://pathway.example.org/api/tenders/T42/ocds.json", Version: Version,
		Extensions:    []string{ExtensionUK, ExtensionLots},
		PublishedDate: "2027-03-15T10:00:00Z",
		Publisher:     Publisher{Name: "Co-op Care Pathway", URI: "https://pathway.example.org/"},
		License:       "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
		Releases: []Release{
			{OCID: ocid, ID: ReleaseID(ocid, TagTender, 1), Date: "2027-01-11T09:00:00Z", Tag: []string{TagTender},
				InitiationType: "tender", Language: "en", Parties: parties(false)[:1], Buyer: &council, Tender: tender("active")},
			{OCID: ocid, ID: ReleaseID(ocid, TagAward, 1), Date: "2027-03-01T10:00:00Z", Tag: []string{TagAward},
				InitiationType: "tender", Language: "en", Parties: parties(true), Buyer: &council, Tender: awarded, Awards: awards},
			{OCID: ocid, ID: ReleaseID(ocid, TagContract, 1), Date: "2027-03-12T14:00:00Z", Tag: []string{TagContract},
				InitiationType: "tender", Language: "en", Parties: parties(true), Buyer: &council, Tender: awarded, Awards: awards,
				Contracts: []Contract{{ID: "north", AwardID: "north", Status: "active", DateSigned: "2027-03-12T14:00:00Z",
					Period: &Period{StartDate: "2027-04-01T00:00:00+01:00", EndDate: "2032-03-31T23:59:59+01:00"}, Value: GBPGross(68000050),
					Documents: []Document{{ID: "UK7", DocumentType: DocContractNotice, NoticeType: NoticeContractDetails, DatePublished: "2027-03-15T10:00:00Z"}}}}},
		},
	}
}
