#!/usr/bin/env bash
# Checks a compiled lab object before it is linked into its worker.
#   scripts/lab-symbols.sh OBJECT HEADER SOURCE SYMS_OUT LOCALIZE_OUT
# A lab file may define as globals only the functions its header declares (a global
# helper could stand in for a C library function that runs before the sandbox is
# up). Any other global it defines (a helper or a variable that is not static, a
# main() left from testing) is written to LOCALIZE_OUT, for the build to make local
# to the object (objcopy): the file's own code still reaches it, nothing else can.
# It may not run code before main (constructors, destructors,
# ifunc resolvers: the worker's seccomp filter is not loaded yet then), and may
# not reach into the grader. What it may do at run time is the worker's seccomp
# policy's business (grader/worker/policy.c), not a list of names here.
# Prints one line per problem and exits 1 when there is any. SYMS_OUT receives the
# names of the header's functions the object defines, one per line.
set -uo pipefail
obj=$1 header=$2 src=$3 syms_out=$4 localize_out=$5

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

# One read of the object's section and symbol tables; one pass over them.
[[ ${GRADLAB_SAN:-0} == 1 ]] && san=1 || san=0
readelf -SsW "$obj" 2>/dev/null | GRADLAB_ALLOWED=$allowed LC_ALL=C awk -v src="$src" -v san="$san" \
        -v syms="$syms_out" -v localize="$localize_out" '
BEGIN {
    n = split(ENVIRON["GRADLAB_ALLOWED"], a, "\n")
    for (i = 1; i <= n; i++) ok[a[i]] = 1
    # Only the sections a C file'"'"'s code, data, unwind and debug information need: anything
    # else (a constructor'"'"'s .init_array, .ctors, .fini_array, .preinit_array, an .interp
    # naming another loader, ...) could run code before the worker confines itself, or
    # change how the program is loaded. (Under SAN=1, a debugging build,
    # AddressSanitizer'"'"'s own module constructor and destructor, at priority 99, are the
    # compiler'"'"'s and allowed: SAN=1 is never used for grades.)
    sec_ok = "^$|^(\\.text|\\.data|\\.rodata|\\.bss|\\.tdata|\\.tbss)(\\..*)?$|^(\\.eh_frame|\\.debug_.*)$"
    sec_ok = sec_ok "|^(\\.comment|\\.note\\.GNU-stack|\\.note\\.gnu\\.property|\\.group|\\.symtab|\\.strtab|\\.shstrtab)$"
    if (san) sec_ok = sec_ok "|^\\.(init|fini)_array\\.00099$"
    # The grader'"'"'s own code is not in the worker; name it rather than leave a link error.
    grader = "^(gt_|run_|guard_|report_|labs_|px_|wk_|srunner_|suite_|tcase_|_ck_|ck_|tr_|ref_|lab_set_todo_handler$|lab_attempt$)"
    problems = 0
}
function say(msg) { msgs[++nmsg] = msg; problems = 1 }
/^Section Headers:/ { part = "sec"; next }
/^Symbol table / { part = "sym"; next }
part == "sec" && match($0, /^ *\[ *[0-9]+\] /) {
    rest = substr($0, RSTART + RLENGTH)
    name = rest; sub(/ .*/, "", name)
    if (name ~ /^\.rela/ || name in seen_sec) next   # relocations go with the section they patch
    seen_sec[name] = 1
    if (name !~ sec_ok)
        say(src ": has a '"'"'" name "'"'"' section (a constructor, a destructor or another special section: code that would run outside any lab function, or change how the program loads): lab files hold only functions and data")
    next
}
part == "sym" && $1 ~ /^[0-9]+:$/ && NF >= 8 {
    type = $4; bind = $5; ndx = $7; name = $8
    if (type == "IFUNC" && !ifunc++)
        say(src ": defines an ifunc (a function chosen by code that runs before main): not allowed in lab code")
    if (ndx == "UND") {
        base = name; sub(/@.*/, "", base)
        if (base ~ grader && !(base in seen_und)) {
            seen_und[base] = 1
            say(src ": uses the grader'"'"'s or Check'"'"'s internals (" base "): lab code may use only common/ and the C library")
        }
        next
    }
    if (bind != "GLOBAL" && bind != "WEAK" && bind != "UNIQUE" && bind != "GNU_UNIQUE") next
    if (name ~ /^(__asan|__odr_asan|__ubsan|__sancov)/) next   # sanitizer bookkeeping is the compiler'"'"'s
    if (name in ok) {
        if (type == "FUNC" || type == "IFUNC") print name > syms
        next
    }
    # An ifunc was reported above (its resolver runs before main, local or not).
    if (type != "IFUNC" && !(name in seen_loc)) print name > localize
    seen_loc[name] = 1
}
END {
    for (i = 1; i <= nmsg; i++) print msgs[i]
    if (part == "") { print src ": cannot read the compiled object"; problems = 1 }
    exit problems
}'
