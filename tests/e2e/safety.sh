#!/usr/bin/env bash
# End to end: what `owh` refuses to trust or touch, against a real `owh-node --dev` and real
# HTTP mirrors on loopback (docs/security.md). Without OWH_ALLOW_PRIVATE_MIRRORS, as a user's
# machine runs it:
# - no path of the publisher's machine is written to the chain;
# - manifest URIs and on-chain mirrors that reach this machine (file://, loopback HTTP) are not
#   read, and the mirror's request log shows it;
# - bytes that fail verification with no chunk list are deleted, a symlinked partial file is
#   refused, symbolic links out of a model directory are refused;
# - plain ws:// off this machine is refused, and each kind of failure has its exit code and a
#   JSON error with --json;
# - with a trust anchor, rewritten aliases and yank records are refused; audit receipts are
#   checked offline with the nodes stopped, and one with a byte changed, or from another chain
#   with the same authority, is refused.
set -uo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
OWH_BIN="${OWH_BIN:-$CARGO_TARGET_DIR/$OWH_PROFILE/owh}"
for bin in "$OWH_NODE_BIN" "$OWH_BIN"; do
	[ -x "$bin" ] || { echo "$bin is not built; run scripts/build.sh" >&2; exit 1; }
done
source "$OWH_ROOT/scripts/lib-test.sh"
unset OWH_ALLOW_PRIVATE_MIRRORS

work="$(mktemp -d -t owh-safety-XXXXXX)"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	stop_dev_node
	rm -rf "$work"
}
trap cleanup EXIT
start_dev_node || exit 1
trap cleanup EXIT
export OWH_URL="$OWH_WS_URL" OWH_STORE="$work/store" OWH_KEYSTORE="$work/keystore.json" OWH_IO_TIMEOUT=3
export OWH_SURI=//Alice
unset OWH_KEY
repo=acme/guarded

# A plain static HTTP server over $2 on port $1, logging every request to $work/http-$1.log.
static_server() {
	python3 -m http.server "$1" --bind 127.0.0.1 --directory "$2" >"$work/http-$1.log" 2>&1 &
	pids+=($!)
	wait_port "$1"
}
requests() { grep -c '"GET ' "$work/http-$1.log" || true; }

model="$work/model"
mkdir -p "$model"
head -c $((3 * 1024 * 1024 + 5)) /dev/urandom >"$model/weights.bin"
echo '{"layers": 2}' >"$model/config.json"
hex="$(sha256sum "$model/weights.bin" | cut -c1-64)"

run repo create "$repo"
# The first version is mirrored to an `owh serve` on loopback, recorded in the manifest.
gw_port="$(free_port)"
"$OWH_BIN" --store "$work/gw-store" serve --addr "127.0.0.1:$gw_port" --writable >"$work/gw.log" 2>&1 &
gw_pid=$!
wait_port "$gw_port"
run publish "$model" --repo "$repo" -m "v1" --mirror "http://127.0.0.1:$gw_port/v1/blobs" --json
v1="$(json_field .version)"
check "the version is published to a loopback mirror" bash -c "[[ '$v1' == bafkrei* ]]"
kill "$gw_pid" && wait "$gw_pid" 2>/dev/null
run show "$v1" --json
check "the manifest records the mirror and no path of the publisher's machine" equal \
	"$(json_field '[.manifest.artifacts[].uris[]] | map(select(startswith("file://"))) | length'),$(json_field '[.manifest.artifacts[].uris[]] | length')" "0,2"

# The same port now serves the gateway's blobs as a plain static server that logs requests.
mkdir -p "$work/static/v1"
ln -s "$work/gw-store/objects/sha256" "$work/static/v1/blobs"
static_server "$gw_port" "$work/static"
export OWH_STORE="$work/empty-store"
run install "$v1" --to "$work/i1"
check "a loopback mirror from the chain is refused: exit 6" equal "$last_rc" 6
check "... naming it and the flag that allows it" has "$err" \
	"http://127.0.0.1:$gw_port/v1/blobs/$hex: it points at this machine or a private network; pass --allow-private-mirrors"
check "... and the mirror saw no request" equal "$(requests "$gw_port")" 0
check "... and nothing is left in the target directory" equal "$(ls -A "$work/i1" | wc -l)" 0
run install "$v1" --to "$work/i1" --allow-private-mirrors
check "with --allow-private-mirrors the same install succeeds" bash -c \
	"[ $last_rc -eq 0 ] && cmp -s '$model/weights.bin' '$work/i1/weights.bin'"
