package asl

import "time"

// State types.
const (
	TypePass     = "Pass"
	TypeTask     = "Task"
	TypeChoice   = "Choice"
	TypeWait     = "Wait"
	TypeSucceed  = "Succeed"
	TypeFail     = "Fail"
	TypeParallel = "Parallel"
	TypeMap      = "Map"
)

// Definition is a parsed, validated state machine (or a Parallel branch, or
// a Map item processor).
type Definition struct {
	Comment, StartAt, Version string
	TimeoutSeconds            int64 // 0 = none
	States                    map[string]*State
}

// State is one parsed state with every path, template and rule compiled.
type State struct {
	Name, Type, Comment string // Type: Pass Task Choice Wait Succeed Fail Parallel Map
	Next                string
	End                 bool

	InputPath, OutputPath      Path      // default "$"; may be null
	Parameters, ResultSelector *Template // nil when absent
	ResultPath                 ResultPath

	Result    any // Pass
	HasResult bool

	Resource                                 string // Task
	TimeoutSeconds, HeartbeatSeconds         int64  // 0 = none
	TimeoutSecondsPath, HeartbeatSecondsPath Path   // zero Path when absent

	Retry []Retrier
	Catch []Catcher

	Choices []*ChoiceRule // Choice
	Default string

	Seconds                    int64 // Wait
	HasSeconds                 bool
	Timestamp                  time.Time
	HasTimestamp               bool
	SecondsPath, TimestampPath Path

	Error, Cause         string // Fail
	ErrorPath, CausePath Path

	Branches []*Definition // Parallel

	ItemsPath          Path // Map
	ItemSelector       *Template
	ItemProcessor      *Definition
	MaxConcurrency     int64
	MaxConcurrencyPath Path

	Index int // 0..len(States)-1, unique within its Definition (states sorted by name), assigned by Parse
}
