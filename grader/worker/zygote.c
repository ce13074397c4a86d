/*
 * zygote.c - one lab's worker program, loaded once per grading run, forking a
 * fresh worker for each test.
 *
 *   gradlab-worker --zygote   (started by the grader with its control socket on fd 3)
 *
 * Starting a worker from its program costs a few milliseconds, mostly the dynamic
 * loader binding OpenBLAS; a grading run starts one per test that calls the lab.
 * The zygote pays that once: it loads and warms up the program, then waits. For a
 * test's request (the test's socket, arena, output pipe and status pipe, passed as
 * descriptors, and the limits) it forks a child that puts those on the numbers a
 * worker expects and returns to worker.c's main(), which confines it exactly as a
 * worker started from its program. No student code ever runs in the zygote itself:
 * the lab object has no constructors (scripts/lab-symbols.sh), and the zygote
 * calls no lab function.
 *
 * The zygote is the workers' parent, so it reports how each one ended (its wait
 * status, the kernel's word) on that worker's status pipe, and it is how a test's
 * worker dies with the test: when the test's process closes the status pipe (it
 * ended, or is done with the worker), the worker is killed. When the grader
 * closes the control socket, every worker is killed and the zygote exits; a
 * worker whose zygote dies is killed by the kernel (PR_SET_PDEATHSIG).
 */
#include "wk.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

enum { ZY_MAX_KIDS = 64, ZY_FD_BASE = 200 };

typedef struct {
    pid_t pid;
    int status_fd;   /* -1 once the test closed it (the worker is being killed) */
} ZyKid;

static ZyKid zy_kids[ZY_MAX_KIDS];
static int zy_nkids;

/* Moves fd out of the way of the numbers a worker uses; -1 stays -1. */
static int zy_high(int fd)
{
    if (fd < 0) return -1;
    int h = fcntl(fd, F_DUPFD_CLOEXEC, ZY_FD_BASE);
    close(fd);
    return h;
}

/* Kills every worker and waits until each has ended: once the zygote has exited, none
 * of its workers is left (the grader waits for that). */
static void zy_kill_all(void)
{
    for (int i = 0; i < zy_nkids; i++) kill(zy_kids[i].pid, SIGKILL);
    while (waitpid(-1, NULL, 0) > 0 || errno == EINTR) {}
}

/* Receives one request: its limits and CH_SPAWN_FDS descriptors. 1 ok, 0 the grader closed
 * the socket, -1 a malformed request (its descriptors are closed). */
static int zy_recv(int ctl, ChSpawn *req, int fds[CH_SPAWN_FDS])
{
    char cbuf[CMSG_SPACE(sizeof(int) * CH_SPAWN_FDS)];
    struct iovec iov = { req, sizeof *req };
    struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = cbuf, .msg_controllen = sizeof cbuf };
    ssize_t k;
    while ((k = recvmsg(ctl, &mh, MSG_CMSG_CLOEXEC)) < 0 && errno == EINTR) {}
    if (k <= 0) return 0;
    int got = 0;
    for (struct cmsghdr *c = CMSG_FIRSTHDR(&mh); c; c = CMSG_NXTHDR(&mh, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        int n = (int)((c->cmsg_len - CMSG_LEN(0)) / sizeof(int));
        for (int i = 0; i < n; i++) {
            int fd;
            memcpy(&fd, CMSG_DATA(c) + i * sizeof(int), sizeof fd);
            if (got < CH_SPAWN_FDS) fds[got++] = zy_high(fd);
            else close(fd);
        }
    }
    if (k != (ssize_t)sizeof *req || got != CH_SPAWN_FDS || req->magic != CH_MAGIC) {
        for (int i = 0; i < got; i++) close(fds[i]);
        return -1;
    }
    return 1;
}

/* Reaps ended workers and sends each one's wait status to its test. */
static void zy_reap(void)
{
    int st;
    pid_t pid;
    while ((pid = waitpid(-1, &st, WNOHANG)) > 0) {
        for (int i = 0; i < zy_nkids; i++) {
            if (zy_kids[i].pid != pid) continue;
            if (zy_kids[i].status_fd >= 0) {
                ssize_t w = write(zy_kids[i].status_fd, &st, sizeof st);
                (void)w;   /* the test may be gone: nothing to tell */
                close(zy_kids[i].status_fd);
            }
            zy_kids[i] = zy_kids[--zy_nkids];
            break;
        }
    }
}

