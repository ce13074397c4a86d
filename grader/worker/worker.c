/*
 * worker.c - gradlab-worker: runs one lab's functions for the grader, confined.
 *
 *   gradlab-worker --arena-size BYTES --mem MB --cpu SECONDS
 *   (started by the grader with the socket on fd 3, the arena on fd 4)
 *   gradlab-worker --zygote
 *   (the same, forked from one loaded program per grading run: zygote.c)
 *
 * Start-up, all before any student code can run (the lab object is refused at
 * build time if it has constructors, so nothing of it runs before main):
 *   1. map the arena; close every descriptor but the socket, stdout and stderr
 *      (stdin too);
 *   2. warm up what would otherwise make system calls later (OpenBLAS's buffers,
 *      the unwinder the crash handler uses, unbuffered stdio);
 *   3. crash handlers on an alternate stack: they note the signal, the system
 *      call for SIGSYS and the return addresses in the arena, then let the
 *      signal end the process;
 *   4. rlimits (address space, CPU time, no file may grow, no core file), not
 *      dumpable, no new privileges; stdout and stderr are a pipe the grader reads
 *      and caps;
 *   5. the seccomp filter (policy.c); then "ready" on the socket.
 * Then: read a call, rebuild its arguments from the arena (gen/dispatch_NN.c),
 * run it, write back the Mat headers and how it used mat_gemm, answer "done".
 * A callback (ScalarFn, LossFn) is a round trip to the grader, where the test's
 * function runs.
 */
#include "wk.h"
#include "lab.h"

#include <execinfo.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
/* SAN=1 builds (debugging, never grades): the sanitizers report inside the sandbox,
 * so nothing they do may need a forbidden call: no leak check at exit (it stops the
 * world with ptrace), no external symbolizer (a new process; the grader names the
 * line from the worker's symbols); a report ends the call with abort() (a CRASH),
 * and one allocation is capped as in the grader (there is no RLIMIT_AS under ASan). */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "detect_leaks=0:symbolize=0:max_allocation_size_mb=2048:abort_on_error=1:handle_segv=0:"
           "handle_sigbus=0:handle_sigfpe=0:handle_sigill=0:handle_abort=0";
}
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "abort_on_error=1:print_stacktrace=0:symbolize=0"; }
#include <sanitizer/common_interface_defs.h>
#define WK_SANITIZER_SANDBOX() __sanitizer_sandbox_on_notify(NULL)   /* caches its memory map */
#else
#define WK_SANITIZER_SANDBOX() ((void)0)
#endif

static unsigned char *wk_arena;
static size_t wk_arena_size;
static ChHeader *wk_hdr;
static Mat wk_mats[CH_MAX_ARGS][4];
static TwoLayerNet wk_nets[CH_MAX_ARGS];
static jmp_buf wk_todo_jump;

/* ---- the socket ---- */

static void wk_send(const ChMsg *m)
{
    if (write(CH_FD_SOCKET, m, sizeof *m) != (ssize_t)sizeof *m) _exit(0);   /* the grader is gone */
}

static void wk_recv(ChMsg *m)
{
    if (read(CH_FD_SOCKET, m, sizeof *m) != (ssize_t)sizeof *m) _exit(0);
}

static void wk_send_type(int type, double value)
{
    ChMsg m;
    memset(&m, 0, sizeof m);
    m.type = type;
    m.value = value;
    wk_send(&m);
}

/* ---- arguments ---- */

/* A pointer to [off, off + bytes) of the arena; a bad range is the grader's bug. */
static void *wk_at(uint64_t off, uint64_t bytes)
{
    if (off > wk_arena_size || bytes > wk_arena_size - off) {
        static const char msg[] = "gradlab-worker: an argument lies outside the arena\n";
        if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {}
        _exit(4);
    }
    return wk_arena + off;
}

