#!/usr/bin/env bash
# End to end, permanent storage on Arweave: a real `owh-node --dev`, a real local Arweave gateway
# (arlocal 1.1.66 from npm, installed by scripts/setup.sh into tests/arweave) and Arweave's
# reference JavaScript client (arweave 1.15.7), driven by the real `owh` binary. Covers
# `owh mirror add <version> ar://` (price, balance, upload, waiting for mining), installing from
# the gateway alone, a gateway serving wrong bytes, an unfunded wallet, an unreachable gateway,
# an upload that is not mined in time, and both directions of interoperability with the
# JavaScript client.
set -uo pipefail
source "$(dirname "$0")/../../scripts/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
source "$OWH_ROOT/scripts/lib-test.sh"
OWH_BIN="${OWH_BIN:-$CARGO_TARGET_DIR/$OWH_PROFILE/owh}"
arweave_dir="$OWH_ROOT/tests/arweave"
for bin in "$OWH_NODE_BIN" "$OWH_BIN" "$arweave_dir/node_modules/arlocal/bin/index.js"; do
	[ -e "$bin" ] || { echo "$bin is missing; run scripts/build.sh and scripts/setup.sh" >&2; exit 1; }
done

work="$(mktemp -d -t owh-arweave-XXXXXX)"
pids=()
cleanup() {
	for p in "${pids[@]}"; do kill "$p" 2>/dev/null; done
	stop_dev_node
	rm -rf "$work"
}
trap cleanup EXIT
start_dev_node || exit 1
trap cleanup EXIT
export OWH_URL="$OWH_WS_URL" OWH_STORE="$work/store" OWH_SURI=//Alice OWH_IO_TIMEOUT=10
unset OWH_KEY

# The gateway: arlocal on a free loopback port, its database in the scratch directory.
ar_port="$(free_port)"
gw="http://127.0.0.1:$ar_port"
(cd "$work" && exec node "$arweave_dir/node_modules/arlocal/bin/index.js" "$ar_port" --hidelogs \
	--dbpath arlocal-db) >"$work/arlocal.log" 2>&1 &
pids+=($!)
for _ in $(seq 1 100); do
	curl -sf "$gw/info" >/dev/null && break
	sleep 0.2
done
check "arlocal answers /info" has "$(curl -sf "$gw/info")" '"network"'
export OWH_ARWEAVE_GATEWAY="$gw"
tool() { node "$arweave_dir/tool.mjs" "$@"; }
mine() { curl -sf "$gw/mine" >/dev/null; }
# Runs owh in the background while blocks are mined each second, as the network would mine.
run_mining() {
	"$OWH_BIN" -q "$@" >"$work/stdout" 2>"$work/stderr" &
	local pid=$!
	while kill -0 "$pid" 2>/dev/null; do
		mine
		sleep 1
	done
	wait "$pid"
	last_rc=$?
	out="$(cat "$work/stdout")"
	err="$(cat "$work/stderr")"
	return $last_rc
}

# A funded wallet, made by the JavaScript client.
address="$(tool wallet "$work/wallet.json")"
curl -sf "$gw/mint/$address/1000000000000000" >/dev/null
export OWH_ARWEAVE_WALLET="$work/wallet.json"

repo=acme/permanent
model="$work/model"
mkdir -p "$model"
head -c $((3 * 1024 * 1024 + 777)) /dev/urandom >"$model/shard-1.bin"
head -c $((1024 * 1024)) /dev/urandom >"$model/shard-2.bin"
echo '{"layers": 2}' >"$model/config.json"
hex1="$(sha256sum "$model/shard-1.bin" | cut -c1-64)"
run repo create "$repo"

# publish --mirror ar://: priced, paid, uploaded and mined before the version is committed.
run_mining publish "$model" --repo "$repo" --mirror ar:// --yes --json
check "publish --mirror ar:// uploads, waits for mining, then commits" \
	bash -c '[ "$1" -eq 0 ] && jq -e ".arweave.confirmed == true and (.mirrors[0] | startswith(\"ar://\"))" "$2" >/dev/null' \
	_ "$last_rc" "$work/stdout"
v1="$(json_field .version)"
base="$(json_field '.mirrors[0]')"
cost="$(json_field .arweave.cost)"
blob_tx="$(json_field '.arweave.transactions[0]')"
transactions="$(json_field '.arweave.transactions[]')"
check "three blobs, their chunk lists and the path manifest: seven transactions" \
	equal "$(json_field '.arweave.transactions | length')" 7
balance="$(curl -sf "$gw/wallet/$address/balance")"
check "the wallet paid what owh quoted" python3 -c "import sys; sys.exit(int(abs((1e15 - $cost) - $balance) > 1e6))"
run show "$v1" --json
check "the manifest records each file at ar://<path manifest>/<sha256>" \
	has "$(json_field '[.manifest.artifacts[].uris[]] | join(" ")')" "$base/$hex1"

# The JavaScript client reads what owh stored: signatures, data roots (shard-1 spans 13 chunks
# of Arweave's, the last two balanced) and tags.
verified=0
rooted=0
for tx in $transactions; do
	answer="$(tool check "$gw" "$tx")"
	[ "$(jq -r .verified <<<"$answer")" = true ] && verified=$((verified + 1))
	[ "$(jq -r .data_root_matches <<<"$answer")" = true ] && rooted=$((rooted + 1))
