#!/usr/bin/env bash
# Runs every fuzz target in fuzz/ for SECONDS seconds each (default 120) with cargo fuzz
# (libFuzzer) and prints executions and findings per target. Exits non-zero on a finding; the
# crashing input is kept in fuzz/artifacts/<target>/ (replay: cargo fuzz run <target> <file>).
#
#   ./scripts/fuzz.sh [SECONDS] [TARGET...]
set -euo pipefail
source "$(dirname "$0")/env.sh"
cd "$OWH_ROOT"
seconds="${1:-120}"
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(manifest merkle_proof call_sequences)

command -v cargo-fuzz >/dev/null || cargo install --locked cargo-fuzz@0.13.1
# cargo fuzz passes flags that stable rustc accepts only with RUSTC_BOOTSTRAP; Rust code is
# memory safe, so no sanitizer (-s none): coverage instrumentation only.
export RUSTC_BOOTSTRAP=1
# Its own target directory: an instrumented build shares nothing with the release build.
export CARGO_TARGET_DIR="${FUZZ_TARGET_DIR:-$CARGO_TARGET_DIR-fuzz}"
cd fuzz
cargo fuzz build -s none -O
status=0
for target in "${targets[@]}"; do
	mkdir -p "corpus/$target"
	log="$(mktemp)"
	set +e
	cargo fuzz run -s none -O "$target" -- -max_total_time="$seconds" -print_final_stats=1 \
		-rss_limit_mb=4096 >"$log" 2>&1
	rc=$?
	set -e
	execs="$(grep -m1 'stat::number_of_executed_units' "$log" | awk '{print $2}')"
	per_second="$(grep -m1 'stat::average_exec_per_sec' "$log" | awk '{print $2}')"
	corpus="$(find "corpus/$target" -type f | wc -l)"
	if [ $rc -eq 0 ]; then
		echo "$target: ${execs:-?} executions in ${seconds} s (${per_second:-?}/s), corpus $corpus inputs, no findings"
	else
		status=1
		echo "$target: FINDING after ${execs:-?} executions (exit $rc); input kept in fuzz/artifacts/$target/"
		grep -m5 -E "panicked|ERROR|SUMMARY" "$log" || tail -n 20 "$log"
	fi
	rm -f "$log"
done
exit $status
