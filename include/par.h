/*
 * par.h - independent tasks on every core: a small pool of threads for work
 * that splits into pieces sharing nothing (lab 01's blocks of test rows).
 *
 * par_run(fn, ctx, num_tasks, workers) calls fn(ctx, task, worker) exactly
 * once for every task in [0, num_tasks), on `workers` threads (the calling
 * thread is worker 0 and works too), and returns when all are done. Tasks are
 * handed out in increasing order to whichever worker is free, so which worker
 * runs a task varies from run to run; the results do not, as long as task t
 * writes only its own outputs and reads nothing another task writes. `worker`
 * is in [0, workers): index per-worker scratch memory with it (one buffer per
 * worker, not per task).
 *
 * One BLAS thread per worker: while par_run runs, OpenBLAS is set to one thread
 * (openblas_set_num_threads is process-wide in this OpenBLAS, and 0.3.21 has
 * no per-thread setting), and its previous thread count is restored after.
 * So with workers = 1 everything runs on one core: GRADLAB_THREADS=1 is the
 * serial baseline. Each task's mat_gemm runs the same single-threaded kernel
 * whatever the number of workers, so the numbers are identical too.
 *
 * Signals: workers block asynchronous signals (SIGALRM, SIGINT, ...), which
 * the calling thread keeps handling; a fault in a task (SIGSEGV, SIGFPE,
 * abort) is raised in the worker and reaches the program's handler as it
 * would in the calling thread. If the calling thread has an alternate signal
 * stack (expt.c installs one), each worker gets one of the same size, so a
 * stack overflow in a task is reported too.
 *
 * Errors: none to report. If a thread cannot be started, the workers that did
 * start (at least the calling thread) run every task. Not reentrant: fn must
 * not call par_run.
 */
#ifndef GRADLAB_PAR_H
#define GRADLAB_PAR_H

/* Upper bound on workers (GRADLAB_THREADS and the argument of par_run are clamped to it). */
enum { PAR_MAX_WORKERS = 256 };

/* One task: ctx as given to par_run, task in [0, num_tasks), worker in [0, workers). */
typedef void (*ParTaskFn)(void *ctx, int task, int worker);

/* How many workers to use: $GRADLAB_THREADS if it is a whole number >= 1,
 * else the number of online CPUs (at least 1); at most PAR_MAX_WORKERS. */
int par_workers(void);

/* Runs fn for every task in [0, num_tasks) on min(workers, num_tasks) threads
 * (workers < 1 counts as 1) and returns how many threads ran (0 when
 * num_tasks <= 0, in which case fn is never called). */
int par_run(ParTaskFn fn, void *ctx, int num_tasks, int workers);

#endif
