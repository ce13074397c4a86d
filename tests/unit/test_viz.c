/*
 * test_viz.c - viz: PNG round trips, PNG flavours read back as gray/RGB, broken
 * files and paths, and the tile grid's layout, rescaling and odd values.
 *
 * The layout numbers below follow viz.c's rules: tile = side*scale, margin =
 * max(2, tile/14), cells in a grid with a margin between and around them; with
 * captions a cell gains a (9+4)*font strip (font 2 for tiles >= 56 px, else 1)
 * and is widened to the longest caption, at most twice the tile.
 *
 * Each test works in its own scratch directory (testutil.h).
 */
#include <check.h>
#include <math.h>
#include <png.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"
#include "mat.h"
#include "suites.h"
#include "testutil.h"
#include "viz.h"

/* ------------------------------------------------------------------ helpers */

/* Writes a PNG of any libpng colour type and depth straight through libpng, so
 * the reader can be tried on flavours viz_write_png never produces. rows holds
 * height rows of rowbytes each, packed as libpng expects for that type. */
static void write_raw_png(const char *path, int w, int h, int depth, int color,
                          const unsigned char *data, size_t rowbytes, const png_color *palette,
                          int npalette)
{
    FILE *fp = fopen(path, "wb");
    ck_assert_msg(fp != NULL, "cannot create %s", path);
    png_structp lib = png_create_write_struct(PNG_LIBPNG_VER_STRING, NULL, NULL, NULL);
    png_infop info = png_create_info_struct(lib);
    ck_assert(lib && info);
    if (setjmp(png_jmpbuf(lib))) ck_abort_msg("libpng failed writing the test file %s", path);
    png_init_io(lib, fp);
    png_set_IHDR(lib, info, w, h, depth, color, PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT,
                 PNG_FILTER_TYPE_DEFAULT);
    if (palette) png_set_PLTE(lib, info, palette, npalette);
    png_write_info(lib, info);
    for (int r = 0; r < h; r++) png_write_row(lib, data + (size_t)r * rowbytes);
    png_write_end(lib, NULL);
    png_destroy_write_struct(&lib, &info);
    fclose(fp);
}

/* Reads back a PNG and checks its shape; the caller frees the pixels. */
static unsigned char *read_expect(const char *path, int w, int h, int ch)
{
    int rw = -1, rh = -1, rch = -1;
    unsigned char *p = viz_read_png(path, &rw, &rh, &rch);
    ck_assert_msg(p != NULL, "viz_read_png(%s) failed: %s", path, err_last());
    ck_assert_msg(rw == w && rh == h && rch == ch, "%s read as %dx%d with %d channel(s), expected %dx%d with %d",
                  path, rw, rh, rch, w, h, ch);
    return p;
}

/* Layout rules from viz.c, used to find where tile k is. */
static int tile_margin(int tile)
{
    return tile / 14 > 2 ? tile / 14 : 2;
}

/* ------------------------------------------------------------------ core: PNG round trips */

START_TEST(test_png_roundtrip)
{
    /* Odd sizes catch row-stride mistakes; 1x1 is the smallest image. */
    static const int sizes[][2] = {{7, 3}, {3, 7}, {1, 1}, {64, 5}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++)
        for (int ch = 1; ch <= 3; ch += 2) {
            int w = sizes[s][0], h = sizes[s][1];
            size_t n = (size_t)w * h * ch;
            unsigned char *px = malloc(n);
            for (size_t i = 0; i < n; i++) px[i] = (unsigned char)(i * 37 + s * 11 + ch);
            const char *p = tu_path("round trip.png");
            ck_assert_msg(viz_write_png(p, px, w, h, ch) == 0, "write %dx%dx%d: %s", w, h, ch, err_last());
            ck_assert_msg(!tu_file_exists(tu_path("round trip.png.tmp")), "the .tmp file was left behind");
            unsigned char *back = read_expect(p, w, h, ch);
            ck_assert_msg(memcmp(px, back, n) == 0, "pixels differ after a round trip (%dx%dx%d)", w, h, ch);
            free(back);
            free(px);
        }
}
END_TEST

START_TEST(test_png_overwrite)
{
    /* Writing over an existing figure replaces it (rename over the old file). */
    unsigned char a[4] = {1, 2, 3, 4}, b[6] = {9, 8, 7, 6, 5, 4};
    const char *p = tu_path("f.png");
    ck_assert_int_eq(viz_write_png(p, a, 2, 2, 1), 0);
    ck_assert_int_eq(viz_write_png(p, b, 1, 2, 3), 0);
    unsigned char *back = read_expect(p, 1, 2, 3);
    ck_assert(memcmp(back, b, 6) == 0);
    free(back);
}
END_TEST

/* ------------------------------------------------------------------ core: tiles */

