#!/usr/bin/env bash
# When a lab file does not compile, finds whether every error lies inside functions and,
# if so, writes a copy of the file without them, so that a broken function costs only the
# tests that need it.
#   scripts/lab-partial.sh SOURCE HEADER COMPILER_LOG OUT_SOURCE OUT_DROPPED [UNDEFINED]
# An error belongs to a function when the compiler reports it "In function 'F'" (an
# undeclared name, a typo, a wrong type inside F's body) or as "conflicting types for
# 'F'" (F's own signature changed). A static helper that does not compile is left out
# with every function that names it. An error anywhere else (at file scope, in a header,
# a fatal one) and the answer is no: exit 1, the whole lab stays BUILD. UNDEFINED lists
# names the linker found nowhere (one per line): every function that names one is left
# out too (a header function that is itself nowhere gets a stand-in).
# In the copy (which starts with #line 1 "SOURCE") each definition left out, from its
# return type to its closing brace, becomes blank lines (every other line keeps its
# number, so crash reports still point into SOURCE), and each header function left out
# gets a stand-in with the header's signature at the end: it reports "does not compile"
# to the grader (lab_todo with the file "gradlab-not-compiled"), so a test of another
# function that calls it says why. OUT_DROPPED gets one line per header function left
# out: its name, a tab, the compiler's first error in it ("error: ...") or why else it
# was left out ("it calls helper(), which ...").
set -uo pipefail
src=$1 header=$2 log=$3 out_src=$4 out_dropped=$5 undefined=${6:-}
export LC_ALL=C

aux=$(mktemp "${TMPDIR:-/tmp}/gradlab-aux-XXXXXX")
trap 'rm -f "$aux"' EXIT
${CC:-cc} -Iinclude -fsyntax-only -aux-info "$aux" -x c "$header" 2>/dev/null
# "name<TAB>return type<TAB>parameter types, comma-separated" for each header function
protos=$(grep -F "/* $header:" "$aux" |
    sed -nE 's/^.*\*\/ extern (.*[ *])([A-Za-z_][A-Za-z0-9_]*) \((.*)\);$/\2\t\1\t\3/p')
[[ -n $protos ]] || exit 1