check "... reading from that mirror" test "$(requests "$gw_port")" -ge 1
run install "$v1" --to "$work/i1b" --from "http://127.0.0.1:$gw_port/v1/blobs"
check "a loopback mirror the user names with --from is read" equal "$last_rc" 0

# A manifest whose file:// URI points outside the store (here: at a directory of the publisher).
mkdir -p "$work/model2" "$work/fmirror"
cp "$model/config.json" "$work/model2/"
echo "second" >"$work/model2/notes.txt"
OWH_STORE="$work/store" run publish "$work/model2" --repo "$repo" -m "v2" --mirror "file://$work/fmirror" --json
v2="$(json_field .version)"
notes_hex="$(sha256sum "$work/model2/notes.txt" | cut -c1-64)"
chmod 000 "$work/fmirror/$notes_hex"
run install "$v2" --to "$work/i2"
check "a file:// URI from the chain outside the store is refused: exit 6" equal "$last_rc" 6
check "... with the reason, not a read error" bash -c \
	"grep -qF 'file://$work/fmirror/$notes_hex: a file:// URI from the chain is read only inside the local store' <<<'$err' && ! grep -q 'Permission denied' <<<'$err'"
chmod 644 "$work/fmirror/$notes_hex"
run install "$v2" --to "$work/i2" --from "file://$work/fmirror"
check "named with --from it is read" equal "$last_rc" 0

# A mirror serving wrong bytes and no chunk list: nothing unverified stays in the target.
bad_port="$(free_port)"
mkdir -p "$work/bad/blobs"
head -c $((3 * 1024 * 1024 + 5)) /dev/urandom >"$work/bad/blobs/$hex"
static_server "$bad_port" "$work/bad"
run install "$v1" --to "$work/i3" --from "http://127.0.0.1:$bad_port/blobs" --json
check "wrong bytes from the only mirror: exit 3 (differ)" equal "$last_rc" 3
check "... the mirror was read" test "$(requests "$bad_port")" -ge 1
check "... and the target holds no byte of them (not even a partial file)" equal \
	"$(find "$work/i3" -name '*weights*' | wc -l)" 0
check "... the JSON error names its kind" equal \
	"$(jq -r '.error.kind + " " + (.error.code | tostring)' <<<"$err")" "differ 3"

# A partial file that is a symbolic link is not written through.
mkdir -p "$work/i4"
echo "keep me" >"$work/victim"
ln -s "$work/victim" "$work/i4/.weights.bin.owh-partial"
run install "$v1" --to "$work/i4" --from "http://127.0.0.1:$gw_port/v1/blobs"
check "a symlinked partial file is refused" refused "is a symbolic link; owh writes partial downloads only to regular files"
check "... and its target is untouched" equal "$(cat "$work/victim")" "keep me"

# Symbolic links leaving a model directory: refused by publish and verify unless followed.
mkdir -p "$work/model3"
cp "$model/config.json" "$work/model3/"
echo "secret" >"$work/secret"
ln -s "$work/secret" "$work/model3/extra.bin"
OWH_STORE="$work/store" run publish "$work/model3" --repo "$repo" -m "links" --dry-run
check "publish refuses a link out of the directory" refused "extra.bin is a symbolic link that leads out of the directory"
OWH_STORE="$work/store" run publish "$work/model3" --repo "$repo" -m "links" --dry-run --follow-symlinks --json
check "... and publishes what it points to with --follow-symlinks" equal \
	"$(json_field '[.manifest.artifacts[].path] | join(",")')" "config.json,extra.bin"
cp -r "$work/i1" "$work/i5"
ln -s "$work/secret" "$work/i5/stray.bin"
run verify "$work/i5" --version "$v1"
check "verify refuses a link out of the directory" refused "stray.bin is a symbolic link"

# owh serve: uploads need the token, bodies are bounded, slow clients are dropped.
srv_port="$(free_port)"
OWH_SERVE_TOKEN= run --store "$work/srv-store" serve --addr "127.0.0.1:$srv_port" --writable
check "a writable gateway without a token does not start" refused "--writable needs a bearer token"
printf '%s\n' "$OWH_SERVE_TOKEN" >"$work/token"
OWH_SERVE_TOKEN= "$OWH_BIN" --store "$work/srv-store" serve --addr "127.0.0.1:$srv_port" --writable \
	--token-file "$work/token" --max-upload $((4 * 1024 * 1024)) --max-connections 64 --client-timeout 2 \
	>"$work/srv.log" 2>&1 &
