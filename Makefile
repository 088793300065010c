# Builds, runs and tests Co-op Care Pathway.
#
# `sam build` calls build-<LogicalId> (BuildMethod: makefile) with
# ARTIFACTS_DIR set; `make build` builds the same binaries into bin/<name>/.
# Both use GO_LAMBDA, so what is tested locally is what deploys.

GO        ?= go
# The tags leave out what no function uses: aws-lambda-go's net/rpc mode,
# validator's validateFn (which looks methods up by name and so keeps every
# method of every type in the binary) and HTTP/2 (the AWS APIs the
# functions call, the Lambda Runtime API and Cognito all speak HTTP/1.1).
# infra/lambdatest builds with the same tags and checks the sizes.
LAMBDA_TAGS := lambda.norpc,validator_novalidatefn,nethttpomithttp2
GO_LAMBDA := GOOS=linux GOARCH=arm64 CGO_ENABLED=0 $(GO) build -tags $(LAMBDA_TAGS) -trimpath -ldflags "-s -w"

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
# The API, then one function per workflow (its steps: shared/steps).
$(eval $(call function,ApiFunction,api))
$(eval $(call function,ApplicationFunction,application))
$(eval $(call function,RegistrationFunction,registration))

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
