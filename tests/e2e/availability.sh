#!/usr/bin/env bash
# End to end: the validator's off-chain worker probes a version's HTTP mirrors on a real
# `owh-node --dev` (sessions of 10 blocks) and reports through an authorized transaction. Three
# real `owh serve` gateways hold the version: one serves it intact, one serves wrong bytes
# (its blob overwritten after the upload; its chunk list is still right) and one hangs (the
# gateway is replaced by a socket that accepts and never answers). `owh show` must report the
# first as serving and the others as failing for the right reason, and `owh install` must then
# go to the serving mirror first although it was added last.
set -uo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
source "$OWH_ROOT/scripts/lib-test.sh"
OWH_BIN="${OWH_BIN:-$CARGO_TARGET_DIR/$OWH_PROFILE/owh}"
for bin in "$OWH_NODE_BIN" "$OWH_BIN"; do
	[ -x "$bin" ] || { echo "$bin is not built; run scripts/build.sh" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "jq is missing; run scripts/setup.sh" >&2; exit 1; }

work="$(mktemp -d -t owh-availability-XXXXXX)"
pids=()
cleanup() {
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null; done
	stop_dev_node
	rm -rf "$work"
}
trap cleanup EXIT
start_dev_node || exit 1
trap cleanup EXIT
export OWH_URL="$OWH_WS_URL" OWH_KEYSTORE="$work/keystore.json"
unset OWH_SURI OWH_KEY OWH_STORE

gateway() { # <store> <port>: a writable `owh serve` on loopback.
	"$OWH_BIN" --store "$1" serve --addr "127.0.0.1:$2" --writable >>"$work/gateways.log" 2>&1 &
	pids+=($!)
	wait_port "$2"
}

# Alice publishes a 3 MiB file in 1 MiB chunks, so a probe needs the chunk list.
mkdir -p "$work/model"
head -c $((3 * 1024 * 1024)) /dev/urandom >"$work/model/weights.bin"
hex="$(sha256sum "$work/model/weights.bin" | cut -d' ' -f1)"
export OWH_STORE="$work/alice-store"
run --suri //Alice repo create acme/probed
run --suri //Alice publish "$work/model" --repo acme/probed -m probed --json
version="$(json_field .version)"
check "Alice published the version" bash -c "[[ '$version' == bafkrei* ]]"

# The mirrors, added hung first and good last: without the validators' reports an install would
# try them in that order.
read -r hung_port bad_port good_port <<<"$(free_ports 3 | xargs)"
for name in hung bad good; do
	port_var="${name}_port"
	gateway "$work/$name-store" "${!port_var}" || exit 1
	run --suri //Alice mirror add "$version" "http://127.0.0.1:${!port_var}/v1/blobs"
	check "the $name mirror is added" test "$last_rc" -eq 0
done
head -c $((3 * 1024 * 1024)) /dev/urandom >"$work/bad-store/objects/sha256/$hex"
check "the bad mirror still has a chunk list matching the root" \
	cmp -s "$work/bad-store/objects/sha256/$hex.leaves" "$work/alice-store/objects/sha256/$hex.leaves"
kill "${pids[0]}" && wait "${pids[0]}" 2>/dev/null
hung_server "$hung_port" &
pids+=($!)
wait_port "$hung_port"

# The worker probes once per session (10 blocks, about a minute) and the report takes a block.
probed() { run show "$version" --json && [ "$(jq '.availability | length' "$work/stdout")" -ge 3 ]; }
started=$(date +%s)
for _ in $(seq 1 60); do probed && break; sleep 3; done
echo "    the report arrived $(($(date +%s) - started)) s after the mirrors were in place"
outcome() { jq -c --arg u "http://127.0.0.1:$1/v1/blobs" '.availability[] | select(.uri == $u) | .last_outcome' "$work/stdout"; }
check "the validator reported all three mirrors" probed
check "the good mirror is reported serving" equal "$(outcome "$good_port")" '"served"'
check "the good mirror was seen serving by the validator" equal \
	"$(jq --arg u "http://127.0.0.1:$good_port/v1/blobs" '.availability[] | select(.uri == $u) | [.serving, (.witnesses | length), .consecutive_failures] | tostring' -r "$work/stdout")" \
	'[true,1,0]'
check "the mirror serving other bytes is reported as wrong bytes" equal "$(outcome "$bad_port")" '"wrong_bytes"'
check "the hung mirror is reported as timed out" equal "$(outcome "$hung_port")" '"timed_out"'
# (A report from before the mirrors were broken may have seen them serve: last_success keeps it.)
check "both failing mirrors are not serving and count their failures" equal \
	"$(jq '[.availability[] | select(.serving | not) | .consecutive_failures >= 1] | tostring' -r "$work/stdout")" '[true,true]'
run_loud show "$version"
check "owh show says which mirror served wrong bytes" has "$out" "$bad_port/v1/blobs served WRONG BYTES"
check "owh show says which mirror timed out" has "$out" "$hung_port/v1/blobs timed out"

# Installing with no local copy: the serving mirror first, so neither failure is met.
export OWH_STORE="$work/empty-store"
run install "$version" --to "$work/installed" --json --io-timeout 3
check "the install succeeds" test "$last_rc" -eq 0
check "every byte came from the mirror the validator saw serving" equal \
	"$(jq -r '[.files[].result.sources[].uri] | unique | join(" ")' "$work/stdout")" \
	"http://127.0.0.1:$good_port/v1/blobs/$hex"
check "no failing mirror was tried" equal "$(jq '[.files[].result.problems[]] | length' "$work/stdout")" 0
check "the installed file is the published one" cmp -s "$work/installed/weights.bin" "$work/model/weights.bin"

finish_checks availability
