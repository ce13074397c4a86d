/*
 * run.c - runs one grader test in its own process, through Check's fork mode.
 *
 * Why each piece is here:
 *  - Check forks a child per test, catches its signals and kills it (and its
 *    process group) at the timeout.
 *  - A test passes only if it reached its own end: the child then writes a
 *    random nonce, which the student's code cannot know, into a "done" file and
 *    leaves with a sentinel exit status. An exit(0) or _exit() from student
 *    code, an atexit handler or a return from the middle is not a pass.
 *  - The child gets limits (address space, CPU time, file size, no core file),
 *    stdin from /dev/null, and stdout and stderr sent to a file that the parent
 *    reads back, cut to size, so what a submission prints never mixes with the
 *    report and can never forge it.
 *  - LAB_TODO() in the child reports TODO instead of a crash.
 *  - The test itself is trusted code: the student's functions it calls run in
 *    a sandboxed worker (proxy.c, sandbox.c), and what happened there comes back as a
 *    verdict the proxy decided (gt_child_verdict), marked so that nothing else
 *    can produce it: only trusted code writes to Check's channel.
 */
#include "grader.h"
#include "gt_child.h"
#include "lab.h"
#include "oracle.h"
#include "proxy.h"
#include "sandbox.h"

#include <check.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#if defined(__SANITIZE_ADDRESS__)
#define RUN_ASAN 1   /* ASan reserves terabytes of address space: no RLIMIT_AS under it */
/* Under the sanitizers: with no RLIMIT_AS, ASan's own limit on one allocation
 * stands in for it (an 8 GB request fails, and the test crashes, instead of
 * swallowing the machine's memory); an error a sanitizer reports ends the test
 * with abort(), so it is a CRASH rather than an exit(1) that would read as "your
 * code ended the process"; and signals are left to the kernel, so a segfault is
 * reported as one. Read by the runtimes at start-up. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "max_allocation_size_mb=2048:abort_on_error=1:handle_segv=0:handle_sigbus=0:handle_sigfpe=0:handle_sigill=0";
}
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "abort_on_error=1:print_stacktrace=1"; }
#else
#define RUN_ASAN 0
#endif

enum { RUN_DONE_EXIT = 77 };

static const char RUN_TODO_MARK[] = "\x1egradlab-todo\x1e";
static const char RUN_VERDICT_MARK[] = "\x1egradlab-verdict\x1e";
/* Room for the proxies' arenas (one per lab a test calls) on top of the test's own limit. */
enum { RUN_ARENA_MB = 2048 };

/* What the child needs, set by the parent just before Check forks. */
static const RunConfig *run_cfg;
static const RunResult *run_cur;
static char run_nonce[40];
static char run_done_path[320], run_out_path[320];
static long run_vm_base;   /* the grader's own address space, bytes */

const char *run_status_name(RunStatus s)
{
    static const char *const names[] = { "PASS", "FAIL", "TODO", "CRASH", "TIMEOUT", "EXIT", "BUILD", "MISSING",
                                         "FORBIDDEN" };
    return s >= RUN_PASS && s <= RUN_FORBIDDEN ? names[s] : "?";
}

static long run_vm_size(void)
{
    FILE *f = fopen("/proc/self/statm", "r");
    long pages = 0;
    if (f) {
        if (fscanf(f, "%ld", &pages) != 1) pages = 0;
        fclose(f);
    }
    return pages * sysconf(_SC_PAGESIZE);
}

int run_setup(RunConfig *cfg)
{
    const char *base = getenv("TMPDIR");
    snprintf(cfg->tmpdir, sizeof cfg->tmpdir, "%s/gradlab-grade-XXXXXX", base && *base ? base : "/tmp");
    if (!mkdtemp(cfg->tmpdir)) {
        fprintf(stderr, "gradlab-grade: cannot create a scratch directory in %s: %s\n",
                base && *base ? base : "/tmp", strerror(errno));
        return -1;
    }
    snprintf(run_done_path, sizeof run_done_path, "%s/done", cfg->tmpdir);
    snprintf(run_out_path, sizeof run_out_path, "%s/output", cfg->tmpdir);
    gt_share_notes();
    run_vm_base = run_vm_size();
    return 0;
}

void run_cleanup(const RunConfig *cfg)
{
    unlink(run_done_path);
    unlink(run_out_path);
    rmdir(cfg->tmpdir);
}

