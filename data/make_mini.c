/*
 * make_mini.c - writes the small committed subset of Fashion-MNIST.
 *
 *   make_mini SRC_DIR OUT_DIR      (run by `make mini-data`)
 *
 * From each half it keeps the first images of every class, in file order:
 * 300 per class from train (3,000) and 100 per class from test (1,000). Taking
 * "the first k of each class" needs no random numbers, so the subset is the
 * same on every machine, and it stays balanced so per-class numbers from the
 * labs mean something even on the subset. Output: the four standard file
 * names, gzip-compressed IDX, in OUT_DIR (created if missing).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"
#include "idx.h"

#define MINI_CLASSES 10
#define MINI_TRAIN_PER_CLASS 300
#define MINI_TEST_PER_CLASS 100

/* src/name.gz, or src/name when only the uncompressed file exists. */
static void mini_source_path(char *path, size_t cap, const char *dir, const char *name)
{
    struct stat st;
    snprintf(path, cap, "%s/%s.gz", dir, name);
    if (stat(path, &st) == 0) return;
    snprintf(path, cap, "%s/%s", dir, name);
}

static IdxArray *mini_read(const char *path, int ndim)
{
    IdxArray *a = idx_read(path);
    if (!a) {
        fprintf(stderr, "make_mini: %s\n", err_last());
        return NULL;
    }
    if (a->ndim != ndim) {
        fprintf(stderr, "make_mini: %s: expected %d dimensions, found %d\n", path, ndim, a->ndim);
        idx_free(a);
        return NULL;
    }
    return a;
}

static int mini_write(const char *dir, const char *name, const IdxArray *a)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s.gz", dir, name);
    if (idx_write(path, a, 1) != 0) {
        fprintf(stderr, "make_mini: %s\n", err_last());
        return -1;
    }
    struct stat st;
    long long bytes = stat(path, &st) == 0 ? (long long)st.st_size : -1;
    printf("  %-40s %6d items  %9lld bytes\n", path, a->dims[0], bytes);
    return 0;
}

/* Selects the first per_class items of each class from one half and writes
 * them to out_dir. Returns 0, or -1 after printing why. */
static int mini_half(const char *src, const char *out, const char *images_name,
                     const char *labels_name, int per_class)
{
    char ipath[2048], lpath[2048];
    mini_source_path(ipath, sizeof ipath, src, images_name);
    mini_source_path(lpath, sizeof lpath, src, labels_name);
    IdxArray *images = mini_read(ipath, 3);
    IdxArray *labels = images ? mini_read(lpath, 1) : NULL;
    int rc = -1;
    IdxArray sub_i = { 0 }, sub_l = { 0 };
    if (!labels) goto done;
    int n = labels->dims[0];
    if (images->dims[0] != n) {
        fprintf(stderr, "make_mini: %s has %d images but %s has %d labels\n", ipath,
                images->dims[0], lpath, n);
        goto done;
    }
    size_t pix = (size_t)images->dims[1] * images->dims[2];
    int want = per_class * MINI_CLASSES;
    sub_i = (IdxArray){ 3, { want, images->dims[1], images->dims[2], 0 },
                        malloc((size_t)want * pix), (size_t)want * pix };
    sub_l = (IdxArray){ 1, { want, 0, 0, 0 }, malloc((size_t)want), (size_t)want };
    if (!sub_i.data || !sub_l.data) {
        fprintf(stderr, "make_mini: out of memory\n");
        goto done;
    }
    int count[MINI_CLASSES] = { 0 }, kept = 0;
    for (int i = 0; i < n && kept < want; i++) {
        int c = labels->data[i];
        if (c >= MINI_CLASSES) {
            fprintf(stderr, "make_mini: %s: label %d at index %d is outside 0..9\n", lpath, c, i);
            goto done;
        }
        if (count[c] == per_class) continue;
        count[c]++;
        memcpy(sub_i.data + (size_t)kept * pix, images->data + (size_t)i * pix, pix);
        sub_l.data[kept++] = (unsigned char)c;
    }
    if (kept < want) {
        fprintf(stderr, "make_mini: %s: fewer than %d items in some class\n", lpath, per_class);
        goto done;
    }
    if (mini_write(out, images_name, &sub_i) == 0 && mini_write(out, labels_name, &sub_l) == 0)
        rc = 0;

done:
    free(sub_i.data);
    free(sub_l.data);
    idx_free(images);
    idx_free(labels);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s SRC_DIR OUT_DIR\n"
                        "  writes %d train and %d test images per class from the Fashion-MNIST "
                        "files in SRC_DIR to OUT_DIR\n",
                argv[0], MINI_TRAIN_PER_CLASS, MINI_TEST_PER_CLASS);
        return 2;
    }
    const char *src = argv[1], *out = argv[2];
    if (mkdir(out, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "make_mini: cannot create %s: %s\n", out, strerror(errno));
        return 1;
    }
    printf("make_mini: %s -> %s\n", src, out);
    if (mini_half(src, out, "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                  MINI_TRAIN_PER_CLASS) != 0 ||
        mini_half(src, out, "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
                  MINI_TEST_PER_CLASS) != 0)
        return 1;
    return 0;
}
