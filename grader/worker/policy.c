/*
 * policy.c - the worker's seccomp filter: the system calls student code may make.
 *
 * An allowlist. Any other call (open, fork, execve, kill, ptrace, sockets,
 * process_vm_*, memory made executable, ...) raises SIGSYS, whose handler
 * notes the call's number and ends the process; the grader reports it as
 * FORBIDDEN naming the call. A call made for another architecture (int 0x80,
 * x32) kills the process outright. The filter is inherited by nothing, since
 * a worker cannot start processes, and cannot be lifted.
 */
#include "wk.h"

#include <errno.h>
#include <fcntl.h>
#include <seccomp.h>
#include <stddef.h>
#include <sys/mman.h>
#include <unistd.h>

#define WK_ANY 0, (struct scmp_arg_cmp){ 0 }

static int wk_allow(scmp_filter_ctx f, int nr, unsigned nargs, struct scmp_arg_cmp cmp)
{
    return nargs ? seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 1, cmp) : seccomp_rule_add(f, SCMP_ACT_ALLOW, nr, 0);
}

int wk_policy_load(void)
{
    scmp_filter_ctx f = seccomp_init(SCMP_ACT_TRAP);
    if (!f) return -ENOMEM;
    int rc = seccomp_attr_set(f, SCMP_FLTATR_ACT_BADARCH, SCMP_ACT_KILL_PROCESS);
    const struct scmp_arg_cmp no_exec = SCMP_A2(SCMP_CMP_MASKED_EQ, PROT_EXEC, 0);
    const struct {
        int nr;
        unsigned nargs;
        struct scmp_arg_cmp cmp;
    } rules[] = {
        /* the channel to the grader, and the captured output (capped by RLIMIT_FSIZE) */
        { SCMP_SYS(read), 1, SCMP_A0(SCMP_CMP_EQ, CH_FD_SOCKET) },
        { SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, CH_FD_SOCKET) },
        { SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, STDOUT_FILENO) },
        { SCMP_SYS(write), 1, SCMP_A0(SCMP_CMP_EQ, STDERR_FILENO) },
        { SCMP_SYS(writev), 1, SCMP_A0(SCMP_CMP_EQ, STDERR_FILENO) },   /* glibc's fatal messages */
        /* memory: malloc, free, realloc, OpenBLAS's buffers; never executable */
        { SCMP_SYS(brk), WK_ANY },
        { SCMP_SYS(mmap), 1, no_exec },
        { SCMP_SYS(mprotect), 1, no_exec },
        { SCMP_SYS(munmap), WK_ANY },
        { SCMP_SYS(mremap), WK_ANY },
        { SCMP_SYS(madvise), WK_ANY },
        { SCMP_SYS(mbind), WK_ANY },   /* OpenBLAS binds its buffers to a NUMA node */
        /* the process's own end: return, exit(), abort() (which signals itself) */
        { SCMP_SYS(exit), WK_ANY },
        { SCMP_SYS(exit_group), WK_ANY },
        { SCMP_SYS(getpid), WK_ANY },
        { SCMP_SYS(gettid), WK_ANY },
        { SCMP_SYS(tgkill), 1, SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()) },
        { SCMP_SYS(rt_sigprocmask), WK_ANY },
        { SCMP_SYS(rt_sigreturn), WK_ANY },
        { SCMP_SYS(restart_syscall), WK_ANY },
        /* harmless reads of the clock and the machine (glibc's qsort asks sysinfo) */
        { SCMP_SYS(clock_gettime), WK_ANY },
        { SCMP_SYS(gettimeofday), WK_ANY },
        { SCMP_SYS(time), WK_ANY },
        { SCMP_SYS(sysinfo), WK_ANY },
        { SCMP_SYS(futex), WK_ANY },
        { SCMP_SYS(sched_yield), WK_ANY },
#if defined(__SANITIZE_ADDRESS__)
        /* SAN=1 builds only (never used for grades): the sanitizer's report asks
         * whether stderr is a terminal and changes its signal set-up as it prints. */
        { SCMP_SYS(ioctl), WK_ANY },
        { SCMP_SYS(rt_sigaction), WK_ANY },
        { SCMP_SYS(sigaltstack), WK_ANY },
        { SCMP_SYS(prctl), WK_ANY },
        { SCMP_SYS(getrlimit), WK_ANY },
        { SCMP_SYS(prlimit64), 1, SCMP_A2(SCMP_CMP_EQ, 0) },
#endif
    };
    for (size_t i = 0; rc == 0 && i < sizeof rules / sizeof rules[0]; i++)
        rc = wk_allow(f, rules[i].nr, rules[i].nargs, rules[i].cmp);
#if defined(__SANITIZE_ADDRESS__)
    /* The sanitizer's report tries to read its memory map: it is told no, and prints
     * its report without it. Lab code that opens a file is told no too (EACCES), so
     * under SAN=1 such a call fails instead of ending the test as FORBIDDEN. */
    if (rc == 0) rc = seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(open), 0);
    if (rc == 0) rc = seccomp_rule_add(f, SCMP_ACT_ERRNO(EACCES), SCMP_SYS(openat), 0);
#endif
    if (rc == 0) rc = seccomp_load(f);
    seccomp_release(f);
    return rc;
}
