#!/usr/bin/env bash
# Runtime upgrade rehearsal against a real node, from an older runtime to this one:
#
#  1. builds the runtime wasm of an older commit (OWH_UPGRADE_FROM, default 30f05ba: spec_version
#     101, the layout before the registry's storage versions 1 and 2 and licensing's version 1);
#  2. starts a dev chain whose genesis runs that wasm and fills it through polkadot.js
#     (tests/polkadotjs/upgrade-populate.mjs);
#  3. try-runtime: `owh-try-runtime` downloads the live state and runs this runtime's migrations
#     on it with every pre_upgrade, post_upgrade and try_state check, then again to show they are
#     idempotent;
#  4. the real upgrade: sudo set_code with this runtime's wasm on the running chain, then checks
#     that blocks are produced and finalized and the data reads back through the new runtime
#     (tests/polkadotjs/upgrade-apply.mjs).
#
# The old wasm and the state snapshot are kept in $CARGO_TARGET_DIR/owh-upgrade. Not part of
# scripts/test.sh: the old runtime's build costs about 10 minutes; see docs/upgrades.md.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"

from="${OWH_UPGRADE_FROM:-30f05ba}"
from="$(git -C "$OWH_ROOT" rev-parse --short "$from")"
work="$CARGO_TARGET_DIR/owh-upgrade"
old_wasm="$work/owh_runtime_$from.compact.compressed.wasm"
new_wasm="$CARGO_TARGET_DIR/$OWH_PROFILE/wbuild/owh-runtime/owh_runtime.compact.compressed.wasm"
mkdir -p "$work"
[ -x "$OWH_NODE_BIN" ] && [ -f "$new_wasm" ] || "$OWH_ROOT/scripts/build.sh"

if [ ! -f "$old_wasm" ]; then
	echo "== building the runtime of $from"
	src="$work/src-$from"
	rm -rf "$src" && mkdir -p "$src"
	git -C "$OWH_ROOT" archive "$from" | tar -x -C "$src"
	# Another package name gives the old runtime its own wasm build directory, so it can never
	# overwrite this runtime's wasm in the shared target directory.
	sed -i 's/^name = "owh-runtime"$/name = "owh-runtime-upgrade-from"/' "$src/runtime/Cargo.toml"
	sed -i 's|^owh-runtime = { path = "runtime",|owh-runtime = { package = "owh-runtime-upgrade-from", path = "runtime",|' \
		"$src/Cargo.toml"
	(cd "$src" && WASM_BUILD_WORKSPACE_HINT="$src" \
		cargo build --profile "$OWH_PROFILE" -p owh-runtime-upgrade-from)
	cp "$CARGO_TARGET_DIR/$OWH_PROFILE/wbuild/owh-runtime-upgrade-from/owh_runtime_upgrade_from.compact.compressed.wasm" \
		"$old_wasm"
	rm -rf "$src"
fi

echo "== building owh-try-runtime"
SKIP_WASM_BUILD=1 cargo build --locked --profile "$OWH_PROFILE" \
	--manifest-path "$OWH_ROOT/tools/try-runtime/Cargo.toml"
try_runtime_bin="$CARGO_TARGET_DIR/$OWH_PROFILE/owh-try-runtime"

echo "== dev chain on the runtime of $from"
spec="$work/dev-$from.json"
"$OWH_NODE_BIN" build-spec --chain dev 2>/dev/null | python3 -c '
import json, sys
spec = json.load(sys.stdin)
spec["genesis"]["runtimeGenesis"]["code"] = "0x" + open(sys.argv[1], "rb").read().hex()
# The old runtime knows only the genesis of its own pallets; the governance pallets start empty
# after the upgrade, as on any chain that upgrades into them.
old_pallets = {"system", "aura", "grandpa", "balances", "transactionPayment", "sudo"}
patch = spec["genesis"]["runtimeGenesis"]["patch"]
spec["genesis"]["runtimeGenesis"]["patch"] = {k: v for k, v in patch.items() if k in old_pallets}
json.dump(spec, sys.stdout)
' "$old_wasm" >"$spec"
OWH_CHAIN="$spec" start_dev_node

cd "$OWH_ROOT/tests/polkadotjs"
[ -d node_modules/@polkadot/api ] || npm ci --no-audit --no-fund --loglevel=error
OWH_WS_URL="$OWH_WS_URL" node upgrade-populate.mjs >"$work/state.json"
echo "state written by the old runtime:"
cat "$work/state.json"

echo "== try-runtime: this runtime's migrations on the live state"
"$try_runtime_bin" --uri "$OWH_WS_URL" --snapshot "$work/state-$from.snap"

echo "== real upgrade: set_code on the running chain"
OWH_WS_URL="$OWH_WS_URL" node upgrade-apply.mjs "$new_wasm" "$work/state.json"
if grep -qiE "panicked|migration.*fail|error.*upgrade" "$OWH_NODE_LOG"; then
	echo "the node log reports a failure:" >&2
	grep -iE "panicked|migration.*fail|error.*upgrade" "$OWH_NODE_LOG" >&2
	exit 1
fi
# The owh CLI of this tree reads what the old runtime wrote, through the new runtime.
owh_bin="$CARGO_TARGET_DIR/$OWH_PROFILE/owh"
shown="$("$owh_bin" --url "$OWH_WS_URL" show acme/base@production --json)"
message="$(python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["manifest"]["message"])' <<<"$shown")"
[ "$message" = "base v2" ] || { echo "owh show acme/base@production: expected base v2, got:" >&2; echo "$shown" >&2; exit 1; }
echo "ok - owh show acme/base@production shows base v2 after the upgrade"
echo "the node's migration log:"
grep -iE "migrat|upgrade" "$OWH_NODE_LOG" | tail -n 20 || true
