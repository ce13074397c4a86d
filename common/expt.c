/*
 * expt.c - shared plumbing of the experiment programs (labs/NN-name/experiment.c).
 * Program-level code: it prints, and it ends the program on unusable input.
 */
#include "expt.h"
#include "err.h"

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <unistd.h>

/* What a crash or a long wait reports: the program, its lab and the section running. */
static char expt_prog[256], expt_lab[8], expt_now[200];
static volatile sig_atomic_t expt_ticks;
enum { EXPT_TICK_SECONDS = 30 };

/* write(2) of a NUL-terminated string: safe in a signal handler. */
static void expt_say(const char *s)
{
    ssize_t r = write(STDERR_FILENO, s, strlen(s));
    (void)r;
}

#ifndef __SANITIZE_ADDRESS__
static void expt_on_crash(int sig)
{
    const char *what = sig == SIGSEGV ? "a segmentation fault (a read or write outside an array, or a bad pointer)"
                     : sig == SIGBUS  ? "a bus error (a bad pointer)"
                     : sig == SIGFPE  ? "an arithmetic error (an integer division by zero)"
                     : sig == SIGABRT ? "an abort (a failed check: its message is above)"
                                      : "an illegal instruction";
    expt_say("\n");
    expt_say(expt_prog);
    expt_say(": crashed with ");
    expt_say(what);
    if (expt_now[0]) {
        expt_say(" during \"");
        expt_say(expt_now);
        expt_say("\"");
    }
    expt_say(".\n  To see the line in your lab file: make grade (a CRASH names the function and the line), or\n"
             "  make run LAB=");
    expt_say(expt_lab);
    expt_say(" SAN=1 (AddressSanitizer stops at the first bad access and prints where it was).\n");
    signal(sig, SIG_DFL);
    raise(sig);
}
#endif

static void expt_on_tick(int sig)
{
    (void)sig;
    expt_ticks++;
    if (expt_ticks % 4 != 0) return;   /* every 2 minutes in one section */
    char minutes[16], *d = minutes + sizeof minutes - 1;   /* the digits by hand: safe in a handler */
    *d = '\0';
    for (int m = (int)expt_ticks / 2; d == minutes + sizeof minutes - 1 || m > 0; m /= 10) *--d = (char)('0' + m % 10);
    expt_say(expt_prog);
    expt_say(": ");
    expt_say(expt_now[0] ? expt_now : "this part");
    expt_say(" has been running for ");
    expt_say(d);
    expt_say(" minutes; the reference solutions finish every part in about a minute on 2 cores\n"
             "  (--quick: seconds). If it never ends, a lab function may loop forever: press Ctrl-C and run make grade LAB=");
    expt_say(expt_lab);
    expt_say(" (a TIMEOUT names the function that was still running).\n");
}

/* Installs the crash report and the "still running" notice. */
static void expt_watch(const char *argv0)
{
    const char *base = strrchr(argv0, '/');
    snprintf(expt_prog, sizeof expt_prog, "%s", base ? base + 1 : argv0);
    snprintf(expt_lab, sizeof expt_lab, "%.2s", expt_prog);
#ifndef __SANITIZE_ADDRESS__   /* under SAN=1 AddressSanitizer's own report says more */
    struct sigaction sa = { 0 };
    sa.sa_handler = expt_on_crash;
    sa.sa_flags = SA_RESETHAND | SA_ONSTACK;
    for (int k = 0; k < 5; k++) sigaction((int[]){ SIGSEGV, SIGBUS, SIGFPE, SIGILL, SIGABRT }[k], &sa, NULL);
    static char altstack[1 << 16];   /* a stack overflow still gets its message */
    stack_t ss = { .ss_sp = altstack, .ss_size = sizeof altstack };
    sigaltstack(&ss, NULL);
#endif
    struct sigaction tick = { 0 };
    tick.sa_handler = expt_on_tick;
    tick.sa_flags = SA_RESTART;
    sigaction(SIGALRM, &tick, NULL);
    struct itimerval every = { { EXPT_TICK_SECONDS, 0 }, { EXPT_TICK_SECONDS, 0 } };
    setitimer(ITIMER_REAL, &every, NULL);
}

