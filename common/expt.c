/*
 * expt.c - shared plumbing of the experiment programs (labs/NN-name/experiment.c).
 * Program-level code: it prints, and it ends the program on unusable input.
 */
#include "expt.h"
#include "err.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
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

/* ---- the command line ---- */

typedef enum { EXPT_DBL, EXPT_INT, EXPT_FLAG, EXPT_STR } ExptKind;

/* Every hyperparameter option: its name, type, allowed range and generic meaning. */
typedef struct {
    unsigned flag;
    const char *name, *metavar;
    ExptKind kind;
    double lo, hi;          /* allowed range */
    bool lo_open, hi_open;  /* the bound itself is not allowed */
    const char *what;
} ExptSpec;

static const ExptSpec expt_specs[] = {
    { EXPT_OPT_DATA, "data", "SPEC", EXPT_STR, 0, 0, false, false,
      "data set: fashion, mnist or cifar10; NAME:DIR reads it from DIR" },
    { EXPT_OPT_LR, "lr", "X", EXPT_DBL, 0, 1e6, true, false, "learning rate (step size)" },
    { EXPT_OPT_REG, "reg", "X", EXPT_DBL, 0, 1e6, false, false, "L2 regularization strength" },
    { EXPT_OPT_EPOCHS, "epochs", "N", EXPT_INT, 1, 100000, false, false, "passes over the training set" },
    { EXPT_OPT_BATCH, "batch", "N", EXPT_INT, 1, 1e7, false, false, "minibatch size" },
    { EXPT_OPT_HIDDEN, "hidden", "N", EXPT_INT, 1, 65536, false, false, "hidden units" },
    { EXPT_OPT_MOMENTUM, "momentum", "X", EXPT_DBL, 0, 1, false, true, "SGD momentum" },
    { EXPT_OPT_LR_DECAY, "lr-decay", "X", EXPT_DBL, 0, 1, true, false,
      "factor the learning rate is multiplied by after each epoch" },
    { EXPT_OPT_K, "k", "N", EXPT_INT, 1, 1e6, false, false, "number of nearest neighbours that vote" },
    { EXPT_OPT_FOLDS, "folds", "N", EXPT_INT, 2, 1000, false, false, "cross-validation folds" },
    { EXPT_OPT_TRAIN_SIZE, "train-size", "N", EXPT_INT, 1, 1e9, false, false,
      "training images used (at most what the data set has)" },
    { EXPT_OPT_NO_SEARCH, "no-search", NULL, EXPT_FLAG, 0, 0, false, false,
      "skip the hyperparameter search: train once at the given values" },
};
#define EXPT_NSPECS ((int)(sizeof expt_specs / sizeof expt_specs[0]))

/* The record index.md is written from. */
typedef struct {
    char *file, *what;
    int kind;      /* 0 PNG written, 1 gnuplot missing (script kept), -1 failed */
    bool script;   /* its gnuplot script is in plots/ */
} ExptFig;
static struct {
    char dir[1024], prog[64], title[600], command[1024], data[1400], values[16][400], date[64];
    int nvalues, nfigs, cap;
    bool quick;
    ExptFig *figs;
} expt_ix;

static const char *expt_base(const char *argv0)
{
    const char *b = strrchr(argv0, '/');
    return b ? b + 1 : argv0;
}

/* "04" from "04-sgd" (or the whole name when it does not start with a number). */
static void expt_lab_of(const char *argv0, char *out, size_t cap)
{
    const char *b = expt_base(argv0);
    if (isdigit((unsigned char)b[0]) && isdigit((unsigned char)b[1])) snprintf(out, cap, "%.2s", b);
    else snprintf(out, cap, "%s", b);
}

static const ExptOpt *expt_opt_in(const ExptOpt *opts, unsigned flag)
{
    for (const ExptOpt *o = opts; o && o->opt; o++)
        if (o->opt == flag) return o;
    return NULL;
}

/* "must be at least 1", "must be greater than 0 and at most 1", ... */
static void expt_rule(const ExptSpec *s, char *out, size_t cap)
{
    char lo[64], hi[64];
    snprintf(lo, sizeof lo, "%s %g", s->lo_open ? "greater than" : "at least", s->lo);
    snprintf(hi, sizeof hi, "%s %g", s->hi_open ? "less than" : "at most", s->hi);
    snprintf(out, cap, "--%s must be %s%s and %s", s->name, s->kind == EXPT_INT ? "a whole number " : "", lo, hi);
}

