#!/usr/bin/env bash
# The network suite, on a real network of four validators and a full node spawned by zombie-cli
# (native provider) from zombienet/network-4.toml, driven by the `owh` binary and plain JSON-RPC:
#  1. all four author blocks and finality advances;
#  2. governance (a council motion) adds a fifth validator, Eve, whose node joins from the
#     chain spec and registers keys rotated with an ownership proof: she authors, and votes in
#     GRANDPA (finality continues with Dave paused, which needs her vote);
#  3. governance removes her: she stops authoring at the session boundary;
#  4. one of four validators stopped: blocks and finality continue; two stopped: finality
#     stalls, and resumes when one is back; no finalized block is ever reverted;
#  5. a validator killed with SIGKILL restarts on its database and catches up to the same
#     finalized hash; so does a new node killed while it imports the chain from genesis;
#  6. `owh publish` through one node, `owh install` and `owh verify` through another.
# Prints the figures docs/benchmarks.md reports (decision to first authored block, finality lag
# with 4, 3 and 2 of 4 up, catch-up time, wall time).
set -uo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
OWH_BIN="${OWH_BIN:-$CARGO_TARGET_DIR/$OWH_PROFILE/owh}"
for bin in "$OWH_NODE_BIN" "$OWH_BIN" "$ZOMBIE_CLI_BIN"; do
	[ -x "$bin" ] || { echo "$bin is missing; run scripts/build.sh and scripts/setup-test-tools.sh" >&2; exit 1; }
done
source "$OWH_ROOT/scripts/lib-test.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
suite_started=$(date +%s)
work="$(mktemp -d -t owh-net-XXXXXX)"
net="$work/net"
export PATH="$(dirname "$OWH_NODE_BIN"):$PATH"
export OWH_STORE="$work/store" OWH_KEYSTORE="$work/keystore.json"
unset OWH_SURI OWH_KEY
zombie_pid=""
cleanup() {
	[ -n "$zombie_pid" ] && kill "$zombie_pid" 2>/dev/null
	# Nodes this suite restarted or started itself are not zombie-cli's children.
	pkill -CONT -f -- "$work/" 2>/dev/null
	pkill -KILL -f -- "--base-path $work/" 2>/dev/null
	wait 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT

echo "== spawning zombienet/network-4.toml (4 validators + 1 full node)"
"$ZOMBIE_CLI_BIN" spawn --provider native --node-verifier none --dir "$net" \
	"$OWH_ROOT/zombienet/network-4.toml" >"$work/zombie.log" 2>&1 &
zombie_pid=$!
for _ in $(seq 1 240); do
	[ -s "$net/zombie.json" ] && grep -q "network is up" "$work/zombie.log" && break
	kill -0 "$zombie_pid" 2>/dev/null || break
	sleep 1
done
if ! [ -s "$net/zombie.json" ]; then
	echo "zombie-cli did not bring the network up; its log:" >&2
	tail -50 "$work/zombie.log" >&2
	exit 1
fi
echo "network up in $(($(date +%s) - suite_started)) s"

node_field() { jq -r --arg n "$1" ".relay.nodes[] | select(.name == \$n) | $2" "$net/zombie.json"; }
declare -A ws http
for name in alice bob charlie dave ferdie; do
	ws[$name]="$(node_field "$name" .ws_uri)"
	http[$name]="http://${ws[$name]#ws://}"
done
spec="$(node_field alice '.inner.args as $a | $a | index("--chain") as $i | $a[$i + 1]')"
export OWH_URL="${ws[alice]}"
owh() { "$OWH_BIN" -q "$@"; }
rpc() {
	local url="${http[$1]:-$1}"
	curl -sf --max-time 5 -H 'Content-Type: application/json' \
		-d "{\"id\":1,\"jsonrpc\":\"2.0\",\"method\":\"$2\",\"params\":[${3:-}]}" "$url"
}
best() { printf '%d\n' "$(rpc "$1" chain_getHeader | jq -r .result.number)"; }
finalized() {
	local hash
	hash="$(rpc "$1" chain_getFinalizedHead | jq -r .result)" || return 1
	printf '%d\n' "$(rpc "$1" chain_getHeader "\"$hash\"" | jq -r .result.number)"
}
hash_at() { rpc "$1" chain_getBlockHash "$2" | jq -r .result; }
finalized_above() { [ "$(finalized "$1")" -gt "$2" ]; }
# The GRANDPA authority set has $1 members (a SCALE vector's compact length, below 64).
grandpa_set_size() {
	[ "$(rpc alice state_call '"GrandpaApi_grandpa_authorities","0x"' | jq -r .result | cut -c3-4)" = "$(printf '%02x' $(($1 * 4)))" ]
}
synced_with_alice() { [ "$(best "$1")" -ge "$(($(best alice) - 2))" ]; }
pid_of() { pgrep -f -- "--name $1 " | head -1; }
# `wait_until <seconds> <command...>`: polls every 2 s.
wait_until() {
	local deadline=$(($(date +%s) + $1))
	shift
	while [ "$(date +%s)" -lt "$deadline" ]; do
		"$@" 2>/dev/null && return 0
		sleep 2
	done
	return 1
}
# Finalized (number, hash) pairs seen during the suite; none may ever change.
finalized_seen=()
note_finalized() {
	local n
	n="$(finalized alice)" && finalized_seen+=("$n:$(hash_at alice "$n")")
}
# Best minus finalized on alice every 3 s for $1 seconds: prints "min avg max" and how far the
# finalized head moved.
lag_samples() {
	local end=$(($(date +%s) + $1)) lags=() f0 f1
	f0="$(finalized alice)"
	while [ "$(date +%s)" -lt "$end" ]; do
		lags+=($(($(best alice) - $(finalized alice))))
		sleep 3
	done
	f1="$(finalized alice)"
	printf '%s\n' "${lags[@]}" | sort -n | awk -v moved=$((f1 - f0)) \
		'{ s += $1; v[NR] = $1 } END { printf "%d %.1f %d %d\n", v[1], s / NR, v[NR], moved }'
}
validators() { owh --json validator list; }
active_count() { validators | jq '.active | length'; }
authored_by() { validators | jq -r --arg a "$1" '.active[] | select(.account == $a) | .authored_blocks'; }

