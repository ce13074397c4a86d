/*
 * test_dataset.c - dataset.c: subsets and splits keep every image with its
 * label, the preprocessing helpers do what the labs assume, and Fashion-MNIST
 * is found in the documented order (tiny IDX files in each test's scratch
 * directory, testutil.h, stand in for the real ones; setenv is safe because
 * Check forks each test).
 */
#include <check.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "dataset.h"
#include "err.h"
#include "idx.h"
#include "suites.h"
#include "testutil.h"

#define SYSTEM_DIR "/usr/share/datasets/fashion-mnist"

static const char *const fm_files[4] = {
    "train-images-idx3-ubyte", "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
};

/* ---- file helpers ---- */

static void make_dir(const char *path)
{
    ck_assert_msg(mkdir(path, 0777) == 0, "mkdir %s failed", path);
}

/* ---- tiny Fashion-MNIST directories ---- */

/* Image i of a set tagged `tag`: pixel k is (tag * 31 + i * 17 + k) mod 256,
 * so the first pixel tells which image a row came from. */
static void write_images(const char *path, int n, int side, int tag, int gz)
{
    IdxArray a = { 3, { n, side, side, 0 }, malloc((size_t)n * side * side),
                   (size_t)n * side * side };
    for (int i = 0; i < n; i++)
        for (int k = 0; k < side * side; k++)
            a.data[(size_t)i * side * side + k] = (unsigned char)(tag * 31 + i * 17 + k);
    ck_assert_msg(idx_write(path, &a, gz) == 0, "%s", err_last());
    free(a.data);
}

/* Labels i mod 10, except that bad_at (if >= 0) gets the label 10. */
static void write_labels(const char *path, int n, int bad_at, int gz)
{
    IdxArray a = { 1, { n, 0, 0, 0 }, malloc((size_t)n), (size_t)n };
    for (int i = 0; i < n; i++) a.data[i] = (unsigned char)(i == bad_at ? 10 : i % 10);
    ck_assert_msg(idx_write(path, &a, gz) == 0, "%s", err_last());
    free(a.data);
}

/* A complete directory: n_train train images (tag 1), n_test test images (tag 2). */
static void write_fashion(const char *dir, int n_train, int n_test, int gz)
{
    char p[600];
    const char *ext = gz ? ".gz" : "";
    snprintf(p, sizeof p, "%s/%s%s", dir, fm_files[0], ext);
    write_images(p, n_train, FASHION_SIDE, 1, gz);
    snprintf(p, sizeof p, "%s/%s%s", dir, fm_files[1], ext);
    write_labels(p, n_train, -1, gz);
    snprintf(p, sizeof p, "%s/%s%s", dir, fm_files[2], ext);
    write_images(p, n_test, FASHION_SIDE, 2, gz);
    snprintf(p, sizeof p, "%s/%s%s", dir, fm_files[3], ext);
    write_labels(p, n_test, -1, gz);
}

static int dir_complete(const char *dir)
{
    char p[600];
    for (int i = 0; i < 4; i++) {
        snprintf(p, sizeof p, "%s/%s.gz", dir, fm_files[i]);
        if (access(p, R_OK) == 0) continue;
        snprintf(p, sizeof p, "%s/%s", dir, fm_files[i]);
        if (access(p, R_OK) != 0) return 0;
    }
    return 1;
}

/* Checks that f holds what write_fashion wrote. */
static void expect_tiny(const Fashion *f, int n_train, int n_test)
{
    ck_assert_int_eq(dataset_size(&f->train), n_train);
    ck_assert_int_eq(dataset_size(&f->test), n_test);
    ck_assert_int_eq(f->train.X->cols, FASHION_SIDE * FASHION_SIDE);
    ck_assert_int_eq(f->test.X->cols, FASHION_SIDE * FASHION_SIDE);
    for (int i = 0; i < n_train; i++) {
        ck_assert_int_eq(f->train.y[i], i % 10);
        ck_assert_double_eq(MAT_AT(f->train.X, i, 0), ((1 * 31 + i * 17) % 256) / 255.0);
    }
    for (int i = 0; i < n_test; i++)
        ck_assert_double_eq(MAT_AT(f->test.X, i, 0), ((2 * 31 + i * 17) % 256) / 255.0);
    ck_assert(!f->mini);
}

/* The repository root the tests run in (GRADLAB_ROOT if set). */
static const char *repo_root(void)
{
    const char *r = getenv("GRADLAB_ROOT");
    return r && *r ? r : ".";
}

