#!/usr/bin/env bash
# Checks a compiled lab object before it is linked into its worker.
#   scripts/lab-symbols.sh OBJECT HEADER SOURCE
# A lab file may define only the functions its header declares (helpers must be
# static: a global could stand in for a C library function that runs before the
# sandbox is up), may not run code before main (constructors, destructors,
# ifunc resolvers: the worker's seccomp filter is not loaded yet then), and may
# not reach into the grader. What it may do at run time is the worker's seccomp
# policy's business (grader/worker/policy.c), not a list of names here.
# Prints one line per problem and exits 1 when there is any.
set -uo pipefail
obj=$1 header=$2 src=$3

# The compiler's prototypes go to a file of our own: on an error, gcc deletes its
# -aux-info file, which must never be /dev/stdout.
aux=$(mktemp "${TMPDIR:-/tmp}/gradlab-aux-XXXXXX")
trap 'rm -f "$aux"' EXIT
${CC:-cc} -Iinclude -fsyntax-only -aux-info "$aux" -x c "$header" 2>/dev/null
allowed=$(grep -F "/* $header:" "$aux" | sed -E 's/^.*[ *]([A-Za-z_][A-Za-z0-9_]*) \(.*$/\1/' | sort -u)
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

# Only the sections a C file's code, data, unwind and debug information need: anything
# else (a constructor's .init_array, .ctors, .fini_array, .preinit_array, an .interp
# naming another loader, ...) could run code before the worker confines itself, or
# change how the program is loaded. (Under SAN=1, a debugging build,
# AddressSanitizer's own module constructor and destructor, at priority 99, are the
# compiler's and allowed: SAN=1 is never used for grades.)
allowed_sec='^$|^(\.text|\.data|\.rodata|\.bss|\.tdata|\.tbss)(\..*)?$|^(\.eh_frame|\.debug_.*)$'
allowed_sec+='|^(\.comment|\.note\.GNU-stack|\.note\.gnu\.property|\.group|\.symtab|\.strtab|\.shstrtab)$'
[[ ${GRADLAB_SAN:-0} == 1 ]] && allowed_sec+='|^\.(init|fini)_array\.00099$'
while read -r sec; do
    [[ $sec == .rela* ]] && continue   # relocations go with the section they patch
    [[ $sec =~ $allowed_sec ]] && continue
    echo "$src: has a '$sec' section (a constructor, a destructor or another special section: code that would run outside any lab function, or change how the program loads): lab files hold only functions and data"
    problems=1
done < <(readelf -SW "$obj" 2>/dev/null | sed -n 's/^ *\[ *[0-9]*\] \([^ ]*\) .*/\1/p' | sort -u)
if readelf -sW "$obj" 2>/dev/null | awk '$4 == "IFUNC" { found = 1 } END { exit !found }'; then
    echo "$src: defines an ifunc (a function chosen by code that runs before main): not allowed in lab code"
    problems=1
fi

# The grader's own code is not in the worker; name it rather than leave a link error.
grader='^(gt_|run_|guard_|report_|labs_|px_|wk_|srunner_|suite_|tcase_|_ck_|ck_|tr_|ref_|lab_set_todo_handler$|lab_attempt$)'
while read -r name _; do
    [[ -z $name ]] && continue
    base=${name%@*}
    if [[ $base =~ $grader ]]; then
        echo "$src: uses the grader's or Check's internals ($base): lab code may use only common/ and the C library"
        problems=1
    fi
done < <(nm -P -u "$obj")
exit $problems
