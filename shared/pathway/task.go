package pathway

import (
	"encoding/json"
	"time"
)

// Task statuses.
const (
	TaskOpen      = "open"
	TaskCompleted = "completed"
	TaskCancelled = "cancelled"
)

// Kinds of task.
const (
	TaskPanelDecision   = "panel-decision"
	TaskPanelEscalation = "panel-escalation"
	TaskCQCSubmission   = "cqc-submission"
	TaskCQCDecision     = "cqc-decision"
	TaskCQCEscalation   = "cqc-escalation"
	TaskChecklist       = "checklist"
	// TaskChecklistVerification is the agency's one entry per co-op for
	// the checklist items waiting to be checked. No workflow waits on it:
	// the store keeps it with the item changes (see VerificationTaskID),
	// and it is answered by checking the items on the verification page.
	TaskChecklistVerification = "checklist-verification"
)

// Task is a pending human decision. A workflow waits on it through a task
// token; the person's answer completes it exactly once and is sent back to
// the workflow.
type Task struct {
	// ID is the task's stable identifier.
	ID string `json:"id" validate:"required,max=128"`
	// Kind is one of the Task* kind constants.
	Kind string `json:"kind" validate:"required,max=64"`
	// Subject is what the decision is about.
	Subject Subject `json:"subject"`
	// Coop is the ID of the co-op the decision is about, for co-op subjects
	// (and the co-op concerned by other subjects, where there is one).
	Coop string `json:"coop,omitempty" validate:"max=64"`
	// CoopName is the co-op's name, kept on the task so that an inbox
	// shows it without reading the co-op: the store sets it when the task
	// is opened and rewrites it when the co-op is renamed.
	CoopName string `json:"coopName,omitempty" validate:"max=300,safetext"`
	// User is the one person who must act, when the task is theirs alone
	// (an assigned reviewer); empty for tasks of a whole role.
	User string `json:"user,omitempty" validate:"max=128"`
	// Organisation is the ID of the organisation that must act; empty for founder tasks.
	Organisation string `json:"organisation,omitempty" validate:"max=64"`
	// Role is who must act: a Role* constant.
	Role string `json:"role" validate:"required,oneof=founder agency funder commissioner agency-lead funder-lead commissioner-lead"`
	// Title says what is to be decided, in plain English.
	Title string `json:"title" validate:"required,max=300,safetext"`
	// Due is when the decision is due.
	Due time.Time `json:"due"`
	// Token is the workflow's task token; the answer is sent back with it.
	Token string `json:"token,omitempty" validate:"max=4096"`
	// Status is TaskOpen, TaskCompleted or TaskCancelled.
	Status string `json:"status" validate:"required,oneof=open completed cancelled"`
	// CreatedAt is when the task was opened.
	CreatedAt time.Time `json:"createdAt"`
	// CompletedAt is when it was completed or cancelled.
	CompletedAt time.Time `json:"completedAt,omitzero"`
	// CompletedBy is the user ID of who completed it.
	CompletedBy string `json:"completedBy,omitempty"`
	// Outcome is the decision recorded, as the JSON body the person sent.
	Outcome json.RawMessage `json:"outcome,omitempty"`
	// Count, on a checklist-verification task, is how many items wait
	// for the agency's check.
	Count int `json:"count,omitempty" validate:"min=0"`
	// Oldest, on a checklist-verification task, is when the item that has
	// waited longest was marked done.
	Oldest time.Time `json:"oldest,omitzero"`
}

// Validate reports whether t is a well-formed task. A task with a Coop and
// no Subject gets the co-op's subject first.
func (t *Task) Validate() error {
	t.Subject = subjectOf(t.Subject, t.Coop)
	return validate(t)
}

// IsOverdue reports whether t is open past its due date at now.
func (t *Task) IsOverdue(now time.Time) bool {
	return t.Status == TaskOpen && !t.Due.IsZero() && now.After(t.Due)
}

// TaskFilter selects open tasks: those of one subject (Subject, or Coop
// for a co-op's), those assigned to one user, or those of one organisation
// and role, in that order of precedence.
type TaskFilter struct {
	// Organisation is the organisation ID of the inbox.
	Organisation string
	// Role is the role of the inbox.
	Role string
	// User selects the tasks assigned to one person.
	User string
	// Subject selects one subject's open tasks.
	Subject Subject
	// Coop is a co-op ID; when set, the co-op's open tasks are listed.
	Coop string
	// Roles, for ListInbox, lists the organisation's inboxes of several
	// roles as one (an agency lead's: agency and agency-lead); when set,
	// Role is not used.
	Roles []string
	// Cursor is the Next of the previous page (inboxes only), or "".
	Cursor string
	// Limit is the page size (inboxes only); zero means every open task
	// of a subject, and DefaultPageSize for an inbox.
	Limit int
}

// SubjectOf returns the subject the filter selects, or a zero Subject.
func (f TaskFilter) SubjectOf() Subject { return subjectOf(f.Subject, f.Coop) }

// TaskPage is one page of an inbox, earliest due first.
type TaskPage struct {
	// Tasks are the page's open tasks in order.
	Tasks []*Task `json:"tasks"`
	// Next is the cursor for the following page, or "" on the last page.
	Next string `json:"next,omitempty"`
}

// TaskCompletion is the answer that completes a task.
type TaskCompletion struct {
	// By is the user ID of who answered.
	By string
	// At is when they answered.
	At time.Time
	// Outcome is the decision as JSON.
	Outcome json.RawMessage
	// Status is TaskCompleted, or TaskCancelled when the workflow moved on without it.
	Status string
	// Event, when set, is recorded in the same transaction.
	Event *Event
	// Delivery, when set, is recorded in the same transaction, to send the
	// answer to the workflow (see Delivery).
	Delivery *Delivery
}
