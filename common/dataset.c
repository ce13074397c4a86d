/*
 * dataset.c - finding and loading Fashion-MNIST, and the row bookkeeping and
 * preprocessing (subsets, splits, mean image, bias column) the labs share.
 *
 * Loading failures come back as -1 with err_set(); passing impossible ranges
 * or shapes is a programming mistake and aborts with a message naming the
 * function, like mat.c does.
 */
#include "dataset.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cifar.h"
#include "err.h"
#include "idx.h"

/* ---- class names ---- */

static const char *const dataset_names[FASHION_CLASSES] = {
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
};
static const char *const dataset_slugs[FASHION_CLASSES] = {
    "tshirt", "trouser", "pullover", "dress", "coat",
    "sandal", "shirt", "sneaker", "bag", "ankle_boot",
};

const char *dataset_class_name(int c)
{
    return c >= 0 && c < FASHION_CLASSES ? dataset_names[c] : "?";
}

const char *dataset_class_slug(int c)
{
    return c >= 0 && c < FASHION_CLASSES ? dataset_slugs[c] : "?";
}

/* ---- ownership ---- */

void dataset_free(Dataset *d)
{
    if (!d) return;
    mat_free(d->X);
    free(d->y);
    d->X = NULL;
    d->y = NULL;
}

int dataset_size(const Dataset *d)
{
    return d && d->X ? d->X->rows : 0;
}

void dataset_fashion_free(Fashion *f)
{
    if (!f) return;
    dataset_free(&f->train);
    dataset_free(&f->test);
}

/* ---- finding and loading Fashion-MNIST ---- */

enum { DS_TRAIN_IMAGES, DS_TRAIN_LABELS, DS_TEST_IMAGES, DS_TEST_LABELS, DS_NFILES };

static const char *const dataset_files[DS_NFILES] = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
};

#define DS_MINI_NAME "fashion-mnist-mini"

/* Sets path to dir/name.gz, or dir/name when only the uncompressed file
 * exists. Returns 0 when one of them is a readable file, -1 otherwise. */
static int dataset_find_file(const char *dir, const char *name, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s.gz", dir, name);
    if (access(path, R_OK) == 0) return 0;
    snprintf(path, cap, "%s/%s", dir, name);
    return access(path, R_OK) == 0 ? 0 : -1;
}

/* True when dir holds all four files (gzipped or not). */
static int dataset_dir_complete(const char *dir)
{
    char path[2048];
    for (int i = 0; i < DS_NFILES; i++)
        if (dataset_find_file(dir, dataset_files[i], path, sizeof path) != 0) return 0;
    return 1;
}

/* Loads one half (images + labels) and checks that they belong together. */
static int dataset_load_half(const char *dir, int images, int labels, Dataset *out)
{
    char ipath[2048], lpath[2048];
    if (dataset_find_file(dir, dataset_files[images], ipath, sizeof ipath) != 0) {
        err_set("%s: missing %s(.gz)", dir, dataset_files[images]);
        return -1;
    }
    if (dataset_find_file(dir, dataset_files[labels], lpath, sizeof lpath) != 0) {
        err_set("%s: missing %s(.gz)", dir, dataset_files[labels]);
        return -1;
    }
    Mat *X = idx_load_images(ipath);
    if (!X) return -1;
    if (X->cols != FASHION_SIDE * FASHION_SIDE) {
        err_set("%s: images have %d pixels, expected %dx%d", ipath, X->cols, FASHION_SIDE,
                FASHION_SIDE);
        mat_free(X);
        return -1;
    }
    int n = 0;
    int *y = idx_load_labels(lpath, &n);
    if (!y) {
        mat_free(X);
        return -1;
    }
    if (n != X->rows) {
        err_set("%s: %d labels, but %s holds %d images", lpath, n, ipath, X->rows);
        goto fail;
    }
    for (int i = 0; i < n; i++) {
        if (y[i] >= FASHION_CLASSES) {
            err_set("%s: label %d at index %d is outside 0..%d", lpath, y[i], i,
                    FASHION_CLASSES - 1);
            goto fail;
        }
    }
    out->X = X;
    out->y = y;
    return 0;

fail:
    mat_free(X);
    free(y);
    return -1;
}

/* Loads both halves from dir into out (left empty on failure). */
static int dataset_load_from(Fashion *out, const char *dir)
{
    if (dataset_load_half(dir, DS_TRAIN_IMAGES, DS_TRAIN_LABELS, &out->train) != 0) return -1;
    if (dataset_load_half(dir, DS_TEST_IMAGES, DS_TEST_LABELS, &out->test) != 0) {
        dataset_free(&out->train);
        return -1;
    }
    snprintf(out->dir, sizeof out->dir, "%s", dir);
    return 0;
}

