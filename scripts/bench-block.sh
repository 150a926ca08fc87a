#!/usr/bin/env bash
# `owh-node benchmark block` on blocks full of the largest commits: a dev chain is filled with
# COMMITS commits of 1,024 longest artifacts and 16 parents each (tests/polkadotjs/
# bench-fill-blocks.mjs), the node is stopped, and the blocks that hold them are re-executed
# REPEAT times on its database. Prints, per block, the measured time against the weight the
# block claimed, and the share of the 6-second slot.
#
#   scripts/bench-block.sh [COMMITS] [REPEAT]    (defaults 12 and 10)
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
commits="${1:-12}"
repeat="${2:-10}"
[ -x "$OWH_NODE_BIN" ] || "$OWH_ROOT/scripts/build.sh"

start_dev_node
cd "$OWH_ROOT/tests/polkadotjs"
[ -d node_modules/@polkadot/api ] || npm ci --no-audit --no-fund --loglevel=error
read -r from to < <(OWH_WS_URL="$OWH_WS_URL" node bench-fill-blocks.mjs "$commits")
echo "the $commits commits are in blocks #$from to #$to"
# Let the blocks finalize, then stop the node but keep its database.
sleep 15
kill "$OWH_NODE_PID" && wait "$OWH_NODE_PID" 2>/dev/null || true
OWH_NODE_PID=""

"$OWH_NODE_BIN" benchmark block --chain dev --base-path "$OWH_BASE_PATH" \
	--from "$from" --to "$to" --repeat "$repeat" 2>&1 | tee "$OWH_BASE_PATH/bench-block.log"
echo "slot: 6000 ms; each block's time above is the share of its 2000 ms weight limit it used"