static Mat wk_make_mat(const ChMat *m)
{
    uint64_t n = (uint64_t)(m->rows > 0 ? m->rows : 0) * (uint64_t)(m->cols > 0 ? m->cols : 0);
    return (Mat){ m->rows, m->cols, wk_at(m->off, n * sizeof(double)) };
}

Mat *wk_mat(ChHeader *h, int i)
{
    if (h->args[i].kind != CH_ARG_MAT) return NULL;
    wk_mats[i][0] = wk_make_mat(&h->args[i].u.m[0]);
    return &wk_mats[i][0];
}

void *wk_buf(ChHeader *h, int i)
{
    if (h->args[i].kind != CH_ARG_BUF) return NULL;
    return wk_at(h->args[i].u.buf.off, h->args[i].u.buf.bytes);
}

long long wk_int(ChHeader *h, int i) { return h->args[i].u.i; }
double wk_double(ChHeader *h, int i) { return h->args[i].u.d; }

TwoLayerNet *wk_net(ChHeader *h, int i)
{
    if (h->args[i].kind != CH_ARG_NET) return NULL;
    for (int k = 0; k < 4; k++) wk_mats[i][k] = wk_make_mat(&h->args[i].u.m[k]);
    wk_nets[i] = (TwoLayerNet){ &wk_mats[i][0], &wk_mats[i][1], &wk_mats[i][2], &wk_mats[i][3] };
    return &wk_nets[i];
}

/* The Mat headers as the code left them: the grader checks that no shape or
 * data pointer was changed. */
static void wk_sync_back(ChHeader *h)
{
    for (int i = 0; i < h->nargs && i < CH_MAX_ARGS; i++) {
        int count = h->args[i].kind == CH_ARG_MAT ? 1 : h->args[i].kind == CH_ARG_NET ? 4 : 0;
        for (int k = 0; k < count; k++) {
            const Mat *m = &wk_mats[i][k];
            ChMat *c = &h->args[i].u.m[k];
            c->rows = m->rows;
            c->cols = m->cols;
            unsigned char *p = (unsigned char *)m->data;
            c->off = p >= wk_arena && p < wk_arena + wk_arena_size ? (uint64_t)(p - wk_arena) : UINT64_MAX;
        }
    }
}

/* ---- callbacks: the test's function runs in the grader ---- */

/* Room for n bytes in the callback area, from *off on. */
static uint64_t wk_cb_take(uint64_t *off, uint64_t n)
{
    uint64_t at = (*off + 15) & ~(uint64_t)15;
    if (at > wk_hdr->cb_end || n > wk_hdr->cb_end - at) return UINT64_MAX;   /* the grader says why */
    *off = at + n;
    return at;
}

static uint64_t wk_cb_put_mat(ChMat *dst, const Mat *m, uint64_t *off, int copy)
{
    dst->rows = m->rows;
    dst->cols = m->cols;
    uint64_t bytes = (uint64_t)(m->rows > 0 ? m->rows : 0) * (uint64_t)(m->cols > 0 ? m->cols : 0) * sizeof(double);
    dst->off = wk_cb_take(off, bytes);
    if (dst->off != UINT64_MAX && copy && bytes) memcpy(wk_arena + dst->off, m->data, bytes);
    return bytes;
}

static double wk_callback(void)
{
    wk_send_type(CH_MSG_CALLBACK, 0.0);
    ChMsg m;
    wk_recv(&m);
    if (m.type != CH_MSG_RETURN) _exit(0);
    return m.value;
}

static double wk_scalar_tramp(const Mat *x, void *ctx)
{
    uint64_t off = wk_hdr->cb_off;
    memset(&wk_hdr->cb, 0, sizeof wk_hdr->cb);
    wk_cb_put_mat(&wk_hdr->cb.x, x, &off, 1);
    wk_hdr->cb.token = (uint64_t)(uintptr_t)ctx;
    return wk_callback();
}

