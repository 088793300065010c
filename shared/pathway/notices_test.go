package pathway_test

import (
	"context"
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// memUsers is a UserStore in a map, counting writes.
type memUsers struct {
	users  map[string]pathway.User
	writes int
}

func (m *memUsers) GetUser(_ context.Context, id string) (*pathway.User, error) {
	u, ok := m.users[id]
	if !ok {
		return nil, pathway.NotFound("user")
	}
	return &u, nil
}

func (m *memUsers) PutUser(_ context.Context, u *pathway.User) error {
	m.users[u.ID] = *u
	m.writes++
	return nil
}

func TestRememberUser(t *testing.T) {
	st := &memUsers{users: map[string]pathway.User{}}
	u := &pathway.User{ID: "u1", Name: "Ada Fernsby", Role: pathway.RoleFounder, Email: "ada@example.test"}
	for _, step := range []struct {
		name   string
		do     func() error
		writes int
		want   pathway.User
	}{
		{"first sign-in stores the record", func() error { return pathway.RememberUser(t.Context(), st, u) }, 1,
			pathway.User{ID: "u1", Name: "Ada Fernsby", Role: pathway.RoleFounder, Email: "ada@example.test"}},
		{"the same sign-in writes nothing", func() error { return pathway.RememberUser(t.Context(), st, u) }, 1,
			pathway.User{ID: "u1", Name: "Ada Fernsby", Role: pathway.RoleFounder, Email: "ada@example.test"}},
		{"a chosen preference", func() error { _, err := pathway.SetNotices(t.Context(), st, u, pathway.NoticesDaily); return err }, 2,
			pathway.User{ID: "u1", Name: "Ada Fernsby", Role: pathway.RoleFounder, Email: "ada@example.test", Notices: pathway.NoticesDaily}},
		{"a new address keeps the preference", func() error {
			v := *u
			v.Email = "ada.f@example.test"
			return pathway.RememberUser(t.Context(), st, &v)
		}, 3, pathway.User{ID: "u1", Name: "Ada Fernsby", Role: pathway.RoleFounder, Email: "ada.f@example.test", Notices: pathway.NoticesDaily}},
	} {
		if err := step.do(); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if st.writes != step.writes || st.users["u1"] != step.want {
			t.Errorf("%s: %d writes, stored %+v; want %d, %+v", step.name, st.writes, st.users["u1"], step.writes, step.want)
		}
	}
	if _, err := pathway.SetNotices(t.Context(), st, u, "hourly"); pathway.ErrorFields(err)["notices"] == "" {
		t.Errorf("SetNotices(hourly) = %v, want an error naming notices", err)
	}
}
