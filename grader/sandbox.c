/*
 * sandbox.c - the workers: started, confined, watched, and judged by how they end.
 *
 * Trusted code, in the test's process. A worker is started on a lab's first
 * call in a test: a fresh process, forked by that lab's zygote (worker/zygote.c,
 * started by the grader with sbx_zygotes_start) or else started from the lab's
 * worker program, given the socket, the arena and a pipe for its output,
 * switched to an unprivileged user when the grader runs as root, killed when
 * the test's process dies. What it writes (the arena, its messages, its crash
 * notes) is data: a verdict comes from the kernel's word on the process (its
 * wait status, from waitpid here or from the zygote, its parent), and a name it
 * sends is cut to [A-Za-z0-9_./-] before anyone sees it. proxy.c runs the calls
 * over this.
 */
#include "sandbox.h"
#include "gt.h"
#include "gt_child.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
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
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

enum { SBX_MAX_LABS = 16 };

struct SbxWorker {
    pid_t pid;              /* 0: not started */
    int sock;
    int out;                /* the read end of the worker's stdout and stderr */
    int status;             /* from a zygote: the pipe its wait status comes on; -1: our child */
    bool starting;          /* not confined yet: no student code has run */
    unsigned char *arena;
    const LabsInfo *lab;
    char path[1024];
};

static SbxConfig sbx_cfg;
static bool sbx_ready;
static SbxWorker sbx_workers[SBX_MAX_LABS];
/* Each lab's zygote control socket (0: none; sbx_zygotes_start), inherited by the tests,
 * and the zygote's pid, for the grader's wait at its exit. */
static int sbx_zygote_ctl[SBX_MAX_LABS];
static pid_t sbx_zygote_pid[SBX_MAX_LABS], sbx_zygote_owner;

static double sbx_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + 1e-9 * (double)ts.tv_nsec;
}

void sbx_setup(const SbxConfig *cfg)
{
    sbx_cfg = *cfg;
    sbx_ready = true;
    memset(sbx_workers, 0, sizeof sbx_workers);
    for (int i = 0; i < SBX_MAX_LABS; i++) sbx_workers[i].status = -1;
}

/* Moves what the worker printed into the test's output (the runner's capture file,
 * capped by the test's RLIMIT_FSIZE: past it, writes fail and the rest is dropped).
 * Never blocks (the pipe is non-blocking), and stops after 16 MB so that a worker
 * printing without end cannot keep the grader from its deadline. */
static void sbx_drain(SbxWorker *w)
{
    char buf[65536];
    ssize_t k;
    for (int chunks = 0; chunks < 256 && w->out > 0 && (k = read(w->out, buf, sizeof buf)) > 0; chunks++)
        if (write(STDOUT_FILENO, buf, (size_t)k) < 0) {}   /* over the cap: dropped */
}

static void sbx_kill(SbxWorker *w)
{
    if (w->pid > 0 && w->status < 0) {
        kill(w->pid, SIGKILL);
        while (waitpid(w->pid, NULL, 0) < 0 && errno == EINTR) {}
    }
    if (w->status >= 0) close(w->status);   /* a zygote's worker: the zygote kills it now */
    w->status = -1;
    sbx_drain(w);
    if (w->out > 0) close(w->out);
    if (w->sock > 0) close(w->sock);
    if (w->arena) munmap(w->arena, SBX_ARENA_BYTES);
    w->pid = 0;
    w->sock = w->out = -1;
    w->arena = NULL;
}

void sbx_shutdown(void)
{
    for (int i = 0; i < SBX_MAX_LABS; i++) sbx_kill(&sbx_workers[i]);
}

/* ---- messages: what the worker sent, made safe to print ---- */

/* Copies at most n - 1 characters of src (not necessarily terminated, at most
 * srcmax long), keeping only characters that can appear in a C identifier or a
 * path; anything else becomes '?'. */
