#!/usr/bin/env bash
# End to end, artifacts at scale: a real `owh-node --dev`, a real S3-compatible server (s3s-fs,
# installed by scripts/setup-test-tools.sh) and a real `owh serve` gateway, all on loopback,
# driven by the real `owh` binary. Covers publishing to mirrors, installing from them, tampered,
# missing, truncated and hung mirrors, resume, chunk reuse from a parent version, `owh mirror`,
# the gateway's HTTP contract and a full disk.
set -uo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
source "$OWH_ROOT/scripts/lib-test.sh"
OWH_BIN="${OWH_BIN:-$CARGO_TARGET_DIR/$OWH_PROFILE/owh}"
for bin in "$OWH_NODE_BIN" "$OWH_BIN" "$S3S_FS_BIN"; do
	[ -x "$bin" ] || { echo "$bin is missing; run scripts/build.sh and scripts/setup-test-tools.sh" >&2; exit 1; }
done


work="$(mktemp -d -t owh-mirrors-XXXXXX)"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	mountpoint -q "$work/tiny" 2>/dev/null && umount "$work/tiny"
	stop_dev_node
	rm -rf "$work"
}
trap cleanup EXIT
start_dev_node || exit 1
trap cleanup EXIT
export OWH_URL="$OWH_WS_URL" OWH_STORE="$work/store" OWH_SURI=//Alice OWH_IO_TIMEOUT=3
unset OWH_KEY

# The S3 server: a bucket is a directory under its root.
s3_port="$(free_port)"
mkdir -p "$work/s3/models"
"$S3S_FS_BIN" --host 127.0.0.1 --port "$s3_port" --access-key owh-test --secret-key owh-test-secret \
	"$work/s3" >"$work/s3.log" 2>&1 &
pids+=($!)
export AWS_ACCESS_KEY_ID=owh-test AWS_SECRET_ACCESS_KEY=owh-test-secret \
	AWS_ENDPOINT_URL="http://127.0.0.1:$s3_port" AWS_REGION=us-east-1
# The gateway, with its own store, accepting uploads.
gw_port="$(free_port)"
"$OWH_BIN" --store "$work/gw-store" serve --addr "127.0.0.1:$gw_port" --writable >"$work/gw.log" 2>&1 &
pids+=($!)
gw="http://127.0.0.1:$gw_port/v1/blobs"
for _ in $(seq 1 50); do
	curl -sf "http://127.0.0.1:$gw_port/v1/health" >/dev/null && wait_port "$s3_port" && break
	sleep 0.2
done
check "the gateway answers /v1/health" has "$(curl -sf "http://127.0.0.1:$gw_port/v1/health")" "ok"

repo=acme/mirrored
model="$work/model"
mkdir -p "$model"
head -c $((24 * 1024 * 1024 + 777)) /dev/urandom >"$model/shard-1.bin"
head -c $((16 * 1024 * 1024)) /dev/urandom >"$model/shard-2.bin"
echo '{"layers": 4}' >"$model/config.json"
total=$(( 24 * 1024 * 1024 + 777 + 16 * 1024 * 1024 + $(stat -c %s "$model/config.json") ))
hex1="$(sha256sum "$model/shard-1.bin" | cut -c1-64)"
hex2="$(sha256sum "$model/shard-2.bin" | cut -c1-64)"

run repo create "$repo"
run publish "$model" --repo "$repo" --alias production -m v1 \
	--mirror s3://models/owh --mirror "$gw" --json
check "publish uploads to S3 and the gateway and commits" equal "$(json_field '.mirrors | length')" 2
v1="$(json_field .version)"; [ -n "$v1" ] || echo "    publish failed: $err" >&2
check "the S3 bucket holds the blob and its chunk list" \
	test -s "$work/s3/models/owh/$hex1" -a -s "$work/s3/models/owh/$hex1.leaves"
check "the gateway store holds the blob" cmp -s "$model/shard-1.bin" "$work/gw-store/objects/sha256/$hex1"
run show "$v1" --json
check "the manifest records the S3 and gateway URIs" \
	has "$out" "s3://models/owh/$hex1"

