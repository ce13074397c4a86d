/*
 * par.c - independent tasks on every core (see par.h).
 *
 * The pool lives for one par_run call: workers - 1 threads are started, the
 * calling thread joins in as worker 0, each worker takes the next task number
 * from one shared atomic counter until none is left, and the threads are
 * joined. Starting a thread costs tens of microseconds, nothing next to the
 * tasks this is for (each of lab 01's blocks is about a second of work).
 */
#include "par.h"

#include <cblas.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

typedef struct {
    ParTaskFn fn;
    void *ctx;
    int num_tasks;
    atomic_int next;        /* the next task number to hand out */
    size_t altstack_size;   /* the calling thread's alternate signal stack, 0 if none */
} ParJob;

typedef struct {
    ParJob *job;
    int worker;
} ParWorker;

int par_workers(void)
{
    const char *env = getenv("GRADLAB_THREADS");
    if (env && *env) {
        char *end;
        long n = strtol(env, &end, 10);
        if (*end == '\0' && n >= 1) return n < PAR_MAX_WORKERS ? (int)n : PAR_MAX_WORKERS;
    }
    /* The CPUs this process may run on (a Slurm job or taskset may allow fewer
     * than are online), else the online count. */
    int n = 0;
    cpu_set_t set;
    if (sched_getaffinity(0, sizeof set, &set) == 0) n = CPU_COUNT(&set);
    if (n < 1) n = (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    return n < PAR_MAX_WORKERS ? n : PAR_MAX_WORKERS;
}

/* Takes task numbers until none is left. */
static void par_work(ParJob *job, int worker)
{
    for (;;) {
        int t = atomic_fetch_add_explicit(&job->next, 1, memory_order_relaxed);
        if (t >= job->num_tasks) return;
        job->fn(job->ctx, t, worker);
    }
}

static void *par_thread(void *arg)
{
    ParWorker *w = arg;
    /* A signal handler needs a stack of its own to report a stack overflow;
     * alternate stacks are per thread, so the calling thread's does not help
     * here. Left alone when this thread already has one (a sanitizer's). */
    void *stack = NULL;
    stack_t cur;
    if (w->job->altstack_size > 0 && sigaltstack(NULL, &cur) == 0 && (cur.ss_flags & SS_DISABLE)) {
        stack = malloc(w->job->altstack_size);
        stack_t ss = { .ss_sp = stack, .ss_size = w->job->altstack_size };
        if (stack && sigaltstack(&ss, NULL) != 0) {
            free(stack);
            stack = NULL;
        }
    }
    par_work(w->job, w->worker);
    if (stack) {
        stack_t off = { .ss_flags = SS_DISABLE };
        sigaltstack(&off, NULL);
        free(stack);
    }
    return NULL;
}

int par_run(ParTaskFn fn, void *ctx, int num_tasks, int workers)
{
    if (num_tasks <= 0) return 0;
    if (workers < 1) workers = 1;
    if (workers > PAR_MAX_WORKERS) workers = PAR_MAX_WORKERS;
    if (workers > num_tasks) workers = num_tasks;

    ParJob job = { .fn = fn, .ctx = ctx, .num_tasks = num_tasks };
    atomic_init(&job.next, 0);
    stack_t own;
    if (sigaltstack(NULL, &own) == 0 && !(own.ss_flags & SS_DISABLE)) job.altstack_size = own.ss_size;

    /* One BLAS thread per worker, for every worker count (see par.h). */
    int blas_threads = openblas_get_num_threads();
    if (blas_threads != 1) openblas_set_num_threads(1);

    /* The new threads start with every asynchronous signal blocked, so the
     * calling thread handles them as before; faults stay deliverable. */
    sigset_t block, old;
    sigfillset(&block);
    static const int faults[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGTRAP, SIGSYS };
    for (size_t i = 0; i < sizeof faults / sizeof faults[0]; i++) sigdelset(&block, faults[i]);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    pthread_t threads[PAR_MAX_WORKERS];
    ParWorker ws[PAR_MAX_WORKERS];
    int started = 0;
    for (int w = 1; w < workers; w++) {
        ws[started] = (ParWorker){ .job = &job, .worker = started + 1 };
        if (pthread_create(&threads[started], NULL, par_thread, &ws[started]) != 0) break;
        started++;
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);

    par_work(&job, 0);
    for (int i = 0; i < started; i++) pthread_join(threads[i], NULL);

    if (blas_threads != 1) openblas_set_num_threads(blas_threads);
    return started + 1;
}
