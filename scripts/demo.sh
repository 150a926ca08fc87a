#!/usr/bin/env bash
# The whole story on one machine: set-up and build, a single-validator dev chain, publish a
# model, install and verify it, a fine-tuned child with lineage, the production alias, and a
# tampered copy that verify rejects. The node and all files are removed at the end.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$OWH_ROOT/scripts/build.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
OWH_BIN="$CARGO_TARGET_DIR/$OWH_PROFILE/owh"
demo="$(mktemp -d -t owh-demo-XXXXXX)"
trap 'stop_dev_node; rm -rf "$demo"; echo "== node stopped, $demo removed"' EXIT

step() { printf '\n== %s\n' "$*"; }
owh() {
	printf '$ owh %s\n' "$*"
	"$OWH_BIN" "$@"
}

step "1-3. starting a single-validator owh-node --dev with a temporary base path"
start_dev_node
# start_dev_node installs its own EXIT trap; put ours (which also stops the node) back.
trap 'stop_dev_node; rm -rf "$demo"; echo "== node stopped, $demo removed"' EXIT
export OWH_URL="$OWH_WS_URL" OWH_STORE="$demo/store" OWH_KEYSTORE="$demo/keystore.json"
# The demo's throwaway keystore is sealed with a fixed passphrase; with your own keys, leave
# OWH_PASSPHRASE unset and owh asks for it.
export OWH_PASSPHRASE="demo keystore passphrase"
owh key import --name alice --secret //Alice
export OWH_KEY=alice

step "4. generating a small multi-file model in $demo/model"
mkdir -p "$demo/model/tokenizer"
head -c $((24 * 1024 * 1024)) /dev/urandom >"$demo/model/model.safetensors"
echo '{"architecture": "demo-transformer", "layers": 4, "hidden": 256}' >"$demo/model/config.json"
seq 1 20000 | sed 's/^/token_/' >"$demo/model/tokenizer/vocab.txt"
find "$demo/model" -type f -printf '%10s  %P\n'

step "5. publishing, installing into another directory, verifying"
owh repo create acme/demo-llm
owh publish "$demo/model" --repo acme/demo-llm -m "base model" --metric accuracy=0.712 \
	--tag task=text-generation --license Apache-2.0 --alias production
owh install acme/demo-llm@production --to "$demo/installed"
owh verify "$demo/installed" --version acme/demo-llm@production

step "6. a fine-tuned child version, and its lineage"
cp -r "$demo/model" "$demo/finetuned"
head -c $((1024 * 1024)) /dev/urandom | dd of="$demo/finetuned/model.safetensors" bs=1M seek=3 conv=notrunc status=none
owh publish "$demo/finetuned" --repo acme/demo-llm -m "fine-tuned on support tickets" \
	--metric accuracy=0.768 --parent acme/demo-llm@production:fine-tune
child="$("$OWH_BIN" log acme/demo-llm --json | jq -r '.[0].version')"
owh lineage "$child"
owh diff acme/demo-llm@production "$child"

step "7. moving the production alias to the child"
owh alias set acme/demo-llm production "$child"
owh alias history acme/demo-llm production
owh log acme/demo-llm

step "8. flipping one byte of the installed copy: verify must fail and name the file and chunk"
python3 - "$demo/installed/model.safetensors" $((7 * 1024 * 1024 + 123)) <<'PY'
import sys
with open(sys.argv[1], "r+b") as f:
    f.seek(int(sys.argv[2])); b = f.read(1)[0]; f.seek(int(sys.argv[2])); f.write(bytes([b ^ 0xFF]))
PY
if owh verify "$demo/installed" --version "$("$OWH_BIN" log acme/demo-llm --json | jq -r '.[1].version')"; then
	echo "verify accepted a tampered file; this is a bug" >&2
	exit 1
fi
echo "(verify exited non-zero, as it should)"

step "9. stopping the node"
