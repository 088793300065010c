package ocds

import (
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
)

// Process is one tender's contracting process as the builder reads it.
type Process struct {
	Tender *tenders.Tender
	// Bids are the tender's bids, in any order; withdrawn ones are left
	// out. They are read only for releases after the award notice, so a
	// package never reveals who bid before the deadline (bids are sealed).
	Bids []tenders.Bid
	// Council is the buyer; Coops are the bidders by co-op ID.
	Council Party
	Coops   map[string]Party
}

// NewProcess gathers a tender's records into a Process: the council's
// organisation and the bidding co-ops (any order; others are ignored)
// become parties by CouncilParty and CoopParty.
func NewProcess(t *tenders.Tender, bids []tenders.Bid, council *pathway.Organisation, coops []pathway.Coop) Process {
	p := Process{Tender: t, Bids: bids, Coops: map[string]Party{}}
	if council != nil {
		p.Council = CouncilParty(council)
	}
	for i := range coops {
		p.Coops[coops[i].ID] = CoopParty(&coops[i])
	}
	return p
}

// PrefixOf is the ocid prefix of a council's tenders: its own setting, or
// the default (tenders.DefaultSettings) when it set none.
func PrefixOf(council *pathway.Organisation) string {
	if council != nil && council.OCIDPrefix != "" {
		return council.OCIDPrefix
	}
	return tenders.DefaultSettings.OCIDPrefix
}

// Meta describes the package as a whole.
type Meta struct {
	// OCIDPrefix is the publisher's registered ocid prefix, "ocds-" and
	// six letters or digits: PrefixOf(council).
	OCIDPrefix string
	// URI is the package's own public address, e.g.
	// https://pathway.example.org/api/tenders/T42/ocds.json.
	URI string
	// Publisher is who publishes the data; Name is required.
	Publisher Publisher
	// License and PublicationPolicy are URLs; both optional.
	License           string
	PublicationPolicy string
	// PublishedDate is when the package was published; zero means the
	// date of its latest release, as OCDS asks of packages made on demand
	// (and it keeps the output the same for the same records).
	PublishedDate time.Time
}

// LicenceOGL3 is the Open Government Licence v3.0, which Find a Tender's
// data is published under; a sensible default for a council's.
const LicenceOGL3 = "http://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/"

// Build returns the OCDS release package of a tender: a release tagged
// "tender" once the tender notice (UK4) is published, "award" once the
// contract award notice (UK6) is, "contract" once the contract is entered
// into, "contractUpdate" when the contract details notice (UK7) is
// published, "tenderUpdate" (status unsuccessful) when the deadline passed
// with no bid, and "tenderCancellation" when the procurement is terminated
// (UK12). A draft tender has none and is a not-found error. Bad input is a
// pathway.Invalid error naming the field. The same records always give
// the same package, byte for byte (Marshal).
func Build(p Process, meta Meta) (*Package, error) {
	bad := map[string]string{}
	if meta.URI == "" || !absoluteURL(meta.URI) {
		bad["uri"] = "Enter the package's web address, starting https://"
	}
	if meta.Publisher.Name == "" {
		bad["publisher.name"] = "Enter the publisher's name"
	}
	for field, u := range map[string]string{"license": meta.License, "publicationPolicy": meta.PublicationPolicy, "publisher.uri": meta.Publisher.URI} {
		if u != "" && !absoluteURL(u) {
			bad[field] = "Enter a full web address, starting https://"
		}
	}
	releases, err := Releases(meta.OCIDPrefix, p)
	if err != nil {
		var perr *pathway.Error
		if errors.As(err, &perr) && perr.Code == pathway.EINVALID {
			for k, v := range perr.Fields {
				bad[k] = v
			}
		} else {
			return nil, err
		}
	}
	if len(bad) > 0 {
		return nil, pathway.Invalid(bad)
	}
	published := DateTime(meta.PublishedDate)
	if published == "" {
		published = releases[len(releases)-1].Date
	}
	return &Package{
		URI: meta.URI, Version: Version,
		Extensions:        []string{ExtensionUK, ExtensionLots},
		PublishedDate:     published,
		Publisher:         meta.Publisher,
		License:           meta.License,
		PublicationPolicy: meta.PublicationPolicy,
		Releases:          releases,
	}, nil
}