# 1. Which functions hold the errors (none outside functions).
dropped=$(awk -v src="$src" '
BEGIN { ctx = "" }
index($0, src ": In function ") == 1 {
    ctx = $0; sub(/^.*: In function .?/, "", ctx); sub(/.:$/, "", ctx); next
}
index($0, src ": At top level:") == 1 { ctx = ""; next }
/: (fatal )?error: / {
    if (index($0, src ":") != 1) { bad = 1; next }   # in a header or elsewhere
    fn = ctx
    if (fn == "" && match($0, /error: conflicting types for .[A-Za-z_][A-Za-z0-9_]*./))
        fn = substr($0, RSTART + 30, RLENGTH - 31)
    if ($0 ~ /fatal error: / || fn == "") { bad = 1; next }
    if (!(fn in first)) { first[fn] = $0; order[++nf] = fn }
}
END {
    if (bad) exit 1
    for (i = 1; i <= nf; i++) {
        msg = first[order[i]]; sub(/^[^ ]*: /, "", msg)
        printf "%s\t%s\n", order[i], msg
    }
}' "$log") || exit 1
[[ -n $dropped || -n $undefined ]] || exit 1

# 2. The copy. A small C scanner (comments, strings, character constants, preprocessor
# lines) finds each top-level definition: the declarator before a top-level "{" and the
# body up to its "}"; its name is the identifier before the declarator's first "(" at
# parenthesis depth 0 (__attribute__ ((...)) skipped). A static helper that does not
# compile takes with it every function whose body names it, until none is left; a header
# function left out is replaced by a stand-in, a helper just goes. Nothing is written
# unless every function the compiler named was found and at least one header function
# is left out (a broken helper no lab function uses keeps the whole lab BUILD).
awk -v broken="$dropped" -v undefined="$undefined" -v protos="$protos" -v srcname="$src" -v dropped_out="$out_dropped" '
function ident_before(s, p,   q) {   # the identifier ending just before position p
    while (p > 0 && substr(s, p, 1) ~ /[ \t\n]/) p--
    q = p
    while (q > 0 && substr(s, q, 1) ~ /[A-Za-z0-9_]/) q--
    return substr(s, q + 1, p - q)
}
function names_ident(body, name) {   # whether body has name as a whole identifier
    return body ~ ("(^|[^A-Za-z0-9_])" name "([^A-Za-z0-9_]|$)")
}
BEGIN {
    n = split(broken, a, "\n")
    for (i = 1; i <= n; i++) if (a[i] != "") { split(a[i], f, "\t"); drop[f[1]] = 1; why[f[1]] = f[2] }
    n = split(undefined, a, "\n")
    for (i = 1; i <= n; i++) if (a[i] != "") { nowhere[a[i]] = 1; drop[a[i]] = 1 }
    m = split(protos, lines, "\n")
    for (i = 1; i <= m; i++) { split(lines[i], f, "\t"); api[f[1]] = 1; ret[f[1]] = f[2]; par[f[1]] = f[3] }
}
{ text = text $0 "\n" }
END {
    len = length(text); depth = 0; start = 1; nd = 0
    for (i = 1; i <= len; i++) {
        c = substr(text, i, 1)
        if (c == "/" && substr(text, i + 1, 1) == "*") { j = index(substr(text, i + 2), "*/"); i = j ? i + j + 2 : len; continue }   # i: the last / of the comment
        if (c == "/" && substr(text, i + 1, 1) == "/") { while (i <= len && substr(text, i, 1) != "\n") i++; continue }
        if (c == "\"" || c == "\047") {
            for (i++; i <= len && substr(text, i, 1) != c; i++) if (substr(text, i, 1) == "\\") i++
            continue
        }
        if (c == "#" && depth == 0) {   # a preprocessor line, with its continuations
            for (; i <= len && substr(text, i, 1) != "\n"; i++) if (substr(text, i, 1) == "\\") i++
            start = i + 1; continue
        }
        if (depth == 0 && c == ";") { start = i + 1; continue }
        if (c == "{") { if (depth == 0) body = i; depth++; continue }
        if (c == "}") {
            if (--depth < 0) exit 1
            if (depth == 0) {
                decl = substr(text, start, body - start)
                while (match(decl, /\/\*/)) {   # comments before the definition say nothing of its name
                    e = index(substr(decl, RSTART + 2), "*/")
                    decl = substr(decl, 1, RSTART - 1) " " (e ? substr(decl, RSTART + e + 3) : "")
                }
                gsub(/\/\/[^\n]*/, " ", decl)
                name = ""; pd = 0
                for (k = 1; k <= length(decl); k++) {
                    ch = substr(decl, k, 1)
                    if (ch == "(") { if (pd == 0) { id = ident_before(decl, k - 1); if (id != "__attribute__" && id != "") { name = id; break } } pd++ }
                    else if (ch == ")") pd--
                }
                if (name != "") { nd++; dname[nd] = name; dstart[nd] = start; dend[nd] = i; dbody[nd] = substr(text, body, i - body + 1); defined[name] = 1 }
                start = i + 1
            }
        }
    }
    if (depth != 0) exit 1
    for (name in drop) if (!(name in defined) && !(name in nowhere)) exit 1
    for (name in nowhere) if (name in api && !(name in defined))
        why[name] = "it is not in the file (deleted or renamed?), and another function calls it"
    # helpers that do not compile take their callers with them
    do {
        changed = 0
        for (k = 1; k <= nd; k++) {
            if (dname[k] in drop) continue
            for (h in drop) if (!(h in api) && names_ident(dbody[k], h)) {
                drop[dname[k]] = 1; changed = 1
                why[dname[k]] = "it calls " h "(), which " (h in nowhere ? "is defined nowhere in this lab" : "does not compile")
                break
            }
        }
    } while (changed)
    napi = 0
    for (name in drop) if (name in api) napi++
    if (!napi) exit 1
    out = ""; last = 1
    for (k = 1; k <= nd; k++) {
        if (!(dname[k] in drop)) continue
        blank = substr(text, dstart[k], dend[k] - dstart[k] + 1); gsub(/[^\n]/, "", blank)
        out = out substr(text, last, dstart[k] - last) blank
        last = dend[k] + 1
    }
    out = out substr(text, last)
    line = srcname; gsub(/\\/, "\\\\", line); gsub(/"/, "\\\"", line)
    printf "#line 1 \"%s\"\n%s", line, out
    # the stand-ins, with the header'"'"'s signatures
    printf "\n_Noreturn void lab_todo(const char *func, const char *file, int line);\n"
    for (i = 1; i <= m; i++) {
        split(lines[i], f, "\t")
        if (!(f[1] in drop)) continue
        np = split(par[f[1]], ty, ", ")
        params = ""; voids = ""
        for (k = 1; k <= np; k++) {
            params = params (k > 1 ? ", " : "") ty[k] (ty[k] ~ /\*$/ ? "" : " ") "gradlab_p" k
            voids = voids "(void)gradlab_p" k "; "
        }
        printf "%s%s(%s) { %slab_todo(__func__, \"gradlab-not-compiled\", 0); }\n", ret[f[1]], f[1], params, voids
        printf "%s\t%s\n", f[1], why[f[1]] > dropped_out
    }
}' "$src" >"$out_src" || { rm -f "$out_dropped"; exit 1; }
