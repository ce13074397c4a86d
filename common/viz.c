/*
 * viz.c - PNG files through libpng, and weight templates drawn as a captioned grid.
 *
 * Errors never print: libpng's error callback records "<path>: <reason>" with
 * err_set() and longjmps back to the function that called libpng, which frees
 * what it holds and returns -1 or NULL. Writing goes to "<path>.tmp" first and is
 * renamed into place only when complete, so a failed write never leaves a
 * half-written PNG where a figure is expected.
 */
#include "viz.h"

#include <errno.h>
#include <math.h>
#include <png.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

/* Largest image we agree to allocate (bytes): far above any figure, and keeps
 * width * height * channels well inside size_t and int arithmetic. */
#define VIZ_MAX_BYTES ((size_t)1 << 30)

/* ------------------------------------------------------------------ libpng glue */

/* libpng calls this on a fatal error; the error pointer is the file's path.
 * Recording the reason here (not after the longjmp) keeps the message intact
 * without any local variable having to survive the jump. */
static void viz_on_lib_error(png_structp lib, png_const_charp msg)
{
    const char *path = png_get_error_ptr(lib);
    err_set("%s: %s", path ? path : "(png)", msg);
    png_longjmp(lib, 1);
}

/* Warnings (e.g. an unknown chunk) are not failures; libpng would print them. */
static void viz_on_lib_warning(png_structp lib, png_const_charp msg)
{
    (void)lib;
    (void)msg;
}

/* "<path>.tmp" in new memory, or NULL with err_set. */
static char *viz_tmp_name(const char *path)
{
    size_t n = strlen(path);
    char *tmp = malloc(n + 5);
    if (!tmp) {
        err_set("%s: out of memory", path);
        return NULL;
    }
    memcpy(tmp, path, n);
    memcpy(tmp + n, ".tmp", 5);
    return tmp;
}

/* ------------------------------------------------------------------ writing */