static int expt_value(const ExptSpec *s, const char *v, ExptArgs *a, char *err, size_t cap)
{
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (end == v || *end || !isfinite(x) || errno == ERANGE) {
        snprintf(err, cap, "--%s '%s': not a number (e.g. --%s %s)", s->name, v, s->name,
                 s->kind == EXPT_INT ? "10" : "0.01");
        return -1;
    }
    char rule[200];
    if (s->kind == EXPT_INT && x != floor(x)) {
        expt_rule(s, rule, sizeof rule);
        snprintf(err, cap, "--%s %s: not a whole number (%s)", s->name, v, rule);
        return -1;
    }
    if (x < s->lo || (s->lo_open && x == s->lo) || x > s->hi || (s->hi_open && x == s->hi)) {
        expt_rule(s, rule, sizeof rule);
        snprintf(err, cap, "--%s %s: %s", s->name, v, rule);
        return -1;
    }
    switch (s->flag) {
    case EXPT_OPT_LR: a->lr = x; break;
    case EXPT_OPT_REG: a->reg = x; break;
    case EXPT_OPT_MOMENTUM: a->momentum = x; break;
    case EXPT_OPT_LR_DECAY: a->lr_decay = x; break;
    case EXPT_OPT_EPOCHS: a->epochs = (int)x; break;
    case EXPT_OPT_BATCH: a->batch = (int)x; break;
    case EXPT_OPT_HIDDEN: a->hidden = (int)x; break;
    case EXPT_OPT_K: a->k = (int)x; break;
    case EXPT_OPT_FOLDS: a->folds = (int)x; break;
    case EXPT_OPT_TRAIN_SIZE: a->train_size = (int)x; break;
    default: break;
    }
    return 0;
}

/* "--lr --reg --no-search": the options opts accepts, for messages. */
static void expt_opt_list(const ExptOpt *opts, char *out, size_t cap)
{
    size_t len = 0;
    out[0] = '\0';
    for (int i = 0; i < EXPT_NSPECS && len < cap; i++)
        if (expt_opt_in(opts, expt_specs[i].flag))
            len += (size_t)snprintf(out + len, cap - len, "%s--%s", len ? " " : "", expt_specs[i].name);
    if (len < cap) snprintf(out + len, cap - len, "%s--out --quick --seed", len ? " " : "");
}

