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

/* ================================================================== figures for slides
 *
 * Everything below draws into an RGB canvas (white paper) and writes it with
 * viz_write_png. One renderer lays out a grid of cells (an image plus a
 * caption, an optional coloured frame), row labels at the left, column headers,
 * a title, a colour key and a note; the public functions only fill cells. */

typedef struct {
    unsigned char *px;   /* w * h * 3 */
    int w, h;
} VizCanvas;

typedef struct {
    unsigned char r, g, b;
} VizRGB;

static const VizRGB viz_ink = {40, 40, 40}, viz_grey = {110, 110, 110}, viz_rule = {190, 190, 190};
static const VizRGB viz_frames[4] = {{255, 255, 255}, {0, 158, 115}, {213, 40, 40}, {0, 114, 178}};

static void viz_put(VizCanvas *c, int x, int y, VizRGB col)
{
    if (x < 0 || y < 0 || x >= c->w || y >= c->h) return;
    unsigned char *p = c->px + ((size_t)y * c->w + x) * 3;
    p[0] = col.r, p[1] = col.g, p[2] = col.b;
}

static void viz_fill(VizCanvas *c, int x0, int y0, int w, int h, VizRGB col)
{
    for (int y = y0; y < y0 + h; y++)
        for (int x = x0; x < x0 + w; x++) viz_put(c, x, y, col);
}

/* A rectangle outline t pixels thick, drawn outside the box (x0, y0, w, h). */
static void viz_outline(VizCanvas *c, int x0, int y0, int w, int h, int t, VizRGB col)
{
    viz_fill(c, x0 - t, y0 - t, w + 2 * t, t, col);
    viz_fill(c, x0 - t, y0 + h, w + 2 * t, t, col);
    viz_fill(c, x0 - t, y0, t, h, col);
    viz_fill(c, x0 + w, y0, t, h, col);
}

static void viz_char_rgb(VizCanvas *c, int x0, int y0, int fs, unsigned char ch, VizRGB col)
{
    if (ch < 32 || ch > 126) ch = '?';
    const unsigned char *g = viz_font[ch - 32];
    for (int r = 0; r < VIZ_GLYPH_H; r++)
        for (int k = 0; k < VIZ_GLYPH_W; k++)
            if (g[r] >> (VIZ_GLYPH_W - 1 - k) & 1) viz_fill(c, x0 + k * fs, y0 + r * fs, fs, fs, col);
}

/* Height of one text line at font fs, with its gap to the next. */
static int viz_line_h(int fs)
{
    return (VIZ_GLYPH_H + 3) * fs;
}

/* Lines in s ('\n'-separated) and the longest one's length in characters. */
static int viz_text_lines(const char *s, int *longest)
{
    int lines = 0, cur = 0, most = 0;
    if (s && *s) {
        lines = 1;
        for (const char *p = s; *p; p++) {
            if (*p == '\n') {
                lines++;
                cur = 0;
            } else if (++cur > most)
                most = cur;
        }
    }
    if (longest) *longest = most;
    return lines;
}

/* Draws s line by line from top y; align: -1 left of x, 0 centred on x, 1 right-aligned at x.
 * Lines longer than max_w pixels (0: no limit) are cut. */
static void viz_text(VizCanvas *c, const char *s, int x, int y, int fs, int align, int max_w, VizRGB col)
{
    if (!s) return;
    while (*s) {
        int n = (int)strcspn(s, "\n");
        int shown = n;
        if (max_w > 0) {
            int fit = (max_w / fs + 1) / VIZ_ADVANCE;
            if (shown > fit) shown = fit;
        }
        int w = viz_text_width(shown, fs);
        int x0 = align < 0 ? x : align == 0 ? x - w / 2 : x - w;
        for (int i = 0; i < shown; i++) viz_char_rgb(c, x0 + i * VIZ_ADVANCE * fs, y, fs, (unsigned char)s[i], col);
        s += n;
        if (*s == '\n') s++;
        y += viz_line_h(fs);
    }
}

