#!/usr/bin/env bash
# End to end: storage proofs through the real `owh` binary against a real `owh-node --dev`
# (rounds of 10 blocks). Dave keeps a three-file version in his own store and runs the
# answering daemon: every challenge is answered and none is missed. Eve pledges a one-segment
# version and then loses that segment (it is zeroed in her store): her challenges are missed,
# her stake is slashed and her reputation drops. Midway the node restarts on its database and
# the daemons reconnect.
#
# OWH_PROOF_ROUNDS (default 4) sets how many rounds Dave's daemon must answer; 20 rounds are
# the 200 blocks of issue 14 (about 20 minutes).
set -uo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
OWH_BIN="${OWH_BIN:-$CARGO_TARGET_DIR/$OWH_PROFILE/owh}"
for bin in "$OWH_NODE_BIN" "$OWH_BIN"; do
	[ -x "$bin" ] || { echo "$bin is not built; run scripts/build.sh" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "jq is missing; run scripts/setup.sh" >&2; exit 1; }

source "$OWH_ROOT/scripts/lib-test.sh"

rounds="${OWH_PROOF_ROUNDS:-4}"
period=10
work="$(mktemp -d -t owh-storage-proofs-XXXXXX)"
daemons=()
cleanup() {
	for pid in "${daemons[@]}"; do kill "$pid" 2>/dev/null; done
	stop_dev_node
	rm -rf "$work"
}
trap cleanup EXIT
start_dev_node || exit 1
trap cleanup EXIT
export OWH_URL="$OWH_WS_URL" OWH_KEYSTORE="$work/keystore.json"
unset OWH_SURI OWH_KEY OWH_STORE

best_block() {
	curl -s -H 'Content-Type: application/json' \
		-d '{"id":1,"jsonrpc":"2.0","method":"chain_getHeader","params":[]}' \
		"http://127.0.0.1:$OWH_RPC_PORT" | jq -r '.result.number' | xargs printf '%d\n'
}
failed_saying() { [ "$last_rc" -ne 0 ] && has "$err" "$1"; }
wait_for_block() { # <number>: up to 7 s per block to come.
	local target="$1" now
	now="$(best_block)"
	for _ in $(seq 1 $(((target - now) * 7 + 30))); do
		[ "$(best_block)" -ge "$target" ] && return 0
		sleep 1
	done
	return 1
}

# Alice publishes "kept" (three files, about 1.1 MiB, 64 KiB chunks: 278 segments) and "lost"
# (one 4 KiB file: one segment).
mkdir -p "$work/kept" "$work/lost"
head -c $((1024 * 1024 + 12345)) /dev/urandom >"$work/kept/weights.bin"
head -c 70000 /dev/urandom >"$work/kept/tokenizer.bin"
echo '{"model": "kept"}' >"$work/kept/config.json"
head -c 4096 /dev/urandom >"$work/lost/weights.bin"
kept_bytes="$(cat "$work"/kept/* | wc -c)"
export OWH_STORE="$work/alice-store"
run --suri //Alice repo create acme/kept
run --suri //Alice publish "$work/kept" --repo acme/kept -m kept --chunk-size 65536 --json
kept="$(json_field .version)"
run --suri //Alice publish "$work/lost" --repo acme/kept -m lost --json
lost="$(json_field .version)"
check "Alice published two versions" bash -c "[[ '$kept' == bafkrei* && '$lost' == bafkrei* ]]"

# Alice keeps the bytes only in her store (the manifests record no URI): providers fetch
# them from it, mounted here and named with --from.
alice_blobs="file://$work/alice-store/objects/sha256"

# Providers, with their own stores; bad input is refused before anything is submitted.
export OWH_STORE="$work/dave-store"
run --suri //Dave provider pledge "$kept" --from "$alice_blobs" --term 2000
check "pledging before registering is refused" refused "is not a provider"
run --suri //Dave provider register --endpoint https://dave.example --capacity 0
check "a zero capacity is refused" failed_saying "not a positive size"
run --suri //Dave provider register --endpoint https://dave.example --capacity 1M --json
check "Dave registers with 100 OWH staked" equal "$(json_field .stake)" 100000000000000
run --suri //Dave provider pledge "$kept" --from "$alice_blobs" --term 2000
check "a version larger than the free capacity is refused" refused "needs $kept_bytes bytes"
run --suri //Dave provider update --endpoint https://dave.example --capacity 10M
check "Dave raises his capacity" test "$last_rc" -eq 0
run --suri //Dave provider pledge "$kept" --from "$alice_blobs" --term 50
check "a term below the chain's MinTerm is refused (TermTooShort)" refused "TermTooShort"
run --suri //Dave provider pledge "$kept" --from "$alice_blobs" --term 2000 --json
check "Dave pledges the kept version (pledge 0, all its bytes)" bash -c \
	"[ '$(json_field .pledge)' = 0 ] && [ '$(json_field .bytes)' = $kept_bytes ]"
