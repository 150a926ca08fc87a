# TAP-style checks for the shell test suites. Source it; `check <name> <command...>` runs the
# command and counts it; `skip <name> <why>` counts a check that could not run here;
# `finish_checks <suite>` prints the totals and fails if any check did.
passed=0
failed=0
skipped=0
check() {
	local name="$1"
	shift
	if "$@"; then
		echo "ok - $name"
		passed=$((passed + 1))
	else
		echo "not ok - $name"
		failed=$((failed + 1))
	fi
}
skip() {
	echo "ok - $1 # SKIP $2"
	skipped=$((skipped + 1))
}
finish_checks() {
	echo "$1: $passed passed, $failed failed, $skipped skipped"
	[ "$failed" -eq 0 ]
}

# Driving the real `owh` binary ($OWH_BIN) from a suite with a scratch directory $work:
# `run <owh args>` keeps stdout in $out (and $work/stdout), stderr in $err and the exit code in
# $last_rc, and returns owh's exit code. `refused <text>`: the last run was refused saying
# <text>, with exit code 1 (by owh's own check) or 5 (by the chain; see docs/cli.md).
#
# The test chains and mirrors run on loopback, so manifest URIs and on-chain mirrors point at
# 127.0.0.1: let owh read them (tests/e2e/safety.sh checks the default, which refuses).
export OWH_ALLOW_PRIVATE_MIRRORS=true
# Writable `owh serve` gateways need a bearer token; `owh` presents it when it uploads.
OWH_SERVE_TOKEN="test-token-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')"
export OWH_SERVE_TOKEN OWH_UPLOAD_TOKEN="$OWH_SERVE_TOKEN"
# No trust anchors unless a suite sets them up (the user's own, for the dev chain, would change
# what the suites read); tests/e2e/safety.sh passes --anchors.
export OWH_ANCHORS=/nonexistent/owh-test-anchors
# The suites' scratch keystores are sealed with this passphrase (owh would prompt otherwise).
export OWH_PASSPHRASE="scratch keystore passphrase"
out=""
err=""
last_rc=0
run() { owh_exec -q "$@"; }
# `run_loud`: the same without `-q`, for the warnings `-q` hides.
run_loud() { owh_exec "$@"; }
owh_exec() {
	"$OWH_BIN" "$@" >"$work/stdout" 2>"$work/stderr"
	local rc=$?
	last_rc=$rc
	out="$(cat "$work/stdout")"
	err="$(cat "$work/stderr")"
	return $rc
}
has() { grep -qF -- "$2" <<<"$1" || { echo "    expected '$2' in: $1" >&2; return 1; }; }
equal() { [ "$1" = "$2" ] || { echo "    expected '$2', got '$1'" >&2; return 1; }; }
refused() {
	[ "$last_rc" -eq 1 ] || [ "$last_rc" -eq 5 ] || { echo "    expected exit code 1 or 5, got $last_rc; stderr: $err" >&2; return 1; }
	has "$err" "$1"
}
# `missing <text>`: the last run found no such record on chain (exit 4), saying <text>.
# `unreachable <text>`: the node or the mirrors could not be reached (exit 6), saying <text>.
unreachable() {
	[ "$last_rc" -eq 6 ] || { echo "    expected exit code 6, got $last_rc; stderr: $err" >&2; return 1; }
	has "$err" "$1"
}
missing() {
	[ "$last_rc" -eq 4 ] || { echo "    expected exit code 4, got $last_rc; stderr: $err" >&2; return 1; }
	has "$err" "$1"
}
json_field() { jq -r "$1" "$work/stdout"; }
# `flip_byte <file> <offset>`: inverts one byte in place. Overwriting random data with a fixed
# byte leaves it unchanged once in 256 runs; inverting always changes it.
flip_byte() {
	python3 - "$1" "$2" <<'PY'
import sys
path, offset = sys.argv[1], int(sys.argv[2])
with open(path, "r+b") as f:
    f.seek(offset)
    byte = f.read(1)
    f.seek(offset)
    f.write(bytes([byte[0] ^ 0xFF]))
PY
}