START_TEST(test_tiles_dimensions)
{
    const char *p = tu_path("tiles.png");
    /* { K, side, scale, cols_per_row, expected width, height } without captions */
    static const int cases[][6] = {
        {5, 4, 3, 0, 5 * 12 + 6 * 2, 12 + 2 * 2},            /* K <= 10: one row */
        {12, 4, 3, 0, 4 * 12 + 5 * 2, 3 * 12 + 4 * 2},       /* automatic: ceil(sqrt(12)) = 4 per row */
        {12, 4, 3, 5, 5 * 12 + 6 * 2, 3 * 12 + 4 * 2},       /* 5 per row: 3 rows, last one short */
        {3, 28, 2, 1, 56 + 2 * 4, 3 * 56 + 4 * 4},           /* margin 56/14 = 4 */
        {100, 28, 2, 0, 10 * 56 + 11 * 4, 10 * 56 + 11 * 4}, /* the first-layer grid */
        {2, 5, 1, 9, 2 * 5 + 3 * 2, 5 + 2 * 2},              /* more columns asked than tiles */
    };
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        int K = cases[c][0], side = cases[c][1];
        Mat *W = mat_new(side * side, K);
        for (int i = 0; i < W->rows * W->cols; i++) W->data[i] = sin(i);
        ck_assert_msg(viz_save_tiles(p, W, side, 1, NULL, cases[c][3], cases[c][2]) == 0, "%s", err_last());
        unsigned char *img = read_expect(p, cases[c][4], cases[c][5], 1);
        free(img);
        mat_free(W);
    }
}
END_TEST

START_TEST(test_tiles_caption_dimensions)
{
    const char *p = tu_path("captions.png");
    Mat *W = mat_new(28 * 28, 2);
    for (int i = 0; i < W->rows * W->cols; i++) W->data[i] = cos(i);
    /* 28x3 = 84 px tiles, margin 6, 2x font: "Ankle boot" is (10*6-1)*2 = 118 px
     * wide, so cells widen to 118; the caption strip is 13*2 = 26 px. */
    const char *const names[2] = {"Bag", "Ankle boot"};
    ck_assert_msg(viz_save_tiles(p, W, 28, 1, names, 0, 3) == 0, "%s", err_last());
    free(read_expect(p, 2 * 118 + 3 * 6, 84 + 26 + 2 * 6, 1));
    /* A caption far too long is cut: cells stop at twice the tile (168 px). */
    const char *const long_names[2] = {"a caption much longer than any tile is wide", "x"};
    ck_assert_msg(viz_save_tiles(p, W, 28, 1, long_names, 0, 3) == 0, "%s", err_last());
    free(read_expect(p, 2 * 168 + 3 * 6, 84 + 26 + 2 * 6, 1));
    /* Short captions keep the tile width: 8 px tiles, 1x font, strip 13 px. */
    Mat *S = mat_new(16, 3);
    for (int i = 0; i < S->rows * S->cols; i++) S->data[i] = i % 5;
    const char *const tiny[3] = {"a", "", "b"};
    ck_assert_msg(viz_save_tiles(p, S, 4, 1, tiny, 0, 2) == 0, "%s", err_last());
    free(read_expect(p, 3 * 8 + 4 * 2, 8 + 13 + 2 * 2, 1));
    mat_free(S);
    mat_free(W);
}
END_TEST

START_TEST(test_tiles_title)
{
    /* Three 3x3 tiles at scale 2 (6 px tiles, margin 2): a 28 px wide grid. A title
     * adds a band of (9 + 8) * 2 = 34 px on top (9-pixel glyphs); "SVM" (34 px at 2x, + 2 margins + 8)
     * widens the image to 46 px and the grid is centred under it. The band holds ink;
     * the grid's own pixels move down and right by exactly the band and the offset. */
    const int side = 3, scale = 2, K = 3, t = side * scale, m = tile_margin(t);
    Mat *W = mat_new(side * side, K);
    for (int i = 0; i < W->rows * W->cols; i++) W->data[i] = (i * 7) % 11;
    const char *plain = tu_path("plain.png"), *titled = tu_path("titled.png");
    ck_assert_msg(viz_save_tiles(plain, W, side, 1, NULL, 0, scale) == 0, "%s", err_last());
    ck_assert_msg(viz_save_tiles_titled(titled, "SVM", W, side, 1, NULL, 0, scale) == 0, "%s", err_last());
    int pw = K * t + (K + 1) * m, ph = t + 2 * m;
    int tw = (3 * 6 - 1) * 2 + 2 * m + 8, band = (9 + 8) * 2, left = (tw - pw) / 2;
    unsigned char *a = read_expect(plain, pw, ph, 1);
    unsigned char *b = read_expect(titled, tw, ph + band, 1);
    int ink = 0;
    for (int i = 0; i < tw * band; i++) ink += b[i] < 128;
    ck_assert_msg(ink > 20, "the title band has %d dark pixels: no title drawn", ink);
    for (int r = 0; r < ph; r++)
        for (int c = 0; c < pw; c++)
            ck_assert_msg(a[r * pw + c] == b[(r + band) * tw + c + left],
                          "grid pixel (%d,%d) differs once a title is added", r, c);
    /* NULL and "" titles give the plain image. */
    ck_assert_msg(viz_save_tiles_titled(titled, "", W, side, 1, NULL, 0, scale) == 0, "%s", err_last());
    free(read_expect(titled, pw, ph, 1));
    free(a);
    free(b);
    mat_free(W);
}
END_TEST