static double wk_loss_tramp(const Mat *W, const Mat *X, const int *y, double reg, Mat *dW)
{
    uint64_t off = wk_hdr->cb_off;
    ChCallback *cb = &wk_hdr->cb;
    memset(cb, 0, sizeof *cb);
    wk_cb_put_mat(&cb->x, W, &off, 1);
    wk_cb_put_mat(&cb->X, X, &off, 1);
    uint64_t ybytes = (uint64_t)(X->rows > 0 ? X->rows : 0) * sizeof(int);
    cb->y_off = wk_cb_take(&off, ybytes);
    if (cb->y_off != UINT64_MAX && ybytes) memcpy(wk_arena + cb->y_off, y, ybytes);
    cb->reg = reg;
    uint64_t dbytes = 0;
    if (dW) dbytes = wk_cb_put_mat(&cb->dW, dW, &off, 0);
    else cb->dW.rows = cb->dW.cols = -1;
    double value = wk_callback();
    if (dW && dbytes && cb->dW.off != UINT64_MAX) memcpy(dW->data, wk_arena + cb->dW.off, dbytes);
    return value;
}

ScalarFn wk_scalarfn(ChHeader *h, int i) { return h->args[i].kind == CH_ARG_SCALARFN ? wk_scalar_tramp : NULL; }
void *wk_ctx(ChHeader *h, int i) { return (void *)(uintptr_t)h->args[i].u.token; }
LossFn wk_lossfn(ChHeader *h, int i) { return h->args[i].kind == CH_ARG_LOSSFN ? wk_loss_tramp : NULL; }

/* ---- LAB_TODO(), missing functions ---- */

static void wk_copy_name(char *dst, size_t n, const char *src)
{
    snprintf(dst, n, "%s", src ? src : "");
}

static void wk_todo(const char *func, const char *file, int line)
{
    ChMsg m;
    memset(&m, 0, sizeof m);
    m.type = CH_MSG_TODO;
    m.line = line;
    wk_copy_name(m.func, sizeof m.func, func);
    wk_copy_name(m.file, sizeof m.file, file);
    wk_send(&m);
    longjmp(wk_todo_jump, 1);   /* back to the call loop: the test may go on (lab_attempt) */
}

int wk_missing(const char *fn)
{
    ChMsg m;
    memset(&m, 0, sizeof m);
    m.type = CH_MSG_MISSING;
    wk_copy_name(m.func, sizeof m.func, fn);
    wk_send(&m);
    return 1;
}

/* ---- crashes ---- */

static void wk_on_crash(int sig, siginfo_t *si, void *ucv)
{
    ChCrash *c = &wk_hdr->crash;
    const ucontext_t *uc = ucv;
    c->sig = sig;
    c->syscall_nr = sig == SIGSYS ? si->si_syscall : -1;
    void *frames[CH_CRASH_FRAMES];
    frames[0] = (void *)uc->uc_mcontext.gregs[REG_RIP];
    int n = 1 + backtrace(frames + 1, CH_CRASH_FRAMES - 1);
    for (int i = 0; i < n; i++) c->frames[i] = (uint64_t)(uintptr_t)frames[i];
    c->nframes = n;
    c->magic = CH_MAGIC;
    /* The handler was reset on entry (SA_RESETHAND) and the signal is not blocked
     * (SA_NODEFER): sent again, it ends the process with its default action. */
    syscall(SYS_tgkill, getpid(), (pid_t)syscall(SYS_gettid), sig);
    _exit(128 + sig);
}

static void wk_crash_handlers(void)
{
    static char altstack[1 << 16];
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack, .ss_flags = 0 };
    sigaltstack(&ss, NULL);
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = wk_on_crash;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESETHAND | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    static const int sigs[] = { SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT, SIGSYS, SIGTRAP };
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) sigaction(sigs[i], &sa, NULL);
}

/* ---- start-up ---- */

static long wk_vm_bytes(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0;
    if (f) {
        if (fscanf(f, "%ld", &pages) != 1) pages = 0;
        fclose(f);
    }
    return pages * sysconf(_SC_PAGESIZE);
}