check "the pledge fetched every artifact into Dave's store, verified" bash -c \
	"[ \$(find '$work/dave-store/objects/sha256' -type f ! -name '*.leaves' | wc -l) -eq 3 ]"
run --suri //Dave provider pledge "$kept" --from "$alice_blobs" --term 2000
check "a second pledge of the same version is refused (AlreadyPledged)" refused "AlreadyPledged"

export OWH_STORE="$work/eve-store"
run --suri //Eve provider register --endpoint https://eve.example --capacity 1M &&
	run --suri //Eve provider pledge "$lost" --from "$alice_blobs" --term 2000 --json
check "Eve registers and pledges the one-segment version (pledge 1)" equal "$(json_field .pledge)" 1
# Eve loses the segment: its bytes are zeroed in her store (the size stays).
lost_blob="$(find "$work/eve-store/objects/sha256" -type f ! -name '*.leaves')"
dd if=/dev/zero of="$lost_blob" bs=4096 count=1 conv=notrunc status=none
unset OWH_STORE

# The daemons.
"$OWH_BIN" --suri //Dave --store "$work/dave-store" provider run --json \
	>"$work/dave.log" 2>"$work/dave.err" &
daemons+=($!)
"$OWH_BIN" --suri //Eve --store "$work/eve-store" provider run \
	>"$work/eve.log" 2>"$work/eve.err" &
daemons+=($!)
start="$(best_block)"
# Two rounds in, the node restarts on its database: the daemons reconnect and keep answering.
wait_for_block $((start + 2 * period))
before_restart="$(best_block)"
answers_before="$(grep -c '"challenge"' "$work/dave.log")"
restart_dev_node
check "the node restarted on its database" test "$(best_block)" -ge "$before_restart"
# `rounds` whole rounds after the next one starts, and the one that closes the last.
wait_for_block $((start + (rounds + 2) * period))
check "the chain advanced $(((rounds + 2) * period)) blocks" test $? -eq 0
check "Dave's daemon reconnected after the restart" grep -q "reconnecting" "$work/dave.err"
check "and answered again after it" test "$(grep -c '"challenge"' "$work/dave.log")" -gt "$answers_before"

run --suri //Dave provider status --json
cp "$work/stdout" "$work/dave.json"
answered="$(jq -r .answered "$work/dave.json")"
check "Dave answered at least $((2 * rounds)) challenges (2 per round)" test "$answered" -ge $((2 * rounds))
check "Dave missed none" equal "$(jq -r .missed "$work/dave.json")" 0
check "Dave's stake is whole" equal "$(jq -r .stake "$work/dave.json")" 100000000000000
check "Dave's history shows answered challenges only" \
	equal "$(jq '[.pledges[0].history[] | select(.answered == null)] | length' "$work/dave.json")" 0
check "the daemon logged an answer for each" test "$(grep -c '"challenge"' "$work/dave.log")" -ge "$answered"

run --suri //Eve provider status --json
cp "$work/stdout" "$work/eve.json"
eve_missed="$(jq -r .missed "$work/eve.json")"
check "Eve missed her challenges" test "$eve_missed" -ge 2
check "Eve answered none" equal "$(jq -r .answered "$work/eve.json")" 0
check "each miss slashed 10% of Eve's stake" python3 -c "
stake = int('$(jq -r .stake "$work/eve.json")')
expected = 100 * 10**12
for _ in range(int('$eve_missed')):
    expected -= expected // 10
assert stake == expected, (stake, expected)"
check "Eve's reputation dropped by 100 per miss" \
	equal "$(jq -r .reputation "$work/eve.json")" $((1000 - 100 * eve_missed))
check "Eve's daemon said why it could not answer" has "$(cat "$work/eve.err")" "the segment is lost or damaged"
check "4 misses in a row ended Eve's pledge" bash -c \
	"[ '$eve_missed' -ge 4 ] && [ \$(jq '.pledges | length' '$work/eve.json') -eq 0 ]"
run --suri //Eve provider status
check "the status counts the misses" has "$out" "$eve_missed missed"

# Figures: the daemon's answer latency, from the challenge seen to the answer finalized.
# Answers confirmed from the chain after a reconnect have no time to finality.
jq -s '{answers: length,
	confirmed_after_reconnect: (map(select(.confirmed_after_reconnect)) | length),
	proof_us: {min: (map(.proof_us) | min), max: (map(.proof_us) | max)},
	finalized_ms: (map(.finalized_ms // empty) | {min: min, avg: (add / length | floor), max: max})}' \
	<(grep '"challenge"' "$work/dave.log") | sed 's/^/# /'

finish_checks "storage proofs"