/* ---- in-memory datasets whose rows identify themselves ---- */

/* N rows of D columns: row i is (i, i + 0.5, i + 1, ...), label (3 i + 1) mod 10. */
static Dataset make_ds(int N, int D)
{
    Dataset d = { mat_new(N, D), malloc((size_t)N * sizeof(int)) };
    for (int i = 0; i < N; i++) {
        for (int j = 0; j < D; j++) MAT_AT(d.X, i, j) = i + 0.5 * j;
        d.y[i] = (3 * i + 1) % 10;
    }
    return d;
}

/* The original row index of out's row r, checking the whole row and its label. */
static int origin_of(const Dataset *out, int r)
{
    int i = (int)MAT_AT(out->X, r, 0);
    for (int j = 0; j < out->X->cols; j++)
        ck_assert_msg(MAT_AT(out->X, r, j) == i + 0.5 * j, "row %d is not an intact source row", r);
    ck_assert_msg(out->y[r] == (3 * i + 1) % 10,
                  "row %d came from source row %d but carries label %d, expected %d", r, i,
                  out->y[r], (3 * i + 1) % 10);
    return i;
}

/* ---- core: names and ownership ---- */

START_TEST(test_class_names)
{
    static const char *names[10] = { "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
                                     "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot" };
    static const char *slugs[10] = { "tshirt", "trouser", "pullover", "dress", "coat",
                                     "sandal", "shirt", "sneaker", "bag", "ankle_boot" };
    for (int c = 0; c < 10; c++) {
        ck_assert_str_eq(dataset_class_name(c), names[c]);
        ck_assert_str_eq(dataset_class_slug(c), slugs[c]);
    }
    ck_assert_str_eq(dataset_class_name(10), "?");
    ck_assert_str_eq(dataset_class_slug(-1), "?");
}
END_TEST

START_TEST(test_size_and_free)
{
    ck_assert_int_eq(dataset_size(NULL), 0);
    Dataset e = { NULL, NULL };
    ck_assert_int_eq(dataset_size(&e), 0);
    Dataset d = make_ds(7, 3);
    ck_assert_int_eq(dataset_size(&d), 7);
    dataset_free(&d);
    ck_assert_ptr_null(d.X);
    ck_assert_ptr_null(d.y);
    dataset_free(&d);   /* twice is harmless: the pointers are NULL now */
    dataset_free(NULL);
    dataset_fashion_free(NULL);
}
END_TEST

/* ---- core: subsets ---- */

START_TEST(test_take_keeps_pairs)
{
    Dataset d = make_ds(20, 4), out;
    dataset_take(&d, 5, 6, &out);
    ck_assert_int_eq(dataset_size(&out), 6);
    ck_assert_int_eq(out.X->cols, 4);
    for (int r = 0; r < 6; r++) ck_assert_int_eq(origin_of(&out, r), 5 + r);
    dataset_free(&out);
    dataset_take(&d, 20, 0, &out);   /* an empty range at the end is allowed */
    ck_assert_int_eq(dataset_size(&out), 0);
    dataset_free(&out);
    dataset_free(&d);
}
END_TEST

START_TEST(test_gather_keeps_pairs)
{
    Dataset d = make_ds(10, 3), out;
    const int idx[6] = { 9, 0, 4, 4, 7, 1 };   /* any order, duplicates allowed */
    dataset_gather(&d, idx, 6, &out);
    ck_assert_int_eq(dataset_size(&out), 6);
    for (int r = 0; r < 6; r++) ck_assert_int_eq(origin_of(&out, r), idx[r]);
    dataset_free(&out);
    dataset_free(&d);
}
END_TEST

START_TEST(test_subsample_distinct_and_deterministic)
{
    Dataset d = make_ds(50, 5), a, b;
    Rng r1, r2;
    rng_seed(&r1, 42);
    rng_seed(&r2, 42);
    dataset_subsample(&d, 20, &r1, &a);
    dataset_subsample(&d, 20, &r2, &b);
    ck_assert_int_eq(dataset_size(&a), 20);
    int seen[50] = { 0 }, in_order = 1;
    for (int r = 0; r < 20; r++) {
        int i = origin_of(&a, r);
        ck_assert_msg(!seen[i], "source row %d drawn twice (must be without replacement)", i);
        seen[i] = 1;
        if (r > 0 && i < (int)MAT_AT(a.X, r - 1, 0)) in_order = 0;
    }
    ck_assert_msg(!in_order, "20 of 50 rows came out sorted: the order is not shuffled");
    ck_assert_msg(mat_equal(a.X, b.X), "the same seed gave a different subsample");
    dataset_free(&a);
    dataset_free(&b);
    dataset_free(&d);
}
END_TEST

