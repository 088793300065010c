package journey

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// Application is a founding group's application to a programme: the body of
// POST /api/coops and of the apply form. It has no rules of its own: it is
// checked as the co-op it becomes (see Validate), whose fields have the
// same JSON names.
type Application struct {
	Name                string   `json:"name"`
	Programme           string   `json:"programme"`
	LegalForm           string   `json:"legalForm"`
	Origin              string   `json:"origin"`
	LocalAuthority      string   `json:"localAuthority"`
	Services            []string `json:"services"`
	RegulatedActivities []string `json:"regulatedActivities"`
	Members             []Member `json:"members"`
}

// Member is a founding member as an application names them. Every member
// has one vote: a co-operative's rule, so the application cannot say
// otherwise.
type Member struct {
	Name  string `json:"name"`
	Class string `json:"class"`
	Role  string `json:"role"`
}

// Validate checks the application by pathway.Coop's rules, so the API, the
// pages and the store can never disagree about what is valid, and returns
// an EINVALID error naming each field at fault as the caller sent it.
func (a Application) Validate() error {
	// The ID and founder are Apply's to give; these stand-ins are valid,
	// so only the application's own fields can be at fault.
	return a.coop("coop-application", "founder", time.Time{}).Validate()
}

// coop returns the co-op the application becomes, at the applied stage,
// with the founder as its first founder.
func (a Application) coop(id, founder string, now time.Time) *pathway.Coop {
	c := &pathway.Coop{
		ID: id, Name: a.Name, Programme: a.Programme, LegalForm: a.LegalForm, Origin: a.Origin,
		LocalAuthority: a.LocalAuthority, Services: a.Services, RegulatedActivities: a.RegulatedActivities,
		Founders: []string{founder}, Applicant: founder, Stage: pathway.StageApplied, StageEnteredAt: now, CreatedAt: now, UpdatedAt: now,
	}
	for _, m := range a.Members {
		c.Members = append(c.Members, pathway.Member{Name: m.Name, Class: m.Class, Role: m.Role})
	}
	return c
}

// normalise trims the free-text answers, so "  " counts as empty and a
// retried request with other spacing is the same application.
func (a *Application) normalise() {
	a.Name, a.Programme = strings.TrimSpace(a.Name), strings.TrimSpace(a.Programme)
	a.LocalAuthority = strings.TrimSpace(a.LocalAuthority)
	for i := range a.Members {
		a.Members[i].Name = strings.TrimSpace(a.Members[i].Name)
	}
	if a.RegulatedActivities == nil {
		a.RegulatedActivities = []string{}
	}
}

