/*
 * idx.h - reading and writing IDX files, the format of MNIST and Fashion-MNIST.
 *
 * An IDX file is a 4-byte magic (0, 0, type, ndim), ndim big-endian 32-bit
 * dimensions, then the data. gradlab reads unsigned-byte files (type 0x08),
 * either raw or gzip-compressed (detected from the content, not the name).
 *
 * Errors: every function returns NULL (or -1) on failure and records one line
 * with err_set() naming the file and what was wrong (missing, wrong magic,
 * truncated, corrupt gzip, trailing bytes, size mismatch). Nothing here prints
 * or exits, and no short or corrupt file is ever returned as data.
 */
#ifndef GRADLAB_IDX_H
#define GRADLAB_IDX_H

#include <stddef.h>
#include "mat.h"

typedef struct {
    int ndim;              /* 1..4 */
    int dims[4];           /* dims[0] is the item count */
    unsigned char *data;   /* product of dims bytes, row-major */
    size_t size;           /* number of bytes in data */
} IdxArray;

/* Reads an unsigned-byte IDX file, raw or gzip. Free with idx_free. */
IdxArray *idx_read(const char *path);
/* Frees a; NULL is a no-op. */
void idx_free(IdxArray *a);
/* Writes a as IDX, gzip-compressed when gz is non-zero. 0 on success, -1 on error. */
int idx_write(const char *path, const IdxArray *a, int gz);

/* Images file (ndim 3: N x rows x cols) as an (N, rows*cols) Mat scaled to [0, 1]. */
Mat *idx_load_images(const char *path);
/* Labels file (ndim 1) as a malloc'ed int array of *n labels (free() it). */
int *idx_load_labels(const char *path, int *n);

#endif
