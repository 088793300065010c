package outbox

import (
	"context"
	"errors"
	"time"

	"github.com/coopcarepathway/pathway/shared/cost"
	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/oklog/ulid/v2"
)

// Emails go through the outbox in two steps, each a delivery:
//
//  1. A notice (pathway.MailNotice to an audience: a co-op's founders, an
//     agency's staff or its leads) is recorded with the change that causes
//     it. Sending it fans it out: it is replaced, in one transaction, by
//     one delivery per person (pathway.PersonalID derives their IDs), so
//     each person gets one email even if two sweeps fan out together.
//  2. Each person's delivery is claimed, sent and finished like any other.
//     Someone who chose a daily summary has theirs held until the next
//     08:00 UK time (pathway.NextDigest), when all their held deliveries
//     due are claimed together and sent as one email.
//
// Exactly once as far as email allows: if the process dies after the
// mailer (SES) accepted an email and before its delivery is finished, a
// later sweep sends it again. That window is one store write long.

// recorded: the attempt recorded its own outcome (a fan-out, a hold, a
// digest), so Send has nothing to finish.
const recorded Result = -1

// WithMail makes the outbox send mail deliveries through m, with links
// under base (the site's URL, e.g. https://pathway.example.org), and
// returns it. Without it, mail deliveries wait for an outbox that has it.
func (o *Outbox) WithMail(m pathway.Mailer, base string) *Outbox {
	o.mailer, o.base = m, base
	return o
}

// withMail adds the pending mail to a sweep's deliveries, when this outbox
// sends mail.
func (o *Outbox) withMail(ctx context.Context, pending []*pathway.Delivery) ([]*pathway.Delivery, error) {
	if o.mailer == nil {
		return pending, nil
	}
	mail, err := o.store.PendingMail(ctx, pathway.MaxPageSize)
	return append(pending, mail...), err
}

// isHeld reports whether d is mail held for a daily summary, which waits
// for its time even in the sweep at start-up.
func isHeld(d *pathway.Delivery) bool { return d.Mail != nil && d.Mail.Held }

// errNoMailer keeps mail for the outbox of the composition root that sweeps.
var errNoMailer = errors.New("outbox: no mailer configured here; a sweep will send it")

// mail makes one attempt at a mail delivery.
func (o *Outbox) mail(ctx context.Context, d *pathway.Delivery) (Result, error) {
	if o.mailer == nil {
		return Later, errNoMailer
	}
	cost.Charge(ctx, d.Mail.Coop) // the emails serve this co-op's journey
	if d.Mail.User == "" {
		return o.fanOut(ctx, d)
	}
	u, err := o.store.GetUser(ctx, d.Mail.User)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		u = &pathway.User{ID: d.Mail.User}
	} else if err != nil {
		return Later, err
	}
	if u.Email == "" {
		return recorded, o.finish(ctx, d, o.noAddressEvent(d, u))
	}
	if d.Mail.Held {
		return o.digest(ctx, d, u)
	}
	if u.Notices == pathway.NoticesDaily {
		return o.hold(ctx, d)
	}
	if err := o.sendOne(ctx, pathway.NoticeMail(u.Email, o.base, d.Mail)); err != nil {
		return Later, err
	}
	return Sent, nil
}

// sendOne sends one email within a time limit.
func (o *Outbox) sendOne(ctx context.Context, m pathway.Mail) error {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	if err := o.mailer.Send(ctx, m); err != nil {
		return err
	}
	cost.MeterFrom(ctx).Add(cost.Usage{Emails: 1}) // SES bills each message sent
	return nil
}

// fanOut replaces a notice by a delivery per person and sends those at once.
func (o *Outbox) fanOut(ctx context.Context, d *pathway.Delivery) (Result, error) {
	users, err := o.recipients(ctx, d.Mail)
	if err != nil {
		return Later, err
	}
	now := o.now()
	each := make([]*pathway.Delivery, 0, len(users))
	for _, u := range users {
		n := *d.Mail
		n.User = u
		each = append(each, &pathway.Delivery{ID: pathway.PersonalID(d.ID, u), Kind: pathway.DeliverMail,
			Subject: d.Subject, Mail: &n, By: d.By, NotBefore: now.Add(Lease), CreatedAt: d.CreatedAt})
	}
	if len(each) > pathway.MaxRecipients {
		o.log.WarnContext(ctx, "outbox: a notice's audience is too large; the first ones are told",
			"delivery", d.ID, "people", len(each))
		each = each[:pathway.MaxRecipients]
	}
	err = o.store.FanOutDelivery(ctx, d, each)
	if pathway.ErrorCode(err) == pathway.ECONFLICT {
		return recorded, nil // another sweep fanned it out
	}
	if err != nil {
		return Later, err
	}
	// Each new delivery is leased to this sweep (NotBefore), so nobody
	// else takes it while it is sent here.
	for _, p := range each {
		p.Version = 1
		if _, err := o.Send(ctx, p); err != nil {
			o.log.ErrorContext(ctx, "outbox: recording a mail", "delivery", p.ID, "err", err)
		}
	}
	return recorded, nil
}

