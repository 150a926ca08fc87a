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
# $last_rc, and returns owh's exit code. `refused <text>`: the last run exited 1 saying <text>.
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
	[ "$last_rc" -eq 1 ] || { echo "    expected exit code 1, got $last_rc; stderr: $err" >&2; return 1; }
	has "$err" "$1"
}
json_field() { jq -r "$1" "$work/stdout"; }