static void wk_limit(int what, rlim_t v)
{
    struct rlimit rl = { v, v };
    setrlimit(what, &rl);
}

/* Calls whose first use makes system calls the filter forbids, made now. */
static void wk_warm_up(void)
{
    setvbuf(stdout, NULL, _IONBF, 0);
    setvbuf(stderr, NULL, _IONBF, 0);
    mat_set_threads(1);
    Mat *a = mat_new(8, 8), *b = mat_new(8, 8);
    mat_gemm(a, false, a, true, 1.0, 0.0, b);
    mat_free(a);
    mat_free(b);
    void *frames[4];
    backtrace(frames, 4);   /* loads the unwinder */
    free(malloc(1));
}

static void wk_die(const char *what)
{
    fprintf(stderr, "gradlab-worker: %s\n", what);
    _exit(3);
}

int main(int argc, char **argv)
{
    long long arena = 0, mem_mb = 0, cpu = 10;
    bool forked = argc == 2 && !strcmp(argv[1], "--zygote");
    if (forked) {
        wk_warm_up();   /* once, in the zygote: every worker forked from it inherits the result */
        ChSpawn req;
        wk_zygote(&req);
        arena = req.arena;
        mem_mb = req.mem_mb;
        cpu = req.cpu;
    }
    for (int i = 1; i + 1 < argc; i += 2) {
        long long v = atoll(argv[i + 1]);
        if (!strcmp(argv[i], "--arena-size")) arena = v;
        else if (!strcmp(argv[i], "--mem")) mem_mb = v;
        else if (!strcmp(argv[i], "--cpu")) cpu = v;
    }
    if (arena < (long long)sizeof(ChHeader)) wk_die("no arena (this program is started by the grader)");
    wk_arena_size = (size_t)arena;
    wk_arena = mmap(NULL, wk_arena_size, PROT_READ | PROT_WRITE, MAP_SHARED, CH_FD_ARENA, 0);
    if (wk_arena == MAP_FAILED) wk_die("cannot map the arena");
    wk_hdr = (ChHeader *)wk_arena;
    close(STDIN_FILENO);
    if (syscall(SYS_close_range, CH_FD_ARENA, ~0U, 0) != 0)
        for (int fd = CH_FD_ARENA; fd < 1024; fd++) close(fd);

    if (!forked) wk_warm_up();
    wk_crash_handlers();
    lab_set_todo_handler(wk_todo);

    if (mem_mb > 0) wk_limit(RLIMIT_AS, (rlim_t)wk_vm_bytes() + (rlim_t)mem_mb * 1024 * 1024);
    wk_limit(RLIMIT_CPU, (rlim_t)cpu);
    wk_limit(RLIMIT_FSIZE, 0);
    wk_limit(RLIMIT_CORE, 0);
    prctl(PR_SET_DUMPABLE, 0);
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) wk_die("cannot set no_new_privs");
    WK_SANITIZER_SANDBOX();
    int rc = wk_policy_load();
    if (rc != 0) {
        fprintf(stderr, "gradlab-worker: cannot load the seccomp filter (%s)\n", strerror(-rc));
        _exit(3);
    }
    wk_send_type(CH_MSG_READY, 0.0);

    for (;;) {
        ChMsg m;
        wk_recv(&m);
        if (m.type != CH_MSG_CALL || wk_hdr->magic != CH_MAGIC) continue;
        if (setjmp(wk_todo_jump)) continue;   /* LAB_TODO() was reported */
        double ret = 0.0;
        mat_gemm_stats_reset();
        int r = wk_dispatch(wk_hdr, &ret);
        if (r > 0) continue;                   /* missing: reported */
        if (r < 0) {
            wk_missing("(unknown function id)");
            continue;
        }
        wk_sync_back(wk_hdr);
        MatGemmStats g = mat_gemm_stats();
        wk_hdr->gemm_calls = g.calls;
        wk_hdr->gemm_largest = g.largest;
        wk_send_type(CH_MSG_DONE, ret);
    }
}
