/*
 * test_cifar.c - cifar.c: small CIFAR-10 batch files written into a scratch
 * directory (testutil.h), read back record by record, and the damaged ones
 * rejected with a reason naming the file.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cifar.h"
#include "err.h"
#include "suites.h"
#include "testutil.h"

/* The pixel byte record r holds at position j: distinct across records and
 * channels so a shifted or mixed-up record is noticed. */
static unsigned char pixel(int r, int j)
{
    return (unsigned char)((j * 13 + r * 101 + j / 1024 * 7) % 256);
}

/* Writes n records with labels[i] and pattern records first..first+n-1, then
 * `extra` more bytes (a partial record). */
static void write_batch(const char *path, const int *labels, int first, int n, int extra)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    for (int i = 0; i < n; i++) {
        fputc(labels[i], f);
        for (int j = 0; j < CIFAR_DIM; j++) fputc(pixel(first + i, j), f);
    }
    for (int k = 0; k < extra; k++) fputc(7, f);
    fclose(f);
}

/* Asserts that d holds records first..first+n-1 with the given labels. */
static void expect_records(const Dataset *d, const int *labels, int first, int n)
{
    ck_assert_int_eq(dataset_size(d), n);
    ck_assert_int_eq(d->X->cols, CIFAR_DIM);
    for (int i = 0; i < n; i++) {
        ck_assert_int_eq(d->y[i], labels[i]);
        for (int j = 0; j < CIFAR_DIM; j++)
            ck_assert_msg(MAT_AT(d->X, i, j) == pixel(first + i, j) / 255.0,
                          "row %d col %d: %g, expected %d/255", i, j, MAT_AT(d->X, i, j),
                          pixel(first + i, j));
    }
}

static void expect_error(const char *path, const char *what)
{
    const char *msg = err_last();
    ck_assert_msg(strstr(msg, path) != NULL, "reason \"%s\" does not name %s", msg, path);
    ck_assert_msg(strstr(msg, what) != NULL, "reason \"%s\" does not say \"%s\"", msg, what);
}

/* Asserts that cifar_load_batch(path, d) fails with a reason naming path and
 * saying `what`. */
static void expect_batch_fails(const char *path, Dataset *d, const char *what)
{
    ck_assert_int_eq(cifar_load_batch(path, d), -1);
    expect_error(path, what);
}

/* The path of training batch b (1..5) in the test directory. */
static const char *batch_path(int b)
{
    char name[32];
    snprintf(name, sizeof name, "data_batch_%d.bin", b);
    return tu_path(name);
}

/* A directory of one-record batches: data_batch_1..5 with label 0, leaving out
 * batch `skip` (0: none), and a test batch whose record has test_label. */
static void write_one_record_dir(int skip, int test_label)
{
    const int labels[1] = { 0 }, tl[1] = { test_label };
    for (int b = 1; b <= 5; b++)
        if (b != skip) write_batch(batch_path(b), labels, 0, 1, 0);
    write_batch(tu_path("test_batch.bin"), tl, 0, 1, 0);
}

/* Asserts that cifar_load_dir fails with a reason naming `file` and saying
 * `what`, and leaves neither set behind. */
static void expect_load_dir_fails(const char *file, const char *what)
{
    Dataset train, test;
    ck_assert_int_eq(cifar_load_dir(tu_dir(), &train, &test), -1);
    expect_error(file, what);
    ck_assert_ptr_null(train.X);
    ck_assert_ptr_null(test.X);
}

/* ---- core ---- */

START_TEST(test_three_record_roundtrip)
{
    const int labels[3] = { 9, 0, 4 };
    const char *p = tu_path("b.bin");
    write_batch(p, labels, 0, 3, 0);
    Dataset d;
    ck_assert_msg(cifar_load_batch(p, &d) == 0, "%s", err_last());
    expect_records(&d, labels, 0, 3);
    /* Channel planes stay in file order: red 0..1023, green, then blue. */
    ck_assert_double_eq(MAT_AT(d.X, 1, 1024), pixel(1, 1024) / 255.0);
    dataset_free(&d);
    ck_assert_ptr_null(d.X);
    ck_assert_ptr_null(d.y);
}
END_TEST

START_TEST(test_load_dir_concatenates)
{
    /* Five training batches of 1..5 records and a test batch of 2: train
     * keeps the batches in order 1..5. */
    int labels[15], first = 0;
    for (int i = 0; i < 15; i++) labels[i] = i % 10;
    for (int b = 1; b <= 5; b++) {
        write_batch(batch_path(b), labels + first, first, b, 0);
        first += b;
    }
    const int tl[2] = { 3, 8 };
    write_batch(tu_path("test_batch.bin"), tl, 100, 2, 0);
    Dataset train, test;
    ck_assert_msg(cifar_load_dir(tu_dir(), &train, &test) == 0, "%s", err_last());
    expect_records(&train, labels, 0, 15);
    expect_records(&test, tl, 100, 2);
    dataset_free(&train);
    dataset_free(&test);
}
END_TEST

