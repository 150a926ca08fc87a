#!/usr/bin/env bash
# The cost of proven reads (docs/benchmarks.md): on a dev chain, a 1 GiB model published, then
# in the same run, plain RPC reads against reads proven from a trust anchor (GRANDPA
# justification + storage proofs):
#  - `owh trust show`: proving the newest finalized block from the anchor;
#  - `owh show <repo>@production`: resolve the alias and read the version (plus the show-only
#    reads: attestations, pledges, availability);
#  - time to first verified byte of `owh verify`: its wall time less the hashing time it
#    reports (`seconds` in its JSON), i.e. process start, connection and every chain read;
#  - `owh verify` of the 1 GiB model, total;
#  - an audit receipt: `owh receipt` (finality from the genesis + one storage proof), and
#    `owh verify --receipt` offline (time to first verified byte and total).
# Usage: scripts/bench-trust.sh [runs, default 3]. Needs ~2 GiB free in $TMPDIR.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
source "$OWH_ROOT/scripts/lib-bench.sh"
OWH_BIN="$CARGO_TARGET_DIR/$OWH_PROFILE/owh"
runs="${1:-3}"
work="$(mktemp -d -t owh-bench-trust-XXXXXX)"
trap 'stop_dev_node; rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
mkdir -p "$work/model"
head -c $((1024 * 1024 * 1024)) /dev/urandom >"$work/model/weights.bin"
start_dev_node >/dev/null
trap 'stop_dev_node; rm -rf "$work"' EXIT
export OWH_URL="$OWH_WS_URL" OWH_STORE="$work/store" OWH_SURI=//Alice
"$OWH_BIN" -q repo create bench/trust >/dev/null
"$OWH_BIN" -q publish "$work/model" --repo bench/trust -m bench --alias production >/dev/null
"$OWH_NODE_BIN" build-spec --dev --raw >"$work/dev-raw.json" 2>/dev/null
"$OWH_BIN" -q --anchors "$work/anchors" trust init --chain-spec "$work/dev-raw.json" >/dev/null
cat "$work/model/weights.bin" >/dev/null

steal() { vmstat 1 2 | awk 'NR == 2 { for (i = 1; i <= NF; i++) if ($i == "st") c = i } END { print $c }'; }
plain=("$OWH_BIN" -q --anchors "$work/none")
proven=("$OWH_BIN" -q --anchors "$work/anchors")
echo "CPU steal before: $(steal) %"
t_trust="$(best "${proven[@]}" trust show)"
t_show_plain="$(best "${plain[@]}" show bench/trust@production)"
t_show_proven="$(best "${proven[@]}" show bench/trust@production)"
t_verify_plain="$(best "${plain[@]}" verify "$work/model" --version bench/trust@production)"
t_verify_proven="$(best "${proven[@]}" verify "$work/model" --version bench/trust@production)"
# Wall time less owh's own hashing seconds, best of $runs.
before_hashing() {
	python3 - "$runs" "$@" <<'PY'
import json, subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
best = None
for _ in range(runs):
    t = time.perf_counter()
    out = subprocess.run(cmd + ["--json"], check=True, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t
    lead = wall - json.loads(out)["seconds"]
    best = lead if best is None else min(best, lead)
print(f"{best:.3f}")
PY
}
t_first_plain="$(before_hashing "${plain[@]}" verify "$work/model" --version bench/trust@production)"
t_first_proven="$(before_hashing "${proven[@]}" verify "$work/model" --version bench/trust@production)"
t_receipt="$(best "${proven[@]}" receipt bench/trust@production -o "$work/receipt.json" --force)"
receipt_bytes="$(stat -c %s "$work/receipt.json")"
t_verify_receipt="$(best "${proven[@]}" verify "$work/model" --receipt "$work/receipt.json")"
t_first_receipt="$(before_hashing "${proven[@]}" verify "$work/model" --receipt "$work/receipt.json")"
echo "CPU steal after: $(steal) %"
echo
echo "== proven reads against plain RPC (best of $runs, same run)"
echo "owh trust show (finality proof from the anchor)   ${t_trust} s"
echo "owh show <repo>@production, plain RPC             ${t_show_plain} s"
echo "owh show <repo>@production, proven                ${t_show_proven} s   ($(python3 -c "print(f'{$t_show_proven - $t_show_plain:+.3f}')") s)"
echo "owh verify, time to first verified byte, plain    ${t_first_plain} s"
echo "owh verify, time to first verified byte, proven   ${t_first_proven} s   ($(python3 -c "print(f'{$t_first_proven - $t_first_plain:+.3f}')") s)"
echo "owh verify 1 GiB, plain RPC                       ${t_verify_plain} s   ($(gib_s 1073741824 "$t_verify_plain") GiB/s)"
echo "owh verify 1 GiB, proven                          ${t_verify_proven} s   ($(gib_s 1073741824 "$t_verify_proven") GiB/s, proven/plain = $(ratio "$t_verify_proven" "$t_verify_plain")x)"
echo "owh receipt <repo>@production ($receipt_bytes bytes)      ${t_receipt} s"
echo "owh verify --receipt, time to first verified byte ${t_first_receipt} s   (offline: no node)"
echo "owh verify 1 GiB --receipt                        ${t_verify_receipt} s   ($(gib_s 1073741824 "$t_verify_receipt") GiB/s, receipt/plain = $(ratio "$t_verify_receipt" "$t_verify_plain")x)"