/* True when dir's last path component is the mini subset's name. */
static bool dataset_is_mini_dir(const char *dir)
{
    size_t n = strlen(dir);
    while (n > 1 && dir[n - 1] == '/') n--;
    size_t m = strlen(DS_MINI_NAME);
    return n >= m && strncmp(dir + n - m, DS_MINI_NAME, m) == 0 &&
           (n == m || dir[n - m - 1] == '/');
}

int dataset_load_fashion(Fashion *out, const char *dir)
{
    memset(out, 0, sizeof *out);
    if (dir) {
        if (!dataset_dir_complete(dir)) {
            /* Name the first missing file: the most useful thing to fix. */
            char path[2048];
            for (int i = 0; i < DS_NFILES; i++) {
                if (dataset_find_file(dir, dataset_files[i], path, sizeof path) != 0) {
                    err_set("%s: missing %s(.gz)", dir, dataset_files[i]);
                    break;
                }
            }
            return -1;
        }
        if (dataset_load_from(out, dir) != 0) return -1;
        out->mini = dataset_is_mini_dir(dir);
        return 0;
    }

    /* The repository root prefixes the data/ candidates, so programs run from
     * elsewhere can still find the committed files. */
    const char *root = getenv("GRADLAB_ROOT");
    if (!root || !*root) root = ".";
    /* GRADLAB_DATA is a deliberate choice: use it alone, so a typo in it fails
     * with a message instead of quietly loading some other copy. */
    const char *env = getenv("GRADLAB_DATA");
    if (env && *env) {
        if (dataset_load_fashion(out, env) == 0) return 0;
        char reason[1024];
        snprintf(reason, sizeof reason, "%s", err_last());
        err_set("GRADLAB_DATA=%s: %s", env, reason);
        return -1;
    }
    char cand[3][1024];
    int nc = 0;
    snprintf(cand[nc++], sizeof cand[0], "%s/data/fashion-mnist", root);
    snprintf(cand[nc++], sizeof cand[0], "%s", "/usr/share/datasets/fashion-mnist");
    int mini = nc;
    snprintf(cand[nc++], sizeof cand[0], "%s/data/" DS_MINI_NAME, root);

    for (int i = 0; i < nc; i++) {
        if (!dataset_dir_complete(cand[i])) continue;
        /* A damaged file in the winning directory is reported, not skipped:
         * silently falling back would hide the problem behind worse results. */
        if (dataset_load_from(out, cand[i]) != 0) return -1;
        out->mini = (i == mini);
        return 0;
    }
    char tried[4200];
    size_t len = 0;
    tried[0] = '\0';
    for (int i = 0; i < nc && len < sizeof tried; i++)
        len += (size_t)snprintf(tried + len, sizeof tried - len, "%s%s", i ? ", " : "", cand[i]);
    err_set("no directory holds the four Fashion-MNIST files %s.gz ... (tried %s)",
            dataset_files[DS_TRAIN_IMAGES], tried);
    return -1;
}

/* ---- data sets by name ---- */

static const char *const dataset_digit_names[10] = { "0", "1", "2", "3", "4", "5", "6", "7", "8", "9" };
static const char *const dataset_cifar_names[10] = {
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
};

int dataset_parse_spec(const char *spec, DatasetKind *kind, char *dir, size_t cap)
{
    static const struct {
        const char *name;
        DatasetKind kind;
    } names[] = {
        { "fashion", DATASET_FASHION }, { "fashion-mnist", DATASET_FASHION }, { "mnist", DATASET_MNIST },
        { "cifar10", DATASET_CIFAR10 }, { "cifar-10", DATASET_CIFAR10 },     { "cifar", DATASET_CIFAR10 },
    };
    if (!spec || !*spec) spec = "fashion";
    const char *colon = strchr(spec, ':');
    size_t n = colon ? (size_t)(colon - spec) : strlen(spec);
    int found = -1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strlen(names[i].name) == n && strncasecmp(names[i].name, spec, n) == 0) found = (int)i;
    if (found < 0) {
        err_set("unknown data set '%.*s' (choose fashion, mnist or cifar10, optionally NAME:DIR)", (int)n, spec);
        return -1;
    }
    if (colon && !colon[1]) {
        err_set("'%s': no directory after the ':' (e.g. cifar10:/path/to/cifar-10-batches-bin)", spec);
        return -1;
    }
    const char *d = colon ? colon + 1 : "";
    if (strlen(d) >= cap) {
        err_set("'%s': the directory name is too long", spec);
        return -1;
    }
    *kind = names[found].kind;
    snprintf(dir, cap, "%s", d);
    return 0;
}

