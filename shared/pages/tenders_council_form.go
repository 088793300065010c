package pages

// The council lead's tender form: a new draft tender, or a draft changed.
// Lots and criteria are fixed rows (no JavaScript adds more); blank rows
// are ignored. Money is typed in pounds, deadlines as a UK date and time.

import (
	"cmp"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/tenders"
	"github.com/coopcarepathway/pathway/shared/tenders/tenderservice"
)

// Rows the tender form offers.
const (
	lotRows       = 6
	tenderCritRow = 10
)

// tenderFormData is what the tender form shows.
type tenderFormData struct {
	Key      string
	Editing  bool
	ID       string
	Version  int
	F        map[string]field
	Lots     [][]field
	Criteria [][]field
}

// criterionKinds are the kinds of award criterion, as the form offers them.
var criterionKinds = []option{
	{Value: tenders.KindQuality, Label: "Quality"},
	{Value: tenders.KindPrice, Label: "Price"},
	{Value: tenders.KindSocialValue, Label: "Social value"},
}

var yesNoOptions = []option{{Value: "yes", Label: "Yes"}, {Value: "no", Label: "No"}}

// newTenderPage shows the lead's form for a new tender.
func (h *Handler) newTenderPage(w http.ResponseWriter, r *http.Request) {
	if h.tenderServiceOr404(w, r) == nil {
		return
	}
	if u := userFrom(r); u.Role != pathway.RoleCommissioner || !u.Lead {
		h.errorPage(w, r, nil, pathway.Errorf(pathway.EFORBIDDEN, "Only a lead of your council can create tenders."))
		return
	}
	r.PostForm = url.Values{"standstill": {"yes"}, "standstillDays": {strconv.Itoa(tenderservice.DefaultStandstillDays)},
		"lightTouch": {"yes"}, "reserved": {"no"}, "procedure": {tenders.ProcedureOpen},
		"questionsCloseAt-time": {"17:00"}, "tendersCloseAt-time": {"17:00"}}
	h.showTenderForm(w, r, http.StatusOK, &tenderFormData{Key: newKey()}, nil)
}