# The gateway's HTTP contract.
headers="$(curl -sfI "$gw/$hex1")"
check "HEAD gives Content-Length" has "$headers" "content-length: $((24 * 1024 * 1024 + 777))"
check "HEAD gives the ETag" has "$headers" "etag: \"$hex1\""
curl -sf -H 'Range: bytes=1000-1999' -o "$work/range" -w '%{http_code}' "$gw/$hex1" >"$work/code"
check "a Range request returns 206 and exactly those bytes" bash -c \
	"[ \$(cat '$work/code') = 206 ] && cmp -s '$work/range' <(tail -c +1001 '$model/shard-1.bin' | head -c 1000)"
check "a matching If-None-Match is 304" equal \
	"$(curl -s -o /dev/null -w '%{http_code}' -H "If-None-Match: \"$hex1\"" "$gw/$hex1")" 304
check "a Range past the end is 416" equal \
	"$(curl -s -o /dev/null -w '%{http_code}' -H 'Range: bytes=999999999-' "$gw/$hex1")" 416
check "an unknown blob is 404" equal "$(curl -s -o /dev/null -w '%{http_code}' "$gw/$(printf '0%.0s' $(seq 64))")" 404
check "a malformed blob name is 400" equal "$(curl -s -o /dev/null -w '%{http_code}' "$gw/not-a-hash")" 400
check "an upload whose bytes do not match its name is refused" equal \
	"$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $OWH_UPLOAD_TOKEN" -X PUT --data-binary 'not it' "$gw/$hex2")" 422
# The same store behind a gateway started without --writable refuses uploads.
ro_port="$(free_port)"
"$OWH_BIN" --store "$work/gw-store" serve --addr "127.0.0.1:$ro_port" >"$work/gw-ro.log" 2>&1 &
pids+=($!)
wait_port "$ro_port"
check "a read-only gateway refuses an upload with 403" equal "$(curl -s -o /dev/null -w '%{http_code}' \
	-X PUT --data-binary @"$model/shard-2.bin" "http://127.0.0.1:$ro_port/v1/blobs/$hex2")" 403
check "a read-only gateway still serves" equal \
	"$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$ro_port/v1/blobs/$hex1")" 200
manifest="$(curl -sf "http://127.0.0.1:$gw_port/v1/versions/$v1/manifest")"
check "the gateway serves the manifest" equal "$(jq -r .version <<<"$manifest")" "$v1"

# From here on, clients have no local copy: the publisher's store is moved away, and each
# install uses an empty store.
mv "$work/store" "$work/store.away"
export OWH_STORE="$work/client-store"

run install "$repo@production" --to "$work/i1" --json
check "install from S3 succeeds with every byte downloaded" equal "$(json_field .downloaded)" "$total"
check "the files came from S3" has "$(json_field '.files[].result.sources[].uri')" "s3://models/owh/$hex1"
run verify "$work/i1" --version "$repo@production"
check "the S3 install verifies" has "$out" "all match"

# A tampered object in the bucket: chunk 3 of shard-1 is wrong; only it is fetched again.
flip_byte "$work/s3/models/owh/$hex1" $((3 * 1024 * 1024 + 5))
run install "$repo@production" --to "$work/i2" --no-reuse --json
check "a tampered S3 object is detected and install still succeeds" equal "$?" 0
check "exactly one chunk is fetched again" equal \
	"$(jq '[.files[] | select(.path=="shard-1.bin") | .result.refetched_chunks] | add' "$work/stdout")" 1
check "the bad chunk is named" has "$(json_field '.files[].result.problems[]')" "chunk 3 (bytes 3145728..4194304) from s3://models/owh/$hex1"
check "the gateway supplied only that chunk of shard-1" equal \
	"$(jq --arg u "$gw/$hex1" '[.files[].result.sources[] | select(.uri==$u) | .bytes] | add' "$work/stdout")" $((1024 * 1024))
