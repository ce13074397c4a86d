/*
 * test_idx.c - idx.c: round trips through raw and gzip files, and one test per
 * way a file can be damaged, each checking that the reader returns NULL with a
 * reason naming the file and the problem (never a crash or a short array).
 *
 * Every test works in its own mkdtemp() directory, made by the checked fixture
 * (which runs inside the test's forked child).
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "err.h"
#include "idx.h"
#include "suites.h"

/* ---- fixture and file helpers ---- */

static char tdir[64];

static void tmp_setup(void)
{
    snprintf(tdir, sizeof tdir, "/tmp/gradlab-idx-XXXXXX");
    ck_assert_msg(mkdtemp(tdir) != NULL, "mkdtemp failed");
}

static void tmp_teardown(void)
{
    DIR *d = opendir(tdir);
    if (!d) return;
    struct dirent *e;
    char path[512];
    while ((e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0) continue;
        snprintf(path, sizeof path, "%s/%s", tdir, e->d_name);
        unlink(path);
    }
    closedir(d);
    rmdir(tdir);
}

/* tdir/name in one of a few rotating buffers. */
static const char *tpath(const char *name)
{
    static char bufs[4][512];
    static int next;
    char *p = bufs[next++ % 4];
    snprintf(p, 512, "%s/%s", tdir, name);
    return p;
}

static void write_bytes(const char *path, const void *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    ck_assert_uint_eq(fwrite(buf, 1, n, f), n);
    fclose(f);
}

/* The whole file in a malloc'ed buffer; *n its size. */
static unsigned char *read_bytes(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    fseek(f, 0, SEEK_END);
    long len = ftell(f);
    rewind(f);
    unsigned char *buf = malloc(len > 0 ? (size_t)len : 1);
    ck_assert_uint_eq(fread(buf, 1, (size_t)len, f), (size_t)len);
    fclose(f);
    *n = (size_t)len;
    return buf;
}

/* Compresses buf[0..n) into a gzip file, bypassing idx_write's checks. */
static void write_gz(const char *path, const void *buf, size_t n)
{
    gzFile f = gzopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    ck_assert_int_eq(gzwrite(f, buf, (unsigned)n), (int)n);
    ck_assert_int_eq(gzclose(f), Z_OK);
}

/* An IdxArray with the given dims whose byte k is (k * 7 + 3) mod 256, so a
 * shifted or reordered byte is noticed. Free with idx_free. */
static IdxArray *make_array(int ndim, const int *dims)
{
    IdxArray *a = calloc(1, sizeof *a);
    a->ndim = ndim;
    a->size = 1;
    for (int i = 0; i < ndim; i++) {
        a->dims[i] = dims[i];
        a->size *= (size_t)dims[i];
    }
    a->data = malloc(a->size);
    for (size_t k = 0; k < a->size; k++) a->data[k] = (unsigned char)(k * 7 + 3);
    return a;
}

/* A raw IDX header: magic (0, 0, type, ndim) and big-endian dims. Returns its length. */
static size_t make_header(unsigned char *h, int type, int ndim, const unsigned *dims)
{
    h[0] = 0;
    h[1] = 0;
    h[2] = (unsigned char)type;
    h[3] = (unsigned char)ndim;
    for (int i = 0; i < ndim; i++) {
        h[4 + 4 * i] = (unsigned char)(dims[i] >> 24);
        h[5 + 4 * i] = (unsigned char)(dims[i] >> 16);
        h[6 + 4 * i] = (unsigned char)(dims[i] >> 8);
        h[7 + 4 * i] = (unsigned char)dims[i];
    }
    return 4 + 4 * (size_t)ndim;
}

/* Asserts that reading path fails and the reason names the file and `what`. */
static void expect_read_fails(const char *path, const char *what)
{
    IdxArray *a = idx_read(path);
    ck_assert_msg(a == NULL, "idx_read(%s) returned data for a bad file (expected: %s)", path, what);
    const char *msg = err_last();
    ck_assert_msg(strstr(msg, path) != NULL, "reason \"%s\" does not name the file %s", msg, path);
    ck_assert_msg(strstr(msg, what) != NULL, "reason \"%s\" does not say \"%s\"", msg, what);
}