// showTenderForm renders the form with what was typed (r.PostForm) and
// its errors.
func (h *Handler) showTenderForm(w http.ResponseWriter, r *http.Request, status int, d *tenderFormData, errs formErrors) {
	u := userFrom(r)
	get := func(k string) string {
		if r.PostForm == nil {
			return ""
		}
		return r.PostForm.Get(k)
	}
	values := func(k string) []string {
		if r.PostForm == nil {
			return nil
		}
		return r.PostForm[k]
	}
	date := func(name, legend string) field {
		d := readDate(get, name)
		return field{ID: name, Name: name, Legend: legend, Hint: "For example, 1 9 2027", Day: d.Day, Month: d.Month, Year: d.Year, Err: errs.For(name)}
	}
	text := func(name, label, hint, class, mode string) field {
		return field{ID: name, Name: name, Label: label, Hint: hint, Value: get(name), Err: errs.For(name), Class: class, Inputmode: mode}
	}
	radio := func(name, legend, hint string, opts []option) field {
		return field{ID: name, Name: name, Type: "radio", Legend: legend, Hint: hint, Value: get(name), Options: opts, Err: errs.For(name)}
	}
	names, err := h.tenders.StaffNames(r.Context(), u, u.Organisation)
	if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	var staff []option
	for id, n := range names {
		staff = append(staff, option{Value: id, Label: n})
	}
	slices.SortFunc(staff, func(a, b option) int { return cmp.Compare(a.Label, b.Label) })
	d.F = map[string]field{
		"title":       text("title", "Title of the tender", "", "", ""),
		"description": text("description", "What the council is buying", "Bidders read this first: the service, who it is for, and where.", "", ""),
		"services": {ID: "services", Name: "services", Type: "checkbox", Legend: "Kinds of care bought", Options: serviceOptions(),
			Values: values("services"), Err: errs.For("services")},
		"regulatedActivities": {ID: "regulatedActivities", Name: "regulatedActivities", Type: "checkbox", Legend: "CQC regulated activities a bidder must be registered for",
			Hint: "Choose none if the service needs no CQC registration.", Options: activities, Values: values("regulatedActivities"), Err: errs.For("regulatedActivities")},
		"areas":      text("areas", "Council areas served", "One a line, as the council is named, for example Leeds.", "", ""),
		"value":      text("value", "Estimated total value including VAT, in pounds", "The light touch threshold is £663,540 including VAT.", "input--10", "decimal"),
		"lightTouch": radio("lightTouch", "Is this a light touch contract?", "Social care services are light touch under the Procurement Act 2023.", yesNoOptions),
		"procedure": radio("procedure", "Procedure", "", []option{
			{Value: tenders.ProcedureOpen, Label: "Open procedure", Hint: "A single stage: every bid is assessed."},
			{Value: tenders.ProcedureCompetitiveFlexible, Label: "Competitive flexible procedure", Hint: "Stages the council designs, such as negotiation."}}),
		"reserved": radio("reserved", "Is it reserved for public service mutuals?",
			"Only a light touch contract of at most 5 years, under the competitive flexible procedure (section 33).", yesNoOptions),
		"minQuality":       text("minQuality", "Minimum quality score, in percent (optional)", "Bids that get less than this share of the quality marks are out. Leave empty for none.", "input--4", "numeric"),
		"termStart":        date("termStart", "The contract starts on"),
		"termEnd":          date("termEnd", "The contract ends on"),
		"questionsCloseAt": date("questionsCloseAt", "Deadline for clarification questions"),
		"tendersCloseAt":   date("tendersCloseAt", "Deadline for tenders"),
		"questionsCloseAt-time": {ID: "questionsCloseAt-time", Name: "questionsCloseAt-time", Label: "Time of the deadline for questions (UK time)",
			Hint: "For example, 17:00 or 5pm", Value: get("questionsCloseAt-time"), Err: errs.For("questionsCloseAt-time"), Class: "input--10"},
		"tendersCloseAt-time": {ID: "tendersCloseAt-time", Name: "tendersCloseAt-time", Label: "Time of the deadline for tenders (UK time)",
			Hint: "For example, 17:00 or 5pm", Value: get("tendersCloseAt-time"), Err: errs.For("tendersCloseAt-time"), Class: "input--10"},
		"standstill": radio("standstill", "Will a standstill apply after the award?",
			"It must for a contract that is not light touch; for a light touch contract it is voluntary.", yesNoOptions),
		"standstillDays": text("standstillDays", "Length of the standstill, in working days", "At least 8.", "input--4", "numeric"),
		"evaluators": {ID: "evaluators", Name: "evaluators", Type: "checkbox", Legend: "Who evaluates the bids",
			Hint: "Each evaluator scores every bid, after declaring any conflict of interest.", Options: staff, Values: values("evaluators"), Err: errs.For("evaluators")},
	}
	for i := range lotRows {
		n := strconv.Itoa(i + 1)
		d.Lots = append(d.Lots, []field{
			{ID: "lotName-" + n, Name: "lotName-" + n, Label: "Lot " + n + ": name", Value: get("lotName-" + n), Err: errs.For("lotName-" + n)},
			{ID: "lotValue-" + n, Name: "lotValue-" + n, Label: "Lot " + n + ": estimated value including VAT, in pounds", Value: get("lotValue-" + n),
				Err: errs.For("lotValue-" + n), Class: "input--10", Inputmode: "decimal"},
		})
	}
	for i := range tenderCritRow {
		n := strconv.Itoa(i + 1)
		d.Criteria = append(d.Criteria, []field{
			{ID: "critName-" + n, Name: "critName-" + n, Label: "Criterion " + n + ": name", Value: get("critName-" + n), Err: errs.For("critName-" + n)},
			{ID: "critKind-" + n, Name: "critKind-" + n, Label: "Criterion " + n + ": kind", Value: get("critKind-" + n), Options: criterionKinds, Err: errs.For("critKind-" + n)},
			{ID: "critWeight-" + n, Name: "critWeight-" + n, Label: "Criterion " + n + ": weight, in percent", Value: get("critWeight-" + n),
				Err: errs.For("critWeight-" + n), Class: "input--4", Inputmode: "numeric"},
			{ID: "critGuide-" + n, Name: "critGuide-" + n, Label: "Criterion " + n + ": what a good answer shows (optional)", Value: get("critGuide-" + n), Err: errs.For("critGuide-" + n)},
		})
	}
	title, back := "Create a tender", "/tenders"
	if d.Editing {
		title, back = "Change this tender", "/tenders/"+url.PathEscape(d.ID)
	}
	h.render(w, r, status, "tender-council-form", &page{Title: title, Nav: "tenders", Back: back, Errors: errs, Data: d})
}

