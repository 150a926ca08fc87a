#!/usr/bin/env bash
# End to end: licensing and royalties through the real `owh` binary against a real
# `owh-node --dev`. A base model (Alice), a fine-tune of it (Bob) and a quantization of the
# fine-tune (Charlie) each offer a license; Ferdie installs the quantized model, which buys its
# license, and the script prints every account's balance before and after.
set -uo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
OWH_BIN="${OWH_BIN:-$CARGO_TARGET_DIR/$OWH_PROFILE/owh}"
for bin in "$OWH_NODE_BIN" "$OWH_BIN"; do
	[ -x "$bin" ] || { echo "$bin is not built; run scripts/build.sh" >&2; exit 1; }
done
command -v jq >/dev/null || { echo "jq is missing; run scripts/setup.sh" >&2; exit 1; }

source "$OWH_ROOT/scripts/lib-test.sh"

work="$(mktemp -d -t owh-licensing-XXXXXX)"
trap 'stop_dev_node; rm -rf "$work"' EXIT
start_dev_node || exit 1
trap 'stop_dev_node; rm -rf "$work"' EXIT
export OWH_URL="$OWH_WS_URL" OWH_STORE="$work/store" OWH_KEYSTORE="$work/keystore.json"
unset OWH_SURI OWH_KEY

fails_with() { # <expected text> <owh args...>: owh must exit non-zero and say the text.
	local text="$1"
	shift
	if run "$@"; then
		echo "    expected a failure, got: $out" >&2
		return 1
	fi
	has "$err" "$text"
}

# Three small models in three repositories: base <- fine-tune <- quantization.
for name in base ft q; do
	mkdir -p "$work/$name"
	head -c $((3 * 1024 * 1024 + 7)) /dev/urandom >"$work/$name/weights.bin"
	echo "{\"model\": \"$name\"}" >"$work/$name/config.json"
done
run --suri //Alice repo create acme/base && run --suri //Bob repo create bob/fine-tune &&
	run --suri //Charlie repo create charlie/quantized
check "three repositories" test $? -eq 0
# Each parent offers its royalty before its child is published: the child's commit records the
# rates its parents offer then, and they can never be raised for it.
run --suri //Alice publish "$work/base" --repo acme/base -m base --license Apache-2.0 --json
base="$(json_field .version)"
# Offers: base and fine-tune allow derivatives for a 10% and 20% royalty.
run --suri //Alice license offer "$base" --spdx Apache-2.0 --commercial --derivatives \
	--royalty 10% --price 100 --json
base_offer="$(json_field .offer)"
run --suri //Bob publish "$work/ft" --repo bob/fine-tune -m fine-tune --license Apache-2.0 \
	--parent "$base:fine-tune" --json
ft="$(json_field .version)"
run --suri //Bob license offer "$ft" --spdx Apache-2.0 --commercial --derivatives \
	--royalty 20% --price 80 --json
ft_offer="$(json_field .offer)"
run --suri //Charlie publish "$work/q" --repo charlie/quantized -m int4 --license Apache-2.0 \
	--parent "$ft:quantization" --json
q="$(json_field .version)"
check "published base, fine-tune and quantization" bash -c "[[ '$base' == bafkrei* && '$ft' == bafkrei* && '$q' == bafkrei* ]]"
run --suri //Charlie license offer "$q" --spdx CC-BY-NC-4.0 --price 50 --usage-cap 1000 --json
q_offer="$(json_field .offer)"
check "three offers created" bash -c "[ '$base_offer' = 0 ] && [ '$ft_offer' = 1 ] && [ '$q_offer' = 2 ]"

# Contributors.
run --suri //Alice license contributors "$base" //Alice=60%:architecture //Dave=40%:data
check "base contributors: Alice 60%, Dave 40%" has "$out" "recorded 2 contributors"
run --suri //Bob license contributors "$ft" //Bob=100%:trainer
check "fine-tune contributor: Bob 100%" has "$out" "recorded 1 contributor of"
run --suri //Charlie license contributors "$q" //Charlie=70%:trainer //Eve=30%
check "quantization contributors: Charlie 70%, Eve 30%" has "$out" "recorded 2 contributors"