START_TEST(test_tiles_rescaled_pattern)
{
    /* Three 3x3 tiles at scale 2; the middle column runs -2..6 so its pixels must be
     * round((v + 2) / 8 * 255), with min -> 0 and max -> 255. */
    const int side = 3, scale = 2, K = 3, t = side * scale, m = tile_margin(t);
    Mat *W = mat_new(side * side, K);
    for (int i = 0; i < 9; i++) {
        MAT_AT(W, i, 0) = 100.0 * (i % 2);
        MAT_AT(W, i, 1) = i - 2.0;
        MAT_AT(W, i, 2) = -(double)i;
    }
    const char *p = tu_path("pattern.png");
    ck_assert_msg(viz_save_tiles(p, W, side, 1, NULL, 0, scale) == 0, "%s", err_last());
    int iw = K * t + (K + 1) * m, ih = t + 2 * m;
    unsigned char *img = read_expect(p, iw, ih, 1);
    ck_assert_msg(img[0] == 255, "background is %d, expected white 255", img[0]);
    int lo = 256, hi = -1;
    for (int r = 0; r < t; r++)
        for (int c = 0; c < t; c++) {
            int i = (r / scale) * side + c / scale;
            int want = (int)lround((i - 2.0 + 2.0) / 8.0 * 255.0);
            int got = img[(size_t)(m + r) * iw + m + (t + m) + c];
            ck_assert_msg(got == want, "tile 1 pixel (%d,%d) is %d, expected %d", r, c, got, want);
            lo = got < lo ? got : lo;
            hi = got > hi ? got : hi;
        }
    ck_assert_int_eq(lo, 0);
    ck_assert_int_eq(hi, 255);
    /* The third tile runs the other way: its first pixel is the maximum. */
    ck_assert_int_eq(img[(size_t)m * iw + m + 2 * (t + m)], 255);
    ck_assert_int_eq(img[(size_t)(m + t - 1) * iw + m + 2 * (t + m) + t - 1], 0);
    free(img);
    mat_free(W);
}
END_TEST

START_TEST(test_tiles_rgb_planar)
{
    /* Channels 3 in CIFAR order: rows [0, 4) red, [4, 8) green, [8, 12) blue.
     * One range per tile: red 0 -> 0, green 1 -> 128 (127.5 rounded), blue 2 -> 255.
     * A trailing bias row (huge) must be ignored. */
    const int side = 2;
    Mat *W = mat_new(3 * side * side + 1, 1);
    for (int i = 0; i < 4; i++) {
        MAT_AT(W, i, 0) = 0;
        MAT_AT(W, 4 + i, 0) = 1;
        MAT_AT(W, 8 + i, 0) = 2;
    }
    MAT_AT(W, 12, 0) = 1e9;
    const char *p = tu_path("rgb.png");
    ck_assert_msg(viz_save_tiles(p, W, side, 3, NULL, 0, 1) == 0, "%s", err_last());
    int m = tile_margin(side), iw = side + 2 * m;
    unsigned char *img = read_expect(p, iw, side + 2 * m, 3);
    const unsigned char *px = img + ((size_t)m * iw + m) * 3;
    ck_assert_msg(px[0] == 0 && px[1] == 128 && px[2] == 255, "pixel is (%d,%d,%d), expected (0,128,255)",
                  px[0], px[1], px[2]);
    free(img);
    mat_free(W);
}
END_TEST

START_TEST(test_tiles_captions_drawn)
{
    /* Caption ink appears below a captioned tile and nowhere below an uncaptioned one. */
    const int side = 28, scale = 3, t = side * scale, m = tile_margin(t);
    Mat *W = mat_new(side * side, 2);
    for (int i = 0; i < W->rows * W->cols; i++) W->data[i] = i % 7;
    const char *const caps[2] = {"Sneaker", NULL};
    const char *p = tu_path("caps.png");
    ck_assert_msg(viz_save_tiles(p, W, side, 1, caps, 0, scale) == 0, "%s", err_last());
    int iw = 2 * t + 3 * m, ih = t + 26 + 2 * m;
    unsigned char *img = read_expect(p, iw, ih, 1);
    int ink[2] = {0, 0};
    for (int y = m + t; y < ih; y++)
        for (int x = 0; x < iw; x++)
            if (img[(size_t)y * iw + x] < 128) ink[x < iw / 2]++;
    ck_assert_msg(ink[1] > 20, "no caption ink under tile 0 (%d dark pixels)", ink[1]);
    ck_assert_msg(ink[0] == 0, "%d dark pixels under the uncaptioned tile 1", ink[0]);
    free(img);
    mat_free(W);
}
END_TEST

/* ------------------------------------------------------------------ limits: bad paths and files */