// tenderOrder is the form's fields in order, for the error summary.
var tenderOrder = func() []string {
	out := []string{"title", "description", "services", "regulatedActivities", "areas", "value", "lightTouch", "procedure", "reserved"}
	for i := 1; i <= lotRows; i++ {
		n := strconv.Itoa(i)
		out = append(out, "lotName-"+n, "lotValue-"+n)
	}
	for i := 1; i <= tenderCritRow; i++ {
		n := strconv.Itoa(i)
		out = append(out, "critName-"+n, "critKind-"+n, "critWeight-"+n, "critGuide-"+n)
	}
	return append(out, "minQuality", "termStart", "termEnd", "questionsCloseAt", "questionsCloseAt-time",
		"tendersCloseAt", "tendersCloseAt-time", "standstill", "standstillDays", "evaluators")
}()

// readTender reads the form as the lead's tender, or the form's errors.
// Rows keep their IDs by position in old (the draft changed), so a lot
// or criterion renamed keeps what refers to it.
func readTender(f url.Values, old *tenders.Tender) (*tenderservice.TenderInput, formErrors) {
	var errs formErrors
	t := tenders.Tender{Title: strings.TrimSpace(f.Get("title")), Description: strings.TrimSpace(f.Get("description")),
		Services: f["services"], RegulatedActivities: f["regulatedActivities"], Procedure: f.Get("procedure"),
		LightTouch: f.Get("lightTouch") == "yes", Reserved: f.Get("reserved") == "yes", Evaluators: f["evaluators"],
		PriceScoring: tenders.PriceLowestProportional}
	for _, line := range strings.Split(pathway.NormaliseNewlines(f.Get("areas")), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			t.Areas = append(t.Areas, line)
		}
	}
	if v, ok := parsePounds(f.Get("value")); ok && v > 0 {
		t.Value = v
	} else {
		errs = append(errs, fieldError{Field: "value", ID: "value", Message: "Enter the estimated total value in pounds, like 250000"})
	}
	for _, yn := range []struct{ name, msg string }{
		{"lightTouch", "Say whether this is a light touch contract"},
		{"reserved", "Say whether it is reserved for public service mutuals"},
		{"standstill", "Say whether a standstill applies"},
	} {
		if f.Get(yn.name) == "" {
			errs = append(errs, fieldError{Field: yn.name, ID: yn.name, Message: yn.msg})
		}
	}
	for i := 1; i <= lotRows; i++ {
		n := strconv.Itoa(i)
		name, value := strings.TrimSpace(f.Get("lotName-"+n)), strings.TrimSpace(f.Get("lotValue-"+n))
		if name == "" && value == "" {
			continue
		}
		lot := tenders.Lot{ID: rowID(old, "lot", len(t.Lots), name), Name: name}
		if name == "" {
			errs = append(errs, fieldError{Field: "lotName-" + n, ID: "lotName-" + n, Message: "Lot " + n + ": enter its name"})
		}
		if v, ok := parsePounds(value); ok && v > 0 {
			lot.Value = v
		} else {
			errs = append(errs, fieldError{Field: "lotValue-" + n, ID: "lotValue-" + n, Message: "Lot " + n + ": enter its estimated value in pounds, like 120000"})
		}
		t.Lots = append(t.Lots, lot)
	}
	if len(t.Lots) == 0 {
		errs = append(errs, fieldError{Field: "lotName-1", ID: "lotName-1", Message: "Give at least one lot: its name and estimated value"})
	}
	for i := 1; i <= tenderCritRow; i++ {
		n := strconv.Itoa(i)
		name, kind, guide := strings.TrimSpace(f.Get("critName-"+n)), f.Get("critKind-"+n), strings.TrimSpace(f.Get("critGuide-"+n))
		weight := count(f, "critWeight-"+n, "Criterion "+n+" weight", &errs)
		if name == "" && kind == "" && weight == 0 && guide == "" {
			continue
		}
		if name == "" {
			errs = append(errs, fieldError{Field: "critName-" + n, ID: "critName-" + n, Message: "Criterion " + n + ": enter its name"})
		}
		if kind == "" {
			errs = append(errs, fieldError{Field: "critKind-" + n, ID: "critKind-" + n, Message: "Criterion " + n + ": choose its kind"})
		}
		t.Criteria = append(t.Criteria, tenders.Criterion{ID: rowID(old, "criterion", len(t.Criteria), name), Name: name, Kind: kind, Weight: weight, Guide: guide})
	}
	t.MinQuality = count(f, "minQuality", "Minimum quality score", &errs)
	for _, dt := range []struct {
		name, what string
		to         *string
	}{{"termStart", "the day the contract starts", &t.Term.Start}, {"termEnd", "the day the contract ends", &t.Term.End}} {
		iso, msg := readDate(f.Get, dt.name).iso(dt.what)
		if msg != "" {
			errs = append(errs, fieldError{Field: dt.name, ID: dt.name, Message: msg})
		}
		*dt.to = iso
	}
	var msg string
	if t.QuestionsCloseAt, msg = readUKTime(f.Get, "questionsCloseAt", "the deadline for questions"); msg != "" {
		errs = append(errs, fieldError{Field: "questionsCloseAt", ID: "questionsCloseAt", Message: msg})
	}
	if t.TendersCloseAt, msg = readUKTime(f.Get, "tendersCloseAt", "the deadline for tenders"); msg != "" {
		errs = append(errs, fieldError{Field: "tendersCloseAt", ID: "tendersCloseAt", Message: msg})
	}
	in := &tenderservice.TenderInput{Tender: t, Standstill: &tenders.Standstill{Applies: f.Get("standstill") == "yes"}}
	if in.Standstill.Applies {
		in.Standstill.WorkingDays = count(f, "standstillDays", "Length of the standstill", &errs)
	}
	in.Tender.Standstill = *in.Standstill
	return in, errs
}