START_TEST(test_split_partitions_and_pairs)
{
    Dataset d = make_ds(30, 4), first, rest;
    Rng rng;
    rng_seed(&rng, 7);
    dataset_split(&d, 12, &rng, &first, &rest);
    ck_assert_int_eq(dataset_size(&first), 12);
    ck_assert_int_eq(dataset_size(&rest), 18);
    /* The documented order: shuffle the permutation 0..N-1 with rng, first
     * n_first rows to `first`, the rest to `rest`. */
    int perm[30];
    for (int i = 0; i < 30; i++) perm[i] = i;
    Rng again;
    rng_seed(&again, 7);
    rng_shuffle(&again, perm, 30);
    int seen[30] = { 0 };
    for (int r = 0; r < 12; r++) {
        int i = origin_of(&first, r);
        ck_assert_int_eq(i, perm[r]);
        seen[i]++;
    }
    for (int r = 0; r < 18; r++) {
        int i = origin_of(&rest, r);
        ck_assert_int_eq(i, perm[12 + r]);
        seen[i]++;
    }
    for (int i = 0; i < 30; i++) ck_assert_msg(seen[i] == 1, "row %d appears %d times", i, seen[i]);
    dataset_free(&first);
    dataset_free(&rest);
    dataset_free(&d);
}
END_TEST

START_TEST(test_split_edges)
{
    Dataset d = make_ds(5, 2), first, rest;
    Rng rng;
    rng_seed(&rng, 1);
    dataset_split(&d, 0, &rng, &first, &rest);
    ck_assert_int_eq(dataset_size(&first), 0);
    ck_assert_int_eq(dataset_size(&rest), 5);
    dataset_free(&first);
    dataset_free(&rest);
    dataset_split(&d, 5, &rng, &first, &rest);
    ck_assert_int_eq(dataset_size(&first), 5);
    ck_assert_int_eq(dataset_size(&rest), 0);
    dataset_free(&first);
    dataset_free(&rest);
    dataset_free(&d);
}
END_TEST

/* ---- core: preprocessing ---- */

START_TEST(test_mean_image_by_hand)
{
    const double v[6] = { 1, 2, 3, 4, 5, 9 };   /* rows (1,2) (3,4) (5,9) */
    Mat *X = mat_from(3, 2, v);
    Mat *mean = dataset_mean_image(X);
    ck_assert_int_eq(mean->rows, 1);
    ck_assert_int_eq(mean->cols, 2);
    ck_assert_double_eq_tol(mean->data[0], 3.0, 1e-15);
    ck_assert_double_eq_tol(mean->data[1], 5.0, 1e-15);
    mat_free(mean);
    mat_free(X);
}
END_TEST

START_TEST(test_subtract_mean_zero_columns)
{
    Dataset d = make_ds(13, 6);
    for (int i = 0; i < 13; i++) MAT_AT(d.X, i, 2) = sin(i) * 100;   /* a less regular column */
    Mat *mean = dataset_mean_image(d.X);
    Mat *before = mat_copy(d.X);
    dataset_subtract_mean(d.X, mean);
    for (int j = 0; j < 6; j++) {
        double s = 0, scale = 0;
        for (int i = 0; i < 13; i++) {
            s += MAT_AT(d.X, i, j);
            scale += fabs(MAT_AT(before, i, j));
        }
        ck_assert_msg(fabs(s) <= 1e-12 * (scale + 1), "column %d sums to %g after centring", j, s);
        /* Each entry moved by exactly the column mean. */
        ck_assert_double_eq_tol(MAT_AT(d.X, 4, j), MAT_AT(before, 4, j) - mean->data[j],
                                1e-12 * (fabs(MAT_AT(before, 4, j)) + 1));
    }
    mat_free(before);
    mat_free(mean);
    dataset_free(&d);
}
END_TEST

