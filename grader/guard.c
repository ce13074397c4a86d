/*
 * guard.c - keeps the grader alive and the machine clean whatever a test does.
 *
 * Each test runs inside a short-lived worker process (which in turn lets Check
 * fork the test's child). The grader only reads the worker's result from a
 * pipe, with its own deadline, so a test that kills its parent, stops it, or
 * escapes Check's timeout by leaving its process group costs that test alone.
 * The grader is a child subreaper: anything a test leaves running (detached
 * children, daemons, setsid) is re-parented to it and killed after the test.
 */
#include "grader.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static volatile sig_atomic_t guard_signal;   /* the stop signal received, or 0 */
static double guard_budget_end;              /* guard_now() at which the run stops; 0: never */
static char guard_stop_reason[160];

static double guard_now(void);

static void guard_on_signal(int sig)
{
    guard_signal = sig;
}

void guard_init(double budget_seconds)
{
    prctl(PR_SET_CHILD_SUBREAPER, 1);
    signal(SIGPIPE, SIG_IGN);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = guard_on_signal;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);
    guard_budget_end = budget_seconds > 0 ? guard_now() + budget_seconds : 0.0;
    guard_stop_reason[0] = '\0';
}

/* Sets the reason once the run must stop; true from then on. */
static bool guard_must_stop(void)
{
    if (guard_stop_reason[0]) return true;
    if (guard_signal)
        snprintf(guard_stop_reason, sizeof guard_stop_reason, "the grader received %s",
                 guard_signal == SIGTERM ? "SIGTERM (a platform's time limit?)"
                 : guard_signal == SIGINT ? "SIGINT (Ctrl-C)" : "SIGHUP");
    else if (guard_budget_end > 0 && guard_now() > guard_budget_end)
        snprintf(guard_stop_reason, sizeof guard_stop_reason, "the grader's run budget (--budget) ran out");
    return guard_stop_reason[0] != '\0';
}

const char *guard_stopped(void)
{
    guard_must_stop();
    return guard_stop_reason;
}

/* Parent pid of `pid` from /proc, or -1. */
static int guard_ppid(int pid)
{
    char path[64], buf[512];
    snprintf(path, sizeof path, "/proc/%d/stat", pid);
    FILE *f = fopen(path, "r");
    if (!f) return -1;
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    char *close_paren = strrchr(buf, ')');   /* the command name may contain spaces */
    int ppid = -1;
    if (close_paren && sscanf(close_paren + 1, " %*c %d", &ppid) != 1) ppid = -1;
    return ppid;
}

/* Reaps what has ended and waits up to about 20 ms for the rest: true when the grader
 * has no child left. As a child subreaper it inherits every orphan below it, so no
 * child left means no descendant left: the usual end of a test, found without a look
 * through /proc (whose cost grows with every process on the machine). Used after a
 * test's process ended on its own; the sandbox's workers are no descendants when a
 * zygote started them (sandbox.c), and die with the test's process otherwise. */
static bool guard_no_children_left(void)
{
    for (int i = 0; i < 100; i++) {
        pid_t r;
        while ((r = waitpid(-1, NULL, WNOHANG)) > 0) {}
        if (r < 0 && errno == ECHILD) return true;
        struct timespec ts = { 0, 200000 };
        nanosleep(&ts, NULL);
    }
    return false;
}

/* Sends SIGKILL to every process below the grader (repeats until none is left, since a
 * dying process's children are re-parented to us), then reaps them.
 * test_ended: the test's process ended on its own (the quick check may do). */
void guard_kill_descendants(bool test_ended)
{
    if (test_ended && guard_no_children_left()) return;
    int self = getpid();
    for (int round = 0; round < 50; round++) {
        enum { MAXP = 4096 };
        static int pids[MAXP], ppids[MAXP];
        int n = 0;
        DIR *d = opendir("/proc");
        if (!d) return;
        struct dirent *e;
        while ((e = readdir(d)) && n < MAXP) {
            int pid = atoi(e->d_name);
            if (pid <= 0 || pid == self) continue;
            pids[n] = pid;
            ppids[n] = guard_ppid(pid);
            n++;
        }
        closedir(d);
        int killed = 0;
        for (int i = 0; i < n; i++) {
            /* Is self an ancestor of pids[i]? Walk up through the snapshot. */
            int p = ppids[i];
            for (int depth = 0; depth < 64 && p > 1; depth++) {
                if (p == self) {
                    kill(pids[i], SIGKILL);
                    killed++;
                    break;
                }
                int next = -1;
                for (int j = 0; j < n; j++)
                    if (pids[j] == p) {
                        next = ppids[j];
                        break;
                    }
                p = next;
            }
        }
        while (waitpid(-1, NULL, WNOHANG) > 0) {}
        if (killed == 0) break;
        struct timespec ts = { 0, 2000000 };
        nanosleep(&ts, NULL);
    }
    while (waitpid(-1, NULL, WNOHANG) > 0) {}
}

/* ---- the worker's result, sent over a pipe ---- */

static int guard_write_all(int fd, const void *buf, size_t len)
{
    const char *p = buf;
    while (len > 0) {
        ssize_t k = write(fd, p, len);
        if (k < 0 && errno == EINTR) continue;
        if (k <= 0) return -1;
        p += k;
        len -= (size_t)k;
    }
    return 0;
}

static void guard_send_str(int fd, const char *s)
{
    unsigned len = s ? (unsigned)strlen(s) : 0;
    guard_write_all(fd, &len, sizeof len);
    if (len) guard_write_all(fd, s, len);
}

