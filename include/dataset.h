/*
 * dataset.h - labelled image sets and the preprocessing every lab uses.
 *
 * A Dataset owns X (N, D), one flattened image per row with pixels in [0, 1],
 * and y (N) labels in [0, 10). dataset_free() frees both (the struct itself is
 * the caller's, usually on the stack).
 *
 * Fashion-MNIST: when $GRADLAB_DATA is set, that directory alone is used (and
 * a missing file there is an error). Otherwise the first directory holding all
 * four files wins: data/fashion-mnist/, /usr/share/datasets/fashion-mnist/
 * (Debian's dataset-fashion-mnist), and finally the committed mini subset
 * data/fashion-mnist-mini/. $GRADLAB_ROOT, when set, is the repository root the
 * data/ paths are relative to. Loaders return -1
 * with a reason in err_last() and never print or exit.
 *
 * Other data sets by name (dataset_load_named): "fashion" (as above), "mnist"
 * (the same four IDX file names, 28x28 digits) looked for in data/mnist/ then
 * /usr/share/datasets/mnist/, and "cifar10" (the binary version's
 * data_batch_1..5.bin and test_batch.bin, 32x32 colour) looked for in
 * data/cifar-10-batches-bin/ then /usr/share/datasets/cifar-10-batches-bin/.
 * "NAME:DIR" reads that directory alone.
 */
#ifndef GRADLAB_DATASET_H
#define GRADLAB_DATASET_H

#include <stdbool.h>
#include "mat.h"
#include "rng.h"

typedef struct {
    Mat *X;   /* (N, D) */
    int *y;   /* (N) */
} Dataset;

typedef struct {
    Dataset train, test;
    char dir[1024];   /* the directory the files were read from */
    bool mini;        /* true when the committed mini subset was used */
} Fashion;

#define FASHION_CLASSES 10
#define FASHION_SIDE 28
/* The most classes any named data set has (all three have 10). */
#define DATASET_MAX_CLASSES 10

typedef enum { DATASET_FASHION, DATASET_MNIST, DATASET_CIFAR10 } DatasetKind;

/* A named data set with what figures need to draw it. Free with dataset_named_free(). */
typedef struct {
    Dataset train, test;
    DatasetKind kind;
    const char *name;             /* "Fashion-MNIST", "MNIST", "CIFAR-10" (static) */
    const char *id;               /* "fashion", "mnist", "cifar10": what --data takes (static) */
    const char *const *classes;   /* (num_classes) display names, static: do not free */
    int num_classes;              /* 10 */
    int side, channels;           /* image side and channels: 28, 1 or 32, 3 (planar RGB) */
    char dir[1024];               /* the directory the files were read from */
    bool mini;                    /* true when the committed Fashion-MNIST subset was used */
} ImageData;

/* Frees d->X and d->y and sets them to NULL; NULL d is a no-op. */
void dataset_free(Dataset *d);
/* Number of rows (0 for an empty dataset). */
int dataset_size(const Dataset *d);

/* Loads Fashion-MNIST train and test from the first directory that has it
 * (see above), or from `dir` alone when dir is not NULL. 0 ok, -1 error. */
int dataset_load_fashion(Fashion *out, const char *dir);
/* Frees both halves. */
void dataset_fashion_free(Fashion *f);
/* Parses "fashion", "mnist" or "cifar10" (also "fashion-mnist", "cifar-10", "cifar"),
 * optionally followed by ":DIR". dir receives DIR or "". 0 ok, -1 with a reason. */
int dataset_parse_spec(const char *spec, DatasetKind *kind, char *dir, size_t cap);
/* Loads the data set spec names (NULL means "fashion"): from DIR alone when the
 * spec has one, else from the places listed above. 0 ok, -1 error (out left empty). */
int dataset_load_named(ImageData *out, const char *spec);
/* Frees both halves; NULL is a no-op. */
void dataset_named_free(ImageData *d);

/* "T-shirt/top", "Trouser", ... for c in 0..9; "?" otherwise. */
const char *dataset_class_name(int c);
/* A short file-name-friendly form: "tshirt", "trouser", ... "ankle_boot". */
const char *dataset_class_slug(int c);

/* out = rows [start, start+n) of src, copied. */
void dataset_take(const Dataset *src, int start, int n, Dataset *out);
/* out = the rows of src listed in idx[0..n), copied, in that order. */
void dataset_gather(const Dataset *src, const int *idx, int n, Dataset *out);
/* out = n rows drawn without replacement with rng (order shuffled). */
void dataset_subsample(const Dataset *src, int n, Rng *rng, Dataset *out);
/* Shuffles src with rng, then splits it: the first n_first rows to `first`,
 * the rest to `rest` (e.g. a validation split carved from train). */
void dataset_split(const Dataset *src, int n_first, Rng *rng, Dataset *first, Dataset *rest);

/* The mean image: a new (1, D) Mat. */
Mat *dataset_mean_image(const Mat *X);
/* Subtracts the (1, D) mean from every row of X, in place. */
void dataset_subtract_mean(Mat *X, const Mat *mean);
/* A new (N, D+1) Mat: X with a last column of ones (the bias trick). */
Mat *dataset_append_bias(const Mat *X);

#endif
