package grantservice

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"slices"
	"strconv"
	"strings"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/grants"
	"github.com/coopcarepathway/pathway/shared/grants/grantstore"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// Access is how much of an application a user may see.
type Access int

// Levels of access.
const (
	// NoAccess: the application is "not found" to them.
	NoAccess Access = iota
	// NamesOnly: a reviewer before declaring sees the co-op's name, council
	// area and the names of its members and founders, nothing more.
	NamesOnly
	// FullAccess: the whole application.
	FullAccess
)

// reviewStatuses are the statuses in which the conflict gate holds: the
// application is being screened, reviewed or decided.
var reviewStatuses = []string{grants.StatusSubmitted, grants.StatusIneligible, grants.StatusInReview, grants.StatusAwaitingDecision}

// ApplicationView is an application as its reader sees it.
type ApplicationView struct {
	// Application is the record; nil (its fields absent) in the names-only view.
	*grants.Application
	// ID and Status are shown in every view.
	ID     string `json:"id"`
	Status string `json:"status"`
	// Limited is true in the names-only view: declare first.
	Limited bool `json:"limited"`
	// ProgrammeName is the programme's name.
	ProgrammeName string `json:"programmeName,omitempty"`
	// CoopSummary is what every view shows of the co-op.
	CoopSummary CoopSummary `json:"coopSummary"`
	// Declaration is the caller's own declaration, if they made one.
	Declaration *grants.Declaration `json:"declaration,omitempty"`
	// Reviews, WeightedScore (tenths of a percent) and Spreads are shown to
	// the funder's lead once the application is reviewed.
	Reviews       []*grants.Review `json:"reviews,omitempty"`
	WeightedScore *grants.Score    `json:"weightedScore,omitempty"`
	Spreads       []grants.Spread  `json:"spreads,omitempty"`
	// OpenTasks are the application's open tasks the caller may see.
	OpenTasks []*pathway.Task `json:"openTasks,omitempty"`
}

// CoopSummary is what a reviewer sees of the co-op before declaring.
type CoopSummary struct {
	Name        string   `json:"name"`
	CouncilArea string   `json:"councilArea"`
	Members     []string `json:"members"`
	Founders    []string `json:"founders"`
}

// access says how much of a the user may see. Whoever declared a conflict
// with it sees nothing, for good.
func (s *Service) access(ctx context.Context, u *pathway.User, a *grants.Application, c *pathway.Coop) (Access, *grants.Declaration, error) {
	excluded, err := s.grants.IsExcluded(ctx, a.ID, u.ID)
	if err != nil || excluded {
		return NoAccess, nil, err
	}
	if IsFunderStaff(u, a.Funder) {
		if a.Status == grants.StatusDraft {
			return NoAccess, nil, nil
		}
		d, err := s.grants.Declaration(ctx, a.ID, u.ID)
		if err != nil && pathway.ErrorCode(err) != pathway.ENOTFOUND {
			return NoAccess, nil, err
		}
		if u.Lead || (d != nil && !d.Conflict) || !slices.Contains(reviewStatuses, a.Status) {
			return FullAccess, d, nil
		}
		return NamesOnly, d, nil
	}
	ok, err := s.seesCoop(ctx, u, c)
	if err != nil || !ok {
		return NoAccess, nil, err
	}
	return FullAccess, nil, nil
}

// read returns the application with the ID, its co-op and how much of it
// u may see; one u may not see is ENOTFOUND, like a missing one.
func (s *Service) read(ctx context.Context, u *pathway.User, id string) (*grants.Application, *pathway.Coop, Access, *grants.Declaration, error) {
	if u == nil || id == "" || len(id) > 64 {
		return nil, nil, NoAccess, nil, notFound()
	}
	a, err := s.grants.GetApplication(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		return nil, nil, NoAccess, nil, notFound()
	} else if err != nil {
		return nil, nil, NoAccess, nil, err
	}
	cost.Charge(ctx, a.Coop) // the request serves this co-op's journey
	c, err := s.coop(ctx, a.Coop)
	if err != nil {
		return nil, nil, NoAccess, nil, err
	}
	acc, d, err := s.access(ctx, u, a, c)
	if err != nil {
		return nil, nil, NoAccess, nil, err
	}
	if acc == NoAccess {
		return nil, nil, NoAccess, nil, notFound()
	}
	return a, c, acc, d, nil
}

