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

.PHONY: build run test bench mutation clean
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
$(eval $(call function,GrantFunction,grant))
$(eval $(call function,TenderFunction,tender))

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

# Mutation testing of the rule-holding packages with gremlins (installed
# into .cache/bin on first use). Each package is mutated against its own
# tests only: gremlins runs in the package's directory, gathers coverage
# from that package's tests and runs just them on each mutant. Efficacy is
# killed / (killed + lived); the target fails when a package is under
# MUTATION_MIN percent. Full output: .cache/mutation/<package>.log.
# The timeout is MUTATION_TIMEOUT times the (often cached) coverage run:
# generous, so that a mutant compiled on a busy machine is not "timed out".
GREMLINS_VERSION  ?= v0.6.0
GREMLINS          := $(CURDIR)/.cache/bin/gremlins
MUTATION_PACKAGES ?= shared/pathway shared/journey shared/steps shared/outbox
MUTATION_WORKERS  ?= 1
MUTATION_TIMEOUT  ?= 60
MUTATION_MIN      ?= 85

$(GREMLINS):
	GOBIN=$(CURDIR)/.cache/bin $(GO) install github.com/go-gremlins/gremlins/cmd/gremlins@$(GREMLINS_VERSION)

mutation: $(GREMLINS)
	@mkdir -p .cache/mutation
	@for p in $(MUTATION_PACKAGES); do \
		n=$$(basename $$p); echo "==> gremlins unleash $$p (log: .cache/mutation/$$n.log)"; \
		(cd $$p && $(GREMLINS) unleash --workers $(MUTATION_WORKERS) --timeout-coefficient $(MUTATION_TIMEOUT) \
			-o $(CURDIR)/.cache/mutation/$$n.json) > .cache/mutation/$$n.log 2>&1 \
			|| { tail -20 .cache/mutation/$$n.log; exit 1; }; \
		grep -E '^ *LIVED' .cache/mutation/$$n.log || true; \
	done
	@echo; printf '%-16s %7s %6s %12s %10s %9s\n' package killed lived 'not covered' 'timed out' efficacy; \
	fail=0; for p in $(MUTATION_PACKAGES); do \
		n=$$(basename $$p); \
		line=$$(sed -n -e 's/^Killed: \([0-9]*\), Lived: \([0-9]*\), Not covered: \([0-9]*\).*/\1 \2 \3/p' .cache/mutation/$$n.log); \
		to=$$(sed -n -e 's/^Timed out: \([0-9]*\),.*/\1/p' .cache/mutation/$$n.log); \
		set -- $$line; \
		eff=$$(awk -v k=$$1 -v l=$$2 'BEGIN { if (k + l == 0) print "n/a"; else printf "%.1f%%", 100 * k / (k + l) }'); \
		printf '%-16s %7s %6s %12s %10s %9s\n' $$p $$1 $$2 $$3 $$to $$eff; \
		awk -v k=$$1 -v l=$$2 -v m=$(MUTATION_MIN) 'BEGIN { exit !(k + l > 0 && 100 * k / (k + l) < m) }' && fail=1; \
	done; \
	if [ $$fail = 1 ]; then echo "a package kills fewer than $(MUTATION_MIN)% of its covered mutants"; exit 1; fi

clean:
	rm -rf bin .aws-sam
