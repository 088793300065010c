package pages

// The bid form: a price per lot in pounds (blank: not bidding for that
// lot), a written response per quality and social-value criterion (with
// its guide and weight), and for a tender reserved for public service
// mutuals each of the mutual's conditions declared with evidence; then
// check your answers, and send. As the grants apply form does, the form
// carries an idempotency key from its first showing, so sending twice (a
// double click, a retry after a lost answer) stores one bid. The same form
// changes a sent bid before tenders close, conditional on the version the
// founder read, so two founders changing it at once lose no change
// unnoticed. Files are added on the bid's page once it is sent
// (tenders_founder_sent.go), as for grant applications.

import (
	"cmp"
	"net/http"
	"regexp"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// bidForm is the bid form as typed, kept as text so that a wrong answer
// comes back as it was typed.
type bidForm struct {
	// Key is the idempotency key of a new bid; Bid and Version identify
	// the bid being changed.
	Key, Coop, Bid, Version string
	Prices                  map[string]string // by lot ID
	Responses               map[string]string // by criterion ID
	Met                     map[string]bool   // by condition code
	Evidence                map[string]string // by condition code
}

// bidFormData is what the bid form and its check page show.
type bidFormData struct {
	Tender  *tenderservice.TenderView
	Coop    tenderservice.CoopBidding
	Reasons []reasonRow
	Form    bidForm
	// Action is where the form posts.
	Action string
	Lots   []bidLotField
	Crits  []bidCritField
	Conds  []bidCondField
	// Input is the bid read from the form, for the check page.
	Input tenderservice.BidInput
	// Change is true when changing a sent bid.
	Change bool
}

// bidLotField is one lot's price input.
type bidLotField struct {
	Lot   tenders.Lot
	Price field
	// Pence is the price read, for the check page (0: not bidding).
	Pence int64
}

// bidCritField is one criterion's response box.
type bidCritField struct {
	Criterion tenders.Criterion
	Response  field
}

// bidCondField is one of the mutual's conditions: the declaration and
// its evidence, as controls and, for the check page, as typed.
type bidCondField struct {
	Code, Name    string
	Met, Evidence field
	MetOK         bool
	EvidenceTyped string
}

// readBidForm reads the bid form for the tender's lots, criteria and
// conditions.
func readBidForm(r *http.Request, t *tenders.Tender) bidForm {
	f := r.PostForm
	bf := bidForm{Key: f.Get("key"), Coop: f.Get("coop"), Bid: f.Get("bid"), Version: f.Get("version"),
		Prices: map[string]string{}, Responses: map[string]string{}, Met: map[string]bool{}, Evidence: map[string]string{}}
	for _, l := range t.Lots {
		bf.Prices[l.ID] = strings.TrimSpace(f.Get("price-" + l.ID))
	}
	for _, c := range t.Criteria {
		if c.Scored() {
			bf.Responses[c.ID] = strings.TrimSpace(f.Get("response-" + c.ID))
		}
	}
	if t.Reserved {
		for _, c := range tenders.Conditions {
			bf.Met[c.Code] = f.Get("met-"+c.Code) == "yes"
			bf.Evidence[c.Code] = strings.TrimSpace(f.Get("evidence-" + c.Code))
		}
	}
	return bf
}

// bidFormOf fills the form from a sent bid, for changing it.
func bidFormOf(b *tenders.Bid) bidForm {
	bf := bidForm{Coop: b.Coop, Bid: b.ID, Version: strconv.Itoa(b.Version),
		Prices: map[string]string{}, Responses: map[string]string{}, Met: map[string]bool{}, Evidence: map[string]string{}}
	for _, l := range b.Lots {
		bf.Prices[l.Lot] = poundsText(l.Price)
	}
	for k, v := range b.Responses {
		bf.Responses[k] = v
	}
	for k, d := range b.Declarations {
		bf.Met[k], bf.Evidence[k] = d.Met, d.Evidence
	}
	return bf
}

// input turns the form into the service's input, or returns the form's
// errors in the order of the fields.
func (bf bidForm) input(t *tenders.Tender) (tenderservice.BidInput, formErrors) {
	in := tenderservice.BidInput{Tender: t.ID, Coop: bf.Coop, Responses: map[string]string{}}
	var errs formErrors
	for _, l := range t.Lots {
		typed := bf.Prices[l.ID]
		if typed == "" {
			continue
		}
		if p, ok := parsePounds(typed); !ok || p <= 0 {
			errs = append(errs, fieldError{Field: "price-" + l.ID, ID: "price-" + l.ID,
				Message: "Enter your price for " + l.Name + " in pounds, like 120000, or leave it blank if you are not bidding for it"})
		} else {
			in.Lots = append(in.Lots, tenders.LotPrice{Lot: l.ID, Price: p})
		}
	}
	if len(in.Lots) == 0 && len(errs) == 0 && len(t.Lots) > 0 {
		errs = append(errs, fieldError{Field: "lots", ID: "price-" + t.Lots[0].ID, Message: "Enter a price for at least one lot you are bidding for"})
	}
	for _, c := range t.Criteria {
		if !c.Scored() {
			continue
		}
		if bf.Responses[c.ID] == "" {
			errs = append(errs, fieldError{Field: "response-" + c.ID, ID: "response-" + c.ID, Message: "Write your response to " + c.Name})
			continue
		}
		in.Responses[c.ID] = bf.Responses[c.ID]
	}
	if t.Reserved {
		in.Declarations = map[string]tenders.Declaration{}
		for _, c := range tenders.Conditions {
			if !bf.Met[c.Code] {
				errs = append(errs, fieldError{Field: "met-" + c.Code, ID: "met-" + c.Code,
					Message: "Only a public service mutual can bid for this reserved tender: confirm that " + lowerFirst(c.Name)})
			} else if bf.Evidence[c.Code] == "" {
				errs = append(errs, fieldError{Field: "evidence-" + c.Code, ID: "evidence-" + c.Code,
					Message: "Say how the co-op meets this condition: " + lowerFirst(c.Name)})
			}
			in.Declarations[c.Code] = tenders.Declaration{Met: bf.Met[c.Code], Evidence: bf.Evidence[c.Code]}
		}
	}
	return in, errs
}

// lowerFirst lowers the first letter of a sentence that goes mid-sentence.
func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	return strings.ToLower(s[:1]) + s[1:]
}