// rowID returns the ID of the i-th lot or criterion: the draft's own at
// that position, else one made from its name.
func rowID(old *tenders.Tender, kind string, i int, name string) string {
	if old != nil {
		if kind == "lot" && i < len(old.Lots) {
			return old.Lots[i].ID
		}
		if kind == "criterion" && i < len(old.Criteria) {
			return old.Criteria[i].ID
		}
	}
	id := slugOf(name)
	if id == "" {
		id = kind
	}
	return id + "-" + strconv.Itoa(i+1)
}

// tenderRowField matches the service's names of a row's fields.
var tenderRowField = regexp.MustCompile(`^(lots|criteria|areas|services|regulatedActivities|evaluators)\[(\d+)\](?:\.(\w+))?$`)

// tenderFields renames the service's field names to the form's.
func tenderFields(msgs map[string]string) map[string]string {
	out := map[string]string{}
	for k, m := range msgs {
		switch {
		case tenderRowField.MatchString(k):
			sub := tenderRowField.FindStringSubmatch(k)
			i, _ := strconv.Atoi(sub[2])
			n := strconv.Itoa(i + 1)
			switch {
			case sub[1] == "lots" && sub[3] == "value":
				k, m = "lotValue-"+n, named("Lot "+n+" value", m)
			case sub[1] == "lots":
				k, m = "lotName-"+n, named("Lot "+n, m)
			case sub[1] == "criteria" && sub[3] == "weight":
				k, m = "critWeight-"+n, named("Criterion "+n+" weight", m)
			case sub[1] == "criteria" && sub[3] == "kind":
				k, m = "critKind-"+n, named("Criterion "+n+" kind", m)
			case sub[1] == "criteria" && sub[3] == "guide":
				k, m = "critGuide-"+n, named("Criterion "+n+" guide", m)
			case sub[1] == "criteria":
				k, m = "critName-"+n, named("Criterion "+n, m)
			default:
				k, m = sub[1], named(upperFirst(readable(sub[1])), m)
			}
		case k == "lots":
			k = "lotName-1"
		case k == "criteria":
			k = "critWeight-1"
		case k == "term.start":
			k = "termStart"
		case k == "term.end":
			k = "termEnd"
		case k == "standstill.applies":
			k = "standstill"
		case k == "standstill.workingDays":
			k = "standstillDays"
		case k == "value":
			m = named("Estimated total value", m)
		case k == "title":
			m = named("Title", m)
		case k == "description":
			m = named("What the council is buying", m)
		}
		if _, dup := out[k]; !dup {
			out[k] = m
		}
	}
	return out
}