// recipients returns the IDs of the people a notice goes to.
func (o *Outbox) recipients(ctx context.Context, n *pathway.MailNotice) ([]string, error) {
	switch n.Audience {
	case pathway.AudienceFounders:
		c, err := o.store.GetCoop(ctx, n.Coop)
		if pathway.ErrorCode(err) == pathway.ENOTFOUND {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		return c.Founders, nil
	case pathway.AudienceAgency, pathway.AudienceAgencyLead, pathway.AudienceFunder, pathway.AudienceFunderLead,
		pathway.AudienceCommissioner, pathway.AudienceCommissionerLead:
		// The audiences of staff are named as the roles that address them.
		staff, err := o.store.ListStaff(ctx, n.Organisation, n.Audience)
		if err != nil {
			return nil, err
		}
		ids := make([]string, len(staff))
		for i, u := range staff {
			ids[i] = u.ID
		}
		return ids, nil
	}
	return nil, nil
}

// hold keeps a person's mail for their next daily summary. The held copy
// gets a new ID whose time is the summary's: the outbox is read oldest ID
// first, one page a sweep, so mail held for tomorrow sorts after all that
// is due today and never keeps it waiting.
func (o *Outbox) hold(ctx context.Context, d *pathway.Delivery) (Result, error) {
	at := pathway.NextDigest(o.now())
	held := *d
	n := *d.Mail
	n.Held = true
	held.ID, held.Mail, held.NotBefore, held.Version = ulid.MustNew(ulid.Timestamp(at), ulid.DefaultEntropy()).String(), &n, at, 0
	err := o.store.FanOutDelivery(ctx, d, []*pathway.Delivery{&held})
	if err != nil && pathway.ErrorCode(err) != pathway.ECONFLICT {
		return Later, err
	}
	return recorded, nil
}

// digest sends, as one email, every held mail of the person that is due,
// d among them, claiming the others first so no other sweep sends them.
func (o *Outbox) digest(ctx context.Context, d *pathway.Delivery, u *pathway.User) (Result, error) {
	pending, err := o.store.PendingMail(ctx, pathway.MaxPageSize)
	if err != nil {
		return Later, err
	}
	group := []*pathway.Delivery{d}
	for _, p := range pending {
		if p.ID == d.ID || p.Kind != pathway.DeliverMail || p.Mail == nil || !p.Mail.Held ||
			p.Mail.User != u.ID || o.now().Before(p.NotBefore) {
			continue
		}
		if o.claim(ctx, p) {
			group = append(group, p)
		}
	}
	notices := make([]*pathway.MailNotice, len(group))
	for i, p := range group {
		notices[i] = p.Mail
	}
	if err := o.sendOne(ctx, pathway.DigestMail(u.Email, o.base, notices)); err != nil {
		for _, p := range group[1:] {
			o.retryLater(ctx, p, err) // d itself is retried by Send
		}
		return Later, err
	}
	for _, p := range group {
		if err := o.finish(ctx, p, nil); err != nil {
			o.log.ErrorContext(ctx, "outbox: finishing a summarised mail", "delivery", p.ID, "err", err)
		}
	}
	return recorded, nil
}

// retryLater records a failed attempt at p, with a backoff.
func (o *Outbox) retryLater(ctx context.Context, p *pathway.Delivery, cause error) {
	p.Attempts++
	p.LastError = pathway.Clip(cause.Error(), 2000)
	p.NotBefore = o.now().Add(backoff(p.Attempts))
	if err := o.store.RetryDelivery(ctx, p); err != nil && pathway.ErrorCode(err) != pathway.ECONFLICT {
		o.log.ErrorContext(ctx, "outbox: recording a failed mail", "delivery", p.ID, "err", err)
	}
}

// noAddressEvent notes in the subject's trail that a person could not be
// emailed because no address is on record for them.
func (o *Outbox) noAddressEvent(d *pathway.Delivery, u *pathway.User) *pathway.Event {
	who := u.Name
	if who == "" {
		who = "user " + u.ID
	}
	subject, _ := pathway.NoticeText(d.Mail)
	e := &pathway.Event{
		ID: ulid.Make().String(), Subject: d.Subject, At: o.now(), Actor: pathway.ActorSystem,
		Action:  pathway.ActionNotificationSent,
		Summary: pathway.Clip("We could not email "+who+" (“"+subject+"”): there is no email address on record for them.", 1000),
		Data:    map[string]string{"user": u.ID, "notice": d.Mail.Notice, "emailed": "no"},
	}
	if d.Subject.Kind == pathway.SubjectCoop {
		e.Coop = d.Subject.ID
	}
	return e
}
