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