// Releases returns a tender's releases, oldest first (see Build).
func Releases(ocidPrefix string, p Process) ([]Release, error) {
	t := p.Tender
	if t == nil {
		return nil, pathway.NotFound("tender")
	}
	ocid, err := OCID(ocidPrefix, t.ID)
	if err != nil {
		return nil, err
	}
	b := builder{p: p, t: t, ocid: ocid, bad: map[string]string{}}
	b.awarded = t.Award != nil && b.notice(tenders.NoticeAward) != ""
	b.parties()
	rels := b.releases()
	if len(b.bad) > 0 {
		return nil, pathway.Invalid(b.bad)
	}
	if len(rels) == 0 {
		return nil, pathway.Errorf(pathway.ENOTFOUND, "The tender has not been published yet, so it has no open data.")
	}
	return rels, nil
}

// builder holds what every release shares while they are made.
type builder struct {
	p         Process
	t         *tenders.Tender
	ocid      string
	bad       map[string]string
	buyer     Organization
	tenderers []Organization // sorted by id, roles tenderer (+ supplier)
	byCoop    map[string]int // co-op ID → index in tenderers
	counts    map[string]int // release tag → releases so far
	// awarded is true once the award notice (UK6) is published: only then
	// are the bidders public. Until then the bids are not even read, so
	// nothing (not an error message either) can tell who bid.
	awarded bool
}

func (b *builder) parties() {
	if b.p.Council.Name == "" {
		b.bad["council.name"] = "Enter the council's name"
	}
	b.buyer = organization("council", b.t.Council, b.p.Council, RoleBuyer)
	if !b.awarded {
		return
	}
	winners := map[string]bool{}
	for _, la := range b.t.Award.Lots {
		winners[la.Coop] = true
	}
	type bidder struct {
		coop string
		org  Organization
	}
	var bidders []bidder
	seen := map[string]bool{}
	for _, bid := range b.p.Bids {
		if bid.Tender != b.t.ID || bid.Status == tenders.BidWithdrawn || seen[bid.Coop] {
			continue
		}
		seen[bid.Coop] = true
		party, ok := b.p.Coops[bid.Coop]
		if !ok || party.Name == "" {
			b.bad["coops."+bid.Coop] = "Give the name of the co-op that bid"
			continue
		}
		roles := []string{RoleTenderer}
		if winners[bid.Coop] {
			roles = append(roles, RoleSupplier)
		}
		bidders = append(bidders, bidder{bid.Coop, organization("coop", bid.Coop, party, roles...)})
	}
	// By party id, so that the order of the bids read does not matter.
	slices.SortFunc(bidders, func(x, y bidder) int { return strings.Compare(x.org.ID, y.org.ID) })
	b.byCoop = map[string]int{}
	for i, bd := range bidders {
		b.byCoop[bd.coop] = i
		b.tenderers = append(b.tenderers, bd.org)
	}
}

func (b *builder) releases() []Release {
	b.counts = map[string]int{}
	var rels []Release
	uk4 := b.notice(tenders.NoticeTender)
	if b.t.Status == tenders.StatusDraft || (uk4 == "" && b.t.PublishedAt.IsZero()) {
		return nil
	}
	published := DateTime(b.t.PublishedAt)
	if published == "" {
		published = StartOfDay(day(uk4))
	}
	rels = append(rels, b.release(TagTender, published, b.tenderSection("active", false), nil, nil))
	if b.t.Status == tenders.StatusNoBids {
		// No notice marks it, but the deadline passed with no bid: say so,
		// or the data would show the tender open for ever.
		closed := laterOf(DateTime(b.t.TendersCloseAt), published)
		rels = append(rels, b.release("tenderUpdate", closed, b.tenderSection("unsuccessful", true), nil, nil))
	}
	if b.awarded {
		uk6 := b.notice(tenders.NoticeAward)
		date := laterOf(StartOfDay(day(uk6)), DateTime(b.t.Award.SummariesSentAt))
		rels = append(rels, b.release(TagAward, date, b.tenderSection("complete", true), b.awards(date, false), nil))
	}
	if c := b.t.Contract; c != nil && b.awarded {
		date := DateTime(c.RecordedAt)
		if date == "" {
			date = StartOfDay(day(c.SignedOn))
		}
		rels = append(rels, b.release(TagContract, date, b.tenderSection("complete", true), b.awards(date, true), b.contracts("")))
		if uk7 := b.notice(tenders.NoticeContractDetails); uk7 != "" {
			date := laterOf(StartOfDay(day(uk7)), date)
			rels = append(rels, b.release("contractUpdate", date, b.tenderSection("complete", true), b.awards(date, true), b.contracts(date)))
		}
	}
	if uk12 := b.notice(tenders.NoticeTermination); uk12 != "" {
		date := laterOf(StartOfDay(day(uk12)), rels[len(rels)-1].Date)
		rels = append(rels, b.release("tenderCancellation", date, b.tenderSection("cancelled", b.awarded), nil, nil))
	}
	return rels
}