alice=5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY
eve=5HGjWAeFDfFCWPsjFQdVV2Msvz2XtMktvgocEZcCj68kUMaw

echo "== 1. four validators author, finality advances"
all_four_authored() { [ "$(validators | jq '[.active[] | select(.authored_blocks > 0)] | length')" = 4 ]; }
check "the session has four validators" test "$(active_count)" = 4
check "all four author blocks within one session" wait_until 150 all_four_authored
f_start="$(finalized alice)"
check "finality advances" wait_until 60 finalized_above alice "$((f_start + 2))"
note_finalized

echo "== 2. governance adds a fifth validator"
mapfile -t ports < <(free_ports 3)
eve_p2p="${ports[0]}" eve_rpc="${ports[1]}" eve_prom="${ports[2]}"
eve_log="$work/eve.log"
# As the runbook says: a node key first (a validator refuses to start without one).
"$OWH_NODE_BIN" key generate-node-key --chain "$spec" --base-path "$work/eve" 2>/dev/null
"$OWH_NODE_BIN" --chain "$spec" --name eve --base-path "$work/eve" --validator \
	--port "$eve_p2p" --rpc-port "$eve_rpc" --prometheus-port "$eve_prom" --no-telemetry \
	--bootnodes "$(node_field alice .multiaddr)" -lerror,grandpa=info >"$eve_log" 2>&1 &
http[eve]="http://127.0.0.1:$eve_rpc"
check "Eve's node joins and syncs" wait_until 90 synced_with_alice eve
check "Eve registers keys rotated on her node with an ownership proof" \
	owh --suri //Eve validator keys --node "ws://127.0.0.1:$eve_rpc"
owh --suri //Eve validator keys --node "ws://127.0.0.1:$eve_rpc" >/dev/null 2>"$work/err"
check "a second key change inside the cooldown is refused" grep -q KeyChangeTooSoon "$work/err"
# A council motion (Alice proposes, Alice and Bob vote aye: 2 of 3) for `validator propose-$1 //Eve`;
# prints the block that executed it.
council_decides() {
	local motion
	motion="$(owh --suri //Alice --json validator "propose-$1" //Eve --council | jq -r .index)"
	[[ "$motion" =~ ^[0-9]+$ ]] || return 1
	owh --suri //Alice gov council vote "$motion" aye >/dev/null || return 1
	owh --suri //Bob gov council vote "$motion" aye >/dev/null || return 1
	owh --suri //Bob --json gov council close "$motion" >"$work/close.json" || return 1
	[ "$(jq -r .executed "$work/close.json")" = true ] || return 1
	jq -r .receipt.block_number "$work/close.json"
}
decided_at=$(date +%s)
decision_block="$(council_decides add)"
check "a council motion adds Eve (block #${decision_block:-?})" test -n "$decision_block"
joins_in="$(validators | jq -r '.session + 2')"
eve_authors() { [ "$(authored_by "$eve")" -gt 0 ] 2>/dev/null; }
if wait_until 240 eve_authors; then
	first_block="$(best alice)"
	first_secs=$(($(date +%s) - decided_at))
	first_session="$(validators | jq -r .session)"
