#!/usr/bin/env bash
# End to end governance on a real `owh-node --dev`, driven by the real `owh` binary:
#  1. a runtime upgrade by referendum to this runtime with spec_version + 1 (built here by
#     scripts/build-upgrade-runtime.sh): proposed, voted, enacted; blocks keep being produced
#     and finalized, the registry, aliases and licenses read back unchanged and `owh` works on;
#  2. a force-yank by referendum, after which `owh install` refuses the version with the reason;
#  3. a council motion that adds a member;
# and the bad input of each path. Prints the upgrade's timeline (blocks and seconds).
set -uo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
OWH_BIN="${OWH_BIN:-$CARGO_TARGET_DIR/$OWH_PROFILE/owh}"
for bin in "$OWH_NODE_BIN" "$OWH_BIN"; do
	[ -x "$bin" ] || { echo "$bin is not built; run scripts/build.sh" >&2; exit 1; }
done

echo "== building the upgrade runtime (this runtime, spec_version + 1)"
build_started=$(date +%s)
upgrade_wasm="$("$OWH_ROOT/scripts/build-upgrade-runtime.sh")" || { echo "cannot build the upgrade runtime" >&2; exit 1; }
echo "built $upgrade_wasm in $(($(date +%s) - build_started)) s"

source "$OWH_ROOT/scripts/lib-test.sh"
work="$(mktemp -d -t owh-gov-XXXXXX)"
trap 'stop_dev_node; rm -rf "$work"' EXIT
start_dev_node || exit 1
trap 'stop_dev_node; rm -rf "$work"' EXIT
export OWH_URL="$OWH_WS_URL" OWH_STORE="$work/store" OWH_KEYSTORE="$work/keystore.json"
unset OWH_SURI OWH_KEY
repo=acme/governed
eve=5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw

# The four development accounts vote aye with 900,000 OWH each at conviction 1, in parallel.
vote_all() {
	local index="$1" pids=() rc=0
	for who in Alice Bob Charlie Dave; do
		"$OWH_BIN" -q --suri "//$who" gov vote "$index" aye --amount 900000 --conviction 1 \
			>"$work/vote-$who.log" 2>&1 &
		pids+=($!)
	done
	for pid in "${pids[@]}"; do wait "$pid" || rc=1; done
	[ $rc -eq 0 ] || cat "$work"/vote-*.log >&2
	return $rc
}
rpc() {
	curl -sf -H 'Content-Type: application/json' \
		-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$1\",\"params\":[${2:-}]}" \
		"http://127.0.0.1:$OWH_RPC_PORT"
}
finalized_number() {
	local hash
	hash="$(rpc chain_getFinalizedHead | jq -r .result)"
	printf '%d\n' "$(rpc chain_getHeader "\"$hash\"" | jq -r .result.number)"
}

# State the upgrade must keep: two versions, an alias, an offer and a license bought from it.
mkdir -p "$work/v1" "$work/v2"
head -c 300000 /dev/urandom >"$work/v1/weights.bin"
echo '{"layers": 2}' >"$work/v1/config.json"
cp -r "$work/v1/." "$work/v2/" && head -c 1000 /dev/urandom >>"$work/v2/weights.bin"
run --suri //Alice repo create "$repo"
run --suri //Alice publish "$work/v1" --repo "$repo" -m v1 --license Apache-2.0 --alias production --json
v1="$(json_field .version)"
run --suri //Alice publish "$work/v2" --repo "$repo" -m v2 --license Apache-2.0 --parent "$v1:fine-tune" --json
v2="$(json_field .version)"
run --suri //Alice license offer "$v1" --spdx Apache-2.0 --commercial --price 5 --json
run --suri //Bob license buy "$v1" --offer "$(json_field .offer)" --yes --json
check "published two versions, offered and sold a license" bash -c \
	"[[ '$v1' == bafkrei* && '$v2' == bafkrei* ]] && [ '$(json_field .license)' != null ]"
snapshot() {
	local keep='if type == "object" then del(.block) else . end'
	"$OWH_BIN" -q repo show "$repo" --json | jq -S "$keep" >"$work/$1-repo.json" &&
		"$OWH_BIN" -q log "$repo" --json | jq -S . >"$work/$1-log.json" &&
		"$OWH_BIN" -q alias history "$repo" production --json | jq -S . >"$work/$1-alias.json" &&
		"$OWH_BIN" -q license show "$v1" --json | jq -S . >"$work/$1-offers.json" &&
		"$OWH_BIN" -q --suri //Bob license list --json | jq -S "$keep" >"$work/$1-licenses.json"
}
check "registry, aliases and licenses read before the upgrade" snapshot before

