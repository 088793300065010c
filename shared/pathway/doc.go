// Package pathway holds the domain of Co-op Care Pathway: the records a care
// co-operative start-up creates on its way from an application to a
// development programme to CQC registration, the rules that keep them valid,
// and the ports (Store, Workflows) that the adapters implement.
//
// Each rule has one home here, used by the service layer (shared/journey),
// the workflows' steps (shared/steps) and the pages alike: the stage table
// of each phase, through which every stage change goes (stage.go); the
// enumerations with their words for people (terms.go); the event actions
// (event.go); the messages between the service layer and the workflows
// (messages.go); dates in UK time and text helpers (dates.go, text.go).
//
// It imports only the standard library and the validator, so every other
// package can depend on it and it depends on none of them.
package pathway