/* dataset_load_named("cifar10:DIR"): the same files, with CIFAR-10's names and shape. */
START_TEST(test_load_named)
{
    int labels[5] = { 0, 1, 9, 4, 2 };
    for (int b = 1; b <= 5; b++) write_batch(batch_path(b), labels + b - 1, b, 1, 0);
    write_batch(tu_path("test_batch.bin"), labels, 50, 2, 0);
    char spec[1100];
    snprintf(spec, sizeof spec, "cifar10:%s", tu_dir());
    ImageData d;
    ck_assert_msg(dataset_load_named(&d, spec) == 0, "%s", err_last());
    ck_assert_int_eq(dataset_size(&d.train), 5);
    ck_assert_int_eq(dataset_size(&d.test), 2);
    ck_assert_int_eq(d.side, 32);
    ck_assert_int_eq(d.channels, 3);
    ck_assert_int_eq(d.side * d.side * d.channels, d.train.X->cols);
    ck_assert_int_eq(d.num_classes, 10);
    ck_assert_str_eq(d.name, "CIFAR-10");
    ck_assert_str_eq(d.classes[0], "airplane");
    ck_assert_str_eq(d.classes[9], "truck");
    ck_assert_str_eq(d.dir, tu_dir());
    expect_records(&d.train, labels, 1, 5);
    dataset_named_free(&d);
    ck_assert(d.train.X == NULL && d.test.X == NULL);
    /* A folder without the files: -1, the file named, nothing left allocated. */
    snprintf(spec, sizeof spec, "cifar10:%s/nowhere", tu_dir());
    ck_assert_int_eq(dataset_load_named(&d, spec), -1);
    ck_assert_msg(strstr(err_last(), "nowhere/data_batch_1.bin") != NULL, "%s", err_last());
    ck_assert(d.train.X == NULL && d.test.X == NULL);
}
END_TEST

START_TEST(test_class_names)
{
    ck_assert_str_eq(cifar_class_name(0), "airplane");
    ck_assert_str_eq(cifar_class_name(1), "automobile");
    ck_assert_str_eq(cifar_class_name(3), "cat");
    ck_assert_str_eq(cifar_class_name(9), "truck");
    ck_assert_str_eq(cifar_class_name(10), "?");
    ck_assert_str_eq(cifar_class_name(-1), "?");
}
END_TEST

/* ---- limits ---- */

START_TEST(test_truncated_batch)
{
    const int labels[3] = { 1, 2, 3 };
    const char *p = tu_path("short.bin");
    write_batch(p, labels, 0, 2, CIFAR_RECORD_BYTES - 1);   /* 3 records minus 1 byte */
    Dataset d = { (Mat *)1, (int *)1 };
    expect_batch_fails(p, &d, "not a whole number of 3073-byte records");
    ck_assert_ptr_null(d.X);
    ck_assert_ptr_null(d.y);
}
END_TEST

START_TEST(test_empty_batch)
{
    const char *p = tu_path("empty.bin");
    write_batch(p, NULL, 0, 0, 0);
    Dataset d;
    expect_batch_fails(p, &d, "empty file");
}
END_TEST

START_TEST(test_bad_label)
{
    const int labels[3] = { 2, 10, 5 };
    const char *p = tu_path("label.bin");
    write_batch(p, labels, 0, 3, 0);
    Dataset d;
    expect_batch_fails(p, &d, "record 1 has label 10");
}
END_TEST

START_TEST(test_missing_batch)
{
    Dataset d;
    expect_batch_fails(tu_path("nope.bin"), &d, "cannot open");
}
END_TEST

START_TEST(test_load_dir_missing_batch)
{
    write_one_record_dir(3, 0);
    expect_load_dir_fails("data_batch_3.bin", "cannot open");
}
END_TEST

START_TEST(test_load_dir_bad_test_batch)
{
    write_one_record_dir(0, 200);
    expect_load_dir_fails("test_batch.bin", "label 200");
}
END_TEST

Suite *cifar_suite(void)
{
    Suite *s = suite_create("cifar");
    TCase *core = tcase_create("core");
    tu_scratch_fixtures(core);
    tcase_add_test(core, test_three_record_roundtrip);
    tcase_add_test(core, test_load_dir_concatenates);
    tcase_add_test(core, test_class_names);
    tcase_add_test(core, test_load_named);
    suite_add_tcase(s, core);

    TCase *limits = tcase_create("limits");
    tu_scratch_fixtures(limits);
    tcase_add_test(limits, test_truncated_batch);
    tcase_add_test(limits, test_empty_batch);
    tcase_add_test(limits, test_bad_label);
    tcase_add_test(limits, test_missing_batch);
    tcase_add_test(limits, test_load_dir_missing_batch);
    tcase_add_test(limits, test_load_dir_bad_test_batch);
    suite_add_tcase(s, limits);
    return s;
}
