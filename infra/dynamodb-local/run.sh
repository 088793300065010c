#!/usr/bin/env bash
# run.sh runs a command with AWS DynamoDB Local listening on 127.0.0.1:
#
#   infra/dynamodb-local/run.sh go test -race ./shared/dynamo/...
#
# It fetches DynamoDB Local once, from the npm package that ships it
# (amplify-dynamodb-simulator: emulator/DynamoDBLocal.jar and its native
# SQLite libraries), into the git-ignored .cache/ of the checkout. It then
# starts it in memory on a free port, exports DYNAMODB_ENDPOINT, runs the
# command, stops Java however the command ends, and exits with the
# command's status. A fresh machine needs only Node/npm (first run) and Java.
#
# Settings (environment):
#   DYNAMODB_LOCAL_CACHE          cache folder (default <repo>/.cache/dynamodb-local)
#   DYNAMODB_LOCAL_START_TIMEOUT  seconds to wait for it to answer (default 60)
#   DYNAMODB_LOCAL_JAVA_OPTS      extra JVM options (e.g. -Xmx2g)
set -euo pipefail

# The pinned package and its registry integrity (npm view
# amplify-dynamodb-simulator@VERSION dist.integrity): a changed tarball is
# refused rather than run.
readonly VERSION=2.9.30
readonly INTEGRITY='sha512-xTeeRLvzEfqyd5lh3bH4c0kHvSHHmmhD5ZDsHFKAQ5g2Zl6JqlFdutaQhCLHzxEp6Ry1o7TB6niIoXuQAnSewQ=='

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${DYNAMODB_LOCAL_CACHE:-$root/.cache/dynamodb-local}"
emulator="$cache/amplify-dynamodb-simulator-$VERSION/emulator"
timeout="${DYNAMODB_LOCAL_START_TIMEOUT:-60}"

say() { printf 'dynamodb-local: %s\n' "$*" >&2; }
die() { say "$*"; exit 1; }

if [ "$#" -eq 0 ]; then
	say "usage: $0 COMMAND [ARGS...]"
	exit 2
fi

# need_java fails with the install command when Java 17 (or newer) is absent.
need_java() {
	if ! command -v java >/dev/null 2>&1; then
		say "java was not found; DynamoDB Local needs Java 17. Install it with:"
		say "  apt-get install -y openjdk-17-jre-headless"
		exit 3
	fi
	local v major
	v="$(java -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n1)"
	major="${v%%.*}"
	if [ -n "$major" ] && [ "$major" -lt 17 ] 2>/dev/null; then
		say "java $v is too old; DynamoDB Local needs Java 17. Install it with:"
		say "  apt-get install -y openjdk-17-jre-headless"
		exit 3
	fi
}

# fetch unpacks the pinned emulator into the cache unless it is there.
# A lock keeps parallel runs from fetching twice, and the unpacked folder is
# moved into place in one rename, so a half-fetched cache is never used.
fetch() {
	[ -f "$emulator/DynamoDBLocal.jar" ] && return 0
	mkdir -p "$cache"
	exec 9>"$cache/.lock"
	if command -v flock >/dev/null 2>&1; then flock 9; fi
	if [ -f "$emulator/DynamoDBLocal.jar" ]; then exec 9>&-; return 0; fi
	command -v npm >/dev/null 2>&1 || die "npm was not found; it is needed once to fetch DynamoDB Local (apt-get install -y npm)"
	local tmp tgz got
	tmp="$(mktemp -d "$cache/fetch.XXXXXX")"
	say "fetching amplify-dynamodb-simulator@$VERSION (DynamoDB Local) into $cache, once"
	if ! (cd "$tmp" && npm pack "amplify-dynamodb-simulator@$VERSION" --silent >/dev/null 2>"$tmp/npm.log"); then
		cat "$tmp/npm.log" >&2
		rm -rf "$tmp"
		die "npm pack amplify-dynamodb-simulator@$VERSION failed"
	fi
	tgz="$tmp/amplify-dynamodb-simulator-$VERSION.tgz"
	got="sha512-$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tgz")"
	if [ "$got" != "$INTEGRITY" ]; then
		rm -rf "$tmp"
		die "the downloaded package's integrity $got is not the pinned $INTEGRITY"
	fi
	tar -xzf "$tgz" -C "$tmp" package/emulator
	[ -f "$tmp/package/emulator/DynamoDBLocal.jar" ] || { rm -rf "$tmp"; die "the package holds no emulator/DynamoDBLocal.jar"; }
	mkdir -p "$(dirname "$emulator")"
	mv "$tmp/package/emulator" "$emulator"
	rm -rf "$tmp"
	exec 9>&-
}

# shellcheck source=../ports.sh
. "$root/infra/ports.sh"

java_pid=""
stop_java() {
	stop_pid "$java_pid"
	java_pid=""
}
trap 'stop_java' EXIT
trap 'stop_java; exit 130' INT
trap 'stop_java; exit 143' TERM

# start launches DynamoDB Local in memory and waits until it answers; it
# tries another port if the chosen one was taken in the meantime.
start() {
	mkdir -p "$cache/logs"
	find "$cache/logs" -name '*.log' -mtime +2 -delete 2>/dev/null || true
	local attempt port deadline
	for attempt in 1 2 3; do
		port="$(free_port)"
		log="$cache/logs/dynamodb-local-$port-$$.log"
		# DynamoDB Local has no bind-address flag: it listens on every
		# interface of this machine; everything here talks to 127.0.0.1.
		# shellcheck disable=SC2086 # DYNAMODB_LOCAL_JAVA_OPTS holds several words
		# It runs in the cache folder because it writes a metadata file into
		# its working directory, which must not litter the checkout.
		(cd "$cache" && exec java ${DYNAMODB_LOCAL_JAVA_OPTS:-} -Djava.library.path="$emulator/DynamoDBLocal_lib" \
			-jar "$emulator/DynamoDBLocal.jar" -inMemory -port "$port" -disableTelemetry) \
			>"$log" 2>&1 &
		java_pid=$!
		deadline=$((SECONDS + timeout))
		while [ "$SECONDS" -lt "$deadline" ]; do
			if answers "$port"; then
				export DYNAMODB_ENDPOINT="http://127.0.0.1:$port"
				return 0
			fi
			kill -0 "$java_pid" 2>/dev/null || break
			sleep 0.2
		done
		if kill -0 "$java_pid" 2>/dev/null; then
			stop_java
			say "DynamoDB Local did not answer on port $port within ${timeout}s; its log ($log):"
			cat "$log" >&2
			exit 4
		fi
		java_pid=""
		if grep -q -i -E 'address already in use|BindException' "$log"; then
			say "port $port was taken (attempt $attempt); trying another"
			continue
		fi
		say "DynamoDB Local exited before answering; its log ($log):"
		cat "$log" >&2
		exit 4
	done
	die "DynamoDB Local could not bind a port after 3 attempts"
}

need_java
fetch
start
say "DynamoDB Local $VERSION (package) at $DYNAMODB_ENDPOINT, log $log"

set +e
"$@"
status=$?
set -e
stop_java
exit "$status"
