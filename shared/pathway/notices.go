package pathway

import "context"

// UserStore is the part of the Store that keeps users.
type UserStore interface {
	GetUser(ctx context.Context, id string) (*User, error)
	PutUser(ctx context.Context, u *User) error
}

// RememberUser stores or refreshes the record of a user who has just
// signed in, from what the authenticator says of them (name, role,
// organisation, lead, email), keeping the notice preference they chose
// here. Notices go to the users the table holds, so people who signed in
// once can be emailed. An unchanged record is not written again.
//
// The write is not conditional: a preference changed in the moment
// between the read and the write of a sign-in could be overwritten, which
// the person would see on their notices page and could set again.
func RememberUser(ctx context.Context, st UserStore, u *User) error {
	rec := *u
	old, err := st.GetUser(ctx, u.ID)
	switch ErrorCode(err) {
	case "":
		rec.Notices = old.Notices
		if rec == *old {
			return nil
		}
	case ENOTFOUND:
	default:
		return err
	}
	return st.PutUser(ctx, &rec)
}

// SetNotices records how a user wants to hear of new work: NoticesImmediate
// or NoticesDaily. A user the table does not hold yet is stored as u.
func SetNotices(ctx context.Context, st UserStore, u *User, notices string) (*User, error) {
	if notices != NoticesImmediate && notices != NoticesDaily {
		return nil, Invalid(map[string]string{"notices": "Choose immediate (an email for each notice) or daily (one summary each morning)"})
	}
	rec, err := st.GetUser(ctx, u.ID)
	if ErrorCode(err) == ENOTFOUND {
		c := *u
		rec, err = &c, nil
	}
	if err != nil {
		return nil, err
	}
	rec.Notices = notices
	if err := st.PutUser(ctx, rec); err != nil {
		return nil, err
	}
	return rec, nil
}

// NoticesOf returns a user's notice preference, NoticesImmediate when unset.
func NoticesOf(u *User) string {
	if u.Notices == "" {
		return NoticesImmediate
	}
	return u.Notices
}
