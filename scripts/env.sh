# Sourced by every script: one target directory for the shell, the tests and CI, so builds are
# incremental everywhere. It defaults to the clone's own `target/`; set CARGO_TARGET_DIR to share
# one directory between clones (CI does, see .ci/run).
OWH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
export OWH_ROOT
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$OWH_ROOT/target}"
# substrate-wasm-builder finds Cargo.lock by walking up from OUT_DIR; with the target directory
# outside the clone it needs this hint, or it resolves the runtime's dependencies afresh.
export WASM_BUILD_WORKSPACE_HINT="$OWH_ROOT"
export PATH="$HOME/.cargo/bin:$PATH"
# The one profile for the node, the tests and the benchmarks (see docs/building.md).
export OWH_PROFILE=release
export OWH_NODE_BIN="${OWH_NODE_BIN:-$CARGO_TARGET_DIR/$OWH_PROFILE/owh-node}"
# Test servers installed by scripts/setup-test-tools.sh.
export OWH_TOOLS="$CARGO_TARGET_DIR/owh-tools"
export S3S_FS_BIN="$OWH_TOOLS/bin/s3s-fs"
# zombie-cli (zombienet-sdk's CLI, native provider) for the network suite, also installed there.
export ZOMBIE_CLI_BIN="$OWH_TOOLS/bin/zombie-cli"
export MODEL_SIGNING_BIN="$OWH_TOOLS/model-signing-venv/bin/model_signing"