done
check "arweave-js verifies the signature of each of the seven transactions owh signed" equal "$verified" 7
check "... and the data_root owh computed over each one's bytes" equal "$rooted" 7
js="$(tool check "$gw" "$blob_tx")"
tagged="$(jq -r '.tags[] | select(.[0] == "OWH-SHA256") | .[1]' <<<"$js")"
check "... and finds the app tag and a digest tag naming one of the files" bash -c \
	'jq -e "any(.tags[]; . == [\"App-Name\", \"OpenWeightHub\"])" <<<"$1" >/dev/null && sha256sum "$2"/* | grep -q "^$3 "' \
	_ "$js" "$model" "$tagged"

# Another machine: no store, only the chain and the gateway.
run --store "$work/empty-store" install "$v1" --to "$work/from-arweave" --json
check "install from the Arweave gateway alone into an empty store" \
	bash -c '[ "$1" -eq 0 ] && diff -r "$2" "$3"' _ "$last_rc" "$model" "$work/from-arweave"
check "... read from ar://" has "$(json_field '[.files[].result.sources[].uri] | join(" ")')" "$base/"
run --store "$work/empty-store" verify "$work/from-arweave" --version "$v1"
check "owh verify passes on the copy from Arweave" has "$out" "all match"

# A gateway whose copy of shard-1 differs in chunk 1: the chunk is named and fetched elsewhere.
bad_port="$(free_port)"
python3 "$arweave_dir/bad-gateway.py" "$bad_port" "$gw" $((1024 * 1024 + 5)) 2>"$work/bad.log" &
pids+=($!)
wait_port "$bad_port"
run --store "$work/empty-store-2" --arweave-gateway "http://127.0.0.1:$bad_port" install "$v1" \
	--to "$work/from-bad" --from "file://$work/store/objects/sha256" --json
check "a gateway serving a changed chunk: install still ends with the right bytes" \
	bash -c '[ "$1" -eq 0 ] && diff -r "$2" "$3"' _ "$last_rc" "$model" "$work/from-bad"
check "... naming the file and the chunk it fetched again" \
	has "$(json_field '[.files[] | select(.path == "shard-1.bin") | .result.problems[]] | join(" ")')" \
	"chunk 1 (bytes 1048576..2097152) from $base/$hex1 does not match"
check "... and counting it as refetched" \
	equal "$(json_field '[.files[].result.refetched_chunks] | add')" 1

# mirror add ar:// for a version published elsewhere (here: only in the local store).
echo "a second version" >"$model/notes.txt"
run publish "$model" --repo "$repo" --json
v2="$(json_field .version)"
run_mining mirror add "$v2" ar:// --yes --json
check "mirror add ar:// uploads, waits for mining and records the mirror" \
	bash -c '[ "$1" -eq 0 ] && jq -e ".arweave.confirmed == true and (.mirror | startswith(\"ar://\"))" "$2" >/dev/null' \
	_ "$last_rc" "$work/stdout"
base2="$(json_field .mirror)"
run mirror list "$v2" --json
check "the chain records the ar:// mirror" equal "$(json_field '[.mirrors[].uri] | join(" ")')" "$base2"
run --store "$work/empty-store-4" install "$v2" --to "$work/from-mirror" --json
check "... and an install into an empty store reads everything from it" \
	bash -c '[ "$1" -eq 0 ] && diff -r "$2" "$3"' _ "$last_rc" "$model" "$work/from-mirror"

# Failures that must cost nothing and record nothing.
echo "a third version" >"$model/notes.txt"
run publish "$model" --repo "$repo" --json
v3="$(json_field .version)"
tool wallet "$work/empty-wallet.json" >/dev/null
run --arweave-wallet "$work/empty-wallet.json" mirror add "$v3" ar:// --yes
check "an unfunded wallet is refused before any upload, saying so" refused "fund the wallet"
closed="$(free_port)"
run --arweave-gateway "http://127.0.0.1:$closed" mirror add "$v3" ar:// --yes
check "an unreachable gateway is named (exit 6)" unreachable "cannot reach the Arweave gateway"
run mirror add "$v3" ar:// --yes --arweave-wait 3
check "an upload not mined in time is not recorded, and says how to record it later" \
	bash -c '[ "$3" -ne 0 ] && grep -q "not mined after 3 s" <<<"$1" && grep -q "record it with \`owh mirror add $2 ar://" <<<"$1"' \
	_ "$err" "$v3" "$last_rc"
pending="$(grep -o 'ar://[A-Za-z0-9_-]\{43\}' <<<"$err" | head -1)"
run mirror list "$v3" --json
check "... so the chain has no mirror for it" equal "$(json_field '.mirrors | length')" 0
mine
run mirror add "$v3" "$pending"
check "once mined, the paid upload is recorded as it stands (nothing uploaded again)" \
	has "$out" "mirrored $repo version $v3 to $pending: 0 B uploaded"

# The other direction: what the JavaScript client uploaded, added as a mirror and installed.
mkdir -p "$work/solo"
head -c $((600 * 1024)) /dev/urandom >"$work/solo/solo.bin"
run publish "$work/solo" --repo "$repo" --json
v4="$(json_field .version)"
hex3="$(sha256sum "$work/solo/solo.bin" | cut -c1-64)"
js_base="ar://$(tool upload "$gw" "$work/wallet.json" "$hex3" "$work/store/objects/sha256/$hex3" \
	"$hex3.leaves" "$work/store/objects/sha256/$hex3.leaves")"
mine
run mirror add "$v4" "$js_base"
check "a path manifest uploaded by arweave-js is added as a mirror" has "$out" "mirrored $repo version $v4 to $js_base"
run --store "$work/empty-store-3" install "$v4" --to "$work/from-js" --json
check "... and owh installs from it into an empty store, every chunk checked" \
	bash -c '[ "$1" -eq 0 ] && cmp -s "$2" "$3"' _ "$last_rc" "$work/solo/solo.bin" "$work/from-js/solo.bin"

finish_checks "arweave"
