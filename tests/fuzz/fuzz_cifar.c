/*
 * fuzz_cifar.c - libFuzzer target for the CIFAR-10 batch reader.
 * Same approach as fuzz_idx.c: the input becomes an in-memory file.
 */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cifar.h"
#include "err.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("cifar", 0);
    if (fd < 0) return 0;
    if (size && write(fd, data, size) != (ssize_t)size) {
        close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
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
