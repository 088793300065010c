package pathway

import (
	"context"
	"time"
)

// Store keeps every record. shared/store implements it once over the table
// port (shared/table), whose two engines are shared/dynamo (DynamoDB) and
// shared/embedded (a bbolt file); one contract test suite (shared/storetest)
// runs it on both.
//
// Errors are *Error: ENOTFOUND for a missing record, ECONFLICT for a failed
// condition (stale version, existing key, task no longer open), EINVALID for
// a record that does not validate.
type Store interface {
	// CreateCoop stores a new co-op at Version 1 together with its first
	// event and, when start is not nil, the delivery that starts its
	// workflow, in one transaction. It fails with ECONFLICT if the ID
	// exists. On success c.Version is 1.
	CreateCoop(ctx context.Context, c *Coop, e *Event, start *Delivery) error
	// GetCoop returns the co-op with the ID.
	GetCoop(ctx context.Context, id string) (*Coop, error)
	// UpdateCoop stores c if the stored version still equals c.Version,
	// together with e (which may be nil) in one transaction, and increments
	// c.Version. A stale version fails with ECONFLICT and changes nothing.
	UpdateCoop(ctx context.Context, c *Coop, e *Event) error
	// UpdateCoopStart is UpdateCoop with start (a workflow start, or nil)
	// stored in the same transaction, to be sent after (the outbox).
	UpdateCoopStart(ctx context.Context, c *Coop, e *Event, start *Delivery) error
	// ListCoops returns a page of co-ops of one programme in one stage,
	// newest StageEnteredAt first (ties by ID), without scanning other co-ops.
	ListCoops(ctx context.Context, f CoopFilter) (*CoopPage, error)
	// CountStages returns, for one programme, how many co-ops are in each
	// stage; stages with none are absent.
	CountStages(ctx context.Context, programme string) (map[string]int, error)
	// AgencyQueue says how many of a programme's co-ops in one stage wait
	// on the agency (have an open agency task), how many of them are
	// overdue at now, and the earliest due date, reading at most
	// MaxAgencyQueue of them (one bounded index query).
	AgencyQueue(ctx context.Context, programme, stage string, now time.Time) (AgencyQueue, error)
	// ListFounderCoops returns the co-ops whose Founders include the user.
	ListFounderCoops(ctx context.Context, userID string) ([]*Coop, error)
	// FounderStore keeps co-founders, users by email and drafts (founders.go).
	FounderStore

	// AppendEvent stores an event. Appending the same event ID again is a
	// no-op, so a retried step records it once.
	AppendEvent(ctx context.Context, e *Event) error
	// ListEvents returns a page of a subject's events, oldest first.
	ListEvents(ctx context.Context, s Subject, cursor string, limit int) (*EventPage, error)

	// PutTask stores a new task. Putting a task whose ID exists is a no-op
	// that returns the stored task, so a retried step opens it once. A
	// subject's open tasks are read from the table (ListTasks by subject),
	// so a task is listed there as soon as PutTask returns.
	PutTask(ctx context.Context, t *Task) (*Task, error)
	// GetTask returns the task with the ID.
	GetTask(ctx context.Context, id string) (*Task, error)
	// ListTasks returns open tasks matching the filter, earliest due
	// first. A subject's are read from the table and so include every task
	// put before; an inbox (organisation and role, or user) is read from an
	// index and may lag the latest writes by a moment.
	ListTasks(ctx context.Context, f TaskFilter) ([]*Task, error)
	// ListInbox returns a page of an inbox's open tasks (one user's, or
	// one organisation's for a role), earliest due first (ties by ID),
	// paged by f.Cursor and f.Limit (PageLimit). It reads one page of an
	// index, never a record per task, and may lag the latest writes by a
	// moment.
	ListInbox(ctx context.Context, f TaskFilter) (*TaskPage, error)
	// CompleteTask closes an open task with the completion, exactly once:
	// if the task is no longer open it fails with ECONFLICT and changes
	// nothing. The completion's Event and Delivery, when set, are stored in
	// the same transaction. It returns the completed task.
	CompleteTask(ctx context.Context, id string, done TaskCompletion) (*Task, error)

	// PendingDeliveries returns up to limit deliveries not sent yet,
	// oldest first (read from the table: every delivery recorded before
	// the call is included).
	PendingDeliveries(ctx context.Context, limit int) ([]*Delivery, error)
	// FinishDelivery removes a delivery once sent (or once it can never be
	// sent), with e (which may be nil) in one transaction. A delivery
	// already finished is ECONFLICT and changes nothing.
	FinishDelivery(ctx context.Context, d *Delivery, e *Event) error
	// RetryDelivery stores d's Attempts, LastError and NotBefore if its
	// stored version equals d.Version, and increments d.Version.
	RetryDelivery(ctx context.Context, d *Delivery) error

	// PutChecklist stores the items of a co-op's checklist that do not exist
	// yet; existing items are left as they are.
	PutChecklist(ctx context.Context, items []*ChecklistItem) error
	// ListChecklist returns a co-op's checklist items ordered by ID.
	ListChecklist(ctx context.Context, coopID string) ([]*ChecklistItem, error)
	// GetChecklistItem returns one checklist item.
	GetChecklistItem(ctx context.Context, coopID, itemID string) (*ChecklistItem, error)
	// UpdateChecklistItem stores item if its stored version equals
	// item.Version, with e (which may be nil) in one transaction, and
	// increments item.Version; a stale version fails with ECONFLICT.
	UpdateChecklistItem(ctx context.Context, item *ChecklistItem, e *Event) error

	// PutOrganisation creates or replaces an organisation.
	PutOrganisation(ctx context.Context, o *Organisation) error
	// GetOrganisation returns the organisation with the ID.
	GetOrganisation(ctx context.Context, id string) (*Organisation, error)
	// PutProgramme creates or replaces a programme.
	PutProgramme(ctx context.Context, p *Programme) error
	// GetProgramme returns the programme with the ID.
	GetProgramme(ctx context.Context, id string) (*Programme, error)
	// ListProgrammes returns every programme ordered by ID.
	ListProgrammes(ctx context.Context) ([]*Programme, error)
	// PutUser creates or replaces a user.
	PutUser(ctx context.Context, u *User) error
	// GetUser returns the user with the ID.
	GetUser(ctx context.Context, id string) (*User, error)
	// ListUsers returns every user ordered by ID.
	ListUsers(ctx context.Context) ([]*User, error)

	// RememberResponse stores the response to an idempotent request unless
	// one is stored under the key already, and returns the stored one:
	// the first writer's response wins.
	RememberResponse(ctx context.Context, r *IdempotentResponse) (*IdempotentResponse, error)
	// RecallResponse returns the response stored under the key, or ENOTFOUND.
	RecallResponse(ctx context.Context, key string) (*IdempotentResponse, error)

	// PendingMail returns up to limit mail deliveries not sent yet, oldest
	// first (read from the table). Mail waits in a queue of its own, which
	// PendingDeliveries does not list.
	PendingMail(ctx context.Context, limit int) ([]*Delivery, error)
	// PendingInsight returns up to limit insight deliveries (DeliverInsight)
	// not sent yet, oldest first (read from the table), from their own
	// queue, which PendingDeliveries does not list either.
	PendingInsight(ctx context.Context, limit int) ([]*Delivery, error)
	// FanOutDelivery replaces a mail notice (an audience) by one delivery
	// per person, in one transaction conditional on the notice's version;
	// a notice changed or finished meanwhile is ECONFLICT.
	FanOutDelivery(ctx context.Context, notice *Delivery, each []*Delivery) error
	// ListStaff returns an organisation's users in a role (RoleAgencyLead:
	// its agency staff who are leads), ordered by ID.
	ListStaff(ctx context.Context, org, role string) ([]*User, error)
}

// IdempotentResponse is the stored response to a request that carried an
// Idempotency-Key, replayed when the same request is retried.
type IdempotentResponse struct {
	// Key is the caller's user ID and Idempotency-Key joined, so keys of
	// different callers never collide.
	Key string `json:"key" validate:"required,max=400"`
	// RequestHash is a hash of the method, path and body; a retry with a
	// different body under the same key is refused.
	RequestHash string `json:"requestHash" validate:"required,max=128"`
	// Status is the HTTP status of the first response.
	Status int `json:"status"`
	// Location is the first response's Location header, if any.
	Location string `json:"location,omitempty"`
	// Body is the first response's body.
	Body []byte `json:"body"`
	// CreatedAt is when the first response was stored.
	CreatedAt time.Time `json:"createdAt"`
}
