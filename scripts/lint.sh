#!/usr/bin/env bash
# Formatting and clippy, including the wasm-only denials of the runtime, the pallets and the
# primitives (no unwrap, expect, unchecked indexing, arithmetic side effects or panics). Uses its
# own target directory because clippy needs check-mode artifacts, not the release build's.
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$OWH_ROOT"
export SKIP_WASM_BUILD=1
export CARGO_TARGET_DIR="${OWH_LINT_TARGET_DIR:-${CARGO_TARGET_DIR}-check}"
cargo fmt --all -- --check
cargo clippy --locked --workspace --all-targets -- -D warnings
cargo clippy --locked -p owh-runtime -p pallet-registry -p pallet-licensing -p pallet-validator-set -p pallet-storage-proofs -p pallet-promotion \
	-p owh-primitives \
	--target wasm32v1-none --no-default-features -- -D warnings
echo "lint: clean"
