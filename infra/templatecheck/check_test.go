package templatecheck_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/coopcarepathway/pathway/infra/repotest"
	"github.com/coopcarepathway/pathway/infra/templatecheck"
)

// TestTemplate checks the project's own template.yaml.
func TestTemplate(t *testing.T) {
	root := repotest.Root(t)
	for _, p := range templatecheck.Check(root) {
		t.Error(p)
	}
	tpl, err := templatecheck.Load(filepath.Join(root, "template.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(tpl.OfType(templatecheck.TypeFunction)) == 0 {
		t.Error("template.yaml defines no function")
	}
	// The table is defined once, here; tests create it from this definition.
	if tpl.Resources["Table"] == nil {
		t.Error("template.yaml has no Table")
	}
	// The JSON API and the pages are both routed (checkRoutes sees to the
	// authorizer on the first).
	keys := map[string]bool{}
	for _, id := range tpl.OfType(templatecheck.TypeRoute) {
		keys[templatecheck.Get(tpl.Resources[id], "Properties", "RouteKey").Value] = true
	}
	for _, want := range []string{"ANY /api/{proxy+}", "ANY /{proxy+}", "ANY /", "ANY /auth/{proxy+}", "GET /healthz"} {
		if !keys[want] {
			t.Errorf("template.yaml has no route %q", want)
		}
	}
}

// The fixture repository: a function, a state machine and a Makefile in the
// project's style, which passes every check. Each case below breaks one
// thing and expects the check to say so.
const (
	baseTemplate = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Stage: { Type: String }
Globals:
  Function:
    Runtime: provided.al2023
    Architectures: [arm64]
    Handler: bootstrap
Resources:
  Table:
    Type: AWS::DynamoDB::Table
  StepFunction:
    Type: AWS::Serverless::Function
    Metadata: { BuildMethod: makefile }
    Properties:
      CodeUri: .
      Environment:
        Variables:
          NAME: !Sub pathway-${Stage}-${AWS::Region}
          ROLE: !Ref StepFunctionRole
      Policies:
        - Statement:
            - Effect: Allow
              Action: [dynamodb:GetItem]
              Resource: !GetAtt Table.Arn
  Flow:
    Type: AWS::Serverless::StateMachine
    Properties:
      Type: STANDARD
      DefinitionUri: workflows/flow.asl.json
      DefinitionSubstitutions:
        StepArn: !GetAtt StepFunction.Arn
        Literal: !Sub ["${x}", { x: "y" }]
  Authorizer:
    Type: AWS::ApiGatewayV2::Authorizer
  ApiRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: ANY /api/{proxy+}
      AuthorizationType: JWT
      AuthorizerId: !Ref Authorizer
  PagesRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties:
      RouteKey: ANY /{proxy+}
      AuthorizationType: NONE
`
	baseDefinition = `{"StartAt":"A","States":{"A":{"Type":"Task","Resource":"${StepArn}","Parameters":{"n.$":"$.n","lit":"${Literal}","esc":"${!Kept}"},"End":true}}}`
	baseMakefile   = "GO_LAMBDA := GOOS=linux GOARCH=arm64 CGO_ENABLED=0 go build -tags lambda.norpc -trimpath\n" +
		"build-StepFunction:\n\t$(GO_LAMBDA) -o \"$(ARTIFACTS_DIR)/bootstrap\" ./functions/step\n"
)

// writeRepo writes the fixture repository with the replacements applied.
func writeRepo(t *testing.T, template, definition, makefile string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"template.yaml":           template,
		"workflows/flow.asl.json": definition,
		"Makefile":                makefile,
		"functions/step/main.go":  "package main\n\nfunc main() {}\n",
	}
	for name, body := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestCheckFindsProblems(t *testing.T) {
	if problems := templatecheck.Check(writeRepo(t, baseTemplate, baseDefinition, baseMakefile)); len(problems) != 0 {
		t.Fatalf("the fixture should pass, got %q", problems)
	}
	tests := []struct {
		name           string
		from, to       string // replaced in the template
		defFrom, defTo string // replaced in the definition
		mkFrom, mkTo   string // replaced in the Makefile
		want           string
	}{
		{name: "CodeUri missing", from: "CodeUri: .", to: "CodeUri: functions/gone", want: `CodeUri "functions/gone" is not a directory`},
		{name: "no Makefile target", mkFrom: "build-StepFunction:", mkTo: "build-Other:", want: "make build-StepFunction fails"},
		{name: "target builds a missing package", mkFrom: "./functions/step", mkTo: "./functions/gone", want: "has no main.go"},
		{name: "target builds for amd64", mkFrom: "GOARCH=arm64", mkTo: "GOARCH=amd64", want: "does not use GOARCH=arm64"},
		{name: "not a makefile build", from: "BuildMethod: makefile", to: "BuildMethod: go1.x", want: "BuildMethod"},
		{name: "no policies", from: "      Policies:\n        - Statement:\n            - Effect: Allow\n              Action: [dynamodb:GetItem]\n              Resource: !GetAtt Table.Arn\n", to: "", want: "StepFunction: no Policies"},
		{name: "wildcard action", from: "dynamodb:GetItem", to: "dynamodb:*", want: `wildcard action "dynamodb:*"`},
		{name: "managed policy instead of statements", from: "        - Statement:\n            - Effect: Allow\n              Action: [dynamodb:GetItem]\n              Resource: !GetAtt Table.Arn\n", to: "        - AmazonDynamoDBFullAccess\n", want: "not a policy document"},
		{name: "definition file missing", from: "workflows/flow.asl.json", to: "workflows/gone.asl.json", want: `DefinitionUri "workflows/gone.asl.json"`},
		{name: "placeholder without substitution", defFrom: "${Literal}", defTo: "${Missing}", want: "uses ${Missing}, which has no DefinitionSubstitution"},
		{name: "express machine", from: "Type: STANDARD", to: "Type: EXPRESS", want: `Flow: Type is "EXPRESS", want STANDARD`},
		{name: "definition does not parse", defFrom: `"StartAt":"A"`, defTo: `"StartAt":"B"`, want: "is not a valid definition"},
		{name: "unused substitution", defFrom: `"lit":"${Literal}",`, defTo: "", want: "DefinitionSubstitution Literal is not used"},
		{name: "substitution names no resource", from: "StepArn: !GetAtt StepFunction.Arn", to: "StepArn: !GetAtt NoSuchFunction.Arn", want: `refers to "NoSuchFunction"`},
		{name: "Ref to nothing", from: "ROLE: !Ref StepFunctionRole", to: "ROLE: !Ref Nothing", want: `refers to "Nothing"`},
		{name: "Sub names nothing", from: "pathway-${Stage}", to: "pathway-${Stag}", want: `refers to "Stag"`},
		{name: "wrong runtime", from: "Runtime: provided.al2023", to: "Runtime: go1.x", want: "Globals.Function.Runtime"},
		{name: "wrong architecture", from: "Architectures: [arm64]", to: "Architectures: [x86_64]", want: "Architectures must be [arm64]"},
		{name: "wrong handler", from: "Handler: bootstrap", to: "Handler: main", want: "Globals.Function.Handler"},
		{name: "API route without authorizer", from: "      AuthorizationType: JWT\n      AuthorizerId: !Ref Authorizer\n", to: "      AuthorizationType: NONE\n", want: `route "ANY /api/{proxy+}" has no JWT authorizer`},
		{name: "API route naming no authorizer", from: "      AuthorizerId: !Ref Authorizer\n", to: "", want: `ApiRoute: route "ANY /api/{proxy+}" has no JWT authorizer`},
		{name: "catch-all default route open", from: "RouteKey: ANY /{proxy+}", to: "RouteKey: $default", want: `PagesRoute: route "$default" has no JWT authorizer`},
		{name: "other open route", from: "RouteKey: ANY /{proxy+}", to: "RouteKey: GET /admin", want: `route "GET /admin" has no JWT authorizer`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tpl, def, mk := baseTemplate, baseDefinition, baseMakefile
			for _, r := range []struct {
				s        *string
				from, to string
			}{{&tpl, tc.from, tc.to}, {&def, tc.defFrom, tc.defTo}, {&mk, tc.mkFrom, tc.mkTo}} {
				if r.from == "" {
					continue
				}
				if !strings.Contains(*r.s, r.from) {
					t.Fatalf("fixture lacks %q", r.from)
				}
				*r.s = strings.Replace(*r.s, r.from, r.to, 1)
			}
			problems := templatecheck.Check(writeRepo(t, tpl, def, mk))
			for _, p := range problems {
				if strings.Contains(p, tc.want) {
					return
				}
			}
			t.Errorf("no problem mentions %q; got %q", tc.want, problems)
		})
	}
}

// TestCheckFindsUnbuiltFunctionDir adds a function's code that no function
// of the template builds, and then builds it twice.
func TestCheckFindsUnbuiltFunctionDir(t *testing.T) {
	root := writeRepo(t, baseTemplate, baseDefinition, baseMakefile)
	extra := filepath.Join(root, "functions", "orphan")
	if err := os.MkdirAll(extra, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(extra, "main.go"), []byte("package main\n\nfunc main() {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := "functions/orphan is built by no function of the template"
	if problems := templatecheck.Check(root); !slices.Contains(problems, want) {
		t.Errorf("problems %q lack %q", problems, want)
	}

	// A second function building functions/step is caught too.
	tpl := strings.Replace(baseTemplate, "  Flow:\n", `  OtherFunction:
    Type: AWS::Serverless::Function
    Metadata: { BuildMethod: makefile }
    Properties:
      CodeUri: .
      Policies:
        - Statement:
            - Effect: Allow
              Action: [dynamodb:GetItem]
              Resource: !GetAtt Table.Arn
  Flow:
`, 1)
	mk := baseMakefile + "build-OtherFunction:\n\t$(GO_LAMBDA) -o \"$(ARTIFACTS_DIR)/bootstrap\" ./functions/step\n"
	root = writeRepo(t, tpl, baseDefinition, mk)
	want = "functions/step is built by more than one function: OtherFunction, StepFunction"
	if problems := templatecheck.Check(root); !slices.Contains(problems, want) {
		t.Errorf("problems %q lack %q", problems, want)
	}
}
