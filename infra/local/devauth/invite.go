package devauth

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strings"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Invitations is the local server's pathway.Invitations: an email typed
// on the invite page becomes a founder user of the store (no mail is
// sent), who then appears on the sign-in page; an email already on record
// is that user.
type Invitations struct {
	store pathway.Store
}

// NewInvitations returns the local invitations over the store.
func NewInvitations(store pathway.Store) *Invitations { return &Invitations{store: store} }

// LocalUserID is the ID of the local user invited with the email: derived
// from the address in lower case, so inviting it again finds the same user.
func LocalUserID(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(email))))
	return "local-" + hex.EncodeToString(sum[:6])
}

// Invite returns the user with the email, creating a founder user if there
// is none. A staff user's address is refused.
func (i *Invitations) Invite(ctx context.Context, email, name string) (*pathway.User, error) {
	u, err := i.store.GetUserByEmail(ctx, email)
	if pathway.ErrorCode(err) == pathway.ENOTFOUND {
		u, err = i.store.SaveUserByEmail(ctx, &pathway.User{
			ID: LocalUserID(email), Name: name, Role: pathway.RoleFounder, Email: strings.TrimSpace(email),
		})
	}
	if err != nil {
		return nil, err
	}
	if u.IsStaff() {
		return nil, pathway.Invalid(map[string]string{"email": "That email address belongs to a staff account, which cannot be a founder of a co-op"})
	}
	return u, nil
}

// Founders lists the founder users of the store, for the invite page's
// choice of demo founders (pages.Config.Selectable).
func (i *Invitations) Founders(ctx context.Context) ([]*pathway.User, error) {
	users, err := i.store.ListUsers(ctx)
	if err != nil {
		return nil, err
	}
	return slices.DeleteFunc(users, (*pathway.User).IsStaff), nil
}