/* True when dir holds the first CIFAR-10 training batch (the loader names any other missing file). */
static bool dataset_cifar_dir(const char *dir)
{
    char path[2048];
    if (snprintf(path, sizeof path, "%s/data_batch_1.bin", dir) >= (int)sizeof path) return false;
    return access(path, R_OK) == 0;
}

/* MNIST or CIFAR-10 from the first of the default places that has it. */
static int dataset_load_default(ImageData *out, const char *sub)
{
    const char *root = getenv("GRADLAB_ROOT");
    if (!root || !*root) root = ".";
    char cand[2][sizeof out->dir];
    snprintf(cand[0], sizeof cand[0], "%s/data/%s", root, sub);
    snprintf(cand[1], sizeof cand[1], "/usr/share/datasets/%s", sub);
    for (int i = 0; i < 2; i++) {
        if (out->kind == DATASET_CIFAR10) {
            if (!dataset_cifar_dir(cand[i])) continue;
            if (cifar_load_dir(cand[i], &out->train, &out->test) != 0) return -1;
        } else {
            if (!dataset_dir_complete(cand[i])) continue;
            Fashion f;
            if (dataset_load_fashion(&f, cand[i]) != 0) return -1;
            out->train = f.train;
            out->test = f.test;
        }
        memcpy(out->dir, cand[i], sizeof out->dir);
        return 0;
    }
    err_set("%s not found (tried %s and %s)", out->name, cand[0], cand[1]);
    return -1;
}

int dataset_load_named(ImageData *out, const char *spec)
{
    memset(out, 0, sizeof *out);
    char dir[1024];
    DatasetKind kind;
    if (dataset_parse_spec(spec, &kind, dir, sizeof dir) != 0) return -1;
    out->kind = kind;
    out->num_classes = 10;
    int rc;
    switch (kind) {
    case DATASET_FASHION: {
        out->name = "Fashion-MNIST";
        out->id = "fashion";
        out->classes = dataset_names;
        out->side = FASHION_SIDE;
        out->channels = 1;
        Fashion f;
        rc = dataset_load_fashion(&f, dir[0] ? dir : NULL);
        if (rc == 0) {
            out->train = f.train;
            out->test = f.test;
            out->mini = f.mini;
            snprintf(out->dir, sizeof out->dir, "%s", f.dir);
        }
        break;
    }
    case DATASET_MNIST:
        out->name = "MNIST";
        out->id = "mnist";
        out->classes = dataset_digit_names;
        out->side = 28;
        out->channels = 1;
        if (dir[0]) {
            Fashion f;
            rc = dataset_load_fashion(&f, dir);
            if (rc == 0) {
                out->train = f.train;
                out->test = f.test;
                snprintf(out->dir, sizeof out->dir, "%s", dir);
            }
        } else {
            rc = dataset_load_default(out, "mnist");
        }
        break;
    case DATASET_CIFAR10:
    default:
        out->name = "CIFAR-10";
        out->id = "cifar10";
        out->classes = dataset_cifar_names;
        out->side = 32;
        out->channels = 3;
        if (dir[0]) {
            rc = cifar_load_dir(dir, &out->train, &out->test);
            if (rc == 0) snprintf(out->dir, sizeof out->dir, "%s", dir);
        } else {
            rc = dataset_load_default(out, "cifar-10-batches-bin");
        }
        break;
    }
    if (rc != 0) {
        dataset_free(&out->train);
        dataset_free(&out->test);
        return -1;
    }
    return 0;
}

void dataset_named_free(ImageData *d)
{
    if (!d) return;
    dataset_free(&d->train);
    dataset_free(&d->test);
}

/* ---- subsets ---- */

/* Impossible ranges are programming mistakes: say which and stop, as mat.c does. */
static _Noreturn void dataset_die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static _Noreturn void dataset_die(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    fflush(stderr);
    abort();
}

static void dataset_expect(const char *fn, const Dataset *d)
{
    mat_expect_nonnull(fn, "src", d);
    mat_expect_shape(fn, "src->X", d->X, -1, -1);
    mat_expect_nonnull(fn, "src->y", d->y);
}

