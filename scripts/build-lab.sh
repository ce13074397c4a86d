#!/usr/bin/env bash
# Builds one lab for grading: the student's object, checked, linked into that lab's
# worker program (the sandboxed process that runs it; see grader/worker/).
#   scripts/build-lab.sh SOURCE HEADER OUTDIR DISPATCH_OBJECT -- LINK_INPUTS...
# Environment: CC, CPPFLAGS, CFLAGS, LDFLAGS, LDLIBS (the Makefile's).
# Compiles SOURCE once, to assembly, which is checked (no .incbin or assembler macros),
# then assembled (reading no other file: the assembler's own list is checked). Writes
# OUTDIR/NAME.o, NAME.log (what the compiler, the checks and the linker said), NAME.syms
# (the header's functions it defines), NAME.notes (globals made local, when there are
# any) and gradlab-worker. Any failure leaves
# NAME.failed instead of the worker: that lab is graded BUILD, the others as usual.
# Always exits 0, so that one lab's mistake never stops the others' build.
set -uo pipefail
src=$1 header=$2 out=$3 dispatch=$4
shift 4
[[ ${1:-} == -- ]] && shift
# The compiler's words go into reports and results.json as ASCII: 'x', not the UTF-8
# quotes a UTF-8 locale would give (which JSON output would show as ???).
export LC_ALL=C
# What a lab file can make the compiler and assembler do is bounded: a file read in by
# the assembler, or code that makes the compiler work without end, ends with this lab's
# BUILD verdict instead of holding the machine (its memory, a grade-all slot).
ulimit -S -v 4194304 -f 1048576 2>/dev/null   # 4 GiB of address space, files up to 1 GiB
TOOL_TIMEOUT=${GRADLAB_BUILD_TOOL_TIMEOUT:-300}   # seconds per compile, assemble or link
tool() {
    timeout -k 5 "$TOOL_TIMEOUT" "$@" </dev/null
    local rc=$?
    ((rc == 124 || rc == 137)) && echo "$src: stopped after $TOOL_TIMEOUT s (a lab file builds in seconds)" >&2
    return $rc
}
name=$(basename "$src" .c)
base=$out/$name
mkdir -p "$out"
rm -f "$base.o" "$base.failed" "$base.log" "$base.cc.log" "$base.syms" "$base.notes" "$base.dropped" "$out/gradlab-worker"

fail() {
    echo "$src: $1; this lab scores 0 (the grader shows why)" >&2
    touch "$base.failed"
    rm -f "$base.dropped" "$base.cc.log"
    cat "$base.log" >&2
    exit 0
}

# attempt [UNDEFINED]: compiles, checks and links; returns 1 when only the link failed.
# Compiled once, to assembly: what the assembler is given is checked, then assembled.
# An undeclared function is an error here, not a warning: it would only fail at link time.
# When the file does not compile and every error lies inside functions, or when the link
# found names defined nowhere (UNDEFINED, one per line: a prototype with a typo, another
# lab's function called directly), the lab is built without the functions concerned
# (scripts/lab-partial.sh): NAME.dropped names them, their tests score BUILD, the others
# are graded. The copy keeps every line's number and, by a #line directive, the file's
# name, so crash reports still point into SOURCE.
attempt() {
local undefined=${1:-}
# shellcheck disable=SC2206  # flag lists
local ccflags=($CPPFLAGS $CFLAGS -Wno-unused-parameter -Werror=implicit-function-declaration)
rm -f "$base.dropped"
# (After a failed link the file compiled already: its compiler log is kept, not redone.)
if [[ -n $undefined ]] || ! tool $CC "${ccflags[@]}" -S "$src" -o "$base.s" 2>"$base.cc.log"; then
    # The copy has the file's own name (in a folder of its own), which is what the debug
    # information and the grader's crash locations go by.
    local partial=$out/partial/$name.c
    mkdir -p "$out/partial"
    if scripts/lab-partial.sh "$src" "$header" "$base.cc.log" "$partial" "$base.dropped" "$undefined" &&
            tool $CC "${ccflags[@]}" -iquote "$(dirname "$src")" -S "$partial" -o "$base.s" 2>/dev/null; then
        rm -rf "$out/partial"
    else
        rm -rf "$out/partial"
        cat "$base.cc.log" >>"$base.log"
        [[ -n $undefined ]] && return 1
        fail "does not compile"
    fi
fi
cat "$base.cc.log" >>"$base.log"
# The assembler can read files (.incbin, .include), and a directive can be pieced together
# from string literals or assembler macros, which no look at the C source sees: the
# compiler's output shows what the assembler would get.
# 1. Before assembling, the assembly is searched for those directives, so that the usual
#    attempt never reads anything (nor hangs on /dev/zero). A directive may follow a label
#    or a statement separator on its line (`x: .incbin`, `nop; .incbin`), so each line is
#    searched whole, with its string literals (the file names, or a printf format that
#    happens to mention one) taken out first. One awk reads the file: a pipeline whose
#    reader stops at the first hit could end the writer by SIGPIPE and, under pipefail,
#    turn that hit into a miss.
if LC_ALL=C awk '{ line = tolower($0); gsub(/"([^"\\]|\\.)*"/, "", line)
                   if (line ~ /(^|[^a-z0-9_$])\.(incbin|include|macro|irpc?|rept|altmacro)([^a-z0-9_$.]|$)/) { hit = 1; exit } }
                 END { exit !hit }' "$base.s"; then
    echo "$src: its assembly uses .incbin, .include or assembler macros (a way to read another file into the program): lab files hold only C" >>"$base.log"
    rm -f "$base.s"
    fail "rejected by the lab file check"
