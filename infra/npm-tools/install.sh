#!/usr/bin/env bash
# Installs the npm tools the tests use (asl-validator, pinned in
# package-lock.json) into .cache/npm-tools, once; later runs reuse them
# until the lock file changes. Prints the directory of their executables.
#
#   ASL_VALIDATOR="$(infra/npm-tools/install.sh)/asl-validator"
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
dest="$root/.cache/npm-tools"

if ! command -v npm >/dev/null 2>&1; then
	echo "npm is needed for asl-validator. Install Node.js 18 or later (Debian/Ubuntu: apt-get install nodejs npm)." >&2
	exit 1
fi

stamp="$dest/.installed-from"
want="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -x "$dest/node_modules/.bin/asl-validator" ]]; then
	echo "Installing npm tools into $dest (once)…" >&2
	rm -rf "$dest"
	mkdir -p "$dest"
	cp "$here/package.json" "$here/package-lock.json" "$dest/"
	# npm ci installs exactly the lock file; its output goes to stderr so
	# stdout carries only the path.
	(cd "$dest" && npm ci --no-audit --no-fund --ignore-scripts --loglevel=error 1>&2)
	echo "$want" >"$stamp"
fi
echo "$dest/node_modules/.bin"