void dataset_gather(const Dataset *src, const int *idx, int n, Dataset *out)
{
    dataset_expect("dataset_gather", src);
    mat_expect_nonnull("dataset_gather", "out", out);
    if (n < 0) dataset_die("dataset_gather: n is %d, expected n >= 0", n);
    if (n > 0) mat_expect_nonnull("dataset_gather", "idx", idx);
    int N = src->X->rows, D = src->X->cols;
    for (int i = 0; i < n; i++)
        if (idx[i] < 0 || idx[i] >= N)
            dataset_die("dataset_gather: idx[%d] is %d, outside the %d rows of src", i, idx[i], N);
    /* Build into locals first so out may be the same struct as src. */
    Mat *X = mat_new(n, D);
    int *y = malloc((n ? (size_t)n : 1) * sizeof *y);
    mat_expect_nonnull("dataset_gather", "label memory", y);
    for (int i = 0; i < n; i++) {
        memcpy(X->data + (size_t)i * D, src->X->data + (size_t)idx[i] * D, (size_t)D * sizeof(double));
        y[i] = src->y[idx[i]];
    }
    out->X = X;
    out->y = y;
}

void dataset_take(const Dataset *src, int start, int n, Dataset *out)
{
    dataset_expect("dataset_take", src);
    int N = src->X->rows;
    if (start < 0 || n < 0 || start > N - n)
        dataset_die("dataset_take: rows [%d, %d+%d) are outside the %d rows of src", start, start,
                    n, N);
    int *idx = malloc((n ? (size_t)n : 1) * sizeof *idx);
    mat_expect_nonnull("dataset_take", "index memory", idx);
    for (int i = 0; i < n; i++) idx[i] = start + i;
    dataset_gather(src, idx, n, out);
    free(idx);
}

/* A shuffled permutation of 0..n-1 (the caller frees it). */
static int *dataset_perm(const char *fn, int n, Rng *rng)
{
    mat_expect_nonnull(fn, "rng", rng);
    int *p = malloc((n ? (size_t)n : 1) * sizeof *p);
    mat_expect_nonnull(fn, "permutation memory", p);
    for (int i = 0; i < n; i++) p[i] = i;
    rng_shuffle(rng, p, n);
    return p;
}

void dataset_subsample(const Dataset *src, int n, Rng *rng, Dataset *out)
{
    dataset_expect("dataset_subsample", src);
    int N = src->X->rows;
    if (n < 0 || n > N)
        dataset_die("dataset_subsample: cannot draw n = %d rows from %d (without replacement)", n,
                    N);
    int *p = dataset_perm("dataset_subsample", N, rng);
    dataset_gather(src, p, n, out);
    free(p);
}

void dataset_split(const Dataset *src, int n_first, Rng *rng, Dataset *first, Dataset *rest)
{
    dataset_expect("dataset_split", src);
    mat_expect_nonnull("dataset_split", "first", first);
    mat_expect_nonnull("dataset_split", "rest", rest);
    int N = src->X->rows;
    if (n_first < 0 || n_first > N)
        dataset_die("dataset_split: n_first is %d, expected 0..%d (the rows of src)", n_first, N);
    int *p = dataset_perm("dataset_split", N, rng);
    /* Gather into locals: first or rest may be src itself. */
    Dataset a, b;
    dataset_gather(src, p, n_first, &a);
    dataset_gather(src, p + n_first, N - n_first, &b);
    free(p);
    *first = a;
    *rest = b;
}

/* ---- preprocessing ---- */

Mat *dataset_mean_image(const Mat *X)
{
    mat_expect_shape("dataset_mean_image", "X", X, -1, -1);
    int N = X->rows, D = X->cols;
    Mat *mean = mat_new(1, D);
    if (N == 0) return mean;   /* no rows: a zero mean rather than 0/0 */
    /* Row by row so memory is walked in order. */
    for (int i = 0; i < N; i++) {
        const double *row = X->data + (size_t)i * D;
        for (int j = 0; j < D; j++) mean->data[j] += row[j];
    }
    for (int j = 0; j < D; j++) mean->data[j] /= N;
    return mean;
}

void dataset_subtract_mean(Mat *X, const Mat *mean)
{
    mat_expect_shape("dataset_subtract_mean", "X", X, -1, -1);
    mat_expect_shape("dataset_subtract_mean", "mean", mean, 1, X->cols);
    int N = X->rows, D = X->cols;
    for (int i = 0; i < N; i++) {
        double *row = X->data + (size_t)i * D;
        for (int j = 0; j < D; j++) row[j] -= mean->data[j];
    }
}

Mat *dataset_append_bias(const Mat *X)
{
    mat_expect_shape("dataset_append_bias", "X", X, -1, -1);
    int N = X->rows, D = X->cols;
    Mat *out = mat_new(N, D + 1);
    for (int i = 0; i < N; i++) {
        memcpy(out->data + (size_t)i * (D + 1), X->data + (size_t)i * D, (size_t)D * sizeof(double));
        out->data[(size_t)i * (D + 1) + D] = 1.0;
    }
    return out;
}