START_TEST(test_append_bias)
{
    Dataset d = make_ds(4, 3);
    Mat *Xb = dataset_append_bias(d.X);
    ck_assert_int_eq(Xb->rows, 4);
    ck_assert_int_eq(Xb->cols, 4);
    for (int i = 0; i < 4; i++) {
        for (int j = 0; j < 3; j++) ck_assert_double_eq(MAT_AT(Xb, i, j), MAT_AT(d.X, i, j));
        ck_assert_double_eq(MAT_AT(Xb, i, 3), 1.0);
    }
    mat_free(Xb);
    dataset_free(&d);
}
END_TEST

/* ---- core: finding Fashion-MNIST ---- */

START_TEST(test_gradlab_data_gz)
{
    write_fashion(tu_dir(), 12, 5, 1);
    setenv("GRADLAB_DATA", tu_dir(), 1);
    Fashion f;
    ck_assert_msg(dataset_load_fashion(&f, NULL) == 0, "%s", err_last());
    ck_assert_str_eq(f.dir, tu_dir());
    expect_tiny(&f, 12, 5);
    dataset_fashion_free(&f);
    ck_assert_ptr_null(f.train.X);
    ck_assert_ptr_null(f.test.y);
}
END_TEST

START_TEST(test_gradlab_data_raw_names)
{
    write_fashion(tu_dir(), 3, 4, 0);   /* the same names without .gz */
    setenv("GRADLAB_DATA", tu_dir(), 1);
    Fashion f;
    ck_assert_msg(dataset_load_fashion(&f, NULL) == 0, "%s", err_last());
    ck_assert_str_eq(f.dir, tu_dir());
    expect_tiny(&f, 3, 4);
    dataset_fashion_free(&f);
}
END_TEST

START_TEST(test_root_data_dir_before_system)
{
    /* A GRADLAB_DATA lacking one file is an error naming the variable and the
     * file, never a quiet fall-back; without it, <root>/data/fashion-mnist
     * comes ahead of the system copy. */
    const char *bad = tu_path("incomplete"), *data = tu_path("data"),
               *fm = tu_path("data/fashion-mnist");
    make_dir(bad);
    write_fashion(bad, 2, 2, 1);
    char p[600];
    snprintf(p, sizeof p, "%s/%s.gz", bad, fm_files[3]);
    unlink(p);
    make_dir(data);
    make_dir(fm);
    write_fashion(fm, 6, 3, 1);
    setenv("GRADLAB_DATA", bad, 1);
    setenv("GRADLAB_ROOT", tu_dir(), 1);
    Fashion f;
    ck_assert_msg(dataset_load_fashion(&f, NULL) == -1, "an incomplete GRADLAB_DATA must be an error");
    ck_assert_msg(strstr(err_last(), "GRADLAB_DATA") && strstr(err_last(), fm_files[3]),
                  "the message should name GRADLAB_DATA and the missing file: %s", err_last());
    unsetenv("GRADLAB_DATA");
    ck_assert_msg(dataset_load_fashion(&f, NULL) == 0, "%s", err_last());
    ck_assert_msg(strcmp(f.dir, fm) == 0, "loaded from %s, expected %s", f.dir, fm);
    expect_tiny(&f, 6, 3);
    dataset_fashion_free(&f);
}
END_TEST

START_TEST(test_explicit_dir_only)
{
    /* With dir given, GRADLAB_DATA is not consulted. */
    const char *a = tu_path("a"), *b = tu_path("b");
    make_dir(a);
    make_dir(b);
    write_fashion(a, 4, 2, 1);
    write_fashion(b, 7, 1, 0);
    setenv("GRADLAB_DATA", a, 1);
    Fashion f;
    ck_assert_msg(dataset_load_fashion(&f, b) == 0, "%s", err_last());
    ck_assert_str_eq(f.dir, b);
    expect_tiny(&f, 7, 1);
    dataset_fashion_free(&f);
}
END_TEST

START_TEST(test_fallback_to_mini)
{
    /* With no GRADLAB_DATA and no data/fashion-mnist in the repository, the
     * system copy wins when installed, and the committed mini subset otherwise. */
    unsetenv("GRADLAB_DATA");
    char local[600];
    snprintf(local, sizeof local, "%s/data/fashion-mnist", repo_root());
    if (dir_complete(local)) {
        printf("NOTE dataset fallback test skipped: %s exists and wins the lookup\n", local);
        return;
    }
    Fashion f;
    ck_assert_msg(dataset_load_fashion(&f, NULL) == 0, "%s", err_last());
    if (dir_complete(SYSTEM_DIR)) {
        ck_assert_str_eq(f.dir, SYSTEM_DIR);
        ck_assert(!f.mini);
    } else {
        char mini[600];
        snprintf(mini, sizeof mini, "%s/data/fashion-mnist-mini", repo_root());
        ck_assert_str_eq(f.dir, mini);
        ck_assert(f.mini);
        ck_assert_int_eq(dataset_size(&f.train), 3000);
    }
    dataset_fashion_free(&f);
}
END_TEST