// createTender stores the lead's new draft tender. A resent form (the
// same key) shows the draft stored the first time.
func (h *Handler) createTender(w http.ResponseWriter, r *http.Request) {
	svc := h.tenderServiceOr404(w, r)
	if svc == nil {
		return
	}
	ctx, u := r.Context(), userFrom(r)
	key := r.PostForm.Get("key")
	if len(key) < 16 || len(key) > 64 || slugOf(key) != key {
		key = newKey()
	}
	in, errs := readTender(r.PostForm, nil)
	if len(errs) > 0 {
		h.showTenderForm(w, r, http.StatusBadRequest, &tenderFormData{Key: key}, newErrors(errsMap(errs), tenderOrder, nil))
		return
	}
	in.ID = "tender-" + key[:24]
	if old, err := svc.Tender(ctx, u, in.ID); err == nil && old.Council == u.Organisation {
		http.Redirect(w, r, "/tenders/"+url.PathEscape(in.ID), http.StatusSeeOther)
		return
	}
	v, err := svc.CreateTender(ctx, u, in)
	if msgs := fieldsOf(err); msgs != nil {
		h.showTenderForm(w, r, http.StatusBadRequest, &tenderFormData{Key: key}, newErrors(tenderFields(msgs), tenderOrder, nil))
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/tenders/"+url.PathEscape(v.ID)+"?notice=tender-saved", http.StatusSeeOther)
}

// errsMap turns the form's own errors back into messages by field, so
// they are ordered as the form is.
func errsMap(errs formErrors) map[string]string {
	out := map[string]string{}
	for _, e := range errs {
		if _, dup := out[e.Field]; !dup {
			out[e.Field] = e.Message
		}
	}
	return out
}

// tenderValues writes a tender as the form's values.
func tenderValues(t *tenders.Tender) url.Values {
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	f := url.Values{"title": {t.Title}, "description": {t.Description}, "services": t.Services, "regulatedActivities": t.RegulatedActivities,
		"areas": {strings.Join(t.Areas, "\n")}, "value": {penceText(t.Value)}, "lightTouch": {yn(t.LightTouch)}, "procedure": {t.Procedure},
		"reserved": {yn(t.Reserved)}, "standstill": {yn(t.Standstill.Applies)}, "evaluators": t.Evaluators}
	if t.Standstill.WorkingDays > 0 {
		f.Set("standstillDays", strconv.Itoa(t.Standstill.WorkingDays))
	}
	if t.MinQuality > 0 {
		f.Set("minQuality", strconv.Itoa(t.MinQuality))
	}
	for i, l := range t.Lots[:min(len(t.Lots), lotRows)] {
		n := strconv.Itoa(i + 1)
		f.Set("lotName-"+n, l.Name)
		f.Set("lotValue-"+n, penceText(l.Value))
	}
	for i, c := range t.Criteria[:min(len(t.Criteria), tenderCritRow)] {
		n := strconv.Itoa(i + 1)
		f.Set("critName-"+n, c.Name)
		f.Set("critKind-"+n, c.Kind)
		f.Set("critWeight-"+n, strconv.Itoa(c.Weight))
		f.Set("critGuide-"+n, c.Guide)
	}
	dayValues(f, "termStart", t.Term.Start)
	dayValues(f, "termEnd", t.Term.End)
	timeValues(f, "questionsCloseAt", t.QuestionsCloseAt)
	timeValues(f, "tendersCloseAt", t.TendersCloseAt)
	return f
}

// leadsDraft reads the tender id for its council's lead; anyone else is
// shown 403 (the council's other staff) or 404, and nil returned.
func (h *Handler) leadsDraft(w http.ResponseWriter, r *http.Request, svc *tenderservice.Service) *tenderservice.TenderView {
	u := userFrom(r)
	v, err := svc.Tender(r.Context(), u, r.PathValue("id"))
	switch {
	case err != nil:
		h.errorPage(w, r, nil, err)
	case tenderservice.IsCouncilLead(u, v.Council):
		return v
	case tenderservice.IsCouncilStaff(u, v.Council):
		h.errorPage(w, r, nil, pathway.Errorf(pathway.EFORBIDDEN, "Only a lead of your council can change or publish tenders."))
	default:
		h.errorPage(w, r, nil, pathway.NotFound("tender"))
	}
	return nil
}

// editTenderPage shows the lead the draft's form, filled in.
func (h *Handler) editTenderPage(w http.ResponseWriter, r *http.Request) {
	svc := h.tenderServiceOr404(w, r)
	if svc == nil {
		return
	}
	v := h.leadsDraft(w, r, svc)
	if v == nil {
		return
	}
	if v.Status != tenders.StatusDraft {
		h.errorPage(w, r, nil, pathway.Errorf(pathway.ECONFLICT, "This tender is published: it can no longer be changed."))
		return
	}
	r.PostForm = tenderValues(v.Tender)
	h.showTenderForm(w, r, http.StatusOK, &tenderFormData{Editing: true, ID: v.ID, Version: v.Version}, nil)
}

// updateTender stores the lead's changes to a draft, if nobody else
// changed it since the form was read.
func (h *Handler) updateTender(w http.ResponseWriter, r *http.Request) {
	svc := h.tenderServiceOr404(w, r)
	if svc == nil {
		return
	}
	old := h.leadsDraft(w, r, svc)
	if old == nil {
		return
	}
	version, _ := strconv.Atoi(r.PostForm.Get("version"))
	d := &tenderFormData{Editing: true, ID: old.ID, Version: version}
	in, errs := readTender(r.PostForm, old.Tender)
	if len(errs) > 0 {
		h.showTenderForm(w, r, http.StatusBadRequest, d, newErrors(errsMap(errs), tenderOrder, nil))
		return
	}
	in.ID, in.Version = old.ID, version
	var err error
	if version < 1 {
		err = pathway.Errorf(pathway.ECONFLICT, "stale")
	} else {
		_, err = svc.UpdateTender(r.Context(), userFrom(r), old.ID, in, version)
	}
	if msgs := fieldsOf(err); msgs != nil {
		h.showTenderForm(w, r, http.StatusBadRequest, d, newErrors(tenderFields(msgs), tenderOrder, nil))
		return
	} else if pathway.ErrorCode(err) == pathway.ECONFLICT {
		h.showTenderForm(w, r, http.StatusConflict, d, formErrors{{Field: "version", ID: "title",
			Href:    "/tenders/" + url.PathEscape(old.ID) + "/edit",
			Message: "Someone else changed this tender while you were working on it, or it was published. Open the form again to see it as it is now."}})
		return
	} else if err != nil {
		h.errorPage(w, r, nil, err)
		return
	}
	http.Redirect(w, r, "/tenders/"+url.PathEscape(old.ID)+"?notice=tender-saved", http.StatusSeeOther)
}