// release makes the next release of a kind. Every release after the tender
// notice names the bidders; the first names only the council.
func (b *builder) release(tag, date string, tender *Tender, awards []Award, contracts []Contract) Release {
	b.counts[tag]++
	buyer := b.buyer.ref()
	parties := []Organization{b.buyer}
	if tender.Tenderers != nil {
		parties = append(parties, b.tenderers...)
	}
	return Release{
		OCID: b.ocid, ID: ReleaseID(b.ocid, tag, b.counts[tag]), Date: date, Tag: []string{tag},
		InitiationType: "tender", Language: "en", Parties: parties, Buyer: &buyer,
		Tender: tender, Awards: awards, Contracts: contracts,
	}
}

// tenderSection is the tender as published, with its bidders once the
// award notice has made them public.
func (b *builder) tenderSection(status string, withBidders bool) *Tender {
	t := b.t
	above := t.AboveThreshold
	sec := &Tender{
		ID: t.ID, Title: t.Title, Description: t.Description, Status: status,
		Value:                    GBPGross(t.Value),
		ProcurementMethod:        "open",
		ProcurementMethodDetails: procedureWords(t),
		MainProcurementCategory:  "services",
		AwardCriteria:            "ratedCriteria",
		AwardCriteriaDetails:     criteriaWords(t.Criteria),
		SubmissionMethod:         []string{"electronicSubmission"},
		TenderPeriod:             &Period{StartDate: DateTime(t.PublishedAt), EndDate: DateTime(t.TendersCloseAt)},
		EnquiryPeriod:            &Period{StartDate: DateTime(t.PublishedAt), EndDate: DateTime(t.QuestionsCloseAt)},
		ContractPeriod:           &Period{StartDate: StartOfDay(day(t.Term.Start)), EndDate: EndOfDay(day(t.Term.End))},
		AboveThreshold:           &above,
		Documents:                b.documents(tenders.NoticeTender),
	}
	if t.Procedure == tenders.ProcedureCompetitiveFlexible {
		// OCDS's "selective": only suppliers who pass the council's
		// conditions are taken further, as the flexible procedure allows.
		sec.ProcurementMethod = "selective"
	}
	for _, lot := range t.Lots {
		sec.Lots = append(sec.Lots, Lot{ID: lot.ID, Title: lot.Name, Value: GBPGross(lot.Value)})
		sec.Items = append(sec.Items, Item{ID: lot.ID, Description: lot.Name, RelatedLot: lot.ID})
	}
	if withBidders {
		n := len(b.tenderers)
		sec.NumberOfTenderers = &n
		sec.Tenderers = []OrganizationReference{}
		for _, o := range b.tenderers {
			sec.Tenderers = append(sec.Tenderers, o.ref())
		}
	}
	return sec
}

// awards are the award decision per lot, in the tender's lot order: pending
// while standstill runs (the award is not yet in force), active once the
// contract is entered into.
func (b *builder) awards(date string, contracted bool) []Award {
	a := b.t.Award
	status := "pending"
	if contracted {
		status = "active"
	}
	var out []Award
	for _, lot := range b.t.Lots {
		i := slices.IndexFunc(a.Lots, func(la tenders.LotAward) bool { return la.Lot == lot.ID })
		if i < 0 {
			continue // no award for this lot
		}
		la := a.Lots[i]
		aw := Award{
			ID: awardID(lot.ID), Title: lot.Name, Status: status, Date: DateTime(a.DecidedAt),
			RelatedLots:                 []string{lot.ID},
			AssessmentSummariesDateSent: DateTime(a.SummariesSentAt),
			Documents:                   b.documents(tenders.NoticeAward),
		}
		if aw.Date == "" {
			aw.Date = date // decided at an unrecorded time: the notice's
		}
		if price, ok := b.price(la.Bid, lot.ID); ok {
			aw.Value = GBPGross(price)
		} else {
			b.bad[fmt.Sprintf("award.lots[%d].bid", i)] = "Give the winning bid, with a price for lot " + lot.ID
		}
		if j, ok := b.byCoop[la.Coop]; ok {
			aw.Suppliers = []OrganizationReference{b.tenderers[j].ref()}
		} else {
			b.bad[fmt.Sprintf("award.lots[%d].coop", i)] = "Give the winning co-op's bid"
		}
		if sp := b.t.Period; sp != nil && b.t.Standstill.Applies {
			aw.StandstillPeriod = &Period{StartDate: StartOfDay(day(sp.From)), EndDate: EndOfDay(day(sp.LastDay))}
		}
		out = append(out, aw)
	}
	return out
}