// Fingerprint returns a hash of the application's content: two requests
// with the same answers, however they were spaced or ordered as JSON, have
// the same fingerprint.
func (a Application) Fingerprint() string {
	a.normalise()
	b, _ := json.Marshal(a) // strings and slices of them: cannot fail
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// ApplicationOf returns the application a stored co-op was created from,
// as the pages show it back for review.
func ApplicationOf(c *pathway.Coop) Application {
	a := Application{
		Name: c.Name, Programme: c.Programme, LegalForm: c.LegalForm, Origin: c.Origin,
		LocalAuthority: c.LocalAuthority, Services: c.Services, RegulatedActivities: c.RegulatedActivities,
	}
	for _, m := range c.Members {
		a.Members = append(a.Members, Member{Name: m.Name, Class: m.Class, Role: m.Role})
	}
	return a
}

// CoopID returns the ID of the co-op an application creates. With an
// idempotency key it is derived from the caller and the key, so a retried
// or concurrent duplicate request names the same co-op and the store's
// conditional create lets only one of them through; without one it is new.
func CoopID(userID, idempotencyKey string) string {
	if idempotencyKey == "" {
		return "coop-" + strings.ToLower(ulid.Make().String())
	}
	sum := sha256.Sum256([]byte("apply\x00" + userID + "\x00" + idempotencyKey))
	return "coop-" + hex.EncodeToString(sum[:13])
}

// Apply stores a founder's application as a new co-op at the applied stage,
// with the founder as its first founder, and starts the application
// workflow for it. id is CoopID's result: when a co-op with that ID exists
// and was created by the same founder from the same application, this is a
// retry, and Apply only makes sure its workflow is started.
func (s *Service) Apply(ctx context.Context, u *pathway.User, id string, a Application) (*CoopView, error) {
	if err := MayApply(u); err != nil {
		return nil, err
	}
	a.normalise()
	if err := a.Validate(); err != nil {
		return nil, err
	}
	p, err := s.openProgramme(ctx, a.Programme)
	if err != nil {
		return nil, err
	}
	ob, err := s.outboxOf()
	if err != nil {
		return nil, err
	}
	input, _ := json.Marshal(pathway.CoopStart{CoopID: id})
	start := ob.NewStart(pathway.CoopSubject(id), pathway.WorkflowApplication, id, input, u.ID)
	c, created, err := s.createCoop(ctx, u, id, a, p, start)
	if err != nil {
		return nil, err
	}
	if created {
		// Stored with the co-op, the start is sent by a sweep if this
		// attempt fails, so the founder's 201 stands either way.
		if _, err := ob.Send(ctx, start); err != nil {
			s.log.ErrorContext(ctx, "journey: recording a workflow start", "coop", id, "err", err)
		}
	} else if err := s.startApplication(ctx, c.ID); err != nil {
		return nil, err
	}
	return s.view(ctx, u, c, p)
}

// MayApply refuses anyone who may not apply to a programme: only founders
// apply; agency staff see applications in their inbox.
func MayApply(u *pathway.User) error {
	if u == nil || u.Role != pathway.RoleFounder {
		return pathway.Errorf(pathway.EFORBIDDEN, "Only founders can apply to a programme. Agency staff see applications in their task inbox.")
	}
	return nil
}

// openProgramme returns the programme an application names if it takes
// applications.
func (s *Service) openProgramme(ctx context.Context, id string) (*pathway.Programme, error) {
	p, err := s.store.GetProgramme(ctx, id)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND || (err == nil && !p.Open) {
		return nil, pathway.Invalid(map[string]string{"programme": "Choose a programme that is open for applications"})
	}
	return p, err
}

// createCoop stores the co-op, its first event and the delivery that
// starts its workflow, and reports true; or it returns the co-op a previous
// identical request created under the same ID, and false.
func (s *Service) createCoop(ctx context.Context, u *pathway.User, id string, a Application, p *pathway.Programme, start *pathway.Delivery) (*pathway.Coop, bool, error) {
	c := a.coop(id, u.ID, s.now())
	e := s.newEvent(id, u, pathway.ActionApplicationSubmitted,
		u.Name+" applied to "+p.Name+" for "+a.Name+".", map[string]string{"programme": p.ID})
	e.To = pathway.StageApplied
	err := s.store.CreateCoop(ctx, c, e, start)
	if pathway.ErrorCode(err) != pathway.ECONFLICT {
		return c, err == nil, err
	}
	old, gerr := s.store.GetCoop(ctx, id)
	if gerr != nil {
		return nil, false, gerr
	}
	if !slices.Contains(old.Founders, u.ID) || ApplicationOf(old).Fingerprint() != a.Fingerprint() {
		return nil, false, pathway.Errorf(pathway.ECONFLICT,
			"This Idempotency-Key was already used for a different application. Use a new key for a new application.")
	}
	return old, false, nil
}

// startApplication starts the co-op's application workflow again for a
// retried request (its first start is a delivery stored with the co-op, so
// this only hurries it along). The execution is named after the co-op, so
// starting it again never runs a second one: it is no error, or
// pathway.ErrAlreadyStarted.
func (s *Service) startApplication(ctx context.Context, coopID string) error {
	wf, err := s.workflows()
	if err != nil {
		return err
	}
	input, _ := json.Marshal(pathway.CoopStart{CoopID: coopID})
	err = wf.StartExecution(context.WithoutCancel(ctx), pathway.WorkflowApplication, coopID, input)
	if err == nil || errors.Is(err, pathway.ErrAlreadyStarted) {
		return nil
	}
	return unavailable(err, "Your application is saved, but we could not start processing it just now. "+
		"Send it again with the same Idempotency-Key and we will carry on from where we stopped.")
}