/* ---- the child side ---- */

void gt_child_fail(const char *msg)
{
    if (debug_on()) debug_fail("FAIL", msg);
    ck_abort_msg("%s", msg);
}

void gt_child_verdict(int status, const char *msg)
{
    if (debug_on()) debug_fail(run_status_name((RunStatus)status), msg);
    ck_abort_msg("%s%d\t%s", RUN_VERDICT_MARK, status, msg);
}

static void run_child_todo(const char *func, const char *file, int line)
{
    ck_abort_msg("%s%s\t%s:%d", RUN_TODO_MARK, func, file, line);
}

static void run_child_limits(void)
{
    struct rlimit rl;
    if (!RUN_ASAN && run_cfg->mem_limit_mb > 0) {
        rl.rlim_cur = rl.rlim_max =
            (rlim_t)run_vm_base + (rlim_t)(run_cfg->mem_limit_mb + RUN_ARENA_MB) * 1024 * 1024;
        setrlimit(RLIMIT_AS, &rl);
    }
    double t = run_cur->test->timeout > 0 ? run_cur->test->timeout : 10.0;
    rl.rlim_cur = rl.rlim_max = (rlim_t)ceil(t * run_cfg->timeout_scale) + 1;
    setrlimit(RLIMIT_CPU, &rl);
    /* soft limit only: the proxy lifts it to size the workers' shared memory */
    rl.rlim_cur = (rlim_t)run_cfg->output_cap;
    rl.rlim_max = RLIM_INFINITY;
    setrlimit(RLIMIT_FSIZE, &rl);
    signal(SIGXFSZ, SIG_IGN);   /* past the cap, writes fail instead of killing the test */
    rl.rlim_cur = rl.rlim_max = 0;
    setrlimit(RLIMIT_CORE, &rl);
}

