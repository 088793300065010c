package journey

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
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
		Founders: []string{founder}, Stage: pathway.StageApplied, StageEnteredAt: now, CreatedAt: now, UpdatedAt: now,
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

// applicationOf returns the application a stored co-op was created from.
func applicationOf(c *pathway.Coop) Application {
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
	if u == nil || u.Role != pathway.RoleFounder {
		return nil, pathway.Errorf(pathway.EFORBIDDEN, "Only founders can apply to a programme.")
	}
	a.normalise()
	if err := a.Validate(); err != nil {
		return nil, err
	}
	p, err := s.openProgramme(ctx, a.Programme)
	if err != nil {
		return nil, err
	}
	c, err := s.createCoop(ctx, u, id, a, p)
	if err != nil {
		return nil, err
	}
	if err := s.startApplication(ctx, c.ID); err != nil {
		s.recordStartFailure(ctx, u, c, err)
		return nil, err
	}
	return s.view(ctx, u, c, p)
}

// recordStartFailure marks a co-op whose workflow could not be started, so
// the agency sees it (and the founders' next step says so) even if the
// founder never retries. The workflow's first stage change clears it. It is
// best effort: the caller is told about the failure either way.
func (s *Service) recordStartFailure(ctx context.Context, u *pathway.User, c *pathway.Coop, cause error) {
	if pathway.ErrorCode(cause) != EUNAVAILABLE || c.Failure != "" {
		return
	}
	next := *c
	next.Failure, next.UpdatedAt = "The application workflow could not be started.", s.now()
	e := s.newEvent(c.ID, u, "application.start-failed",
		"The application was saved, but its processing could not be started; sending it again retries.", nil)
	if err := s.store.UpdateCoop(context.WithoutCancel(ctx), &next, e); err != nil {
		s.log.ErrorContext(ctx, "journey: recording a failed workflow start", "coop", c.ID, "err", err)
	}
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

// createCoop stores the co-op and its first event, or returns the co-op a
// previous identical request created under the same ID.
func (s *Service) createCoop(ctx context.Context, u *pathway.User, id string, a Application, p *pathway.Programme) (*pathway.Coop, error) {
	c := a.coop(id, u.ID, s.now())
	e := s.newEvent(id, u, "application.submitted",
		u.Name+" applied to "+p.Name+" for "+a.Name+".", map[string]string{"programme": p.ID})
	e.To = pathway.StageApplied
	err := s.store.CreateCoop(ctx, c, e)
	if pathway.ErrorCode(err) != pathway.ECONFLICT {
		return c, err
	}
	old, gerr := s.store.GetCoop(ctx, id)
	if gerr != nil {
		return nil, gerr
	}
	if !slices.Contains(old.Founders, u.ID) || applicationOf(old).Fingerprint() != a.Fingerprint() {
		return nil, pathway.Errorf(pathway.ECONFLICT,
			"This Idempotency-Key was already used for a different application. Use a new key for a new application.")
	}
	return old, nil
}

// startApplication starts the co-op's application workflow. The execution
// is named after the co-op, so starting it again (a retried request) never
// runs a second one: Step Functions answers ExecutionAlreadyExists, or
// returns the running execution.
func (s *Service) startApplication(ctx context.Context, coopID string) error {
	wf, err := s.workflows()
	if err != nil {
		return err
	}
	input, _ := json.Marshal(map[string]string{"coopId": coopID})
	_, err = wf.StartExecution(context.WithoutCancel(ctx), pathway.StartExecutionInput{
		StateMachine: pathway.WorkflowApplication, Name: coopID, Input: input,
	})
	if err == nil || isWorkflowError(err, pathway.ErrExecutionAlreadyExists) {
		return nil
	}
	return unavailable(err, "Your application is saved, but we could not start processing it just now. "+
		"Send it again with the same Idempotency-Key and we will carry on from where we stopped.")
}