// lotIndex matches the service's field names for a bid's lots.
var lotIndex = regexp.MustCompile(`^lots\[(\d+)\]`)

// bidErrors turns the service's field messages into the form's errors.
func bidErrors(msgs map[string]string, t *tenders.Tender, in tenderservice.BidInput) formErrors {
	out := map[string]string{}
	ids := map[string]string{}
	for k, m := range msgs {
		f := k
		switch {
		case strings.HasPrefix(k, "responses."):
			f = "response-" + strings.TrimPrefix(k, "responses.")
		case strings.HasPrefix(k, "declarations.") && strings.HasSuffix(k, ".evidence"):
			f = "evidence-" + strings.TrimSuffix(strings.TrimPrefix(k, "declarations."), ".evidence")
		case strings.HasPrefix(k, "declarations."):
			f = "met-" + strings.TrimPrefix(k, "declarations.")
		case lotIndex.MatchString(k):
			i, _ := strconv.Atoi(lotIndex.FindStringSubmatch(k)[1])
			if i < len(in.Lots) {
				f = "price-" + in.Lots[i].Lot
			}
		case k == "lots" || k == "" || k == "coop" || k == "tender":
			f = "lots"
		}
		out[f] = cmp.Or(out[f], m)
	}
	var order []string
	for _, l := range t.Lots {
		order = append(order, "price-"+l.ID)
	}
	order = append(order, "lots")
	if len(t.Lots) > 0 {
		ids["lots"] = "price-" + t.Lots[0].ID
	}
	for _, c := range t.Criteria {
		order = append(order, "response-"+c.ID)
	}
	for _, c := range tenders.Conditions {
		order = append(order, "met-"+c.Code, "evidence-"+c.Code)
	}
	return newErrors(out, order, ids)
}

// fields builds the form's controls from the form as typed.
func (d *bidFormData) fields(t *tenders.Tender, errs formErrors) {
	bf := d.Form
	for _, l := range t.Lots {
		p, _ := parsePounds(bf.Prices[l.ID])
		err := errs.For("price-" + l.ID)
		if err == "" && len(t.Lots) > 0 && l.ID == t.Lots[0].ID {
			err = errs.For("lots")
		}
		d.Lots = append(d.Lots, bidLotField{Lot: l, Pence: p, Price: field{ID: "price-" + l.ID, Name: "price-" + l.ID,
			Label: "Your price for " + l.Name + ", in pounds, including VAT",
			Hint:  "The council estimates " + pathway.Pounds(l.Value) + " for this lot. Leave it blank if you are not bidding for it.",
			Value: bf.Prices[l.ID], Err: err, Class: "input--10", Inputmode: "decimal"}})
	}
	for _, c := range t.Criteria {
		if !c.Scored() {
			continue
		}
		hint := criterionKind(c.Kind) + ", weight " + strconv.Itoa(c.Weight) + "%."
		if c.Guide != "" {
			hint += " " + c.Guide
		}
		d.Crits = append(d.Crits, bidCritField{Criterion: c, Response: field{ID: "response-" + c.ID, Name: "response-" + c.ID,
			Label: "Your response: " + c.Name, Hint: hint, Value: bf.Responses[c.ID], Err: errs.For("response-" + c.ID)}})
	}
	if t.Reserved {
		for _, c := range tenders.Conditions {
			val := ""
			if bf.Met[c.Code] {
				val = "yes"
			}
			d.Conds = append(d.Conds, bidCondField{Code: c.Code, Name: c.Name, MetOK: bf.Met[c.Code], EvidenceTyped: bf.Evidence[c.Code],
				Met: field{ID: "met-" + c.Code, Name: "met-" + c.Code, Type: "checkbox", Legend: c.Name, Value: val,
					Values: []string{val}, Err: errs.For("met-" + c.Code),
					Options: []option{{"yes", "Yes, the co-op meets this condition", ""}}},
				Evidence: field{ID: "evidence-" + c.Code, Name: "evidence-" + c.Code, Label: "How the co-op meets it",
					Hint:  "For example, the rule in your co-op's rules that says so, or where your accounts or minutes show it. You can upload files once the bid is sent.",
					Value: bf.Evidence[c.Code], Err: errs.For("evidence-" + c.Code)}})
		}
	}
}