START_TEST(test_png_unwritable)
{
    unsigned char px[6] = {0};
    const char *p = "/nonexistent-gradlab-dir/sub/x.png";
    err_set("%s", "");
    ck_assert_int_eq(viz_write_png(p, px, 2, 1, 3), -1);
    ck_assert_msg(strstr(err_last(), p) != NULL, "message should name the path: \"%s\"", err_last());
    /* The same through the tile writer. */
    Mat *W = mat_new(4, 1);
    ck_assert_int_eq(viz_save_tiles(p, W, 2, 1, NULL, 0, 1), -1);
    ck_assert_msg(strstr(err_last(), p) != NULL, "message should name the path: \"%s\"", err_last());
    mat_free(W);
}
END_TEST

START_TEST(test_png_bad_arguments)
{
    unsigned char px[16] = {0};
    const char *p = tu_path("bad.png");
    ck_assert_int_eq(viz_write_png(p, px, 2, 2, 2), -1);   /* 2 channels: not offered */
    ck_assert_int_eq(viz_write_png(p, px, 0, 2, 1), -1);
    ck_assert_int_eq(viz_write_png(p, px, 2, -1, 1), -1);
    ck_assert_int_eq(viz_write_png(p, NULL, 2, 2, 1), -1);
    ck_assert_msg(strlen(err_last()) > 0, "no reason recorded");
    ck_assert(!tu_file_exists(p));
}
END_TEST

START_TEST(test_png_libpng_error_cleans_up)
{
    /* libpng itself rejects a width over its limit (1,000,000): the error comes
     * through the longjmp path, which must leave neither the PNG nor the .tmp. */
    int w = 2000000;
    unsigned char *px = calloc((size_t)w, 1);
    const char *p = tu_path("wide.png");
    err_set("%s", "");
    ck_assert_int_eq(viz_write_png(p, px, w, 1, 1), -1);
    ck_assert_msg(strstr(err_last(), "wide.png") != NULL, "message should name the file: \"%s\"", err_last());
    ck_assert_msg(!tu_file_exists(p), "a PNG was left behind");
    ck_assert_msg(!tu_file_exists(tu_path("wide.png.tmp")), "the .tmp file was left behind");
    free(px);
}
END_TEST

START_TEST(test_png_read_bad_files)
{
    int w = -1, h = -1, ch = -1;
    /* Missing file. */
    err_set("%s", "");
    ck_assert_ptr_null(viz_read_png(tu_path("missing.png"), &w, &h, &ch));
    ck_assert_msg(strstr(err_last(), "missing.png") != NULL, "message: \"%s\"", err_last());
    /* Not a PNG at all, and an empty file. */
    const char *text = "this is not a picture\n";
    tu_write_file(tu_path("text.png"), text, strlen(text));
    tu_write_file(tu_path("empty.png"), "", 0);
    ck_assert_ptr_null(viz_read_png(tu_path("text.png"), &w, &h, &ch));
    ck_assert_msg(strstr(err_last(), "text.png") != NULL, "message: \"%s\"", err_last());
    ck_assert_ptr_null(viz_read_png(tu_path("empty.png"), &w, &h, &ch));
    /* A real PNG cut short: at several lengths (inside the header, inside the data). */
    int iw = 40, ih = 30;
    unsigned char *px = malloc((size_t)iw * ih * 3);
    for (int i = 0; i < iw * ih * 3; i++) px[i] = (unsigned char)(i * 7919 >> 3);
    ck_assert_int_eq(viz_write_png(tu_path("full.png"), px, iw, ih, 3), 0);
    free(px);
    size_t n;
    char *buf = tu_slurp(tu_path("full.png"), &n);
    ck_assert(n > 100 && n < 1 << 16);
    const size_t cuts[] = {8, 20, 40, n / 2, n - 13};
    for (size_t c = 0; c < sizeof cuts / sizeof cuts[0]; c++) {
        tu_write_file(tu_path("cut.png"), buf, cuts[c]);
        err_set("%s", "");
        unsigned char *img = viz_read_png(tu_path("cut.png"), &w, &h, &ch);
        ck_assert_msg(img == NULL, "a PNG cut to %zu of %zu bytes was read", cuts[c], n);
        ck_assert_msg(strstr(err_last(), "cut.png") != NULL, "message: \"%s\"", err_last());
    }
    free(buf);
}
END_TEST

/* ------------------------------------------------------------------ limits: PNG flavours */

