#!/usr/bin/env bash
# Fails, saying what to install, unless `node` is Node.js 20.10 or later: the polkadot.js tests
# run with `node --test --test-concurrency` (Debian 12 and Ubuntu 24.04 ship 18.x).
set -euo pipefail
if ! command -v node >/dev/null; then
	echo "Node.js is not installed: the polkadot.js tests need Node.js 20.10 or later." >&2
	exit 1
fi
node_version="$(node --version | sed 's/^v//')"
if ! printf '%s\n' 20.10.0 "$node_version" | sort -V -C; then
	echo "Node.js $node_version is too old: the polkadot.js tests need 20.10 or later." >&2
	echo "  Install a current LTS (https://nodejs.org, NodeSource packages, or nvm) and put its" >&2
	echo "  \`node\` first on PATH." >&2
	exit 1
fi