typedef struct {
    char *buf;
    size_t len, pos;
} GuardReader;

static int guard_take(GuardReader *r, void *out, size_t n)
{
    if (r->pos + n > r->len) return -1;
    memcpy(out, r->buf + r->pos, n);
    r->pos += n;
    return 0;
}

static int guard_take_str(GuardReader *r, char **out)
{
    unsigned len;
    if (guard_take(r, &len, sizeof len) != 0 || r->pos + len > r->len) return -1;
    *out = NULL;
    if (len == 0) return 0;
    *out = malloc(len + 1);
    if (!*out) return -1;
    memcpy(*out, r->buf + r->pos, len);
    (*out)[len] = '\0';
    r->pos += len;
    return 0;
}

static double guard_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void guard_run_test(const RunConfig *cfg, RunResult *r)
{
    int fds[2];
    if (pipe(fds) != 0) {
        run_test(cfg, r);   /* no isolation possible: still grade */
        return;
    }
    fflush(stdout);
    fflush(stderr);
    double start = guard_now();
    pid_t worker = fork();
    if (worker == 0) {
        close(fds[0]);
        signal(SIGTERM, SIG_DFL);
        signal(SIGINT, SIG_DFL);
        signal(SIGHUP, SIG_DFL);
        run_test(cfg, r);
        int status = (int)r->status;
        guard_write_all(fds[1], &status, sizeof status);
        guard_write_all(fds[1], &r->score, sizeof r->score);
        guard_write_all(fds[1], &r->seconds, sizeof r->seconds);
        guard_send_str(fds[1], r->message);
        guard_send_str(fds[1], r->output);
        _exit(0);
    }
    close(fds[1]);
    double timeout = (r->test->timeout > 0 ? r->test->timeout : 10.0) * cfg->timeout_scale;
    double deadline = start + timeout + 10.0;   /* Check's own timeout comes first */

    /* Read until the worker has written everything and ended. The test's own
     * children may still hold the pipe open, so EOF alone is not enough: the
     * worker's exit is watched too, and what is left is read without blocking. */
    GuardReader rd = { NULL, 0, 0 };
    size_t cap = 0;
    bool timed_out = false, stopped = false, worker_done = worker <= 0;
    fcntl(fds[0], F_SETFL, O_NONBLOCK);
    for (;;) {
        if (rd.len + 65536 > cap) {
            cap = cap ? 2 * cap : 131072;
            char *nb = realloc(rd.buf, cap);
            if (!nb) break;
            rd.buf = nb;
        }
        ssize_t k = read(fds[0], rd.buf + rd.len, 65536);
        if (k > 0) {
            rd.len += (size_t)k;
            continue;
        }
        if (k == 0) break;                                   /* EOF: every writer is gone */
        if (errno != EAGAIN && errno != EINTR) break;
        if (worker_done) break;                              /* exited and drained */
        if (waitpid(worker, NULL, WNOHANG) == worker) {
            worker_done = true;
            continue;                                        /* one last read */
        }
        if (guard_must_stop()) {
            stopped = true;
            break;
        }
        double left = deadline - guard_now();
        if (left <= 0) {
            timed_out = true;
            break;
        }
        struct pollfd p = { fds[0], POLLIN, 0 };
        poll(&p, 1, left < 0.05 ? (int)(left * 1000) + 1 : 50);
    }
    close(fds[0]);
    /* EOF came first (the usual order): the worker is ending; give it a moment to end. */
    for (int i = 0; i < 5000 && !worker_done && !timed_out && !stopped && worker > 0; i++) {
        if (waitpid(worker, NULL, WNOHANG) == worker) {
            worker_done = true;
            break;
        }
        struct timespec ts = { 0, 100000 };
        nanosleep(&ts, NULL);
    }
    if (!worker_done) kill(worker, SIGKILL);
    guard_kill_descendants(worker_done);
    if (!worker_done) waitpid(worker, NULL, 0);

    int status;
    char *msg = NULL, *out = NULL;
    if (!timed_out && !stopped && worker > 0 && guard_take(&rd, &status, sizeof status) == 0 &&
        guard_take(&rd, &r->score, sizeof r->score) == 0 && guard_take(&rd, &r->seconds, sizeof r->seconds) == 0 &&
        guard_take_str(&rd, &msg) == 0 && guard_take_str(&rd, &out) == 0 && status >= RUN_PASS &&
        status <= RUN_FORBIDDEN) {
        r->status = (RunStatus)status;
        r->message = msg;
        r->output = out;
    } else {
        free(msg);
        free(out);
        r->status = timed_out || stopped ? RUN_TIMEOUT : RUN_CRASH;
        r->score = 0.0;
        r->seconds = guard_now() - start;
        char buf[400];
        if (stopped)
            snprintf(buf, sizeof buf, "the grader was interrupted during this test: %s; the test was stopped "
                     "and the tests after it were not run", guard_stop_reason);
        else if (timed_out)
            snprintf(buf, sizeof buf, "the grader was interrupted during this test: no result within %.0f s, even "
                     "after the time limit (did the code leave its process group?); every process it started was "
                     "killed", timeout + 10.0);
        else
            snprintf(buf, sizeof buf, "the grader was interrupted during this test: the process running it was "
                     "killed or stopped (by a signal from the code under test?)");
        r->message = strdup(buf);
        r->output = NULL;
    }
    free(rd.buf);
}