START_TEST(test_png_read_flavours)
{
    /* 16-bit gray -> 8-bit gray (scaled: 0xffff -> 255, 0x8080 -> 128, 0 -> 0). */
    unsigned char g16[3 * 2] = {0xff, 0xff, 0x80, 0x80, 0x00, 0x00};
    write_raw_png(tu_path("g16.png"), 3, 1, 16, PNG_COLOR_TYPE_GRAY, g16, 6, NULL, 0);
    unsigned char *p = read_expect(tu_path("g16.png"), 3, 1, 1);
    ck_assert_msg(p[0] == 255 && p[1] == 128 && p[2] == 0, "16-bit gray read as %d %d %d", p[0], p[1], p[2]);
    free(p);
    /* 1-bit gray -> 0 / 255. Bits 1 0 1 1 0 packed from the top bit. */
    unsigned char g1[1] = {0xb0};
    write_raw_png(tu_path("g1.png"), 5, 1, 1, PNG_COLOR_TYPE_GRAY, g1, 1, NULL, 0);
    p = read_expect(tu_path("g1.png"), 5, 1, 1);
    ck_assert_msg(p[0] == 255 && p[1] == 0 && p[2] == 255 && p[3] == 255 && p[4] == 0,
                  "1-bit gray read as %d %d %d %d %d", p[0], p[1], p[2], p[3], p[4]);
    free(p);
    /* Palette -> RGB. */
    png_color pal[2] = {{10, 20, 30}, {200, 100, 50}};
    unsigned char idx[3] = {1, 0, 1};
    write_raw_png(tu_path("pal.png"), 3, 1, 8, PNG_COLOR_TYPE_PALETTE, idx, 3, pal, 2);
    p = read_expect(tu_path("pal.png"), 3, 1, 3);
    const unsigned char want_pal[9] = {200, 100, 50, 10, 20, 30, 200, 100, 50};
    ck_assert_msg(memcmp(p, want_pal, 9) == 0, "palette image read wrongly");
    free(p);
    /* RGBA -> RGB and gray+alpha -> gray: alpha is dropped, colours kept. */
    unsigned char rgba[2 * 4] = {1, 2, 3, 0, 250, 251, 252, 255};
    write_raw_png(tu_path("rgba.png"), 2, 1, 8, PNG_COLOR_TYPE_RGBA, rgba, 8, NULL, 0);
    p = read_expect(tu_path("rgba.png"), 2, 1, 3);
    const unsigned char want_rgb[6] = {1, 2, 3, 250, 251, 252};
    ck_assert_msg(memcmp(p, want_rgb, 6) == 0, "RGBA read wrongly");
    free(p);
    unsigned char ga[2 * 2] = {77, 0, 99, 255};
    write_raw_png(tu_path("ga.png"), 2, 1, 8, PNG_COLOR_TYPE_GRAY_ALPHA, ga, 4, NULL, 0);
    p = read_expect(tu_path("ga.png"), 2, 1, 1);
    ck_assert_msg(p[0] == 77 && p[1] == 99, "gray+alpha read as %d %d", p[0], p[1]);
    free(p);
}
END_TEST

/* ------------------------------------------------------------------ limits: odd tile values */

START_TEST(test_tiles_constant_and_nan)
{
    const int side = 4, K = 4, t = side, m = tile_margin(t);
    Mat *W = mat_new(side * side, K);
    for (int i = 0; i < 16; i++) {
        MAT_AT(W, i, 0) = 3.5;         /* constant: mid gray, no division by zero */
        MAT_AT(W, i, 1) = i;           /* ramp with a NaN and infinities in it */
        MAT_AT(W, i, 2) = NAN;         /* nothing finite at all */
        MAT_AT(W, i, 3) = i < 8 ? 0.0 : 1e-300;   /* a tiny but real range */
    }
    MAT_AT(W, 5, 1) = NAN;
    MAT_AT(W, 6, 1) = INFINITY;
    MAT_AT(W, 7, 1) = -INFINITY;
    const char *p = tu_path("odd.png");
    ck_assert_msg(viz_save_tiles(p, W, side, 1, NULL, 0, 1) == 0, "%s", err_last());
    int iw = K * t + (K + 1) * m;
    unsigned char *img = read_expect(p, iw, t + 2 * m, 1);
#define PX(k, i) img[(size_t)(m + (i) / side) * iw + m + (k) * (t + m) + (i) % side]
    for (int i = 0; i < 16; i++) {
        ck_assert_msg(PX(0, i) == 128, "constant tile pixel %d is %d, expected 128", i, PX(0, i));
        ck_assert_msg(PX(2, i) == 128, "all-NaN tile pixel %d is %d, expected 128", i, PX(2, i));
        ck_assert_int_eq(PX(3, i), i < 8 ? 0 : 255);
    }
    /* Ramp 0..15 over the finite entries: 0 -> 0, 15 -> 255; NaN and -Inf as the
     * minimum, +Inf as the maximum. */
    ck_assert_int_eq(PX(1, 0), 0);
    ck_assert_int_eq(PX(1, 15), 255);
    ck_assert_int_eq(PX(1, 5), 0);
    ck_assert_int_eq(PX(1, 6), 255);
    ck_assert_int_eq(PX(1, 7), 0);
    ck_assert_int_eq(PX(1, 8), (int)lround(8.0 / 15.0 * 255.0));
#undef PX
    free(img);
    mat_free(W);
}
END_TEST

