# testlib.sh - the counters and checks the test scripts share (sourced, not run).
#   check WHAT CMD...   runs CMD: "ok WHAT" when it succeeds, "FAIL WHAT" otherwise
# $passed and $failed count them; a script ends with its own summary line.
passed=0
failed=0
ok()   { passed=$((passed + 1)); echo "  ok    $*"; }
bad()  { failed=$((failed + 1)); echo "  FAIL  $*"; }
check() { local what=$1; shift; if "$@"; then ok "$what"; else bad "$what"; fi; }
# workers_left DIR...: the pids of gradlab-worker processes (zygotes included) whose program
# lies under one of the DIRs: this run's workers, not those of another run on the machine.
workers_left() {
    local p exe d real
    for p in $(pgrep -f gradlab-worker); do
        exe=$(readlink "/proc/$p/exe" 2>/dev/null) || continue
        for d in "$@"; do
            real=$(realpath -m -- "$d")
            [[ $exe == "$real"/* ]] && echo "$p"
        done
    done
    return 0
}