/* Blue - white - red for t in [-1, 1] (ColorBrewer RdBu, 5 stops). */
static VizRGB viz_diverging(double t)
{
    static const double stops[5][3] = {
        {33, 102, 172}, {146, 197, 222}, {247, 247, 247}, {244, 165, 130}, {178, 24, 43},
    };
    if (isnan(t)) t = 0;
    if (t < -1) t = -1;
    if (t > 1) t = 1;
    double u = (t + 1) * 2;   /* 0..4 */
    int i = (int)floor(u);
    if (i > 3) i = 3;
    double a = u - i;
    VizRGB out;
    out.r = (unsigned char)lround(stops[i][0] + a * (stops[i + 1][0] - stops[i][0]));
    out.g = (unsigned char)lround(stops[i][1] + a * (stops[i + 1][1] - stops[i][1]));
    out.b = (unsigned char)lround(stops[i][2] + a * (stops[i + 1][2] - stops[i][2]));
    return out;
}

/* How a cell's values become colours. */
enum { VIZ_MAP_CLAMP01, VIZ_MAP_RANGE, VIZ_MAP_DIVERGING };

typedef struct {
    const double *px;    /* value i at px[i * stride]; NULL: an empty cell */
    size_t stride;
    int map;             /* VIZ_MAP_* */
    double lo, hi;       /* RANGE: lo..hi -> 0..255; DIVERGING: hi = m, w / m -> [-1, 1] */
    const char *caption;
    int frame;
} VizItem;

/* The colour key under a figure: a bar and three labels, with a caption line. */
typedef struct {
    int kind;            /* 0 none, 1 diverging, 2 gray ramp */
    const char *lo, *mid, *hi, *caption;
} VizKey;

typedef struct {
    const char *title, *note;
    const char *const *row_labels;   /* rows */
    const char *const *col_labels;   /* cols */
    VizKey key;
} VizFigure;

/* Min and max of the finite values among D values at stride; false when none. */
static bool viz_minmax(const double *p, size_t stride, int D, double *lo, double *hi)
{
    double a = INFINITY, b = -INFINITY;
    for (int i = 0; i < D; i++) {
        double v = p[(size_t)i * stride];
        if (!isfinite(v)) continue;
        a = fmin(a, v), b = fmax(b, v);
    }
    *lo = a, *hi = b;
    return a <= b;
}

static void viz_draw_item(VizCanvas *c, const VizItem *it, int side, int nch, int scale, int x0, int y0)
{
    int S = side * side;
    for (int r = 0; r < side; r++)
        for (int q = 0; q < side; q++) {
            VizRGB col;
            double v[3];
            for (int ch = 0; ch < nch; ch++) v[ch] = it->px[((size_t)ch * S + (size_t)r * side + q) * it->stride];
            if (it->map == VIZ_MAP_DIVERGING) {
                col = viz_diverging(it->hi > 0 ? v[0] / it->hi : 0);
            } else {
                unsigned char u[3] = {0, 0, 0};
                for (int ch = 0; ch < nch; ch++) {
                    double t = v[ch];
                    if (it->map == VIZ_MAP_RANGE) t = it->hi > it->lo ? (t - it->lo) / (it->hi - it->lo) : 0.5;
                    if (isnan(t)) t = 0;
                    t = t < 0 ? 0 : t > 1 ? 1 : t;
                    u[ch] = (unsigned char)lround(t * 255.0);
                }
                if (nch == 1) u[1] = u[2] = u[0];
                col.r = u[0], col.g = u[1], col.b = u[2];
            }
            viz_fill(c, x0 + q * scale, y0 + r * scale, scale, scale, col);
        }
}

