package asl

// EffectiveInput applies InputPath, then Parameters, to the state's raw
// input. For a Map state the engine applies ItemSelector to each item
// itself (see ItemSelector), so only InputPath applies here.
func (s *State) EffectiveInput(raw, ctx any) (any, error) {
	in, err := s.InputPath.Get(raw, ctx)
	if err != nil || s.Parameters == nil {
		return in, err
	}
	return s.Parameters.Eval(in, ctx)
}

// StateOutput applies ResultSelector to result, ResultPath to merge it into
// the raw input, and OutputPath to the merge. For states without a result
// (Choice, Wait, Succeed) pass the effective input as result: ResultPath is
// then "$" and only OutputPath applies.
func (s *State) StateOutput(raw, result, ctx any) (any, error) {
	if s.ResultSelector != nil {
		var err error
		if result, err = s.ResultSelector.Eval(result, ctx); err != nil {
			return nil, err
		}
	}
	out, err := s.ResultPath.Apply(raw, result)
	if err != nil {
		return nil, err
	}
	return s.OutputPath.Get(out, ctx)
}

// PassResult is a Pass state's result: its Result when present, else its
// effective input.
func (s *State) PassResult(effective any) any {
	if s.HasResult {
		return s.Result
	}
	return effective
}