# Bad input is refused with a named error, and nothing is submitted.
check "royalty above 100% refused" fails_with 'royalty rate "150%" is above 100%' \
	--suri //Alice license offer "$base" --spdx MIT --derivatives --royalty 150%
check "royalty above the chain's MaxRoyaltyRate (50%) refused by the chain" fails_with "RoyaltyRateTooHigh" \
	--suri //Alice license offer "$base" --spdx MIT --derivatives --royalty 60%
check "royalty without derivatives refused" fails_with "--royalty needs --derivatives" \
	--suri //Alice license offer "$base" --spdx MIT --royalty 5%
check "price overflow refused" fails_with "overflows" \
	--suri //Alice license offer "$base" --spdx MIT --price 999999999999999999999999999999
check "bad SPDX id refused" fails_with "not a valid SPDX expression" \
	--suri //Alice license offer "$base" --spdx "Not A License"
check "shares below 100% refused" fails_with "the shares sum to 90%, not 100%" \
	--suri //Bob license contributors "$ft" //Bob=90%
check "duplicate contributor refused" fails_with "is listed twice" \
	--suri //Bob license contributors "$ft" //Bob=50% //Bob=50%
check "zero share refused" fails_with "has a share of 0" \
	--suri //Bob license contributors "$ft" //Bob=100% //Dave=0%
check "a non-maintainer cannot offer (chain error NotMaintainer)" fails_with "Licensing::NotMaintainer" \
	--suri //Eve license offer "$q" --spdx MIT --price 1

# The preview.
run license show "$q" --json
check "show lists the offer and both contributors" bash -c \
	"[ '$(json_field '.offers[0].id')' = 2 ] && [ '$(json_field '.contributors | length')' = 2 ]"
check "preview of 50 OWH sums to the price" test "$(json_field '[.splits[0].split.legs[].amount | tonumber] | add')" = 50000000000000
base_take() { json_field "[.splits[0].split.legs[] | select(.version == \"$base\") | .amount | tonumber] | add"; }
check "the base takes 10% of the fine-tune's 20%: 1 OWH of 50" test "$(base_take)" = 1000000000000

# Upstream cannot raise its rate for derivatives that already exist: a new 50% base offer
# leaves the quantization's split as it was.
run --suri //Alice license offer "$base" --spdx Apache-2.0 --commercial --derivatives \
	--royalty 50% --price 100 --json
check "the base offers 50% now" test $? -eq 0
run license show "$q" --json
check "the quantization's preview still gives the base 1 OWH (the rate recorded at commit)" \
	test "$(base_take)" = 1000000000000

# Ferdie cannot install the paid-only version without a license.
check "install without a license refused, naming the offer" fails_with \
	"offer #2 costs 50 OWH" --suri //Ferdie install "$q" --to "$work/out"
check "nothing was installed" bash -c '[ -z "$(find "$1" -type f 2>/dev/null)" ]' _ "$work/out"
check "--accept-license without --yes and no terminal is refused" fails_with \
	"pass --yes" --suri //Ferdie install "$q" --to "$work/out" --accept-license </dev/null

balances() {
	run balance //Alice //Bob //Charlie //Dave //Eve //Ferdie --json && cp "$work/stdout" "$work/$1.json"
}
balances before
run --suri //Ferdie install "$q" --to "$work/out" --accept-license --yes --json
rc=$?
check "install --accept-license --yes buys and installs (exit 0)" test $rc -eq 0
cp "$work/stdout" "$work/install.json"
license="$(jq -r .license_purchase.license "$work/install.json")"
check "the purchase paid 5 legs" test "$(jq '.license_purchase.paid | length' "$work/install.json")" = 5
balances after
run verify "$work/out" --version "$q"
check "the installed files verify" test $? -eq 0

