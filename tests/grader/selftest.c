/*
 * selftest.c - the grader's runtime defences, tested directly.
 *
 * Linked into a grader binary of its own (no labs), in place of lab 01's and
 * lab 02's suites. Each test does what a hostile or broken submission would do
 * and its name ends with the status the grader must report, "-> CRASH" and so
 * on; tests/grader/run.sh checks every line of the TSV against that.
 */
#include "gt.h"
#include "knn.h"
#include "lab.h"
#include "mat.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void t_pass(void)
{
    Mat *a = gt_randn(3, 4, 1.0);
    GT_CHECK(a->rows == 3, "gt_randn made %d rows", a->rows);
    printf("a line of output from a passing test\n");
}
static void t_fail(void)
{
    gt_context("svm_loss_naive(W (3x4))");
    gt_hint("divide by N");
    gt_expect_near("loss", 5.27, 2.0, 1e-6);
}
static void t_todo(void) { LAB_TODO(); }
static void t_segv(void)
{
    volatile int *p = NULL;
    *p = 1;
}
static void t_abort(void) { abort(); }
static volatile int t_depth_limit = 1 << 30;   /* volatile: the compiler cannot see the end */
static int t_recurse(int n)
{
    volatile char pad[4096];
    pad[0] = (char)n;
    return n < t_depth_limit ? t_recurse(n + 1) + pad[0] : 0;
}
static void t_stack(void) { printf("%d\n", t_recurse(0)); }
static void t_loop(void) { for (;;) {} }
static void t_loop_pgid(void)
{
    if (fork() == 0) {   /* a grandchild in its own group keeps spinning */
        setpgid(0, 0);
        for (;;) {}
    }
    setpgid(0, getpid() + 1);   /* may fail: fine, the loop below is what matters */
    for (;;) {}
}
static void t_exit0(void)
{
    printf("PASS 100/100\n");
    exit(0);
}
static void t_uexit0(void) { _exit(0); }
static void t_sentinel(void) { exit(77); }
static void t_atexit_print(void) { printf("PASS: all tests passed\n"); }
static void t_atexit(void)
{
    atexit(t_atexit_print);
    exit(0);
}
static void t_fake_report(void)
{
    const char *lies = "  PASS    01 everything: fine  100.0/100.0\n100%: Checks: 99, Failures: 0, Errors: 0\n"
                       "{\"score\": 1000, \"tests\": []}\n       total   99/99   1000.0 / 1000.0\n";
    fputs(lies, stdout);
    fputs(lies, stderr);
    gt_expect_near("answer", 1.0, 0.0, 1e-9);
}
static void t_spam(void)
{
    static char buf[1 << 16];
    memset(buf, 'x', sizeof buf);
    for (int i = 0; i < 3200; i++) fwrite(buf, 1, sizeof buf, stdout);   /* 200 MB */
}
static void t_mem(void)
{
    size_t n = (size_t)8 << 30;
    char *p = malloc(n);
    if (!p) abort();   /* what a real submission does with a NULL it did not expect */
    memset(p, 1, n);
}
static void t_fork50(void)
{
    for (int i = 0; i < 50; i++)
        if (fork() == 0) {
            sleep(60);
            _exit(0);
        }
}
static void t_setsid_late(void)
{
    if (fork() == 0) {
        setsid();
        sleep(3);
        printf("LATE OUTPUT FROM A DETACHED CHILD\n");
        _exit(0);
    }
}
static void t_kill_parent(void)
{
    kill(getppid(), SIGKILL);
    for (;;) pause();
}
static void t_nan(void)
{
    Mat *e = gt_mat(1, 2, (double[]){ 1, 2 });
    Mat *g = gt_mat(1, 2, (double[]){ 1, 0.0 / 0.0 });
    gt_expect_mat("dW", e, g, 1e-6);
}
static void t_inf(void) { gt_expect_near("loss", 2.0, 1.0 / 0.0, 1e-6); }
static void t_zero_grad(void)
{
    Mat *a = mat_new(2, 2), *n = gt_randn(2, 2, 1.0);
    gt_expect_grad("dW", a, n, 1e-6, NULL, NULL);
}
static void t_after(void) { GT_CHECK(1 + 1 == 2, "arithmetic"); }

GT_SUITE(gt_suite_01_public, "01", GT_PUBLIC,
         { "01 knn_distances_two_loops: a passing test -> PASS", 1, 5, t_pass },
         { "01 knn_distances_two_loops: a failed check -> FAIL", 1, 5, t_fail },
         { "01 knn_distances_two_loops: LAB_TODO -> TODO", 1, 5, t_todo },
         { "01 knn_distances_two_loops: segfault -> CRASH", 1, 5, t_segv },
         { "01 knn_distances_two_loops: abort -> CRASH", 1, 5, t_abort },
         { "01 knn_distances_two_loops: stack overflow -> CRASH", 1, 5, t_stack },
         { "01 knn_distances_two_loops: endless loop -> TIMEOUT", 1, 1, t_loop },
         { "01 knn_distances_two_loops: endless loop in another process group -> TIMEOUT", 1, 1, t_loop_pgid },
         { "01 knn_distances_two_loops: exit(0) -> EXIT", 1, 5, t_exit0 },
         { "01 knn_distances_two_loops: _exit(0) -> EXIT", 1, 5, t_uexit0 },
         { "01 knn_distances_two_loops: exit with the grader's sentinel status -> EXIT", 1, 5, t_sentinel },
         { "01 knn_distances_two_loops: atexit handler printing PASS -> EXIT", 1, 5, t_atexit },
         { "01 knn_distances_two_loops: fake report lines on stdout and stderr -> FAIL", 1, 5, t_fake_report },
         { "01 knn_distances_two_loops: 200 MB of output -> PASS", 1, 10, t_spam },
         { "01 knn_distances_two_loops: allocating 8 GB -> CRASH", 1, 10, t_mem },
         { "01 knn_distances_two_loops: 50 sleeping children -> PASS", 1, 5, t_fork50 },
         { "01 knn_distances_two_loops: a detached child printing late -> PASS", 1, 5, t_setsid_late },
         { "01 knn_distances_two_loops: kill(getppid(), SIGKILL) -> CRASH", 1, 5, t_kill_parent },
         { "01 knn_distances_two_loops: NaN in a result -> FAIL", 1, 5, t_nan },
         { "01 knn_distances_two_loops: Inf in a result -> FAIL", 1, 5, t_inf },
         { "01 knn_distances_two_loops: an all-zero gradient -> FAIL", 1, 5, t_zero_grad },
         { "01 knn_distances_two_loops: still graded after all that -> PASS", 1, 5, t_after }, );

/* This binary plays a lab that defines knn_distances_two_loops and nothing else. */
void knn_distances_two_loops(const Mat *X_train, const Mat *X_test, Mat *dists)
{
    (void)X_train;
    (void)X_test;
    (void)dists;
}

/* The runner must report a lab function that a built lab does not define. */
GT_SUITE(gt_suite_02_public, "02", GT_PUBLIC,
         { "02 svm_loss_naive: a function missing from the lab -> MISSING", 1, 5, t_pass }, );