/* Lays out and writes the figure: rows x cols items. */
static int viz_render(const char *path, const VizFigure *F, const VizItem *items, int rows, int cols, int side,
                      int nch, int scale)
{
    const int fs = 2, M = 14;
    int tile = side * scale;
    int gap = tile / 10 > 8 ? tile / 10 : 8;
    bool frames = false;
    int cap_lines = 0, cap_long = 0;
    for (int i = 0; i < rows * cols; i++) {
        if (items[i].frame) frames = true;
        int longest, n = viz_text_lines(items[i].caption, &longest);
        if (n > cap_lines) cap_lines = n;
        if (longest > cap_long) cap_long = longest;
    }
    int fw = frames ? (tile >= 84 ? 4 : 3) : 1;   /* frame, or a thin rule around each tile */
    int box = tile + 2 * fw;
    int cell_w = box;
    int need = viz_text_width(cap_long, fs) + 12;   /* a clear space between neighbouring captions */
    if (need > cell_w) cell_w = need < 2 * box ? need : 2 * box;
    int cap_h = cap_lines ? 3 * fs + cap_lines * viz_line_h(fs) : 0;
    int cell_h = box + cap_h;
    int label_w = 0, header_h = 0;
    for (int r = 0; F->row_labels && r < rows; r++) {
        int longest;
        viz_text_lines(F->row_labels[r], &longest);
        int w = viz_text_width(longest, fs);
        if (w > label_w) label_w = w;
    }
    if (label_w) label_w += gap + 4;
    for (int q = 0; F->col_labels && q < cols; q++) {
        int n = viz_text_lines(F->col_labels[q], NULL);
        if (n * viz_line_h(fs) + fs * 2 > header_h) header_h = n * viz_line_h(fs) + fs * 2;
    }
    int grid_w = label_w + cols * cell_w + (cols - 1) * gap;
    int grid_h = header_h + rows * cell_h + (rows - 1) * gap;
    /* The title at 3x when it fits the grid's width, else 2x. */
    int tfs = 0, title_h = 0, title_w = 0;
    if (F->title && *F->title) {
        int longest, n = viz_text_lines(F->title, &longest);
        tfs = viz_text_width(longest, 3) <= grid_w ? 3 : 2;
        title_w = viz_text_width(longest, tfs);
        title_h = n * viz_line_h(tfs) + 10;
    }
    int key_h = 0, key_w = 0, bar_w = 0;
    if (F->key.kind) {
        bar_w = grid_w - label_w < 420 ? grid_w - label_w : 420;
        if (bar_w < 200) bar_w = 200;
        int longest;
        viz_text_lines(F->key.caption, &longest);
        key_w = viz_text_width(longest, fs);
        if (bar_w > key_w) key_w = bar_w;
        key_h = 12 + viz_line_h(fs) + 18 + 6 + viz_line_h(fs);
    }
    int note_h = 0, note_w = 0;
    if (F->note && *F->note) {
        int longest, n = viz_text_lines(F->note, &longest);
        note_w = viz_text_width(longest, fs);
        note_h = 10 + n * viz_line_h(fs);
    }
    int W = grid_w;
    if (title_w > W) W = title_w;
    if (key_w > W) W = key_w;
    if (note_w > W) W = note_w;
    W += 2 * M;
    int H = M + title_h + grid_h + key_h + note_h + M;
    if ((size_t)W * (size_t)H > VIZ_MAX_BYTES / 3) {
        err_set("%s: figure too large (%dx%d pixels)", path, W, H);
        return -1;
    }
    VizCanvas c = {malloc((size_t)W * H * 3), W, H};
    if (!c.px) {
        err_set("%s: out of memory for a %dx%d image", path, W, H);
        return -1;
    }
    memset(c.px, VIZ_PAPER, (size_t)W * H * 3);
    int y = M;
    if (tfs) {
        viz_text(&c, F->title, W / 2, y, tfs, 0, 0, viz_ink);
        y += title_h;
    }
    int gx = (W - grid_w) / 2;
    for (int q = 0; F->col_labels && q < cols; q++)
        viz_text(&c, F->col_labels[q], gx + label_w + q * (cell_w + gap) + cell_w / 2, y, fs, 0, cell_w + gap,
                 viz_ink);
    y += header_h;
    for (int r = 0; r < rows; r++) {
        int cy = y + r * (cell_h + gap);
        if (F->row_labels && F->row_labels[r]) {
            int n = viz_text_lines(F->row_labels[r], NULL);
            viz_text(&c, F->row_labels[r], gx + label_w - gap - 4 + 2, cy + box / 2 - n * viz_line_h(fs) / 2, fs, 1,
                     0, viz_ink);
        }
        for (int q = 0; q < cols; q++) {
            const VizItem *it = &items[r * cols + q];
            int cx = gx + label_w + q * (cell_w + gap);
            int tx = cx + (cell_w - tile) / 2, ty = cy + fw;
            if (it->px) {
                viz_draw_item(&c, it, side, nch, scale, tx, ty);
                viz_outline(&c, tx, ty, tile, tile, fw, it->frame ? viz_frames[it->frame & 3] : viz_rule);
            }
            if (it->caption)
                viz_text(&c, it->caption, cx + cell_w / 2, cy + box + 3 * fs, fs, 0, cell_w + gap - 2,
                         it->frame == VIZ_FRAME_BAD ? viz_frames[VIZ_FRAME_BAD] : viz_ink);
        }
    }
    y += grid_h - header_h;
    if (F->key.kind) {
        int bx = gx + label_w + (grid_w - label_w - bar_w) / 2, by = y + 12;
        if (bx < M) bx = M;
        viz_text(&c, F->key.caption, bx + bar_w / 2, by, fs, 0, 0, viz_grey);
        by += viz_line_h(fs);
        for (int x = 0; x < bar_w; x++) {
            double t = (double)x / (bar_w - 1);
            VizRGB col;
            if (F->key.kind == 1)
                col = viz_diverging(2 * t - 1);
            else
                col.r = col.g = col.b = (unsigned char)lround(t * 255);
            viz_fill(&c, bx + x, by, 1, 18, col);
        }
        viz_outline(&c, bx, by, bar_w, 18, 1, viz_grey);
        by += 18 + 6;
        viz_text(&c, F->key.lo, bx, by, fs, -1, 0, viz_ink);
        viz_text(&c, F->key.mid, bx + bar_w / 2, by, fs, 0, 0, viz_ink);
        viz_text(&c, F->key.hi, bx + bar_w, by, fs, 1, 0, viz_ink);
        y += key_h;
    }
    if (note_h) viz_text(&c, F->note, W / 2, y + 10, fs, 0, 0, viz_grey);
    int rc = viz_write_png(path, c.px, W, H, 3);
    free(c.px);
    return rc;
}