static void expect_same(const IdxArray *a, const IdxArray *b)
{
    ck_assert_int_eq(a->ndim, b->ndim);
    for (int i = 0; i < a->ndim; i++) ck_assert_int_eq(a->dims[i], b->dims[i]);
    ck_assert_uint_eq(a->size, b->size);
    ck_assert_msg(memcmp(a->data, b->data, a->size) == 0, "data bytes differ after the round trip");
}

/* ---- core: round trips and typed loaders ---- */

START_TEST(test_roundtrip_all_ndims)
{
    static const int dims[4] = { 3, 5, 2, 4 };
    for (int gz = 0; gz <= 1; gz++) {
        for (int nd = 1; nd <= 4; nd++) {
            IdxArray *a = make_array(nd, dims);
            char name[32];
            snprintf(name, sizeof name, "a%d%s", nd, gz ? ".gz" : "");
            const char *p = tpath(name);
            ck_assert_msg(idx_write(p, a, gz) == 0, "idx_write: %s", err_last());
            IdxArray *b = idx_read(p);
            ck_assert_msg(b != NULL, "idx_read(ndim %d, gz %d): %s", nd, gz, err_last());
            expect_same(a, b);
            idx_free(a);
            idx_free(b);
        }
    }
}
END_TEST

START_TEST(test_raw_layout_big_endian)
{
    /* The exact bytes idx_write produces for a 1-D array of 258 items. */
    int dims[1] = { 258 };
    IdxArray *a = make_array(1, dims);
    const char *p = tpath("raw");
    ck_assert_int_eq(idx_write(p, a, 0), 0);
    size_t n;
    unsigned char *buf = read_bytes(p, &n);
    ck_assert_uint_eq(n, 8 + 258);
    static const unsigned char head[8] = { 0, 0, 0x08, 1, 0, 0, 1, 2 };
    ck_assert_msg(memcmp(buf, head, 8) == 0, "header bytes are not 00 00 08 01 00 00 01 02");
    ck_assert_msg(memcmp(buf + 8, a->data, 258) == 0, "data bytes differ");
    free(buf);
    idx_free(a);
}
END_TEST

START_TEST(test_gzip_detected_by_content)
{
    /* The name says nothing: gzip data under a plain name and raw data under
     * a .gz name both read back. */
    int dims[2] = { 4, 6 };
    IdxArray *a = make_array(2, dims);
    const char *gz_plain = tpath("looks-raw"), *raw_gz = tpath("looks-gz.gz");
    ck_assert_int_eq(idx_write(gz_plain, a, 1), 0);
    ck_assert_int_eq(idx_write(raw_gz, a, 0), 0);
    size_t n;
    unsigned char *buf = read_bytes(gz_plain, &n);
    ck_assert_msg(n >= 2 && buf[0] == 0x1f && buf[1] == 0x8b, "gz=1 did not write gzip");
    free(buf);
    IdxArray *b = idx_read(gz_plain), *c = idx_read(raw_gz);
    ck_assert_msg(b && c, "%s", err_last());
    expect_same(a, b);
    expect_same(a, c);
    idx_free(a);
    idx_free(b);
    idx_free(c);
}
END_TEST

START_TEST(test_load_images_scaled)
{
    int dims[3] = { 2, 16, 16 };   /* 512 pixels: every byte value appears twice */
    IdxArray *a = make_array(3, dims);
    for (size_t k = 0; k < a->size; k++) a->data[k] = (unsigned char)(k % 256);
    const char *p = tpath("img.gz");
    ck_assert_int_eq(idx_write(p, a, 1), 0);
    Mat *X = idx_load_images(p);
    ck_assert_msg(X != NULL, "%s", err_last());
    ck_assert_int_eq(X->rows, 2);
    ck_assert_int_eq(X->cols, 256);
    for (int i = 0; i < 2; i++)
        for (int j = 0; j < 256; j++)
            ck_assert_msg(MAT_AT(X, i, j) == j / 255.0, "X[%d][%d] = %g, expected %d/255", i, j,
                          MAT_AT(X, i, j), j);
    ck_assert_double_eq(MAT_AT(X, 0, 0), 0.0);
    ck_assert_double_eq(MAT_AT(X, 1, 255), 1.0);
    mat_free(X);
    idx_free(a);
}
END_TEST