pids+=($!)
wait_port "$srv_port"
srv="http://127.0.0.1:$srv_port/v1/blobs"
put() { curl -s -o /dev/null -w '%{http_code}' -X PUT "$@"; }
check "an upload without the token is 401" equal "$(put --data-binary @"$model/weights.bin" "$srv/$hex")" 401
check "an upload with a wrong token is 401" equal \
	"$(put -H "Authorization: Bearer not-$OWH_SERVE_TOKEN" --data-binary @"$model/weights.bin" "$srv/$hex")" 401
check "... and nothing was stored" test ! -e "$work/srv-store/objects/sha256/$hex"
auth=(-H "Authorization: Bearer $OWH_SERVE_TOKEN")
check "an upload with the token is stored (201)" equal "$(put "${auth[@]}" --data-binary @"$model/weights.bin" "$srv/$hex")" 201
head -c $((5 * 1024 * 1024)) /dev/urandom >"$work/big.bin"
big_hex="$(sha256sum "$work/big.bin" | cut -c1-64)"
check "an upload over --max-upload is 413" equal "$(put "${auth[@]}" --data-binary @"$work/big.bin" "$srv/$big_hex")" 413
check "... also when it does not declare its length" equal \
	"$(put "${auth[@]}" -H 'Transfer-Encoding: chunked' --data-binary @"$work/big.bin" "$srv/$big_hex")" 413
leaves="$work/store/objects/sha256/$hex.leaves"
cp "$leaves" "$work/bad.leaves"
flip_byte "$work/bad.leaves" 5
check "a chunk list that is not the blob's is 422" equal "$(put "${auth[@]}" --data-binary @"$work/bad.leaves" "$srv/$hex.leaves")" 422
check "the blob's own chunk list is stored" equal "$(put "${auth[@]}" --data-binary @"$leaves" "$srv/$hex.leaves")" 201
cfg_hex="$(sha256sum "$model/config.json" | cut -c1-64)"
put "${auth[@]}" --data-binary @"$model/config.json" "$srv/$cfg_hex" >/dev/null
run install "$v1" --to "$work/i6" --from "$srv"
check "a client installs from the gateway it uploaded to" equal "$last_rc" 0
python3 - "$srv_port" >"$work/slow.txt" <<'PY'
import socket, sys, time, urllib.request
port = int(sys.argv[1])
slow = []
for _ in range(20):  # each sends half a request head, then nothing
    s = socket.create_connection(("127.0.0.1", port))
    s.sendall(b"GET /v1/health HTTP/1.1\r\nHost: x\r\n")
    slow.append(s)
start = time.time()
served = urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/health", timeout=5).read() == b"ok"
served_in = time.time() - start
dropped = 0
for s in slow:
    s.settimeout(15)
    try:
        while s.recv(4096):
            pass
        dropped += 1
    except OSError:
        pass
print(served, f"{served_in:.2f}", dropped, f"{time.time() - start:.1f}")
PY
read -r served served_in dropped dropped_in <"$work/slow.txt"
echo "    20 slow clients: another served in ${served_in} s; all dropped after ${dropped_in} s"
check "other clients are served while 20 slow ones stall" equal "$served" True
check "the slow clients are dropped after --client-timeout (2 s)" bash -c \
	"[ '$dropped' = 20 ] && awk 'BEGIN { exit !($dropped_in < 10) }'"

# A tampering RPC proxy between owh and the node rewrites a manifest's message in every answer.
honest="honest manifest from the publisher"
altered="altered manifest, by the node!!!!!"
mkdir -p "$work/model4" && echo "tamper target" >"$work/model4/readme.txt"
OWH_STORE="$work/store" run publish "$work/model4" --repo "$repo" -m "$honest" --mirror "file://$work/fmirror" --json
v4="$(json_field .version)"
hexof() { printf '%s' "$1" | od -An -tx1 | tr -d ' \n'; }
proxy_port="$(free_port)"
python3 "$OWH_ROOT/tests/e2e/tamper-proxy.py" "$proxy_port" "$OWH_RPC_PORT" "$(hexof "$honest")" "$(hexof "$altered")" \
	2>"$work/proxy.log" &