/* ------------------------------------------------------------------ templates */

/* Checks side/channels and the shape of W; fills D and K. */
static int viz_check_W(const char *path, const char *fn, const Mat *W, int side, int channels, int *D, int *K)
{
    if (!W) {
        err_set("%s: %s: W is NULL", path, fn);
        return -1;
    }
    if (side < 1 || side > 4096 || (channels != 1 && channels != 3)) {
        err_set("%s: %s: side %d, channels %d (want side >= 1 and channels 1 or 3)", path, fn, side, channels);
        return -1;
    }
    *D = side * side * channels;
    if (W->rows != *D && W->rows != *D + 1) {
        err_set("%s: %s: W is (%dx%d) but side %d and %d channel(s) need %d rows (or %d with a bias row)", path, fn,
                W->rows, W->cols, side, channels, *D, *D + 1);
        return -1;
    }
    if (W->cols < 1) {
        err_set("%s: %s: W has no columns, so there are no templates to draw", path, fn);
        return -1;
    }
    *K = W->cols;
    return 0;
}

/* Short number for key labels and set labels. */
static void viz_num(double v, char *out, size_t n)
{
    snprintf(out, n, "%.3g", v);
}

int viz_save_templates(const char *path, const Mat *W, int side, int channels, const VizTemplateOpts *o)
{
    return viz_save_template_sets(path, &W, NULL, 1, side, channels, o);
}

