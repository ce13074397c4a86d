/*
 * fuzz_idx.c - libFuzzer target for the IDX reader (raw and gzip).
 * The reader takes a path, so each input is written to an in-memory file and
 * read back through /proc/self/fd. Success must give a consistent array;
 * failure must give NULL and a reason. ASan/UBSan catch everything else.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "err.h"
#include "memfile.h"
#include "idx.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = memfile_open(data, size, path, sizeof path);
    if (fd < 0) return 0;
    IdxArray *a = idx_read(path);
    if (a) {
        size_t n = 1;
        for (int i = 0; i < a->ndim; i++) n *= (size_t)a->dims[i];
        if (n != a->size || a->ndim < 1 || a->ndim > 4) abort();   /* an inconsistent success is a bug */
        volatile unsigned sum = 0;
        for (size_t i = 0; i < a->size; i++) sum += a->data[i];   /* every byte must be readable */
        (void)sum;
        idx_free(a);
    } else if (err_last()[0] == '\0') {
        abort();   /* a failure must say why */
    }
    Mat *m = idx_load_images(path);
    mat_free(m);
    int nl = 0;
    free(idx_load_labels(path, &nl));
    close(fd);
    return 0;
}
