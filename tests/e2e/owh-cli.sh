#!/usr/bin/env bash
# End to end: a real `owh-node --dev` on free ports with a temporary base path, driven by the
# real `owh` binary as a user would drive it. Every check prints ok/not ok; the script exits
# non-zero if any failed.
set -uo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
OWH_BIN="${OWH_BIN:-$CARGO_TARGET_DIR/$OWH_PROFILE/owh}"
for bin in "$OWH_NODE_BIN" "$OWH_BIN"; do
	[ -x "$bin" ] || { echo "$bin is not built; run scripts/build.sh" >&2; exit 1; }
done

source "$OWH_ROOT/scripts/lib-test.sh"

work="$(mktemp -d -t owh-e2e-XXXXXX)"
trap 'stop_dev_node; rm -rf "$work"' EXIT
start_dev_node || exit 1
# start_dev_node installs its own EXIT trap; put ours (which also stops the node) back.
trap 'stop_dev_node; rm -rf "$work"' EXIT
export OWH_URL="$OWH_WS_URL" OWH_STORE="$work/store" OWH_KEYSTORE="$work/keystore.json"
unset OWH_SURI OWH_KEY
repo=acme/e2e-model

# A model of four files: one of 64 MiB + 12345 bytes (a short last chunk), a nested directory.
model="$work/model"
mkdir -p "$model/tokenizer"
head -c $((64 * 1024 * 1024 + 12345)) /dev/urandom >"$model/weights.bin"
echo '{"architecture": "tiny", "layers": 2}' >"$model/config.json"
seq 1 5000 >"$model/tokenizer/vocab.txt"
: >"$model/tokenizer/empty.txt"

# Keys.
check "key import //Alice and //Bob into a 0600 keystore" bash -c '
	"$0" -q key import --name alice --secret //Alice >/dev/null &&
	echo //Bob | "$0" -q key import --name bob >/dev/null &&
	[ "$(stat -c %a "$OWH_KEYSTORE")" = 600 ]' "$OWH_BIN"
run key generate --name fresh --json
check "key generate stores a new key with an SS58 address" \
	bash -c '[[ "$1" =~ ^5[1-9A-HJ-NP-Za-km-z]{47}$ ]]' _ "$(json_field .address)"