START_TEST(test_load_labels)
{
    int dims[1] = { 7 };
    IdxArray *a = make_array(1, dims);
    const char *p = tpath("lab");
    ck_assert_int_eq(idx_write(p, a, 0), 0);
    int n = -1;
    int *y = idx_load_labels(p, &n);
    ck_assert_msg(y != NULL, "%s", err_last());
    ck_assert_int_eq(n, 7);
    for (int i = 0; i < 7; i++) ck_assert_int_eq(y[i], a->data[i]);
    free(y);
    idx_free(a);
}
END_TEST

START_TEST(test_free_null)
{
    idx_free(NULL);
}
END_TEST

/* ---- limits: every way a file can be wrong ---- */

START_TEST(test_missing_file)
{
    expect_read_fails(tpath("no-such-file"), "cannot open");
}
END_TEST

START_TEST(test_empty_file)
{
    const char *p = tpath("empty");
    write_bytes(p, "", 0);
    expect_read_fails(p, "truncated");
}
END_TEST

START_TEST(test_wrong_magic)
{
    unsigned char h[16];
    unsigned dims[1] = { 2 };
    size_t n = make_header(h, 0x08, 1, dims);
    h[0] = 0x42;   /* the first two bytes must be 0 */
    h[n] = h[n + 1] = 0;
    const char *p = tpath("magic");
    write_bytes(p, h, n + 2);
    expect_read_fails(p, "wrong magic");
}
END_TEST

START_TEST(test_unsupported_type)
{
    unsigned char h[16];
    unsigned dims[1] = { 2 };
    size_t n = make_header(h, 0x0D, 1, dims);   /* 0x0D: 4-byte floats */
    memset(h + n, 0, 8);
    const char *p = tpath("float");
    write_bytes(p, h, n + 8);
    expect_read_fails(p, "unsupported IDX data type 0x0d");
}
END_TEST

START_TEST(test_bad_ndim_zero)
{
    unsigned char h[4] = { 0, 0, 0x08, 0 };
    const char *p = tpath("ndim0");
    write_bytes(p, h, 4);
    expect_read_fails(p, "bad number of dimensions 0");
}
END_TEST

START_TEST(test_bad_ndim_five)
{
    unsigned char h[32];
    unsigned dims[5] = { 1, 1, 1, 1, 1 };
    size_t n = make_header(h, 0x08, 5, dims);
    h[n] = 9;
    const char *p = tpath("ndim5");
    write_bytes(p, h, n + 1);
    expect_read_fails(p, "bad number of dimensions 5");
}
END_TEST

START_TEST(test_zero_dimension)
{
    unsigned char h[16];
    unsigned dims[3] = { 4, 0, 28 };
    size_t n = make_header(h, 0x08, 3, dims);
    const char *p = tpath("zero");
    write_bytes(p, h, n);
    expect_read_fails(p, "dimension 1 is 0");
}
END_TEST

START_TEST(test_absurd_size)
{
    /* 65536 * 65536 = 2^32 bytes: rejected from the header alone, before any
     * allocation, even though the file is tiny. */
    unsigned char h[16];
    unsigned dims[2] = { 65536, 65536 };
    size_t n = make_header(h, 0x08, 2, dims);
    const char *p = tpath("huge");
    write_bytes(p, h, n);
    expect_read_fails(p, "absurd size");
}
END_TEST

START_TEST(test_absurd_single_dimension)
{
    unsigned char h[8];
    unsigned dims[1] = { 0xFFFFFFFFu };   /* would be negative as an int */
    size_t n = make_header(h, 0x08, 1, dims);
    const char *p = tpath("huge1");
    write_bytes(p, h, n);
    expect_read_fails(p, "absurd size");
}
END_TEST

START_TEST(test_truncated_header)
{
    unsigned char h[16];
    unsigned dims[3] = { 2, 3, 3 };
    make_header(h, 0x08, 3, dims);
    const char *p = tpath("short-header");
    write_bytes(p, h, 9);   /* magic + one and a bit of three dims */
    expect_read_fails(p, "truncated header");
}
END_TEST