int viz_save_template_sets(const char *path, const Mat *const *Ws, const char *const *set_labels, int nsets,
                           int side, int channels, const VizTemplateOpts *o)
{
    static const VizTemplateOpts defaults;
    if (!o) o = &defaults;
    if (!path || !*path) {
        err_set("viz_save_templates: no path given");
        return -1;
    }
    if (!Ws || nsets < 1 || nsets > 64) {
        err_set("%s: %d template set(s)%s (want 1..64)", path, nsets, Ws ? "" : " and no array");
        return -1;
    }
    if (o->scale < 0 || o->cols_per_row < 0 || o->shared < 0 || o->shared > 2) {
        err_set("%s: scale %d, cols_per_row %d, shared %d (want scale, cols_per_row >= 0 and shared 0..2)", path,
                o->scale, o->cols_per_row, o->shared);
        return -1;
    }
    int D = 0, K = 0;
    for (int s = 0; s < nsets; s++) {
        int d, k;
        if (viz_check_W(path, "viz_save_templates", Ws[s], side, channels, &d, &k) != 0) return -1;
        if (s > 0 && k != K) {
            err_set("%s: template set %d has %d columns, set 0 has %d (all sets need the same classes)", path, s, k,
                    K);
            return -1;
        }
        D = d, K = k;
    }
    int scale = o->scale ? o->scale : (112 + side - 1) / side;
    if (!o->scale && scale < 4) scale = 4;
    if ((long long)side * scale > 2000) {
        err_set("%s: tiles too large (side %d, scale %d)", path, side, scale);
        return -1;
    }
    int cols = o->cols_per_row ? (o->cols_per_row < K ? o->cols_per_row : K)
                               : K <= 10 ? K : (int)ceil(sqrt((double)K));
    int rows_per = (K + cols - 1) / cols, rows = rows_per * nsets;
    VizItem *items = calloc((size_t)rows * cols, sizeof *items);
    const char **labels = calloc((size_t)rows, sizeof *labels);
    char (*lbuf)[160] = calloc((size_t)nsets, sizeof *lbuf);
    if (!items || !labels || !lbuf) {
        free(items), free(labels), free(lbuf);
        err_set("%s: out of memory", path);
        return -1;
    }
    /* Scales: m (gray, symmetric) or lo..hi (RGB), per tile, per set or for all. */
    double all_lo = INFINITY, all_hi = -INFINITY;
    double *set_lo = malloc(sizeof *set_lo * (size_t)nsets * 2), *set_hi = set_lo ? set_lo + nsets : NULL;
    if (!set_lo) {
        free(items), free(labels), free(lbuf);
        err_set("%s: out of memory", path);
        return -1;
    }
    for (int s = 0; s < nsets; s++) {
        set_lo[s] = INFINITY, set_hi[s] = -INFINITY;
        for (int k = 0; k < K; k++) {
            double a, b;
            if (!viz_minmax(&MAT_AT(Ws[s], 0, k), (size_t)K, D, &a, &b)) continue;
            set_lo[s] = fmin(set_lo[s], a), set_hi[s] = fmax(set_hi[s], b);
        }
        all_lo = fmin(all_lo, set_lo[s]), all_hi = fmax(all_hi, set_hi[s]);
    }
    for (int s = 0; s < nsets; s++) {
        for (int k = 0; k < K; k++) {
            VizItem *it = &items[(s * rows_per + k / cols) * cols + k % cols];
            it->px = &MAT_AT(Ws[s], 0, k);
            it->stride = (size_t)K;
            it->caption = o->captions ? o->captions[k] : NULL;
            double lo, hi;
            if (o->shared == VIZ_SCALE_ALL) lo = all_lo, hi = all_hi;
            else if (o->shared == VIZ_SCALE_SET) lo = set_lo[s], hi = set_hi[s];
            else viz_minmax(it->px, it->stride, D, &lo, &hi);
            if (channels == 1) {
                it->map = VIZ_MAP_DIVERGING;
                it->hi = lo <= hi ? fmax(fabs(lo), fabs(hi)) : 0;
            } else {
                it->map = VIZ_MAP_RANGE;
                it->lo = lo, it->hi = hi;
            }
        }
        if (set_labels || o->shared == VIZ_SCALE_SET) {
            const char *name = set_labels && set_labels[s] ? set_labels[s] : "";
            char m[32];
            if (o->shared == VIZ_SCALE_SET && channels == 1) {
                viz_num(set_lo[s] <= set_hi[s] ? fmax(fabs(set_lo[s]), fabs(set_hi[s])) : 0, m, sizeof m);
                snprintf(lbuf[s], sizeof lbuf[s], "%s%smax|w| %s", name, *name ? "\n" : "", m);
            } else
                snprintf(lbuf[s], sizeof lbuf[s], "%s", name);
            labels[s * rows_per] = lbuf[s];
        }
    }
    VizFigure F = {.title = o->title, .row_labels = (set_labels || o->shared == VIZ_SCALE_SET) ? labels : NULL};
    char lo_s[48], hi_s[48], cap[160];
    if (!o->no_key) {
        if (channels == 1) {
            F.key.kind = 1;
            F.key.mid = "0";
            if (o->shared == VIZ_SCALE_ALL) {
                double m = all_lo <= all_hi ? fmax(fabs(all_lo), fabs(all_hi)) : 0;
                viz_num(-m, lo_s, sizeof lo_s);
                snprintf(hi_s, sizeof hi_s, "+%.3g", m);
                F.key.lo = lo_s, F.key.hi = hi_s;
                snprintf(cap, sizeof cap, "weight (one scale for all tiles)");
            } else {
                F.key.lo = "-max|w|", F.key.hi = "+max|w|";
                snprintf(cap, sizeof cap, "weight, scaled to the max |w| of %s",
                         o->shared == VIZ_SCALE_SET ? "each row (at its left)" : "each tile");
            }
        } else {
            F.key.kind = 2;
            F.key.lo = "min", F.key.mid = "", F.key.hi = "max";
            snprintf(cap, sizeof cap, "each value rescaled to the min..max of %s (R, G, B)",
                     o->shared == VIZ_SCALE_ALL ? "all tiles" : o->shared == VIZ_SCALE_SET ? "its row" : "its tile");
        }
        F.key.caption = cap;
    }
    int rc = viz_render(path, &F, items, rows, cols, side, channels, scale);
    free(items), free(labels), free(lbuf), free(set_lo);
    return rc;
}