static void expt_usage(FILE *f, const char *prog, const char *about)
{
    fprintf(f, "%s\n\nusage: %s [--out DIR] [--quick] [--seed N]\n"
               "  --out DIR   where figures are written (default: out)\n"
               "  --quick     small sizes: a run of seconds, for checking that it works\n"
               "  --seed N    random seed (default 1)\n", about, prog);
}

static void expt_mkdirs(const char *dir)
{
    char buf[1024];
    snprintf(buf, sizeof buf, "%s", dir);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = '\0';
        mkdir(buf, 0777);
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "%s: cannot create the output directory: %s\n", dir, strerror(errno));
        exit(1);
    }
}

void expt_args(int argc, char **argv, const char *about, ExptArgs *a)
{
    a->out_dir = "out";
    a->quick = false;
    a->seed = 1;
    for (int i = 1; i < argc; i++) {
        const char *s = argv[i];
        if (!strcmp(s, "--out") && i + 1 < argc) {
            a->out_dir = argv[++i];
        } else if (!strcmp(s, "--quick")) {
            a->quick = true;
        } else if (!strcmp(s, "--seed") && i + 1 < argc) {
            a->seed = strtoull(argv[++i], NULL, 10);
        } else if (!strcmp(s, "--help") || !strcmp(s, "-h")) {
            expt_usage(stdout, argv[0], about);
            exit(0);
        } else {
            fprintf(stderr, "%s: unknown option '%s'\n\n", argv[0], s);
            expt_usage(stderr, argv[0], about);
            exit(2);
        }
    }
    expt_mkdirs(a->out_dir);
    expt_watch(argv[0]);
}

void expt_load_fashion(Fashion *f)
{
    if (dataset_load_fashion(f, NULL) != 0) {
        fprintf(stderr, "error: cannot load Fashion-MNIST: %s\n"
                        "---> HINT: run `make deps` (it installs dataset-fashion-mnist), or set "
                        "GRADLAB_DATA to a directory holding the four IDX files.\n", err_last());
        exit(1);
    }
    printf("data: Fashion-MNIST from %s (%d train, %d test, %d pixels each)\n", f->dir,
           dataset_size(&f->train), dataset_size(&f->test), f->train.X->cols);
    if (f->mini)
        printf("\n*** NOTE: this is the small committed subset, not the full data set: accuracies\n"
               "*** are lower than the handout's. `make deps` installs the full Fashion-MNIST.\n\n");
}

const char *expt_path(const ExptArgs *a, const char *name)
{
    static char bufs[8][1024];
    static int next;
    char *b = bufs[next++ % 8];
    snprintf(b, sizeof bufs[0], "%s/%s", a->out_dir, name);
    return b;
}

void *expt_xmalloc(size_t n)
{
    void *p = malloc(n > 0 ? n : 1);
    if (!p) {
        fprintf(stderr, "error: out of memory (%zu bytes)\n", n);
        exit(1);
    }
    return p;
}

void expt_section(const char *title)
{
    printf("\n== %s ==\n", title);
    fflush(stdout);
    snprintf(expt_now, sizeof expt_now, "%s", title);
    expt_ticks = 0;
}

void expt_figure(int rc, const char *path, const char *what)
{
    if (rc == 0)
        printf("  wrote %s: %s\n", path, what);
    else if (rc == 1)
        printf("  gnuplot not found: wrote the data and script for %s (%s).\n"
               "  ---> HINT: apt-get install gnuplot-nox, then run gnuplot on the .gp file.\n",
               path, what);
    else
        printf("  could not write %s: %s\n", path, err_last());
}