else
	first_block="" first_secs="" first_session=""
fi
check "Eve authors in session ${first_session:-?}, the first she is active in (${joins_in:-?})" \
	test "${first_session:-x}" = "$joins_in"
# Five authorities need four GRANDPA votes: with Dave paused, finality needs Eve's.
check "GRANDPA's authority set has five members" wait_until 60 grandpa_set_size 5
kill -STOP "$(pid_of dave)"
f_paused="$(finalized alice)"
eve_votes() { grandpa_set_size 5 && finalized_above alice "$((f_paused + 2))"; }
check "Eve votes in GRANDPA: with five authorities, finality advances with Dave paused" \
	wait_until 60 eve_votes
kill -CONT "$(pid_of dave)"
note_finalized

echo "== 3. governance removes Eve"
removal_block="$(council_decides remove)"
check "a council motion removes Eve (block #${removal_block:-?})" test -n "$removal_block"
# The session the removal takes effect in (read at or just after the deciding block).
removed_from="$(validators | jq -r '.session + 2')"
at_session() { [ "$(validators | jq .session)" -ge "$1" ]; }
check "session $removed_from starts" wait_until 240 at_session "$removed_from"
check "Eve is not in the active set of session $removed_from" test -z "$(authored_by "$eve")"
check "the four others author in it" wait_until 90 all_four_authored
check "GRANDPA's authority set is back to four" grandpa_set_size 4
kill "$(pgrep -f -- "--name eve ")" 2>/dev/null
note_finalized

echo "== 4. validators stopped: one of four, then two"
read -r lag4_min lag4_avg lag4_max moved4 <<<"$(lag_samples 30)"
kill -STOP "$(pid_of dave)"
read -r lag3_min lag3_avg lag3_max moved3 <<<"$(lag_samples 36)"
check "3 of 4 up: finality continues (moved $moved3 blocks in 36 s)" test "$moved3" -gt 2
note_finalized
kill -STOP "$(pid_of charlie)"
b_before="$(best alice)"
read -r lag2_min lag2_avg lag2_max moved2 <<<"$(lag_samples 36)"
check "2 of 4 up: blocks continue" test "$(best alice)" -gt "$((b_before + 2))"
check "2 of 4 up: finality stalls (moved $moved2 blocks in 36 s)" test "$moved2" -le 1
stalled_at="$(finalized alice)"
kill -CONT "$(pid_of charlie)"
resumed_at=$(date +%s)
check "finality resumes when a third is back" wait_until 90 finalized_above alice "$((stalled_at + 2))"
resume_secs=$(($(date +%s) - resumed_at))
kill -CONT "$(pid_of dave)"
note_finalized

echo "== 5. a validator killed with SIGKILL, and a node killed during import, restart on their databases"
bob_pid="$(pid_of bob)"
mapfile -d '' bob_cmd </proc/"$bob_pid"/cmdline
kill -KILL "$bob_pid"
sleep 20
target="$(finalized alice)"
target_hash="$(hash_at alice "$target")"
restarted_at=$(date +%s)
# The same command line, with the service's start-up line logged.
"${bob_cmd[@]}" -lsc_service=info >"$work/bob-restart.log" 2>&1 &
bob_caught_up() {
	[ "$(finalized bob)" -ge "$target" ] && [ "$(hash_at bob "$target")" = "$target_hash" ]
}
check "bob reopens its database and reaches the same finalized hash" wait_until 120 bob_caught_up
catch_up_secs=$(($(date +%s) - restarted_at))
reopened_at="$(grep -o 'Highest known block at #[0-9]*' "$work/bob-restart.log" | grep -o '[0-9]*$')"
check "bob reopened its database at #${reopened_at:-?}, not at genesis" test "${reopened_at:-0}" -gt 0
# A new full node syncing the chain from genesis, killed while it imports: it restarts where its
# database stopped, not at genesis, and catches up.
mapfile -t ports < <(free_ports 2)
frank=("$OWH_NODE_BIN" --chain "$spec" --name frank --base-path "$work/frank" --port "${ports[0]}"
	--rpc-port "${ports[1]}" --no-prometheus --no-telemetry --bootnodes "$(node_field alice .multiaddr)"
	-lerror,sc_service=info)
