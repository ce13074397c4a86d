/*
 * expt.c - shared plumbing of the experiment programs (labs/NN-name/experiment.c).
 * Program-level code: it prints, and it ends the program on unusable input.
 */
#include "expt.h"
#include "err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
