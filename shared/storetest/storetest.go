// Package storetest is the contract test suite of pathway.Store.
//
// The store (shared/store) runs it on both table engines (shared/embedded
// and shared/dynamo), so a caller never has to know which one it talks to.
//
// The suite depends only on the pathway package: an adapter's test calls Run
// with a function that opens a fresh, empty store.
//
// Ordering rules the suite holds every adapter to, beyond store.go:
//   - ListCoops orders by (StageEnteredAt, ID) descending: newest first, and
//     among equal times the greater ID first.
//   - A page that is not the last holds exactly the limit asked for; the last
//     page holds at most the limit and its Next is "". A store may return a
//     full page whose Next leads to an empty last page.
//   - A limit of zero means pathway.DefaultPageSize; a limit above
//     pathway.MaxPageSize is cut to MaxPageSize. ListEvents follows the same
//     rules.
//   - A cursor that was not produced by the same listing (garbage, or a
//     cursor of another programme, stage or co-op) fails with EINVALID.
//   - ListCoops without a programme or with an unknown stage, and ListEvents
//     without a co-op, fail with EINVALID. ListEvents of a co-op without
//     events returns an empty last page.
//   - ListTasks orders by Due ascending, ties by ID ascending. A filter with
//     neither Coop nor Organisation and Role fails with EINVALID.
//   - ListInbox pages an inbox as ListCoops pages a column (the rules
//     above), ordered as ListTasks; a filter without an inbox fails with
//     EINVALID. Open tasks of a stored co-op carry its name (CoopName).
//   - ListFounderCoops may return co-ops in any order; it follows changes
//     of Founders made by UpdateCoop.
//   - UpdateCoop and UpdateChecklistItem accept a nil event.
//   - Updating or completing a record that does not exist fails with
//     ENOTFOUND; a failed call leaves the caller's Version as it was.
//   - CompleteTask's Status must be TaskCompleted or TaskCancelled, else
//     EINVALID. PutTask of a completed task's ID returns it completed.
//   - PutChecklist validates the whole batch first: an invalid item stores
//     nothing. New items are stored at Version 1.
//   - Invalid records fail with the EINVALID *pathway.Error of their
//     Validate method, naming the field at fault, and store nothing.
//   - Times round-trip at nanosecond precision (compared with Equal).
package storetest

import (
	"testing"

	"github.com/coopcarepathway/pathway/shared/pathway"
)

// Run runs the whole contract suite as subtests of t. It calls open once per
// subtest; open must return a new, empty store and register its own cleanup
// with t.Cleanup. Subtests run one after another, never in parallel, so a
// store backed by a shared service is not overloaded.
func Run(t *testing.T, open func(t *testing.T) pathway.Store) {
	t.Helper()
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.fn(t, open(t))
		})
	}
}

// test is one contract subtest.
type test struct {
	name string
	fn   func(t *testing.T, s pathway.Store)
}

// tests lists every subtest in the order Run runs them.
var tests = []test{
	{"CreateGetCoop", testCreateGetCoop},
	{"CreateCoopInvalid", testCreateCoopInvalid},
	{"UpdateCoop", testUpdateCoop},
	{"UpdateCoopInvalidOrMissing", testUpdateCoopInvalidOrMissing},
	{"LostUpdate", testLostUpdate},
	{"LostUpdateRace", testLostUpdateRace},
	{"ConcurrentUpdates", testConcurrentUpdates},
	{"ListCoopsOrderAndFilter", testListCoopsOrderAndFilter},
	{"ListCoopsPaging", testListCoopsPaging},
	{"ListCoopsPagingWhileWriting", testListCoopsPagingWhileWriting},
	{"ListCoopsBadInput", testListCoopsBadInput},
	{"CountStages", testCountStages},
	{"ListFounderCoops", testListFounderCoops},
	{"Events", testEvents},
	{"EventsBadInput", testEventsBadInput},
	{"Tasks", testTasks},
	{"Inbox", testInbox},
	{"TaskSummary", testTaskSummary},
	{"TaskSummaryRace", testTaskSummaryRace},
	{"CompleteTask", testCompleteTask},
	{"CompleteTaskRace", testCompleteTaskRace},
	{"Checklist", testChecklist},
	{"ChecklistBadInput", testChecklistBadInput},
	{"Organisations", testOrganisations},
	{"Programmes", testProgrammes},
	{"Users", testUsers},
	{"Idempotency", testIdempotency},
	{"IdempotencyRace", testIdempotencyRace},
	{"Deliveries", testDeliveries},
	{"DeliveryWithCoop", testDeliveryWithCoop},
	{"DeliveryFinishRace", testDeliveryFinishRace},
	{"OtherSubjects", testOtherSubjects},
	{"VerificationQueue", testVerificationQueue},
	{"VerificationQueueRace", testVerificationQueueRace},
	{"TaskNotice", testTaskNotice},
	{"EventNotices", testEventNotices},
	{"FanOut", testFanOut},
	{"ListStaff", testListStaff},
}
