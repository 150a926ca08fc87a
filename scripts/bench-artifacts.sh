#!/usr/bin/env bash
# Artifact figures for docs/benchmarks.md, each comparison side by side in one run:
#  1. 4 GiB of shards, warm cache: `owh verify` and `owh publish --dry-run` against sha256sum,
#     b3sum, `cat > /dev/null` (the memory read rate), model-signing's hashing (PyPI
#     `model-signing`, offline) and huggingface_hub's sha256 of the same files;
#  2. a 10 GiB model installed from `owh serve` on loopback, beside parallel `curl -o` of the
#     same blobs: throughput, client CPU per GiB against one openssl pass, the gateway's CPU
#     per GiB and peak RSS;
#  3. resume: bytes transferred when an install interrupted at ~50% is run again.
# Usage: scripts/bench-artifacts.sh [runs, default 3]. Needs ~36 GiB free in $TMPDIR.
# BENCH_PARTS="2 3" runs only the install and resume parts. OWH_BASELINE=<another owh binary>
# (say, one built from an older commit) also times its `publish --dry-run` on the same shards,
# interleaved run by run with this one's, for a before/after of the hashing path.
# Installs b3sum (crates.io) and a Python venv with model-signing and huggingface_hub into
# $OWH_TOOLS the first time.
set -euo pipefail
source "$(dirname "$0")/env.sh"
source "$OWH_ROOT/scripts/lib-node.sh"
source "$OWH_ROOT/scripts/lib-bench.sh"
OWH_BIN="$CARGO_TARGET_DIR/$OWH_PROFILE/owh"
runs="${1:-3}"
work="$(mktemp -d -t owh-bench-XXXXXX)"
serve_pid=""
cleanup() {
	[ -n "$serve_pid" ] && kill "$serve_pid" 2>/dev/null
	stop_dev_node
	rm -rf "$work"
}
trap cleanup EXIT

[ -x "$OWH_TOOLS/bin/b3sum" ] || cargo install --locked b3sum --root "$OWH_TOOLS" \
	--target-dir "$CARGO_TARGET_DIR/owh-tools-build"
venv="$OWH_TOOLS/bench-venv"
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/python" -c 'import model_signing.hashing, huggingface_hub' 2>/dev/null ||
	"$venv/bin/pip" install -q model-signing pyopenssl huggingface_hub


echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(free -g | awk '/Mem:/{print $2}') GiB RAM"
start_dev_node >/dev/null
trap cleanup EXIT
export OWH_URL="$OWH_WS_URL" OWH_STORE="$work/store" OWH_SURI=//Alice
"$OWH_BIN" -q repo create bench/shards >/dev/null