START_TEST(test_tiles_bad_arguments)
{
    const char *p = tu_path("bad.png");
    Mat *W = mat_new(16, 2);
    ck_assert_int_eq(viz_save_tiles(p, W, 4, 2, NULL, 0, 1), -1);   /* channels 2 */
    ck_assert_int_eq(viz_save_tiles(p, W, 4, 1, NULL, 0, 0), -1);   /* scale 0 */
    ck_assert_int_eq(viz_save_tiles(p, W, 4, 1, NULL, -1, 1), -1);  /* cols_per_row < 0 */
    Mat *E = mat_new(16, 0);
    ck_assert_int_eq(viz_save_tiles(p, E, 4, 1, NULL, 0, 1), -1);   /* no tiles */
    ck_assert(!tu_file_exists(p));
    /* Captions with bytes outside printable ASCII draw as '?' rather than crash. */
    const char *const caps[2] = {"caf\xc3\xa9\t", "\x01\x7f"};
    ck_assert_msg(viz_save_tiles(p, W, 4, 1, caps, 0, 4) == 0, "%s", err_last());
    mat_free(E);
    mat_free(W);
}
END_TEST

START_TEST(test_tiles_wrong_shape_aborts)
{
    /* A W that is neither (D, K) nor (D+1, K) is a programming mistake: abort. */
    Mat *W = mat_new(15, 2);
    viz_save_tiles("/tmp/never-written.png", W, 4, 1, NULL, 0, 1);
    mat_free(W);
}
END_TEST

/* ------------------------------------------------------------------ round 2: templates and grids */

/* Pixels of exactly colour (r, g, b) in an RGB image. */
static long count_rgb(const unsigned char *px, int w, int h, int r, int g, int b)
{
    long n = 0;
    for (long i = 0; i < (long)w * h; i++)
        if (px[3 * i] == r && px[3 * i + 1] == g && px[3 * i + 2] == b) n++;
    return n;
}

/* The diverging map's ends and centre (viz.c: ColorBrewer RdBu). */
#define BLUE 33, 102, 172
#define RED 178, 24, 43
#define WHITE_ISH 247, 247, 247

START_TEST(test_templates_colour_map)
{
    /* Two 2x2 templates, bias row last: one pixel -1, one +1 (column 0), and
     * -0.5 / +2 in column 1: each tile has its own symmetric scale, so -1 and
     * +2 are the full blue and full red, 0 is the neutral centre. */
    double v[5 * 2] = {-1, -0.5, 0, 0, 0, 0, 1, 2, 99, 99};
    Mat *W = mat_from(5, 2, v);
    VizTemplateOpts o = {.scale = 4, .no_key = true};
    const char *p = tu_path("t.png");
    ck_assert_msg(viz_save_templates(p, W, 2, 1, &o) == 0, "%s", err_last());
    int w, h, ch;
    unsigned char *px = viz_read_png(p, &w, &h, &ch);
    ck_assert(px && ch == 3);
    ck_assert_msg(count_rgb(px, w, h, BLUE) == 16, "one full-blue pixel (4x4) expected, got %ld",
                  count_rgb(px, w, h, BLUE));
    ck_assert_msg(count_rgb(px, w, h, RED) == 32, "two full-red pixels (tile 0's +1, tile 1's +2), got %ld",
                  count_rgb(px, w, h, RED));
    ck_assert_msg(count_rgb(px, w, h, WHITE_ISH) == 4 * 16, "four zero pixels in neutral white, got %ld",
                  count_rgb(px, w, h, WHITE_ISH));
    free(px);
    /* One scale for all tiles: tile 0's +1 is now half red, so only +2 is full red. */
    VizTemplateOpts all = {.scale = 4, .no_key = true, .shared = VIZ_SCALE_ALL};
    ck_assert_msg(viz_save_templates(p, W, 2, 1, &all) == 0, "%s", err_last());
    px = viz_read_png(p, &w, &h, &ch);
    ck_assert_msg(count_rgb(px, w, h, RED) == 16, "shared scale: one full-red pixel, got %ld", count_rgb(px, w, h, RED));
    ck_assert_msg(count_rgb(px, w, h, BLUE) == 0, "shared scale: -1 of 2 is not full blue");
    free(px);
    mat_free(W);
}
END_TEST

