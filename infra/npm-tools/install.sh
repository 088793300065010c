#!/usr/bin/env bash
# Installs the npm tools the tests use (asl-validator, and axe-core for the
# browser tests' accessibility checks; pinned in package-lock.json) into
# .cache/npm-tools-<lock hash>, once; later runs reuse them until the lock
# file changes. The directory is named after the lock file so checkouts
# with different locks, sharing one .cache, never replace each other's
# tools. Prints the directory of their executables; axe-core's script is
# at ../axe-core/axe.min.js from it.
#
#   ASL_VALIDATOR="$(infra/npm-tools/install.sh)/asl-validator"
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"

if ! command -v npm >/dev/null 2>&1; then
	echo "npm is needed for asl-validator. Install Node.js 18 or later (Debian/Ubuntu: apt-get install nodejs npm)." >&2
	exit 1
fi

want="$(sha256sum "$here/package-lock.json" | cut -d' ' -f1)"
dest="$root/.cache/npm-tools-${want:0:12}"
stamp="$dest/.installed-from"
if [[ ! -f "$stamp" || "$(cat "$stamp")" != "$want" || ! -x "$dest/node_modules/.bin/asl-validator" || ! -f "$dest/node_modules/axe-core/axe.min.js" ]]; then
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
