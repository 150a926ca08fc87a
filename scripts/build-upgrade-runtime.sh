#!/usr/bin/env bash
# Builds this runtime once more with `spec_version` raised by one, for the end-to-end runtime
# upgrade by referendum (tests/e2e/governance.sh). Prints the path of the compressed wasm.
#
# The copy gets another package name, so its wasm has its own build directory and can never
# overwrite the node's runtime in the shared target directory; the pallets and primitives stay
# on their original paths, so only the runtime crate itself is compiled again (native and wasm).
set -euo pipefail
source "$(dirname "$0")/env.sh"

work="$CARGO_TARGET_DIR/owh-upgrade-to"
src="$work/src"
name=owh-runtime-upgrade-to
wasm="$CARGO_TARGET_DIR/$OWH_PROFILE/wbuild/$name/${name//-/_}.compact.compressed.wasm"

spec="$(sed -n 's/^\tspec_version: \([0-9]*\),$/\1/p' "$OWH_ROOT/runtime/src/lib.rs")"
[ -n "$spec" ] || { echo "cannot find spec_version in runtime/src/lib.rs" >&2; exit 1; }
next=$((spec + 1))

mkdir -p "$src"
# The tracked files of the working tree (what the node was built from), runtime and manifests.
rm -rf "$src/runtime"
(cd "$OWH_ROOT" && git ls-files -z --cached --others --exclude-standard -- runtime Cargo.toml Cargo.lock rust-toolchain.toml 2>/dev/null |
	xargs -0 cp --parents -t "$src" 2>/dev/null) || true
[ -f "$src/runtime/Cargo.toml" ] || { echo "cannot copy the runtime sources" >&2; exit 1; }
sed -i "s/^name = \"owh-runtime\"$/name = \"$name\"/" "$src/runtime/Cargo.toml"
sed -i "s/^\tspec_version: $spec,$/\tspec_version: $next,/" "$src/runtime/src/lib.rs"
grep -q "spec_version: $next," "$src/runtime/src/lib.rs"
# A workspace of the runtime alone; every other crate is taken from the clone by absolute path.
python3 - "$src/Cargo.toml" "$OWH_ROOT" "$name" <<'EOF'
import re, sys
path, root, name = sys.argv[1:]
text = open(path).read()
for key in ("members", "default-members", "exclude"):
	text = re.sub(rf'(?ms)^{key} = \[.*?\]\n', '', text)
text = text.replace('[workspace]\n', '[workspace]\nmembers = ["runtime"]\n', 1)
text = re.sub(r'path = "(?!runtime")([^"]+)"', lambda m: f'path = "{root}/{m.group(1)}"', text)
text = text.replace('owh-runtime = { path = "runtime",', f'owh-runtime = {{ package = "{name}", path = "runtime",')
open(path, "w").write(text)
EOF

(cd "$src" && WASM_BUILD_WORKSPACE_HINT="$src" cargo build -q --profile "$OWH_PROFILE" -p "$name" >&2)
[ -f "$wasm" ] || { echo "the build did not produce $wasm" >&2; exit 1; }
echo "$wasm"