START_TEST(test_templates_size_key_and_sets)
{
    /* Default scale: at least 4x and tiles of 112 px or more. */
    Mat *W = mat_new(28 * 28, 3);
    for (int i = 0; i < W->rows * W->cols; i++) W->data[i] = (i % 7) - 3.0;
    const char *names[3] = {"T-shirt/top", "Trouser", "Bag"};
    VizTemplateOpts o = {.title = "templates", .captions = names};
    const char *p = tu_path("k.png");
    ck_assert_msg(viz_save_templates(p, W, 28, 1, &o) == 0, "%s", err_last());
    int w, h, ch;
    unsigned char *px = viz_read_png(p, &w, &h, &ch);
    ck_assert(px != NULL);
    ck_assert_msg(w >= 3 * 112 && h >= 112 + 60, "3 tiles of 112 px with a title and key: %dx%d", w, h);
    /* The key bar runs from full blue to full red: both ends are present. */
    ck_assert(count_rgb(px, w, h, BLUE) > 0 && count_rgb(px, w, h, RED) > 0);
    free(px);
    /* Two sets stacked: about twice the height of one. */
    const Mat *sets[2] = {W, W};
    const char *rows[2] = {"reg 1e-1", "reg 1e-5"};
    VizTemplateOpts os = {.captions = names, .shared = VIZ_SCALE_SET, .no_key = true};
    ck_assert_msg(viz_save_template_sets(tu_path("s.png"), sets, rows, 2, 28, 1, &os) == 0, "%s", err_last());
    int w2, h2;
    px = viz_read_png(tu_path("s.png"), &w2, &h2, &ch);
    ck_assert_msg(h2 >= 2 * 112 && w2 > 3 * 112, "two rows of 112 px tiles with labels: %dx%d", w2, h2);
    free(px);
    /* A bias row is ignored; RGB templates are rescaled to 0..255. */
    Mat *C = mat_new(3 * 2 * 2 + 1, 1);
    for (int i = 0; i < 12; i++) C->data[i] = i < 4 ? 5.0 : -5.0;   /* red plane high, green and blue low */
    C->data[12] = 1e9;
    VizTemplateOpts oc = {.scale = 4, .no_key = true};
    ck_assert_msg(viz_save_templates(tu_path("c.png"), C, 2, 3, &oc) == 0, "%s", err_last());
    px = viz_read_png(tu_path("c.png"), &w, &h, &ch);
    ck_assert_msg(count_rgb(px, w, h, 255, 0, 0) == 4 * 16, "a pure-red tile expected, %ld red pixels",
                  count_rgb(px, w, h, 255, 0, 0));
    free(px);
    mat_free(C);
    mat_free(W);
}
END_TEST

START_TEST(test_templates_bad_input)
{
    Mat *W = mat_new(5, 2);
    const char *p = tu_path("b.png");
    ck_assert_int_eq(viz_save_templates(p, NULL, 2, 1, NULL), -1);
    ck_assert_msg(strstr(err_last(), "NULL") != NULL, "reason: %s", err_last());
    ck_assert_int_eq(viz_save_templates(p, W, 2, 2, NULL), -1);
    ck_assert_msg(strstr(err_last(), "channels 2") != NULL, "reason: %s", err_last());
    ck_assert_int_eq(viz_save_templates(p, W, 3, 1, NULL), -1);   /* D = 9: W has 5 rows */
    ck_assert_msg(strstr(err_last(), "need 9 rows") != NULL, "reason: %s", err_last());
    Mat *W3 = mat_new(4, 3);
    const Mat *sets[2] = {W, W3};
    ck_assert_int_eq(viz_save_template_sets(p, sets, NULL, 2, 2, 1, NULL), -1);
    ck_assert_msg(strstr(err_last(), "same classes") != NULL, "reason: %s", err_last());
    ck_assert_int_eq(viz_save_template_sets(p, sets, NULL, 0, 2, 1, NULL), -1);
    ck_assert_int_eq(viz_save_templates(NULL, W, 2, 1, NULL), -1);
    ck_assert(!tu_file_exists(p));
    mat_free(W);
    mat_free(W3);
}
END_TEST

START_TEST(test_grid_frames_and_captions)
{
    /* Two 3x3 gray images: all 0 and all 1; frames green, red, none. */
    double black[9] = {0}, white[9];
    for (int i = 0; i < 9; i++) white[i] = 1.0;
    VizCell c[4] = {
        {black, "right", VIZ_FRAME_GOOD}, {white, "wrong\nsecond line", VIZ_FRAME_BAD},
        {white, NULL, VIZ_FRAME_NONE}, {NULL, "empty", 0},
    };
    const char *rows[2] = {"row A", "row B"};
    VizGridOpts o = {.title = "grid", .row_labels = rows, .scale = 10, .note = "green: right"};
    const char *p = tu_path("g.png");
    ck_assert_msg(viz_save_grid(p, c, 2, 2, 3, 1, &o) == 0, "%s", err_last());
    int w, h, ch;
    unsigned char *px = viz_read_png(p, &w, &h, &ch);
    ck_assert(px && ch == 3);
    ck_assert_msg(count_rgb(px, w, h, 0, 0, 0) == 30 * 30, "the black image, 30x30 px: %ld",
                  count_rgb(px, w, h, 0, 0, 0));
    ck_assert_msg(count_rgb(px, w, h, 0, 158, 115) > 4 * 30, "a green frame");
    ck_assert_msg(count_rgb(px, w, h, 213, 40, 40) > 4 * 30, "a red frame");
    free(px);
    /* Values outside [0, 1] are clamped; rescale stretches each image. */
    double ramp[9] = {-1, 0, 0, 0, 0.5, 0, 0, 0, 3};
    VizCell r = {ramp, NULL, 0};
    VizGridOpts os = {.scale = 2, .rescale = true};
    ck_assert_msg(viz_save_grid(p, &r, 1, 1, 3, 1, &os) == 0, "%s", err_last());
    px = viz_read_png(p, &w, &h, &ch);
    ck_assert_msg(count_rgb(px, w, h, 0, 0, 0) == 4 && count_rgb(px, w, h, 64, 64, 64) == 4 * 6,
                  "rescaled: -1 -> 0 and 0 -> 64 of 255");
    free(px);
}
END_TEST

