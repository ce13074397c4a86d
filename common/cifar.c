/*
 * cifar.c - reading CIFAR-10 binary batches (1 label byte + 3072 pixel bytes
 * per record, no header).
 *
 * With no header to check, the file size is the only guard against a damaged
 * file: it must be a whole, non-zero number of records, and every label byte
 * must be a class index 0..9.
 */
#include "cifar.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "err.h"

#define CIFAR_CLASSES 10
#define CIFAR_TRAIN_BATCHES 5

static const char *const cifar_names[CIFAR_CLASSES] = {
    "airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck",
};

const char *cifar_class_name(int c)
{
    return c >= 0 && c < CIFAR_CLASSES ? cifar_names[c] : "?";
}

int cifar_load_batch(const char *path, Dataset *out)
{
    out->X = NULL;
    out->y = NULL;
    FILE *f = fopen(path, "rb");
    if (!f) {
        err_set("%s: cannot open: %s", path, strerror(errno));
        return -1;
    }
    struct stat st;
    if (fstat(fileno(f), &st) != 0) {
        err_set("%s: cannot stat: %s", path, strerror(errno));
        fclose(f);
        return -1;
    }
    if (st.st_size == 0) {
        err_set("%s: empty file (a CIFAR-10 batch holds %d-byte records)", path,
                CIFAR_RECORD_BYTES);
        fclose(f);
        return -1;
    }
    if (st.st_size % CIFAR_RECORD_BYTES != 0) {
        err_set("%s: size %lld is not a whole number of %d-byte records (truncated or not a "
                "CIFAR-10 batch)", path, (long long)st.st_size, CIFAR_RECORD_BYTES);
        fclose(f);
        return -1;
    }
    long long n = st.st_size / CIFAR_RECORD_BYTES;
    if (n > INT_MAX / CIFAR_DIM) {
        err_set("%s: absurd size %lld bytes for a CIFAR-10 batch", path, (long long)st.st_size);
        fclose(f);
        return -1;
    }
    size_t bytes = (size_t)st.st_size;
    unsigned char *buf = malloc(bytes);
    if (!buf) {
        err_set("%s: out of memory for %zu bytes", path, bytes);
        fclose(f);
        return -1;
    }
    size_t got = fread(buf, 1, bytes, f);
    fclose(f);
    if (got != bytes) {
        err_set("%s: short read: %zu of %zu bytes", path, got, bytes);
        free(buf);
        return -1;
    }
    for (long long i = 0; i < n; i++) {
        int label = buf[i * CIFAR_RECORD_BYTES];
        if (label >= CIFAR_CLASSES) {
            err_set("%s: record %lld has label %d (expected 0..9)", path, i, label);
            free(buf);
            return -1;
        }
    }
    int *y = malloc((size_t)n * sizeof *y);
    if (!y) {
        err_set("%s: out of memory for %lld labels", path, n);
        free(buf);
        return -1;
    }
    double scale[256];
    for (int v = 0; v < 256; v++) scale[v] = v / 255.0;
    Mat *X = mat_new((int)n, CIFAR_DIM);
    for (long long i = 0; i < n; i++) {
        const unsigned char *rec = buf + i * CIFAR_RECORD_BYTES;
        double *row = X->data + i * CIFAR_DIM;
        y[i] = rec[0];
        for (int j = 0; j < CIFAR_DIM; j++) row[j] = scale[rec[1 + j]];
    }
    free(buf);
    out->X = X;
    out->y = y;
    return 0;
}

int cifar_load_dir(const char *dir, Dataset *train, Dataset *test)
{
    char path[4096];
    Dataset parts[CIFAR_TRAIN_BATCHES] = { { NULL, NULL } };
    train->X = test->X = NULL;
    train->y = test->y = NULL;
    int total = 0;
    for (int b = 0; b < CIFAR_TRAIN_BATCHES; b++) {
        snprintf(path, sizeof path, "%s/data_batch_%d.bin", dir, b + 1);
        if (cifar_load_batch(path, &parts[b]) != 0) goto fail;
        total += dataset_size(&parts[b]);
    }
    snprintf(path, sizeof path, "%s/test_batch.bin", dir);
    if (cifar_load_batch(path, test) != 0) goto fail;

    /* One allocation for the whole training set, each batch freed once copied,
     * keeps the peak memory near one extra batch. */
    int *y = malloc((size_t)total * sizeof *y);
    if (!y) {
        err_set("%s: out of memory for %d labels", dir, total);
        dataset_free(test);
        goto fail;
    }
    Mat *X = mat_new(total, CIFAR_DIM);
    int row = 0;
    for (int b = 0; b < CIFAR_TRAIN_BATCHES; b++) {
        int n = dataset_size(&parts[b]);
        memcpy(X->data + (size_t)row * CIFAR_DIM, parts[b].X->data,
               (size_t)n * CIFAR_DIM * sizeof(double));
        memcpy(y + row, parts[b].y, (size_t)n * sizeof *y);
        row += n;
        dataset_free(&parts[b]);
    }
    train->X = X;
    train->y = y;
    return 0;

fail:
    for (int b = 0; b < CIFAR_TRAIN_BATCHES; b++) dataset_free(&parts[b]);
    return -1;
}