int expt_parse(int argc, char **argv, const ExptOpt *opts, ExptArgs *a, char *err, size_t cap)
{
    *a = (ExptArgs){ .out_dir = "out", .seed = 1, .lr = NAN, .reg = NAN, .momentum = NAN, .lr_decay = NAN,
                     .epochs = -1, .batch = -1, .hidden = -1, .k = -1, .folds = -1, .train_size = -1 };
    for (const ExptOpt *o = opts; o && o->opt; o++) a->accepted |= o->opt;
    char lab[64];
    expt_lab_of(argc > 0 ? argv[0] : "experiment", lab, sizeof lab);
    err[0] = '\0';
    for (int i = 1; i < argc; i++) {
        const char *arg = argv[i];
        if (!strcmp(arg, "--help") || !strcmp(arg, "-h")) return 1;
        if (strncmp(arg, "--", 2) != 0 || !arg[2]) {
            snprintf(err, cap, "unexpected argument '%s' (options start with --; --help lists them)", arg);
            return -1;
        }
        /* --name=value or --name value */
        char name[64];
        const char *eq = strchr(arg, '='), *val = NULL;
        size_t n = eq ? (size_t)(eq - arg - 2) : strlen(arg + 2);
        snprintf(name, sizeof name, "%.*s", (int)(n < sizeof name ? n : sizeof name - 1), arg + 2);
        if (eq) val = eq + 1;
        bool takes_value = strcmp(name, "quick") != 0;
        const ExptSpec *s = NULL;
        for (int k = 0; k < EXPT_NSPECS; k++)
            if (!strcmp(name, expt_specs[k].name)) s = &expt_specs[k];
        if (s && s->kind == EXPT_FLAG) takes_value = false;
        if (!s && strcmp(name, "out") && strcmp(name, "quick") && strcmp(name, "seed")) {
            char list[400];
            expt_opt_list(opts, list, sizeof list);
            snprintf(err, cap, "unknown option '--%s' (lab %s takes: %s)", name, lab, list);
            return -1;
        }
        if (s && !(a->accepted & s->flag)) {
            char list[400];
            expt_opt_list(opts, list, sizeof list);
            snprintf(err, cap, "--%s is not used by lab %s (options: %s)", name, lab, list);
            return -1;
        }
        if (!takes_value && eq) {
            snprintf(err, cap, "--%s takes no value (got '%s')", name, arg);
            return -1;
        }
        if (takes_value && !val) {
            if (i + 1 >= argc || (strncmp(argv[i + 1], "--", 2) == 0 && !isdigit((unsigned char)argv[i + 1][2]))) {
                snprintf(err, cap, "--%s needs a value (e.g. --%s %s)", name, name,
                         !strcmp(name, "out") ? "out/mine" : !strcmp(name, "data") ? "cifar10" : s ? (s->kind == EXPT_INT ? "10" : "0.01") : "1");
                return -1;
            }
            val = argv[++i];
        }
        if (!strcmp(name, "quick")) {
            a->quick = true;
        } else if (!strcmp(name, "out")) {
            if (!*val) {
                snprintf(err, cap, "--out needs a directory name");
                return -1;
            }
            a->out_dir = val;
        } else if (!strcmp(name, "seed")) {
            char *end;
            errno = 0;
            unsigned long long x = strtoull(val, &end, 10);
            if (end == val || *end || errno == ERANGE || val[strspn(val, " ")] == '-') {
                snprintf(err, cap, "--seed '%s': the seed must be a whole number >= 0", val);
                return -1;
            }
            a->seed = x;
        } else if (s->kind == EXPT_FLAG) {
            a->no_search = true;
        } else if (s->kind == EXPT_STR) {
            DatasetKind kind;
            char dir[1024];
            if (dataset_parse_spec(val, &kind, dir, sizeof dir) != 0) {
                snprintf(err, cap, "--data %s: %s", val, err_last());
                return -1;
            }
            a->data = val;
        } else if (expt_value(s, val, a, err, cap) != 0) {
            return -1;
        }
    }
    return 0;
}