pids+=($!)
wait_port "$proxy_port"
run --url "ws://127.0.0.1:$proxy_port" show "$v1"
check "through the proxy, an untouched answer is accepted" equal "$last_rc" 0
run --url "ws://127.0.0.1:$proxy_port" show "$v4"
check "a rewritten manifest is refused by show: exit 7" bash -c \
	"[ $last_rc -eq 7 ] && grep -q 'the node answered for version $v4 with a manifest that hashes to' <<<'$err'"
run --url "ws://127.0.0.1:$proxy_port" install "$v4" --to "$work/i7" --from "file://$work/fmirror"
check "... and by install, which writes nothing" bash -c "[ $last_rc -eq 7 ] && [ -z \"\$(ls -A '$work/i7' 2>/dev/null)\" ]"
run --url "ws://127.0.0.1:$proxy_port" verify "$work/i1" --version "$v4"
check "... and by verify" equal "$last_rc" 7
check "the proxy did rewrite the answers" test "$(grep -c '^tampered' "$work/proxy.log")" -ge 3
run install "$v4" --to "$work/i7" --from "file://$work/fmirror"
check "straight from the node the same version installs" equal "$last_rc" 0

# Proven reads. The trust anchor comes from the raw dev chain spec (genesis hash computed from
# the genesis storage, first GRANDPA set read from it); aliases, versions, yanks and mirrors
# are then read with storage proofs against a GRANDPA-finalized header.
"$OWH_NODE_BIN" build-spec --dev --raw >"$work/dev-raw.json" 2>/dev/null
genesis="$(curl -s -H 'Content-Type: application/json' \
	-d '{"id":1,"jsonrpc":"2.0","method":"chain_getBlockHash","params":[0]}' "http://127.0.0.1:$OWH_RPC_PORT" | jq -r .result)"
anchored=(--anchors "$work/anchors")
run "${anchored[@]}" trust init --chain-spec "$work/dev-raw.json" --json
check "trust init computes the running chain's genesis hash from the raw spec" equal "$(json_field .genesis_hash)" "$genesis"
run "${anchored[@]}" trust show --json
check "trust show proves a finalized block from the genesis authority set" bash -c \
	"[ $last_rc -eq 0 ] && [ '$(json_field .finalized_number)' -gt 0 ] && [ '$(json_field .set_id)' = 0 ]"
run alias set "$repo" stable "$v1"
run yank "$v4" --reason "honest yank reason, said once"
run "${anchored[@]}" show "$repo@stable" --json
check "an anchored read resolves the alias through a storage proof" equal "$(json_field .version)" "$v1"
# A node that answers with another alias target, or another yank reason. (A version id is
# shown as a CIDv1, base32 of 0x01 0x55 0x12 0x20 and the 32 bytes the chain stores.)
id_hex() { python3 -c 'import base64, sys; s = sys.argv[1][1:].upper(); print(base64.b32decode(s + "=" * (-len(s) % 8))[4:].hex())' "$1"; }
proxy2="$(free_port)"
python3 "$OWH_ROOT/tests/e2e/tamper-proxy.py" "$proxy2" "$OWH_RPC_PORT" "$(id_hex "$v1")" "$(id_hex "$v4")" 2>"$work/proxy2.log" &
pids+=($!)
proxy3="$(free_port)"
python3 "$OWH_ROOT/tests/e2e/tamper-proxy.py" "$proxy3" "$OWH_RPC_PORT" \
	"$(hexof "honest yank reason, said once")" "$(hexof "a lie about the yank reason!!")" 2>"$work/proxy3.log" &
pids+=($!)
wait_port "$proxy2"
wait_port "$proxy3"
run --url "ws://127.0.0.1:$proxy2" show "$repo@stable" --json
check "without an anchor, a rewritten alias is believed" equal "$(json_field .version)" "$v4"
run "${anchored[@]}" --url "ws://127.0.0.1:$proxy2" show "$repo@stable"
check "with the anchor, the rewritten alias fails its storage proof: exit 7" bash -c \
	"[ $last_rc -eq 7 ] && grep -q 'storage proof does not prove' <<<'$err'"