// Application returns the application as u may see it.
func (s *Service) Application(ctx context.Context, u *pathway.User, id string) (*ApplicationView, error) {
	a, c, acc, d, err := s.read(ctx, u, id)
	if err != nil {
		return nil, err
	}
	return s.view(ctx, u, a, c, acc, d)
}

// view assembles the application for its page.
func (s *Service) view(ctx context.Context, u *pathway.User, a *grants.Application, c *pathway.Coop, acc Access, d *grants.Declaration) (*ApplicationView, error) {
	v := &ApplicationView{ID: a.ID, Status: a.Status, Limited: acc == NamesOnly, Declaration: d, CoopSummary: coopSummary(c)}
	if err := s.withFounderNames(ctx, v, c); err != nil {
		return nil, err
	}
	if p, err := s.grants.GetProgramme(ctx, a.Programme); err == nil {
		v.ProgrammeName = p.Name
		if acc == FullAccess && IsFunderLead(u, a.Funder) {
			if err := s.addScores(ctx, v, a, p); err != nil {
				return nil, err
			}
		}
	} else if pathway.ErrorCode(err) != pathway.ENOTFOUND {
		return nil, err
	}
	if acc == FullAccess {
		v.Application = a
	}
	tasks, err := s.store.ListTasks(ctx, pathway.TaskFilter{Subject: grants.Subject(a.ID)})
	if err != nil {
		return nil, err
	}
	for _, t := range tasks {
		if grants.IsMachineTask(t.Kind) {
			continue // the workflow's own waits: nobody's to answer
		}
		if acc == FullAccess || t.User == u.ID {
			v.OpenTasks = append(v.OpenTasks, pathway.WithoutToken(t))
		}
	}
	return v, nil
}

// addScores adds the reviews, their weighted score and spreads, for the lead.
func (s *Service) addScores(ctx context.Context, v *ApplicationView, a *grants.Application, p *grants.Programme) error {
	rs, err := s.grants.Reviews(ctx, a.ID)
	if err != nil || len(rs) == 0 {
		return err
	}
	score := grants.MeanScore(p, rs)
	v.Reviews, v.WeightedScore, v.Spreads = rs, &score, grants.Spreads(p, rs)
	return nil
}

// coopSummary is what every view shows of the co-op: names and place only.
func coopSummary(c *pathway.Coop) CoopSummary {
	if c == nil {
		return CoopSummary{Members: []string{}, Founders: []string{}}
	}
	ap := CoopSummary{Name: c.Name, CouncilArea: c.LocalAuthority, Members: make([]string, 0, len(c.Members)), Founders: []string{}}
	for _, m := range c.Members {
		ap.Members = append(ap.Members, m.Name)
	}
	return ap
}

// withFounderNames fills in the founders' names (a read per founder; a
// co-op has a few).
func (s *Service) withFounderNames(ctx context.Context, v *ApplicationView, c *pathway.Coop) error {
	if c == nil {
		return nil
	}
	for _, id := range c.Founders {
		f, err := s.store.GetUser(ctx, id)
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			continue
		} else if err != nil {
			return err
		}
		v.CoopSummary.Founders = append(v.CoopSummary.Founders, f.Name)
	}
	return nil
}

// ApplicationInput is a founder's application
// (POST /api/grant-applications).
type ApplicationInput struct {
	Programme string              `json:"programme"`
	Coop      string              `json:"coop"`
	Title     string              `json:"title"`
	Purpose   string              `json:"purpose"`
	Amount    int64               `json:"amount"`
	Budget    []grants.BudgetLine `json:"budget"`
	Timeline  string              `json:"timeline"`
	Files     []string            `json:"files,omitempty"`
}

