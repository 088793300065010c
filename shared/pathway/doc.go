// Package pathway holds the domain of Co-op Care Pathway: the records a care
// co-operative start-up creates on its way from an application to a
// development programme to CQC registration, the rules that keep them valid,
// and the ports (Store, Workflows) that the adapters implement.
//
// It imports only the standard library and the validator, so every other
// package can depend on it and it depends on none of them.
package pathway
