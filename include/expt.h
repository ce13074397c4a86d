/*
 * expt.h - what every lab's experiment program shares: its command line (with
 * the hyperparameters a lab lets students change), loading the data set named
 * by --data, and keeping the list of figures it wrote in an index.md.
 *
 * These are program-level helpers: unlike the rest of common/, they print, and
 * they end the program on unusable input: a bad option or value prints one line
 * and exits 2; data that cannot be read, or memory that runs out, prints the
 * reason and a hint and exits 1. expt_parse() is the exception: it only returns
 * (0 ok, 1 --help, -1 with one line in err), so its error paths can be tested.
 *
 * Output folder: everything goes into --out DIR (make run passes
 * out/labs/NN-name/, or out/labs/NN-name-quick/ with --quick). A plot_* figure
 * DIR/NAME.png keeps its gnuplot script and data in DIR/plots/ (expt_figure moves
 * them there and rewrites the script's paths), so `gnuplot plots/NAME.gp` run in
 * DIR draws it again. DIR/index.md lists the figures with their captions, the
 * data set, the values in use and the date; it is rewritten after every figure.
 */
#ifndef GRADLAB_EXPT_H
#define GRADLAB_EXPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dataset.h"

/* The options an experiment may accept besides --out, --quick, --seed and --help. */
enum {
    EXPT_OPT_LR = 1u << 0,          /* --lr X          learning rate, > 0 */
    EXPT_OPT_REG = 1u << 1,         /* --reg X         L2 regularization strength, >= 0 */
    EXPT_OPT_EPOCHS = 1u << 2,      /* --epochs N      passes over the training set, >= 1 */
    EXPT_OPT_BATCH = 1u << 3,       /* --batch N       minibatch size, >= 1 */
    EXPT_OPT_HIDDEN = 1u << 4,      /* --hidden N      hidden units, >= 1 */
    EXPT_OPT_MOMENTUM = 1u << 5,    /* --momentum X    in [0, 1) */
    EXPT_OPT_LR_DECAY = 1u << 6,    /* --lr-decay X    step size factor, in (0, 1] */
    EXPT_OPT_K = 1u << 7,           /* --k N           neighbours, >= 1 */
    EXPT_OPT_FOLDS = 1u << 8,       /* --folds N       cross-validation folds, >= 2 */
    EXPT_OPT_TRAIN_SIZE = 1u << 9,  /* --train-size N  training images, >= 1 */
    EXPT_OPT_NO_SEARCH = 1u << 10,  /* --no-search     train once at the given values */
    EXPT_OPT_DATA = 1u << 11,       /* --data SPEC     fashion, mnist, cifar10, or NAME:DIR */
};

/* One option a lab accepts, as --help lists it. A table ends with { 0 }. */
typedef struct {
    unsigned opt;       /* one EXPT_OPT_* flag */
    const char *dflt;   /* what the lab uses when it is not given, e.g. "searched; 0.05 with --no-search" */
    const char *what;   /* what it means in this lab, or NULL for the generic meaning */
} ExptOpt;

typedef struct {
    const char *out_dir;   /* --out DIR: where figures go (default "out") */
    bool quick;            /* --quick: small sizes, seconds not minutes (tests, CI) */
    uint64_t seed;         /* --seed N (default 1) */
    /* Hyperparameters: NaN (doubles) or -1 (ints) when not given; see expt_d/expt_i. */
    double lr, reg, momentum, lr_decay;
    int epochs, batch, hidden, k, folds, train_size;
    bool no_search;        /* --no-search */
    const char *data;      /* --data SPEC, or NULL (Fashion-MNIST, as GRADLAB_DATA says) */
    unsigned accepted;     /* the EXPT_OPT_* flags of the lab's table */
} ExptArgs;

/* Parses argv against opts (NULL: no options beyond --out, --quick, --seed). Accepts
 * "--opt VALUE" and "--opt=VALUE". Returns 0 ok, 1 when --help or -h was given, -1 on
 * a bad option or value with one line (no newline) in err. Never prints or exits. */
int expt_parse(int argc, char **argv, const ExptOpt *opts, ExptArgs *a, char *err, size_t cap);
/* expt_parse for main(): --help prints `about` and the lab's options with their
 * defaults and exits 0; an error prints "PROG: LINE" and exits 2. Creates out_dir,
 * starts its index.md and installs the crash and "still running" notices. */
void expt_args(int argc, char **argv, const char *about, const ExptOpt *opts, ExptArgs *a);
/* given when it was given (not NaN), else dflt. */
double expt_d(double given, double dflt);
/* given when it was given (>= 0), else dflt. */
int expt_i(int given, int dflt);
/* Prints "values in use: ..." and records the line in index.md. */
void expt_values(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* want clamped to 0..have, with a note naming `what` when it was cut. */
int expt_clamp(const char *what, int want, int have);

/* Loads the data set --data names (Fashion-MNIST by default; see dataset.h for
 * where each is looked for), prints one line saying which copy it used (loudly
 * for the committed mini subset) and records it in index.md. Missing or damaged
 * data ends the program with the reason and where to put the files. */
void expt_load(const ExptArgs *a, ImageData *d);
/* Loads Fashion-MNIST alone (the data sets of older programs). */
void expt_load_fashion(Fashion *f);

/* "out_dir/name" in one of a few rotating static buffers (do not free). */
const char *expt_path(const ExptArgs *a, const char *name);
/* malloc() for experiment programs: a failure ends the program (status 1) with
 * a message naming the size; n = 0 is allowed. */
void *expt_xmalloc(size_t n);
/* Prints a section banner. */
void expt_section(const char *title);
/* Reports a plot_* or viz_* result: "  wrote PATH: what", or what to do when
 * gnuplot is missing (rc 1) or writing failed (rc -1, with err_last()). Moves a
 * plot's .gp/.dat/.log into plots/ beside it, and adds the figure to index.md. */
void expt_figure(int rc, const char *path, const char *what);

#endif
