/* red team: escapes with raw system calls (no libc symbol to spot): a double
 * fork whose grandchild calls setsid and lives on, and SIGSTOP to the parent.
 * expect: FORBIDDEN your code called clone\(\) */
#include "knn.h"

#include <signal.h>
#include <sys/syscall.h>

static long raw(long nr, long a, long b, long c)
{
    long ret;
    __asm__ volatile("syscall" : "=a"(ret) : "a"(nr), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return ret;
}

static void escape(void)
{
    long pid = raw(SYS_clone, SIGCHLD, 0, 0);
    if (pid == 0) {
        if (raw(SYS_clone, SIGCHLD, 0, 0) == 0) {
            raw(SYS_setsid, 0, 0, 0);
            for (;;) raw(SYS_sched_yield, 0, 0, 0);   /* outlive the grader */
        }
        raw(SYS_exit, 0, 0, 0);
    }
    raw(SYS_kill, raw(SYS_getppid, 0, 0, 0), SIGSTOP, 0);
}

void knn_distances_two_loops(const Mat *a, const Mat *b, Mat *d) { (void)a; (void)b; (void)d; escape(); }
void knn_distances_one_loop(const Mat *a, const Mat *b, Mat *d) { (void)a; (void)b; (void)d; escape(); }
void knn_distances_no_loops(const Mat *a, const Mat *b, Mat *d) { (void)a; (void)b; (void)d; escape(); }
void knn_distances_l1(const Mat *a, const Mat *b, Mat *d) { (void)a; (void)b; (void)d; escape(); }
void knn_predict_labels(const Mat *d, const int *y, int k, int *p) { (void)d; (void)y; (void)k; (void)p; escape(); }
void knn_cross_validate(const Mat *X, const int *y, int f, const int *ks, int nk, Mat *acc)
{
    (void)X; (void)y; (void)f; (void)ks; (void)nk; (void)acc;
    escape();
}