// contracts are the contract entered into, one per lot awarded; the UK7
// notice is listed on each once published (uk7Date not "").
func (b *builder) contracts(uk7Date string) []Contract {
	c := b.t.Contract
	var out []Contract
	for i, cl := range c.Lots {
		if !slices.ContainsFunc(b.t.Lots, func(l tenders.Lot) bool { return l.ID == cl.Lot }) {
			b.bad[fmt.Sprintf("contract.lots[%d].lot", i)] = "No such lot: " + cl.Lot
			continue
		}
		con := Contract{
			ID: "contract-" + cl.Lot, AwardID: awardID(cl.Lot), Status: "active",
			Period:     &Period{StartDate: StartOfDay(day(c.Start)), EndDate: EndOfDay(day(c.End))},
			Value:      GBPGross(cl.Value),
			DateSigned: StartOfDay(day(c.SignedOn)),
		}
		if uk7Date != "" {
			con.Documents = b.documents(tenders.NoticeContractDetails)
		}
		out = append(out, con)
	}
	return out
}

func awardID(lot string) string { return "award-" + lot }

// price is what the bid asked for the lot.
func (b *builder) price(bidID, lot string) (int64, bool) {
	for _, bid := range b.p.Bids {
		if bid.ID != bidID {
			continue
		}
		for _, lp := range bid.Lots {
			if lp.Lot == lot {
				return lp.Price, true
			}
		}
	}
	return 0, false
}

// notice is the day the notice of that type was published, or "".
func (b *builder) notice(typ string) string {
	for _, n := range b.t.Notices {
		if n.Type == typ && n.PublishedOn != "" {
			return n.PublishedOn
		}
	}
	return ""
}

var noticeDocs = map[string]struct{ docType, title string }{
	tenders.NoticeTender:          {DocTenderNotice, "Tender notice"},
	tenders.NoticeAward:           {DocAwardNotice, "Contract award notice"},
	tenders.NoticeContractDetails: {DocContractNotice, "Contract details notice"},
}

// documents lists the published notice of that type as a document with the
// UK extension's noticeType.
func (b *builder) documents(typ string) []Document {
	on := b.notice(typ)
	if on == "" {
		return nil
	}
	d := noticeDocs[typ]
	published := StartOfDay(day(on))
	if typ == tenders.NoticeTender && !b.t.PublishedAt.IsZero() {
		published = DateTime(b.t.PublishedAt)
	}
	return []Document{{ID: typ, DocumentType: d.docType, NoticeType: typ, Title: d.title,
		DatePublished: published, Language: "en"}}
}

func procedureWords(t *tenders.Tender) string {
	s := "Open procedure (Procurement Act 2023, s.20)"
	if t.Procedure == tenders.ProcedureCompetitiveFlexible {
		s = "Competitive flexible procedure (Procurement Act 2023, s.20)"
	}
	if t.LightTouch {
		s += "; light-touch contract"
	}
	if t.Reserved {
		s += "; reserved for public service mutuals (s.33)"
	}
	return s
}

// criteriaWords lists the criteria with their weights in the tender's
// order: "Quality: Care planning 40%; Price: Price 30%; …".
func criteriaWords(cs []tenders.Criterion) string {
	kinds := map[string]string{tenders.KindQuality: "Quality", tenders.KindPrice: "Price", tenders.KindSocialValue: "Social value"}
	parts := make([]string, 0, len(cs))
	for _, c := range cs {
		parts = append(parts, fmt.Sprintf("%s: %s %d%%", kinds[c.Kind], c.Name, c.Weight))
	}
	return strings.Join(parts, "; ")
}

// day reads a YYYY-MM-DD day. The tenders package refuses malformed ones;
// one would give the zero time, written as no date rather than a made-up one.
func day(s string) time.Time {
	t, _ := time.Parse(time.DateOnly, s)
	return t
}

// laterOf is the later of two RFC 3339 date-times (either may be "").
func laterOf(a, b string) string {
	ta, errA := time.Parse(time.RFC3339, a)
	tb, errB := time.Parse(time.RFC3339, b)
	switch {
	case errA != nil:
		return b
	case errB != nil || ta.After(tb):
		return a
	}
	return b
}

func absoluteURL(s string) bool {
	u, err := url.Parse(s)
	return err == nil && (u.Scheme == "https" || u.Scheme == "http") && u.Host != ""
}
