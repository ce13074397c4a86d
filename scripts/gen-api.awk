#!/usr/bin/awk -f
# gen-api.awk - derives the code on both sides of the sandbox from grader/api.spec.
#
#   awk -v mode=proxies -f scripts/gen-api.awk grader/api.spec > proxies.c
#       the grader's side: every lab function, with its real signature, as a proxy
#       that marshals its arguments into the arena and runs the call in the worker
#   awk -v mode=dispatch -v lab=01 -f scripts/gen-api.awk grader/api.spec > dispatch_01.c
#       lab 01's worker: rebuilds the arguments from the arena and calls the student's code
#   awk -v mode=labs -f scripts/gen-api.awk grader/api.spec > labs_fns.c
#       the grader's list of each lab's functions (labs_fns_NN, NULL-terminated; grader/labs.c)
#   awk -v mode=oracles -f scripts/gen-api.awk grader/api.spec > oracles.c
#   awk -v mode=oracles-h -f scripts/gen-api.awk grader/api.spec > oracles.h
#       every lab function as ora_<name>, what the reference answers (grader/oracle.h):
#       with -DORA_HAVE_REF the reference ref_<name> computes it, else a recorded answer
#   awk -v mode=list -f scripts/gen-api.awk grader/api.spec
#       "lab name prototype-without-counts", one per line (scripts/check-api.sh)
#
# Function ids are positions in the table, the same on both sides.

function trim(s) { gsub(/^[ \t]+|[ \t]+$/, "", s); return s }

# Splits parameter text p into ptype[k], pname[k], pcount[k] (k = 1..np).
function parse_params(p,    parts, n, k, t, m) {
    np = 0
    if (trim(p) == "" || trim(p) == "void") return
    n = split(p, parts, ",")
    for (k = 1; k <= n; k++) {
        t = trim(parts[k])
        pcount[k] = ""
        if (match(t, /\[[^]]*\]$/)) {
            pcount[k] = substr(t, RSTART + 1, RLENGTH - 2)
            t = trim(substr(t, 1, RSTART - 1))
        }
        match(t, /[A-Za-z_][A-Za-z0-9_]*$/)
        pname[k] = substr(t, RSTART)
        ptype[k] = trim(substr(t, 1, RSTART - 1))
        gsub(/[ \t]+\*/, " *", ptype[k])
        np = k
    }
}

function fail(msg) { printf "%s:%d: %s\n", FILENAME, FNR, msg > "/dev/stderr"; failed = 1; exit 1 }

# The proxy's marshalling statement for parameter k.
function proxy_arg(k,    t, n, c, cnt) {
    t = ptype[k]; n = pname[k]; c = pcount[k]
    cnt = c == "" ? "" : sprintf("%s ? (long)(%s) : 0", n, c)
    if (t == "const Mat *") return sprintf("px_arg_mat(&c, \"%s\", %s, 1);", n, n)
    if (t == "Mat *") return sprintf("px_arg_mat(&c, \"%s\", %s, 0);", n, n)
    if (t == "const int *" && c != "") return sprintf("px_arg_array(&c, \"%s\", %s, PX_INT, %s, 1);", n, n, cnt)
    if (t == "int *" && c != "") return sprintf("px_arg_array(&c, \"%s\", %s, PX_INT, %s, 0);", n, n, cnt)
    if (t == "double *" && c != "") return sprintf("px_arg_array(&c, \"%s\", %s, PX_DOUBLE, %s, 0);", n, n, cnt)
    if (t == "int") return sprintf("px_arg_int(&c, \"%s\", %s);", n, n)
    if (t == "double") return sprintf("px_arg_double(&c, \"%s\", %s);", n, n)
    if (t == "Rng *") return sprintf("px_arg_array(&c, \"%s\", %s, PX_RAW, %s ? (long)sizeof *%s : 0, 0);", n, n, n, n)
    if (t == "const SgdConfig *") return sprintf("px_arg_array(&c, \"%s\", %s, PX_RAW, %s ? (long)sizeof *%s : 0, 1);", n, n, n, n)
    if (t == "const TwoLayerNet *") return sprintf("px_arg_net(&c, \"%s\", %s, 1);", n, n)
    if (t == "TwoLayerNet *") return sprintf("px_arg_net(&c, \"%s\", %s, 0);", n, n)
    if (t == "ScalarFn") return sprintf("px_arg_scalarfn(&c, \"%s\", %s);", n, n)
    if (t == "void *") return sprintf("px_arg_ctx(&c, \"%s\", %s);", n, n)
    if (t == "LossFn") return sprintf("px_arg_lossfn(&c, \"%s\", %s);", n, n)
    fail("parameter '" t " " n "' of " fname ": a type the generator does not know (or an array without [count])")
}

# The count expression of array parameter k, 0 when the pointer is NULL.
function count_of(k) { return sprintf("%s ? (long)(%s) : 0", pname[k], pcount[k]) }

