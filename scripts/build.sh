#!/usr/bin/env bash
# Set-up, then the one build everything uses: the node (with the runtime wasm), the pallets and
# every test target, with the same features, so the test run rebuilds nothing.
set -euo pipefail
source "$(dirname "$0")/env.sh"
"$OWH_ROOT/scripts/setup.sh"
cd "$OWH_ROOT"
cargo build --locked --profile "$OWH_PROFILE" --workspace --all-targets
echo "built: $OWH_NODE_BIN"
echo "built: $CARGO_TARGET_DIR/$OWH_PROFILE/owh"
echo "(./scripts/install.sh links both into ~/.local/bin)"