check "S3 supplied the rest of shard-1" equal \
	"$(jq --arg u "s3://models/owh/$hex1" '[.files[].result.sources[] | select(.uri==$u) | .bytes] | add' "$work/stdout")" $((24 * 1024 * 1024 + 777 - 1024 * 1024))
check "the result verifies" cmp -s "$work/i2/shard-1.bin" "$model/shard-1.bin"
run_loud install "$repo@production" --to "$work/i2b" --no-reuse
check "without -q or --json the bad chunk is a warning on stderr" has "$err" \
	"warning: shard-1.bin: chunk 3 (bytes 3145728..4194304) from s3://models/owh/$hex1"

# A blob missing from the bucket (404) and a truncated one: fall back to the gateway.
rm "$work/s3/models/owh/$hex2"
truncate -s $((5 * 1024 * 1024 + 3)) "$work/s3/models/owh/$hex1"
run install "$repo@production" --to "$work/i3" --no-reuse --json
check "install falls back past a missing and a truncated S3 object" equal "$?" 0
check "the missing object is reported" has "$(json_field '.files[].result.problems[]')" "s3://models/owh/$hex2 does not have it"
check "the truncated object is reported" has "$(json_field '.files[].result.problems[]')" "ended at byte"
# The truncated object still has 5 whole chunks, of which chunk 3 is the tampered one.
check "the truncated object's 4 good whole chunks were kept" equal \
	"$(jq --arg u "s3://models/owh/$hex1" '[.files[].result.sources[] | select(.uri==$u) | .bytes] | add' "$work/stdout")" $((4 * 1024 * 1024))
run verify "$work/i3" --version "$v1"
check "the fallback install verifies" has "$out" "all match"

# A hung server (accepts, never answers) before a good mirror: the timeout moves on.
hung_port="$(free_port)"
hung_server "$hung_port" &
pids+=($!)
wait_port "$hung_port"
mkdir -p "$work/gw-hidden"
mv "$work/gw-store/objects/sha256/$hex2" "$work/gw-hidden/"
started=$(date +%s)
run install "$repo@production" --to "$work/i4" --no-reuse --io-timeout 2 --json \
	--from "http://127.0.0.1:$hung_port/v1/blobs" --from "file://$work/store.away/objects/sha256"
check "a hung mirror times out and the next one is used" equal "$?" 0
check "the hang is reported" has "$(json_field '.files[].result.problems[]')" "no response within 2 s"
check "the hung mirror cost about one timeout per attempt" test $(( $(date +%s) - started )) -lt 30
check "nothing is left half-written" bash -c "! ls -A '$work/i4' | grep -q owh-partial"

# Every location missing: a clear error and no file in place.
run install "$repo@production" --to "$work/i5" --no-reuse --io-timeout 2
check "with no intact copy anywhere the install fails" test $? -ne 0
check "the error names the file and the failing locations" has "$err" "shard-2.bin: 16 of 16 chunks"
check "nothing is renamed into place" test ! -e "$work/i5/shard-2.bin"
mv "$work/gw-hidden/$hex2" "$work/gw-store/objects/sha256/"

# Resume: half of shard-1 from an interrupted install is kept.
mkdir -p "$work/i6"
head -c $((12 * 1024 * 1024 + 100)) "$model/shard-1.bin" >"$work/i6/.shard-1.bin.owh-partial"
run install "$repo@production" --to "$work/i6" --no-reuse --json
check "resume keeps the 12 verified chunks" equal \
	"$(jq '[.files[] | select(.path=="shard-1.bin") | .result.resumed] | add' "$work/stdout")" $((12 * 1024 * 1024))
check "and downloads only the rest" equal "$(json_field .downloaded)" $((total - 12 * 1024 * 1024))