# What the oracle folds into its key for parameter k: every input; of an output-only
# array or net (int *, double *, TwoLayerNet *), only whether it is there and its length.
# A Mat * may be read as well as written (W in linear_train), so its entries count.
function oracle_in(k,    t, n) {
    t = ptype[k]; n = pname[k]
    if (t == "const Mat *" || t == "Mat *") return sprintf("ora_in_mat(&c, %s);", n)
    if (t == "const int *") return sprintf("ora_in_ints(&c, %s, %s);", n, count_of(k))
    if (t == "int *" || t == "double *") return sprintf("ora_in_int(&c, %s);", count_of(k))
    if (t == "int") return sprintf("ora_in_int(&c, %s);", n)
    if (t == "double") return sprintf("ora_in_double(&c, %s);", n)
    if (t == "Rng *") return sprintf("ora_in_rng(&c, %s);", n)
    if (t == "const SgdConfig *") return sprintf("ora_in_sgd(&c, %s);", n)
    if (t == "const TwoLayerNet *") return sprintf("ora_in_net(&c, %s);", n)
    if (t == "TwoLayerNet *") return sprintf("ora_in_int(&c, %s != NULL);", n)
    return ""   # callbacks and their ctx: the test's own code, named by the key
}

# The oracle's statement for output parameter k, or "" for an input.
function oracle_out(k,    t, n) {
    t = ptype[k]; n = pname[k]
    if (t == "Mat *") return sprintf("ora_out_mat(&c, %s);", n)
    if (t == "int *") return sprintf("ora_out_ints(&c, %s, %s);", n, count_of(k))
    if (t == "double *") return sprintf("ora_out_doubles(&c, %s, %s);", n, count_of(k))
    if (t == "Rng *") return sprintf("ora_out_rng(&c, %s);", n)
    if (t == "TwoLayerNet *") return sprintf("ora_out_net(&c, %s);", n)
    return ""
}

# The worker's expression that rebuilds parameter k (index k - 1 in the header).
function worker_arg(k,    t, i) {
    t = ptype[k]; i = k - 1
    if (t == "const Mat *" || t == "Mat *") return "wk_mat(h, " i ")"
    if (t == "const int *" || t == "int *") return "(int *)wk_buf(h, " i ")"
    if (t == "double *") return "(double *)wk_buf(h, " i ")"
    if (t == "int") return "(int)wk_int(h, " i ")"
    if (t == "double") return "wk_double(h, " i ")"
    if (t == "Rng *") return "(Rng *)wk_buf(h, " i ")"
    if (t == "const SgdConfig *") return "(const SgdConfig *)wk_buf(h, " i ")"
    if (t == "const TwoLayerNet *" || t == "TwoLayerNet *") return "wk_net(h, " i ")"
    if (t == "ScalarFn") return "wk_scalarfn(h, " i ")"
    if (t == "void *") return "wk_ctx(h, " i ")"
    if (t == "LossFn") return "wk_lossfn(h, " i ")"
    fail("parameter type '" t "' of " fname)
}

BEGIN {
    nfn = 0
    if (mode == "proxies") {
        print "/* Generated from grader/api.spec by scripts/gen-api.awk: do not edit. */"
        print "#include \"proxy.h\""
        print ""
    } else if (mode == "dispatch") {
        print "/* Generated from grader/api.spec by scripts/gen-api.awk: do not edit. */"
        print "#include \"wk.h\""
        print ""
    } else if (mode == "labs") {
        print "/* Generated from grader/api.spec by scripts/gen-api.awk: do not edit. */"
        print "#include \"grader.h\""
    } else if (mode == "oracles") {
        print "/* Generated from grader/api.spec by scripts/gen-api.awk: do not edit. */"
        print "#include \"oracle.h\""
        print "#include \"oracles.h\""
        print ""
        print "#include <stddef.h>"
    } else if (mode == "oracles-h") {
        print "/* Generated from grader/api.spec by scripts/gen-api.awk: do not edit. */"
        print "/* What the reference answers for each lab function (grader/oracle.h). */"
        print "#ifndef GRADLAB_ORACLES_H"
        print "#define GRADLAB_ORACLES_H"
        print ""
        print "#include \"gradcheck.h\""
        print "#include \"knn.h\""
        print "#include \"linear.h\""
        print "#include \"loss.h\""
        print "#include \"mlp.h\""
    } else if (mode != "list") {
        print "gen-api.awk: mode must be proxies, dispatch, labs, oracles, oracles-h or list" > "/dev/stderr"
        failed = 1
        exit 1
    }
}