void sbx_clean(char *dst, size_t n, const char *src, size_t srcmax)
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
_Noreturn void sbx_verdict(int status, const char *fmt, ...)
{
    char msg[1600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sbx_shutdown();
    gt_child_verdict(status, msg);
}

/* Ends the test as FAILED with a message about the call (context and no hint). */
_Noreturn void sbx_fail(const char *fmt, ...)
{
    char msg[1600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    sbx_shutdown();
    gt_hint(NULL);
    gt_fail("%s", msg);
}

/* ---- locating a crash: addr2line over the worker program ---- */

/* " at knn.c:42" (" at knn.c:42, in helper()" when that is not fn) for the innermost
 * frame in the lab's own file, or "". */
static void sbx_locate(const SbxWorker *w, const ChCrash *crash, const char *fn, char *out, size_t n)
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
        sbx_clean(f, sizeof f, sym, strlen(sym));
        sbx_clean(line, sizeof line, colon + 1, strlen(colon + 1));
        line[strcspn(line, "?")] = '\0';
        if (strcmp(f, fn) == 0) snprintf(out, n, " at %s:%s", want, line);
        else snprintf(out, n, " at %s:%s, in %s()", want, line, f);
        return;
    }
}

/* A zygote's worker's wait status (up to 2 s after its socket closed): true when it came. */
static bool sbx_zygote_status(SbxWorker *w, int *st)
{
    double end = sbx_now() + 2.0;
    for (;;) {
        struct pollfd p = { w->status, POLLIN, 0 };
        double left = end - sbx_now();
        if (left <= 0) return false;
        int r = poll(&p, 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return false;
        ssize_t k = read(w->status, st, sizeof *st);
        if (k < 0 && errno == EINTR) continue;
        return k == (ssize_t)sizeof *st;
    }
}

/* The worker ended without answering: what the kernel says about it decides. */
static _Noreturn void sbx_worker_died(SbxWorker *w, const char *fn)
{
    int st = 0;
    pid_t r = 0;
    if (w->status >= 0) {
        /* From a zygote: its wait status comes on the status pipe. */
        r = sbx_zygote_status(w, &st) ? w->pid : -1;
        close(w->status);   /* and if it has not ended, the zygote kills it */
        w->status = -1;
    }
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
    sbx_drain(w);
    ChCrash crash;
    memcpy(&crash, &((const ChHeader *)w->arena)->crash, sizeof crash);
    char where[200];
    if (w->starting)
        sbx_verdict(RUN_CRASH, "grader: the sandbox that runs %s() could not start (%s %d; its output says why): "
                    "this is not your code's fault", fn, r > 0 && WIFSIGNALED(st) ? "signal" : "status",
                    r > 0 && WIFSIGNALED(st) ? WTERMSIG(st) : r > 0 ? WEXITSTATUS(st) : -1);
    if (r > 0 && WIFSIGNALED(st)) {
        int sig = WTERMSIG(st);
        sbx_locate(w, &crash, fn, where, sizeof where);
        if (sig == SIGSYS) {
            char name[64] = "a forbidden system call";
            if (crash.magic == CH_MAGIC && crash.sig == SIGSYS && crash.syscall_nr >= 0) {
                char *s = seccomp_syscall_resolve_num_arch(SCMP_ARCH_NATIVE, crash.syscall_nr);
                if (s) snprintf(name, sizeof name, "%s()", s);
                else snprintf(name, sizeof name, "system call %d", crash.syscall_nr);
                free(s);
            }
            sbx_verdict(RUN_FORBIDDEN, "your code called %s during %s()%s: lab code may compute, allocate memory "
                       "and print, nothing else (no files, processes, signals or sockets)", name, fn, where);
        }
        if (sig == SIGXCPU)
            sbx_verdict(RUN_TIMEOUT, "%s() used up its CPU time (%ld s): an endless loop, or far too slow", fn,
                       sbx_cfg.cpu_seconds);
        sbx_verdict(RUN_CRASH, "%s() crashed%s: signal %d, %s", fn, where, sig, run_signal_why(sig));
    }
    if (r > 0 && WIFEXITED(st))
        sbx_verdict(RUN_EXIT, "your code ended the process (exit status %d) during %s(): lab functions must "
                   "return, never call exit()", WEXITSTATUS(st), fn);
    sbx_verdict(RUN_CRASH, "%s(): the worker process running it was lost", fn);
}

/* ---- the socket ---- */

/* Waits for the worker's next message until the deadline. */
void sbx_recv(SbxWorker *w, ChMsg *m, const char *fn)
{
    for (;;) {
        double left = sbx_cfg.deadline - sbx_now();
        if (left <= 0) {
            sbx_verdict(RUN_TIMEOUT, "%s() was still running %.1f s into the test (its limit is %.0f s): an "
                       "endless loop, or far too slow", fn, sbx_now() - sbx_cfg.started, sbx_cfg.seconds);
        }
        struct pollfd p[2] = { { w->sock, POLLIN, 0 }, { w->out, POLLIN, 0 } };
        int r = poll(p, w->out > 0 ? 2 : 1, (int)(left * 1000) + 1);
        if (r < 0 && errno == EINTR) continue;
        if (w->out > 0 && p[1].revents) {
            sbx_drain(w);
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
            sbx_fail("%s() wrote %zd bytes of its own to the grader's channel: lab code must not write there", fn, k);
        sbx_worker_died(w, fn);   /* EOF: the process is gone */
    }
}

void sbx_send(SbxWorker *w, int type, double value, const char *fn)
{
    ChMsg m;
    memset(&m, 0, sizeof m);
    m.type = type;
    m.value = value;
    if (send(w->sock, &m, sizeof m, MSG_NOSIGNAL) != (ssize_t)sizeof m) sbx_worker_died(w, fn);
}

/* ---- starting a worker ---- */

static const char *const sbx_envp[] = { "OPENBLAS_NUM_THREADS=1", "PATH=/usr/bin:/bin", "LC_ALL=C", NULL };

/* Waits up to 2 s for lab li's zygote to end (it is not the grader's child: a pidfd
 * says when it has), then kills it; its workers die with it (PR_SET_PDEATHSIG). */
static void sbx_zygote_end(int li)
{
    pid_t pid = sbx_zygote_pid[li];
    sbx_zygote_pid[li] = 0;
    if (pid <= 0) return;
    int pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
    if (pidfd < 0) return;   /* already gone */
    struct pollfd p = { pidfd, POLLIN, 0 };
    if (poll(&p, 1, 2000) != 1) {
        kill(pid, SIGKILL);
        poll(&p, 1, 2000);
    }
    close(pidfd);
}

void sbx_zygotes_start(const char *build_dir, bool selected[], bool drop, uid_t uid, gid_t gid)
{
    for (int li = 0; li < labs_count && li < SBX_MAX_LABS; li++) {
        sbx_zygote_ctl[li] = 0;
        if (!selected[li]) continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s/gradlab-worker", build_dir ? build_dir : ".", labs_table[li].dir);
        int exe = open(path, O_RDONLY | O_CLOEXEC), sv[2];
        if (exe < 0) continue;   /* the lab did not build: its tests say so */
        if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0) {
            close(exe);
            continue;
        }
        fflush(stdout);
        fflush(stderr);
        pid_t mid = fork();
        if (mid == 0) {
            /* Twice forked: the zygote is none of the grader's descendants, so guard.c's
             * check that a test left nothing running stays a waitpid(). A session of its
             * own: no terminal signal meant for the grader reaches it. It ends when the
             * grader and every test's process have closed the control socket. */
            if (fork() != 0) _exit(0);
            setsid();
            int s = fcntl(sv[1], F_DUPFD_CLOEXEC, 16), e = fcntl(exe, F_DUPFD_CLOEXEC, 16);
            int devnull = open("/dev/null", O_RDWR);
            if (s < 0 || e < 0 || devnull < 0 || dup2(s, CH_FD_SOCKET) < 0 || dup2(e, CH_FD_SELF) < 0 ||
                dup2(devnull, STDIN_FILENO) < 0 || dup2(devnull, STDOUT_FILENO) < 0 || dup2(devnull, STDERR_FILENO) < 0)
                _exit(126);
            if (drop && (setgroups(0, NULL) != 0 || setgid(gid) != 0 || setuid(uid) != 0)) _exit(126);
            char *argv[] = { "gradlab-worker", "--zygote", NULL };
            fexecve(CH_FD_SELF, argv, (char *const *)sbx_envp);
            _exit(127);
        }
        close(sv[1]);
        close(exe);
        if (mid < 0) {
            close(sv[0]);
            continue;
        }
        while (waitpid(mid, NULL, 0) < 0 && errno == EINTR) {}
        /* Its first word: ready, and its pid. Without it, the tests start workers from the program. */
        ChSpawnReply hello;
        struct pollfd p = { sv[0], POLLIN, 0 };
        if (poll(&p, 1, 5000) == 1 && recv(sv[0], &hello, sizeof hello, 0) == (ssize_t)sizeof hello &&
            hello.magic == CH_MAGIC && hello.nonce == 0 && hello.pid > 0) {
            sbx_zygote_ctl[li] = sv[0];
            sbx_zygote_pid[li] = hello.pid;
        } else {
            close(sv[0]);
        }
    }
    sbx_zygote_owner = getpid();
    static bool registered;
    if (!registered) atexit(sbx_zygotes_stop);
    registered = true;
}

void sbx_zygotes_stop(void)
{
    if (getpid() != sbx_zygote_owner) return;   /* a test's process, ending: not its business */
    for (int li = 0; li < SBX_MAX_LABS; li++) {
        if (sbx_zygote_ctl[li] > 0) close(sbx_zygote_ctl[li]);   /* it kills and reaps its workers, then exits */
        sbx_zygote_ctl[li] = 0;
        sbx_zygote_end(li);
    }
}

/* Asks a zygote for a worker with these descriptors. Its pid, with *status the read
 * end of the pipe its wait status will come on; -1 when the zygote is gone (the caller
 * starts the worker from its program instead); -2 when it took the request but did not
 * answer (a worker of its may hold the descriptors: the caller gives up). */
static pid_t sbx_zygote_spawn(int ctl, int sock, int arena, int out, int *status)
{
    static uint64_t count;
    int st[2];
    if (pipe2(st, O_CLOEXEC) != 0) return -1;
    ChSpawn req = { .magic = CH_MAGIC, .nonce = ((uint64_t)getpid() << 32) | ++count,
                    .arena = (int64_t)SBX_ARENA_BYTES, .mem_mb = sbx_cfg.mem_mb, .cpu = sbx_cfg.cpu_seconds };
    int fds[CH_SPAWN_FDS];
    fds[CH_SPAWN_SOCKET] = sock;
    fds[CH_SPAWN_ARENA] = arena;
    fds[CH_SPAWN_OUTPUT] = out;
    fds[CH_SPAWN_STATUS] = st[1];
    char cbuf[CMSG_SPACE(sizeof fds)];
    memset(cbuf, 0, sizeof cbuf);
    struct iovec iov = { &req, sizeof req };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    struct cmsghdr *c = CMSG_FIRSTHDR(&mh);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof fds);
    memcpy(CMSG_DATA(c), fds, sizeof fds);
    pid_t pid = -1;
    bool sent = sendmsg(ctl, &mh, MSG_NOSIGNAL) == (ssize_t)sizeof req;
    if (sent) {
        /* Answers meant for an earlier test (one killed while it waited) are skipped. */
        double end = sbx_now() + 5.0;
        while (pid < 0) {
            double left = end - sbx_now();
            struct pollfd p = { ctl, POLLIN, 0 };
            int r = left > 0 ? poll(&p, 1, (int)(left * 1000) + 1) : 0;
            if (r < 0 && errno == EINTR) continue;
            if (r <= 0) break;
            ChSpawnReply rep;
            ssize_t k = recv(ctl, &rep, sizeof rep, 0);
            if (k < 0 && errno == EINTR) continue;
            if (k <= 0) break;
            if (k == (ssize_t)sizeof rep && rep.magic == CH_MAGIC && rep.nonce == req.nonce && rep.pid > 0)
                pid = rep.pid;
        }
    }
    close(st[1]);
    if (pid < 0) {
        close(st[0]);   /* a worker it started anyway is killed now */
        return sent ? -2 : -1;
    }
    *status = st[0];
    return pid;
}