fi
# 2. The search is text, and assembler syntax has corners a text search can misread (a
#    quote in a character constant, '", looks like the start of a string). So the
#    assembler itself lists every file it read (--MD), and the only ones allowed are the
#    assembly and the source's name from the compiler's own `.file` line, which names it
#    and reads nothing. It runs in OUTDIR, where that name is no file, on no input.
# No -g here: the compiler's debug directives are in the assembly already.
(cd "$out" && tool $CC -c "$name.s" -Wa,--MD,"$name.asdeps" -o "$name.o") 2>>"$base.log" ||
    fail "does not compile (the assembler stopped)"
[[ -s $base.asdeps ]] || { echo "$src: the assembler did not list the files it read" >>"$base.log"; fail "rejected by the lab file check"; }
read_files=$(LC_ALL=C awk -v self="$name.s" -v srcname="$(basename "$src")" '
    { sub(/\\$/, "") }
    { for (i = 1; i <= NF; i++) if (!(NR == 1 && i == 1) && $i != self && $i != srcname) printf "%s ", $i }' "$base.asdeps")
rm -f "$base.asdeps"
if [[ -n $read_files ]]; then
    echo "$src: its assembly uses .incbin or .include to read $read_files(a way to read another file into the program): lab files hold only C" >>"$base.log"
    rm -f "$base.s" "$base.o"
    fail "rejected by the lab file check"
fi
rm -f "$base.s"
san=0
[[ $CFLAGS == *-fsanitize=* ]] && san=1
# A global the header does not declare (a helper or a variable without `static`, a
# main() left from testing) is made local to the object: the file's own code still
# calls it, nothing outside can, so a forgotten `static` costs nothing. NAME.notes
# tells the student (the report shows it under the lab's name).
: >"$base.localize"
CC=$CC GRADLAB_SAN=$san scripts/lab-symbols.sh "$base.o" "$header" "$src" "$base.syms" "$base.localize" >>"$base.log" ||
    fail "rejected by the lab file check"
if [[ -s $base.localize ]]; then
    objcopy --localize-symbols="$base.localize" "$base.o" 2>>"$base.log" || fail "rejected by the lab file check"
    hdr=$(basename "$header")
    scratch="scratch.c beside it (make scratch)"
    while IFS= read -r sym; do
        if [[ $sym == main ]]; then
            echo "main() is defined here and ignored: a lab file holds functions, not a program; try things in the $scratch"
        else
            echo "'$sym' is global but not part of $hdr: graded as this file's own (as if it were static); write static before it, so that no other file or library can clash with it"
        fi
    done <"$base.localize" >"$base.notes"
fi
rm -f "$base.localize"
# Not position-independent: the addresses a crash reports are the program's own,
# which addr2line turns into a line of the student's file.
# shellcheck disable=SC2086
tool $CC $CFLAGS ${LDFLAGS:-} -no-pie -o "$out/gradlab-worker" "$dispatch" "$base.o" "${link_inputs[@]}" $LDLIBS \
    2>>"$base.log" || return 1
}

link_inputs=("$@")
: >"$base.log"
if ! attempt; then
    # The names the linker found nowhere; a second attempt leaves out what uses them.
    undefined=$(grep -oE "undefined reference to [\`'][A-Za-z_][A-Za-z0-9_]*'" "$base.log" |
                sed -E "s/^undefined reference to .//; s/'$//" | sort -u)
    link_log=$(cat "$base.log")
    : >"$base.log"
    if [[ -z $undefined ]] || ! attempt "$undefined"; then
        printf '%s\n' "$link_log" >"$base.log"
        fail "does not link (a function or variable it uses is not defined anywhere)"
    fi
    # the linker's words stay in the log, for the report
    printf '%s\n' "$link_log" | grep -E 'undefined reference|ld: ' >>"$base.log"
fi
rm -f "$base.cc.log"
chmod 755 "$out/gradlab-worker"   # it may run as another user
cat "$base.log" >&2   # warnings, if any
exit 0
