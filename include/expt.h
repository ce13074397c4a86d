/*
 * expt.h - what every lab's experiment program shares: its command line,
 * loading the data with a clear message, and saying which figures it wrote.
 *
 * These are program-level helpers: unlike the rest of common/, they print, and
 * expt_load_fashion() ends the program (status 1) with a reason and a hint when
 * the data cannot be read, as expt_xmalloc() does when memory runs out.
 */
#ifndef GRADLAB_EXPT_H
#define GRADLAB_EXPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "dataset.h"

typedef struct {
    const char *out_dir;   /* --out DIR: where figures go (default "out") */
    bool quick;            /* --quick: small sizes, seconds not minutes (tests, CI) */
    uint64_t seed;         /* --seed N (default 1) */
} ExptArgs;

/* Parses --out DIR, --quick, --seed N and --help (which prints `about` and exits 0).
 * An unknown option prints the usage and exits 2. Creates out_dir. */
void expt_args(int argc, char **argv, const char *about, ExptArgs *a);
/* Loads Fashion-MNIST (see dataset.h for where it looks) and prints one line
 * saying which copy it used, loudly when it is the mini subset. */
void expt_load_fashion(Fashion *f);
/* "out_dir/name" in one of a few rotating static buffers (do not free). */
const char *expt_path(const ExptArgs *a, const char *name);
/* malloc() for experiment programs: a failure ends the program (status 1) with
 * a message naming the size; n = 0 is allowed. */
void *expt_xmalloc(size_t n);
/* Prints a section banner. */
void expt_section(const char *title);
/* Reports a plot_* or viz_* result: "  wrote PATH: what", or what to do when
 * gnuplot is missing (rc 1) or writing failed (rc -1, with err_last()). */
void expt_figure(int rc, const char *path, const char *what);

#endif
