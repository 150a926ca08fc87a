#!/usr/bin/env bash
# CLI speed and memory figures (docs/benchmarks.md):
#  - hashing: `owh publish --dry-run` on one 1 GiB file and on 4 x 256 MiB files, against
#    `sha256sum` and `openssl dgst -sha256` on the same files in the same run (warm cache);
#  - verify speed on the 1 GiB file;
#  - latency: publish to in-block and to finalized on a dev chain;
#  - memory: peak resident set of publish, install and verify on a 4 GiB file.
# Usage: scripts/bench-cli.sh [runs, default 3]. Needs ~14 GiB free in $TMPDIR.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
source "$OWH_ROOT/scripts/lib-bench.sh"
OWH_BIN="$CARGO_TARGET_DIR/$OWH_PROFILE/owh"
runs="${1:-3}"
work="$(mktemp -d -t owh-bench-XXXXXX)"
trap 'stop_dev_node; rm -rf "$work"' EXIT

# Peak RSS in MiB of one run of a command.
peak_rss() {
	/usr/bin/time -f '%M' "$@" 2>"$work/time.err" >/dev/null
	echo "$(( $(tail -n 1 "$work/time.err") / 1024 ))"
}

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "sha-ni: $(grep -q -w sha_ni /proc/cpuinfo && echo yes || echo no)"

mkdir -p "$work/single" "$work/multi"
head -c $((1024 * 1024 * 1024)) /dev/urandom >"$work/single/weights.bin"
for i in 1 2 3 4; do head -c $((256 * 1024 * 1024)) /dev/urandom >"$work/multi/shard-$i.bin"; done
cat "$work/single/weights.bin" "$work/multi/"* >/dev/null

# compare_hashing <title> <model dir>: sha256sum, openssl and owh publish --dry-run on its files.
compare_hashing() {
	local files=("$2"/*)
	echo
	echo "== hashing, $1 (best of $runs, warm cache)"
	local t_sum t_ssl t_owh
	t_sum="$(best sha256sum "${files[@]}")"
	t_ssl="$(best openssl dgst -sha256 "${files[@]}")"
	t_owh="$(best "$OWH_BIN" -q publish "$2" --repo bench/model --dry-run)"
	echo "sha256sum            ${t_sum} s"
	echo "openssl dgst -sha256 ${t_ssl} s"
	echo "owh publish --dry-run ${t_owh} s   (sha256sum/owh = $(ratio "$t_sum" "$t_owh")x, openssl/owh = $(ratio "$t_ssl" "$t_owh")x)"
}
compare_hashing "1 GiB single file" "$work/single"
compare_hashing "4 x 256 MiB files" "$work/multi"

echo
echo "== chain: publish latency, verify speed"
start_dev_node >/dev/null
# start_dev_node installs its own EXIT trap; put ours (which also stops the node) back.
trap 'stop_dev_node; rm -rf "$work"' EXIT
export OWH_URL="$OWH_WS_URL" OWH_STORE="$work/store" OWH_SURI=//Alice
"$OWH_BIN" -q repo create bench/model >/dev/null
small="$work/small"; mkdir -p "$small"; echo 1 >"$small/a.txt"
for i in $(seq 1 "$runs"); do
	echo "$i" >"$small/a.txt"
	python3 - "$OWH_BIN" "$small" <<'PY'
import json, subprocess, sys, time
t = time.perf_counter()
out = subprocess.run([sys.argv[1], "-q", "--json", "publish", sys.argv[2], "--repo", "bench/model"], check=True, capture_output=True).stdout
total = time.perf_counter() - t
v = json.loads(out)
print(f"publish (1 small file): in block after {v['in_block_seconds']:.2f} s, finalized after {v['finalized_seconds']:.2f} s "
      f"(from submission); process {total:.2f} s (hashing {v['hash_seconds']:.3f} s), block #{v['block_number']}")
PY
done
"$OWH_BIN" -q publish "$work/single" --repo bench/model -m "1 GiB" >/dev/null
t_ver="$(best "$OWH_BIN" -q verify "$work/single" --version bench/model)"
t_ssl="$(best openssl dgst -sha256 "$work/single/weights.bin")"
echo "owh verify, 1 GiB    ${t_ver} s   (openssl/owh = $(ratio "$t_ssl" "$t_ver")x)"

echo
echo "== memory: peak RSS on a 4 GiB file"
rm -rf "$work/single" "$work/multi"
mkdir -p "$work/big"
head -c $((4 * 1024 * 1024 * 1024)) /dev/urandom >"$work/big/weights.bin"
echo "publish  $(peak_rss "$OWH_BIN" -q publish "$work/big" --repo bench/model -m "4 GiB") MiB"
echo "install  $(peak_rss "$OWH_BIN" -q install bench/model --to "$work/installed") MiB"
echo "verify   $(peak_rss "$OWH_BIN" -q verify "$work/installed" --version bench/model) MiB"