static void expt_usage(FILE *f, const char *prog, const char *about, const ExptOpt *opts)
{
    fprintf(f, "%s\n\nusage: %s [options]   (through make: make run LAB=%.2s ARGS='options')\n"
               "  --out DIR          where figures and index.md are written (default: out)\n"
               "  --quick            small sizes: a run of seconds, for checking that it works\n"
               "  --seed N           random seed (default 1)\n", about, prog, prog);
    for (int i = 0; i < EXPT_NSPECS; i++) {
        const ExptSpec *s = &expt_specs[i];
        const ExptOpt *o = expt_opt_in(opts, s->flag);
        if (!o) continue;
        char head[40];
        snprintf(head, sizeof head, "--%s%s%s", s->name, s->metavar ? " " : "", s->metavar ? s->metavar : "");
        const char *what = o->what ? o->what : s->what;
        fprintf(f, "  %-18s %s", head, what);
        if (o->dflt && strlen(what) + strlen(o->dflt) > 60)
            fprintf(f, "\n  %-18s (default: %s)", "", o->dflt);   /* a line of its own: keep lines short */
        else if (o->dflt)
            fprintf(f, " (default: %s)", o->dflt);
        fputc('\n', f);
    }
    fprintf(f, "Values go as --opt VALUE or --opt=VALUE. Options not given keep the lab's defaults.\n");
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

/* ---- index.md ---- */

static void expt_index_write(void)
{
    if (!expt_ix.dir[0]) return;
    char path[1100], tmp[1200];
    snprintf(path, sizeof path, "%s/index.md", expt_ix.dir);
    snprintf(tmp, sizeof tmp, "%s/.index.md.tmp", expt_ix.dir);
    FILE *f = fopen(tmp, "w");
    if (!f) return;   /* the figures matter more than their list: no message per figure */
    fprintf(f, "# %s: figures%s\n\n%s\n\n", expt_ix.prog, expt_ix.quick ? " (--quick: small sizes, not for slides)" : "",
            expt_ix.title);
    fprintf(f, "- run: %s\n- command: `%s`\n", expt_ix.date, expt_ix.command);
    if (expt_ix.data[0]) fprintf(f, "- data: %s\n", expt_ix.data);
    for (int i = 0; i < expt_ix.nvalues; i++) fprintf(f, "- values in use: %s\n", expt_ix.values[i]);
    fprintf(f, "\nLine plots and heat maps are drawn by gnuplot from a script and its data in `plots/`:\n"
               "to draw one again, or restyle it after editing the script, run `gnuplot plots/NAME.gp`\n"
               "in this lab's output folder. The other images are written directly (libpng).\n\n");
    if (expt_ix.nfigs == 0) fprintf(f, "No figures yet.\n");
    for (int i = 0; i < expt_ix.nfigs; i++) {
        const ExptFig *g = &expt_ix.figs[i];
        char stem[512];
        snprintf(stem, sizeof stem, "%s", g->file);
        char *dot = strrchr(stem, '.');
        if (dot) *dot = '\0';
        fprintf(f, "## %s\n\n%c%s.\n\n", g->file, g->what[0] >= 'a' && g->what[0] <= 'z' ? g->what[0] - 'a' + 'A' : g->what[0],
                g->what[0] ? g->what + 1 : "");
        if (g->kind == 0) {
            fprintf(f, "![%s](%s)\n\n", g->what, g->file);
            if (g->script) fprintf(f, "Redraw: `gnuplot plots/%s.gp`\n\n", stem);
        } else if (g->kind == 1) {
            fprintf(f, "Not drawn: gnuplot is missing (`apt-get install gnuplot-nox`, then `gnuplot plots/%s.gp`).\n\n",
                    stem);
        } else {
            fprintf(f, "Not written: %s.\n\n", g->file);
        }
    }
    if (fclose(f) == 0) rename(tmp, path);
    else remove(tmp);
}

static void expt_index_start(int argc, char **argv, const char *about, const ExptArgs *a)
{
    snprintf(expt_ix.dir, sizeof expt_ix.dir, "%s", a->out_dir);
    snprintf(expt_ix.prog, sizeof expt_ix.prog, "%s", expt_base(argv[0]));
    snprintf(expt_ix.title, sizeof expt_ix.title, "%s", about);   /* one paragraph: newlines become spaces */
    for (char *c = expt_ix.title; *c; c++)
        if (*c == '\n') *c = ' ';
    if (expt_ix.title[0] >= 'a' && expt_ix.title[0] <= 'z') expt_ix.title[0] = (char)(expt_ix.title[0] - 'a' + 'A');
    size_t len = 0;
    for (int i = 0; i < argc && len < sizeof expt_ix.command; i++)
        len += (size_t)snprintf(expt_ix.command + len, sizeof expt_ix.command - len, "%s%s", i ? " " : "",
                                i ? argv[i] : expt_base(argv[0]));
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(expt_ix.date, sizeof expt_ix.date, "%Y-%m-%d %H:%M", &tm);
    expt_ix.quick = a->quick;
    expt_index_write();
}

void expt_args(int argc, char **argv, const char *about, const ExptOpt *opts, ExptArgs *a)
{
    char err[600];
    const char *prog = expt_base(argv[0]);
    int rc = expt_parse(argc, argv, opts, a, err, sizeof err);
    if (rc == 1) {
        expt_usage(stdout, prog, about, opts);
        exit(0);
    }
    if (rc != 0) {
        fprintf(stderr, "%s: %s\n", prog, err);
        exit(2);
    }
    expt_mkdirs(a->out_dir);
    expt_watch(argv[0]);
    expt_index_start(argc, argv, about, a);
}

double expt_d(double given, double dflt) { return isnan(given) ? dflt : given; }

int expt_i(int given, int dflt) { return given >= 0 ? given : dflt; }

void expt_values(const char *fmt, ...)
{
    char line[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    printf("values in use: %s\n", line);
    fflush(stdout);
    if (expt_ix.nvalues < (int)(sizeof expt_ix.values / sizeof expt_ix.values[0]))
        snprintf(expt_ix.values[expt_ix.nvalues++], sizeof expt_ix.values[0], "%s", line);
    expt_index_write();
}

int expt_clamp(const char *what, int want, int have)
{
    if (want <= have) return want < 0 ? 0 : want;
    printf("note: %s: %d asked for, but the data set has %d; using %d\n", what, want, have, have);
    return have;
}

/* ---- data ---- */

void expt_load(const ExptArgs *a, ImageData *d)
{
    if (dataset_load_named(d, a->data) != 0) {
        /* The spec was checked by expt_parse: the kind and its name are set, only loading failed. */
        DatasetKind kind = d->kind;
        fprintf(stderr, "error: cannot load %s: %s\n", d->name ? d->name : a->data, err_last());
        if (kind == DATASET_FASHION)
            fprintf(stderr, "---> HINT: run `make deps` (it installs dataset-fashion-mnist), or set GRADLAB_DATA to a "
                            "directory holding the four IDX files, or DATA=fashion:DIR.\n");
        else if (kind == DATASET_MNIST)
            fprintf(stderr, "---> HINT: download the four MNIST files (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz,\n"
                            "     t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz) and put them in data/mnist/, or\n"
                            "     point at their folder with DATA=mnist:DIR (make run) or --data mnist:DIR.\n");
        else
            fprintf(stderr, "---> HINT: download the CIFAR-10 binary version (cifar-10-binary.tar.gz), unpack it and put\n"
                            "     data_batch_1.bin ... data_batch_5.bin and test_batch.bin in data/cifar-10-batches-bin/,\n"
                            "     or point at their folder with DATA=cifar10:DIR (make run) or --data cifar10:DIR.\n");
        exit(1);
    }
    snprintf(expt_ix.data, sizeof expt_ix.data, "%s from %s (%d train, %d test, %dx%d pixels, %s)", d->name, d->dir,
             dataset_size(&d->train), dataset_size(&d->test), d->side, d->side,
             d->channels == 3 ? "colour" : "grayscale");
    printf("data: %s\n", expt_ix.data);
    if (d->mini) {
        printf("\n*** NOTE: this is the small committed subset, not the full data set: accuracies\n"
               "*** are lower than the handout's. `make deps` installs the full Fashion-MNIST.\n\n");
        size_t n = strlen(expt_ix.data);
        snprintf(expt_ix.data + n, sizeof expt_ix.data - n, " - the small committed subset");
    }
    expt_index_write();
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

/* Reads a whole file into a new NUL-terminated buffer (NULL when it cannot). */
static char *expt_slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *b = malloc(cap);
    while (b) {
        n += fread(b + n, 1, cap - n - 1, f);
        if (n < cap - 1) break;
        char *nb = realloc(b, cap *= 2);
        if (!nb) free(b);
        b = nb;
    }
    bool bad = ferror(f);
    fclose(f);
    if (!b || bad) {
        free(b);
        return NULL;
    }
    b[n] = '\0';
    *len = n;
    return b;
}

/* Moves the gnuplot script of the figure DIR/STEM.png, and the files it reads, into
 * DIR/plots/, with the script's paths rewritten to be relative to DIR (plot.c writes
 * them as the program was given them). Returns true when a script was moved. */
static bool expt_move_plot(const char *png)
{
    size_t n = strlen(png);
    if (n < 5 || strcmp(png + n - 4, ".png") != 0) return false;
    char full[1024], dir[1024], stem[1024], gp[1100];
    snprintf(full, sizeof full, "%.*s", (int)(n - 4), png);   /* DIR/STEM */
    const char *slash = strrchr(full, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - full) : 1, slash ? full : ".");
    snprintf(stem, sizeof stem, "%s", slash ? slash + 1 : full);
    snprintf(gp, sizeof gp, "%s.gp", full);
    if (strchr(full, '\'')) return false;   /* quoted with doubling in the script: leave it as it is */
    size_t len;
    char *text = expt_slurp(gp, &len);
    if (!text) return false;
    char plots[1100];
    snprintf(plots, sizeof plots, "%s/plots", dir);
    mkdir(plots, 0777);

    /* Every quoted string 'DIR/STEM<rest>': the PNG stays in DIR, the rest goes to plots/. */
    size_t fl = strlen(full), cap = len + 1 + 64 * 16, o = 0;
    char *out = malloc(cap);
    if (!out) {
        free(text);
        return false;
    }
    for (size_t i = 0; i < len;) {
        if (text[i] == '\'' && strncmp(text + i + 1, full, fl) == 0) {
            const char *rest = text + i + 1 + fl, *q = strchr(rest, '\'');
            if (q && q - rest < 200 && !memchr(rest, '/', (size_t)(q - rest)) && !memchr(rest, '\n', (size_t)(q - rest))) {
                char r[256], from[1400], to[2400];
                snprintf(r, sizeof r, "%.*s", (int)(q - rest), rest);
                if (o + strlen(stem) + strlen(r) + 16 >= cap) {
                    char *bigger = realloc(out, cap *= 2);
                    if (!bigger) break;
                    out = bigger;
                }
                if (!strcmp(r, ".png")) {
                    o += (size_t)sprintf(out + o, "'%s.png'", stem);
                } else {
                    o += (size_t)sprintf(out + o, "'plots/%s%s'", stem, r);
                    snprintf(from, sizeof from, "%s%s", full, r);
                    snprintf(to, sizeof to, "%s/%s%s", plots, stem, r);
                    if (strcmp(r, ".gp") != 0) rename(from, to);
                }
                i = (size_t)(q - text) + 1;
                continue;
            }
        }
        if (o + 2 >= cap) {
            char *bigger = realloc(out, cap *= 2);
            if (!bigger) break;
            out = bigger;
        }
        out[o++] = text[i++];
    }
    out[o] = '\0';
    /* plot.c's first line says to redraw "from the directory it ran in": now it is DIR. */
    const char *old = "from the directory it ran in", *now = "in the folder above plots/";
    char *at = strstr(out, old);
    if (at && strlen(now) <= strlen(old)) {
        memcpy(at, now, strlen(now));
        memmove(at + strlen(now), at + strlen(old), strlen(at + strlen(old)) + 1);
    }
    char to[2400], logf[1100], logt[2400];
    snprintf(to, sizeof to, "%s/%s.gp", plots, stem);
    FILE *f = fopen(to, "w");
    bool ok = f && fputs(out, f) >= 0;
    if (f && fclose(f) != 0) ok = false;
    if (ok) remove(gp);
    snprintf(logf, sizeof logf, "%s.log", full);
    snprintf(logt, sizeof logt, "%s/%s.log", plots, stem);
    if (access(logf, F_OK) == 0) rename(logf, logt);
    else remove(logt);   /* an old run's warnings would pass for this run's */
    free(out);
    free(text);
    return ok;
}

void expt_figure(int rc, const char *path, const char *what)
{
    bool moved = rc >= 0 && expt_move_plot(path);
    const char *slash = strrchr(path, '/');
    if (rc == 0)
        printf("  wrote %s: %s\n", path, what);
    else if (rc == 1)
        printf("  gnuplot not found: wrote the data and script for %s (%s).\n"
               "  ---> HINT: apt-get install gnuplot-nox, then run `gnuplot plots/%.*s.gp` in %.*s.\n", path, what,
               (int)strlen(slash ? slash + 1 : path) - 4, slash ? slash + 1 : path,
               slash ? (int)(slash - path) : 1, slash ? path : ".");
    else
        printf("  could not write %s: %s\n", path, err_last());
    fflush(stdout);

    /* The list in index.md: the path relative to the output folder when it is inside it. */
    size_t dl = strlen(expt_ix.dir);
    const char *rel = dl && !strncmp(path, expt_ix.dir, dl) && path[dl] == '/' ? path + dl + 1 : path;
    for (int i = 0; i < expt_ix.nfigs; i++)
        if (!strcmp(expt_ix.figs[i].file, rel)) {   /* drawn again: the latest caption wins */
            free(expt_ix.figs[i].what);
            expt_ix.figs[i].what = strdup(what);
            expt_ix.figs[i].kind = rc;
            expt_ix.figs[i].script = moved;
            expt_index_write();
            return;
        }
    if (expt_ix.nfigs == expt_ix.cap) {
        int cap = expt_ix.cap ? 2 * expt_ix.cap : 16;
        ExptFig *g = realloc(expt_ix.figs, (size_t)cap * sizeof *g);
        if (!g) return;
        expt_ix.figs = g;
        expt_ix.cap = cap;
    }
    expt_ix.figs[expt_ix.nfigs++] = (ExptFig){ strdup(rel), strdup(what), rc, moved };
    expt_index_write();
}