# 1. A runtime upgrade by referendum.
run gov runtime --json
spec_before="$(json_field .spec_version)"
run gov propose upgrade --wasm "$upgrade_wasm"
rc=$?
check "propose upgrade needs a signing key (exit 1)" refused 'signing key'
run --suri //Alice gov propose upgrade --wasm "$OWH_ROOT/runtime/Cargo.toml"
rc=$?
check "a file that is no runtime is refused (exit 1)" refused 'not a wasm runtime'
head -c $((5 * 1024 * 1024)) /dev/zero >"$work/huge.wasm"
run --suri //Alice gov propose upgrade --wasm "$work/huge.wasm"
rc=$?
check "a preimage above 4 MiB is refused (exit 1, Preimage::TooBig)" refused 'Preimage::TooBig'
run --suri //Alice gov propose upgrade --wasm "$CARGO_TARGET_DIR/$OWH_PROFILE/wbuild/owh-runtime/owh_runtime.compact.compressed.wasm"
rc=$?
check "the running runtime again is refused (exit 1, SpecVersionNeedsToIncrease)" \
	refused 'System::SpecVersionNeedsToIncrease'
run gov list --json
check "nothing was submitted by the refused proposals" test "$(json_field .count)" = 0

upgrade_started=$(date +%s)
run --suri //Alice gov propose upgrade --wasm "$upgrade_wasm" --json
rc=$?
upgrade_index="$(json_field .index)"
proposed_block="$(json_field .receipt.block_number)"
check "propose upgrade: referendum on track root with its decision deposit (exit 0)" bash -c \
	"[ $rc -eq 0 ] && [ '$(json_field .track)' = root ] && [ '$(json_field .call)' = System::set_code ] && [ '$(json_field .decision_deposit)' != null ]"
run gov status "$upgrade_index" --json
check "status: System::set_code from system.Root, deciding or preparing" bash -c \
	"[ '$(json_field .proposal)' = System::set_code ] && [ '$(json_field .origin)' = system.Root ] && [[ '$(json_field .phase)' =~ ^(preparing|deciding)$ ]]"
check "Alice, Bob, Charlie and Dave vote aye" vote_all "$upgrade_index"
run --suri //Eve gov vote "$upgrade_index" aye --amount 5000000
rc=$?
check "voting with more than the balance is refused (exit 1, InsufficientFunds)" refused 'ConvictionVoting::InsufficientFunds'
run gov status "$upgrade_index" --wait --timeout 400 --json
rc=$?
check "the upgrade referendum is approved and its enactment block has passed (exit 0)" bash -c \
	"[ $rc -eq 0 ] && [ '$(json_field .phase)' = approved ]"
approved_block="$(json_field .finished_at)"
set_code_block="$(json_field .enactment.block)"
check "... set_code was dispatched without error" test "$(json_field .enactment.error)" = null
for _ in $(seq 1 30); do
	run gov runtime --json
	[ "$(json_field .spec_version)" = $((spec_before + 1)) ] && break
	sleep 2
done
enacted_block="$(json_field .block)"
upgrade_seconds=$(($(date +%s) - upgrade_started))
check "the chain runs spec_version $((spec_before + 1)) after enactment" test "$(json_field .spec_version)" = $((spec_before + 1))
echo "upgrade timeline: proposed in block #$proposed_block, approved in #$approved_block, set_code in #$set_code_block, spec_version $((spec_before + 1)) read at finalized #$enacted_block; $((set_code_block - proposed_block)) blocks and $upgrade_seconds s from the proposal to the new runtime"
finalized_then="$(finalized_number)"
sleep 15
check "blocks are still finalized after the upgrade" bash -c "[ $(finalized_number) -gt $finalized_then ]"
check "registry, aliases and licenses read after the upgrade" snapshot after
for part in repo log alias offers licenses; do
	check "... $part unchanged by the upgrade" diff "$work/before-$part.json" "$work/after-$part.json"
done
run --suri //Bob install "$repo@production" --to "$work/installed"
check "owh install (with Bob's license) works on the upgraded chain" has "$out$err" "every chunk verified"
check "... and installs the same bytes" diff -r "$work/v1" "$work/installed"
run gov vote "$upgrade_index" aye --suri //Alice --amount 1
rc=$?
check "voting on a finished referendum is refused (exit 1, NotOngoing)" refused 'Referenda::NotOngoing'

