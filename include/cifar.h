/*
 * cifar.h - reading CIFAR-10 binary batches.
 *
 * Each record is 1 label byte then 3072 pixel bytes: 1024 red, 1024 green,
 * 1024 blue, each a row-major 32x32 plane. Rows of the returned Mat keep that
 * order, scaled to [0, 1]. A file whose size is not a whole number of records,
 * or a label outside 0..9, is rejected: NULL/-1 and a reason in err_last().
 */
#ifndef GRADLAB_CIFAR_H
#define GRADLAB_CIFAR_H

#include "dataset.h"

#define CIFAR_RECORD_BYTES 3073
#define CIFAR_DIM 3072

/* Loads one batch file into *out (X (N, 3072), y (N)). 0 ok, -1 error. */
int cifar_load_batch(const char *path, Dataset *out);
/* Loads data_batch_1..5.bin as train and test_batch.bin as test from dir. */
int cifar_load_dir(const char *dir, Dataset *train, Dataset *test);
/* The CIFAR-10 class name for c in 0..9 ("?" otherwise). */
const char *cifar_class_name(int c);

#endif
