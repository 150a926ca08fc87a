# Timing helpers for the benchmark scripts. Source it after setting $runs.

# Best wall time in seconds of $runs runs of a command (output discarded).
best() {
	python3 - "$runs" "$@" <<'PY'
import subprocess, sys, time
runs, cmd = int(sys.argv[1]), sys.argv[2:]
times = []
for _ in range(runs):
    t = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    times.append(time.perf_counter() - t)
print(f"{min(times):.3f}")
PY
}
ratio() { python3 -c "print(f'{$1 / $2:.2f}')"; }
gib_s() { python3 -c "print(f'{$1 / $2 / 2**30:.2f}')"; }

# CPU steal (%) averaged over a section: `steal_start <file>` ... `steal_stop <file>`; a
# script's EXIT trap calls `steal_abort` so no vmstat outlives it.
steal_pid=""
steal_start() {
	vmstat -n 1 >"$1" &
	steal_pid=$!
}
steal_stop() {
	steal_abort
	awk 'NR == 2 { for (i = 1; i <= NF; i++) if ($i == "st") c = i } NR > 3 && c && $c ~ /^[0-9]+$/ { s += $c; n++ }
		END { printf "%.0f", n ? s / n : 0 }' "$1"
}
# steal_stop runs in a command substitution, so the EXIT trap may kill an already stopped
# vmstat: that failure must not end the trap (under `set -e`) before it stops the node.
steal_abort() {
	if [ -n "$steal_pid" ]; then
		kill "$steal_pid" 2>/dev/null || true
	fi
	steal_pid=""
}
