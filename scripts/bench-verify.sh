#!/usr/bin/env bash
# `owh verify` against `openssl dgst -sha256` on the same bytes, warm cache, best of N, in one run
# (docs/benchmarks.md): a 1 GiB single file and 4 GiB of shards (4 x 1 GiB), each published to
# a dev chain first. owh's time includes process start and the chain queries.
# Usage: scripts/bench-verify.sh [runs, default 3]. Needs ~10 GiB free in $TMPDIR (the files and
# the local store's copies).
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
source "$OWH_ROOT/scripts/lib-bench.sh"
OWH_BIN="$CARGO_TARGET_DIR/$OWH_PROFILE/owh"
runs="${1:-3}"
work="$(mktemp -d -t owh-bench-verify-XXXXXX)"
trap 'steal_abort; stop_dev_node; rm -rf "$work"' EXIT
start_dev_node >/dev/null
trap 'steal_abort; stop_dev_node; rm -rf "$work"' EXIT
export OWH_URL="$OWH_WS_URL" OWH_STORE="$work/store" OWH_SURI=//Alice
"$OWH_BIN" -q repo create bench/verify >/dev/null

mkdir -p "$work/single" "$work/shards"
head -c $((1 << 30)) /dev/urandom >"$work/single/weights.bin"
for i in 1 2 3 4; do head -c $((1 << 30)) /dev/urandom >"$work/shards/shard-$i.bin"; done
declare -A ids
for set in single shards; do
	ids[$set]="$("$OWH_BIN" -q publish "$work/$set" --repo bench/verify --alias "$set" --json | jq -r .version)"
done

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), sha-ni: $(grep -q -w sha_ni /proc/cpuinfo && echo yes || echo no)"
for set in single shards; do
	files=("$work/$set"/*)
	cat "${files[@]}" >/dev/null
	steal_start "$work/vmstat-$set"
	t_ssl="$(best openssl dgst -sha256 "${files[@]}")"
	# By alias, hashing waits for the chain's answer; by id, it starts from the store's copy of
	# the manifest while the chain is asked.
	t_alias="$(best "$OWH_BIN" -q verify "$work/$set" --version "bench/verify@$set")"
	t_owh="$(best "$OWH_BIN" -q verify "$work/$set" --version "${ids[$set]}")"
	steal="$(steal_stop "$work/vmstat-$set")"
	bytes="$(cat "${files[@]}" | wc -c)"
	echo "$set ($(gib_s "$bytes" 1) GiB): openssl ${t_ssl} s, owh verify by id ${t_owh} s ($(gib_s "$bytes" "$t_owh") GiB/s), openssl/owh = $(ratio "$t_ssl" "$t_owh")x; by alias ${t_alias} s, openssl/owh = $(ratio "$t_ssl" "$t_alias")x; steal ${steal} %"
done