# owh mirror: copy the version to a file:// mirror and record it on chain.
mv "$work/store.away" "$work/store"
rm "$work/store/objects/sha256/$hex2"
OWH_STORE="$work/store" run mirror add "$repo@production" "file://$work/fm" --json
check "mirror add fetches what the store lacks and uploads everything" equal "$(json_field .uploaded)" "$total"
check "the file mirror holds the blobs" cmp -s "$work/fm/$hex2" "$model/shard-2.bin"
run mirror list "$repo@production" --json
check "the chain lists the new mirror" equal "$(json_field '.mirrors[0].uri')" "file://$work/fm"
run show "$v1" --json
check "the version id is unchanged" equal "$(json_field .version)" "$v1"
OWH_STORE="$work/store" run mirror add "$repo@production" "file://$work/fm"
check "adding the same mirror twice is refused" refused "already a mirror"
mv "$work/store" "$work/store.away"
rm -f "$work/s3/models/owh/$hex1" "$work/gw-store/objects/sha256/$hex1"
run install "$repo@production" --to "$work/i7" --no-reuse --json
check "a file:// mirror read from the chain is not opened: the install fails (exit 6)" \
	bash -c '[ "$1" -eq 6 ] && grep -qF "$2" <<<"$3"' _ "$last_rc" \
	"file://$work/fm/$hex1: a file:// URI from the chain is read only inside the local store" "$err"
run install "$repo@production" --to "$work/i7" --no-reuse --json --from "file://$work/fm"
check "named with --from, the same mirror is used when the recorded URIs fail" equal "$last_rc" 0
check "shard-1 came from that mirror" has "$(json_field '.files[].result.sources[].uri')" "file://$work/fm/$hex1"
mv "$work/store.away" "$work/store"

# A child version: one chunk of shard-1 changed. Publish reports the new bytes; install reuses
# the parent's chunks from its earlier install.
cp -r "$model" "$work/model2"
flip_byte "$work/model2/shard-1.bin" $((7 * 1024 * 1024 + 9))
OWH_STORE="$work/store" run publish "$work/model2" --repo "$repo" --parent "$repo@production" -m v2 \
	--mirror "$gw" --json
v2="$(json_field .version)"
check "publish reports 1 MiB new compared with the parent" equal "$(json_field .new_bytes_vs_parents.bytes)" $((1024 * 1024))
check "publish copies only the changed file into the store" equal "$(json_field .bytes_copied_to_store)" $((24 * 1024 * 1024 + 777))
run install "$v2" --to "$work/i8" --json
check "installing the child downloads only the changed chunk" equal "$(json_field .downloaded)" $((1024 * 1024))
check "and reuses the rest from the parent's install" equal "$(json_field .reused)" $((total - 1024 * 1024))
run verify "$work/i8" --version "$v2"
check "the child install verifies" has "$out" "all match"

run mirror rm "$repo@production" "file://$work/fm"
check "mirror rm removes the on-chain record" has "$out" "removed mirror"

# A full disk: the install refuses before writing. A tmpfs of 8 MiB in a private mount namespace
# (a user namespace too when not root), where the install runs; counted as skipped only where
# neither can be had.
mkdir -p "$work/tiny"
full_disk='mount -t tmpfs -o size=8m tmpfs "$1" || exit 99
"$4" -q install "$2" --to "$1/m" --no-reuse >"$3/stdout" 2>"$3/stderr"
echo $? >"$3/tiny-rc"
find "$1/m" -type f 2>/dev/null | wc -l >"$3/tiny-files"'
mount_ns=(unshare --mount)
[ "$(id -u)" -eq 0 ] || mount_ns=(unshare --user --map-root-user --mount)
if "${mount_ns[@]}" bash -c "$full_disk" full-disk "$work/tiny" "$v2" "$work" "$OWH_BIN" 2>/dev/null; then
	err="$(cat "$work/stderr")"
	check "a disk that is too small is refused up front" has "$err" "not enough space"
	check "the refused install exits 1" equal "$(cat "$work/tiny-rc")" 1
	check "nothing is written" equal "$(cat "$work/tiny-files")" 0
else
	skip "a disk that is too small is refused up front" "no tmpfs: not root and no user namespaces"
fi

finish_checks "e2e mirrors"