run key list
check "key list shows every key" bash -c "grep -q alice <<<'$out' && grep -q bob <<<'$out' && grep -q fresh <<<'$out'"
run key show alice
check "key show alice is Alice's address" has "$out" "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"
check "the keystore holds no secret in the clear (polkadot.js JSON, scrypt + xsalsa20-poly1305)" bash -c '
	! grep -q "//Alice\|//Bob\|suri" "$OWH_KEYSTORE" &&
	[ "$(jq -r ".version" "$OWH_KEYSTORE")" = 2 ] &&
	[ "$(jq -r "[.keys[].encoding.type[]] | unique | join(\",\")" "$OWH_KEYSTORE")" = "scrypt,xsalsa20-poly1305" ]'
OWH_PASSPHRASE="not the passphrase" run --key alice repo create acme/wrong-pass
check "a wrong passphrase is refused before anything is sent" refused "wrong passphrase for key \"alice\""
env -u OWH_PASSPHRASE setsid -w "$OWH_BIN" -q --key alice repo create acme/no-pass >"$work/stdout" 2>"$work/stderr" </dev/null
last_rc=$? err="$(cat "$work/stderr")"
check "without OWH_PASSPHRASE or a terminal, owh says how to give the passphrase" refused "set OWH_PASSPHRASE"
mnemonic="$(jq -r .mnemonic <<<"$("$OWH_BIN" -q --keystore "$work/throwaway.json" --json key generate --name t --show-secret)")"
run --suri "$mnemonic" key show
check "a mnemonic passed as --suri is refused (other users see arguments)" refused "visible to every user"
OWH_SURI="$mnemonic" run key show
check "the same mnemonic through OWH_SURI is accepted" has "$out" "$(jq -r '.keys[0].address' "$work/throwaway.json")"
echo "$mnemonic" | run key import --name from-stdin
check "a mnemonic on standard input imports" equal "$last_rc" 0
pids=()
for i in 1 2 3 4 5 6; do
	"$OWH_BIN" -q key generate --name "parallel-$i" >/dev/null 2>&1 &
	pids+=($!)
done
wait "${pids[@]}"
check "six concurrent key generations keep all six keys" equal "$(jq '[.keys[].meta.name | select(startswith("parallel-"))] | length' "$OWH_KEYSTORE")" 6
# A plain keystore of an earlier owh is encrypted on first use, with a message.
printf '[{"name":"old-alice","scheme":"sr25519","suri":"//Alice","address":"5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"}]' >"$work/plain.json"
chmod 600 "$work/plain.json"
run --keystore "$work/plain.json" key list
check "a plain keystore is migrated on first use, with a message" bash -c '
	grep -q "encrypting it" <<<"$1" && grep -q old-alice <<<"$2" && ! grep -q "//Alice" "$3"' _ "$err" "$out" "$work/plain.json"
run --keystore "$work/plain.json" key list
check "and only once" bash -c '! grep -q "encrypting" <<<"$1"' _ "$err"
run key generate --name release-signer --scheme p256 --json
check "key generate --scheme p256 stores a P-256 key" bash -c '[[ "$1" =~ ^0x0[23][0-9a-f]{64}$ ]]' _ "$(json_field .address)"

# Repository.
run --key alice repo create "$repo"
check "repo create" has "$out" "created repository $repo"
run repo show "$repo" --json
check "repo show names Alice as owner" test "$(json_field .owner)" = 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY

# Publish the base version with the production alias in the same extrinsic.
run --key alice publish "$model" --repo "$repo" -m "base model" --metric accuracy=0.71 \
	--tag task=text-generation --license Apache-2.0 --alias production --json
rc=$?
check "publish base (exit 0)" test $rc -eq 0
base="$(json_field .version)"
check "publish prints the version id, block number and block hash" bash -c \
	"[[ '$base' == bafkrei* ]] && [ '$(json_field .block_number)' -gt 0 ] && [[ '$(json_field .block_hash)' == 0x* ]]"
check "publish waits for finality by default, and reports when it was in a block and finalized" \
	python3 -c 'import json, sys; r = json.load(open(sys.argv[1])); sys.exit(not (r["finalized"] and 0 < r["in_block_seconds"] <= r["finalized_seconds"]))' "$work/stdout"
run --suri //Alice publish "$model" --repo "$repo" --dry-run --json -m "base model" --metric accuracy=0.71 \
	--tag task=text-generation --license Apache-2.0
rc=$?
# Both ids must exist: two failed publishes would print two empty ids, which are equal.
check "dry run computes the same version id without submitting" \
	bash -c '[ "$1" -eq 0 ] && [[ "$2" == bafkrei* ]] && [ "$2" = "$3" ]' _ "$rc" "$(json_field .version)" "$base"
run --suri //Alice publish "$model" --repo "$repo" -m "base model" --metric accuracy=0.71 \
	--tag task=text-generation --license Apache-2.0
rc=$?
check "publishing the same manifest twice exits 5 (refused by the chain)" test $rc -eq 5
check "... with the documented error" has "$err" "Registry::DuplicateVersion"

run log "$repo"
check "log shows the version with its alias" has "$out" "$base (production)"
run show "$repo@production"
check "show resolves the alias and prints committer, block, status" bash -c \
	"grep -q 'version     $base' <<<'$out' && grep -q 'status      active' <<<'$out' && grep -q 'block       #' <<<'$out'"

# Install elsewhere, then verify.
run install "$repo@production" --to "$work/inst1"
check "install from the local store" has "$out" "every chunk verified"
check "installed directory is identical to the published one" diff -r "$model" "$work/inst1"
run verify "$work/inst1" --version "$repo@production"
check "verify passes on the installed copy" has "$out" "all match"
run verify "$work/inst1" --version "$repo@production" --json
check "verify of an installed copy hashes before the chain answers (the store's manifest)" \
	bash -c '[ "$(jq -r .started_before_chain "$1")" = true ] && [ "$(jq -r .report.ok "$1")" = true ]' _ "$work/stdout"

# OpenSSF model signing: OpenSSF's own `model_signing` (PyPI 1.1.1) checks owh's bundle.
run key export release-signer --public -o "$work/release.pub"
run export "$repo@production" --format model-signing -o "$work/model.sig" --key release-signer
check "export --format model-signing writes a bundle of the version's files" has "$out" "4 file(s)"
"$MODEL_SIGNING_BIN" verify key --signature "$work/model.sig" --public_key "$work/release.pub" "$work/inst1" >"$work/ms.log" 2>&1
check "model_signing verify key accepts the bundle for the installed copy" \
	bash -c '[ "$1" -eq 0 ] && grep -q "Verification succeeded" "$2"' _ $? "$work/ms.log"
cp -r "$work/inst1" "$work/ms-flip"
printf '\x01' | dd of="$work/ms-flip/tokenizer/vocab.txt" bs=1 seek=100 conv=notrunc status=none
"$MODEL_SIGNING_BIN" verify key --signature "$work/model.sig" --public_key "$work/release.pub" "$work/ms-flip" >"$work/ms.log" 2>&1
check "and refuses it after one byte of a file changed" \
	bash -c '[ "$1" -ne 0 ] && grep -q "vocab.txt" "$2"' _ $? "$work/ms.log"
openssl ecparam -name prime256v1 -genkey -noout -out "$work/ossl.pem" 2>/dev/null
openssl ec -in "$work/ossl.pem" -pubout -out "$work/ossl.pub" 2>/dev/null
run key import --name ossl --pem "$work/ossl.pem"
run export "$repo@production" --format model-signing -o "$work/ossl.sig" --key ossl
"$MODEL_SIGNING_BIN" verify key --signature "$work/ossl.sig" --public_key "$work/ossl.pub" "$work/inst1" >"$work/ms.log" 2>&1
check "an OpenSSL P-256 key imported with --pem signs bundles its own public key verifies" \
	bash -c '[ "$1" -eq 0 ] && grep -q "Verification succeeded" "$2"' _ $? "$work/ms.log"
run export "$repo@production" --format model-signing -o "$work/alice.sig" --key alice
check "an sr25519 key cannot sign a model-signing bundle" refused "need a P-256 key"
run export "$repo@production" --format model-signing -o "$work/model.sig" --key release-signer
check "an existing bundle is not overwritten without --force" refused "already exists"

# Another machine has no store, and a local-store publish records no URI of this machine.
run show "$repo@production" --json
check "the manifest records no path of the publisher's machine" equal "$(json_field '[.manifest.artifacts[].uris[]] | length')" 0
run --store "$work/no-store" install "$repo@production" --to "$work/inst2"
check "without the store or a mirror there is nothing to read (exit 6)" \
	bash -c '[ "$1" -eq 6 ] && grep -q "no readable location" <<<"$2"' _ "$last_rc" "$err"
# With the publisher's store mounted and named by --from, it installs through file://.
run --store "$work/no-store" install "$repo@production" --to "$work/inst2" --from "file://$work/store/objects/sha256"
check "install through a file:// mirror named with --from" bash -c "grep -q 'from file://' <<<'$out' && diff -r '$model' '$work/inst2'"
# The whole-file SHA-256 on request, written through the page cache.
run --store "$work/no-store" install "$repo@production" --to "$work/inst2b" --sha256 --no-direct-io \
	--from "file://$work/store/objects/sha256" --json
check "install --sha256 --no-direct-io installs the same bytes" bash -c \
	'[ "$1" -eq 0 ] && diff -r "$2" "$3"' _ "$last_rc" "$model" "$work/inst2b"

# Resume: a partial download of 20 MiB is kept and completed.
mkdir -p "$work/inst3"
head -c $((20 * 1024 * 1024)) "$model/weights.bin" >"$work/inst3/.weights.bin.owh-partial"
run install "$repo@production" --to "$work/inst3"
check "install resumes a partial download" bash -c "grep -q 'resumed after 20.0 MiB' <<<'$out' && cmp -s '$model/weights.bin' '$work/inst3/weights.bin'"
# A corrupt partial download is cut back to its last good chunk.
head -c $((3 * 1024 * 1024)) "$model/weights.bin" >"$work/inst4-partial"
flip_byte "$work/inst4-partial" $((2 * 1024 * 1024 + 10))
mkdir -p "$work/inst4" && mv "$work/inst4-partial" "$work/inst4/.weights.bin.owh-partial"
run install "$repo@production" --to "$work/inst4"
check "a corrupt partial download resumes from its last good chunk" bash -c "grep -q 'resumed after 2.0 MiB' <<<'$out' && cmp -s '$model/weights.bin' '$work/inst4/weights.bin'"

# Tamper: flip one byte in chunk 5; truncate a file; delete one; add one.
cp -r "$work/inst1" "$work/flip"
offset=$((5 * 1024 * 1024 + 7))
byte="$(dd if="$work/flip/weights.bin" bs=1 skip=$offset count=1 2>/dev/null | od -An -tu1 | tr -d ' ')"
printf "\\x$(printf %02x $(((byte + 1) % 256)))" | dd of="$work/flip/weights.bin" bs=1 seek=$offset conv=notrunc 2>/dev/null
run verify "$work/flip" --version "$repo@production"
rc=$?
check "verify fails with exit code 3 (files differ) on a flipped byte" test $rc -eq 3
check "verify names the file, the chunk and its byte range" has "$out" "MISMATCH  weights.bin: chunk 5 (bytes 5242880..6291456) differs"
check "verify says it failed in one line on stderr" has "$err" "error: verification failed: 1 of 4 files differ"

cp -r "$work/inst1" "$work/trunc"
truncate -s $((10 * 1024 * 1024 + 100)) "$work/trunc/weights.bin"
rm "$work/trunc/config.json"
echo extra >"$work/trunc/notes.txt"
run verify "$work/trunc" --version "$repo@production" --json
rc=$?
check "verify fails on a truncated file" test $rc -ne 0
check "truncated file: size and first bad chunk named" bash -c \
	"[ \"\$(jq -r '.report.files[] | select(.path==\"weights.bin\") | .bad_chunks[0].index' '$work/stdout')\" = 10 ] &&
	 [ \"\$(jq -r '.report.files[] | select(.path==\"weights.bin\") | .size' '$work/stdout')\" = $((10 * 1024 * 1024 + 100)) ]"
check "missing and extra files are reported" bash -c \
	"[ \"\$(jq -r '.report.files[] | select(.path==\"config.json\") | .status' '$work/stdout')\" = missing ] &&
	 [ \"\$(jq -r '.report.extra[0]' '$work/stdout')\" = notes.txt ]"

# A fine-tuned child version.
cp -r "$model" "$work/child"
head -c 4096 /dev/urandom | dd of="$work/child/weights.bin" bs=4096 seek=100 conv=notrunc 2>/dev/null
echo "fine-tuned on e2e data" >"$work/child/README.md"
run --key alice publish "$work/child" --repo "$repo" -m "fine-tune" --metric accuracy=0.74 \
	--parent "$repo@production:fine-tune"
check "publish prints 'in block' as soon as the commit is included, then 'finalized'" bash -c \
	"grep -A99 '^in block #[0-9]* 0x[0-9a-f]* after [0-9.]* s; waiting for finality' '$work/stdout' | grep -q '^finalized in block #'"
child="$(sed -n 's/^published [^ ]* version //p' "$work/stdout")"
check "publish a child with a parent relation" bash -c "[[ '$child' == bafkrei* ]] && [ '$child' != '$base' ]"
# The store guesses the base for inst1; asked for the latest version, the child, verify checks
# against the child.
run verify "$work/inst1" --version "$repo" --json
rc=$?
check "verify against another version than the one installed ignores the guess and names the differing file" \
	bash -c '[ "$1" -eq 3 ] && [ "$(jq -r .started_before_chain "$2")" = false ] &&
		[ "$(jq -r ".report.files[] | select(.path==\"weights.bin\") | .bad_chunks[0].index" "$2")" = 0 ]' _ "$rc" "$work/stdout"
run lineage "$child"
check "lineage shows the parent and the relation" bash -c "grep -q '$base' <<<'$out' && grep -q 'fine-tune' <<<'$out'"
run lineage "$repo@production" --descendants --json
check "lineage --descendants of the base lists the child" test "$(json_field '.edges[0].child')" = "$child"
run diff "$repo@production" "$child"
check "diff shows changed and added files and the metric delta" bash -c \
	"grep -q '~ weights.bin' <<<'$out' && grep -q '+ README.md' <<<'$out' && grep -q 'metric accuracy: 0.71 -> 0.74 (+0.03)' <<<'$out'"

# Alias moves, by a maintainer granted through a stored key name.
run --key bob alias set "$repo" production "$child"
check "a non-maintainer cannot move an alias" refused "is not a maintainer of $repo"
run --key alice repo grant "$repo" bob
check "the owner grants bob the maintainer role" has "$out" "granted Maintainer role"
run --key bob alias set "$repo" production "$child"
check "the new maintainer moves production to the child" has "$out" "$repo@production -> $child"
run alias history "$repo" production --json
check "alias history has both moves, oldest first" bash -c \
	"[ \"\$(jq -r 'length' '$work/stdout')\" = 2 ] && [ \"\$(jq -r '.[1].from' '$work/stdout')\" = '$base' ] && [ \"\$(jq -r '.[1].to' '$work/stdout')\" = '$child' ]"

# An alias removed: gone from resolution, kept in the history.
run --key bob alias set "$repo" canary "$child"
check "bob sets a canary alias" has "$out" "$repo@canary -> $child"
run --key bob alias rm "$repo" canary
check "alias rm exits 0" equal "$last_rc" 0
run show "$repo@canary"
check "a removed alias no longer resolves" missing "has no alias \"canary\""
run alias history "$repo" canary --json
check "the removal is the last history entry (to: null)" equal \
	"$(jq -c '[length, .[1].from, .[1].to]' "$work/stdout")" "[2,\"$child\",null]"

# Wrong key: Bob's own fresh key is not a maintainer; publish is refused before anything is stored.
run --key fresh publish "$work/child" --repo "$repo" -m other
check "a wrong key is refused" refused "is not a maintainer or committer of $repo"

# A CI key with the committer role publishes, but cannot move aliases.
charlie=5FLSigC9HGRKVhB9FiEo4Y3koPsNmBmLJbpXg2mp1hXcS59Y
run --key alice repo grant "$repo" "$charlie" --role committer
check "the owner grants Charlie the committer role" has "$out" "granted Committer role"
run repo show "$repo" --json
check "repo show lists the committer" test "$(json_field '.committers[0]')" = "$charlie"
echo "committed by CI" >"$work/child/CI.md"
run --suri //Charlie publish "$work/child" --repo "$repo" -m "from CI" --wait in-block --json
rc=$?
check "a committer publishes (exit 0)" bash -c "[ $rc -eq 0 ] && [[ '$(json_field .version)' == bafkrei* ]]"
check "--wait in-block returns before finality" bash -c \
	"[ '$(json_field .finalized)' = false ] && [ '$(json_field .finalized_seconds)' = null ] && [ '$(json_field .block_number)' -gt 0 ]"
ci_version="$(json_field .version)"
run --suri //Charlie alias set "$repo" production "$ci_version"
rc=$?
check "a committer cannot move an alias (exit non-zero)" test $rc -ne 0
check "a committer cannot move an alias, and is told why" has "$err" "is not a maintainer of $repo (it is a committer"
run --suri //Charlie publish "$work/child" --repo "$repo" -m "from CI, moving production" --alias production
rc=$?
check "a committer cannot publish with --alias (exit non-zero, nothing stored)" test $rc -ne 0
check "publish --alias by a committer says a maintainer is needed" has "$err" "is not a maintainer of $repo (it is a committer"
rm "$work/child/CI.md"

# An author whose key is held elsewhere: owh prints the payload for this chain, a polkadot.js
# signer (signRaw-style, <Bytes>-wrapped) signs it, and publish carries the signature.
signer() { (cd "$OWH_ROOT/tests/polkadotjs" && node sign-raw.mjs "$@"); }
dave=5DAAnrj7VHTznn2AWBemMuyBwZWs6FNFjdyVXUeYum3PTXFy
cp -r "$work/child" "$work/signed"
echo "signed by Dave" >"$work/signed/NOTES.md"
run --key alice publish "$work/signed" --repo "$repo" -m "signed elsewhere" --dry-run --json
signed_id="$(json_field .version)"
run author-payload "$signed_id" --json
payload="$(json_field .payload)"
check "author-payload binds the version to this chain's genesis hash" bash -c \
	"[[ '$payload' == 0x$(printf 'owh:author-version:v1:' | od -An -tx1 | tr -d ' \n')* ]] && [[ '$payload' == *$(json_field .genesis_hash | cut -c3-)* ]]"
run author-payload "$signed_id" --genesis "0x$(printf '11%.0s' {1..32})" --json
fork_payload="$(json_field .payload)"
fork_signature="$(signer //Dave "$fork_payload")"
run --key alice publish "$work/signed" --repo "$repo" -m "signed elsewhere" --author "$dave" \
	--author-signature "$fork_signature"
rc=$?
check "a signature made for another chain is refused (exit non-zero)" test $rc -ne 0
check "a signature made for another chain is refused before submitting" has "$err" "does not verify"
signature="$(signer //Dave "$payload")"
run --key alice publish "$work/signed" --repo "$repo" -m "signed elsewhere" --author "$dave" \
	--author-signature "$signature" --json
rc=$?
check "publish with an external author signature (exit 0)" bash -c "[ $rc -eq 0 ] && [ '$(json_field .version)' = '$signed_id' ]"
run show "$signed_id" --json
check "the chain records Dave as the signed author and Alice as committer" bash -c \
	"[ '$(json_field .author)' = '$dave' ] && [ '$(json_field .author_signed)' = true ] && [ '$(json_field .committer)' = 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY ]"

# An alias never points at a yanked version: yanking what production points at is refused.
run --key alice yank "$repo@production" --reason "bad"
rc=$?
check "yank of an aliased version is refused (exit non-zero)" test $rc -ne 0
check "yank of an aliased version names the alias" has "$err" "alias production of $repo points at version"

# Yank: install refuses, says why; --allow-yanked overrides.
run --key alice yank "$repo@$base" --reason "data leak in shard 3"
check "yank" has "$out" "yanked $repo version $base"
run install "$repo@$base" --to "$work/inst5"
rc=$?
check "install refuses a yanked version and says why" bash -c \
	"[ $rc -ne 0 ] && grep -q 'was yanked' <<<'$err' && grep -q 'data leak in shard 3' <<<'$err' && grep -q -- '--allow-yanked' <<<'$err'"
run_loud install "$repo@$base" --to "$work/inst5" --allow-yanked
check "--allow-yanked installs it anyway" cmp -s "$model/weights.bin" "$work/inst5/weights.bin"
check "... with a warning that names the yank reason" has "$err" "warning: installing yanked version"
check "... (the reason)" has "$err" "data leak in shard 3"
run_loud --key alice publish "$work/child" --repo "$repo" -m "child of a yanked base" --parent "$repo@$base" --json
check "a child of a yanked parent is published (exit 0)" equal "$last_rc" 0
check "... with a warning that the parent is yanked" has "$err" "warning: parent $base is yanked"
run install "$repo@$base" --to "$work/inst5b" --allow-yanked
check "-q hides the warning" equal "$err" ""
run --key alice unyank "$repo@$base"
check "unyank" has "$out" "unyanked"

# A role taken back: bob may no longer move aliases.
bob_address=5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty
run repo show "$repo" --json
check "bob is a maintainer before the revoke" test "$(jq --arg b "$bob_address" '.maintainers | index($b)' "$work/stdout")" != null
run --key alice repo revoke "$repo" bob
check "the owner revokes bob's role (exit 0)" equal "$last_rc" 0
run repo show "$repo" --json
check "bob is no longer a maintainer" equal \
	"$(jq --arg b "$bob_address" '.maintainers | index($b)' "$work/stdout")" null
run --key bob alias set "$repo" production "$base"
check "a revoked maintainer is refused" refused "is not a maintainer of $repo"

# Unknown names get clear errors.
run show acme/does-not-exist
check "unknown repository" missing "repository acme/does-not-exist does not exist"
run show "$repo@$(printf 'f%.0s' {1..64})"
check "unknown version" missing "is not in repository $repo"
run show "$repo@staging"
check "unknown alias" missing "has no alias \"staging\""
run --url ws://127.0.0.1:1 log "$repo"
check "unreachable node (exit 6)" unreachable "cannot reach the chain at ws://127.0.0.1:1"

# Handing a repository over takes two keys: the owner offers, the new owner accepts and takes
# over the deposit.
run --key alice repo create acme/handover
run --key alice repo transfer acme/handover bob --json
check "transfer offers the repository" test "$(json_field .action)" = offered
run repo show acme/handover --json
check "the owner stays until the offer is accepted" bash -c \
	"[ '$(json_field .owner)' = 5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY ] && [ '$(json_field .pending_owner)' = '$bob_address' ]"
run --key fresh repo accept acme/handover
rc=$?
check "another key cannot accept (exit non-zero)" test $rc -ne 0
check "another key is told who may accept" has "$err" "is not offered to"
run --key bob repo accept acme/handover
check "the new owner accepts" has "$out" "now owns acme/handover"
run repo show acme/handover --json
check "bob owns it, holds its deposit, and no offer is pending" bash -c \
	"[ '$(json_field .owner)' = '$bob_address' ] && [ '$(json_field .pending_owner)' = null ] && [ '$(json_field .deposit)' -gt 0 ]"
run --key bob repo transfer acme/handover alice
run --key bob repo transfer acme/handover --withdraw
check "the owner withdraws an offer" has "$out" "withdrew the offer of acme/handover"
run --key bob repo transfer acme/handover --withdraw
rc=$?
check "withdrawing with nothing pending is refused (exit non-zero)" test $rc -ne 0
check "withdrawing with nothing pending says so" has "$err" "no transfer of acme/handover is pending"

# The load generator scripts/bench-chain.sh measures registrations per second with, on this
# node: every pre-signed registration and transfer lands, is finalized and succeeds.
load_bin="$CARGO_TARGET_DIR/$OWH_PROFILE/owh-load"
"$load_bin" --url "$OWH_WS_URL" --count 40 --accounts 5 --json >"$work/load.json" 2>"$work/load.err" ||
	{ echo "owh-load failed:" >&2; cat "$work/load.err" >&2; }
check "owh-load: 40 registrations and 40 transfers included, finalized, none failed" jq -e \
	'[.kinds[] | select(.accepted == 40 and .included == 40 and .finalized == 40 and .failed_in_block == 0)] | length == 2' \
	"$work/load.json"
check "owh-load: the registrations are versions on chain" bash -c \
	"[ \"\$('$OWH_BIN' -q --json log \"\$(jq -r .repositories[0] '$work/load.json')\" | jq length)\" -eq 8 ]"

finish_checks e2e
