#!/usr/bin/env bash
# owh-node's standard subcommands against the real binary: chain specs and their properties,
# a dev chain that produces and finalizes blocks, export-blocks and purge-chain.
set -uo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
[ -x "$OWH_NODE_BIN" ] || { echo "owh-node not built at $OWH_NODE_BIN; run scripts/build.sh" >&2; exit 1; }

source "$OWH_ROOT/scripts/lib-test.sh"

work="$(mktemp -d -t owh-cli-XXXXXX)"
trap 'stop_dev_node; rm -rf "$work"' EXIT

"$OWH_NODE_BIN" build-spec --chain dev >"$work/dev.json" 2>/dev/null
check "build-spec --chain dev sets OWH / 12 decimals / ss58 42" python3 - "$work/dev.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
assert spec["properties"] == {"tokenSymbol": "OWH", "tokenDecimals": 12, "ss58Format": 42}, spec["properties"]
assert spec["id"] == "owh_dev"
PY

"$OWH_NODE_BIN" export-chain-spec --chain local >"$work/local.json" 2>/dev/null
# Validators are seated through the session: session keys in genesis, no Aura or GRANDPA list.
check "local_testnet preset: Alice, Bob and Charlie validate with session keys, 10-block sessions" python3 - "$work/local.json" <<'PY'
import json, sys
patch = json.load(open(sys.argv[1]))["genesis"]["runtimeGenesis"]["patch"]
keys = patch["session"]["keys"]
assert [k[0] for k in keys] == [
    "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY",
    "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty",
    "5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y",
], keys
assert all(set(k[2]) == {"aura", "grandpa"} for k in keys), keys
assert "aura" not in patch and "grandpa" not in patch, patch.keys()
assert patch["validatorSet"]["sessionLength"] == 10, patch["validatorSet"]
PY
check "local_testnet preset has no sudo key and seats a council of 3" python3 - "$work/local.json" <<'PY'
import json, sys
patch = json.load(open(sys.argv[1]))["genesis"]["runtimeGenesis"]["patch"]
assert "sudo" not in patch, patch.get("sudo")
assert len(patch["membership"]["members"]) == 3, patch["membership"]
PY

"$OWH_NODE_BIN" export-chain-spec --chain consortium >"$work/consortium.json" 2>/dev/null
check "consortium preset: 4 validators, 4 council members, no sudo, production periods" python3 - "$work/consortium.json" <<'PY'
import json, sys
spec = json.load(open(sys.argv[1]))
patch = spec["genesis"]["runtimeGenesis"]["patch"]
assert spec["chainType"] == "Live", spec["chainType"]
assert len(patch["session"]["keys"]) == 4, patch["session"]
assert len({k[2]["grandpa"] for k in patch["session"]["keys"]}) == 4, patch["session"]
assert patch["validatorSet"]["sessionLength"] == 600, patch["validatorSet"]
assert len(patch["membership"]["members"]) == 4, patch["membership"]
assert "sudo" not in patch, patch.get("sudo")
assert patch["origins"]["developmentPeriods"] is False, patch["origins"]
PY

"$OWH_NODE_BIN" build-spec --chain dev --raw >"$work/dev-raw.json" 2>/dev/null
check "build-spec --raw produces raw genesis storage" python3 -c \
	'import json,sys; assert "raw" in json.load(open(sys.argv[1]))["genesis"]' "$work/dev-raw.json"

# A dev chain on a persistent base path, so the database outlives the node.
start_dev_node
trap 'stop_dev_node; rm -rf "$work"' EXIT
finalized_number() {
	curl -sf -H 'Content-Type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"chain_getFinalizedHead","params":[]}' \
		"http://127.0.0.1:$OWH_RPC_PORT" |
		python3 -c 'import json,sys; print(json.load(sys.stdin)["result"])' |
		xargs -I{} curl -sf -H 'Content-Type: application/json' \
			-d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader","params":["{}"]}' \
			"http://127.0.0.1:$OWH_RPC_PORT" |
		python3 -c 'import json,sys; print(int(json.load(sys.stdin)["result"]["number"], 16))'
}
reached=0
for _ in $(seq 1 60); do
	reached="$(finalized_number 2>/dev/null || echo 0)"
	[ "$reached" -ge 3 ] && break
	sleep 1
done
check "owh-node --dev finalizes blocks (finalized #$reached)" test "$reached" -ge 3
metrics="$(curl -sf "http://127.0.0.1:$OWH_PROM_PORT/metrics" || true)"
check "Prometheus metrics are served" grep -q 'substrate_block_height' <<<"$metrics"
base="$OWH_BASE_PATH"
kill "$OWH_NODE_PID" && wait "$OWH_NODE_PID" 2>/dev/null
OWH_NODE_PID=""

"$OWH_NODE_BIN" export-blocks --chain dev --base-path "$base" --from 1 --to 3 "$work/blocks.json" 2>"$work/export.log"
check "export-blocks writes blocks 1..3" python3 - "$work/blocks.json" <<'PY'
import json, sys
text, decoder, blocks, pos = open(sys.argv[1]).read(), json.JSONDecoder(), [], 0
while pos < len(text):
    block, pos = decoder.raw_decode(text, pos)
    blocks.append(block)
    while pos < len(text) and text[pos].isspace():
        pos += 1
numbers = [int(b["block"]["header"]["number"], 16) for b in blocks]
assert numbers == [1, 2, 3], numbers
PY

db_dir="$(find "$base/chains" -maxdepth 3 -type d -name 'paritydb' | head -n 1)"
check "the node stores its state in ParityDB" test -n "$db_dir"
"$OWH_NODE_BIN" purge-chain --chain dev --base-path "$base" -y >/dev/null 2>&1
purge_rc=$?
# Only meaningful when there was a database to remove: an empty $db_dir must fail, not pass.
check "purge-chain exits 0 and removes the database" \
	bash -c '[ "$1" -eq 0 ] && [ -n "$2" ] && [ ! -d "$2" ]' _ "$purge_rc" "$db_dir"

finish_checks "node cli"