# The three-level example's balances, from this run.
echo "# balances (OWH) before and after Ferdie bought the quantized model for 50 OWH:"
names=(Alice Bob Charlie Dave Eve Ferdie)
declare -A delta
for i in "${!names[@]}"; do
	b=$(jq -r ".[$i].free" "$work/before.json")
	a=$(jq -r ".[$i].free" "$work/after.json")
	d=$(python3 -c "print($a - $b)")
	delta[${names[$i]}]=$d
	python3 -c "
owh = lambda u: ('-' if u < 0 else '') + f'{abs(u) // 10**12}.{abs(u) % 10**12:012d}'
print(f'#   {\"${names[$i]}\":8} {owh($b):>22} -> {owh($a):>22}  change {\"+\" if $d >= 0 else \"\"}{owh($d)}')"
done
check "Charlie receives 70% of the 80% the quantization keeps: 28 OWH" equal "${delta[Charlie]}" 28000000000000
check "Eve receives 30% of it: 12 OWH" equal "${delta[Eve]}" 12000000000000
check "Bob receives the fine-tune's 20% less the base's 10% of that: 9 OWH" equal "${delta[Bob]}" 9000000000000
check "Alice receives 60% of the base's 1 OWH: 0.6 OWH" equal "${delta[Alice]}" 600000000000
check "Dave receives 40% of it: 0.4 OWH" equal "${delta[Dave]}" 400000000000
check "Ferdie paid 50 OWH, a 0.001 OWH deposit and the fee (under 0.1 OWH)" python3 -c "
d = ${delta[Ferdie]}
assert -50_100_000_000_000 < d < -50_001_000_000_000, d"

# Licenses held, usage, grants and revocation.
run --suri //Ferdie license list --json
check "Ferdie holds a valid license" test "$(json_field '.licenses[0].valid')" = true
run --suri //Ferdie install "$q" --to "$work/out2" --json
check "a license holder installs without buying again" test "$(json_field .license_purchase)" = null
run --suri //Ferdie license report "$license" 10 --json
check "usage report counts down the cap" test "$(json_field .uses_remaining)" = 990
check "usage cap exceeded refused (UsageCapExceeded)" fails_with "Licensing::UsageCapExceeded" \
	--suri //Ferdie license report "$license" 991
check "reporting usage on someone else's license refused (NotLicensee)" fails_with \
	"Licensing::NotLicensee" --suri //Eve license report "$license" 1