// Fingerprint identifies the input, so a retry under an Idempotency-Key
// can be told from a different application under the same key.
func (in ApplicationInput) Fingerprint() string {
	b, _ := json.Marshal(in) // plain fields: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ApplicationID returns the ID of an application sent by the user: derived
// from the Idempotency-Key when there is one, so a retry finds the first;
// fresh otherwise.
func ApplicationID(userID, idempotencyKey string) string {
	if idempotencyKey == "" {
		return "ga-" + strings.ToLower(ulid.Make().String())
	}
	sum := sha256.Sum256([]byte("grant\x00" + userID + "\x00" + idempotencyKey))
	return "ga-" + hex.EncodeToString(sum[:13])
}

// ExecutionName is the name of the grant workflow's execution for the
// application's attempt (1 for the first sending).
func ExecutionName(id string, attempt int) string {
	if attempt < 2 {
		return "grant-" + id
	}
	return "grant-" + id + "-attempt-" + strconvI(attempt)
}

// Apply stores a founder's application to a programme, sent, with its
// event and the start of its workflow in one transaction, and starts it.
// id is ApplicationID's result: an application with the ID stored already
// by the same founder is a retry and is returned as it is.
func (s *Service) Apply(ctx context.Context, u *pathway.User, id string, in ApplicationInput) (*ApplicationView, error) {
	ob, err := s.outboxOf()
	if err != nil {
		return nil, err
	}
	if u == nil || u.Role != pathway.RoleFounder {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only a co-op's founders can apply for a grant.")
	}
	c, p, err := s.applyTargets(ctx, u, in)
	if err != nil {
		return nil, err
	}
	now := s.now()
	a := &grants.Application{
		ID: id, Programme: p.ID, Funder: p.Funder, Coop: c.ID, Applicant: u.ID,
		Title: strings.TrimSpace(in.Title), Purpose: strings.TrimSpace(pathway.NormaliseNewlines(in.Purpose)),
		Amount: in.Amount, Budget: in.Budget, Timeline: strings.TrimSpace(pathway.NormaliseNewlines(in.Timeline)),
		Files: in.Files, Status: grants.StatusSubmitted, Attempt: 1, CreatedAt: now, UpdatedAt: now, SubmittedAt: now,
	}
	if err := a.Validate(); err != nil {
		return nil, err
	}
	e := s.newEvent(a, u, grants.ActionSubmitted, summary(u, "sent an application to %s for %s.", p.Name, pounds(a.Amount)),
		map[string]string{"programme": p.ID, "amount": strconvI64(a.Amount)})
	input, _ := json.Marshal(map[string]string{"application": id})
	start := ob.NewStart(grants.Subject(id), pathway.WorkflowGrant, ExecutionName(id, 1), input, u.ID)
	if err := s.grants.CreateApplicationStart(ctx, a, e, start); err != nil {
		return nil, err
	}
	if a.Applicant != u.ID {
		return nil, pathway.Errorf(pathway.ECONFLICT, "A grant application with this ID exists already.")
	}
	if a.CreatedAt.Equal(now) { // not a retry: send the start now
		if _, err := ob.Send(ctx, start); err != nil {
			s.log.ErrorContext(ctx, "grantservice: starting a grant workflow", "application", id, "err", err)
		}
	}
	// Sent: its draft is no longer needed (a failure leaves it for later).
	if err := s.store.DeleteDraft(ctx, u.ID, pathway.GrantDraftKind(p.ID, c.ID)); err != nil {
		s.log.ErrorContext(ctx, "grantservice: deleting a sent application's draft", "application", id, "err", err)
	}
	v := &ApplicationView{Application: a, ID: a.ID, Status: a.Status, ProgrammeName: p.Name, CoopSummary: coopSummary(c)}
	return v, s.withFounderNames(ctx, v, c)
}

// applyTargets reads the co-op (one of u's) and the programme applied to.
func (s *Service) applyTargets(ctx context.Context, u *pathway.User, in ApplicationInput) (*pathway.Coop, *grants.Programme, error) {
	f := map[string]string{}
	var c *pathway.Coop
	if in.Coop == "" || len(in.Coop) > 64 {
		f["coop"] = "Choose the co-op applying"
	} else if got, err := s.coop(ctx, in.Coop); err != nil {
		return nil, nil, err
	} else if got == nil || !slices.Contains(got.Founders, u.ID) {
		f["coop"] = "Is not a co-op you are a founder of"
	} else {
		c = got
		cost.Charge(ctx, c.ID) // the request serves this co-op's journey
	}
	var p *grants.Programme
	if in.Programme == "" || len(in.Programme) > 64 {
		f["programme"] = "Choose the grant programme"
	} else if got, err := s.grants.GetProgramme(ctx, in.Programme); pathway.ErrorCode(err) == pathway.ENOTFOUND {
		f["programme"] = "Is not a grant programme"
	} else if err != nil {
		return nil, nil, err
	} else {
		p = got
	}
	if len(f) > 0 {
		return nil, nil, pathway.Invalid(f)
	}
	return c, p, nil
}

// Applications returns a page of one programme's applications in one
// status, for the funder's staff; the ones the caller declared a conflict
// with are left out, and staff other than the lead see applications under
// review in the names-only form (without the co-op's names: open one).
func (s *Service) Applications(ctx context.Context, u *pathway.User, programme, status, cursor string, limit int) (*ApplicationPage, error) {
	if u == nil || u.Role != pathway.RoleFunder {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only a funder's staff can list grant applications.")
	}
	f := map[string]string{}
	if programme == "" {
		f["programme"] = "Choose a programme"
	}
	if !slices.ContainsFunc(grants.Statuses, func(t pathway.Term) bool { return t.Code == status }) {
		f["status"] = "Choose a status: " + statusCodes()
	}
	if len(f) > 0 {
		return nil, pathway.Invalid(f)
	}
	p, err := s.visibleProgramme(ctx, u, programme)
	if err == nil && !IsFunderStaff(u, p.Funder) {
		err = pathway.NotFound("grant programme")
	}
	if err != nil {
		return nil, err
	}
	page, err := s.grants.ListApplications(ctx, programme, status, cursor, limit)
	if err != nil {
		return nil, err
	}
	return s.listed(ctx, u, page)
}

// ApplicationPage is one page of applications as the caller sees them.
type ApplicationPage struct {
	Applications []*ApplicationView `json:"applications"`
	Next         string             `json:"next,omitempty"`
}

// listed turns a page of records into the caller's views.
func (s *Service) listed(ctx context.Context, u *pathway.User, page *grantstore.ApplicationPage) (*ApplicationPage, error) {
	out := &ApplicationPage{Applications: make([]*ApplicationView, 0, len(page.Applications)), Next: page.Next}
	for _, a := range page.Applications {
		acc, d, err := s.access(ctx, u, a, nil)
		if err != nil {
			return nil, err
		}
		switch acc {
		case FullAccess:
			out.Applications = append(out.Applications, &ApplicationView{Application: a, ID: a.ID, Status: a.Status, Declaration: d, CoopSummary: CoopSummary{Members: []string{}, Founders: []string{}}})
		case NamesOnly:
			out.Applications = append(out.Applications, &ApplicationView{ID: a.ID, Status: a.Status, Limited: true, Declaration: d, CoopSummary: CoopSummary{Members: []string{}, Founders: []string{}}})
		}
	}
	return out, nil
}

// statusCodes lists the statuses for a message.
func statusCodes() string {
	codes := make([]string, len(grants.Statuses))
	for i, t := range grants.Statuses {
		codes[i] = t.Code
	}
	return strings.Join(codes, ", ")
}

// CoopApplications returns the co-op's applications, newest first, for its
// founders and the agency that supports it (the co-op page).
func (s *Service) CoopApplications(ctx context.Context, u *pathway.User, coop string) ([]*grants.Application, error) {
	if u == nil || coop == "" || len(coop) > 64 {
		return nil, pathway.NotFound("co-op")
	}
	cost.Charge(ctx, coop) // the request serves this co-op's journey
	c, err := s.coop(ctx, coop)
	if err != nil {
		return nil, err
	}
	ok, err := s.seesCoop(ctx, u, c)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, pathway.NotFound("co-op")
	}
	return s.grants.ListCoopApplications(ctx, coop)
}

