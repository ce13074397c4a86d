#!/usr/bin/env bash
# Checks a compiled lab object before the grader links it.
#   scripts/lab-symbols.sh OBJECT HEADER SOURCE
# A lab file may define only the functions its header declares (helpers must be
# static), and may not call process-control functions or reach into the grader.
# Prints one line per problem and exits 1 when there is any.
set -uo pipefail
obj=$1 header=$2 src=$3

allowed=$(${CC:-cc} -Iinclude -fsyntax-only -aux-info /dev/stdout -x c "$header" 2>/dev/null |
          grep -F "/* $header:" | sed -E 's/^.*[ *]([A-Za-z_][A-Za-z0-9_]*) \(.*$/\1/' | sort -u)
if [[ -z $allowed ]]; then
    echo "$src: cannot read the function list of $header"
    exit 1
fi

problems=0
# Defined global symbols: only the lab's API (sanitizer bookkeeping is the compiler's).
while read -r name type _; do
    [[ -z $name ]] && continue
    case $name in __asan*|__odr_asan*|__ubsan*|__sancov*) continue ;; esac
    if ! grep -qx -- "$name" <<<"$allowed"; then
        if [[ $type == [TtWw] ]]; then
            echo "$src: defines the function '$name', which is not part of $(basename "$header"): make helper functions static (or rename a function that clashes with the C library)"
        else
            echo "$src: defines the global variable '$name': make it static (globals outside the lab's API are not allowed)"
        fi
        problems=1
    fi
done < <(nm -P -g --defined-only "$obj")

# Calls that could escape the grader or take it over.
banned='^(fork|vfork|clone|clone3|execl|execlp|execle|execv|execvp|execvpe|execve|fexecve|system|popen|posix_spawn|posix_spawnp|kill|killpg|tgkill|tkill|setpgid|setpgrp|setsid|ptrace|syscall|prctl|setrlimit|prlimit|prlimit64|unshare|daemon)$'
grader='^(gt_|run_|guard_|report_|labs_|srunner_|suite_|tcase_|_ck_|ck_|tr_|lab_set_todo_handler$|lab_attempt$)'
while read -r name _; do
    [[ -z $name ]] && continue
    base=${name%@*}
    if [[ $base =~ $banned ]]; then
        echo "$src: calls $base(): lab code may not start, signal or re-parent processes"
        problems=1
    elif [[ $base =~ $grader ]]; then
        echo "$src: uses the grader's or Check's internals ($base): lab code may use only common/ and the C library"
        problems=1
    fi
done < <(nm -P -u "$obj")
exit $problems