int viz_write_png(const char *path, const unsigned char *pixels, int width, int height, int channels)
{
    if (!path || !*path) {
        err_set("viz_write_png: no path given");
        return -1;
    }
    if (!pixels || width <= 0 || height <= 0 || (channels != 1 && channels != 3)) {
        err_set("%s: cannot write a %dx%d image with %d channel(s)%s (want width, height > 0, "
                "channels 1 or 3)", path, width, height, channels, pixels ? "" : " and no pixels");
        return -1;
    }
    if ((size_t)width * (size_t)height > VIZ_MAX_BYTES / (size_t)channels) {
        err_set("%s: image too large (%dx%d)", path, width, height);
        return -1;
    }
    char *tmp = viz_tmp_name(path);
    if (!tmp) return -1;
    FILE *fp = fopen(tmp, "wb");
    if (!fp) {
        err_set("%s: cannot create %s: %s", path, tmp, strerror(errno));
        free(tmp);
        return -1;
    }
    png_structp lib = png_create_write_struct(PNG_LIBPNG_VER_STRING, (png_voidp)path,
                                              viz_on_lib_error, viz_on_lib_warning);
    png_infop info = lib ? png_create_info_struct(lib) : NULL;
    if (!info) {
        err_set("%s: out of memory starting libpng", path);
        png_destroy_write_struct(lib ? &lib : NULL, NULL);
        fclose(fp);
        remove(tmp);
        free(tmp);
        return -1;
    }
    /* Nothing the error path uses is assigned after this point, so no local
     * needs to be volatile. */
    if (setjmp(png_jmpbuf(lib))) {
        png_destroy_write_struct(&lib, &info);
        fclose(fp);
        remove(tmp);
        free(tmp);
        return -1;
    }
    png_init_io(lib, fp);
    png_set_IHDR(lib, info, (png_uint_32)width, (png_uint_32)height, 8,
                 channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_write_info(lib, info);
    size_t stride = (size_t)width * (size_t)channels;
    for (int r = 0; r < height; r++) png_write_row(lib, pixels + (size_t)r * stride);
    png_write_end(lib, NULL);
    png_destroy_write_struct(&lib, &info);

    /* A full disk shows up only when the buffered data is flushed. */
    int bad = ferror(fp);
    if (fclose(fp) != 0 || bad) {
        err_set("%s: writing %s failed: %s", path, tmp, strerror(errno));
        remove(tmp);
        free(tmp);
        return -1;
    }
    if (rename(tmp, path) != 0) {
        err_set("%s: cannot rename %s into place: %s", path, tmp, strerror(errno));
        remove(tmp);
        free(tmp);
        return -1;
    }
    free(tmp);
    return 0;
}

/* ------------------------------------------------------------------ reading */

unsigned char *viz_read_png(const char *path, int *width, int *height, int *channels)
{
    if (!path || !width || !height || !channels) {
        err_set("viz_read_png: NULL argument");
        return NULL;
    }
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        err_set("%s: cannot open: %s", path, strerror(errno));
        return NULL;
    }
    unsigned char sig[8];
    if (fread(sig, 1, sizeof sig, fp) != sizeof sig || png_sig_cmp(sig, 0, sizeof sig) != 0) {
        err_set("%s: not a PNG file (bad signature)", path);
        fclose(fp);
        return NULL;
    }
    png_structp lib = png_create_read_struct(PNG_LIBPNG_VER_STRING, (png_voidp)path,
                                             viz_on_lib_error, viz_on_lib_warning);
    png_infop info = lib ? png_create_info_struct(lib) : NULL;
    if (!info) {
        err_set("%s: out of memory starting libpng", path);
        png_destroy_read_struct(lib ? &lib : NULL, NULL, NULL);
        fclose(fp);
        return NULL;
    }
    /* Assigned after setjmp and freed on the error path: volatile, so their
     * values are still right after a longjmp. */
    unsigned char *volatile pixels = NULL;
    png_bytep *volatile rows = NULL;
    if (setjmp(png_jmpbuf(lib))) {
        free(rows);
        free(pixels);
        png_destroy_read_struct(&lib, &info, NULL);
        fclose(fp);
        return NULL;
    }
    png_init_io(lib, fp);
    png_set_sig_bytes(lib, sizeof sig);
    png_read_info(lib, info);

    /* Normalize every PNG flavour to 8-bit gray or 8-bit RGB. */
    int color = png_get_color_type(lib, info);
    int depth = png_get_bit_depth(lib, info);
    if (color == PNG_COLOR_TYPE_PALETTE) png_set_palette_to_rgb(lib);
    if (color == PNG_COLOR_TYPE_GRAY && depth < 8) png_set_expand_gray_1_2_4_to_8(lib);
    if (depth == 16) {
#ifdef PNG_READ_SCALE_16_TO_8_SUPPORTED
        png_set_scale_16(lib);   /* rounds, where strip_16 truncates */
#else
        png_set_strip_16(lib);
#endif
    }
    if (color & PNG_COLOR_MASK_ALPHA) png_set_strip_alpha(lib);
    png_set_interlace_handling(lib);
    png_read_update_info(lib, info);

    png_uint_32 w = png_get_image_width(lib, info), h = png_get_image_height(lib, info);
    int ch = png_get_channels(lib, info);
    if (ch != 1 && ch != 3) png_error(lib, "unexpected channel count after conversion");
    if (w == 0 || h == 0 || (size_t)w * (size_t)h > VIZ_MAX_BYTES / (size_t)ch)
        png_error(lib, "image too large");
    size_t stride = (size_t)w * (size_t)ch;
    if (png_get_rowbytes(lib, info) != stride) png_error(lib, "unexpected row size after conversion");
    pixels = malloc(stride * h);
    rows = malloc(sizeof *rows * h);
    if (!pixels || !rows) png_error(lib, "out of memory");
    for (png_uint_32 r = 0; r < h; r++) rows[r] = pixels + (size_t)r * stride;
    png_read_image(lib, rows);
    png_read_end(lib, NULL);

    unsigned char *result = pixels;
    free(rows);
    png_destroy_read_struct(&lib, &info, NULL);
    fclose(fp);
    *width = (int)w;
    *height = (int)h;
    *channels = ch;
    return result;
}

/* ------------------------------------------------------------------ the caption font */

/* A 5-pixel-wide bitmap font for printable ASCII (32..126), drawn for gradlab.
 * Each glyph is 9 rows of 5 bits (bit 4 is the leftmost pixel): rows 0-6 hold
 * capitals and digits (row 6 is the baseline), rows 7-8 the descenders of
 * g j p q y , ; _. Characters advance 6 pixels (one blank column). */