# 2. A force-yank by referendum.
reason="OWH-SA-2026-01: malware found in weights.bin"
run --suri //Alice gov propose yank "$repo@$v2" --reason "$reason" --enactment 0
rc=$?
check "an enactment below the track's minimum is refused (exit 1)" refused 'minimum'
# A real version id that was never committed: a dry run of another directory.
mkdir -p "$work/v3" && echo never >"$work/v3/never.txt"
run --suri //Alice publish "$work/v3" --repo "$repo" -m never --dry-run --json
unknown="$(json_field .version)"
run --suri //Alice gov propose yank "$unknown" --reason "$reason"
rc=$?
check "force-yank of an unknown version is refused (exit 4, not found)" missing 'does not exist'
run --suri //Alice gov propose transfer-repo nobody/nothing //Bob
rc=$?
check "force-transfer of an unknown repository is refused (exit 1)" refused 'Registry::UnknownRepository'
run --suri //Alice gov propose call 0x0000 --track registry_admin
rc=$?
check "a call on the wrong track is refused (exit 1)" refused 'needs the origin of track root'
run gov propose yank "$repo@$v2" --reason "$reason" --dry-run --json
yank_call="$(json_field .call_hex)"
check "a dry run encodes the force-yank without a key and submits nothing" bash -c \
	"[[ '$yank_call' == 0x* ]] && [ '$(json_field .track)' = registry_admin ]"
run --suri //Alice gov propose yank "$repo@$v2" --reason "$reason" --json
rc=$?
yank_index="$(json_field .index)"
check "propose yank: referendum on track registry_admin (exit 0)" bash -c \
	"[ $rc -eq 0 ] && [ '$(json_field .track)' = registry_admin ] && [ '$(json_field .call)' = Registry::force_yank_version ]"
run --suri //Alice gov vote "$yank_index" aye --amount 1
check "Alice votes 1 OWH first" test $? -eq 0
check "the votes for the yank" vote_all "$yank_index"
check "Alice's second vote replaces her first" has "$(cat "$work/vote-Alice.log")" "replaces your earlier vote of 1 OWH"
run gov status "$yank_index" --wait --timeout 400
rc=$?
check "the yank referendum is approved and its call enacted without error (exit 0)" bash -c \
	"[ $rc -eq 0 ] && grep -q 'approved at block' <<<\"\$1\" && grep -q 'enacted in block' <<<\"\$1\"" _ "$out"
run install "$repo@$v2" --to "$work/yanked"
rc=$?
check "owh install refuses the force-yanked version with the referendum's reason (exit 1)" refused "$reason"
check "... and says it was yanked by governance" has "$err" "by governance"
check "... and writes nothing" test ! -e "$work/yanked/weights.bin"
run show "$repo@$v2"
check "the version is still on chain (history is not rewritten)" has "$out" "version     $v2"
check "... marked yanked by governance with the reason" has "$out" "YANKED at"
run --suri //Alice gov propose yank "$repo@$v2" --reason again
rc=$?
check "yanking it again is refused (exit 1)" refused 'already yanked'
# The same call as a raw proposal passes the client's checks; the chain refuses it at enactment.
run --suri //Alice gov propose call "$yank_call" --json
failing_index="$(json_field .index)"
check "the same force-yank proposed again as a raw call (exit 0)" test "$(json_field .track)" = registry_admin
check "the votes for it" vote_all "$failing_index"
run gov status "$failing_index" --wait --timeout 400
rc=$?
check "status --wait reports the call's failure at enactment (exit 1, Registry::AlreadyYanked)" refused 'Registry::AlreadyYanked'
run show "$repo@$v2"
check "... and the yank is unchanged" has "$out" "$reason"
run --suri //Bob gov unvote "$yank_index" --json
check "unvote removes Bob's vote and unlocks" test $? -eq 0
run --suri //Bob gov unvote "$yank_index"
rc=$?
check "unvote without a vote is refused (exit 1, NotVoter)" refused 'ConvictionVoting::NotVoter'

# 3. A council motion that adds a member.
run --suri //Eve gov council propose add-member "$eve"
rc=$?
check "a motion by a non-member is refused (exit 1, NotMember)" refused 'Council::NotMember'
run --suri //Alice gov council propose add-member "$eve" --threshold 1
rc=$?
check "a threshold below the origin's 2/3 is refused (exit 1)" refused 'BadOrigin'
run --suri //Alice gov council propose add-member "$eve" --json
rc=$?
motion="$(json_field .index)"
check "council motion to add Eve (exit 0, 2 of 3)" bash -c "[ $rc -eq 0 ] && [ '$(json_field .threshold)' = 2 ]"
run --suri //Alice gov council close "$motion"
rc=$?
check "closing without the votes is refused (exit 1, TooEarly)" refused 'Council::TooEarly'
run --suri //Alice gov council vote "$motion" aye
run --suri //Alice gov council vote "$motion" aye
rc=$?
check "a second aye by the same member is refused (exit 1, DuplicateVote)" refused 'Council::DuplicateVote'
run --suri //Bob gov council vote "$motion" aye
run --suri //Charlie gov council close "$motion"
check "the motion closes approved and executed" has "$out" "approved and executed: Membership::add_member"
run gov council members --json
check "Eve is a council member" bash -c "jq -e --arg eve '$eve' '.members | index(\$eve)' '$work/stdout' >/dev/null"
run gov list
check "gov list shows the three referenda approved" bash -c "[ \$(grep -c approved <<<'$out') -eq 3 ]"

finish_checks governance
