package pathway

import (
	"fmt"
	"strings"
	"time"
)

// VerificationTaskID is the ID of a co-op's checklist-verification task.
// It is derived from the co-op, so that items marked done at the same
// moment meet on one task (the store writes it conditionally) instead of
// opening two.
func VerificationTaskID(coop string) string { return verificationPrefix + coop }

// verificationPrefix begins every checklist-verification task's ID.
const verificationPrefix = "verify-"

// VerificationCoop returns the co-op of a checklist-verification task's
// ID, and whether the ID is one.
func VerificationCoop(taskID string) (string, bool) {
	coop, ok := strings.CutPrefix(taskID, verificationPrefix)
	if !ok || coop == "" {
		return "", false
	}
	return coop, true
}

// WaitingItems counts the items waiting for the agency's check (marked
// done, not yet verified or returned) and says when the one that has
// waited longest was marked done.
func WaitingItems(items []*ChecklistItem) (n int, oldest time.Time) {
	for _, it := range items {
		if it.Status != ItemDone {
			continue
		}
		n++
		if oldest.IsZero() || it.UpdatedAt.Before(oldest) {
			oldest = it.UpdatedAt.UTC()
		}
	}
	return n, oldest
}

// VerificationTask returns the open checklist-verification task of co-op
// c for its items, due the programme's verification time after the
// oldest waiting item was marked done; nil when no item waits. The agency
// answers it by checking the items, not through the task itself.
func VerificationTask(c *Coop, p *Programme, items []*ChecklistItem, now time.Time) *Task {
	n, oldest := WaitingItems(items)
	if n == 0 {
		return nil
	}
	if oldest.IsZero() {
		oldest = now.UTC() // an item stored without its time: waiting from now
	}
	return &Task{
		ID: VerificationTaskID(c.ID), Kind: TaskChecklistVerification, Subject: Subject{Kind: SubjectCoop, ID: c.ID},
		Coop: c.ID, CoopName: c.Name, Organisation: p.Agency, Role: RoleAgency,
		Title:  VerificationTitle(n, c.Name),
		Due:    oldest.Add(p.VerifyTime()),
		Status: TaskOpen, CreatedAt: now.UTC(), Count: n, Oldest: oldest,
	}
}

// VerificationTitle says a verification task in staff words.
func VerificationTitle(n int, coopName string) string {
	if n == 1 {
		return "Check 1 item of evidence from " + coopName
	}
	return fmt.Sprintf("Check %d items of evidence from %s", n, coopName)
}

// MaxAgencyQueue bounds how many co-ops of one pipeline column the board
// reads to count those waiting on the agency, so that the board's cost
// does not grow with the co-ops: past it the board says "more than".
const MaxAgencyQueue = 100

// AgencyQueue is what waits on the agency in one column of the pipeline.
type AgencyQueue struct {
	// Waiting counts the co-ops with an open task for the agency, up to
	// MaxAgencyQueue; More reports that there are more.
	Waiting int  `json:"waiting"`
	More    bool `json:"more,omitempty"`
	// Overdue counts those of them whose earliest agency task is past due.
	Overdue int `json:"overdue"`
	// NextDue is the earliest due date among them.
	NextDue time.Time `json:"nextDue,omitzero"`
}