// Events returns a page of the application's audit trail, oldest first,
// for those who may see the whole application.
func (s *Service) Events(ctx context.Context, u *pathway.User, id, cursor string, limit int) (*pathway.EventPage, error) {
	_, _, acc, _, err := s.read(ctx, u, id)
	if err != nil {
		return nil, err
	}
	if acc != FullAccess {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Declare whether you have a conflict of interest with this application before you see its history.")
	}
	return s.store.ListEvents(ctx, grants.Subject(id), cursor, limit)
}

func strconvI(n int) string     { return strconv.Itoa(n) }
func strconvI64(n int64) string { return strconv.FormatInt(n, 10) }

// FounderTasks returns the open founders' tasks of the co-op's grant applications,
// read from the table (journey.Service.WithFounderTasks puts the founders'
// ones in their inbox).
func (s *Service) FounderTasks(ctx context.Context, coop string) ([]*pathway.Task, error) {
	apps, err := s.grants.ListCoopApplications(ctx, coop)
	if err != nil {
		return nil, err
	}
	var out []*pathway.Task
	for _, a := range apps {
		if grants.IsEnd(a.Status) || a.Status == grants.StatusDraft {
			continue
		}
		ts, err := s.store.ListTasks(ctx, pathway.TaskFilter{Subject: grants.Subject(a.ID)})
		if err != nil {
			return nil, err
		}
		for _, t := range ts {
			if t.Role == pathway.RoleFounder {
				out = append(out, t)
			}
		}
	}
	return out, nil
}