#define VIZ_GLYPH_W 5
#define VIZ_GLYPH_H 9
#define VIZ_ADVANCE 6

static const unsigned char viz_font[95][VIZ_GLYPH_H] = {
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, /*   */
    {0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x04, 0x00, 0x00}, /* ! */
    {0x0a, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, /* " */
    {0x0a, 0x0a, 0x1f, 0x0a, 0x1f, 0x0a, 0x0a, 0x00, 0x00}, /* # */
    {0x04, 0x0f, 0x14, 0x0e, 0x05, 0x1e, 0x04, 0x00, 0x00}, /* $ */
    {0x18, 0x19, 0x02, 0x04, 0x08, 0x13, 0x03, 0x00, 0x00}, /* % */
    {0x0c, 0x12, 0x14, 0x08, 0x15, 0x12, 0x0d, 0x00, 0x00}, /* & */
    {0x04, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, /* quote */
    {0x02, 0x04, 0x08, 0x08, 0x08, 0x04, 0x02, 0x00, 0x00}, /* ( */
    {0x08, 0x04, 0x02, 0x02, 0x02, 0x04, 0x08, 0x00, 0x00}, /* ) */
    {0x00, 0x04, 0x15, 0x0e, 0x15, 0x04, 0x00, 0x00, 0x00}, /* star */
    {0x00, 0x04, 0x04, 0x1f, 0x04, 0x04, 0x00, 0x00, 0x00}, /* + */
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x06, 0x06, 0x02, 0x04}, /* , */
    {0x00, 0x00, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x00}, /* - */
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x0c, 0x0c, 0x00, 0x00}, /* . */
    {0x01, 0x01, 0x02, 0x04, 0x08, 0x10, 0x10, 0x00, 0x00}, /* slash */
    {0x0e, 0x11, 0x13, 0x15, 0x19, 0x11, 0x0e, 0x00, 0x00}, /* 0 */
    {0x04, 0x0c, 0x04, 0x04, 0x04, 0x04, 0x0e, 0x00, 0x00}, /* 1 */
    {0x0e, 0x11, 0x01, 0x02, 0x04, 0x08, 0x1f, 0x00, 0x00}, /* 2 */
    {0x1f, 0x02, 0x04, 0x02, 0x01, 0x11, 0x0e, 0x00, 0x00}, /* 3 */
    {0x02, 0x06, 0x0a, 0x12, 0x1f, 0x02, 0x02, 0x00, 0x00}, /* 4 */
    {0x1f, 0x10, 0x1e, 0x01, 0x01, 0x11, 0x0e, 0x00, 0x00}, /* 5 */
    {0x06, 0x08, 0x10, 0x1e, 0x11, 0x11, 0x0e, 0x00, 0x00}, /* 6 */
    {0x1f, 0x01, 0x02, 0x04, 0x08, 0x08, 0x08, 0x00, 0x00}, /* 7 */
    {0x0e, 0x11, 0x11, 0x0e, 0x11, 0x11, 0x0e, 0x00, 0x00}, /* 8 */
    {0x0e, 0x11, 0x11, 0x0f, 0x01, 0x02, 0x0c, 0x00, 0x00}, /* 9 */
    {0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x00, 0x00, 0x00}, /* : */
    {0x00, 0x0c, 0x0c, 0x00, 0x0c, 0x0c, 0x04, 0x08, 0x00}, /* ; */
    {0x02, 0x04, 0x08, 0x10, 0x08, 0x04, 0x02, 0x00, 0x00}, /* < */
    {0x00, 0x00, 0x1f, 0x00, 0x1f, 0x00, 0x00, 0x00, 0x00}, /* = */
    {0x08, 0x04, 0x02, 0x01, 0x02, 0x04, 0x08, 0x00, 0x00}, /* > */
    {0x0e, 0x11, 0x01, 0x02, 0x04, 0x00, 0x04, 0x00, 0x00}, /* ? */
    {0x0e, 0x11, 0x17, 0x15, 0x17, 0x10, 0x0f, 0x00, 0x00}, /* @ */
    {0x0e, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11, 0x00, 0x00}, /* A */
    {0x1e, 0x11, 0x11, 0x1e, 0x11, 0x11, 0x1e, 0x00, 0x00}, /* B */
    {0x0e, 0x11, 0x10, 0x10, 0x10, 0x11, 0x0e, 0x00, 0x00}, /* C */
    {0x1e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x1e, 0x00, 0x00}, /* D */
    {0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x1f, 0x00, 0x00}, /* E */
    {0x1f, 0x10, 0x10, 0x1e, 0x10, 0x10, 0x10, 0x00, 0x00}, /* F */
    {0x0e, 0x11, 0x10, 0x17, 0x11, 0x11, 0x0f, 0x00, 0x00}, /* G */
    {0x11, 0x11, 0x11, 0x1f, 0x11, 0x11, 0x11, 0x00, 0x00}, /* H */
    {0x0e, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e, 0x00, 0x00}, /* I */
    {0x07, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c, 0x00, 0x00}, /* J */
    {0x11, 0x12, 0x14, 0x18, 0x14, 0x12, 0x11, 0x00, 0x00}, /* K */
    {0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x1f, 0x00, 0x00}, /* L */
    {0x11, 0x1b, 0x15, 0x15, 0x11, 0x11, 0x11, 0x00, 0x00}, /* M */
    {0x11, 0x11, 0x19, 0x15, 0x13, 0x11, 0x11, 0x00, 0x00}, /* N */
    {0x0e, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e, 0x00, 0x00}, /* O */
    {0x1e, 0x11, 0x11, 0x1e, 0x10, 0x10, 0x10, 0x00, 0x00}, /* P */
    {0x0e, 0x11, 0x11, 0x11, 0x15, 0x12, 0x0d, 0x00, 0x00}, /* Q */
    {0x1e, 0x11, 0x11, 0x1e, 0x14, 0x12, 0x11, 0x00, 0x00}, /* R */
    {0x0f, 0x10, 0x10, 0x0e, 0x01, 0x01, 0x1e, 0x00, 0x00}, /* S */
    {0x1f, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x00, 0x00}, /* T */
    {0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x0e, 0x00, 0x00}, /* U */
    {0x11, 0x11, 0x11, 0x11, 0x11, 0x0a, 0x04, 0x00, 0x00}, /* V */
    {0x11, 0x11, 0x11, 0x15, 0x15, 0x15, 0x0a, 0x00, 0x00}, /* W */
    {0x11, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x11, 0x00, 0x00}, /* X */
    {0x11, 0x11, 0x0a, 0x04, 0x04, 0x04, 0x04, 0x00, 0x00}, /* Y */
    {0x1f, 0x01, 0x02, 0x04, 0x08, 0x10, 0x1f, 0x00, 0x00}, /* Z */
    {0x0e, 0x08, 0x08, 0x08, 0x08, 0x08, 0x0e, 0x00, 0x00}, /* [ */
    {0x10, 0x10, 0x08, 0x04, 0x02, 0x01, 0x01, 0x00, 0x00}, /* backslash */
    {0x0e, 0x02, 0x02, 0x02, 0x02, 0x02, 0x0e, 0x00, 0x00}, /* ] */
    {0x04, 0x0a, 0x11, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, /* ^ */
    {0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x1f, 0x00}, /* _ */
    {0x08, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00}, /* ` */
    {0x00, 0x00, 0x0e, 0x01, 0x0f, 0x11, 0x0f, 0x00, 0x00}, /* a */
    {0x10, 0x10, 0x1e, 0x11, 0x11, 0x11, 0x1e, 0x00, 0x00}, /* b */
    {0x00, 0x00, 0x0e, 0x10, 0x10, 0x11, 0x0e, 0x00, 0x00}, /* c */
    {0x01, 0x01, 0x0f, 0x11, 0x11, 0x11, 0x0f, 0x00, 0x00}, /* d */
    {0x00, 0x00, 0x0e, 0x11, 0x1f, 0x10, 0x0e, 0x00, 0x00}, /* e */
    {0x06, 0x09, 0x08, 0x1c, 0x08, 0x08, 0x08, 0x00, 0x00}, /* f */
    {0x00, 0x00, 0x0f, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x0e}, /* g */
    {0x10, 0x10, 0x16, 0x19, 0x11, 0x11, 0x11, 0x00, 0x00}, /* h */
    {0x04, 0x00, 0x0c, 0x04, 0x04, 0x04, 0x0e, 0x00, 0x00}, /* i */
    {0x02, 0x00, 0x06, 0x02, 0x02, 0x02, 0x02, 0x12, 0x0c}, /* j */
    {0x10, 0x10, 0x12, 0x14, 0x18, 0x14, 0x12, 0x00, 0x00}, /* k */
    {0x0c, 0x04, 0x04, 0x04, 0x04, 0x04, 0x0e, 0x00, 0x00}, /* l */
    {0x00, 0x00, 0x1a, 0x15, 0x15, 0x15, 0x15, 0x00, 0x00}, /* m */
    {0x00, 0x00, 0x16, 0x19, 0x11, 0x11, 0x11, 0x00, 0x00}, /* n */
    {0x00, 0x00, 0x0e, 0x11, 0x11, 0x11, 0x0e, 0x00, 0x00}, /* o */
    {0x00, 0x00, 0x1e, 0x11, 0x11, 0x11, 0x1e, 0x10, 0x10}, /* p */
    {0x00, 0x00, 0x0f, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x01}, /* q */
    {0x00, 0x00, 0x16, 0x19, 0x10, 0x10, 0x10, 0x00, 0x00}, /* r */
    {0x00, 0x00, 0x0f, 0x10, 0x0e, 0x01, 0x1e, 0x00, 0x00}, /* s */
    {0x08, 0x08, 0x1c, 0x08, 0x08, 0x09, 0x06, 0x00, 0x00}, /* t */
    {0x00, 0x00, 0x11, 0x11, 0x11, 0x13, 0x0d, 0x00, 0x00}, /* u */
    {0x00, 0x00, 0x11, 0x11, 0x11, 0x0a, 0x04, 0x00, 0x00}, /* v */
    {0x00, 0x00, 0x11, 0x11, 0x15, 0x15, 0x0a, 0x00, 0x00}, /* w */
    {0x00, 0x00, 0x11, 0x0a, 0x04, 0x0a, 0x11, 0x00, 0x00}, /* x */
    {0x00, 0x00, 0x11, 0x11, 0x11, 0x11, 0x0f, 0x01, 0x0e}, /* y */
    {0x00, 0x00, 0x1f, 0x02, 0x04, 0x08, 0x1f, 0x00, 0x00}, /* z */
    {0x03, 0x04, 0x04, 0x08, 0x04, 0x04, 0x03, 0x00, 0x00}, /* { */
    {0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04, 0x04}, /* | */
    {0x18, 0x04, 0x04, 0x02, 0x04, 0x04, 0x18, 0x00, 0x00}, /* } */
    {0x00, 0x00, 0x08, 0x15, 0x02, 0x00, 0x00, 0x00, 0x00}, /* ~ */
};

/* Draws one character with its top-left corner at (x0, y0), each font pixel as
 * an fs x fs block of colour ink; parts outside the image are clipped. */
static void viz_draw_char(unsigned char *img, int iw, int ih, int nch, int x0, int y0, int fs,
                          unsigned char c, unsigned char ink)
{
    if (c < 32 || c > 126) c = '?';   /* control bytes and UTF-8 alike */
    const unsigned char *g = viz_font[c - 32];
    for (int r = 0; r < VIZ_GLYPH_H; r++)
        for (int k = 0; k < VIZ_GLYPH_W; k++) {
            if (!(g[r] >> (VIZ_GLYPH_W - 1 - k) & 1)) continue;
            for (int dy = 0; dy < fs; dy++)
                for (int dx = 0; dx < fs; dx++) {
                    int x = x0 + k * fs + dx, y = y0 + r * fs + dy;
                    if (x < 0 || y < 0 || x >= iw || y >= ih) continue;
                    unsigned char *p = img + ((size_t)y * iw + x) * nch;
                    for (int ch = 0; ch < nch; ch++) p[ch] = ink;
                }
        }
}

/* Pixel width of n characters at font scale fs (no trailing blank column). */
static int viz_text_width(int n, int fs)
{
    return n > 0 ? (n * VIZ_ADVANCE - 1) * fs : 0;
}

/* ------------------------------------------------------------------ tiles */

/* Layout of the tile grid (all in output pixels). Without captions a cell is
 * exactly one tile; with captions it gains a caption strip below, and it is
 * widened (to at most twice the tile) so class names such as "T-shirt/top"
 * stay whole instead of being cut to a few letters. */
typedef struct {
    int tile;          /* side * scale */
    int margin;        /* gap between cells and around the grid */
    int cols, rows;    /* grid shape */
    int cell_w, cell_h;
    int font;          /* font scale: 1 or 2 */
    int cap_h;         /* caption strip height (0 without captions) */
    int top, left;     /* where the grid starts: below the title, centred under it */
    int width, height; /* the whole image */
} VizLayout;

static VizLayout viz_layout(int K, int side, int scale, int cols_per_row, const char *const *captions)
{
    VizLayout L;
    L.tile = side * scale;
    L.margin = L.tile / 14 > 2 ? L.tile / 14 : 2;
    if (cols_per_row > 0)
        L.cols = cols_per_row < K ? cols_per_row : K;
    else if (K <= 10)
        L.cols = K;   /* a class-template row reads left to right like the labels */
    else
        L.cols = (int)ceil(sqrt((double)K));
    L.rows = (K + L.cols - 1) / L.cols;
    /* 2x text is readable beside tiles of 56 pixels and more; smaller tiles get 1x. */
    L.font = L.tile >= 56 ? 2 : 1;
    L.cell_w = L.tile;
    L.cap_h = 0;
    if (captions) {
        int longest = 0;
        for (int k = 0; k < K; k++) {
            int n = captions[k] ? (int)strlen(captions[k]) : 0;
            if (n > longest) longest = n;
        }
        int need = viz_text_width(longest, L.font);
        int most = 2 * L.tile;
        if (need > L.cell_w) L.cell_w = need < most ? need : most;
        L.cap_h = (VIZ_GLYPH_H + 4) * L.font;   /* 3 rows above the text, 1 below */
    }
    L.cell_h = L.tile + L.cap_h;
    L.width = L.cols * L.cell_w + (L.cols + 1) * L.margin;
    L.height = L.rows * L.cell_h + (L.rows + 1) * L.margin;
    L.top = L.left = 0;
    return L;
}

/* Title text is drawn at 2x, in a band above the grid; a title wider than the
 * grid widens the image and the grid is centred under it. */
enum { VIZ_TITLE_FONT = 2 };

static void viz_layout_title(VizLayout *L, const char *title)
{
    if (!title || !*title) return;
    int need = viz_text_width((int)strlen(title), VIZ_TITLE_FONT) + 2 * L->margin + 8;
    if (need > L->width) {
        L->left = (need - L->width) / 2;
        L->width = need;
    }
    L->top = (VIZ_GLYPH_H + 8) * VIZ_TITLE_FONT;
    L->height += L->top;
}

/* Background (white, so the figure sits cleanly on a slide) and caption ink. */
#define VIZ_PAPER 255
#define VIZ_INK 40
/* A constant tile has no contrast to stretch: show it as mid gray. */
#define VIZ_FLAT 128

/* Maps column k of W into an 8-bit (tile x tile) block at (x0, y0), min -> 0, max -> 255.
 * NaN and -Inf count as the minimum, +Inf as the maximum; the range comes from
 * the finite entries so one bad value cannot wash out the rest. */
static void viz_draw_tile(unsigned char *img, const VizLayout *L, int nch, const Mat *W, int k,
                          int side, int scale, int x0, int y0)
{
    int D = side * side * nch;
    double lo = INFINITY, hi = -INFINITY;
    for (int i = 0; i < D; i++) {
        double v = MAT_AT(W, i, k);
        if (!isfinite(v)) continue;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
    }
    bool flat = !(hi > lo);   /* also true when no entry is finite */
    for (int r = 0; r < side; r++)
        for (int c = 0; c < side; c++)
            for (int ch = 0; ch < nch; ch++) {
                /* CIFAR order: all of red, then all of green, then all of blue. */
                double v = MAT_AT(W, (size_t)ch * side * side + (size_t)r * side + c, k);
                unsigned char out;
                if (flat)
                    out = VIZ_FLAT;
                else if (isnan(v) || v <= lo)
                    out = 0;
                else if (v >= hi)
                    out = 255;
                else
                    out = (unsigned char)lround((v - lo) / (hi - lo) * 255.0);
                for (int dy = 0; dy < scale; dy++) {
                    unsigned char *p = img + ((size_t)(y0 + r * scale + dy) * L->width
                                              + (size_t)(x0 + c * scale)) * nch + ch;
                    for (int dx = 0; dx < scale; dx++) p[(size_t)dx * nch] = out;
                }
            }
}

/* Centres as much of text as fits in width pixels at (x0 .. x0+width, y0). */
static void viz_draw_caption(unsigned char *img, const VizLayout *L, int nch, const char *text,
                             int x0, int y0, int width)
{
    if (!text) return;
    int n = (int)strlen(text);
    int fit = (width / L->font + 1) / VIZ_ADVANCE;
    if (n > fit) n = fit;
    int x = x0 + (width - viz_text_width(n, L->font)) / 2;
    for (int i = 0; i < n; i++)
        viz_draw_char(img, L->width, L->height, nch, x + i * VIZ_ADVANCE * L->font, y0, L->font,
                      (unsigned char)text[i], VIZ_INK);
}

int viz_save_tiles(const char *path, const Mat *W, int side, int channels,
                   const char *const *captions, int cols_per_row, int scale)
{
    return viz_save_tiles_titled(path, NULL, W, side, channels, captions, cols_per_row, scale);
}

int viz_save_tiles_titled(const char *path, const char *title, const Mat *W, int side, int channels,
                          const char *const *captions, int cols_per_row, int scale)
{
    mat_expect_nonnull("viz_save_tiles", "W", W);
    if (!path || !*path) {
        err_set("viz_save_tiles: no path given");
        return -1;
    }
    if (side < 1 || (channels != 1 && channels != 3) || scale < 1 || cols_per_row < 0) {
        err_set("%s: bad tile parameters: side %d, channels %d, scale %d, cols_per_row %d "
                "(want side >= 1, channels 1 or 3, scale >= 1, cols_per_row >= 0)",
                path, side, channels, scale, cols_per_row);
        return -1;
    }
    if ((long long)side * side * channels > 100000000LL || (long long)side * scale > 100000) {
        err_set("%s: tiles too large (side %d, scale %d)", path, side, scale);
        return -1;
    }
    int D = side * side * channels;
    if (W->rows != D && W->rows != D + 1) mat_expect_shape("viz_save_tiles", "W", W, D, -1);
    int K = W->cols;
    if (K < 1) {
        err_set("%s: W has no columns, so there are no tiles to draw", path);
        return -1;
    }
    VizLayout L = viz_layout(K, side, scale, cols_per_row, captions);
    viz_layout_title(&L, title);
    if ((size_t)L.width * (size_t)L.height > VIZ_MAX_BYTES / (size_t)channels) {
        err_set("%s: tile grid too large (%dx%d pixels)", path, L.width, L.height);
        return -1;
    }
    size_t bytes = (size_t)L.width * L.height * channels;
    unsigned char *img = malloc(bytes);
    if (!img) {
        err_set("%s: out of memory for a %dx%d image", path, L.width, L.height);
        return -1;
    }
    memset(img, VIZ_PAPER, bytes);
    if (L.top) {
        int n = (int)strlen(title), x = (L.width - viz_text_width(n, VIZ_TITLE_FONT)) / 2;
        for (int i = 0; i < n; i++)
            viz_draw_char(img, L.width, L.height, channels, x + i * VIZ_ADVANCE * VIZ_TITLE_FONT,
                          5 * VIZ_TITLE_FONT, VIZ_TITLE_FONT, (unsigned char)title[i], VIZ_INK);
    }
    for (int k = 0; k < K; k++) {
        int gx = k % L.cols, gy = k / L.cols;
        int cx = L.left + L.margin + gx * (L.cell_w + L.margin);
        int cy = L.top + L.margin + gy * (L.cell_h + L.margin);
        viz_draw_tile(img, &L, channels, W, k, side, scale, cx + (L.cell_w - L.tile) / 2, cy);
        if (captions)
            viz_draw_caption(img, &L, channels, captions[k], cx, cy + L.tile + 3 * L.font, L.cell_w);
    }
    int rc = viz_write_png(path, img, L.width, L.height, channels);
    free(img);
    return rc;
}
