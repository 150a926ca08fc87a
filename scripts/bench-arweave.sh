#!/usr/bin/env bash
# Upload and install throughput of a model through Arweave (a local arlocal gateway) beside an
# HTTP mirror (`owh serve --writable`) on the same machine, in one run (docs/benchmarks.md).
# Two versions of the same bytes are published to the local store; one is mirrored to ar://,
# the other to the HTTP gateway, so each install into an empty store reads from one mirror only.
# Usage: scripts/bench-arweave.sh [MiB, default 1024]. Needs tests/arweave (scripts/setup.sh).
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
OWH_BIN="$CARGO_TARGET_DIR/$OWH_PROFILE/owh"
arweave_dir="$OWH_ROOT/tests/arweave"
mib="${1:-1024}"
work="$(mktemp -d -t owh-bench-arweave-XXXXXX)"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
	stop_dev_node
	rm -rf "$work"
}
trap cleanup EXIT
start_dev_node >/dev/null
trap cleanup EXIT
export OWH_URL="$OWH_WS_URL" OWH_STORE="$work/store" OWH_SURI=//Alice OWH_ALLOW_PRIVATE_MIRRORS=true
ar_port="$(free_port)"
gw="http://127.0.0.1:$ar_port"
(cd "$work" && exec node "$arweave_dir/node_modules/arlocal/bin/index.js" "$ar_port" --hidelogs \
	--dbpath arlocal-db) >"$work/arlocal.log" 2>&1 &
pids+=($!)
serve_port="$(free_port)"
export OWH_UPLOAD_TOKEN="bench-$RANDOM$RANDOM"
OWH_SERVE_TOKEN="$OWH_UPLOAD_TOKEN" "$OWH_BIN" -q --store "$work/serve-store" serve \
	--addr "127.0.0.1:$serve_port" --writable --max-upload $((8 * 1024 * 1024 * 1024)) \
	>"$work/serve.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do curl -sf "$gw/info" >/dev/null && break; sleep 0.2; done
wait_port "$serve_port"
export OWH_ARWEAVE_GATEWAY="$gw" OWH_ARWEAVE_WALLET="$work/wallet.json"
address="$(node "$arweave_dir/tool.mjs" wallet "$work/wallet.json")"
curl -sf "$gw/mint/$address/1000000000000000000" >/dev/null

mkdir -p "$work/model"
half=$((mib / 2))
head -c $((half * 1024 * 1024)) /dev/urandom >"$work/model/shard-1.bin"
head -c $(((mib - half) * 1024 * 1024)) /dev/urandom >"$work/model/shard-2.bin"
bytes=$((mib * 1024 * 1024))
"$OWH_BIN" -q repo create bench/arweave >/dev/null
v_ar="$("$OWH_BIN" -q publish "$work/model" --repo bench/arweave -m arweave --json | jq -r .version)"
v_http="$("$OWH_BIN" -q publish "$work/model" --repo bench/arweave -m http --json | jq -r .version)"

seconds() { python3 -c "import time; print(time.time())"; }
rate() { python3 -c "print(f'{$1 / ($3 - $2) / 2**20:.1f} MiB/s in {$3 - $2:.2f} s')"; }
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $mib MiB in 2 files"

# Upload: mirror add, which also waits for the mining (ar://) or the upload (HTTP) to finish.
t0="$(seconds)"
"$OWH_BIN" -q mirror add "$v_ar" ar:// --yes --json >"$work/ar.json" &
pid=$!
while kill -0 "$pid" 2>/dev/null; do curl -sf "$gw/mine" >/dev/null; sleep 1; done
wait "$pid"
t1="$(seconds)"
"$OWH_BIN" -q mirror add "$v_http" "http://127.0.0.1:$serve_port/v1/blobs" --json >/dev/null
t2="$(seconds)"
echo "upload  ar:// (arlocal, incl. mining each second): $(rate "$bytes" "$t0" "$t1")"
echo "upload  http:// (owh serve --writable):           $(rate "$bytes" "$t1" "$t2")"

# Install into an empty store, every chunk checked against the chain.
t0="$(seconds)"
"$OWH_BIN" -q --store "$work/empty-1" install "$v_ar" --to "$work/from-ar" --json >"$work/i-ar.json"
t1="$(seconds)"
"$OWH_BIN" -q --store "$work/empty-2" install "$v_http" --to "$work/from-http" --json >"$work/i-http.json"
t2="$(seconds)"
echo "install ar:// (arlocal):                          $(rate "$bytes" "$t0" "$t1")"
echo "install http:// (owh serve):                      $(rate "$bytes" "$t1" "$t2")"
jq -r '"sources: " + ([.files[].result.sources[].uri] | map(split("/")[0:3] | join("/")) | unique | join(", "))' "$work/i-ar.json"
jq -r '"sources: " + ([.files[].result.sources[].uri] | map(split("/")[0:3] | join("/")) | unique | join(", "))' "$work/i-http.json"
diff -r "$work/model" "$work/from-ar" && diff -r "$work/model" "$work/from-http" && echo "both installs match the model"
echo "Arweave cost: $(jq -r .arweave.cost "$work/ar.json") winston in $(jq -r '.arweave.transactions | length' "$work/ar.json") transactions"