parts="${BENCH_PARTS:-1 2 3}"
if [[ " $parts " == *" 1 "* ]]; then
# 1. 4 GiB of shards.
shards="$work/shards"
mkdir -p "$shards"
for i in 1 2 3 4 5 6 7 8; do head -c $((512 * 1024 * 1024)) /dev/urandom >"$shards/model-0000$i-of-00008.safetensors"; done
bytes=$((4 * 1024 * 1024 * 1024))
version="$("$OWH_BIN" -q publish "$shards" --repo bench/shards --json | jq -r .version)"
cat "$shards"/* >/dev/null
files=("$shards"/*)
t_cat="$(best bash -c 'cat "$@" >/dev/null' _ "${files[@]}")"
t_sum="$(best sha256sum "${files[@]}")"
t_b3="$(best "$OWH_TOOLS/bin/b3sum" "${files[@]}")"
t_ms="$(best "$venv/bin/python" -c 'import sys, model_signing; model_signing.hashing.hash(sys.argv[1])' "$shards")"
t_hf="$(best "$venv/bin/python" -c '
import sys
from huggingface_hub.utils import sha
for p in sys.argv[1:]:
    with open(p, "rb") as f:
        sha.sha_fileobj(f)' "${files[@]}")"
t_verify="$(best "$OWH_BIN" -q verify "$shards" --version "$version")"
t_dry="$(best "$OWH_BIN" -q publish "$shards" --repo bench/shards --dry-run)"
if [ -n "${OWH_BASELINE:-}" ]; then
	t_base="$(best "$OWH_BASELINE" -q publish "$shards" --repo bench/shards --dry-run)"
	t_dry_again="$(best "$OWH_BIN" -q publish "$shards" --repo bench/shards --dry-run)"
	t_dry="$(python3 -c 'import sys; print(min(map(float, sys.argv[1:])))' "$t_dry" "$t_dry_again")"
fi
echo
echo "== 4 GiB in 8 shards, warm cache, best of $runs"
printf '%-44s %8s s  %6s GiB/s\n' "cat > /dev/null (memory read rate)" "$t_cat" "$(gib_s $bytes "$t_cat")"
printf '%-44s %8s s  %6s GiB/s\n' "sha256sum" "$t_sum" "$(gib_s $bytes "$t_sum")"
printf '%-44s %8s s  %6s GiB/s\n' "b3sum (BLAKE3, multi-threaded)" "$t_b3" "$(gib_s $bytes "$t_b3")"
printf '%-44s %8s s  %6s GiB/s\n' "model-signing hashing.hash (sha256)" "$t_ms" "$(gib_s $bytes "$t_ms")"
printf '%-44s %8s s  %6s GiB/s\n' "huggingface_hub sha_fileobj (sha256)" "$t_hf" "$(gib_s $bytes "$t_hf")"
printf '%-44s %8s s  %6s GiB/s\n' "owh verify (incl. chain queries)" "$t_verify" "$(gib_s $bytes "$t_verify")"
printf '%-44s %8s s  %6s GiB/s\n' "owh publish --dry-run (sha256 + leaves)" "$t_dry" "$(gib_s $bytes "$t_dry")"
echo "owh verify: sha256sum/owh = $(ratio "$t_sum" "$t_verify")x, b3sum/owh = $(ratio "$t_b3" "$t_verify")x, model-signing/owh = $(ratio "$t_ms" "$t_verify")x, huggingface_hub/owh = $(ratio "$t_hf" "$t_verify")x, owh/cat = $(ratio "$t_verify" "$t_cat")x the memory read time"
if [ -n "${OWH_BASELINE:-}" ]; then
	printf '%-44s %8s s  %6s GiB/s\n' "baseline publish --dry-run ($OWH_BASELINE)" "$t_base" "$(gib_s $bytes "$t_base")"
	echo "owh publish --dry-run / baseline = $(ratio "$t_dry" "$t_base")x the baseline's time (timed before and after it, best kept)"
fi
echo "owh publish --dry-run: sha256sum/owh = $(ratio "$t_sum" "$t_dry")x, model-signing/owh = $(ratio "$t_ms" "$t_dry")x, huggingface_hub/owh = $(ratio "$t_hf" "$t_dry")x"
rm -rf "$shards" "$work/store"
fi

[[ " $parts " == *" 2 "* || " $parts " == *" 3 "* ]] || exit 0
# 2. A 10 GiB model from `owh serve` on loopback (also the model part 3 resumes).
model="$work/big"
mkdir -p "$model"
for i in 1 2 3 4 5; do head -c $((2 * 1024 * 1024 * 1024)) /dev/urandom >"$model/shard-$i.bin"; done
big=$((10 * 1024 * 1024 * 1024))
"$OWH_BIN" -q repo create bench/big >/dev/null
big_version="$("$OWH_BIN" -q publish "$model" --repo bench/big --json | jq -r .version)"
rm -rf "$model"
mv "$work/store" "$work/serve-store"
port="$(free_port)"
"$OWH_BIN" -q --store "$work/serve-store" serve --addr "127.0.0.1:$port" >/dev/null 2>&1 &
serve_pid=$!
sleep 1
export OWH_STORE="$work/client-store"
# CPU seconds (user + system) a process has used so far.
cpu_of() { awk -v hz="$(getconf CLK_TCK)" '{ printf "%.2f", ($14 + $15) / hz }' "/proc/$1/stat"; }
# Run by run, side by side: owh install (every chunk verified) and parallel `curl -o` of the
# same blobs from the same server to the same disk; the gateway's CPU is read around each.
steal_start "$work/vmstat-install"
for run in $(seq "$runs"); do
	rm -rf "$work/installed" "$work/client-store" "$work/curl"
	sync
	g0="$(cpu_of "$serve_pid")"
	/usr/bin/time -f '%e %U %S %M' -o "$work/time-$run" "$OWH_BIN" -q install "$big_version" \
		--to "$work/installed" --no-reuse --from "http://127.0.0.1:$port/v1/blobs" --json >"$work/install.json"
	g1="$(cpu_of "$serve_pid")"
	echo "$g0 $g1" >"$work/gateway-$run"
	mapfile -t urls < <(jq -r '.files[].result.sources[].uri' "$work/install.json")
	mkdir -p "$work/curl"
	sync
	/usr/bin/time -f '%e %U %S' -o "$work/curl-time-$run" bash -c '
		dir="$1"; shift
		for url in "$@"; do curl -sf -o "$dir/${url##*/}" "$url" & done
		wait' _ "$work/curl" "${urls[@]}"
	rm -rf "$work/curl"