START_TEST(test_mini_subset)
{
    /* The committed subset: 300 train and 100 test images of every class. */
    char mini[600];
    snprintf(mini, sizeof mini, "%s/data/fashion-mnist-mini", repo_root());
    Fashion f;
    ck_assert_msg(dataset_load_fashion(&f, mini) == 0, "%s", err_last());
    ck_assert(f.mini);
    ck_assert_int_eq(dataset_size(&f.train), 3000);
    ck_assert_int_eq(dataset_size(&f.test), 1000);
    ck_assert_int_eq(f.train.X->cols, 784);
    int ctrain[10] = { 0 }, ctest[10] = { 0 };
    for (int i = 0; i < 3000; i++) ctrain[f.train.y[i]]++;
    for (int i = 0; i < 1000; i++) ctest[f.test.y[i]]++;
    for (int c = 0; c < 10; c++) {
        ck_assert_int_eq(ctrain[c], 300);
        ck_assert_int_eq(ctest[c], 100);
    }
    dataset_fashion_free(&f);
}
END_TEST

/* ---- limits: bad directories and files ---- */

/* Asserts that dataset_load_fashion(f, dir) fails (dir NULL: the usual search)
 * with a reason naming `where` (a file or directory) and saying `what`. */
static void expect_load_fails(Fashion *f, const char *dir, const char *where, const char *what)
{
    ck_assert_int_eq(dataset_load_fashion(f, dir), -1);
    ck_assert_msg(strstr(err_last(), where) && strstr(err_last(), what),
                  "reason \"%s\" should name %s and say \"%s\"", err_last(), where, what);
}

START_TEST(test_explicit_dir_missing_file)
{
    write_fashion(tu_dir(), 2, 2, 1);
    unlink(tu_path("t10k-images-idx3-ubyte.gz"));
    Fashion f;
    expect_load_fails(&f, tu_dir(), tu_dir(), "missing t10k-images-idx3-ubyte");
    ck_assert_ptr_null(f.train.X);
    ck_assert_ptr_null(f.test.X);
}
END_TEST

START_TEST(test_count_mismatch)
{
    write_fashion(tu_dir(), 5, 2, 1);
    const char *lab = tu_path("train-labels-idx1-ubyte.gz");
    write_labels(lab, 4, -1, 1);
    Fashion f;
    expect_load_fails(&f, tu_dir(), lab, "4 labels");
}
END_TEST

START_TEST(test_label_out_of_range)
{
    write_fashion(tu_dir(), 5, 6, 1);
    const char *lab = tu_path("t10k-labels-idx1-ubyte.gz");
    write_labels(lab, 6, 3, 1);
    Fashion f;
    expect_load_fails(&f, tu_dir(), lab, "label 10 at index 3");
    ck_assert_ptr_null(f.train.X);   /* the half already loaded was released */
}
END_TEST

START_TEST(test_wrong_image_size)
{
    write_fashion(tu_dir(), 3, 3, 1);
    const char *img = tu_path("train-images-idx3-ubyte.gz");
    write_images(img, 3, 10, 1, 1);
    Fashion f;
    expect_load_fails(&f, tu_dir(), img, "100 pixels");
}
END_TEST

START_TEST(test_corrupt_file_is_reported_not_skipped)
{
    /* A damaged file in the directory that wins is an error: falling back to
     * another copy would hide it. */
    write_fashion(tu_dir(), 3, 3, 1);
    const char *img = tu_path("t10k-images-idx3-ubyte.gz");
    FILE *f = fopen(img, "r+b");
    ck_assert_msg(f != NULL, "cannot open %s", img);
    fseek(f, 10, SEEK_SET);
    fputc(0xff, f);   /* an invalid deflate block type */
    fclose(f);
    setenv("GRADLAB_DATA", tu_dir(), 1);
    Fashion fa;
    expect_load_fails(&fa, NULL, img, "corrupt gzip");
}
END_TEST

