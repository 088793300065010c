package ocds

import (
	"bytes"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/coopcarepathway/pathway/shared/ocds/ocdsschema"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

func at(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// contracted is a realistic tender at its end: two lots, three co-ops bid
// (one withdrew a fourth bid), one award per lot after moderation, an
// 8-working-day standstill, the contract and its details notice.
func contracted() Process {
	t := &tenders.Tender{
		ID: "T42", Council: "org-examplebury", Title: "Home care in the Pennine valleys",
		Description: "Care and support at home for adults in two valleys.",
		Services:    []string{"home-care"}, Areas: []string{"Calderdale"},
		Value: 1_200_000_00,
		Lots: []tenders.Lot{
			{ID: "north", Name: "North valley", Value: 700_000_00},
			{ID: "south", Name: "South valley", Value: 500_000_00},
		},
		Procedure: tenders.ProcedureCompetitiveFlexible, LightTouch: true, AboveThreshold: true, Reserved: true,
		Criteria: []tenders.Criterion{
			{ID: "care", Name: "Care planning", Kind: tenders.KindQuality, Weight: 40},
			{ID: "staff", Name: "Workforce", Kind: tenders.KindQuality, Weight: 20},
			{ID: "price", Name: "Price", Kind: tenders.KindPrice, Weight: 30},
			{ID: "local", Name: "Local jobs", Kind: tenders.KindSocialValue, Weight: 10},
		},
		Term:             tenders.Term{Start: "2027-04-01", End: "2032-03-31"},
		PublishedAt:      at("2027-01-11T09:00:00Z"),
		QuestionsCloseAt: at("2027-02-05T12:00:00Z"),
		TendersCloseAt:   at("2027-02-12T12:00:00Z"),
		Standstill:       tenders.Standstill{Applies: true, WorkingDays: 8},
		Status:           tenders.StatusContracted,
		Notices: []tenders.Notice{
			{Type: tenders.NoticeTender, PublishedOn: "2027-01-11"},
			{Type: tenders.NoticeAward, PublishedOn: "2027-03-01"},
			{Type: tenders.NoticeContractDetails, PublishedOn: "2027-03-19", Due: "2027-07-12"},
		},
		Award: &tenders.Award{
			Lots: []tenders.LotAward{
				{Lot: "south", Bid: "b2", Coop: "c-riverside", TopRanked: false, Reason: "Second-ranked bid chosen: the first could not staff the lot."},
				{Lot: "north", Bid: "b1", Coop: "c-valley", TopRanked: true},
			},
			DecidedAt:       at("2027-02-26T11:00:00Z"),
			SummariesSentAt: at("2027-02-26T16:00:00Z"),
		},
		Period: &tenders.StandstillPeriod{From: "2027-03-01", LastDay: "2027-03-10", EnterFrom: "2027-03-11"},
		Contract: &tenders.Contract{
			SignedOn: "2027-03-12", Start: "2027-04-01", End: "2032-03-31",
			Lots: []tenders.ContractLot{
				{Lot: "north", Coop: "c-valley", Bid: "b1", Value: 680_000_50},
				{Lot: "south", Coop: "c-riverside", Bid: "b2", Value: 499_999_99},
			},
			RecordedAt: at("2027-03-12T14:00:00Z"),
		},
		Bids: 3,
	}
	bids := []tenders.Bid{
		{ID: "b3", Tender: "T42", Coop: "c-pas", Status: tenders.BidLost, Lots: []tenders.LotPrice{{Lot: "north", Price: 650_000_00}, {Lot: "south", Price: 480_000_00}}},
		{ID: "b1", Tender: "T42", Coop: "c-valley", Status: tenders.BidWon, Lots: []tenders.LotPrice{{Lot: "north", Price: 680_000_50}}},
		{ID: "b4", Tender: "T42", Coop: "c-gone", Status: tenders.BidWithdrawn, Lots: []tenders.LotPrice{{Lot: "north", Price: 1_00}}},
		{ID: "b2", Tender: "T42", Coop: "c-riverside", Status: tenders.BidWon, Lots: []tenders.LotPrice{{Lot: "south", Price: 499_999_99}}},
	}
	return Process{
		Tender: t, Bids: bids,
		Council: Party{Name: "Examplebury Council", Scheme: "GB-LAE", RegisterID: "XMP"},
		Coops: map[string]Party{
			"c-valley":    {Name: "Valley Home Care Co-operative", Scheme: "GB-MPR", RegisterID: "IP031455"},
			"c-riverside": {Name: "Riverside Support Mutual", Scheme: "GB-MPR", RegisterID: "7654R"},
			"c-pas":       {Name: "PA Collective"}, // not registered yet
		},
	}
}

func testMeta() Meta {
	return Meta{
		OCIDPrefix: "ocds-ccp000",
		URI:        "https://pathway.example.org/api/tenders/T42/ocds.json",
		Publisher:  Publisher{Name: "Co-op Care Pathway", URI: "https://pathway.example.org/"},
		License:    LicenceOGL3,
	}
}

func build(t *testing.T, p Process) []byte {
	t.Helper()
	pkg, err := Build(p, testMeta())
	if err != nil {
		t.Fatal(err)
	}
	data, err := Marshal(pkg)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestBuiltPackageValidatesAgainstOfficialSchema(t *testing.T) {
	data := build(t, contracted())
	if err := ocdsschema.Validate(data); err != nil {
		t.Fatalf("package invalid: %v\n%s", err, data)
	}
}

func TestReleasesAsTheyHappen(t *testing.T) {
	p := contracted()
	pkg, err := Build(p, testMeta())
	if err != nil {
		t.Fatal(err)
	}
	var ids, tags []string
	for _, r := range pkg.Releases {
		ids = append(ids, r.ID)
		tags = append(tags, r.Tag...)
		if r.OCID != "ocds-ccp000-T42" {
			t.Errorf("release %s ocid %s", r.ID, r.OCID)
		}
	}
	wantIDs := []string{"ocds-ccp000-T42-tender-1", "ocds-ccp000-T42-award-1", "ocds-ccp000-T42-contract-1", "ocds-ccp000-T42-contractUpdate-1"}
	if !slices.Equal(ids, wantIDs) {
		t.Errorf("release ids %v, want %v", ids, wantIDs)
	}
	if !slices.Equal(tags, []string{"tender", "award", "contract", "contractUpdate"}) {
		t.Errorf("tags %v", tags)
	}
	if pkg.PublishedDate != pkg.Releases[3].Date || pkg.PublishedDate != "2027-03-19T00:00:00Z" {
		t.Errorf("publishedDate %s, want the latest release's (UK7 day)", pkg.PublishedDate)
	}

	// The tender release names no bidder: bids are sealed until the deadline.
	tr := pkg.Releases[0]
	if len(tr.Parties) != 1 || tr.Parties[0].Roles[0] != RoleBuyer || tr.Tender.Tenderers != nil || tr.Tender.NumberOfTenderers != nil {
		t.Errorf("tender release reveals bidders: %+v", tr.Parties)
	}
	if tr.Tender.Status != "active" || tr.Tender.ProcurementMethod != "selective" || tr.Tender.Documents[0].NoticeType != "UK4" {
		t.Errorf("tender section %+v", tr.Tender)
	}

	// The award release: three tenderers (the withdrawn bid is not one),
	// two suppliers, one award per lot in lot order, standstill.
	ar := pkg.Releases[1]
	roles := map[string][]string{}
	for _, o := range ar.Parties {
		roles[o.Name] = o.Roles
	}
	wantRoles := map[string][]string{
		"Examplebury Council":           {"buyer"},
		"Valley Home Care Co-operative": {"tenderer", "supplier"},
		"Riverside Support Mutual":      {"tenderer", "supplier"},
		"PA Collective":                 {"tenderer"},
	}
	if len(roles) != len(wantRoles) {
		t.Errorf("parties %v", roles)
	}
	for name, want := range wantRoles {
		if !slices.Equal(roles[name], want) {
			t.Errorf("%s roles %v, want %v", name, roles[name], want)
		}
	}
	if n := ar.Tender.NumberOfTenderers; n == nil || *n != 3 {
		t.Errorf("numberOfTenderers %v", n)
	}
	if len(ar.Awards) != 2 || ar.Awards[0].ID != "award-north" || ar.Awards[1].ID != "award-south" {
		t.Fatalf("awards %+v", ar.Awards)
	}
	north, south := ar.Awards[0], ar.Awards[1]
	if north.Status != "pending" || north.Suppliers[0].ID != "GB-MPR-IP031455" || south.Suppliers[0].ID != "GB-MPR-7654R" {
		t.Errorf("awards %+v", ar.Awards)
	}
	if string(north.Value.Amount) != "680000.5" || string(south.Value.Amount) != "499999.99" {
		t.Errorf("award values %s, %s", north.Value.Amount, south.Value.Amount)
	}
	if sp := north.StandstillPeriod; sp == nil || sp.StartDate != "2027-03-01T00:00:00Z" || sp.EndDate != "2027-03-10T23:59:59Z" {
		t.Errorf("standstill %+v", sp)
	}
	if north.AssessmentSummariesDateSent != "2027-02-26T16:00:00Z" || north.Date != "2027-02-26T11:00:00Z" {
		t.Errorf("award dates %+v", north)
	}
	if north.Documents[0].NoticeType != "UK6" || north.Documents[0].DocumentType != DocAwardNotice {
		t.Errorf("award documents %+v", north.Documents)
	}

	// The contract release: one contract per lot, the awards now active;
	// UK7 appears only in the update published with it.
	cr, cu := pkg.Releases[2], pkg.Releases[3]
	if len(cr.Contracts) != 2 || cr.Contracts[0].AwardID != "award-north" || cr.Awards[0].Status != "active" {
		t.Errorf("contracts %+v", cr.Contracts)
	}
	if cr.Contracts[0].Documents != nil || cu.Contracts[0].Documents[0].NoticeType != "UK7" {
		t.Errorf("UK7 documents: contract %+v, update %+v", cr.Contracts[0].Documents, cu.Contracts[0].Documents)
	}
	c := cr.Contracts[1]
	if c.DateSigned != "2027-03-12T00:00:00Z" || c.Period.StartDate != "2027-04-01T00:00:00+01:00" || c.Period.EndDate != "2032-03-31T23:59:59+01:00" || string(c.Value.Amount) != "499999.99" {
		t.Errorf("contract %+v %+v", c, c.Period)
	}
}

// Each stage of the journey gives only the releases that have happened,
// and each stage's package validates.
func TestStages(t *testing.T) {
	cases := []struct {
		name  string
		stage func(p *Process)
		tags  []string
	}{
		{"open for bids", func(p *Process) {
			p.Tender.Status, p.Tender.Notices, p.Tender.Award, p.Tender.Period, p.Tender.Contract = tenders.StatusOpen, p.Tender.Notices[:1], nil, nil, nil
		}, []string{"tender"}},
		{"evaluation: the award is not public yet", func(p *Process) {
			p.Tender.Status, p.Tender.Notices, p.Tender.Period, p.Tender.Contract = tenders.StatusAward, p.Tender.Notices[:1], nil, nil
		}, []string{"tender"}},
		{"standstill", func(p *Process) {
			p.Tender.Status, p.Tender.Notices, p.Tender.Contract = tenders.StatusStandstill, p.Tender.Notices[:2], nil
		}, []string{"tender", "award"}},
		{"light touch without standstill, contract, UK7 not yet", func(p *Process) {
			p.Tender.Standstill.Applies, p.Tender.Period, p.Tender.Notices = false, nil, p.Tender.Notices[:2]
		}, []string{"tender", "award", "contract"}},
		{"no bids", func(p *Process) {
			p.Tender.Status, p.Tender.Notices, p.Tender.Award, p.Tender.Period, p.Tender.Contract = tenders.StatusNoBids, p.Tender.Notices[:1], nil, nil, nil
			p.Bids = nil
		}, []string{"tender", "tenderUpdate"}},
		{"cancelled", func(p *Process) {
			p.Tender.Status, p.Tender.Award, p.Tender.Period, p.Tender.Contract = tenders.StatusCancelled, nil, nil, nil
			p.Tender.Notices = []tenders.Notice{p.Tender.Notices[0], {Type: tenders.NoticeTermination, PublishedOn: "2027-02-01"}}
		}, []string{"tender", "tenderCancellation"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p := contracted()
			c.stage(&p)
			pkg, err := Build(p, testMeta())
			if err != nil {
				t.Fatal(err)
			}
			var tags []string
			for _, r := range pkg.Releases {
				tags = append(tags, r.Tag...)
			}
			if !slices.Equal(tags, c.tags) {
				t.Errorf("tags %v, want %v", tags, c.tags)
			}
			data, _ := Marshal(pkg)
			if err := ocdsschema.Validate(data); err != nil {
				t.Errorf("invalid: %v\n%s", err, data)
			}
			for _, r := range pkg.Releases {
				for _, a := range r.Awards {
					if (a.StandstillPeriod != nil) != p.Tender.Standstill.Applies {
						t.Errorf("standstill %+v with applies=%v", a.StandstillPeriod, p.Tender.Standstill.Applies)
					}
				}
			}
		})
	}
}

// Before the award notice, the bids are not read at all: an unknown
// bidder is no error, and nothing in the package names a bidder.
func TestBidsStaySealedUntilTheAwardNotice(t *testing.T) {
	for _, status := range []string{tenders.StatusOpen, tenders.StatusEvaluation, tenders.StatusModeration, tenders.StatusAward} {
		p := contracted()
		p.Tender.Status, p.Tender.Notices, p.Tender.Period, p.Tender.Contract = status, p.Tender.Notices[:1], nil, nil
		if status != tenders.StatusAward {
			p.Tender.Award = nil
		}
		p.Coops = nil
		data := build(t, p)
		for _, secret := range []string{"c-valley", "c-riverside", "c-pas", "Valley", "Riverside", "PA Collective", "680000.5", "tenderer"} {
			if strings.Contains(string(data), secret) {
				t.Errorf("%s: package reveals %q:\n%s", status, secret, data)
			}
		}
	}
}

func TestNoBidsIsUnsuccessful(t *testing.T) {
	p := contracted()
	p.Tender.Status, p.Tender.Notices, p.Tender.Award, p.Tender.Period, p.Tender.Contract = tenders.StatusNoBids, p.Tender.Notices[:1], nil, nil, nil
	p.Bids = nil
	rels, err := Releases("ocds-ccp000", p)
	if err != nil {
		t.Fatal(err)
	}
	last := rels[len(rels)-1]
	if last.Tender.Status != "unsuccessful" || *last.Tender.NumberOfTenderers != 0 || last.Date != "2027-02-12T12:00:00Z" {
		t.Errorf("no-bids release %+v", last.Tender)
	}
}

func TestNewProcess(t *testing.T) {
	council := &pathway.Organisation{ID: "org-examplebury", Name: "Examplebury Council", OrgID: "GB-LAE-XMP"}
	coops := []pathway.Coop{
		{ID: "c-valley", Name: "Valley Home Care Co-operative", LegalForm: pathway.FormCooperativeSociety, RegisterNumber: "IP031455"},
		{ID: "c-riverside", Name: "Riverside Support Mutual", LegalForm: pathway.FormCommunityBenefit, RegisterNumber: "7654R"},
		{ID: "c-pas", Name: "PA Collective", LegalForm: pathway.FormNotYetIncorporated},
	}
	want := contracted()
	got := NewProcess(want.Tender, want.Bids, council, coops)
	a, b := build(t, got), build(t, want)
	if !bytes.Equal(a, b) {
		t.Errorf("NewProcess gives a different package:\n%s\nvs\n%s", a, b)
	}
}

func TestPrefixOf(t *testing.T) {
	if got := PrefixOf(&pathway.Organisation{OCIDPrefix: "ocds-b5fd17"}); got != "ocds-b5fd17" {
		t.Errorf("own prefix: %s", got)
	}
	if got := PrefixOf(&pathway.Organisation{}); got != tenders.DefaultSettings.OCIDPrefix || CheckPrefix(got) != "" {
		t.Errorf("default prefix %q is not a valid one", got)
	}
}

func TestDraftHasNoOpenData(t *testing.T) {
	p := contracted()
	p.Tender.Status, p.Tender.Notices, p.Tender.PublishedAt = tenders.StatusDraft, nil, time.Time{}
	_, err := Build(p, testMeta())
	var perr *pathway.Error
	if !errors.As(err, &perr) || perr.Code != pathway.ENOTFOUND {
		t.Errorf("draft: %v, want not found", err)
	}
}

func TestBadInputNamesTheField(t *testing.T) {
	cases := []struct {
		name   string
		mutate func(p *Process, m *Meta)
		field  string
	}{
		{"no prefix", func(p *Process, m *Meta) { m.OCIDPrefix = "" }, "ocidPrefix"},
		{"prefix not registered form", func(p *Process, m *Meta) { m.OCIDPrefix = "ocds-EXAMPLE" }, "ocidPrefix"},
		{"no uri", func(p *Process, m *Meta) { m.URI = "/api/tenders/T42/ocds.json" }, "uri"},
		{"no publisher", func(p *Process, m *Meta) { m.Publisher.Name = "" }, "publisher.name"},
		{"licence not a URL", func(p *Process, m *Meta) { m.License = "OGL" }, "license"},
		{"council without a name", func(p *Process, m *Meta) { p.Council.Name = "" }, "council.name"},
		{"bidder unknown", func(p *Process, m *Meta) { delete(p.Coops, "c-pas") }, "coops.c-pas"},
		{"winning bid missing", func(p *Process, m *Meta) { p.Tender.Award.Lots[1].Bid = "b9" }, "award.lots[1].bid"},
		{"contract for no lot", func(p *Process, m *Meta) { p.Tender.Contract.Lots[0].Lot = "east" }, "contract.lots[0].lot"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, m := contracted(), testMeta()
			c.mutate(&p, &m)
			_, err := Build(p, m)
			var perr *pathway.Error
			if !errors.As(err, &perr) || perr.Fields[c.field] == "" {
				t.Errorf("error %v does not name %s", err, c.field)
			}
		})
	}
}

// The same records give byte-identical JSON, whatever order the bids and
// co-ops are read in.
func TestStableOutput(t *testing.T) {
	first := build(t, contracted())
	for i := 0; i < 20; i++ {
		p := contracted()
		slices.Reverse(p.Bids)
		if got := build(t, p); !bytes.Equal(got, first) {
			t.Fatalf("run %d differs:\n%s\nvs\n%s", i, got, first)
		}
	}
	// And no float crept into the amounts.
	for _, want := range []string{`"amount": 1200000,`, `"amount": 680000.5,`, `"amountGross": 499999.99`} {
		if !strings.Contains(string(first), want) {
			t.Errorf("package lacks %s", want)
		}
	}
}
