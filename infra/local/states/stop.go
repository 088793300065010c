package states

// ExecutionARN returns the ARN of the execution name of the state machine
// named (or with the ARN) machine, as StartExecution gives it; "" when no
// such machine is registered.
func (e *Engine) ExecutionARN(machine, name string) string {
	m := e.machine(machine)
	if m == nil {
		return ""
	}
	return e.executionARN(m.name, name)
}