START_TEST(test_full_fashion_mnist)
{
    if (!dir_complete(SYSTEM_DIR)) {
        printf("NOTE full Fashion-MNIST check skipped: %s is absent (make deps installs it)\n",
               SYSTEM_DIR);
        return;
    }
    Fashion f;
    ck_assert_msg(dataset_load_fashion(&f, SYSTEM_DIR) == 0, "%s", err_last());
    ck_assert(!f.mini);
    ck_assert_int_eq(dataset_size(&f.train), 60000);
    ck_assert_int_eq(dataset_size(&f.test), 10000);
    ck_assert_int_eq(f.train.X->cols, 784);
    ck_assert_int_eq(f.test.X->cols, 784);
    const Mat *sets[2] = { f.train.X, f.test.X };
    for (int s = 0; s < 2; s++) {
        size_t n = (size_t)sets[s]->rows * sets[s]->cols;
        double lo = 1, hi = 0;
        for (size_t k = 0; k < n; k++) {
            double v = sets[s]->data[k];
            if (v < lo) lo = v;
            if (v > hi) hi = v;
        }
        ck_assert_msg(lo == 0.0 && hi == 1.0, "pixels span [%g, %g], expected exactly [0, 1]", lo, hi);
    }
    int count[10] = { 0 };
    for (int i = 0; i < 60000; i++) {
        ck_assert_int_lt(f.train.y[i], 10);
        count[f.train.y[i]]++;
    }
    for (int c = 0; c < 10; c++) ck_assert_int_eq(count[c], 6000);
    dataset_fashion_free(&f);
}
END_TEST

/* ---- limits: misuse aborts with a message (programming mistakes) ---- */

START_TEST(test_take_out_of_range_aborts)
{
    Dataset d = make_ds(5, 2), out;
    dataset_take(&d, 3, 3, &out);
}
END_TEST

START_TEST(test_gather_bad_index_aborts)
{
    Dataset d = make_ds(5, 2), out;
    const int idx[2] = { 0, 5 };
    dataset_gather(&d, idx, 2, &out);
}
END_TEST

START_TEST(test_subtract_mean_shape_aborts)
{
    Mat *X = mat_new(3, 4), *mean = mat_new(1, 3);
    dataset_subtract_mean(X, mean);
}
END_TEST

Suite *dataset_suite(void)
{
    Suite *s = suite_create("dataset");
    TCase *core = tcase_create("core");
    tu_scratch_fixtures(core);
    /* test_fallback_to_mini decodes the full system copy when it is installed:
     * over Check's default 4 s under sanitizers or on a busy machine. */
    tcase_set_timeout(core, 60);
    tcase_add_test(core, test_class_names);
    tcase_add_test(core, test_size_and_free);
    tcase_add_test(core, test_take_keeps_pairs);
    tcase_add_test(core, test_gather_keeps_pairs);
    tcase_add_test(core, test_subsample_distinct_and_deterministic);
    tcase_add_test(core, test_split_partitions_and_pairs);
    tcase_add_test(core, test_split_edges);
    tcase_add_test(core, test_mean_image_by_hand);
    tcase_add_test(core, test_subtract_mean_zero_columns);
    tcase_add_test(core, test_append_bias);
    tcase_add_test(core, test_gradlab_data_gz);
    tcase_add_test(core, test_gradlab_data_raw_names);
    tcase_add_test(core, test_root_data_dir_before_system);
    tcase_add_test(core, test_explicit_dir_only);
    tcase_add_test(core, test_fallback_to_mini);
    tcase_add_test(core, test_mini_subset);
    suite_add_tcase(s, core);

    TCase *limits = tcase_create("limits");
    tu_scratch_fixtures(limits);
    /* The full-data check decodes 55 MB of pixels; sanitizer builds are slow. */
    tcase_set_timeout(limits, 60);
    tcase_add_test(limits, test_explicit_dir_missing_file);
    tcase_add_test(limits, test_count_mismatch);
    tcase_add_test(limits, test_label_out_of_range);
    tcase_add_test(limits, test_wrong_image_size);
    tcase_add_test(limits, test_corrupt_file_is_reported_not_skipped);
    tcase_add_test(limits, test_full_fashion_mnist);
    tcase_add_test_raise_signal(limits, test_take_out_of_range_aborts, SIGABRT);
    tcase_add_test_raise_signal(limits, test_gather_bad_index_aborts, SIGABRT);
    tcase_add_test_raise_signal(limits, test_subtract_mean_shape_aborts, SIGABRT);
    suite_add_tcase(s, limits);
    return s;
}
