#!/usr/bin/env bash
# End to end: gated promotion through the real `owh` binary against a real `owh-node --dev`,
# the seed's fraud-detection example. The council registers two attestors (a CI system, Dave,
# and an evaluation lab, Eve); Alice protects `production` with `recall >= 0.97` and
# `false_positive_rate <= 0.01` from two attestors; both attest the first candidate (Eve signs
# off-chain and Ferdie submits it for her) and the promotion passes; a second candidate attested
# at recall 0.95 is refused naming `recall`. Ferdie disputes Eve's attestation, the council
# upholds it: Eve's bond is slashed (half to Ferdie), `production` is flagged and `owh install`
# warns. A dispute the council rejects pays its bond to the attestor. A `staging` gate that asks
# for the council's approval moves only after a motion approves the version. Balances are
# printed.
set -uo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
OWH_BIN="${OWH_BIN:-$CARGO_TARGET_DIR/$OWH_PROFILE/owh}"
for bin in "$OWH_NODE_BIN" "$OWH_BIN"; do
	[ -x "$bin" ] || { echo "$bin is not built; run scripts/build.sh" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "jq is missing; run scripts/setup.sh" >&2; exit 1; }

source "$OWH_ROOT/scripts/lib-test.sh"

work="$(mktemp -d -t owh-promotion-XXXXXX)"
trap 'stop_dev_node; rm -rf "$work"' EXIT
start_dev_node || exit 1
trap 'stop_dev_node; rm -rf "$work"' EXIT
export OWH_URL="$OWH_WS_URL" OWH_STORE="$work/store" OWH_KEYSTORE="$work/keystore.json"
unset OWH_SURI OWH_KEY
repo=acme/fraud-detector
OWH=1000000000000

# A council motion by Alice, with ayes from Alice and Bob, closed by Charlie (two thirds of
# three).
motion() {
	run --suri //Alice gov council propose "$@" --json || { echo "    $err" >&2; return 1; }
	local index
	index="$(json_field .index)"
	# The two ayes are independent transactions: sent at once.
	"$OWH_BIN" -q --suri //Alice gov council vote "$index" aye >"$work/aye-alice.log" 2>&1 &
	local alice=$!
	"$OWH_BIN" -q --suri //Bob gov council vote "$index" aye >"$work/aye-bob.log" 2>&1 ||
		{ cat "$work/aye-bob.log" >&2; wait "$alice"; return 1; }
	wait "$alice" || { cat "$work/aye-alice.log" >&2; return 1; }
	run --suri //Charlie gov council close "$index" || { echo "    $err" >&2; return 1; }
	has "$out" "approved and executed"
}
# Free and held balance of an account, in planck.
free() { "$OWH_BIN" -q balance "$1" --json | jq -r '.[0].free'; }
held() { "$OWH_BIN" -q balance "$1" --json | jq -r '.[0].reserved'; }
in_owh() { [ "$1" = - ] && echo - || awk -v x="$1" -v s="$OWH" 'BEGIN { printf "%.4f", x / s }'; }

# Two candidates of the fraud detector.
for name in v1 v2; do
	mkdir -p "$work/$name"
	head -c 200000 /dev/urandom >"$work/$name/weights.bin"
	echo "{\"model\": \"fraud-$name\"}" >"$work/$name/config.json"
done
echo '{"recall": 0.98, "false_positive_rate": 0.01, "dataset": "fraud-eval-2026"}' >"$work/report-v1.json"
echo '{"recall": 0.95, "false_positive_rate": 0.01, "dataset": "fraud-eval-2026"}' >"$work/report-v2.json"
echo 'rerun of the evaluation gives recall 0.91 on fraud-eval-2026' >"$work/rerun.txt"
run --suri //Alice repo create "$repo"
run --suri //Alice publish "$work/v1" --repo "$repo" -m "candidate 1" --license Apache-2.0 --json
v1="$(json_field .version)"
run --suri //Alice publish "$work/v2" --repo "$repo" -m "candidate 2" --license Apache-2.0 --parent "$v1:fine-tune" --json
v2="$(json_field .version)"
check "published two candidates" bash -c "[[ '$v1' == bafkrei* && '$v2' == bafkrei* ]]"

# Governance registers the attestors.
run --suri //Alice gov council propose register-attestor //Dave --name ci.example.org --metric 'recall rate'
check "an invalid metric name is refused before proposing (exit 1)" refused 'invalid metric name'
check "the council registers the CI attestor (Dave)" motion register-attestor //Dave \
	--name ci.example.org --metric recall --metric false_positive_rate