/* ------------------------------------------------------------------ image grids */

static int viz_auto_scale(int side)
{
    return side <= 32 ? 4 : side >= 128 ? 1 : 128 / side;
}

static bool viz_side_ok(const char *path, int side, int channels)
{
    if (side < 1 || side > 4096 || (channels != 1 && channels != 3)) {
        err_set("%s: side %d, channels %d (want side >= 1 and channels 1 or 3)", path, side, channels);
        return false;
    }
    return true;
}

int viz_save_grid(const char *path, const VizCell *cells, int rows, int cols, int side, int channels,
                  const VizGridOpts *o)
{
    static const VizGridOpts defaults;
    if (!o) o = &defaults;
    if (!path || !*path) {
        err_set("viz_save_grid: no path given");
        return -1;
    }
    if (!cells || rows < 1 || cols < 1 || rows > 1000 || cols > 1000) {
        err_set("%s: a %d x %d grid%s (want 1..1000 rows and columns)", path, rows, cols,
                cells ? "" : " with no cells");
        return -1;
    }
    if (!viz_side_ok(path, side, channels)) return -1;
    if (o->scale < 0 || (long long)side * (o->scale ? o->scale : 1) > 2000) {
        err_set("%s: scale %d for side %d (want 0 for automatic, or tiles up to 2000 px)", path, o->scale, side);
        return -1;
    }
    int D = side * side * channels;
    VizItem *items = calloc((size_t)rows * cols, sizeof *items);
    if (!items) {
        err_set("%s: out of memory", path);
        return -1;
    }
    for (int i = 0; i < rows * cols; i++) {
        items[i].px = cells[i].pixels;
        items[i].stride = 1;
        items[i].caption = cells[i].caption;
        items[i].frame = cells[i].frame >= 0 && cells[i].frame <= 3 ? cells[i].frame : 0;
        items[i].map = VIZ_MAP_CLAMP01;
        if (o->rescale && cells[i].pixels) {
            items[i].map = VIZ_MAP_RANGE;
            viz_minmax(cells[i].pixels, 1, D, &items[i].lo, &items[i].hi);
        }
    }
    VizFigure F = {.title = o->title, .note = o->note, .row_labels = o->row_labels, .col_labels = o->col_labels};
    int rc = viz_render(path, &F, items, rows, cols, side, channels, o->scale ? o->scale : viz_auto_scale(side));
    free(items);
    return rc;
}