/^[ \t]*(#|$)/ { next }

$2 == "header" {
    if (mode == "proxies" || (mode == "dispatch" && $1 == lab)) printf "#include \"%s\"\n", $3
    next
}

{
    flab = $1
    line = $0
    sub(/^[ \t]*[0-9][0-9][ \t]+/, "", line)
    open_at = index(line, "(")
    if (!open_at || substr(line, length(line)) != ")") fail("not a prototype: " line)
    head = trim(substr(line, 1, open_at - 1))
    params = substr(line, open_at + 1, length(line) - open_at - 1)
    match(head, /[A-Za-z_][A-Za-z0-9_]*$/)
    fname = substr(head, RSTART)
    ret = trim(substr(head, 1, RSTART - 1))
    if (ret != "void" && ret != "double") fail(fname ": returns '" ret "'; the channel carries void or double")
    parse_params(params)
    id = nfn++

    if (mode == "labs") {
        if (!(flab in labfns)) order[++nlabs] = flab
        labfns[flab] = labfns[flab] sprintf("    { \"%s\" },\n", fname)
        next
    }
    if (mode == "list") {
        plain = line
        gsub(/\[[^]]*\]/, "", plain)
        print flab, fname, plain
        next
    }
    if (mode == "oracles" || mode == "oracles-h") {
        sig = ""; call = ""
        for (k = 1; k <= np; k++) {
            sig = sig (k > 1 ? ", " : "") ptype[k] (ptype[k] ~ /\*$/ ? "" : " ") pname[k]
            call = call (k > 1 ? ", " : "") pname[k]
        }
        if (mode == "oracles-h") { printf "%s ora_%s(%s);\n", ret, fname, sig; next }
        refs = refs sprintf("%s ref_%s(%s);\n", ret, fname, sig)
        obody = obody sprintf("\n%s ora_%s(%s)\n{\n", ret, fname, sig)
        obody = obody sprintf("    OraCall c;\n    ora_begin(&c, \"%s\");\n", fname)
        for (k = 1; k <= np; k++) if (oracle_in(k) != "") obody = obody sprintf("    %s\n", oracle_in(k))
        if (ret == "double") obody = obody "    double r = 0.0;" "\n"
        obody = obody "    if (ora_compute(&c)) {" "\n"
        obody = obody "#ifdef ORA_HAVE_REF" "\n"
        obody = obody sprintf("        %sref_%s(%s);\n", ret == "double" ? "r = " : "", fname, call)
        obody = obody "#endif" "\n"
        obody = obody "    }" "\n"
        for (k = 1; k <= np; k++) if (oracle_out(k) != "") obody = obody sprintf("    %s\n", oracle_out(k))
        if (ret == "double") obody = obody "    r = ora_out_double(&c, r);" "\n"
        obody = obody "    ora_end(&c);" "\n"
        if (ret == "double") obody = obody "    return r;" "\n"
        obody = obody "}" "\n"
        next
    }
    if (mode == "proxies") {
        sig = ""
        for (k = 1; k <= np; k++) sig = sig (k > 1 ? ", " : "") ptype[k] (ptype[k] ~ /\*$/ ? "" : " ") pname[k]
        printf "\n%s %s(%s)\n{\n", ret, fname, sig
        printf "    PxCall c;\n    px_begin(&c, %d, \"%s\", \"%s\");\n", id, flab, fname
        for (k = 1; k <= np; k++) printf "    %s\n", proxy_arg(k)
        if (ret == "void") print "    px_call(&c);"
        else print "    return px_call(&c);"
        print "}"
        next
    }
    if (flab != lab) next
    weak[++nweak] = fname
    body = ""
    for (k = 1; k <= np; k++) body = body (k > 1 ? ", " : "") worker_arg(k)
    cases = cases sprintf("    case %d:\n        if (!%s) return wk_missing(\"%s\");\n", id, fname, fname)
    if (ret == "void") cases = cases sprintf("        %s(%s);\n        return 0;\n", fname, body)
    else cases = cases sprintf("        *ret = %s(%s);\n        return 0;\n", fname, body)
}

END {
    if (failed) exit 1
    if (mode == "oracles-h") { print ""; print "#endif"; exit 0 }
    if (mode == "oracles") {
        print ""
        print "#ifdef ORA_HAVE_REF"
        print "/* The reference solutions, linked in under a ref_ prefix. */"
        printf "%s", refs
        print "int ora_ref_linked(void) { return 1; }"
        print "#else"
        print "int ora_ref_linked(void) { return 0; }"
        print "#endif"
        printf "%s", obody
        exit 0
    }
    if (mode == "labs") {
        for (k = 1; k <= nlabs; k++)
            printf "\nconst LabsFn labs_fns_%s[] = {\n%s    { NULL },\n};\n", order[k], labfns[order[k]]
        exit 0
    }
    if (mode != "dispatch") exit 0
    if (nweak == 0) { print "gen-api.awk: no functions for lab " lab > "/dev/stderr"; exit 1 }
    print ""
    print "/* Weak: a function the lab file does not define is NULL, and its tests say MISSING. */"
    for (k = 1; k <= nweak; k++) printf "#pragma weak %s\n", weak[k]
    print ""
    print "int wk_dispatch(ChHeader *h, double *ret)"
    print "{"
    print "    (void)ret;"
    print "    switch (h->fn) {"
    printf "%s", cases
    print "    default:"
    print "        return -1;"
    print "    }"
    print "}"
}
