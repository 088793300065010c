package pathway

import "context"

// TaskFor reads task id for u to answer, as every service that answers
// tasks does first: no user, an ID no task could have, or a missing task
// is "not found" (task), like a task u may not see.
func TaskFor(ctx context.Context, s Store, u *User, id string) (*Task, error) {
	if u == nil || id == "" || len(id) > 128 {
		return nil, NotFound("task")
	}
	t, err := s.GetTask(ctx, id)
	if ErrorCode(err) == ENOTFOUND {
		return nil, NotFound("task")
	}
	return t, err
}
