# table.awk - turns bench/run.sh's raw timings into the results table.
#
# Input lines: R <workload> <impl> <seconds> <gflop|-> <note|->, several per
# (workload, impl) pair (the repetitions). Output: a markdown table on stdout
# with the median time per pair, one row per (workload, peer), and the same
# rows as CSV into the file named by -v csv=... Plain POSIX awk (mawk is fine).
# -v peak=GFLOP/s (the fp64 FMA peak, wall-clock, this run) -v ceiling=GFLOP/s
# (per-CPU-second FMA rate x threads: the idle machine) -v threads=N
# -v knn_rows=M (test rows of the full kNN workload).

function median(key,    n, i, j, t, v) {
    n = cnt[key]
    for (i = 1; i <= n; i++) v[i] = val[key, i]
    for (i = 2; i <= n; i++) {          # insertion sort: a handful of values
        t = v[i]
        for (j = i - 1; j >= 1 && v[j] > t; j--) v[j + 1] = v[j]
        v[j + 1] = t
    }
    return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
function secs(s) { return s >= 100 ? sprintf("%.0f", s) : s >= 10 ? sprintf("%.1f", s) : s >= 1 ? sprintf("%.2f", s) : s >= 0.01 ? sprintf("%.3f", s) : sprintf("%.2g", s) }
function gf(g, s) { return g == "-" || s <= 0 ? "" : sprintf("%.1f", g / s) }
function pct1(g, s, p) { return g == "-" || s <= 0 || p <= 0 ? "" : sprintf("%.0f%%", 100 * g / s / p) }
# Two fractions: of this run's wall-clock peak (same sharing as the row) and of the idle ceiling.
function pct(g, s) { return pct1(g, s, peak) == "" ? "" : pct1(g, s, peak) " / " pct1(g, s, ceiling) }
function span(key,    n, i, lo, hi) {
    n = cnt[key]; if (n < 2) return ""
    lo = hi = val[key, 1]
    for (i = 2; i <= n; i++) { if (val[key, i] < lo) lo = val[key, i]; if (val[key, i] > hi) hi = val[key, i] }
    return " (" secs(lo) "-" secs(hi) ")"
}
# pw: the peer's workload when it is not w (gradlab's k = 5 on one thread vs sklearn's k = 5).
function row(label, w, p, note, pw,    g, gs, ps, ratio, pg, gl_key, p_key) {
    gl_key = w SUBSEP "gradlab"; p_key = (pw != "" ? pw : w) SUBSEP p
    if (!(gl_key in cnt)) return
    gs = median(gl_key); g = flop[w]
    ps = ""; ratio = ""; pg = ""
    if (p != "" && (p_key in cnt)) { ps = median(p_key); ratio = sprintf("%.2f", gs / ps); pg = gf(g, ps) }
    printf "| %s | %d | %s%s | %s | %s%s | %s | %s | %s | %s | %s |\n", label, threads, secs(gs), span(gl_key),
           p == "" || ps == "" ? "-" : p, ps == "" ? "" : secs(ps), ps == "" ? "" : span(p_key), ratio,
           gf(g, gs), pg, pct(g, gs), note
    printf "\"%s\",%s,%.6f,%s,%s,%s,%s,%s,%s,%s,%d,%s,\"%s\"\n", label, w, gs, p, ps == "" ? "" : sprintf("%.6f", ps),
           ratio, gf(g, gs), pg, pct1(g, gs, peak), pct1(g, gs, ceiling), threads, cnt[gl_key], note > csv
}
function notes(w, p,    s) {
    s = ""
    if ((w SUBSEP "gradlab") in last) s = "gradlab " last[w SUBSEP "gradlab"]
    if (p != "" && ((w SUBSEP p) in last)) s = s "; " p " " last[w SUBSEP p]
    gsub(/_/, " ", s); gsub(/,/, ", ", s)
    return s
}
function speedup(w, base) {
    if (!((w SUBSEP "gradlab") in cnt) || !((base SUBSEP "gradlab") in cnt)) return ""
    return sprintf("%.1fx faster than two loops; ", median(base SUBSEP "gradlab") / median(w SUBSEP "gradlab"))
}
function rows(label, w,    i, n, any) {
    any = 0
    for (i = 1; i <= npeers; i++) {
        if ((w SUBSEP peers[i]) in cnt) { row(label, w, peers[i], extra[w] notes(w, peers[i])); any = 1 }
    }
    if (!any) row(label, w, "", extra[w] notes(w, ""))
}

$1 == "R" {
    k = $2 SUBSEP $3
    cnt[k]++; val[k, cnt[k]] = $4 + 0; flop[$2] = $5
    if ($6 != "-") last[k] = $6
}

END {
    npeers = split("cblas numpy numpy_fp32 sklearn", peers, " ")
    extra["knn_one_loop"] = speedup("knn_one_loop", "knn_two_loops")
    extra["knn_no_loops"] = speedup("knn_no_loops", "knn_two_loops")
    print "timing,workload,gradlab_s,peer,peer_s,ratio,gradlab_gflops,peer_gflops,gradlab_pct_peak_run,gradlab_pct_ceiling,threads,reps,notes" > csv
    print "| workload | threads | gradlab s (range) | peer | peer s (range) | gradlab/peer | gradlab GFLOP/s | peer GFLOP/s | % of fp64 peak: this run / idle | notes |"
    print "|---|---|---|---|---|---|---|---|---|---|"
    printf "| FMA peak, fp64 (bench/peak.c), wall-clock in this run | %d | - | - | - | - | %.1f | - | 100%% / %s | registers only; shared with the other programs running |\n", threads, peak, pct1(peak, 1, ceiling)
    printf "| FMA ceiling, fp64: per-CPU-second rate x %d cores (idle machine) | %d | - | - | - | - | %.0f | - | - / 100%% | what the cores do while this program is on them |\n", threads, threads, ceiling
    printf "\"FMA peak fp64, this run\",peak,,,,,%.1f,,100%%,%s,%d,,\"\"\n", peak, pct1(peak, 1, ceiling), threads > csv
    printf "\"FMA ceiling fp64, idle\",ceiling,,,,,%.0f,,,100%%,%d,,\"\"\n", ceiling, threads > csv
    rows("mat_gemm 2048x2048x2048 (A B^T)", "gemm_2048")
    rows("mat_gemm kNN shape (10000x784)(784x60000), blocks of 1000 test rows", "gemm_knn")
    rows("kNN L2 distances 200x5000, two loops", "knn_two_loops")
    rows("kNN L2 distances 200x5000, one loop", "knn_one_loop")
    rows("kNN L2 distances 200x5000, no loops", "knn_no_loops")
    kn = "kNN " (knn_rows == 10000 ? "full " : "") knn_rows "x60000"
    rows(kn ": no-loop distances only, blocks of 500 test rows", "knn_dist")
    rows(kn " predict k=1 (distances + selection + vote)", "knn_k1")
    rows(kn " predict k=5 (distances + selection + vote)", "knn_k5")
    rows(kn " predict k=9 (distances + selection + vote)", "knn_k9")
    rows(kn " predict k=1, 5, 9 together (distances once)", "knn_all")
    # kNN on every core (issue 13): the same k = 5 workload on one thread and on all of them.
    row(kn " predict k=5, blocks of 500 rows on 1 thread (GRADLAB_THREADS=1)", "knn_k5_t1", "sklearn",
        notes("knn_k5_t1", ""), "knn_k5")
    row(kn " predict k=5, blocks of 500 rows on " threads " threads, one block each", "knn_k5_t" threads, "sklearn",
        notes("knn_k5_t" threads, ""), "knn_k5")
    rows("softmax loss + gradient, 60000x785, W 785x10", "softmax_full")
    rows("SVM loss + gradient, 60000x785, W 785x10", "svm_full")
    rows("softmax SGD epoch (300 steps, batch 200)", "softmax_epoch")
    rows("SVM SGD epoch (300 steps, batch 200)", "svm_epoch")
    rows("two-layer net 784-100-10, one epoch SGD+momentum, batch 200", "mlp_100")
    rows("two-layer net 784-256-10, one epoch SGD+momentum, batch 200", "mlp_256")
    rows("make grade-solutions, all labs, cold build dir (build + grade)", "grade_solutions_cold")
    rows("make grade-solutions, all labs, already built", "grade_solutions_warm")
    rows("grader sandbox: start one worker (fork, exec, confine, first answer)", "sandbox_start")
    rows("grader sandbox: start one worker from its lab's zygote (fork, confine, first answer; median of 50)", "sandbox_start_zygote")
    rows("grader sandbox: one proxied call (rel_error on 1x1)", "proxy_call")
    rows("grader sandbox: one callback round trip (numerical_gradient's f)", "proxy_callback")
    rows("grade one lab (03: 18 tests, a worker each), already built", "grade_one_lab")
    rows("edit to verdict: lab 01 file changed, make grade ARGS='--lab 01'", "edit_to_verdict")
    rows("make grade-all: 40 copies of the reference, JOBS=2", "grade_all_40_clean")
    rows("make grade-all: the same 40, one whose knn_distances_l1 never returns", "grade_all_40_hang")
    rows("make test (unit, grader, red team, instructor workflow), cold build dir", "make_test")
}