done
steal="$(steal_stop "$work/vmstat-install")"
# The same bytes hashed once by openssl, from the page cache (CPU per GiB, the issue's yardstick).
installed_files=("$work/installed"/*)
cat "${installed_files[@]}" >/dev/null
/usr/bin/time -f '%e %U %S' -o "$work/openssl-time" openssl dgst -sha256 "${installed_files[@]}" >/dev/null
python3 - "$work" "$runs" "$big" "$steal" "$(jq .downloaded "$work/install.json")" <<'PY'
import sys
work, runs, big, steal, downloaded = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[4], int(sys.argv[5])
gib = big / 2**30
def row(path):
    return [float(x) for x in open(path).read().split()]
owh = [row(f"{work}/time-{r}") for r in range(1, runs + 1)]
curl = [row(f"{work}/curl-time-{r}") for r in range(1, runs + 1)]
gateway = [row(f"{work}/gateway-{r}") for r in range(1, runs + 1)]
best_owh = min(owh, key=lambda t: t[0])
best_curl = min(curl, key=lambda t: t[0])
ssl = row(f"{work}/openssl-time")
owh_cpu = (best_owh[1] + best_owh[2]) / gib
curl_cpu = (best_curl[1] + best_curl[2]) / gib
ssl_cpu = (ssl[1] + ssl[2]) / gib
gw = min((g[1] - g[0]) / gib for g in gateway)
print()
print(f"== 10 GiB model (5 x 2 GiB) installed from owh serve on loopback, every chunk verified; best of {runs}, steal {steal} %")
print(f"owh install        {best_owh[0]:7.2f} s  {gib / best_owh[0]:.2f} GiB/s  client CPU {owh_cpu:.2f} s/GiB  peak RSS {int(best_owh[3]) // 1024} MiB (limit 256)")
print(f"parallel curl -o   {best_curl[0]:7.2f} s  {gib / best_curl[0]:.2f} GiB/s  client CPU {curl_cpu:.2f} s/GiB")
print(f"openssl dgst       {ssl[0]:7.2f} s  CPU {ssl_cpu:.2f} s/GiB (page cache)")
print(f"owh/curl rate = {best_curl[0] / best_owh[0]:.2f}x (target >= 1.0); owh CPU / openssl CPU = {owh_cpu / ssl_cpu:.2f}x (target <= 1.5); gateway CPU {gw:.2f} s/GiB")
print("all runs (wall s): owh " + ", ".join(f"{t[0]:.2f}" for t in owh) + "; curl " + ", ".join(f"{t[0]:.2f}" for t in curl))
print(f"downloaded {downloaded} of {big} bytes")
PY

[[ " $parts " == *" 3 "* ]] || exit 0
# 3. Resume after an interruption at ~50%.
rm -rf "$work/installed" "$work/client-store"
"$OWH_BIN" -q install "$big_version" --to "$work/installed" --no-reuse --jobs 1 \
	--from "http://127.0.0.1:$port/v1/blobs" >/dev/null 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
	have=$(du -sb "$work/installed" 2>/dev/null | cut -f1 || true)
	[ "${have:-0}" -ge $((big / 2)) ] && break
	sleep 0.05
done
kill -9 "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
"$OWH_BIN" -q install "$big_version" --to "$work/installed" --no-reuse \
	--from "http://127.0.0.1:$port/v1/blobs" --json >"$work/resume.json"
down="$(jq .downloaded "$work/resume.json")"
kept=$((big - down))
echo
echo "== resume after killing the install at ~50%"
echo "kept $kept bytes, transferred $down of $big bytes ($(python3 -c "print(f'{$down * 100 / $big:.1f}')")% of the full size)"
