// Package asl implements the Amazon States Language (JSONPath query
// language) as pure functions: parsing and validating a state machine
// definition, compiling its paths, payload templates, intrinsic functions and
// Choice rules once, and evaluating them against JSON values in the generic
// form produced by github.com/ohler55/ojg (map[string]any, []any, int64,
// float64, string, bool, nil).
//
// The package runs nothing: the engine in infra/local/states drives states,
// and calls this package for every data-processing step in AWS's order:
// InputPath → Parameters → [task] → ResultSelector → ResultPath → OutputPath.
package asl
