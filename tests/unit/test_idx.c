/*
 * test_idx.c - idx.c: round trips through raw and gzip files, and one test per
 * way a file can be damaged, each checking that the reader returns NULL with a
 * reason naming the file and the problem (never a crash or a short array).
 *
 * Every test works in its own scratch directory (testutil.h).
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "err.h"
#include "idx.h"
#include "suites.h"
#include "testutil.h"

/* ---- file helpers ---- */

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

/* Writes make_array(ndim, dims) to p with idx_write (gzip when gz) and returns
 * the array, to compare with what is read back. Free with idx_free. */
static IdxArray *write_array(const char *p, int ndim, const int *dims, int gz)
{
    IdxArray *a = make_array(ndim, dims);
    ck_assert_msg(idx_write(p, a, gz) == 0, "idx_write(%s): %s", p, err_last());
    return a;
}

/* The same, but returns the file's bytes for a test to damage; *n gets their
 * count. Free with free(). */
static unsigned char *written_bytes(const char *p, int ndim, const int *dims, int gz, size_t *n)
{
    idx_free(write_array(p, ndim, dims, gz));
    return (unsigned char *)tu_slurp(p, n);
}

/* ---- core: round trips and typed loaders ---- */

START_TEST(test_roundtrip_all_ndims)
{
    static const int dims[4] = { 3, 5, 2, 4 };
    for (int gz = 0; gz <= 1; gz++) {
        for (int nd = 1; nd <= 4; nd++) {
            char name[32];
            snprintf(name, sizeof name, "a%d%s", nd, gz ? ".gz" : "");
            const char *p = tu_path(name);
            IdxArray *a = write_array(p, nd, dims, gz);
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
    const char *p = tu_path("raw");
    IdxArray *a = write_array(p, 1, dims, 0);
    size_t n;
    unsigned char *buf = (unsigned char *)tu_slurp(p, &n);
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
    const char *gz_plain = tu_path("looks-raw"), *raw_gz = tu_path("looks-gz.gz");
    ck_assert_int_eq(idx_write(gz_plain, a, 1), 0);
    ck_assert_int_eq(idx_write(raw_gz, a, 0), 0);
    size_t n;
    unsigned char *buf = (unsigned char *)tu_slurp(gz_plain, &n);
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
    const char *p = tu_path("img.gz");
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
    const char *p = tu_path("lab");
    IdxArray *a = write_array(p, 1, dims, 0);
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
    expect_read_fails(tu_path("no-such-file"), "cannot open");
}
END_TEST

/* Files whose header is wrong, byte for byte (an IDX header is 0, 0, the type
 * byte, the number of dimensions, then each dimension as a big-endian 32-bit
 * count), and what the reason must say. */
static const struct {
    const char *name;
    unsigned char bytes[32];
    size_t n;
    const char *what;
} bad_headers[] = {
    { "empty", { 0 }, 0, "truncated" },
    /* The first two bytes must be 0. */
    { "magic", { 0x42, 0, 0x08, 1, 0, 0, 0, 2, 0, 0 }, 10, "wrong magic" },
    /* 0x0D: 4-byte floats (8 zero data bytes follow). */
    { "float", { 0, 0, 0x0D, 1, 0, 0, 0, 2 }, 16, "unsupported IDX data type 0x0d" },
    { "ndim0", { 0, 0, 0x08, 0 }, 4, "bad number of dimensions 0" },
    { "ndim5", { 0, 0, 0x08, 5, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, 9 }, 25,
      "bad number of dimensions 5" },
    { "zero", { 0, 0, 0x08, 3, 0, 0, 0, 4, 0, 0, 0, 0, 0, 0, 0, 28 }, 16, "dimension 1 is 0" },
    /* 65536 * 65536 = 2^32 bytes: rejected from the header alone, before any
     * allocation, even though the file is tiny. */
    { "huge", { 0, 0, 0x08, 2, 0, 1, 0, 0, 0, 1, 0, 0 }, 12, "absurd size" },
    /* 0xFFFFFFFF would be negative as an int. */
    { "huge1", { 0, 0, 0x08, 1, 0xff, 0xff, 0xff, 0xff }, 8, "absurd size" },
    /* Three dimensions promised; the file stops one byte into the second. */
    { "short-header", { 0, 0, 0x08, 3, 0, 0, 0, 2, 0 }, 9, "truncated header" },
};
enum { N_BAD_HEADERS = sizeof bad_headers / sizeof bad_headers[0] };

START_TEST(test_bad_header)
{
    const char *p = tu_path(bad_headers[_i].name);
    tu_write_file(p, bad_headers[_i].bytes, bad_headers[_i].n);
    expect_read_fails(p, bad_headers[_i].what);
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
    const char *p = tu_path("short");
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
    size_t n;
    unsigned char *buf = written_bytes(tu_path("full"), 2, dims, 0, &n);
    const char *p = tu_path("short.gz");
    write_gz(p, buf, n - 5);
    free(buf);
    expect_read_fails(p, "truncated: the header promises 100 data bytes, the file holds 95");
}
END_TEST

START_TEST(test_trailing_bytes_gz)
{
    int dims[1] = { 5 };
    size_t n;
    unsigned char *buf = written_bytes(tu_path("full"), 1, dims, 0, &n);
    buf = realloc(buf, n + 3);
    memset(buf + n, 0xee, 3);
    const char *p = tu_path("long.gz");
    write_gz(p, buf, n + 3);
    free(buf);
    expect_read_fails(p, "trailing bytes");
}
END_TEST

START_TEST(test_trailing_bytes)
{
    int dims[1] = { 5 };
    const char *p = tu_path("trail");
    IdxArray *a = write_array(p, 1, dims, 0);
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
    const char *p = tu_path("bad-block.gz");
    size_t n;
    unsigned char *buf = written_bytes(p, 2, dims, 1, &n);
    /* Byte 10 opens the first deflate block; 0xff makes it the reserved block
     * type 3, which inflate rejects. */
    buf[10] = 0xff;
    tu_write_file(p, buf, n);
    free(buf);
    expect_read_fails(p, "corrupt gzip stream");
}
END_TEST

START_TEST(test_corrupt_gzip_crc)
{
    int dims[2] = { 20, 20 };
    const char *p = tu_path("bad-crc.gz");
    size_t n;
    unsigned char *buf = written_bytes(p, 2, dims, 1, &n);
    buf[n - 8] ^= 0x5a;   /* the CRC-32 of the trailer: the data itself decodes fine */
    tu_write_file(p, buf, n);
    free(buf);
    expect_read_fails(p, "corrupt gzip stream");
}
END_TEST

START_TEST(test_corrupt_gzip_cut)
{
    int dims[2] = { 50, 50 };
    const char *p = tu_path("cut.gz");
    size_t n;
    unsigned char *buf = written_bytes(p, 2, dims, 1, &n);
    ck_assert_uint_gt(n, 30);
    tu_write_file(p, buf, n / 2);   /* the compressed stream stops half-way */
    free(buf);
    expect_read_fails(p, "corrupt gzip stream");
}
END_TEST

START_TEST(test_images_wrong_ndim)
{
    int dims[1] = { 5 };
    const char *p = tu_path("labels-as-images");
    IdxArray *a = write_array(p, 1, dims, 0);
    ck_assert_ptr_null(idx_load_images(p));
    ck_assert_msg(strstr(err_last(), p) && strstr(err_last(), "3 dimensions"), "%s", err_last());
    idx_free(a);
}
END_TEST

START_TEST(test_labels_wrong_ndim)
{
    int dims[3] = { 2, 3, 3 };
    const char *p = tu_path("images-as-labels");
    IdxArray *a = write_array(p, 3, dims, 0);
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
    const char *p = tu_path("never");
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
    ck_assert_int_eq(idx_write(tu_path("no-dir/x"), a, 0), -1);
    ck_assert_msg(strstr(err_last(), "cannot create"), "%s", err_last());
    idx_free(a);
}
END_TEST

Suite *idx_suite(void)
{
    Suite *s = suite_create("idx");
    TCase *core = tcase_create("core");
    tu_scratch_fixtures(core);
    tcase_add_test(core, test_roundtrip_all_ndims);
    tcase_add_test(core, test_raw_layout_big_endian);
    tcase_add_test(core, test_gzip_detected_by_content);
    tcase_add_test(core, test_load_images_scaled);
    tcase_add_test(core, test_load_labels);
    tcase_add_test(core, test_free_null);
    suite_add_tcase(s, core);

    TCase *limits = tcase_create("limits");
    tu_scratch_fixtures(limits);
    tcase_add_test(limits, test_missing_file);
    tcase_add_loop_test(limits, test_bad_header, 0, N_BAD_HEADERS);
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
