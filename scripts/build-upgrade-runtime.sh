#!/usr/bin/env bash
# Builds this runtime once more with `spec_version` raised by one, for the end-to-end runtime
# upgrade by referendum (tests/e2e/governance.sh). Prints the path of the compressed wasm.
#
# The copy gets another package name, so its wasm has its own build directory and can never
# overwrite the node's runtime in the shared target directory; the pallets and primitives stay
# on their original paths, so only the runtime crate itself is compiled again (native and wasm).
# Only files whose content changed replace those of the last copy, so a second run with the
# same sources rebuilds nothing.
set -euo pipefail
source "$(dirname "$0")/env.sh"

work="$CARGO_TARGET_DIR/owh-upgrade-to"
src="$work/src"
stage="$work/stage"
name=owh-runtime-upgrade-to
wasm="$CARGO_TARGET_DIR/$OWH_PROFILE/wbuild/$name/${name//-/_}.compact.compressed.wasm"

spec="$(sed -n 's/^\tspec_version: \([0-9]*\),$/\1/p' "$OWH_ROOT/runtime/src/lib.rs")"
[ -n "$spec" ] || { echo "cannot find spec_version in runtime/src/lib.rs" >&2; exit 1; }
next=$((spec + 1))

# The runtime and the manifests of the working tree (what the node was built from).
rm -rf "$stage" && mkdir -p "$stage" "$src"
(cd "$OWH_ROOT" && git ls-files -z --cached --others --exclude-standard -- runtime Cargo.toml Cargo.lock |
	xargs -0 cp --parents -t "$stage")
[ -f "$stage/runtime/Cargo.toml" ] || { echo "cannot copy the runtime sources" >&2; exit 1; }
sed -i "s/^name = \"owh-runtime\"$/name = \"$name\"/" "$stage/runtime/Cargo.toml"
sed -i "s/^\tspec_version: $spec,$/\tspec_version: $next,/" "$stage/runtime/src/lib.rs"
grep -q "spec_version: $next," "$stage/runtime/src/lib.rs"
# A workspace of the runtime alone; every other crate is taken from the clone by absolute path.
python3 - "$stage/Cargo.toml" "$OWH_ROOT" "$name" <<'PY'
import re, sys
path, root, name = sys.argv[1:]
text = open(path).read()
for key in ("members", "default-members", "exclude"):
	text = re.sub(rf'(?ms)^{key} = \[.*?\]\n', '', text)
text = text.replace('[workspace]\n', '[workspace]\nmembers = ["runtime"]\n', 1)
text = re.sub(r'path = "(?!runtime")([^"]+)"', lambda m: f'path = "{root}/{m.group(1)}"', text)
text = text.replace('owh-runtime = { path = "runtime",', f'owh-runtime = {{ package = "{name}", path = "runtime",')
open(path, "w").write(text)
PY
# Cargo.lock is cargo's to update (it renames the package in it); seed it once.
[ -f "$src/Cargo.lock" ] || cp "$stage/Cargo.lock" "$src/Cargo.lock"
(cd "$stage" && find . -type f ! -name Cargo.lock -print0) | while IFS= read -r -d '' file; do
	if ! cmp -s "$stage/$file" "$src/$file"; then
		mkdir -p "$(dirname "$src/$file")"
		cp "$stage/$file" "$src/$file"
	fi
done

(cd "$src" && WASM_BUILD_WORKSPACE_HINT="$src" cargo build -q --profile "$OWH_PROFILE" -p "$name" >&2)
[ -f "$wasm" ] || { echo "the build did not produce $wasm" >&2; exit 1; }
echo "$wasm"