START_TEST(test_truncated_data_raw)
{
    int dims[2] = { 10, 10 };
    IdxArray *a = make_array(2, dims);
    a->size = 99;   /* one byte short of what the header will say */
    unsigned char h[16];
    unsigned d[2] = { 10, 10 };
    size_t n = make_header(h, 0x08, 2, d);
    const char *p = tpath("short");
    FILE *f = fopen(p, "wb");
    fwrite(h, 1, n, f);
    fwrite(a->data, 1, a->size, f);
    fclose(f);
    expect_read_fails(p, "truncated: the header promises 100 data bytes, the file holds 99");
    a->size = 100;
    idx_free(a);
}
END_TEST

START_TEST(test_truncated_data_gz)
{
    /* A valid gzip stream whose content is an IDX file missing its last 5
     * bytes: the gzip layer is fine, the IDX inside is short. */
    int dims[2] = { 10, 10 };
    IdxArray *a = make_array(2, dims);
    const char *raw = tpath("full"), *p = tpath("short.gz");
    ck_assert_int_eq(idx_write(raw, a, 0), 0);
    size_t n;
    unsigned char *buf = read_bytes(raw, &n);
    write_gz(p, buf, n - 5);
    free(buf);
    expect_read_fails(p, "truncated: the header promises 100 data bytes, the file holds 95");
    idx_free(a);
}
END_TEST

START_TEST(test_trailing_bytes_gz)
{
    int dims[1] = { 5 };
    IdxArray *a = make_array(1, dims);
    const char *raw = tpath("full"), *p = tpath("long.gz");
    ck_assert_int_eq(idx_write(raw, a, 0), 0);
    size_t n;
    unsigned char *buf = read_bytes(raw, &n);
    buf = realloc(buf, n + 3);
    memset(buf + n, 0xee, 3);
    write_gz(p, buf, n + 3);
    free(buf);
    expect_read_fails(p, "trailing bytes");
    idx_free(a);
}
END_TEST

START_TEST(test_trailing_bytes)
{
    int dims[1] = { 5 };
    IdxArray *a = make_array(1, dims);
    const char *p = tpath("trail");
    ck_assert_int_eq(idx_write(p, a, 0), 0);
    FILE *f = fopen(p, "ab");
    fputc(0x11, f);
    fclose(f);
    expect_read_fails(p, "trailing bytes");
    idx_free(a);
}
END_TEST

START_TEST(test_corrupt_gzip_block)
{
    int dims[2] = { 20, 20 };
    IdxArray *a = make_array(2, dims);
    const char *p = tpath("bad-block.gz");
    ck_assert_int_eq(idx_write(p, a, 1), 0);
    size_t n;
    unsigned char *buf = read_bytes(p, &n);
    /* Byte 10 opens the first deflate block; 0xff makes it the reserved block
     * type 3, which inflate rejects. */
    buf[10] = 0xff;
    write_bytes(p, buf, n);
    free(buf);
    expect_read_fails(p, "corrupt gzip stream");
    idx_free(a);
}
END_TEST

START_TEST(test_corrupt_gzip_crc)
{
    int dims[2] = { 20, 20 };
    IdxArray *a = make_array(2, dims);
    const char *p = tpath("bad-crc.gz");
    ck_assert_int_eq(idx_write(p, a, 1), 0);
    size_t n;
    unsigned char *buf = read_bytes(p, &n);
    buf[n - 8] ^= 0x5a;   /* the CRC-32 of the trailer: the data itself decodes fine */
    write_bytes(p, buf, n);
    free(buf);
    expect_read_fails(p, "corrupt gzip stream");
    idx_free(a);
}
END_TEST

START_TEST(test_corrupt_gzip_cut)
{
    int dims[2] = { 50, 50 };
    IdxArray *a = make_array(2, dims);
    const char *p = tpath("cut.gz");
    ck_assert_int_eq(idx_write(p, a, 1), 0);
    size_t n;
    unsigned char *buf = read_bytes(p, &n);
    ck_assert_uint_gt(n, 30);
    write_bytes(p, buf, n / 2);   /* the compressed stream stops half-way */
    free(buf);
    expect_read_fails(p, "corrupt gzip stream");
    idx_free(a);
}
END_TEST

