#!/usr/bin/env bash
# Regenerates pallets/*/src/weights.rs from the frame-benchmarking v2 benchmarks, and prints the
# runtime's balances.transfer_keep_alive weight measured the same way, for comparison.
#
# The runtime is built with `runtime-benchmarks` in the shared target directory: cargo keeps one
# artifact per feature set, so only the runtime wasm is rebuilt by the next normal build. The
# wasm is copied aside first. The node needs no feature: it runs the benchmarks inside the wasm
# it is given with --runtime.
#
# Usage: [PALLETS="registry licensing validator_set storage_proofs promotion"] scripts/benchmark-weights.sh [steps] [repeat]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$OWH_ROOT"
STEPS="${1:-50}"
REPEAT="${2:-20}"

[ -x "$OWH_NODE_BIN" ] || "$OWH_ROOT/scripts/build.sh"
cargo build --locked --profile "$OWH_PROFILE" -p owh-runtime --features runtime-benchmarks
WASM="$CARGO_TARGET_DIR/owh-runtime-benchmarks.wasm"
cp "$CARGO_TARGET_DIR/$OWH_PROFILE/wbuild/owh-runtime/owh_runtime.compact.compressed.wasm" "$WASM"

run() {
	"$OWH_NODE_BIN" benchmark pallet --runtime "$WASM" --genesis-builder=runtime \
		--genesis-builder-preset=development --wasm-execution=compiled \
		--steps "$STEPS" --repeat "$REPEAT" --heap-pages=4096 "$@"
}

for pallet in ${PALLETS:-registry licensing validator_set storage_proofs promotion}; do
	# For licensing, `max` keeps for every term the larger of the least-squares and median-slopes
	# fits, so purchase_license's unpaid-parent component, whose effect drowns in the noise of a
	# 12 ms call, is not fitted to zero. The registry keeps least squares; its commit_version
	# measures parents and the signature in benchmarks of their own, on one-artifact commits.
	analysis=min-squares
	[ "$pallet" = licensing ] && analysis=max
	run --pallet "pallet_$pallet" --extrinsic '*' --output-analysis "$analysis" \
		--template scripts/pallet-weight-template.hbs \
		--header scripts/weight-header.txt \
		--output "pallets/${pallet//_/-}/src/weights.rs"
done

# Reference point: the runtime's own transfer_keep_alive, measured on this machine.
mkdir -p target-bench-out
run --pallet pallet_balances --extrinsic transfer_keep_alive --output target-bench-out/balances.rs
grep -E 'Weight::from_parts|reads|writes' target-bench-out/balances.rs | head -5