http[frank]="http://127.0.0.1:${ports[1]}"
sync_target="$(best alice)"
"${frank[@]}" >"$work/frank.log" 2>&1 &
frank_pid=$!
importing() { local n; n="$(best frank)" && [ "$n" -gt 0 ] && [ "$n" -lt "$((sync_target - 10))" ]; }
for _ in $(seq 1 600); do importing 2>/dev/null && break; sleep 0.05; done
kill -KILL "$frank_pid"
wait "$frank_pid" 2>/dev/null
target="$(finalized alice)"
target_hash="$(hash_at alice "$target")"
restarted_at=$(date +%s)
"${frank[@]}" >"$work/frank-restart.log" 2>&1 &
frank_caught_up() {
	[ "$(finalized frank)" -ge "$target" ] && [ "$(hash_at frank "$target")" = "$target_hash" ]
}
check "a syncing node killed during import reaches the same finalized hash after a restart" \
	wait_until 120 frank_caught_up
sync_resume_secs=$(($(date +%s) - restarted_at))
resumed_from="$(grep -o 'Highest known block at #[0-9]*' "$work/frank-restart.log" | grep -o '[0-9]*$')"
# The kill is aimed at the import (a poll every 50 ms), but ~90 small blocks import in well
# under a second, so it can land after the last one: the figures say where it landed.
check "it restarted on its database, not at genesis (killed at #${resumed_from:-?} of #$sync_target)" \
	test "${resumed_from:-0}" -gt 0
kill "$(pgrep -f -- "--name frank ")" 2>/dev/null
note_finalized

echo "== 6. publish through alice, install and verify through the full node"
mkdir -p "$work/model"
head -c 2000000 /dev/urandom >"$work/model/weights.bin"
echo '{"layers": 4}' >"$work/model/config.json"
owh --suri //Alice repo create acme/networked >/dev/null
owh --suri //Alice --json publish "$work/model" --repo acme/networked -m net --license Apache-2.0 >"$work/pub.json"
version="$(jq -r .version "$work/pub.json")"
check "published through alice" test "$version" != null
ferdie_sees() { [ "$(OWH_URL=${ws[ferdie]} "$OWH_BIN" -q --json show "$version" | jq -r .version)" = "$version" ]; }
check "the full node sees the version once finalized" wait_until 60 ferdie_sees
check "installed through the full node" owh --url "${ws[ferdie]}" install "$version" --to "$work/installed"
check "verified through the full node" owh --url "${ws[ferdie]}" verify "$work/installed" --version "$version"
check "the installed bytes are the published ones" cmp "$work/model/weights.bin" "$work/installed/weights.bin"

echo "== 7. proven reads across the authority-set changes above (Eve added, then removed)"
"$OWH_NODE_BIN" build-spec --chain "$spec" --raw >"$work/raw-spec.json" 2>/dev/null
check "owh trust init anchors the network at its genesis" \
	owh --anchors "$work/anchors" trust init --chain-spec "$work/raw-spec.json"
owh --anchors "$work/anchors" --url "${ws[alice]}" --json trust show >"$work/trust.json" 2>"$work/trust.err" || true
check "trust show follows every GRANDPA set change from the genesis set ($(jq -r .set_changes_followed "$work/trust.json" 2>/dev/null) followed)" \
	bash -c '[ "$(jq -r .set_changes_followed "$1")" -ge 2 ] || { cat "$2" >&2; false; }' _ "$work/trust.json" "$work/trust.err"
check "the anchor keeps the newest set as a checkpoint" \
	test "$(jq -r .set_id "$work/anchors/"*.json)" = "$(jq -r .set_id "$work/trust.json")"
check "a proven install through the full node" \
	owh --anchors "$work/anchors" --url "${ws[ferdie]}" install "$version" --to "$work/installed-proven"

reverted=0
for seen in "${finalized_seen[@]}"; do
	n="${seen%%:*}" h="${seen#*:}"
	[ "$(hash_at alice "$n")" = "$h" ] && [ "$(hash_at ferdie "$n")" = "$h" ] || reverted=$((reverted + 1))
done
check "no finalized block was reverted (${#finalized_seen[@]} checked on two nodes)" test "$reverted" -eq 0

echo "== figures"
echo "decision (block #$decision_block) to Eve's first authored block: $((${first_block:-0} - decision_block)) blocks, ${first_secs:-?} s (polled every 2 s)"
echo "finality lag (best - finalized), min/avg/max: 4 of 4 up $lag4_min/$lag4_avg/$lag4_max; 3 of 4 $lag3_min/$lag3_avg/$lag3_max; 2 of 4 $lag2_min/$lag2_avg/$lag2_max (finalized moved $moved4, $moved3, $moved2 blocks in 30-36 s)"
echo "finality resumed ${resume_secs} s after the third validator came back"
echo "restarted validator caught up in ${catch_up_secs} s; the node killed during import (#${resumed_from:-?} of #$sync_target) caught up in ${sync_resume_secs} s"
echo "network suite wall time: $(($(date +%s) - suite_started)) s"
finish_checks "network"
