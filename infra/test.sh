#!/usr/bin/env bash
# The project's one test command (`make test`, `.ci/run`). On a fresh
# machine it does its own set-up: Go modules, the pinned npm tools and
# DynamoDB Local (each cached under .cache/ after the first run).
#
#   RACE=0 infra/test.sh          skip the race detector (about 3x faster)
#   infra/test.sh ./shared/...    test only some packages
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*" >&2; }

step "Go modules"
go mod download

step "gofmt"
mapfile -t unformatted < <(find . -name '*.go' -not -path './.cache/*' -not -path './.aws-sam/*' \
	-not -path '*/node_modules/*' -not -path './.git/*' -print0 | xargs -0 gofmt -l)
if ((${#unformatted[@]} > 0)); then
	echo "These files need gofmt -w:" >&2
	printf '  %s\n' "${unformatted[@]}" >&2
	exit 1
fi

packages=("$@")
if ((${#packages[@]} == 0)); then packages=(./...); fi

step "go vet ${packages[*]}"
go vet "${packages[@]}"

step "cfn-lint template.yaml"
# The machine image has cfn-lint (with aws-sam-translator); in CI a missing
# linter fails the run rather than skipping the check.
if command -v cfn-lint >/dev/null 2>&1; then
	cfn-lint template.yaml
elif [[ "${CI:-}" == "true" ]]; then
	echo "cfn-lint is not installed; it checks template.yaml" >&2
	exit 1
else
	echo "cfn-lint is not installed: skipping the template lint (CI runs it)" >&2
fi

step "npm tools"
npm_bin="$(infra/npm-tools/install.sh)"
ASL_VALIDATOR="$npm_bin/asl-validator"
export ASL_VALIDATOR
# The browser tests inject axe-core into every page they reach and fail on
# any WCAG 2.1 A or AA violation; in CI they fail without it.
AXE_CORE="$(dirname "$npm_bin")/axe-core/axe.min.js"
export AXE_CORE

step "chromium"
# The browser tests (shared/pages) drive Debian's chromium; in CI a missing
# browser fails them, so install it when it is not there.
if ! command -v chromium >/dev/null 2>&1; then
	export DEBIAN_FRONTEND=noninteractive
	sudo=()
	if [[ "$(id -u)" != "0" ]] && command -v sudo >/dev/null 2>&1; then sudo=(sudo -E); fi
	if ! { "${sudo[@]}" apt-get install -y -qq chromium >/dev/null 2>&1 ||
		{ "${sudo[@]}" apt-get update -qq >/dev/null 2>&1 && "${sudo[@]}" apt-get install -y -qq chromium >/dev/null 2>&1; }; }; then
		echo "Could not install chromium for the browser tests; install it with: apt-get install chromium" >&2
	fi
fi

# The race detector finds data races in the stores, the engine and the
# handlers; it costs 2–10x CPU, which fits CI's budget on 2 cores.
race=(-race)
if [[ "${RACE:-1}" == "0" ]]; then race=(); fi

step "go test ${race[*]} ${packages[*]} (with DynamoDB Local and moto_server)"
# run.sh starts DynamoDB Local, exports DYNAMODB_ENDPOINT, runs the command,
# stops DynamoDB Local and exits with the command's code. -vet=off because
# go vet has just checked these packages with all its analysers, a superset
# of the ones go test would run again.
# infra/moto/run.sh likewise starts moto_server (S3, SES, Cognito) and
# exports MOTO_ENDPOINT.
exec bash infra/dynamodb-local/run.sh bash infra/moto/run.sh go test "${race[@]}" -vet=off -timeout 60m "${packages[@]}"