run "${anchored[@]}" --url "ws://127.0.0.1:$proxy2" install "$repo@stable" --to "$work/i8" --from "file://$work/fmirror"
check "... and install of it writes nothing" bash -c "[ $last_rc -eq 7 ] && [ -z \"\$(ls -A '$work/i8' 2>/dev/null)\" ]"
run --url "ws://127.0.0.1:$proxy3" show "$v4" --json
check "without an anchor, a rewritten yank reason is believed" has "$out" "a lie about the yank reason"
run "${anchored[@]}" --url "ws://127.0.0.1:$proxy3" show "$v4"
check "with the anchor, the rewritten yank record is refused: exit 7" equal "$last_rc" 7
check "both proxies did rewrite answers" bash -c \
	"grep -q '^tampered' '$work/proxy2.log' && grep -q '^tampered' '$work/proxy3.log'"
run "${anchored[@]}" show "$v4" --json
check "straight from the node the proven yank record is read" has "$out" "honest yank reason, said once"
# A node that resolves the alias to a version of another repository: even unanchored, the
# version's record (which its id covers) names its repository, and it must be the one asked for.
run repo create acme/elsewhere
run publish "$model" --repo acme/elsewhere -m "not acme/guarded" --json
elsewhere="$(json_field .version)"
proxy4="$(free_port)"
python3 "$OWH_ROOT/tests/e2e/tamper-proxy.py" "$proxy4" "$OWH_RPC_PORT" "$(id_hex "$v1")" "$(id_hex "$elsewhere")" 2>"$work/proxy4.log" &
pids+=($!)
wait_port "$proxy4"
run --url "ws://127.0.0.1:$proxy4" install "$repo@stable" --to "$work/i10"
check "an alias resolved to another repository's version is refused: exit 7" bash -c \
	"[ $last_rc -eq 7 ] && grep -q 'which belongs to acme/elsewhere' '$work/stderr' && [ -z \"\$(ls -A '$work/i10' 2>/dev/null)\" ]"
# An anchor naming other authorities: the node's justifications do not verify against it.
jq '.authorities = [["0x0000000000000000000000000000000000000000000000000000000000000001", 1]]' \
	"$work/anchors/$genesis.json" >"$work/forged.json"
mkdir -p "$work/forged" && cp "$work/forged.json" "$work/forged/$genesis.json"
run --anchors "$work/forged" show "$repo@stable"
check "an anchor with other authorities refuses the node's finality proof: exit 7" bash -c \
	"[ $last_rc -eq 7 ] && grep -q 'not an authority of set 0' <<<'$err'"

# The RPC endpoint and the exit codes.
run --url ws://192.0.2.1:9944 show "$v1"
check "plain ws:// off this machine is refused before connecting: exit 7" bash -c \
	"[ $last_rc -eq 7 ] && grep -q -- '--insecure-rpc' <<<'$err'"
run show "$repo@nonexistent" --json
check "an unknown alias exits 4 (not found) with a JSON error" equal \
	"$(jq -r '.error.kind + " " + (.error.code | tostring)' <<<"$err")" "not_found 4"
run --url "ws://127.0.0.1:$(free_port)" show "$v1"
check "an unreachable node exits 6" equal "$last_rc" 6
python3 -c 'import sys; f = open(sys.argv[1], "r+b"); f.seek(10); b = f.read(1); f.seek(10); f.write(bytes([b[0] ^ 1]))' "$work/i1/weights.bin"
run verify "$work/i1" --version "$v1"
check "a changed file exits 3" equal "$last_rc" 3

# Audit receipts: the record of a version with the finality and storage proofs behind it,
# checked later with no node, from the trust anchor.
run "${anchored[@]}" receipt "$repo@stable" -o "$work/receipt.json" --json
check "owh receipt proves an alias and its version at a finalized block" bash -c \
	"[ $last_rc -eq 0 ] && [ '$(json_field .version)' = '$v1' ] && [ '$(json_field .alias)' = stable ] && [ '$(json_field .genesis_hash)' = '$genesis' ]"
run "${anchored[@]}" receipt "$v4" -o "$work/receipt-v4.json" --json
check "the receipt of a yanked version carries its proven yank record" has "$(json_field .yanked.reason)" "honest yank reason, said once"
run receipt "$repo@stable" -o "$work/unanchored.json"
check "without a trust anchor no receipt is written: exit 4" bash -c \
	"[ $last_rc -eq 4 ] && grep -q 'owh trust init' '$work/stderr' && [ ! -e '$work/unanchored.json' ]"