check "the council registers the evaluation lab (Eve)" motion register-attestor //Eve \
	--name eval-lab.example.org --metric recall --metric false_positive_rate --metric precision
run --suri //Alice gov council propose register-attestor //Dave --name again --metric recall
check "registering an attestor twice is refused (exit 1, AlreadyAttestor)" refused 'Promotion::AlreadyAttestor'
run attestor list --json
check "two attestors, each with a 100 OWH bond held" bash -c \
	"[ \$(jq length '$work/stdout') = 2 ] && [ \$(jq -r '[.[].bond] | unique | .[0]' '$work/stdout') = $((100 * OWH)) ]"
eve_held_registered="$(held //Eve)"

# Alice protects production.
run --suri //Alice alias protect "$repo" production --require 'recall>=0.9' --require 'recall<=0.8'
check "contradictory thresholds are refused (exit 1, ContradictoryThresholds)" refused 'Promotion::ContradictoryThresholds'
run --suri //Alice alias protect "$repo" production --require 'recall=0.97'
check "a threshold without >= or <= is refused (exit 1)" refused 'invalid threshold'
run --suri //Bob alias protect "$repo" production --require 'recall>=0.97'
check "only the owner protects an alias (exit 1)" refused 'is not the owner'
run --suri //Alice alias protect "$repo" production --require 'recall>=0.97' \
	--require 'false_positive_rate<=0.01' --attestors 2 --max-age 1000 --json
check "Alice protects production: two thresholds, two attestors" bash -c \
	"[ $last_rc -eq 0 ] && [ \"\$(jq -c .gate.thresholds '$work/stdout')\" = '[\"recall >= 0.97\",\"false_positive_rate <= 0.01\"]' ]"
run alias gate "$repo" production
check "alias gate shows the gate and its history" has "$out" "changes, oldest first"
run --suri //Alice publish "$work/v1" --repo "$repo" -m again --alias production
check "publish --alias on a protected alias is refused before hashing (exit 1)" refused 'is protected'

# Attestations, and what is refused.
run --suri //Dave attest "$repo@$v1" --metric recall=0.98 --metric false_positive_rate=0.01 \
	--evidence "$work/report-v1.json"
check "local evidence without --evidence-uri is refused (exit 1)" refused '--evidence-uri'
run --suri //Dave attest "$repo@$v1" --metric accuracy=0.99 --evidence "$work/report-v1.json" \
	--evidence-uri https://ci.example.org/runs/1/report.json
check "a metric the attestor may not attest is refused (exit 1, MetricNotAllowed)" refused 'Promotion::MetricNotAllowed'
run --suri //Dave attest "$repo@$v1" --metric recall=high --evidence "$work/report-v1.json" \
	--evidence-uri https://ci.example.org/runs/1/report.json
check "a malformed value is refused (exit 1)" refused 'invalid metric value'
run --suri //Ferdie attest "$repo@$v1" --metric recall=0.98 --evidence "$work/report-v1.json" \
	--evidence-uri https://ferdie.example.org/report.json
check "an unregistered attestor is refused (exit 1, NotAttestor)" refused 'Promotion::NotAttestor'
run --suri //Dave attest "$(printf 'ab%.0s' {1..32})" --metric recall=0.98 \
	--evidence "$work/report-v1.json" --evidence-uri https://ci.example.org/runs/1/report.json
check "attesting an unknown version is refused (exit 4, not found)" missing 'does not exist on this chain'
run --suri //Dave attest "$repo@$v1" --metric recall=0.98 --metric false_positive_rate=0.01 \
	--evidence "$work/report-v1.json" --evidence-uri https://ci.example.org/runs/1/report.json --json
dave_v1="$(json_field .attestation)"
check "the CI attests candidate 1: recall 0.98, false_positive_rate 0.01" bash -c \
	"[ $last_rc -eq 0 ] && [ '$(json_field .metrics.recall)' = 0.98 ]"

run_loud --suri //Alice alias set "$repo" production "$v1"
check "one attestation is not enough: refused naming recall (exit 1, TooFewAttestations)" bash -c \
	"[ $last_rc -eq 1 ] && grep -q 'recall: 1 fresh attestation(s) name it, the gate needs 2 (Promotion::TooFewAttestations)' '$work/stderr'"
echo "# the first promotion, with one attestation:"
sed 's/^/#   /' "$work/stderr"

# Eve signs off-chain; Ferdie, who is no attestor, submits it for her.
run --suri //Eve attest "$repo@$v1" --metric recall=0.98 --metric false_positive_rate=0.01 \
	--evidence "$work/report-v1.json" --evidence-uri https://eval-lab.example.org/fraud/v1.json --sign-only