static const LabsInfo *sbx_lab_of(const char *num)
{
    for (int i = 0; i < labs_count; i++)
        if (!strcmp(labs_table[i].num, num)) return &labs_table[i];
    return NULL;
}

SbxWorker *sbx_worker(const char *num, const char *fn)
{
    const LabsInfo *lab = sbx_lab_of(num);
    if (!sbx_ready || !lab) gt_fail("grader: %s() was called outside a test", fn);
    SbxWorker *w = &sbx_workers[lab - labs_table];
    if (w->pid > 0) return w;
    w->lab = lab;
    snprintf(w->path, sizeof w->path, "%s/%s/gradlab-worker", sbx_cfg.build_dir ? sbx_cfg.build_dir : ".", lab->dir);
    int exe = open(w->path, O_RDONLY | O_CLOEXEC);
    if (exe < 0)
        sbx_verdict(RUN_BUILD, "lab %s did not build (no %s), so %s() cannot be called", lab->num, w->path, fn);
    int sv[2], outp[2];
    if (pipe2(outp, O_CLOEXEC) != 0) gt_fail("grader: cannot set up the sandbox for %s(): %s", fn, strerror(errno));
    /* The test's output cap (RLIMIT_FSIZE) would stop the memfd's size too. */
    struct rlimit fsize, unlimited = { RLIM_INFINITY, RLIM_INFINITY };
    getrlimit(RLIMIT_FSIZE, &fsize);
    setrlimit(RLIMIT_FSIZE, &unlimited);
    int memfd = memfd_create("gradlab-arena", MFD_CLOEXEC);
    int sized = memfd >= 0 ? ftruncate(memfd, (off_t)SBX_ARENA_BYTES) : -1;
    setrlimit(RLIMIT_FSIZE, &fsize);
    if (memfd < 0 || sized != 0 || socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        gt_fail("grader: cannot set up the sandbox for %s(): %s", fn, strerror(errno));
    w->arena = mmap(NULL, SBX_ARENA_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, memfd, 0);
    if (w->arena == MAP_FAILED) {
        w->arena = NULL;
        gt_fail("grader: cannot map the sandbox's memory for %s(): %s", fn, strerror(errno));
    }
    char arena_s[32], mem_s[32], cpu_s[32];
    snprintf(arena_s, sizeof arena_s, "%llu", (unsigned long long)SBX_ARENA_BYTES);
    snprintf(mem_s, sizeof mem_s, "%ld", sbx_cfg.mem_mb);
    snprintf(cpu_s, sizeof cpu_s, "%ld", sbx_cfg.cpu_seconds);
    char *argv[] = { "gradlab-worker", "--arena-size", arena_s, "--mem", mem_s, "--cpu", cpu_s, NULL };
    w->status = -1;
    pid_t parent = getpid();
    fflush(stdout);
    fflush(stderr);
    /* From the lab's zygote when it answers; from the program otherwise. */
    int li = (int)(lab - labs_table);
    pid_t pid = li < SBX_MAX_LABS && sbx_zygote_ctl[li] > 0
                    ? sbx_zygote_spawn(sbx_zygote_ctl[li], sv[1], memfd, outp[1], &w->status) : -1;
    if (pid == -2)
        sbx_verdict(RUN_CRASH, "grader: the sandbox that runs %s() could not start (lab %s's zygote did not "
                    "answer within 5 s: the machine is overloaded?): this is not your code's fault", fn, lab->num);
    if (pid < 0) pid = fork();
    if (pid == 0) {
        /* Out of the way first, then onto the numbers the worker expects. */
        int s = fcntl(sv[1], F_DUPFD_CLOEXEC, 16), a = fcntl(memfd, F_DUPFD_CLOEXEC, 16),
            e = fcntl(exe, F_DUPFD_CLOEXEC, 16), o = fcntl(outp[1], F_DUPFD_CLOEXEC, 16);
        if (s < 0 || a < 0 || e < 0 || o < 0 || dup2(s, CH_FD_SOCKET) < 0 || dup2(a, CH_FD_ARENA) < 0 ||
            dup2(e, CH_FD_SELF) < 0 || dup2(o, STDOUT_FILENO) < 0 || dup2(o, STDERR_FILENO) < 0)
            _exit(126);
        if (sbx_cfg.drop && (setgroups(0, NULL) != 0 || setgid(sbx_cfg.gid) != 0 || setuid(sbx_cfg.uid) != 0))
            _exit(126);
        prctl(PR_SET_PDEATHSIG, SIGKILL);   /* after setuid, which clears it */
        if (getppid() != parent) _exit(0);
        fexecve(CH_FD_SELF, argv, (char *const *)sbx_envp);
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
    w->starting = true;
    sbx_recv(w, &m, fn);
    w->starting = false;
    if (m.type != CH_MSG_READY) sbx_fail("grader: the sandbox for %s() did not start properly", fn);
    return w;
}

unsigned char *sbx_arena(const SbxWorker *w) { return w->arena; }
const LabsInfo *sbx_lab(const SbxWorker *w) { return w->lab; }