// bidTender reads the tender and the founder's co-op's standing for it; a
// co-op that is not the founder's is "not found".
func (h *Handler) bidTender(r *http.Request, id, coop string) (*tenderservice.TenderView, tenderservice.CoopBidding, error) {
	v, err := h.tenders.Tender(r.Context(), userFrom(r), id)
	if err != nil {
		return nil, tenderservice.CoopBidding{}, err
	}
	for _, c := range v.Coops {
		if c.Coop == coop {
			return v, c, nil
		}
	}
	return nil, tenderservice.CoopBidding{}, pathway.NotFound("co-op")
}

// founderBidForm shows the bid form for one of the founder's co-ops
// (?coop=), or why it cannot bid.
func (h *Handler) founderBidForm(w http.ResponseWriter, r *http.Request) {
	if h.tendersOr404(w, r) == nil {
		return
	}
	v, c, err := h.bidTender(r, r.PathValue("id"), r.URL.Query().Get("coop"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	bf := bidForm{Key: newKey(), Coop: c.Coop, Prices: map[string]string{}, Responses: map[string]string{}, Met: map[string]bool{}, Evidence: map[string]string{}}
	h.showBidForm(w, r, http.StatusOK, v, c, bf, nil)
}

// showBidForm renders the bid form with the answers and errors.
func (h *Handler) showBidForm(w http.ResponseWriter, r *http.Request, status int, v *tenderservice.TenderView, c tenderservice.CoopBidding, bf bidForm, errs formErrors) {
	d := &bidFormData{Tender: v, Coop: c, Form: bf, Change: bf.Bid != "", Action: tenderPath(v.ID) + "/bid"}
	if d.Change {
		d.Action = "/bids/" + bf.Bid + "/change"
	}
	for _, rs := range c.Reasons {
		d.Reasons = append(d.Reasons, reasonRow{Message: rs.Message, Next: reasonNext(rs.Rule)})
	}
	d.fields(v.Tender, errs)
	title := "Bid for " + v.Title
	if d.Change {
		title = "Change your bid for " + v.Title
	}
	h.render(w, r, status, "tender-founder-bid-form", &page{Title: title, Nav: "tenders", Back: tenderPath(v.ID), Errors: errs, Data: d})
}

// founderBidPost takes the bid form's buttons: check the answers, change
// them, and send.
func (h *Handler) founderBidPost(w http.ResponseWriter, r *http.Request) {
	g := h.tendersOr404(w, r)
	if g == nil {
		return
	}
	v, c, err := h.bidTender(r, r.PathValue("id"), r.PostForm.Get("coop"))
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	bf := readBidForm(r, v.Tender)
	bf.Bid, bf.Version = "", ""
	if bf.Key == "" {
		bf.Key = newKey()
	}
	in, errs := bf.input(v.Tender)
	if h.bidStep(w, r, v, c, bf, in, errs) {
		return
	}
	u := userFrom(r)
	b, err := g.Submit(r.Context(), u, tenderservice.BidID(u.ID, bf.Key), in)
	if msgs := fieldsOf(err); msgs != nil {
		h.showBidForm(w, r, http.StatusBadRequest, v, c, bf, bidErrors(msgs, v.Tender, in))
		return
	} else if pathway.ErrorCode(err) == pathway.ECONFLICT && len(pathway.ErrorFields(err)) > 0 {
		h.showBidForm(w, r, http.StatusConflict, v, c, bf, formErrors{{Field: "lots", ID: idOfFirstLot(v.Tender), Message: pathway.ErrorMessage(err)}})
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, bidPath(b.ID)+"?notice=bid-sent", http.StatusSeeOther)
}

// idOfFirstLot is the first price input's ID, where errors about the bid
// as a whole link.
func idOfFirstLot(t *tenders.Tender) string {
	if len(t.Lots) == 0 {
		return "lots"
	}
	return "price-" + t.Lots[0].ID
}

// bidStep shows the form again (with errors, or to change answers) or the
// check page, and reports whether it answered; step "send" with no errors
// is left to the caller.
func (h *Handler) bidStep(w http.ResponseWriter, r *http.Request, v *tenderservice.TenderView, c tenderservice.CoopBidding, bf bidForm, in tenderservice.BidInput, errs formErrors) bool {
	step := r.PostForm.Get("step")
	if len(errs) > 0 || step == "change" {
		status := http.StatusOK
		if len(errs) > 0 {
			status = http.StatusBadRequest
		}
		h.showBidForm(w, r, status, v, c, bf, errs)
		return true
	}
	if step == "send" {
		return false
	}
	d := &bidFormData{Tender: v, Coop: c, Form: bf, Input: in, Change: bf.Bid != "", Action: tenderPath(v.ID) + "/bid"}
	if d.Change {
		d.Action = "/bids/" + bf.Bid + "/change"
	}
	d.fields(v.Tender, nil)
	h.render(w, r, http.StatusOK, "tender-founder-bid-check", &page{Title: "Check your bid before sending", Nav: "tenders", Data: d})
	return true
}

// changeTarget reads the founder's sent bid and its tender, or answers.
func (h *Handler) changeTarget(w http.ResponseWriter, r *http.Request) (*tenderservice.BidView, *tenderservice.TenderView, tenderservice.CoopBidding, bool) {
	ctx, u := r.Context(), userFrom(r)
	b, err := h.tenders.Bid(ctx, u, r.PathValue("id"))
	if err == nil && (b.Bid == nil || u.Role != pathway.RoleFounder) {
		err = pathway.NotFound("bid")
	}
	if err != nil {
		h.errorPage(w, r, nil, err)
		return nil, nil, tenderservice.CoopBidding{}, false
	}
	v, c, err := h.bidTender(r, b.Tender, b.Coop)
	if err == nil && (b.Status != tenders.BidSubmitted || !v.Open) {
		err = pathway.Errorf(pathway.ECONFLICT, "This bid can no longer be changed: tenders have closed or it was withdrawn.")
	}
	if err != nil {
		h.errorPage(w, r, nil, err)
		return nil, nil, tenderservice.CoopBidding{}, false
	}
	c.CanBid, c.Reasons = true, nil // it is in already: changing it is not bidding again
	return b, v, c, true
}

// founderBidChangeForm shows the bid form filled with the sent bid.
func (h *Handler) founderBidChangeForm(w http.ResponseWriter, r *http.Request) {
	if h.tendersOr404(w, r) == nil {
		return
	}
	b, v, c, ok := h.changeTarget(w, r)
	if !ok {
		return
	}
	h.showBidForm(w, r, http.StatusOK, v, c, bidFormOf(b.Bid), nil)
}

// founderBidChangePost takes the change form's buttons; sending saves the
// change if nobody changed the bid since the founder read it.
func (h *Handler) founderBidChangePost(w http.ResponseWriter, r *http.Request) {
	g := h.tendersOr404(w, r)
	if g == nil {
		return
	}
	b, v, c, ok := h.changeTarget(w, r)
	if !ok {
		return
	}
	bf := readBidForm(r, v.Tender)
	bf.Bid, bf.Coop, bf.Key = b.ID, b.Coop, ""
	version, _ := strconv.Atoi(bf.Version)
	if version <= 0 {
		version = b.Version
		bf.Version = strconv.Itoa(version)
	}
	in, errs := bf.input(v.Tender)
	in.Files = b.Files // files are added on the bid's page, never dropped here
	if h.bidStep(w, r, v, c, bf, in, errs) {
		return
	}
	_, err := g.UpdateBid(r.Context(), userFrom(r), b.ID, in, version)
	if msgs := fieldsOf(err); msgs != nil {
		h.showBidForm(w, r, http.StatusBadRequest, v, c, bf, bidErrors(msgs, v.Tender, in))
		return
	} else if pathway.ErrorCode(err) == pathway.ECONFLICT {
		h.showBidForm(w, r, http.StatusConflict, v, c, bidFormOf(b.Bid), formErrors{{Field: "lots", ID: idOfFirstLot(v.Tender),
			Message: "Someone else changed this bid while you were working on it. The form now shows their version: make your changes again."}})
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, bidPath(b.ID)+"?notice=bid-saved", http.StatusSeeOther)
}
