#!/usr/bin/env bash
# run.sh runs a command with moto_server (Python moto, on the machine
# image) listening on 127.0.0.1, speaking the S3, SES v2 and Cognito user
# pool HTTP APIs that the adapters in shared/ call:
#
#   infra/moto/run.sh go test -race ./shared/s3files/...
#
# It starts moto_server on a free port, exports MOTO_ENDPOINT, runs the
# command, stops the server however the command ends, and exits with the
# command's status. Tests that need it skip without MOTO_ENDPOINT, except
# in CI (CI=true), where they fail; so does this script when moto_server is
# missing in CI.
#
# Settings (environment):
#   MOTO_START_TIMEOUT  seconds to wait for it to answer (default 60)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
timeout="${MOTO_START_TIMEOUT:-60}"
logs="$root/.cache/moto/logs"

say() { printf 'moto: %s\n' "$*" >&2; }

if [ "$#" -eq 0 ]; then
	say "usage: $0 COMMAND [ARGS...]"
	exit 2
fi

if ! command -v moto_server >/dev/null 2>&1; then
	if [ "${CI:-}" == "true" ]; then
		say "moto_server was not found; the S3, SES and Cognito adapters are tested against it (pip install 'moto[server]')"
		exit 3
	fi
	say "moto_server was not found: the S3, SES and Cognito adapter tests will skip (CI fails them)"
	exec "$@"
fi

die() { say "$*"; exit 4; }
# shellcheck source=../ports.sh
. "$root/infra/ports.sh"

moto_pid=""
stop_moto() {
	stop_pid "$moto_pid"
	moto_pid=""
}
trap 'stop_moto' EXIT
trap 'stop_moto; exit 130' INT
trap 'stop_moto; exit 143' TERM

mkdir -p "$logs"
find "$logs" -name '*.log' -mtime +2 -delete 2>/dev/null || true
for attempt in 1 2 3; do
	port="$(free_port)"
	log="$logs/moto-$port-$$.log"
	moto_server -H 127.0.0.1 -p "$port" >"$log" 2>&1 &
	moto_pid=$!
	deadline=$((SECONDS + timeout))
	while [ "$SECONDS" -lt "$deadline" ]; do
		answers "$port" /moto-api/ && break
		kill -0 "$moto_pid" 2>/dev/null || break
		sleep 0.2
	done
	if answers "$port" /moto-api/; then
		export MOTO_ENDPOINT="http://127.0.0.1:$port"
		break
	fi
	stop_moto
	if grep -q -i 'address already in use' "$log"; then
		say "port $port was taken (attempt $attempt); trying another"
		continue
	fi
	say "moto_server did not answer on port $port within ${timeout}s; its log ($log):"
	cat "$log" >&2
	exit 4
done
[ -n "${MOTO_ENDPOINT:-}" ] || { say "moto_server could not bind a port after 3 attempts"; exit 4; }
say "moto_server at $MOTO_ENDPOINT, log $log"

set +e
"$@"
status=$?
set -e
stop_moto
exit "$status"
