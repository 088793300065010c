# Builds, runs and tests Co-op Care Pathway.
#
# `sam build` calls build-<LogicalId> (BuildMethod: makefile) with
# ARTIFACTS_DIR set; `make build` builds the same binaries into bin/<name>/.
# Both use GO_LAMBDA, so what is tested locally is what deploys.

GO        ?= go
GO_LAMBDA := GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags lambda.norpc -trimpath -ldflags "-s -w"

.PHONY: build run test bench clean
.DEFAULT_GOAL := build

# function(LogicalId, directory under functions/) defines build-<LogicalId>
# for SAM and bin/<directory>/bootstrap for `make build`.
define function
.PHONY: build-$(1) bin/$(2)/bootstrap
build-$(1):
	$(GO_LAMBDA) -o "$$(ARTIFACTS_DIR)/bootstrap" ./functions/$(2)
bin/$(2)/bootstrap:
	$(GO_LAMBDA) -o $$@ ./functions/$(2)
build: bin/$(2)/bootstrap
endef

# One line per function: its template.yaml LogicalId and its directory.
$(eval $(call function,ApiFunction,api))
$(eval $(call function,ValidateApplicationFunction,validate-application))
$(eval $(call function,ScreenEligibilityFunction,screen-eligibility))
$(eval $(call function,RecordIneligibleFunction,record-ineligible))
$(eval $(call function,OpenPanelTaskFunction,open-panel-task))
$(eval $(call function,EscalatePanelFunction,escalate-panel))
$(eval $(call function,RecordPanelOutcomeFunction,record-panel-outcome))
$(eval $(call function,RecordFailureFunction,record-failure))
$(eval $(call function,BuildChecklistFunction,build-checklist))
$(eval $(call function,OpenChecklistWaitFunction,open-checklist-wait))
$(eval $(call function,MarkCQCReadyFunction,mark-cqc-ready))
$(eval $(call function,OpenSubmissionTaskFunction,open-submission-task))
$(eval $(call function,RecordSubmittedFunction,record-submitted))
$(eval $(call function,OpenDecisionTaskFunction,open-decision-task))
$(eval $(call function,EscalateDecisionFunction,escalate-decision))
$(eval $(call function,RecordDecisionFunction,record-decision))

build:

run:
	$(GO) run ./infra/local --demo

test:
	bash infra/test.sh

# Benchmarks of the stores, DynamoDB Local included (the same wrapper as the
# tests). BENCHTIME=1x gives a quick smoke run.
BENCHTIME ?= 1s
bench:
	bash infra/dynamodb-local/run.sh $(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) ./shared/...

clean:
	rm -rf bin .aws-sam