cp "$work/stdout" "$work/eve-v1.json"
check "Eve signs her attestation off-chain (nonce 0)" test "$(jq -r .nonce "$work/eve-v1.json")" = 0
jq '.metrics = ["recall=0.99", "false_positive_rate=0.01"]' "$work/eve-v1.json" >"$work/forged.json"
run --suri //Ferdie attest --signed "$work/forged.json"
check "a changed signed attestation is refused (exit 1, BadSignature)" refused 'Promotion::BadSignature'
eve_free_before="$(free //Eve)"
run --suri //Ferdie attest --signed "$work/eve-v1.json" --json
eve_v1="$(json_field .attestation)"
check "Ferdie submits Eve's signed attestation" bash -c "[ $last_rc -eq 0 ] && [ -n '$eve_v1' ] && [ '$eve_v1' != '$dave_v1' ]"
check "Eve paid nothing for it" test "$(free //Eve)" = "$eve_free_before"
run --suri //Ferdie attest --signed "$work/eve-v1.json"
check "submitting it twice is refused (exit 1, WrongNonce)" refused 'Promotion::WrongNonce'

run_loud --suri //Alice alias set "$repo" production "$v1" --json
check "with two attestations the promotion passes" bash -c \
	"[ $last_rc -eq 0 ] && [ '$(json_field .gate_status.passes)' = true ]"
echo "# the first promotion, with two attestations:"
run_loud --suri //Alice alias status "$repo" production
sed 's/^/#   /' <<<"$out"
check "alias status records the promotion on both attestations" has "$out" "on attestation(s) #$dave_v1, #$eve_v1"
run show "$repo@production"
check "owh show lists the attestations" bash -c "grep -q 'ci.example.org' <<<'$out' && grep -q 'eval-lab.example.org' <<<'$out'"

# A gate that also asks for the council's approval.
run --suri //Alice alias protect "$repo" staging --require 'recall>=0.97' --max-age 1000 --approval council
check "Alice protects staging, asking for a council approval" test "$last_rc" -eq 0
run --suri //Alice alias set "$repo" staging "$v1"
check "staging without the approval is refused (exit 1, ApprovalRequired)" refused 'Promotion::ApprovalRequired'
run --suri //Alice gov council propose approve-promotion "$repo" production "$v1"
check "approving for a gate that asks for none is refused (exit 1, ApprovalNotRequired)" refused 'Promotion::ApprovalNotRequired'
check "the council approves candidate 1 for staging" motion approve-promotion "$repo" staging "$v1"
run --suri //Alice alias set "$repo" staging "$v1"
check "with the approval staging moves" test "$last_rc" -eq 0
run alias status "$repo" staging --json
check "staging's promotion used the council's approval, now spent" bash -c \
	"[ '$(json_field .promotion.approval)' = council ] && [ '$(json_field .approval)' = null ]"

# The second candidate, attested at recall 0.95 by both.
"$OWH_BIN" -q --suri //Dave attest "$repo@$v2" --metric recall=0.95 --metric false_positive_rate=0.01 \
	--evidence "$work/report-v2.json" --evidence-uri https://ci.example.org/runs/2/report.json >"$work/dave-v2.log" 2>&1 &
dave_attests=$!
run --suri //Eve attest "$repo@$v2" --metric recall=0.95 --metric false_positive_rate=0.01 \
	--evidence "$work/report-v2.json" --evidence-uri https://eval-lab.example.org/fraud/v2.json
eve_rc=$last_rc
dave_rc=0
wait "$dave_attests" || dave_rc=$?
check "both attest candidate 2 at recall 0.95" bash -c "[ $dave_rc -eq 0 ] && [ $eve_rc -eq 0 ]"
run_loud --suri //Alice alias set "$repo" production "$v2"
check "candidate 2 is refused naming recall (exit 1, ThresholdNotMet)" bash -c \
	"[ $last_rc -eq 1 ] && grep -q 'recall: attested 0.95, the gate requires recall >= 0.97 (Promotion::ThresholdNotMet)' '$work/stderr'"
echo "# the second promotion:"
sed 's/^/#   /' "$work/stderr"
run --suri //Alice alias rm "$repo" production
check "a protected alias cannot be removed (exit 1, ProtectedAlias)" refused 'Promotion::ProtectedAlias'

