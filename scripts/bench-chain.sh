#!/usr/bin/env bash
# Chain figures (docs/benchmarks.md), each with the CPU steal vmstat saw meanwhile:
#  - publish of a small model to in-block and to finalized, on the development chain (one node)
#    and on the consortium preset (four validators, zombienet/consortium-4.toml);
#  - registrations per second against transfers per second (tests/load, `owh-load`), on the
#    development chain and on three validators (zombienet/network-3.toml), in the same run.
# Usage: scripts/bench-chain.sh [publish runs, default 5] [transactions per kind, default 8000]
#        [sections, default dev,net3,consortium].
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
source "$OWH_ROOT/scripts/lib-bench.sh"
OWH_BIN="$CARGO_TARGET_DIR/$OWH_PROFILE/owh"
LOAD_BIN="$CARGO_TARGET_DIR/$OWH_PROFILE/owh-load"
for bin in "$OWH_NODE_BIN" "$OWH_BIN" "$LOAD_BIN" "$ZOMBIE_CLI_BIN"; do
	[ -x "$bin" ] || { echo "$bin is missing; run scripts/build.sh and scripts/setup-test-tools.sh" >&2; exit 1; }
done
runs="${1:-5}"
count="${2:-8000}"
sections=",${3:-dev,net3,consortium},"
work="$(mktemp -d -t owh-bench-chain-XXXXXX)"
zombie_pid=""
stop_network() {
	if [ -n "$zombie_pid" ]; then
		kill "$zombie_pid" 2>/dev/null || true
		wait "$zombie_pid" 2>/dev/null || true
	fi
	pkill -KILL -f -- "--base-path $work/" 2>/dev/null || true
	zombie_pid=""
}
trap 'steal_abort; stop_dev_node; stop_network; rm -rf "$work"' EXIT
export PATH="$(dirname "$OWH_NODE_BIN"):$PATH" OWH_STORE="$work/store" OWH_SURI=//Alice

# spawn_network <toml> <dir>: starts a zombienet network and sets $net_url to alice's RPC.
spawn_network() {
	"$ZOMBIE_CLI_BIN" spawn --provider native --node-verifier none --dir "$2" "$1" >"$2.log" 2>&1 &
	zombie_pid=$!
	for _ in $(seq 1 240); do
		[ -s "$2/zombie.json" ] && grep -q "network is up" "$2.log" && break
		kill -0 "$zombie_pid" 2>/dev/null || break
		sleep 1
	done
	[ -s "$2/zombie.json" ] || { echo "zombie-cli did not bring $1 up:" >&2; tail -30 "$2.log" >&2; exit 1; }
	net_url="$(jq -r '.relay.nodes[] | select(.name == "alice") | .ws_uri' "$2/zombie.json")"
	# Let every validator author once, so the timings below see the whole rotation.
	sleep 30
}

# publish_latency <url> <label>: $runs publishes of a one-file model, each waited to finality.
publish_latency() {
	local small="$work/small-$2" repo="bench/latency-$2"
	mkdir -p "$small"
	"$OWH_BIN" -q --url "$1" repo create "$repo" >/dev/null
	steal_start "$work/vmstat-$2"
	for i in $(seq 1 "$runs"); do
		echo "$2 $i" >"$small/a.txt"
		"$OWH_BIN" -q --json --url "$1" publish "$small" --repo "$repo"
	done >"$work/publish-$2.json"
	local steal
	steal="$(steal_stop "$work/vmstat-$2")"
	python3 - "$work/publish-$2.json" "$2" "$steal" <<'PY'
import json, statistics, sys
text, runs, dec = open(sys.argv[1]).read(), [], json.JSONDecoder()
while text.strip():
    value, end = dec.raw_decode(text.strip())
    runs.append(value)
    text = text.strip()[end:]
inb = [r["in_block_seconds"] for r in runs]
fin = [r["finalized_seconds"] for r in runs]
print(f"publish, {sys.argv[2]}: in block after {statistics.median(inb):.2f} s median "
      f"({min(inb):.2f}-{max(inb):.2f}), finalized after {statistics.median(fin):.2f} s median "
      f"({min(fin):.2f}-{max(fin):.2f}) = {statistics.median(fin) / 6:.2f} slots; {len(runs)} runs, steal {sys.argv[3]} %")
PY
}

# load <url> <label>: owh-load's registrations and transfers.
load() {
	steal_start "$work/vmstat-load-$2"
	"$LOAD_BIN" --url "$1" --count "$count" --accounts 64 >"$work/load-$2.out" 2>"$work/load-$2.err" ||
		{ cat "$work/load-$2.err" >&2; exit 1; }
	sed "s/^/[$2] /" "$work/load-$2.out"
	echo "[$2] steal $(steal_stop "$work/vmstat-load-$2") %"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
if [[ $sections == *,dev,* ]]; then
	echo "== development chain (one validator, --finality-lag 0)"
	start_dev_node >/dev/null
	trap 'steal_abort; stop_dev_node; stop_network; rm -rf "$work"' EXIT
	publish_latency "$OWH_WS_URL" dev
	load "$OWH_WS_URL" dev-1-node
	stop_dev_node
fi

if [[ $sections == *,net3,* ]]; then
	echo "== three validators, local_testnet preset (zombienet/network-3.toml, --finality-lag 1)"
	spawn_network "$OWH_ROOT/zombienet/network-3.toml" "$work/net3"
	load "$net_url" 3-nodes
	stop_network
fi

if [[ $sections == *,consortium,* ]]; then
	echo "== consortium preset, four validators (zombienet/consortium-4.toml, --finality-lag 1)"
	spawn_network "$OWH_ROOT/zombienet/consortium-4.toml" "$work/cons4"
	publish_latency "$net_url" consortium
	stop_network
fi
