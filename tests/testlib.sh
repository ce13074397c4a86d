# testlib.sh - the counters and checks the test scripts share (sourced, not run).
#   check WHAT CMD...   runs CMD: "ok WHAT" when it succeeds, "FAIL WHAT" otherwise
# $passed and $failed count them; a script ends with its own summary line.
passed=0
failed=0
ok()   { passed=$((passed + 1)); echo "  ok    $*"; }
bad()  { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