# Ferdie disputes Eve's attestation of candidate 1; the council upholds it.
run --suri //Ferdie dispute open 999999 --evidence "$work/rerun.txt" --evidence-uri https://ferdie.example.org/rerun.txt
check "a dispute of an unknown attestation is refused (exit 1, UnknownAttestation)" refused 'Promotion::UnknownAttestation'
ferdie_free_0="$(free //Ferdie)"
ferdie_held_0="$(held //Ferdie)"
run --suri //Ferdie dispute open "$eve_v1" --evidence "$work/rerun.txt" --evidence-uri https://ferdie.example.org/rerun.txt --json
dispute="$(json_field .dispute)"
check "Ferdie opens a dispute holding the 10 OWH bond" bash -c \
	"[ $last_rc -eq 0 ] && [ '$(json_field .bond)' = $((10 * OWH)) ]"
run --suri //Ferdie dispute open "$eve_v1" --evidence "$work/rerun.txt" --evidence-uri https://ferdie.example.org/rerun.txt
check "a second dispute of the same attestation is refused (exit 1, DisputeAlreadyOpen)" refused 'Promotion::DisputeAlreadyOpen'
ferdie_free_1="$(free //Ferdie)"
ferdie_held_1="$(held //Ferdie)"
eve_free_1="$(free //Eve)"
eve_held_1="$(held //Eve)"
check "the council upholds the dispute" motion rule-dispute "$dispute" --upheld
ferdie_free_2="$(free //Ferdie)"
ferdie_held_2="$(held //Ferdie)"
eve_free_2="$(free //Eve)"
eve_held_2="$(held //Eve)"
run dispute show "$dispute" --json
check "the dispute is upheld and 100 OWH slashed" bash -c \
	"[ '$(json_field .status)' = upheld ] && [ '$(json_field .slashed)' = $((100 * OWH)) ]"
check "Ferdie gets his 10 OWH bond back and half the slash, 50 OWH" \
	test $((ferdie_free_2 - ferdie_free_1)) = $((60 * OWH))
check "Ferdie's hold drops by the bond (the record's deposit stays held)" \
	test $((ferdie_held_1 - ferdie_held_2)) = $((10 * OWH))
check "Eve's 100 OWH bond is gone, her free balance unchanged" bash -c \
	"[ $((eve_held_1 - eve_held_2)) = $((100 * OWH)) ] && [ $eve_free_2 = $eve_free_1 ]"
echo "# balances (OWH) around the upheld dispute: opened by Ferdie, ruled by a council motion"
for row in "Ferdie free:$ferdie_free_0:$ferdie_free_1:$ferdie_free_2" "Ferdie held:$ferdie_held_0:$ferdie_held_1:$ferdie_held_2" \
	"Eve free:-:$eve_free_1:$eve_free_2" "Eve held:$eve_held_registered:$eve_held_1:$eve_held_2"; do
	IFS=: read -r name a b c <<<"$row"
	printf '#   %-12s before %-16s opened %-16s ruled %s\n' "$name" "$(in_owh "$a")" "$(in_owh "$b")" "$(in_owh "$c")"
done

run attestor list --json
check "Eve is suspended" test "$(jq -r '.[] | select(.name == "eval-lab.example.org") | .suspended' "$work/stdout")" = true
run alias status "$repo" production --json
check "production is flagged on Eve's attestation" test "$(json_field .promotion.flagged)" = "$eve_v1"
check "and its gate no longer holds for candidate 1" test "$(json_field .passes)" = false
run_loud install "$repo@production" --to "$work/installed"
check "owh install of production warns of the flag" bash -c \
	"[ $last_rc -eq 0 ] && grep -q 'ruled false' '$work/stderr'"
sed 's/^/#   /' <(grep warning "$work/stderr")

# A dispute the council rejects: Ferdie's bond goes to the attestor (Dave).
run --suri //Ferdie dispute open "$dave_v1" --evidence "$work/rerun.txt" --evidence-uri https://ferdie.example.org/rerun.txt --json
rejected="$(json_field .dispute)"
dave_free_1="$(free //Dave)"
check "the council rejects the second dispute" motion rule-dispute "$rejected" --rejected
check "Dave receives Ferdie's 10 OWH bond" test $(($(free //Dave) - dave_free_1)) = $((10 * OWH))
run --suri //Alice gov council propose rule-dispute "$rejected" --upheld
check "ruling a closed dispute again is refused (exit 1, DisputeClosed)" refused 'Promotion::DisputeClosed'

# Security first: the version behind a protected alias can be yanked.
run --suri //Alice yank "$repo@$v1" --reason "attested on a false evaluation"
check "candidate 1 is yanked behind protected production and staging" bash -c \
	"[ $last_rc -eq 0 ] && grep -q 'protected alias(es) production, staging still point at it' <<<'$out'"

finish_checks promotion