/* class_names[k], or "class k" written into buf. */
static const char *viz_class(const char *const *names, int k, char *buf, size_t n)
{
    if (names && names[k]) return names[k];
    snprintf(buf, n, "class %d", k);
    return buf;
}

/* Checks X against side/channels; -1 with a reason. */
static int viz_check_X(const char *path, const char *what, const Mat *X, int side, int channels)
{
    if (!X) {
        err_set("%s: %s is NULL", path, what);
        return -1;
    }
    if (!viz_side_ok(path, side, channels)) return -1;
    if (X->cols != side * side * channels) {
        err_set("%s: %s is (%dx%d) but side %d and %d channel(s) need %d columns", path, what, X->rows, X->cols, side,
                channels, side * side * channels);
        return -1;
    }
    return 0;
}

int viz_save_class_samples(const char *path, const char *title, const Mat *X, const int *y, int K,
                           const char *const *class_names, int per_class, int side, int channels)
{
    if (!path || !*path) {
        err_set("viz_save_class_samples: no path given");
        return -1;
    }
    if (viz_check_X(path, "X", X, side, channels) != 0) return -1;
    if (!y || K < 1 || K > 1000 || per_class < 1 || per_class > 1000) {
        err_set("%s: K %d, per_class %d%s (want 1..1000 and labels)", path, K, per_class, y ? "" : ", y is NULL");
        return -1;
    }
    VizCell *cells = calloc((size_t)K * per_class, sizeof *cells);
    char (*names)[24] = calloc((size_t)K, sizeof *names);
    const char **labels = calloc((size_t)K, sizeof *labels);
    int *filled = calloc((size_t)K, sizeof *filled);
    if (!cells || !names || !labels || !filled) {
        free(cells), free(names), free(labels), free(filled);
        err_set("%s: out of memory", path);
        return -1;
    }
    for (int k = 0; k < K; k++) labels[k] = viz_class(class_names, k, names[k], sizeof names[k]);
    for (int i = 0; i < X->rows; i++) {
        int k = y[i];
        if (k < 0 || k >= K || filled[k] >= per_class) continue;
        cells[(size_t)k * per_class + filled[k]++].pixels = &MAT_AT(X, i, 0);
    }
    VizGridOpts o = {.title = title, .row_labels = labels};
    int rc = viz_save_grid(path, cells, K, per_class, side, channels, &o);
    free(cells), free(names), free(labels), free(filled);
    return rc;
}

