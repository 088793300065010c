package pathway

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"time"

	"github.com/oklog/ulid/v2"
)

// Mail is one email to one person, in plain text.
type Mail struct {
	// To is the recipient's address.
	To string `json:"to"`
	// Subject is the email's subject line.
	Subject string `json:"subject"`
	// Body is the email's text.
	Body string `json:"body"`
}

// Mailer sends emails: Amazon SES on AWS (shared/ses), files under the
// data folder locally (infra/local/localmail).
type Mailer interface {
	// Send sends one email. An error means it may not have been sent and
	// will be tried again.
	Send(ctx context.Context, m Mail) error
}

// Kinds of notice: what happened that people are told of by email.
const (
	// NoticeTaskOpened: a task opened for them.
	NoticeTaskOpened = "task-opened"
	// NoticeTaskOverdue: a task is overdue (an escalation, or a task
	// re-opened past its due date).
	NoticeTaskOverdue = "task-overdue"
	// NoticeItemReturned: the agency returned a checklist item to the founders.
	NoticeItemReturned = "item-returned"
	// NoticeDecision: a decision was made about their co-op.
	NoticeDecision = "decision"
)

// Audiences of a notice: who it goes to, expanded to people when it is sent.
const (
	// AudienceFounders: every founder of the co-op.
	AudienceFounders = "founders"
	// AudienceAgency: the organisation's agency staff.
	AudienceAgency = "agency"
	// AudienceAgencyLead: the organisation's agency staff who are leads.
	AudienceAgencyLead = "agency-lead"
	// AudienceUser: one person (User).
	AudienceUser = "user"
	// AudienceFunder: the organisation's funder staff.
	AudienceFunder = "funder"
	// AudienceFunderLead: the organisation's funder staff who are leads.
	AudienceFunderLead = "funder-lead"
	// AudienceCommissioner: the organisation's council staff.
	AudienceCommissioner = "commissioner"
	// AudienceCommissionerLead: the organisation's council staff who are leads.
	AudienceCommissionerLead = "commissioner-lead"
)

// MailNotice is what a mail delivery says, as facts: the text is written
// from them when it is sent, so one notice reads the same for everyone.
type MailNotice struct {
	// Notice is one of the Notice* kinds.
	Notice string `json:"notice" validate:"required,oneof=task-opened task-overdue item-returned decision"`
	// Audience is one of the Audience* constants.
	Audience string `json:"audience" validate:"required,oneof=founders agency agency-lead user funder funder-lead commissioner commissioner-lead"`
	// Organisation is the staff's organisation (agency audiences).
	Organisation string `json:"organisation,omitempty" validate:"max=64"`
	// User is the one recipient: set for AudienceUser, and on each
	// per-person delivery a notice is fanned out into.
	User string `json:"user,omitempty" validate:"max=128"`
	// Coop and CoopName name the co-op concerned.
	Coop     string `json:"coop,omitempty" validate:"max=64"`
	CoopName string `json:"coopName,omitempty" validate:"max=300"`
	// Title is the task's or the item's title.
	Title string `json:"title,omitempty" validate:"max=300"`
	// Detail is what was decided, or the agency's comment.
	Detail string `json:"detail,omitempty" validate:"max=2000"`
	// Due is when the task is due.
	Due time.Time `json:"due,omitzero"`
	// Path is the page the mail links to, from the site's root.
	Path string `json:"path" validate:"required,max=512,startswith=/"`
	// Held marks a person's mail held for their daily digest.
	Held bool `json:"held,omitempty"`
}

// TaskNotice returns the notice of a task opened for someone: overdue when
// it is an escalation or was opened past its due date (a task re-opened by
// an escalation), else opened. It goes to the task's user, its co-op's
// founders, or its organisation's staff of its role.
func TaskNotice(t *Task) *MailNotice {
	n := &MailNotice{Notice: NoticeTaskOpened, Coop: t.Coop, CoopName: t.CoopName,
		Title: t.Title, Due: t.Due, Path: "/tasks/" + t.ID, Organisation: t.Organisation}
	if strings.HasSuffix(t.Kind, "-escalation") || !t.Due.IsZero() && !t.Due.After(t.CreatedAt) {
		n.Notice = NoticeTaskOverdue
	}
	switch {
	case t.User != "":
		n.Audience, n.User = AudienceUser, t.User
	case t.Role == RoleFounder:
		n.Audience = AudienceFounders
	case t.Role == RoleAgencyLead:
		n.Audience = AudienceAgencyLead
	case t.Organisation == "":
		return nil // a workflow's own wait: nobody to tell
	case t.Role == RoleAgency:
		n.Audience = AudienceAgency
	case t.Role == RoleFunderLead:
		n.Audience = AudienceFunderLead
	case t.Role == RoleFunder:
		n.Audience = AudienceFunder
	case t.Role == RoleCommissionerLead:
		n.Audience = AudienceCommissionerLead
	case t.Role == RoleCommissioner:
		n.Audience = AudienceCommissioner
	default:
		return nil
	}
	return n
}

