/*
 * fuzz_cifar.c - libFuzzer target for the CIFAR-10 batch reader.
 * Same approach as fuzz_idx.c: the input becomes an in-memory file.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "cifar.h"
#include "err.h"
#include "memfile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char path[64];
    int fd = memfile_open(data, size, path, sizeof path);
    if (fd < 0) return 0;
    Dataset d = { 0 };
    if (cifar_load_batch(path, &d) == 0) {
        int n = dataset_size(&d);
        if (n * (size_t)CIFAR_RECORD_BYTES != size || d.X->cols != CIFAR_DIM) abort();
        for (int i = 0; i < n; i++)
            if (d.y[i] < 0 || d.y[i] > 9) abort();
        dataset_free(&d);
    } else if (err_last()[0] == '\0') {
        abort();
    }
    close(fd);
    return 0;
}