START_TEST(test_grid_uses)
{
    int side = 4, D = 16, N = 12;
    Mat *X = mat_new(N, D);
    int y[12], pred[12];
    for (int i = 0; i < N; i++) {
        y[i] = i % 3;
        pred[i] = i < 6 ? y[i] : (y[i] + 1) % 3;
        for (int d = 0; d < D; d++) MAT_AT(X, i, d) = (double)((i + d) % 5) / 4;
    }
    const char *names[3] = {"Shirt", "Coat", "Bag"};
    ck_assert_msg(viz_save_class_samples(tu_path("s.png"), "samples", X, y, 3, names, 5, side, 1) == 0, "%s",
                  err_last());
    int nn[2 * 3] = {0, 3, 1, 11, 2, 5};
    double d[6] = {0.5, 1, 1.5, 2, 2.5, 3};
    Mat q = mat_rows_view(X, 0, 2);
    ck_assert_msg(viz_save_neighbors(tu_path("n.png"), "neighbours", &q, y, 2, X, y, nn, d, 3, names, side, 1) == 0,
                  "%s", err_last());
    int w, h, ch;
    unsigned char *px = viz_read_png(tu_path("n.png"), &w, &h, &ch);
    ck_assert(px != NULL);
    ck_assert_msg(count_rgb(px, w, h, 0, 114, 178) > 0, "the test images have blue frames");
    ck_assert_msg(count_rgb(px, w, h, 0, 158, 115) > 0 && count_rgb(px, w, h, 213, 40, 40) > 0,
                  "neighbours of the same class green, others red");
    free(px);
    ck_assert_msg(viz_save_misclassified(tu_path("m.png"), "mistakes", X, y, pred, N, names, 4, 2, side, 1) == 0,
                  "%s", err_last());
    ck_assert_msg(viz_save_misclassified(tu_path("none.png"), "none", X, y, y, N, names, 4, 2, side, 1) == 0, "%s",
                  err_last());
    ck_assert(tu_file_exists(tu_path("none.png")));
    /* Bad input: a reason, no crash. */
    nn[1] = 99;
    ck_assert_int_eq(viz_save_neighbors(tu_path("x.png"), NULL, &q, y, 2, X, y, nn, NULL, 3, names, side, 1), -1);
    ck_assert_msg(strstr(err_last(), "nn[1] = 99") != NULL, "reason: %s", err_last());
    ck_assert_int_eq(viz_save_class_samples(tu_path("x.png"), NULL, X, y, 3, names, 5, 5, 1), -1);   /* D 25 */
    ck_assert_msg(strstr(err_last(), "need 25 columns") != NULL, "reason: %s", err_last());
    ck_assert_int_eq(viz_save_class_samples(tu_path("x.png"), NULL, X, NULL, 3, names, 5, side, 1), -1);
    ck_assert_int_eq(viz_save_misclassified(tu_path("x.png"), NULL, X, y, pred, N, names, 4, 2, side, 2), -1);
    ck_assert_int_eq(viz_save_grid(tu_path("x.png"), NULL, 1, 1, side, 1, NULL), -1);
    VizCell one = {0};
    ck_assert_int_eq(viz_save_grid(tu_path("x.png"), &one, 0, 1, side, 1, NULL), -1);
    ck_assert(!tu_file_exists(tu_path("x.png")));
    mat_free(X);
}
END_TEST

Suite *viz_suite(void)
{
    Suite *s = suite_create("viz");
    TCase *core = tcase_create("core");
    tu_scratch_fixtures(core);
    tcase_add_test(core, test_png_roundtrip);
    tcase_add_test(core, test_png_overwrite);
    tcase_add_test(core, test_tiles_dimensions);
    tcase_add_test(core, test_tiles_caption_dimensions);
    tcase_add_test(core, test_tiles_title);
    tcase_add_test(core, test_tiles_rescaled_pattern);
    tcase_add_test(core, test_tiles_rgb_planar);
    tcase_add_test(core, test_tiles_captions_drawn);
    tcase_add_test(core, test_templates_colour_map);
    tcase_add_test(core, test_templates_size_key_and_sets);
    tcase_add_test(core, test_grid_frames_and_captions);
    tcase_add_test(core, test_grid_uses);
    suite_add_tcase(s, core);
    TCase *limits = tcase_create("limits");
    tu_scratch_fixtures(limits);
    tcase_set_timeout(limits, 20);
    tcase_add_test(limits, test_png_unwritable);
    tcase_add_test(limits, test_png_bad_arguments);
    tcase_add_test(limits, test_png_libpng_error_cleans_up);
    tcase_add_test(limits, test_png_read_bad_files);
    tcase_add_test(limits, test_png_read_flavours);
    tcase_add_test(limits, test_tiles_constant_and_nan);
    tcase_add_test(limits, test_tiles_bad_arguments);
    tcase_add_test(limits, test_templates_bad_input);
    tcase_add_test_raise_signal(limits, test_tiles_wrong_shape_aborts, SIGABRT);
    suite_add_tcase(s, limits);
    return s;
}