// ItemReturnedNotice returns the founders' notice that the agency returned
// a checklist item, with its comment.
func ItemReturnedNotice(c *Coop, it *ChecklistItem) *MailNotice {
	return &MailNotice{Notice: NoticeItemReturned, Audience: AudienceFounders, Coop: c.ID,
		CoopName: c.Name, Title: it.Title, Detail: Clip(it.Comment, 2000),
		Path: "/coops/" + c.ID + "/items/" + it.ID}
}

// DecisionNotice returns the founders' notice of a decision about their
// co-op; what says what was decided, in a sentence.
func DecisionNotice(c *Coop, what string) *MailNotice {
	return &MailNotice{Notice: NoticeDecision, Audience: AudienceFounders, Coop: c.ID,
		CoopName: c.Name, Detail: Clip(what, 2000), Path: "/coops/" + c.ID}
}

// NewNotice returns the mail delivery of a notice recorded at at, due at
// once: no request sends it, so the next sweep takes it.
func NewNotice(s Subject, n *MailNotice, by string, at time.Time) *Delivery {
	at = at.UTC()
	return &Delivery{ID: ulid.Make().String(), Kind: DeliverMail, Subject: s,
		Mail: n, By: by, NotBefore: at, CreatedAt: at}
}

// PersonalID is the ID of the delivery of a notice to one person: derived
// from the notice and the person, so a fan-out repeated after a crash
// cannot add a second delivery for anyone.
func PersonalID(notice, user string) string {
	sum := sha256.Sum256([]byte(user))
	return notice + "." + hex.EncodeToString(sum[:8])
}

// MaxRecipients is the most people one notice is fanned out to: the
// fan-out is one transaction (at most 100 writes) with the removal of the
// notice. A co-op's founders and an agency's staff are far fewer.
const MaxRecipients = 99

// SiteLink joins the site's base URL and a path.
func SiteLink(base, path string) string { return strings.TrimRight(base, "/") + path }

// NoticeText returns a notice's subject line and its paragraphs, without
// greeting or link: the parts both a single mail and a digest use.
func NoticeText(n *MailNotice) (subject, text string) {
	coop := n.CoopName
	if coop == "" {
		coop = "your co-op"
	}
	switch n.Notice {
	case NoticeTaskOpened:
		subject = "New task: " + n.Title
		text = fmt.Sprintf("A task is waiting for you: %s.", n.Title)
		if !n.Due.IsZero() {
			text += " It is due by " + FormatDate(n.Due) + "."
		}
	case NoticeTaskOverdue:
		subject = "Overdue: " + n.Title
		text = fmt.Sprintf("This task is overdue and needs you now: %s.", n.Title)
		if !n.Due.IsZero() {
			text += " It is due by " + FormatDate(n.Due) + "."
		}
	case NoticeItemReturned:
		subject = "Checklist item returned: " + n.Title
		text = fmt.Sprintf("Your agency returned the checklist item “%s” for %s.", n.Title, coop)
		if n.Detail != "" {
			text += " Their comment: " + n.Detail
		}
		text += " Change what they asked for and mark the item done again."
	default:
		subject = "A decision about " + coop
		text = "A decision was made about " + coop + ". " + n.Detail
	}
	return Clip(subject, 200), strings.TrimSpace(text)
}

// NoticeMail writes a notice's email to one address, linking to its page
// under the site's base URL.
func NoticeMail(to, base string, n *MailNotice) Mail {
	subject, text := NoticeText(n)
	body := "Hello,\n\n" + text + "\n\nOpen the page: " + SiteLink(base, n.Path) + "\n\n" + mailFooter(base)
	return Mail{To: to, Subject: subject, Body: body}
}

// DigestMail writes one email listing a day's notices to one address.
func DigestMail(to, base string, ns []*MailNotice) Mail {
	var b strings.Builder
	fmt.Fprintf(&b, "Hello,\n\nHere is what happened since your last daily summary (%d %s).\n", len(ns), plural(len(ns), "notice", "notices"))
	for i, n := range ns {
		_, text := NoticeText(n)
		fmt.Fprintf(&b, "\n%d. %s\n   Open the page: %s\n", i+1, text, SiteLink(base, n.Path))
	}
	b.WriteString("\n" + mailFooter(base))
	return Mail{To: to, Subject: fmt.Sprintf("Your daily summary: %d %s", len(ns), plural(len(ns), "notice", "notices")), Body: b.String()}
}

// mailFooter says why the mail came and where to change how they come.
func mailFooter(base string) string {
	return "You get these emails because you use Co-op Care Pathway. " +
		"To choose between an email for each notice and one daily summary, go to " + SiteLink(base, "/account/notices")
}

// DigestHour is when, in UK time, daily summaries are sent.
const DigestHour = 8

// NextDigest returns the next 08:00 in the UK after now (or at now, if it
// is exactly then): when a mail held for a daily summary is sent. It
// follows the clocks: 08:00 GMT in winter, 08:00 BST in summer.
func NextDigest(now time.Time) time.Time {
	l := now.In(UKTime)
	at := time.Date(l.Year(), l.Month(), l.Day(), DigestHour, 0, 0, 0, UKTime)
	if at.Before(now) {
		at = time.Date(l.Year(), l.Month(), l.Day()+1, DigestHour, 0, 0, 0, UKTime)
	}
	return at
}