run install "$v1" --to "$work/i9" --from "http://127.0.0.1:$gw_port/v1/blobs"
# Another chain whose only authority is Alice too: the dev chain spec with one more genesis key.
jq '.genesis.raw.top["0x6f77682d6f746865722d636861696e"] = "0x01"' "$work/dev-raw.json" >"$work/other-raw.json"
other_ports="$(free_ports 2)"
other_rpc="$(sed -n 1p <<<"$other_ports")"
"$OWH_NODE_BIN" --dev --chain "$work/other-raw.json" --base-path "$work/other-node" \
	--rpc-port "$other_rpc" --port "$(sed -n 2p <<<"$other_ports")" --no-prometheus --no-telemetry \
	>"$work/other-node.log" 2>&1 &
other_pid=$!
pids+=("$other_pid")
wait_port "$other_rpc"
other=(--url "ws://127.0.0.1:$other_rpc" --anchors "$work/other-anchors" --store "$work/other-store")
run "${other[@]}" trust init --chain-spec "$work/other-raw.json" --json
other_genesis="$(json_field .genesis_hash)"
run "${other[@]}" repo create "$repo"
run "${other[@]}" publish "$model" --repo "$repo" -m "the same files on another chain" --json
run "${other[@]}" receipt "$repo" -o "$work/other-receipt.json"
check "another chain with the same authority writes its own receipt" bash -c \
	"[ $last_rc -eq 0 ] && [ '$other_genesis' != '$genesis' ] && [ -s '$work/other-receipt.json' ]"
kill "$other_pid" && wait "$other_pid" 2>/dev/null
stop_dev_node

run "${anchored[@]}" verify "$work/i9" --receipt "$work/receipt.json" --json
check "with every node stopped, the receipt checks the installed copy offline" bash -c \
	"[ $last_rc -eq 0 ] && [ '$(json_field .receipt.block_hash)' != null ] && [ '$(json_field .report.ok)' = true ]"
printf 'x' >>"$work/i9/config.json"
run "${anchored[@]}" verify "$work/i9" --receipt "$work/receipt.json"
check "a changed file is named against the receipt: exit 3" bash -c \
	"[ $last_rc -eq 3 ] && grep -q 'MISMATCH  config.json' '$work/stdout'"
# One byte changed, at 80-odd places spread over the file: every one refused as untrusted (7),
# or as from an unanchored chain (4) where the genesis hash changed.
python3 - "$OWH_BIN" "$work" <<'PY' >"$work/flips.log"
import subprocess, sys
owh, work = sys.argv[1], sys.argv[2]
data = open(f"{work}/receipt.json", "rb").read()
refused = 0
places = range(0, len(data), max(1, len(data) // 80))
for i in places:
    b = bytearray(data)
    hexdigits = b"0123456789abcdef"
    b[i] = hexdigits[(hexdigits.index(b[i]) + 1) % 16] if b[i] in hexdigits else b[i] ^ 1
    open(f"{work}/flipped.json", "wb").write(b)
    p = subprocess.run([owh, "-q", "--anchors", f"{work}/anchors", "verify", f"{work}/i9",
                        "--receipt", f"{work}/flipped.json"], capture_output=True)
    refused += p.returncode in (4, 7)
print(refused, len(places))
PY
read -r flips_refused flips_made <"$work/flips.log"
check "a receipt with one byte changed is refused ($flips_refused of $flips_made places)" bash -c \
	"[ '$flips_made' -ge 80 ] && [ '$flips_refused' = '$flips_made' ]"
run "${anchored[@]}" verify "$model" --receipt "$work/other-receipt.json"
check "a receipt from a chain with no trust anchor here is refused: exit 4" bash -c \
	"[ $last_rc -eq 4 ] && grep -q 'no trust anchor' '$work/stderr'"
sed "s/\"genesis_hash\": \"$other_genesis\"/\"genesis_hash\": \"$genesis\"/" "$work/other-receipt.json" >"$work/forged-receipt.json"
run "${anchored[@]}" verify "$model" --receipt "$work/forged-receipt.json"
check "... and relabelled as this chain, its finality checks (same authority) but its state does not: exit 7" bash -c \
	"[ $last_rc -eq 7 ] && grep -q 'belongs to the chain with genesis $other_genesis' '$work/stderr'"

finish_checks safety
