package steps

// Functions maps the logical ID in template.yaml of each workflow's Lambda
// function to the steps it runs; its state machine's
// DefinitionSubstitutions give that function's ARN as
// ${<LogicalId>Arn}.
var Functions = map[string]Registry{
	"ApplicationFunction":  Application,
	"RegistrationFunction": Registration,
}

// Handlers returns the handler of every workflow function by its logical
// ID (Functions), so the local server registers exactly the functions AWS
// runs (functions/<workflow>/main.go serves the same registry):
//
//	for id, fn := range steps.Handlers(s) {
//		engine.RegisterHandler(id, states.TypedHandler(fn))
//	}
//
// Each value is a Registry.Handler, with the signature lambda.Start accepts.
func Handlers(s *Steps) map[string]any {
	hs := make(map[string]any, len(Functions))
	for id, r := range Functions {
		hs[id] = r.Handler(s)
	}
	return hs
}
