#!/usr/bin/env bash
# The whole test suite: set-up, build, unit and property tests, the end-to-end tests against a
# real `owh-node --dev`, then the network suite on four validators and a full node (zombienet).
set -euo pipefail
source "$(dirname "$0")/env.sh"
# Checked before an hour of building, not after.
"$OWH_ROOT/scripts/check-node.sh"
"$OWH_ROOT/scripts/build.sh"
# The runtime at spec_version + 1 for the governance test's upgrade, built before any node runs.
"$OWH_ROOT/scripts/build-upgrade-runtime.sh" >/dev/null
"$OWH_ROOT/scripts/setup-test-tools.sh"
cd "$OWH_ROOT"
cargo nextest run --locked --cargo-profile "$OWH_PROFILE" --workspace --no-fail-fast
# Every benchmark, run as a test against the mock runtime, and the storage migrations with their
# try-runtime pre/post-upgrade checks (one second, small feature set for both).
SKIP_WASM_BUILD=1 cargo nextest run --locked --cargo-profile "$OWH_PROFILE" -p pallet-registry \
	-p pallet-licensing -p pallet-validator-set -p pallet-storage-proofs -p pallet-promotion \
	--features runtime-benchmarks,try-runtime \
	--no-fail-fast
# The licensing suite mostly waits for finality (about 30 transactions), so it runs on its own
# node beside the others; its output is printed when it ends.
licensing_log="$(mktemp -t owh-licensing-log-XXXXXX)"
"$OWH_ROOT/tests/e2e/licensing.sh" >"$licensing_log" 2>&1 &
licensing_pid=$!
# So does the governance suite (`owh gov`, a runtime upgrade by referendum; about 8 minutes).
governance_log="$(mktemp -t owh-governance-log-XXXXXX)"
"$OWH_ROOT/tests/e2e/governance.sh" >"$governance_log" 2>&1 &
governance_pid=$!
# And the storage-proofs suite (a provider daemon answering rounds of challenges; about 7
# minutes, mostly waiting for blocks).
storage_log="$(mktemp -t owh-storage-log-XXXXXX)"
"$OWH_ROOT/tests/e2e/storage-proofs.sh" >"$storage_log" 2>&1 &
storage_pid=$!
# And the off-chain workers probing three real HTTP mirrors (about 2.5 minutes, waiting for a
# session to end).
availability_log="$(mktemp -t owh-availability-log-XXXXXX)"
"$OWH_ROOT/tests/e2e/availability.sh" >"$availability_log" 2>&1 &
availability_pid=$!
# And gated promotion: the fraud-detection example with council motions and disputes (about
# 6 minutes, mostly waiting for finality).
promotion_log="$(mktemp -t owh-promotion-log-XXXXXX)"
"$OWH_ROOT/tests/e2e/promotion.sh" >"$promotion_log" 2>&1 &
promotion_pid=$!
trap 'kill "$licensing_pid" "$governance_pid" "$storage_pid" "$availability_pid" "$promotion_pid" 2>/dev/null || true; rm -f "$licensing_log" "$governance_log" "$storage_log" "$availability_log" "$promotion_log"' EXIT
"$OWH_ROOT/tests/node/cli.sh"
"$OWH_ROOT/tests/e2e/owh-cli.sh"
"$OWH_ROOT/tests/e2e/mirrors.sh"
"$OWH_ROOT/tests/e2e/safety.sh"
"$OWH_ROOT/tests/e2e/arweave.sh"
licensing_rc=0
wait "$licensing_pid" || licensing_rc=$?
cat "$licensing_log"
[ "$licensing_rc" -eq 0 ]
"$OWH_ROOT/tests/polkadotjs/run.sh"
governance_rc=0
wait "$governance_pid" || governance_rc=$?
cat "$governance_log"
[ "$governance_rc" -eq 0 ]
storage_rc=0
wait "$storage_pid" || storage_rc=$?
cat "$storage_log"
[ "$storage_rc" -eq 0 ]
availability_rc=0
wait "$availability_pid" || availability_rc=$?
cat "$availability_log"
[ "$availability_rc" -eq 0 ]
promotion_rc=0
wait "$promotion_pid" || promotion_rc=$?
cat "$promotion_log"
[ "$promotion_rc" -eq 0 ]
# Last and alone: five nodes on two cores (about 11 minutes), so block times stay honest.
"$OWH_ROOT/tests/network/run.sh"