void wk_zygote(ChSpawn *req)
{
    pid_t self = getpid();
    int ctl = zy_high(CH_FD_SOCKET);
    signal(SIGPIPE, SIG_IGN);
    sigset_t chld, old;
    sigemptyset(&chld);
    sigaddset(&chld, SIGCHLD);
    sigprocmask(SIG_BLOCK, &chld, &old);
    int sfd = signalfd(-1, &chld, SFD_CLOEXEC | SFD_NONBLOCK);
    if (ctl < 0 || sfd < 0) _exit(3);
    sfd = zy_high(sfd);
    ChSpawnReply hello = { CH_MAGIC, (int32_t)self, 0 };   /* nonce 0: "ready, and this is my pid" */
    if (send(ctl, &hello, sizeof hello, MSG_NOSIGNAL) != (ssize_t)sizeof hello) _exit(0);

    for (;;) {
        struct pollfd p[ZY_MAX_KIDS + 2];
        p[0] = (struct pollfd){ ctl, zy_nkids < ZY_MAX_KIDS ? POLLIN : 0, 0 };
        p[1] = (struct pollfd){ sfd, POLLIN, 0 };
        for (int i = 0; i < zy_nkids; i++) p[2 + i] = (struct pollfd){ zy_kids[i].status_fd, 0, 0 };
        int n = 2 + zy_nkids;
        if (poll(p, (nfds_t)n, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (p[1].revents) {
            struct signalfd_siginfo si;
            while (read(sfd, &si, sizeof si) > 0) {}
            zy_reap();
            continue;   /* the table changed under the poll set */
        }
        /* A test closed its end: that worker goes (reaped, then reported to nobody). */
        for (int i = 0; i < zy_nkids; i++)
            if (p[2 + i].fd >= 0 && (p[2 + i].revents & (POLLERR | POLLHUP | POLLNVAL))) {
                kill(zy_kids[i].pid, SIGKILL);
                close(zy_kids[i].status_fd);
                zy_kids[i].status_fd = -1;
            }
        if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL) && !(p[0].revents & POLLIN)) break;
        if (!(p[0].revents & POLLIN)) continue;
        int fds[CH_SPAWN_FDS];
        int r = zy_recv(ctl, req, fds);
        if (r == 0) break;
        if (r < 0) continue;
        pid_t pid = fork();
        if (pid == 0) {
            /* The worker: the test's descriptors on the worker's numbers; the zygote's
             * own (control socket, signalfd, other tests' status pipes) are closed by
             * main()'s close_range, before any lab code runs. */
            sigprocmask(SIG_SETMASK, &old, NULL);
            signal(SIGPIPE, SIG_DFL);
            if (dup2(fds[CH_SPAWN_SOCKET], CH_FD_SOCKET) < 0 || dup2(fds[CH_SPAWN_ARENA], CH_FD_ARENA) < 0 ||
                dup2(fds[CH_SPAWN_OUTPUT], STDOUT_FILENO) < 0 || dup2(fds[CH_SPAWN_OUTPUT], STDERR_FILENO) < 0)
                _exit(126);
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != self) _exit(0);
            return;
        }
        for (int i = 0; i < CH_SPAWN_FDS; i++)
            if (i != CH_SPAWN_STATUS) close(fds[i]);
        if (pid < 0) {
            close(fds[CH_SPAWN_STATUS]);   /* the test sees the pipe close with no status */
            continue;
        }
        zy_kids[zy_nkids++] = (ZyKid){ pid, fds[CH_SPAWN_STATUS] };
        ChSpawnReply rep = { CH_MAGIC, (int32_t)pid, req->nonce };
        ssize_t w = send(ctl, &rep, sizeof rep, MSG_NOSIGNAL);
        (void)w;
    }
    zy_kill_all();
    _exit(0);
}