static void run_child_redirect(void)
{
    int in = open("/dev/null", O_RDONLY);
    if (in >= 0) {
        dup2(in, STDIN_FILENO);
        close(in);
    }
    fflush(stdout);
    fflush(stderr);
    int out = open(run_out_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (out >= 0) {
        dup2(out, STDOUT_FILENO);
        dup2(out, STDERR_FILENO);
        close(out);
    }
    setvbuf(stdout, NULL, _IONBF, 0);   /* nothing is lost in a buffer if the test crashes */
}

uint64_t run_test_seed(const RunConfig *cfg, GtVisibility vis)
{
    return vis == GT_PUBLIC && ora_mode() != ORA_REF ? (uint64_t)RUN_PUBLIC_SEED : cfg->seed;
}

static void run_child_entry(int iteration)
{
    (void)iteration;
    run_child_limits();
    run_child_redirect();
    lab_set_todo_handler(run_child_todo);
    gt_child_begin(run_cur->test->name, run_test_seed(run_cfg, run_cur->vis));
    ora_test_begin(run_cur->test->name, run_cur->vis == GT_PUBLIC);
    double t = (run_cur->test->timeout > 0 ? run_cur->test->timeout : 10.0) * run_cfg->timeout_scale;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    /* Calls end a little before Check's own timeout, so a TIMEOUT can name the function. */
    double started = (double)now.tv_sec + 1e-9 * (double)now.tv_nsec;
    SbxConfig sbx = {
        .build_dir = run_cfg->build_dir,
        .started = started,
        .deadline = started + 0.9 * t - 0.05,
        .seconds = t,
        .mem_mb = RUN_ASAN ? 0 : run_cfg->mem_limit_mb,
        .cpu_seconds = (long)ceil(t) + 1,
        .drop = run_cfg->drop,
        .uid = run_cfg->uid,
        .gid = run_cfg->gid,
    };
    sbx_setup(&sbx);
    run_cur->test->fn();
    sbx_shutdown();
    /* The test reached its end: only this code knows the nonce. */
    int fd = open(run_done_path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    if (fd >= 0) {
        ssize_t len = (ssize_t)strlen(run_nonce);
        if (write(fd, run_nonce, (size_t)len) != len) _exit(1);
        close(fd);
    }
    _exit(RUN_DONE_EXIT);   /* skips atexit handlers a submission may have registered */
}

static const TTest run_ttest = { "gradlab-test", run_child_entry, __FILE__, __LINE__ };

/* ---- the parent side ---- */

static void run_new_nonce(void)
{
    unsigned char raw[16];
    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        for (size_t i = 0; i < sizeof raw; i++) raw[i] = (unsigned char)((ts.tv_nsec >> (i % 8)) ^ (i * 131));
    }
    for (size_t i = 0; i < sizeof raw; i++) snprintf(run_nonce + 2 * i, 3, "%02x", raw[i]);
}

static bool run_done_ok(void)
{
    char buf[64] = { 0 };
    int fd = open(run_done_path, O_RDONLY);
    if (fd < 0) return false;
    ssize_t n = read(fd, buf, sizeof buf - 1);
    close(fd);
    return n > 0 && strcmp(buf, run_nonce) == 0;
}

/* The captured output, cut to the first 3 KB and the last 1 KB when longer. */
static char *run_read_output(long cap)
{
    FILE *f = fopen(run_out_path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    if (size <= 0) {
        fclose(f);
        return NULL;
    }
    const long head = 3072, tail = 1024;
    char *out = malloc((size_t)(head + tail + 200));
    if (!out) {
        fclose(f);
        return NULL;
    }
    size_t n;
    fseek(f, 0, SEEK_SET);
    if (size <= head + tail) {
        n = fread(out, 1, (size_t)size, f);
        out[n] = '\0';
    } else {
        n = fread(out, 1, (size_t)head, f);
        int m = snprintf(out + n, 200, "\n[... %ld bytes cut ...]\n", size - head - tail);
        fseek(f, size - tail, SEEK_SET);
        size_t k = fread(out + n + m, 1, (size_t)tail, f);
        out[n + m + k] = '\0';
        n += (size_t)m + k;
    }
    if (size >= cap) {
        size_t len = strlen(out);
        snprintf(out + len, 200, "\n[output stopped at the %ld-byte limit]", cap);
    }
    fclose(f);
    /* Keep the report readable: no NULs or stray control characters. */
    for (char *p = out; *p; p++)
        if ((unsigned char)*p < 32 && *p != '\n' && *p != '\t') *p = '?';
    return out;
}

static char *run_strdup(const char *s)
{
    return s ? strdup(s) : NULL;
}

void run_skip(RunResult *r, RunStatus status, const char *message)
{
    r->status = status;
    r->score = 0.0;
    r->seconds = 0.0;
    r->message = run_strdup(message);
    r->output = NULL;
}

static char *run_fmt(const char *fmt, const char *a, const char *b)
{
    char buf[1024];
    snprintf(buf, sizeof buf, fmt, a, b);
    return strdup(buf);
}

const char *run_signal_why(int sig)
{
    switch (sig) {
    case SIGSEGV: return "segmentation fault: a read or write outside an array, or through a bad pointer";
    case SIGBUS: return "bus error: memory accessed through a bad pointer";
    case SIGABRT: return "aborted: a failed assertion, a shape check (see the output), or memory exhausted";
    case SIGFPE: return "arithmetic error: an integer division by zero";
    case SIGXCPU: return "CPU time limit reached: an endless or far too slow loop";
    case SIGKILL: return "killed: over a limit (memory, time) or by a signal from the code itself";
    case SIGILL: return "illegal instruction";
    default: return strsignal(sig);
    }
}

/* Check's message for a child killed by a signal: "Received signal 11 (Segmentation fault)". */
static char *run_explain_signal(const char *msg)
{
    int sig = 0;
    if (sscanf(msg, "Received signal %d", &sig) != 1) return strdup(msg);
    char buf[300];
    snprintf(buf, sizeof buf, "the test process crashed (signal %d, %s)", sig, run_signal_why(sig));
    return strdup(buf);
}

/* A test that never came back cannot say what it was calling; the notes it left
 * in shared memory can: "called ..." and the hint go under the message. A
 * TIMEOUT gets no hint: the test's hints are about wrong values, not about
 * code that does not return. */
static void run_add_notes(RunResult *r)
{
    char ctx[600], hint[600], buf[2400];
    gt_last_context(ctx, sizeof ctx);
    gt_last_hint(hint, sizeof hint);
    if (r->status == RUN_TIMEOUT) hint[0] = '\0';
    if (!ctx[0] && !hint[0]) return;
    snprintf(buf, sizeof buf, "%s%s%s%s%s", r->message ? r->message : "", ctx[0] ? "\nwhile it ran: called " : "",
             ctx, hint[0] ? "\nHINT: " : "", hint);
    free(r->message);
    r->message = strdup(buf);
}

void run_test(const RunConfig *cfg, RunResult *r)
{
    run_cfg = cfg;
    run_cur = r;
    run_new_nonce();
    unlink(run_done_path);
    unlink(run_out_path);

    double timeout = (r->test->timeout > 0 ? r->test->timeout : 10.0) * cfg->timeout_scale;
    Suite *s = suite_create("gradlab");
    TCase *tc = tcase_create(r->test->name);
    tcase_set_timeout(tc, timeout);
    tcase_add_exit_test(tc, &run_ttest, RUN_DONE_EXIT);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_set_fork_status(sr, CK_FORK);

    gt_clear_notes();
    fflush(stdout);
    fflush(stderr);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    srunner_run_all(sr, CK_SILENT);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    r->seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0.tv_nsec);

    TestResult **trs = srunner_results(sr);
    int ran = srunner_ntests_run(sr);
    const char *msg = ran == 1 && tr_msg(trs[0]) ? tr_msg(trs[0]) : "";
    int rtype = ran == 1 ? tr_rtype(trs[0]) : CK_ERROR;

    r->message = NULL;
    r->score = 0.0;
    if (ran != 1) {
        r->status = RUN_CRASH;
        r->message = strdup("the test did not run (the grader could not start it)");
    } else if (rtype == CK_PASS) {
        if (run_done_ok()) {
            r->status = RUN_PASS;
            r->score = r->test->points;
        } else {
            r->status = RUN_EXIT;
            r->message = strdup("your code ended the process before the test finished "
                                "(exit or _exit with the grader's own status)");
        }
    } else if (strncmp(msg, RUN_VERDICT_MARK, sizeof RUN_VERDICT_MARK - 1) == 0) {
        const char *rest = msg + sizeof RUN_VERDICT_MARK - 1;
        int st = atoi(rest);
        const char *tab = strchr(rest, '\t');
        r->status = st > RUN_FAIL && st <= RUN_FORBIDDEN ? (RunStatus)st : RUN_CRASH;
        r->message = strdup(tab ? tab + 1 : rest);
    } else if (strncmp(msg, RUN_TODO_MARK, sizeof RUN_TODO_MARK - 1) == 0) {
        const char *rest = msg + sizeof RUN_TODO_MARK - 1;
        const char *tab = strchr(rest, '\t');
        char func[128];
        snprintf(func, sizeof func, "%.*s", tab ? (int)(tab - rest) : (int)strlen(rest), rest);
        if (tab && strncmp(tab + 1, PX_MISSING_FILE, sizeof PX_MISSING_FILE - 1) == 0) {
            r->status = RUN_MISSING;
            r->message = run_fmt("%s() is not defined in %s: was it deleted or renamed?", func, "the lab file");
        } else if (tab && strncmp(tab + 1, PX_NOT_COMPILED_FILE, sizeof PX_NOT_COMPILED_FILE - 1) == 0) {
            r->status = RUN_BUILD;
            r->message = run_fmt("%s() cannot be built, and this test needs it (%s)", func,
                                 "the compiler's or linker's words are under the lab's name");
        } else {
            r->status = RUN_TODO;
            r->message = run_fmt("%s() is not written yet (%s)", func, tab ? tab + 1 : "?");
        }
    } else if (strncmp(msg, "Test timeout expired", 20) == 0) {
        r->status = RUN_TIMEOUT;
        char buf[200];
        snprintf(buf, sizeof buf, "no result within %.1f s: an endless loop, or far too slow", timeout);
        r->message = strdup(buf);
    } else if (strncmp(msg, "Received signal", 15) == 0) {
        r->status = RUN_CRASH;
        r->message = run_explain_signal(msg);
    } else if (strncmp(msg, "Early exit", 10) == 0) {
        int code = 0;
        sscanf(msg, "Early exit with return value %d", &code);
        char buf[200];
        snprintf(buf, sizeof buf, "your code ended the process (exit status %d) before the test finished: "
                                  "lab functions must return, never call exit()", code);
        r->status = RUN_EXIT;
        r->message = strdup(buf);
    } else {
        r->status = RUN_FAIL;
        r->message = strdup(msg);
    }
    srunner_free(sr);
    if (r->status == RUN_CRASH || r->status == RUN_TIMEOUT || r->status == RUN_EXIT || r->status == RUN_FORBIDDEN)
        run_add_notes(r);
    r->output = run_read_output(cfg->output_cap);
}