START_TEST(test_images_wrong_ndim)
{
    int dims[1] = { 5 };
    IdxArray *a = make_array(1, dims);
    const char *p = tpath("labels-as-images");
    ck_assert_int_eq(idx_write(p, a, 0), 0);
    ck_assert_ptr_null(idx_load_images(p));
    ck_assert_msg(strstr(err_last(), p) && strstr(err_last(), "3 dimensions"), "%s", err_last());
    idx_free(a);
}
END_TEST

START_TEST(test_labels_wrong_ndim)
{
    int dims[3] = { 2, 3, 3 };
    IdxArray *a = make_array(3, dims);
    const char *p = tpath("images-as-labels");
    ck_assert_int_eq(idx_write(p, a, 0), 0);
    int n = -1;
    ck_assert_ptr_null(idx_load_labels(p, &n));
    ck_assert_msg(strstr(err_last(), p) && strstr(err_last(), "1 dimension"), "%s", err_last());
    idx_free(a);
}
END_TEST

START_TEST(test_write_rejects_bad_arrays)
{
    int dims[2] = { 3, 4 };
    IdxArray *a = make_array(2, dims);
    const char *p = tpath("never");
    a->size = 11;   /* does not match 3 x 4 */
    ck_assert_int_eq(idx_write(p, a, 0), -1);
    ck_assert_msg(strstr(err_last(), p) && strstr(err_last(), "does not match"), "%s", err_last());
    a->size = 12;
    a->dims[1] = 0;
    ck_assert_int_eq(idx_write(p, a, 1), -1);
    a->dims[1] = 4;
    a->ndim = 5;
    ck_assert_int_eq(idx_write(p, a, 0), -1);
    a->ndim = 2;
    ck_assert_msg(access(p, F_OK) != 0, "a rejected write left a file behind");
    ck_assert_int_eq(idx_write(tpath("no-dir/x"), a, 0), -1);
    ck_assert_msg(strstr(err_last(), "cannot create"), "%s", err_last());
    idx_free(a);
}
END_TEST

Suite *idx_suite(void)
{
    Suite *s = suite_create("idx");
    TCase *core = tcase_create("core");
    tcase_add_checked_fixture(core, tmp_setup, tmp_teardown);
    tcase_add_test(core, test_roundtrip_all_ndims);
    tcase_add_test(core, test_raw_layout_big_endian);
    tcase_add_test(core, test_gzip_detected_by_content);
    tcase_add_test(core, test_load_images_scaled);
    tcase_add_test(core, test_load_labels);
    tcase_add_test(core, test_free_null);
    suite_add_tcase(s, core);

    TCase *limits = tcase_create("limits");
    tcase_add_checked_fixture(limits, tmp_setup, tmp_teardown);
    tcase_add_test(limits, test_missing_file);
    tcase_add_test(limits, test_empty_file);
    tcase_add_test(limits, test_wrong_magic);
    tcase_add_test(limits, test_unsupported_type);
    tcase_add_test(limits, test_bad_ndim_zero);
    tcase_add_test(limits, test_bad_ndim_five);
    tcase_add_test(limits, test_zero_dimension);
    tcase_add_test(limits, test_absurd_size);
    tcase_add_test(limits, test_absurd_single_dimension);
    tcase_add_test(limits, test_truncated_header);
    tcase_add_test(limits, test_truncated_data_raw);
    tcase_add_test(limits, test_truncated_data_gz);
    tcase_add_test(limits, test_trailing_bytes);
    tcase_add_test(limits, test_trailing_bytes_gz);
    tcase_add_test(limits, test_corrupt_gzip_block);
    tcase_add_test(limits, test_corrupt_gzip_crc);
    tcase_add_test(limits, test_corrupt_gzip_cut);
    tcase_add_test(limits, test_images_wrong_ndim);
    tcase_add_test(limits, test_labels_wrong_ndim);
    tcase_add_test(limits, test_write_rejects_bad_arrays);
    suite_add_tcase(s, limits);
    return s;
}