run --suri //Charlie license meter add charlie/quantized //Eve
run --suri //Eve license report "$license" 5 --json
check "a registered metering account reports usage" test "$(json_field .uses_remaining)" = 985
dave_free() { run balance //Dave --json && json_field '.[0].free'; }
dave_before="$(dave_free)"
run --suri //Charlie license grant "$q" --offer "$q_offer" --to //Dave --json
granted="$(json_field .license)"
check "grant gives Dave a license" bash -c "[ -n '$granted' ] && [ '$granted' != null ]"
check "... without payment: Dave's free balance is unchanged" test "$(dave_free)" = "$dave_before"
check "revoking under non-revocable terms refused" fails_with "do not allow revoking" \
	--suri //Charlie license revoke "$granted" --reason "test"
run --suri //Charlie license offer "$q" --spdx CC-BY-NC-4.0 --price 70 --revocable --json
revocable_offer="$(json_field .offer)"
run --suri //Charlie license grant "$q" --offer "$revocable_offer" --to //Dave --json
revocable="$(json_field .license)"
run --suri //Charlie license revoke "$revocable" --reason "partner agreement ended"
check "revoke a revocable license" has "$out" "revoked license #$revocable"
run license show --license "$revocable" --json
check "the revocation is recorded with its reason" test "$(json_field .revoked.reason)" = "partner agreement ended"

# Retiring an offer sells nothing new, and revokes nothing.
run --suri //Charlie license retire "$q_offer"
check "retire offer" has "$out" "retired offer #$q_offer"
check "buying a retired offer refused" fails_with "does not apply" \
	--suri //Bob license buy "$q" --offer "$q_offer" --yes
run --suri //Ferdie license list --json
check "Ferdie's license is still valid after the retirement" test "$(json_field '.licenses[0].valid')" = true
# An account with nothing cannot even pay the fee: the node refuses the transaction.
run --suri //Nobody license buy "$q" --offer "$revocable_offer" --yes
rc=$?
check "a buyer without funds for the fee exits 5 (refused by the node)" test $rc -eq 5
check "... and the node says it cannot pay the fee" has "$err" "Inability to pay some fees"
# One who can pay the fee but not the price reaches the pallet's own check.
run --suri //Charlie license offer "$q" --spdx Apache-2.0 --price 2000000 --json
dear_offer="$(json_field .offer)"
check "buying at 2,000,000 OWH with 1,000,000 refused by the pallet (InsufficientBalance)" \
	fails_with "Licensing::InsufficientBalance" --suri //Bob license buy "$q" --offer "$dear_offer" --yes

# Proven license reads: with a trust anchor, offers and licenses come from storage proofs at a
# GRANDPA-finalized block (a holder's licenses proven complete), not from the node's word.
"$OWH_NODE_BIN" build-spec --dev --raw >"$work/dev-raw.json" 2>/dev/null
anchored=(--anchors "$work/anchors")
run "${anchored[@]}" trust init --chain-spec "$work/dev-raw.json"
run license show "$q" --json
plain_offers="$(jq -cS .offers "$work/stdout")"
run "${anchored[@]}" license show "$q" --json
check "proven offers equal the runtime API's" bash -c \
	"[ $last_rc -eq 0 ] && [ '$plain_offers' = '$(jq -cS .offers "$work/stdout")' ] && [ '$(jq '.offers | length' "$work/stdout")' -ge 2 ]"
run --suri //Ferdie license list --json
plain_licenses="$(jq -cS .licenses "$work/stdout")"
run "${anchored[@]}" --suri //Ferdie license list --json
check "Ferdie's proven license list equals the runtime API's" bash -c \
	"[ $last_rc -eq 0 ] && [ '$plain_licenses' = '$(jq -cS .licenses "$work/stdout")' ] && [ '$(jq '.licenses | length' "$work/stdout")' -ge 1 ]"
run "${anchored[@]}" --suri //Ferdie install "$q" --to "$work/out3" --json
check "with the anchor, a proven license holder installs without buying" bash -c \
	"[ $last_rc -eq 0 ] && [ '$(json_field .license_purchase)' = null ]"
check "with the anchor, an account with no license is refused" fails_with "holds no valid license" \
	"${anchored[@]}" --suri //Eve install "$q" --to "$work/out4"
# A node that lowers the price of the 70 OWH offer to 1 OWH in its answers.
le128() { python3 -c 'import sys; print(int(sys.argv[1]).to_bytes(16, "little").hex())' "$1"; }
proxy_port="$(free_port)"
python3 "$OWH_ROOT/tests/e2e/tamper-proxy.py" "$proxy_port" "$OWH_RPC_PORT" \
	"$(le128 70000000000000)" "$(le128 1000000000000)" 2>"$work/proxy.log" &
proxy_pid=$!
wait_port "$proxy_port"
run --url "ws://127.0.0.1:$proxy_port" license show "$q" --json
check "without the anchor, a lowered offer price is believed" \
	test "$(jq -r "[.offers[] | select(.id == $revocable_offer)][0].terms.price" "$work/stdout")" = 1000000000000
run "${anchored[@]}" --url "ws://127.0.0.1:$proxy_port" license show "$q"
check "with the anchor, the lowered price fails its storage proof: exit 7" bash -c \
	"[ $last_rc -eq 7 ] && grep -q 'storage proof does not prove' '$work/stderr'"
kill "$proxy_pid" 2>/dev/null

finish_checks "e2e licensing"
