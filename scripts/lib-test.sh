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
