package store

import (
	"context"

	"github.com/coopcarepathway/pathway/shared/pathway"
	"github.com/coopcarepathway/pathway/shared/table"
)

// pkMailbox is the partition of mail deliveries: a queue of its own, so
// mail held for a daily summary never stands before answers and workflow
// starts in the outbox's, and an outbox that sends no mail never reads it.
const pkMailbox = "MAILBOX"

// queueOf returns the partition a delivery waits in.
func queueOf(d *pathway.Delivery) string {
	switch d.Kind {
	case pathway.DeliverMail:
		return pkMailbox
	case pathway.DeliverInsight:
		return pkInsightQueue
	}
	return pkOutbox
}

// PendingMail returns up to limit mail deliveries not sent yet, oldest
// (by ID) first, from the table.
func (s *Store) PendingMail(ctx context.Context, limit int) ([]*pathway.Delivery, error) {
	return s.pending(ctx, pkMailbox, limit)
}

// withNotices appends the writes of the mail deliveries an event causes,
// so they are stored with it or not at all.
func withNotices(writes []table.Write, e *pathway.Event) ([]table.Write, error) {
	var err error
	for _, d := range e.Notices {
		if writes, err = withDelivery(writes, d); err != nil {
			return nil, err
		}
	}
	return writes, nil
}

// taskNotice returns the mail delivery telling whoever must act on a new
// open task that it is there (pathway.TaskNotice), or nil when nobody is
// told. PutTask stores it with the task, so a task put again (a retried
// step) tells nobody twice.
func taskNotice(t *pathway.Task) *pathway.Delivery {
	n := pathway.TaskNotice(t)
	if n == nil {
		return nil
	}
	return pathway.NewNotice(t.Subject, n, pathway.ActorSystem, t.CreatedAt)
}

// FanOutDelivery replaces a notice by its deliveries to each person, in
// one transaction conditional on the notice's version, so each person gets
// one delivery even when two sweeps fan out the same notice. A notice
// changed or finished meanwhile is ECONFLICT and changes nothing.
func (s *Store) FanOutDelivery(ctx context.Context, notice *pathway.Delivery, each []*pathway.Delivery) error {
	if len(each) > pathway.MaxRecipients {
		return pathway.Invalid(map[string]string{"recipients": "Must be 99 people or fewer"})
	}
	writes := []table.Write{table.Delete(pkMailbox, notice.ID, table.IfVersion(int64(notice.Version)))}
	var err error
	for _, d := range each {
		if writes, err = withDelivery(writes, d); err != nil {
			return err
		}
	}
	err = s.t.Transact(ctx, writes...)
	if table.FailedAt(err, 0) {
		return pathway.Errorf(pathway.ECONFLICT, "This notice was changed or sent meanwhile.")
	}
	return mapErr(err)
}

// ListStaff returns the users of an organisation in a role (RoleAgencyLead:
// its agency staff who are leads), ordered by ID. It reads the one USER
// partition whole and filters it, which serves the few hundred users a
// development agency's service has; a per-organisation index is the next
// step when it grows beyond that.
func (s *Store) ListStaff(ctx context.Context, org, role string) ([]*pathway.User, error) {
	all, err := s.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	out := []*pathway.User{}
	for _, u := range all {
		if u.Organisation != org || org == "" {
			continue
		}
		if staff, lead := pathway.StaffRoleOfLead(role); lead {
			if u.Role == staff && u.Lead {
				out = append(out, u)
			}
		} else if u.Role == role {
			out = append(out, u)
		}
	}
	return out, nil
}
