package steps

// Handlers returns every step of s by the logical ID of its Lambda function
// in template.yaml (functions/<step>/main.go deploys the same method), so
// the local server registers exactly the functions AWS runs:
//
//	for id, fn := range steps.Handlers(s) {
//		engine.RegisterHandler(id, lambda.NewHandler(fn))
//	}
//
// Each value is a method with the signature lambda.Start accepts.
func Handlers(s *Steps) map[string]any {
	return map[string]any{
		"ValidateApplicationFunction": s.ValidateApplication,
		"ScreenEligibilityFunction":   s.ScreenEligibility,
		"RecordIneligibleFunction":    s.RecordIneligible,
		"OpenPanelTaskFunction":       s.OpenPanelTask,
		"EscalatePanelFunction":       s.EscalatePanel,
		"RecordPanelOutcomeFunction":  s.RecordPanelOutcome,
		"RecordFailureFunction":       s.RecordFailure,
		"BuildChecklistFunction":      s.BuildChecklist,
		"OpenChecklistWaitFunction":   s.OpenChecklistWait,
		"MarkCQCReadyFunction":        s.MarkCQCReady,
		"OpenSubmissionTaskFunction":  s.OpenSubmissionTask,
		"RecordSubmittedFunction":     s.RecordSubmitted,
		"OpenDecisionTaskFunction":    s.OpenDecisionTask,
		"EscalateDecisionFunction":    s.EscalateDecision,
		"RecordDecisionFunction":      s.RecordDecision,
	}
}
