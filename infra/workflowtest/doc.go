// Package workflowtest runs the workflows in workflows/ end to end: the
// local Step Functions engine (infra/local/states) loads them from
// template.yaml and calls the real step handlers (shared/steps) over the
// embedded store, while the tests play the founders, the agency and CQC as
// the API would, moving a fake clock for the due dates.
//
// It has only tests.
package workflowtest
