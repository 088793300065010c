package pathway

import (
	"encoding/json"
	"time"
)

// Kinds of delivery.
const (
	// DeliverTaskAnswer sends a task's answer to the workflow waiting on
	// its token (SendTaskSuccess).
	DeliverTaskAnswer = "task-answer"
	// DeliverStart starts a workflow execution (StartExecution, idempotent
	// by execution name).
	DeliverStart = "start-execution"
	// DeliverMail sends a notice by email (see mail.go): to an audience
	// (fanned out into one delivery per person when it is sent) or to one
	// person (User).
	DeliverMail = "mail"
	// DeliverInsight refreshes the dashboards' aggregates from its
	// subject's facts (see shared/insight): written with every event that
	// concerns a co-op, a grant application or a tender, so that no change
	// is lost from the aggregates. Sending it twice adds nothing.
	DeliverInsight = "insight"
)

// Delivery is a message to the outside world (a workflow, later an email)
// recorded in the same transaction as the change that causes it, and sent
// after it, again and again until it is sent: the never-lost mechanism.
// A Delivery is stored until it is sent, and removed then.
type Delivery struct {
	// ID orders deliveries: a ULID.
	ID string `json:"id" validate:"required,max=64"`
	// Kind is one of the Deliver* constants.
	Kind string `json:"kind" validate:"required,oneof=task-answer start-execution mail insight"`
	// Subject is what the delivery is about; its audit trail records the outcome.
	Subject Subject `json:"subject"`
	// Task is the ID of the answered task (task-answer).
	Task string `json:"task,omitempty" validate:"max=128"`
	// TaskTitle is the task's title, for the audit trail.
	TaskTitle string `json:"taskTitle,omitempty" validate:"max=300"`
	// Token is the workflow's task token (task-answer).
	Token string `json:"token,omitempty" validate:"max=4096"`
	// StateMachine and Name name the execution to start (start-execution).
	StateMachine string `json:"stateMachine,omitempty" validate:"max=256"`
	Name         string `json:"name,omitempty" validate:"max=80"`
	// Payload is the answer or the execution's input, as JSON.
	Payload json.RawMessage `json:"payload,omitempty"`
	// By is the user whose action caused it.
	By string `json:"by,omitempty" validate:"max=128"`
	// Mail carries a notice's facts (DeliverMail); its text is written
	// when it is sent.
	Mail *MailNotice `json:"mail,omitempty"`
	// Attempts counts failed attempts to send it.
	Attempts int `json:"attempts"`
	// LastError is why the last attempt failed.
	LastError string `json:"lastError,omitempty" validate:"max=2000"`
	// NotBefore is when the next attempt may be made.
	NotBefore time.Time `json:"notBefore"`
	// CreatedAt is when it was recorded.
	CreatedAt time.Time `json:"createdAt"`
	// Version counts stored changes, for conditional updates.
	Version int `json:"version"`
}

// Validate reports whether d is a well-formed delivery.
func (d *Delivery) Validate() error {
	if d.Kind == DeliverMail && d.Mail == nil {
		return Invalid(map[string]string{"mail": "Enter the notice of a mail delivery"})
	}
	return validate(d)
}
