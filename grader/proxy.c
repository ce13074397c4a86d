/*
 * proxy.c - runs lab calls in a sandboxed worker and judges what comes back.
 *
 * Trusted code: it runs in the test's process, beside the test. What a worker
 * writes (the arena, its messages, its crash notes) is read once into locals,
 * checked against bounds and against what was sent, and used as data only:
 * a verdict comes from the kernel's word on the worker (waitpid) and from the
 * test's own checks. Names a worker sends are cut to [A-Za-z0-9_./-].
 */
#include "proxy.h"
#include "grader.h"
#include "gt_child.h"
#include "lab.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <math.h>
#include <poll.h>
#include <seccomp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { PX_MAX_LABS = 16 };
#define PX_ARENA_BYTES ((uint64_t)512 << 20)   /* virtual; only what a call touches is used */

typedef struct {
    pid_t pid;              /* 0: not started */
    int sock;
    int out;                /* the read end of the worker's stdout and stderr */
    unsigned char *arena;
    const LabsInfo *lab;
    char path[1024];
} PxWorker;

static PxConfig px_cfg;
static bool px_ready;
static PxWorker px_workers[PX_MAX_LABS];
static PxWorker *px_cur;    /* the worker of the call in progress */
static bool px_in_call;

static double px_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void px_setup(const PxConfig *cfg)
{
    px_cfg = *cfg;
    px_ready = true;
    memset(px_workers, 0, sizeof px_workers);
}

/* Moves what the worker printed into the test's output (the runner's capture file,
 * capped by the test's RLIMIT_FSIZE: past it, writes fail and the rest is dropped).
 * Never blocks: the pipe is non-blocking. */
static void px_drain(PxWorker *w)
{
    char buf[65536];
    ssize_t k;
    while (w->out > 0 && (k = read(w->out, buf, sizeof buf)) > 0)
        if (write(STDOUT_FILENO, buf, (size_t)k) < 0) {}   /* over the cap: dropped */
}

static void px_kill(PxWorker *w)
{
    if (w->pid > 0) {
        kill(w->pid, SIGKILL);
        while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR) {}
    }
    px_drain(w);
    if (w->out > 0) close(w->out);
    if (w->sock > 0) close(w->sock);
    if (w->arena) munmap(w->arena, PX_ARENA_BYTES);
    w->pid = 0;
    w->sock = w->out = -1;
    w->arena = NULL;
}

void px_shutdown(void)
{
    for (int i = 0; i < PX_MAX_LABS; i++) px_kill(&px_workers[i]);
}

/* ---- messages: what the worker sent, made safe to print ---- */

/* Copies at most n - 1 characters of src (not necessarily terminated, at most
 * srcmax long), keeping only characters that can appear in a C identifier or a
 * path; anything else becomes '?'. */
static void px_clean(char *dst, size_t n, const char *src, size_t srcmax)
{
    size_t k = 0;
    for (size_t i = 0; i < srcmax && src[i] && k + 1 < n; i++) {
        char ch = src[i];
        bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                  ch == '_' || ch == '.' || ch == '/' || ch == '-';
        dst[k++] = ok ? ch : '?';
    }
    dst[k] = '\0';
}

