/*
 * sandbox.h - the grader's side of the sandbox: starting a lab's worker for a
 * test, talking to it, and turning how it ended into a verdict (sandbox.c).
 * proxy.c runs lab calls over it.
 *
 * Each test process starts its workers lazily, one per lab it calls, and
 * sbx_shutdown() kills them when the test ends. Trusted code only: nothing a
 * worker says decides anything here.
 */
#ifndef GRADLAB_SANDBOX_H
#define GRADLAB_SANDBOX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "grader.h"
#include "worker/channel.h"

/* The arena's size: virtual; only what a call touches is ever used. */
#define SBX_ARENA_BYTES ((uint64_t)512 << 20)

typedef struct {
    const char *build_dir;   /* holds NN-name/gradlab-worker for each lab that built */
    double started;          /* CLOCK_MONOTONIC seconds when the test started */
    double deadline;         /* and by which every call must be over */
    double seconds;          /* the test's time limit, for messages */
    long mem_mb;             /* address space a worker may add (0: no limit, under ASan) */
    long cpu_seconds;        /* RLIMIT_CPU of a worker (its stdout and stderr come back
                                through a pipe into the test's output, capped there) */
    bool drop;               /* switch the worker to uid/gid before it starts */
    uid_t uid;
    gid_t gid;
} SbxConfig;

typedef struct SbxWorker SbxWorker;

/* Called once by the grader, before the first test: starts a zygote (worker/zygote.c)
 * for each lab that is selected and built, as uid/gid when drop is set. A test then
 * gets its workers from the zygote, forked from a loaded program, and from the
 * program itself when a zygote does not answer. */
void sbx_zygotes_start(const char *build_dir, bool selected[], bool drop, uid_t uid, gid_t gid);
/* Closes the zygotes' control sockets and waits until each zygote (and so each of its
 * workers) has ended. Runs at the grader's exit; a no-op in any other process. */
void sbx_zygotes_stop(void);
/* Called once per test process, before the test runs. */
void sbx_setup(const SbxConfig *cfg);
/* Kills and reaps every worker this test started (the runner, at the test's end). */
void sbx_shutdown(void);

/* Lab lab_num's worker for this test, started (and confined, and "ready") on first
 * use. A lab that did not build ends the test as BUILD; fn names the call for messages. */
SbxWorker *sbx_worker(const char *lab_num, const char *fn);
unsigned char *sbx_arena(const SbxWorker *w);
const LabsInfo *sbx_lab(const SbxWorker *w);

/* One message each way. sbx_recv waits until the test's deadline; a worker that
 * ends, hangs or writes garbage ends the test with the verdict that says so. */
void sbx_send(SbxWorker *w, int type, double value, const char *fn);
void sbx_recv(SbxWorker *w, ChMsg *m, const char *fn);

/* Ends the test with a verdict (a RunStatus other than PASS/FAIL), or as FAILED
 * with a message; both kill the workers first. */
_Noreturn void sbx_verdict(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
_Noreturn void sbx_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Copies at most n - 1 characters of src (at most srcmax long, not necessarily
 * terminated), any character outside [A-Za-z0-9_./-] as '?'. */
void sbx_clean(char *dst, size_t n, const char *src, size_t srcmax);

#endif
