# TAP-style checks for the shell test suites. Source it; `check <name> <command...>` runs the
# command and counts it; `finish_checks <suite>` prints the totals and fails if any check did.
passed=0
failed=0
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
finish_checks() {
	echo "$1: $passed passed, $failed failed"
	[ "$failed" -eq 0 ]
}

# Driving the real `owh` binary ($OWH_BIN) from a suite with a scratch directory $work:
# `run <owh args>` keeps stdout in $out (and $work/stdout) and stderr in $err, and returns
# owh's exit code.
out=""
err=""
run() {
	"$OWH_BIN" -q "$@" >"$work/stdout" 2>"$work/stderr"
	local rc=$?
	out="$(cat "$work/stdout")"
	err="$(cat "$work/stderr")"
	return $rc
}
has() { grep -qF -- "$2" <<<"$1" || { echo "    expected '$2' in: $1" >&2; return 1; }; }
equal() { [ "$1" = "$2" ] || { echo "    expected '$2', got '$1'" >&2; return 1; }; }
json_field() { jq -r "$1" "$work/stdout"; }