/* Ends the test with a verdict decided here (never returns). */
static _Noreturn void px_verdict(int status, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static _Noreturn void px_verdict(int status, const char *fmt, ...)
{
    char msg[1600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    px_in_call = false;
    px_shutdown();
    gt_child_verdict(status, msg);
}

/* Ends the test as FAILED with a message about the call (context and no hint). */
static _Noreturn void px_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void px_fail(const char *fmt, ...)
{
    char msg[1600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    px_in_call = false;
    px_shutdown();
    gt_hint(NULL);
    gt_fail("%s", msg);
}

/* ---- locating a crash: addr2line over the worker program ---- */

/* " at knn.c:42" (" at knn.c:42, in helper()" when that is not fn) for the innermost
 * frame in the lab's own file, or "". */
static void px_locate(const PxWorker *w, const ChCrash *crash, const char *fn, char *out, size_t n)
{
    out[0] = '\0';
    int nf = crash->nframes;
    if (crash->magic != CH_MAGIC || nf <= 0 || nf > CH_CRASH_FRAMES) return;
    uint64_t frames[CH_CRASH_FRAMES];
    memcpy(frames, crash->frames, sizeof frames);
    int fds[2];
    if (pipe(fds) != 0) return;
    fflush(stdout);
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        int devnull = open("/dev/null", O_WRONLY);
        if (devnull >= 0) dup2(devnull, STDERR_FILENO);
        char addrs[CH_CRASH_FRAMES][24];
        char *argv[CH_CRASH_FRAMES + 6];
        int a = 0;
        argv[a++] = "addr2line";
        argv[a++] = "-f";
        argv[a++] = "-e";
        argv[a++] = (char *)w->path;
        for (int i = 0; i < nf; i++) {
            /* a return address points after its call: step back into it */
            snprintf(addrs[i], sizeof addrs[i], "0x%llx", (unsigned long long)(frames[i] - (i > 0)));
            argv[a++] = addrs[i];
        }
        argv[a] = NULL;
        execvp("addr2line", argv);
        _exit(127);
    }
    close(fds[1]);
    if (pid < 0) {
        close(fds[0]);
        return;
    }
    char buf[8192];
    size_t len = 0;
    ssize_t k;
    while (len + 1 < sizeof buf && (k = read(fds[0], buf + len, sizeof buf - 1 - len)) > 0) len += (size_t)k;
    buf[len] = '\0';
    close(fds[0]);
    waitpid(pid, NULL, 0);
    /* Pairs of lines: function, then file:line. */
    const char *want = w->lab->file;
    char *save = NULL;
    for (char *sym = strtok_r(buf, "\n", &save); sym; sym = strtok_r(NULL, "\n", &save)) {
        char *where = strtok_r(NULL, "\n", &save);
        if (!where) break;
        char *colon = strrchr(where, ':');
        if (!colon) continue;
        *colon = '\0';
        const char *base = strrchr(where, '/') ? strrchr(where, '/') + 1 : where;
        if (strcmp(base, want) != 0) continue;
        char f[80], line[16];
        px_clean(f, sizeof f, sym, strlen(sym));
        px_clean(line, sizeof line, colon + 1, strlen(colon + 1));
        line[strcspn(line, "?")] = '\0';
        if (strcmp(f, fn) == 0) snprintf(out, n, " at %s:%s", want, line);
        else snprintf(out, n, " at %s:%s, in %s()", want, line, f);
        return;
    }
}

/* The worker ended without answering: what the kernel says about it decides. */
static _Noreturn void px_worker_died(PxWorker *w, const char *fn)
{
    int st = 0;
    pid_t r = 0;
    /* The socket closed: the process is ending. Give it a moment, then make sure. */
    for (int i = 0; i < 400 && r == 0; i++) {
        r = waitpid(w->pid, &st, WNOHANG);
        if (r == 0) {
            struct timespec ts = { 0, 5000000 };
            nanosleep(&ts, NULL);
        }
    }
    if (r == 0) {
        kill(w->pid, SIGKILL);
        while ((r = waitpid(w->pid, &st, 0)) < 0 && errno == EINTR) {}
    }
    w->pid = 0;
    px_drain(w);
    ChCrash crash;
    memcpy(&crash, &((const ChHeader *)w->arena)->crash, sizeof crash);
    char where[200];
    if (r > 0 && WIFSIGNALED(st)) {
        int sig = WTERMSIG(st);
        px_locate(w, &crash, fn, where, sizeof where);
        if (sig == SIGSYS) {
            char name[64] = "a forbidden system call";
            if (crash.magic == CH_MAGIC && crash.sig == SIGSYS && crash.syscall_nr >= 0) {
                char *s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, crash.syscall_nr);
                if (s) snprintf(name, sizeof name, "%s()", s);
                else snprintf(name, sizeof name, "system call %d", crash.syscall_nr);
                free(s);
            }
            px_verdict(RUN_FORBIDDEN, "your code called %s during %s()%s: lab code may compute, allocate memory "
                       "and print, nothing else (no files, processes, signals or sockets)", name, fn, where);
        }
        if (sig == SIGXCPU)
            px_verdict(RUN_TIMEOUT, "%s() used up its CPU time (%ld s): an endless loop, or far too slow", fn,
                       px_cfg.cpu_seconds);
        px_verdict(RUN_CRASH, "%s() crashed%s: signal %d, %s", fn, where, sig, run_signal_why(sig));
    }
    if (r > 0 && WIFEXITED(st))
        px_verdict(RUN_EXIT, "your code ended the process (exit status %d) during %s(): lab functions must "
                   "return, never call exit()", WEXITSTATUS(st), fn);
    px_verdict(RUN_CRASH, "%s(): the worker process running it was lost", fn);
}

/* ---- the socket ---- */

/* Waits for the worker's next message until the deadline. */
static void px_recv(PxWorker *w, ChMsg *m, const char *fn)
{
    for (;;) {
        double left = px_cfg.deadline - px_now();
        if (left <= 0) {
            px_verdict(RUN_TIMEOUT, "%s() was still running %.1f s into the test (its limit is %.0f s): an "
                       "endless loop, or far too slow", fn, px_now() - px_cfg.started, px_cfg.seconds);
        }
        struct pollfd p[2] = { { w->sock, POLLIN, 0 }, { w->out, POLLIN, 0 } };
        int r = poll(p, w->out > 0 ? 2 : 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR) continue;
        if (w->out > 0 && p[1].revents) {
            px_drain(w);
            if (p[1].revents & POLLHUP && !(p[1].revents & POLLIN)) {
                close(w->out);   /* its end closed: the worker is gone, the socket will say so */
                w->out = -1;
            }
        }
        if (r == 0 || !p[0].revents) continue;
        ssize_t k = recv(w->sock, m, sizeof *m, MSG_TRUNC);
        if (k == (ssize_t)sizeof *m) return;
        if (k < 0 && errno == EINTR) continue;
        if (k > 0)
            px_fail("%s() wrote %zd bytes of its own to the grader's channel: lab code must not write there", fn, k);
        px_worker_died(w, fn);   /* EOF: the process is gone */
    }
}

static void px_send(PxWorker *w, int type, double value, const char *fn)
{
    ChMsg m;
    memset(&m, 0, sizeof m);
    m.type = type;
    m.value = value;
    if (send(w->sock, &m, sizeof m, MSG_NOSIGNAL) != (ssize_t)sizeof m) px_worker_died(w, fn);
}

/* ---- starting a worker ---- */

static const LabsInfo *px_lab(const char *num)
{
    for (int i = 0; i < labs_count; i++)
        if (!strcmp(labs_table[i].num, num)) return &labs_table[i];
    return NULL;
}

static PxWorker *px_worker(const char *num, const char *fn)
{
    const LabsInfo *lab = px_lab(num);
    if (!px_ready || !lab) gt_fail("grader: %s() was called outside a test", fn);
    PxWorker *w = &px_workers[lab - labs_table];
    if (w->pid > 0) return w;
    w->lab = lab;
    snprintf(w->path, sizeof w->path, "%s/%s/gradlab-worker", px_cfg.build_dir ? px_cfg.build_dir : ".", lab->dir);
    int exe = open(w->path, O_RDONLY | O_CLOEXEC);
    if (exe < 0)
        px_verdict(RUN_BUILD, "lab %s did not build (no %s), so %s() cannot be called", lab->num, w->path, fn);
    int sv[2], outp[2];
    if (pipe2(outp, O_CLOEXEC) != 0) gt_fail("grader: cannot set up the sandbox for %s(): %s", fn, strerror(errno));
    /* The test's output cap (RLIMIT_FSIZE) would stop the memfd's size too. */
    struct rlimit fsize, unlimited = { RLIM_INFINITY, RLIM_INFINITY };
    getrlimit(RLIMIT_FSIZE, &fsize);
    setrlimit(RLIMIT_FSIZE, &unlimited);
    int memfd = memfd_create("gradlab-arena", MFD_CLOEXEC);
    int sized = memfd >= 0 ? ftruncate(memfd, (off_t)PX_ARENA_BYTES) : -1;
    setrlimit(RLIMIT_FSIZE, &fsize);
    if (memfd < 0 || sized != 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        gt_fail("grader: cannot set up the sandbox for %s(): %s", fn, strerror(errno));
    w->arena = mmap(NULL, PX_ARENA_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
    if (w->arena == MAP_FAILED) {
        w->arena = NULL;
        gt_fail("grader: cannot map the sandbox's memory for %s(): %s", fn, strerror(errno));
    }
    char arena_s[32], mem_s[32], cpu_s[32];
    snprintf(arena_s, sizeof arena_s, "%llu", (unsigned long long)PX_ARENA_BYTES);
    snprintf(mem_s, sizeof mem_s, "%ld", px_cfg.mem_mb);
    snprintf(cpu_s, sizeof cpu_s, "%ld", px_cfg.cpu_seconds);
    char *argv[] = { "gradlab-worker", "--arena-size", arena_s, "--mem", mem_s, "--cpu", cpu_s, NULL };
    char *envp[] = { "OPENBLAS_NUM_THREADS=1", "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };
    pid_t parent = getpid();
    fflush(stdout);
    fflush(stderr);
    pid_t pid = fork();
    if (pid == 0) {
        /* Out of the way first, then onto the numbers the worker expects. */
        int s = fcntl(sv[1], F_DUPFD_CLOEXEC, 16), a = fcntl(memfd, F_DUPFD_CLOEXEC, 16),
            e = fcntl(exe, F_DUPFD_CLOEXEC, 16);
        if (s < 0 || a < 0 || e < 0 || dup2(s, CH_FD_SOCKET) < 0 || dup2(a, CH_FD_ARENA) < 0 ||
            dup2(e, CH_FD_SELF) < 0 || dup2(outp[1], STDOUT_FILENO) < 0 || dup2(outp[1], STDERR_FILENO) < 0)
            _exit(126);
        if (px_cfg.drop && (setgroups(0, NULL) != 0 || setgid(px_cfg.gid) != 0 || setuid(px_cfg.uid) != 0))
            _exit(126);
        prctl(PR_SET_PDEATHSIG, SIGKILL);   /* after setuid, which clears it */
        if (getppid() != parent) _exit(0);
        fexecve(CH_FD_SELF, argv, envp);
        _exit(127);
    }
    close(sv[1]);
    close(outp[1]);
    close(memfd);
    close(exe);
    fcntl(outp[0], F_SETFL, O_NONBLOCK);
    w->out = outp[0];
    if (pid < 0) gt_fail("grader: cannot start the sandbox for %s(): %s", fn, strerror(errno));
    w->pid = pid;
    w->sock = sv[0];
    ChMsg m;
    px_recv(w, &m, fn);
    if (m.type != CH_MSG_READY) px_worker_died(w, fn);
    return w;
}

/* ---- marshalling ---- */

static ChHeader *px_hdr(const PxCall *c)
{
    (void)c;
    return (ChHeader *)px_cur->arena;
}

void px_begin(PxCall *c, int id, const char *lab, const char *fn)
{
    if (px_in_call) gt_fail("grader: %s() was called from inside a callback of another lab call", fn);
    memset(c, 0, sizeof *c);
    c->id = id;
    c->lab = lab;
    c->fn = fn;
    c->scalar_x = -1;
    px_cur = px_worker(lab, fn);
    c->used = (sizeof(ChHeader) + 63) & ~(uint64_t)63;
    ChHeader *h = px_hdr(c);
    memset(h, 0, sizeof *h);
    for (int i = 0; i < CH_MAX_ARGS; i++)
        for (int k = 0; k < 4; k++) c->arg_region[i][k] = -1;
}

static ChArg *px_next(PxCall *c, int kind)
{
    if (c->nargs >= CH_MAX_ARGS) gt_fail("grader: %s() has too many parameters for the channel", c->fn);
    ChArg *a = &px_hdr(c)->args[c->nargs++];
    a->kind = kind;
    return a;
}

/* The arena copy of [p, p + bytes): shared with an earlier argument at the same address. */
static int px_region(PxCall *c, const char *name, const void *p, uint64_t bytes, PxElem elem, int cols, int is_const)
{
    for (int r = 0; r < c->nregions; r++)
        if (c->regions[r].ptr == p && c->regions[r].bytes == bytes) {
            c->regions[r].is_const &= is_const;
            return r;
        }
    uint64_t at = (c->used + 63) & ~(uint64_t)63;
    if (bytes > PX_ARENA_BYTES / 2 || at + bytes > PX_ARENA_BYTES / 2)
        gt_fail("grader: the arguments of %s() need more than %llu MB", c->fn,
                (unsigned long long)(PX_ARENA_BYTES >> 21));
    if (bytes) memcpy(px_cur->arena + at, p, bytes);
    c->used = at + bytes;
    PxRegion *g = &c->regions[c->nregions];
    *g = (PxRegion){ name, (void *)p, bytes, at, elem, cols, is_const != 0 };
    return c->nregions++;
}

static uint64_t px_mat_bytes(const PxCall *c, const char *name, const Mat *m)
{
    if (m->rows < 0 || m->cols < 0) gt_fail("grader: %s() was given %s with shape (%dx%d)", c->fn, name, m->rows, m->cols);
    return (uint64_t)m->rows * (uint64_t)m->cols * sizeof(double);
}

static void px_put_mat(PxCall *c, ChMat *dst, int *region, const char *name, const Mat *m, int is_const)
{
    *region = px_region(c, name, m->data, px_mat_bytes(c, name, m), PX_DOUBLE, m->cols, is_const);
    dst->rows = m->rows;
    dst->cols = m->cols;
    dst->off = c->regions[*region].off;
}

void px_arg_mat(PxCall *c, const char *name, const Mat *m, int is_const)
{
    int i = c->nargs;
    ChArg *a = px_next(c, m ? CH_ARG_MAT : CH_ARG_NULL);
    if (m) px_put_mat(c, &a->u.m[0], &c->arg_region[i][0], name, m, is_const);
    if (m && i == c->scalar_x) {
        c->sx_rows = m->rows;
        c->sx_cols = m->cols;
    }
}

void px_arg_array(PxCall *c, const char *name, const void *p, PxElem elem, long count, int is_const)
{
    ChArg *a = px_next(c, p ? CH_ARG_BUF : CH_ARG_NULL);
    if (!p) return;
    if (count < 0) gt_fail("grader: %s() was given %s with %ld elements", c->fn, name, count);
    uint64_t size = elem == PX_INT ? sizeof(int) : elem == PX_DOUBLE ? sizeof(double) : 1;
    int r = px_region(c, name, p, (uint64_t)count * size, elem, 0, is_const);
    a->u.buf.off = c->regions[r].off;
    a->u.buf.bytes = c->regions[r].bytes;
}

void px_arg_int(PxCall *c, const char *name, long long v)
{
    (void)name;
    px_next(c, CH_ARG_INT)->u.i = v;
}

void px_arg_double(PxCall *c, const char *name, double v)
{
    (void)name;
    px_next(c, CH_ARG_DOUBLE)->u.d = v;
}

void px_arg_net(PxCall *c, const char *name, const TwoLayerNet *net, int is_const)
{
    int i = c->nargs;
    ChArg *a = px_next(c, net ? CH_ARG_NET : CH_ARG_NULL);
    if (!net) return;
    const Mat *parts[4] = { net->W1, net->b1, net->W2, net->b2 };
    static const char *const names[4] = { "W1", "b1", "W2", "b2" };
    for (int k = 0; k < 4; k++) {
        if (!parts[k]) gt_fail("grader: %s() was given %s with %s = NULL", c->fn, name, names[k]);
        px_put_mat(c, &a->u.m[k], &c->arg_region[i][k], names[k], parts[k], is_const);
        /* "grads->W1": the name says which net */
        c->regions[c->arg_region[i][k]].name = names[k];
    }
}

void px_arg_scalarfn(PxCall *c, const char *name, ScalarFn f)
{
    (void)name;
    c->scalar = f;
    px_next(c, f ? CH_ARG_SCALARFN : CH_ARG_NULL);
}

void px_arg_ctx(PxCall *c, const char *name, void *ctx)
{
    (void)name;
    c->ctx = ctx;
    /* The worker sees an opaque token, never a pointer into this process. */
    px_next(c, CH_ARG_CTX)->u.token = ctx ? 0x6772616463747800ULL : 0;
    c->scalar_x = c->nargs;   /* the x that follows */
}

void px_arg_lossfn(PxCall *c, const char *name, LossFn f)
{
    (void)name;
    c->loss = f;
    px_next(c, f ? CH_ARG_LOSSFN : CH_ARG_NULL);
}

/* ---- callbacks ---- */

/* [off, off + bytes) inside the callback area, or the test fails. */
static const void *px_cb_at(const PxCall *c, uint64_t off, uint64_t bytes, uint64_t cb_off, const char *what)
{
    if (off == UINT64_MAX || off < cb_off || off > PX_ARENA_BYTES || bytes > PX_ARENA_BYTES - off)
        px_fail("%s() passed the %s an argument too large to send back (%s)", c->fn,
                c->scalar ? "function f" : "loss function", what);
    return px_cur->arena + off;
}

static Mat *px_cb_mat(const PxCall *c, const ChMat *m, uint64_t cb_off, const char *what)
{
    if (m->rows < 0 || m->cols < 0 || m->rows > (1 << 24) || m->cols > (1 << 24))
        px_fail("%s() passed the loss function %s with shape (%dx%d)", c->fn, what, m->rows, m->cols);
    uint64_t bytes = (uint64_t)m->rows * (uint64_t)m->cols * sizeof(double);
    const void *src = px_cb_at(c, m->off, bytes, cb_off, what);
    Mat *out = mat_new(m->rows, m->cols);
    if (bytes) memcpy(out->data, src, bytes);
    return out;
}

static double px_serve_scalar(const PxCall *c, const ChCallback *cb, uint64_t cb_off)
{
    int rows = c->sx_rows, cols = c->sx_cols;
    uint64_t expect_token = c->ctx ? 0x6772616463747800ULL : 0;
    if (cb->token != expect_token)
        px_fail("%s() called f with a ctx other than the one it was given: pass ctx through unchanged", c->fn);
    if (cb->x.rows != rows || cb->x.cols != cols)
        px_fail("%s() called f with a (%dx%d) matrix; f takes x, which is (%dx%d)", c->fn, cb->x.rows, cb->x.cols,
                rows, cols);
    Mat *x = px_cb_mat(c, &cb->x, cb_off, "x");
    double v = c->scalar(x, c->ctx);
    mat_free(x);
    return v;
}

static double px_serve_loss(const PxCall *c, const ChCallback *cb, uint64_t cb_off)
{
    if (cb->x.rows < 1 || cb->x.cols < 1 || cb->X.cols != cb->x.rows)
        px_fail("%s() called the loss with W (%dx%d) and X (%dx%d): X's columns must match W's rows", c->fn,
                cb->x.rows, cb->x.cols, cb->X.rows, cb->X.cols);
    bool want_grad = !(cb->dW.rows == -1 && cb->dW.cols == -1);
    if (want_grad && (cb->dW.rows != cb->x.rows || cb->dW.cols != cb->x.cols))
        px_fail("%s() called the loss with dW (%dx%d) for W (%dx%d): dW has W's shape", c->fn, cb->dW.rows,
                cb->dW.cols, cb->x.rows, cb->x.cols);
    Mat *W = px_cb_mat(c, &cb->x, cb_off, "W"), *X = px_cb_mat(c, &cb->X, cb_off, "X");
    size_t n = (size_t)X->rows;
    const int *ysrc = px_cb_at(c, cb->y_off, n * sizeof(int), cb_off, "y");
    int *y = malloc((n ? n : 1) * sizeof *y);
    if (!y) gt_fail("grader: out of memory");
    memcpy(y, ysrc, n * sizeof *y);
    for (size_t i = 0; i < n; i++)
        if (y[i] < 0 || y[i] >= W->cols)
            px_fail("%s() called the loss with y[%zu] = %d, outside [0, %d): pass the labels of the rows in X",
                    c->fn, i, y[i], W->cols);
    Mat *dW = want_grad ? mat_new(W->rows, W->cols) : NULL;
    double v = c->loss(W, X, y, cb->reg, dW);
    if (dW) {
        void *dst = (void *)px_cb_at(c, cb->dW.off, (uint64_t)W->rows * W->cols * sizeof(double), cb_off, "dW");
        memcpy(dst, dW->data, (size_t)W->rows * W->cols * sizeof(double));
    }
    mat_free(W);
    mat_free(X);
    mat_free(dW);
    free(y);
    return v;
}

/* ---- after the call ---- */

static void px_fmt_elem(char *buf, size_t n, const PxRegion *g, uint64_t i, const void *base)
{
    if (g->elem == PX_INT) {
        int v;
        memcpy(&v, (const char *)base + i * sizeof v, sizeof v);
        snprintf(buf, n, "%d", v);
    } else if (g->elem == PX_DOUBLE) {
        double v;
        memcpy(&v, (const char *)base + i * sizeof v, sizeof v);
        snprintf(buf, n, "%.17g", v);
    } else {
        snprintf(buf, n, "0x%02x", ((const unsigned char *)base)[i]);
    }
}

/* An input that came back changed fails the test, naming the first change. */
static void px_check_input(const PxCall *c, const PxRegion *g)
{
    const unsigned char *now = px_cur->arena + g->off;
    if (memcmp(now, g->ptr, g->bytes) == 0) return;
    uint64_t size = g->elem == PX_INT ? sizeof(int) : g->elem == PX_DOUBLE ? sizeof(double) : 1, i = 0;
    while (i + size <= g->bytes && memcmp(now + i * size, (const unsigned char *)g->ptr + i * size, size) == 0) i++;
    char before[40], after[40], at[40];
    px_fmt_elem(before, sizeof before, g, i, g->ptr);
    px_fmt_elem(after, sizeof after, g, i, now);
    if (g->cols > 0) snprintf(at, sizeof at, "[%llu][%llu]", (unsigned long long)(i / (uint64_t)g->cols),
                              (unsigned long long)(i % (uint64_t)g->cols));
    else snprintf(at, sizeof at, "[%llu]", (unsigned long long)i);
    px_fail("%s()'s input %s%s was %s before the call and is %s after: inputs must not be modified (they are "
            "const)", c->fn, g->name, at, before, after);
}

static void px_finish(const PxCall *c)
{
    ChHeader *h = px_hdr(c);
    for (int i = 0; i < c->nargs; i++)
        for (int k = 0; k < 4; k++) {
            int r = c->arg_region[i][k];
            if (r < 0) continue;
            ChMat got;
            memcpy(&got, &h->args[i].u.m[k], sizeof got);
            const PxRegion *g = &c->regions[r];
            int rows = g->cols ? (int)(g->bytes / sizeof(double) / (uint64_t)g->cols) : -1;
            if (g->cols && (got.cols != g->cols || got.rows != rows))
                px_fail("%s() changed the shape of %s from (%dx%d) to (%dx%d): a Mat's shape belongs to the "
                        "caller", c->fn, g->name, rows, g->cols, got.rows, got.cols);
            if (got.off != g->off)
                px_fail("%s() pointed %s->data at other memory: write into the caller's matrix instead", c->fn,
                        g->name);
        }
    for (int r = 0; r < c->nregions; r++)
        if (c->regions[r].is_const) px_check_input(c, &c->regions[r]);
    for (int r = 0; r < c->nregions; r++)
        if (!c->regions[r].is_const && c->regions[r].bytes)
            memcpy(c->regions[r].ptr, px_cur->arena + c->regions[r].off, c->regions[r].bytes);
}

double px_call(PxCall *c)
{
    ChHeader *h = px_hdr(c);
    uint64_t cb_off = (c->used + 63) & ~(uint64_t)63;
    h->magic = CH_MAGIC;
    h->fn = c->id;
    h->nargs = c->nargs;
    h->cb_off = cb_off;
    h->cb_end = PX_ARENA_BYTES;
    memset(&h->crash, 0, sizeof h->crash);
    PxWorker *w = px_cur;
    px_in_call = true;
    px_send(w, CH_MSG_CALL, 0.0, c->fn);
    for (;;) {
        ChMsg m;
        px_recv(w, &m, c->fn);
        if (m.type == CH_MSG_DONE) {
            px_in_call = false;
            px_finish(c);
            return m.value;
        }
        if (m.type == CH_MSG_CALLBACK && (c->scalar || c->loss)) {
            ChCallback cb;
            memcpy(&cb, &h->cb, sizeof cb);   /* read once */
            double v = c->scalar ? px_serve_scalar(c, &cb, cb_off) : px_serve_loss(c, &cb, cb_off);
            px_send(w, CH_MSG_RETURN, v, c->fn);
            continue;
        }
        if (m.type == CH_MSG_TODO || m.type == CH_MSG_MISSING) {
            /* Names as the worker sent them only when they look like a C name and a path. */
            char func[64], file[128];
            px_clean(func, sizeof func, m.func, sizeof m.func);
            px_clean(file, sizeof file, m.file, sizeof m.file);
            if (!func[0] || strspn(func, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") != strlen(func))
                snprintf(func, sizeof func, "%s", c->fn);
            if (!file[0] || strchr(file, '?')) snprintf(file, sizeof file, "%s", px_cur->lab->file);
            px_in_call = false;
            /* The worker is back in its loop: the test may catch this (lab_attempt) and go on. */
            if (m.type == CH_MSG_MISSING) lab_todo(c->fn, PX_MISSING_FILE, 0);
            lab_todo(func, file, m.line > 0 ? m.line : 0);
        }
        px_fail("%s() sent the grader a message it did not expect (type %d): lab code must not write to the "
                "grader's channel", c->fn, m.type);
    }
}
