#!/usr/bin/env bash
# Starts a real `owh-node --dev` on free ports and runs the polkadot.js tests against it.
set -euo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
[ -x "$OWH_NODE_BIN" ] || { echo "owh-node not built at $OWH_NODE_BIN; run scripts/build.sh" >&2; exit 1; }
"$OWH_ROOT/scripts/check-node.sh"
cd "$OWH_ROOT/tests/polkadotjs"
[ -d node_modules/@polkadot/api ] || npm ci --no-audit --no-fund --loglevel=error
export OWH_BIN="$CARGO_TARGET_DIR/$OWH_PROFILE/owh"
[ -x "$OWH_BIN" ] || { echo "owh not built at $OWH_BIN; run scripts/build.sh" >&2; exit 1; }
start_dev_node
OWH_WS_URL="$OWH_WS_URL" node --test --test-concurrency=1 ./*.test.mjs