int viz_save_neighbors(const char *path, const char *title, const Mat *Xq, const int *yq, int nq, const Mat *Xref,
                       const int *yref, const int *nn, const double *dist, int k, const char *const *class_names,
                       int side, int channels)
{
    if (!path || !*path) {
        err_set("viz_save_neighbors: no path given");
        return -1;
    }
    if (viz_check_X(path, "Xq", Xq, side, channels) != 0 || viz_check_X(path, "Xref", Xref, side, channels) != 0)
        return -1;
    if (!yq || !yref || !nn || nq < 1 || nq > Xq->rows || k < 1 || k > 100) {
        err_set("%s: nq %d (Xq has %d rows), k %d%s (want 1 <= nq <= rows, 1 <= k <= 100, and labels and indices)",
                path, nq, Xq->rows, k, !yq || !yref || !nn ? ", an array is NULL" : "");
        return -1;
    }
    for (int i = 0; i < nq * k; i++)
        if (nn[i] < 0 || nn[i] >= Xref->rows) {
            err_set("%s: neighbour index nn[%d] = %d is outside Xref's %d rows", path, i, nn[i], Xref->rows);
            return -1;
        }
    int cols = k + 1;
    VizCell *cells = calloc((size_t)nq * cols, sizeof *cells);
    char (*caps)[64] = calloc((size_t)nq * cols, sizeof *caps);
    const char **heads = calloc((size_t)cols, sizeof *heads);
    char (*hbuf)[16] = calloc((size_t)cols, sizeof *hbuf);
    if (!cells || !caps || !heads || !hbuf) {
        free(cells), free(caps), free(heads), free(hbuf);
        err_set("%s: out of memory", path);
        return -1;
    }
    heads[0] = "test image";
    for (int j = 1; j < cols; j++) {
        snprintf(hbuf[j], sizeof hbuf[j], "%d%s", j, j == 1 ? "st" : j == 2 ? "nd" : j == 3 ? "rd" : "th");
        heads[j] = hbuf[j];
    }
    char nb[24];
    for (int q = 0; q < nq; q++) {
        VizCell *c = &cells[(size_t)q * cols];
        c[0].pixels = &MAT_AT(Xq, q, 0);
        c[0].frame = VIZ_FRAME_QUERY;
        snprintf(caps[(size_t)q * cols], sizeof caps[0], "%s", viz_class(class_names, yq[q], nb, sizeof nb));
        c[0].caption = caps[(size_t)q * cols];
        for (int j = 0; j < k; j++) {
            int r = nn[q * k + j];
            char *cap = caps[(size_t)q * cols + 1 + j];
            const char *name = yref[r] >= 0 ? viz_class(class_names, yref[r], nb, sizeof nb) : "?";
            if (dist)
                snprintf(cap, sizeof caps[0], "%s\nd %.3g", name, dist[q * k + j]);
            else
                snprintf(cap, sizeof caps[0], "%s", name);
            c[1 + j].pixels = &MAT_AT(Xref, r, 0);
            c[1 + j].caption = cap;
            c[1 + j].frame = yref[r] == yq[q] ? VIZ_FRAME_GOOD : VIZ_FRAME_BAD;
        }
    }
    VizGridOpts o = {.title = title, .col_labels = heads,
                     .note = "blue: the test image   green: same class   red: another class"};
    int rc = viz_save_grid(path, cells, nq, cols, side, channels, &o);
    free(cells), free(caps), free(heads), free(hbuf);
    return rc;
}

int viz_save_misclassified(const char *path, const char *title, const Mat *X, const int *y_true, const int *y_pred,
                           int n, const char *const *class_names, int max_show, int cols, int side, int channels)
{
    if (!path || !*path) {
        err_set("viz_save_misclassified: no path given");
        return -1;
    }
    if (viz_check_X(path, "X", X, side, channels) != 0) return -1;
    if (!y_true || !y_pred || n < 0 || n > X->rows || max_show < 1 || max_show > 10000 || cols < 1) {
        err_set("%s: n %d (X has %d rows), max_show %d, cols %d%s (want 0 <= n <= rows, max_show and cols >= 1)",
                path, n, X->rows, max_show, cols, !y_true || !y_pred ? ", a label array is NULL" : "");
        return -1;
    }
    int found = 0;
    for (int i = 0; i < n && found < max_show; i++) found += y_true[i] != y_pred[i];
    if (found == 0) {
        /* Still a figure, so an index page never points at a missing file. */
        VizCell empty = {.caption = "no misclassified\nexamples"};
        VizGridOpts o = {.title = title};
        return viz_save_grid(path, &empty, 1, 1, side, channels, &o);
    }
    if (cols > found) cols = found;
    int rows = (found + cols - 1) / cols;
    VizCell *cells = calloc((size_t)rows * cols, sizeof *cells);
    char (*caps)[96] = calloc((size_t)found, sizeof *caps);
    if (!cells || !caps) {
        free(cells), free(caps);
        err_set("%s: out of memory", path);
        return -1;
    }
    char a[24], b[24];
    int m = 0;
    for (int i = 0; i < n && m < found; i++) {
        if (y_true[i] == y_pred[i]) continue;
        snprintf(caps[m], sizeof caps[m], "true: %s\npred: %s", viz_class(class_names, y_true[i], a, sizeof a),
                 viz_class(class_names, y_pred[i], b, sizeof b));
        cells[m].pixels = &MAT_AT(X, i, 0);
        cells[m].caption = caps[m];
        cells[m].frame = VIZ_FRAME_BAD;
        m++;
    }
    VizGridOpts o = {.title = title};
    int rc = viz_save_grid(path, cells, rows, cols, side, channels, &o);
    free(cells), free(caps);
    return rc;
}
