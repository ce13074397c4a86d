/*
 * debug.c - one test in this very process, for a debugger.
 *
 * make grade ARGS='--debug TEST' builds gradlab-debug: the grader's tests and
 * runner linked with the lab files themselves instead of the proxies, so that
 * the lab's code runs in the same process as the test, with no sandbox, no
 * fork and no time limit, where gdb can stop in it. It never grades: it runs
 * one test and says PASS, FAIL or TODO, with the same messages as the grader.
 */
#include "grader.h"
#include "gt_child.h"
#include "lab.h"
#include "mat.h"
#include "oracle.h"

#include <stdio.h>
#include <stdlib.h>

static bool debug_active;

bool debug_on(void)
{
    return debug_active;
}

_Noreturn void debug_fail(const char *status, const char *msg)
{
    printf("\n%s\n  ", status);
    for (const char *p = msg; *p; p++) fputs(*p == '\n' ? "\n  " : (char[2]){ *p, 0 }, stdout);
    printf("\n");
    fflush(stdout);
    exit(1);
}

static _Noreturn void debug_todo(const char *func, const char *file, int line)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s() is not written yet (%s:%d)", func, file, line);
    debug_fail("TODO", msg);
}

int debug_run(const RunConfig *cfg, const RunResult *r, const char *self)
{
    int is_public = r->vis == GT_PUBLIC;
    const LabsFn *fn = labs_test_fn(r->lab, r->test->name);
    printf("gradlab debug: running \"%s\" in this process: your code runs here, with no sandbox and no time "
           "limit.\nTo stop in your code with gdb:\n  gdb -q --args %s --debug '%s'\n  (gdb) break %s\n"
           "  (gdb) run\n", r->test->name, self, r->test->name, fn ? fn->name : "<your function>");
    fflush(stdout);
    debug_active = true;
    lab_set_todo_handler(debug_todo);
    gt_child_begin(r->test->name, run_test_seed(cfg, r->vis));
    ora_test_begin(r->test->name, is_public);
    mat_gemm_stats_reset();
    r->test->fn();
    printf("\nPASS\n");
    fflush(stdout);
    return 0;
}
