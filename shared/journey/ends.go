package journey

import (
	"context"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// MaxEndReason is the longest reason, in characters, a withdrawal or a
// closure may give.
const MaxEndReason = 1000

// endTries is how often an end is tried again when a workflow step
// changed the co-op between the read and the write.
const endTries = 3

// ending is one of the two ends people record: what it moves the co-op
// to, who may record it, and what it is called in the trail and in mail.
type ending struct {
	to, action string
	// may is nil when u may record the end on c of programme p.
	may func(u *pathway.User, c *pathway.Coop, p *pathway.Programme) error
	// verb says the end in the past tense ("withdrew … from the programme").
	verb string
	// stops marks an end that must stop the journey's running workflow.
	stops bool
}

var (
	withdrawal = ending{to: pathway.StageWithdrawn, action: pathway.ActionCoopWithdrawn,
		may: mayWithdraw, verb: "withdrew %s from the programme", stops: true}
	closure = ending{to: pathway.StageClosed, action: pathway.ActionCoopClosed,
		may: mayClose, verb: "recorded that %s has closed"}
)

// CanWithdraw reports whether u may withdraw the co-op c of programme p
// now: its founders or the staff of the agency that runs the programme,
// while the co-op is in an open stage. The pages offer the button only then.
func CanWithdraw(u *pathway.User, c *pathway.Coop, p *pathway.Programme) bool {
	return c != nil && mayWithdraw(u, c, p) == nil && pathway.CanMove(c.Stage, pathway.StageWithdrawn)
}

// CanClose reports whether u may record now that the co-op c of programme
// p has closed: agency staff, once the co-op is registered with CQC.
func CanClose(u *pathway.User, c *pathway.Coop, p *pathway.Programme) bool {
	return c != nil && mayClose(u, c, p) == nil && pathway.CanMove(c.Stage, pathway.StageClosed)
}

// isAgencyOf reports whether u is staff of the agency that runs p, the
// co-op's programme.
func isAgencyOf(u *pathway.User, c *pathway.Coop, p *pathway.Programme) bool {
	return u != nil && u.Role == pathway.RoleAgency && p != nil && p.ID == c.Programme && p.Agency == u.Organisation
}

func mayWithdraw(u *pathway.User, c *pathway.Coop, p *pathway.Programme) error {
	if isAgencyOf(u, c, p) || u != nil && u.Role == pathway.RoleFounder && slices.Contains(c.Founders, u.ID) {
		return nil
	}
	return pathway.Errorf(pathway.EFORBIDDEN, "Only the co-op's founders or the agency that runs its programme can withdraw it.")
}

func mayClose(u *pathway.User, c *pathway.Coop, p *pathway.Programme) error {
	if isAgencyOf(u, c, p) {
		return nil
	}
	return pathway.Errorf(pathway.EFORBIDDEN, "Only the agency that runs the co-op's programme can record that it has closed.")
}

// CheckEndReason returns the reason trimmed, or EINVALID naming "reason":
// it is required, at most MaxEndReason characters of plain text.
func CheckEndReason(reason string) (string, error) {
	reason = strings.TrimSpace(pathway.NormaliseNewlines(reason))
	msg := ""
	switch {
	case reason == "":
		msg = "Enter the reason"
	case utf8.RuneCountInString(reason) > MaxEndReason:
		msg = "Must be 1,000 characters or fewer"
	default:
		msg = pathway.TextProblem(reason, true)
	}
	if msg != "" {
		return "", pathway.Invalid(map[string]string{"reason": msg})
	}
	return reason, nil
}

// Withdraw takes the co-op off its programme, from any open stage, for
// its founders or the agency that runs the programme: the move to
// withdrawn and its event (with the reason) are stored in one
// transaction conditional on the co-op's version, together with an email
// to the founders (and to the agency, when the founders withdrew) and
// the stops of the journey's workflows (application and registration),
// which end them wherever they are. Then the co-op's open tasks are
// cancelled, so they leave every inbox. A repeat after a withdrawal
// changes nothing and returns the co-op as it is.
//
// The co-op's grant applications and bids are left as they are: each has
// its own workflow and its own withdrawal (the founders', or the funder's
// and the council's decisions), and a funder or council may still need to
// close them in their own way.
func (s *Service) Withdraw(ctx context.Context, u *pathway.User, coopID, reason string) (*CoopView, error) {
	return s.end(ctx, u, coopID, reason, withdrawal)
}

// Close records, for the agency that runs the programme, that a co-op
// registered with CQC (contracted or not) stopped trading or was wound
// up: the move to closed, its event with the reason and the founders'
// email in one transaction, then its open tasks cancelled. No journey
// workflow runs by then (registration ended at the registration), so
// there is none to stop. A repeat changes nothing.
func (s *Service) Close(ctx context.Context, u *pathway.User, coopID, reason string) (*CoopView, error) {
	return s.end(ctx, u, coopID, reason, closure)
}

// end records the end e on the co-op; see Withdraw and Close.
func (s *Service) end(ctx context.Context, u *pathway.User, coopID, reason string, e ending) (*CoopView, error) {
	if _, err := s.outboxOf(); err != nil {
		return nil, err
	}
	for try := 1; ; try++ {
		c, p, err := s.Coop(ctx, u, coopID)
		if err != nil {
			return nil, err
		}
		if err := e.may(u, c, p); err != nil {
			return nil, err
		}
		if reason, err = CheckEndReason(reason); err != nil {
			return nil, err
		}
		if c.Stage != e.to {
			movable := pathway.CanMove(c.Stage, e.to)
			ev, err := s.endOnce(ctx, u, c, p, reason, e)
			if pathway.ErrorCode(err) == pathway.ECONFLICT && try < endTries && movable {
				continue // a step changed the co-op meanwhile: read it again
			} else if err != nil {
				return nil, err
			}
			s.sendEnd(ctx, ev)
		}
		// Also on a repeat: a crash may have left tasks open.
		if err := s.cancelCoopTasks(ctx, u, c); err != nil {
			return nil, err
		}
		return s.view(ctx, u, c, p)
	}
}

// endOnce moves c, as read, to the end and stores it with its event, the
// event's emails and the workflow stops; someone else's change since is
// ECONFLICT. It returns the event stored.
func (s *Service) endOnce(ctx context.Context, u *pathway.User, c *pathway.Coop, p *pathway.Programme, reason string, e ending) (*pathway.Event, error) {
	if !pathway.CanMove(c.Stage, e.to) {
		return nil, pathway.Errorf(pathway.ECONFLICT, "The co-op is at the stage “%s”, so it cannot be %s.",
			pathway.StageName(c.Stage), strings.ToLower(pathway.StageName(e.to)))
	}
	from, now := c.Stage, s.now()
	if err := pathway.Move(c, e.to, now); err != nil {
		return nil, err
	}
	did := u.Name + " " + strings.Replace(e.verb, "%s", c.Name, 1)
	ev := s.newEvent(c.ID, u, e.action, did+". Reason: "+reason, map[string]string{"reason": pathway.Clip(reason, MaxEndReason)})
	ev.From, ev.To = from, e.to
	ev.Notices = s.endNotices(u, c, p, did+". The reason given: "+reason, e)
	if err := s.store.UpdateCoop(ctx, c, ev); err != nil {
		return nil, err
	}
	c.Version++
	return ev, nil
}

// endNotices are the deliveries an end causes: the founders' email, the
// agency's when founders ended it, and the stops of the journey's
// workflows. Both workflows are stopped: a co-op accepted a moment ago may
// have its registration started already, and stopping an execution that
// ended or never started does nothing.
func (s *Service) endNotices(u *pathway.User, c *pathway.Coop, p *pathway.Programme, what string, e ending) []*pathway.Delivery {
	subj, now := pathway.CoopSubject(c.ID), s.now()
	out := []*pathway.Delivery{pathway.NewNotice(subj, pathway.DecisionNotice(c, what), u.ID, now)}
	if u.Role == pathway.RoleFounder && p != nil {
		n := pathway.DecisionNotice(c, what)
		n.Audience, n.Organisation = pathway.AudienceAgency, p.Agency
		out = append(out, pathway.NewNotice(subj, n, u.ID, now))
	}
	if e.stops {
		cause := "The co-op's journey ended: " + pathway.StageName(e.to) + "."
		out = append(out,
			s.ob.NewStop(subj, pathway.WorkflowApplication, pathway.ApplicationExecution(c), cause, u.ID),
			s.ob.NewStop(subj, pathway.WorkflowRegistration, c.ID, cause, u.ID))
	}
	return out
}

// sendEnd makes one attempt at each of the end's deliveries at once; what
// fails, the outbox's sweep sends.
func (s *Service) sendEnd(ctx context.Context, ev *pathway.Event) {
	var mail []*pathway.Delivery
	for _, d := range ev.Notices {
		if d.Kind == pathway.DeliverMail {
			mail = append(mail, d)
			continue
		}
		if _, err := s.ob.Send(ctx, d); err != nil {
			s.log.ErrorContext(ctx, "journey: stopping a workflow; the outbox's sweep will", "delivery", d.ID, "err", err)
		}
	}
	s.mailNow(ctx, mail)
}

// cancelCoopTasks cancels the co-op's own open tasks (the journey's: the
// panel's decision, the checklist, CQC), so they leave every inbox. Their
// workflow is stopped, so no answer is sent. Tasks of the co-op's grant
// applications and bids belong to their own workflows and stay.
func (s *Service) cancelCoopTasks(ctx context.Context, u *pathway.User, c *pathway.Coop) error {
	tasks, err := s.store.ListTasks(ctx, pathway.TaskFilter{Subject: pathway.CoopSubject(c.ID)})
	if err != nil {
		return err
	}
	outcome := []byte(`{"ended":"` + c.Stage + `"}`)
	for _, t := range tasks {
		if t.Status != pathway.TaskOpen {
			continue
		}
		_, err := s.store.CompleteTask(ctx, t.ID, pathway.TaskCompletion{
			By: u.ID, At: s.now(), Outcome: outcome, Status: pathway.TaskCancelled})
		if code := pathway.ErrorCode(err); code == pathway.ECONFLICT || code == pathway.ENOTFOUND {
			continue // answered or cancelled meanwhile
		} else if err != nil {
			return err
		}
	}
	return nil
}

// EndsOffered reports which ends a page offers u on a co-op u can see (a
// co-op from View): withdrawal to its founders and its agency's staff
// while it is in an open stage, closure to the agency once it is
// registered with CQC. The service checks again when the form is sent.
func EndsOffered(u *pathway.User, c *pathway.Coop) (withdraw, close bool) {
	if u == nil || c == nil {
		return false, false
	}
	agency := u.Role == pathway.RoleAgency
	founder := u.Role == pathway.RoleFounder && slices.Contains(c.Founders, u.ID)
	return (agency || founder) && pathway.CanMove(c.Stage, pathway.StageWithdrawn),
		agency && pathway.CanMove(c.Stage, pathway.StageClosed)
}
