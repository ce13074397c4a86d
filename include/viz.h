/*
 * viz.h - images through libpng: write and read PNG, and tile weight templates.
 *
 * Functions return 0 on success and -1 on failure with a reason in err_last();
 * they never print or exit.
 */
#ifndef GRADLAB_VIZ_H
#define GRADLAB_VIZ_H

#include "mat.h"

/* Writes 8-bit pixels: channels 1 (gray) or 3 (RGB), row-major, interleaved. */
int viz_write_png(const char *path, const unsigned char *pixels, int width, int height, int channels);
/* Reads a PNG as 8-bit gray (channels 1) or RGB (3) as stored; free() the result. */
unsigned char *viz_read_png(const char *path, int *width, int *height, int *channels);

/* Draws each column of W as an image and tiles them in a grid with captions.
 * W is (D, K) or (D+1, K) (a trailing bias row is ignored), D = side*side*channels;
 * channels 1, or 3 with CIFAR's planar RGB order. Each column is rescaled on its
 * own to 0..255 (min -> 0, max -> 255). captions: K strings drawn under the
 * tiles, or NULL for none. cols_per_row: tiles per row (0 = automatic).
 * scale: integer upscaling of each pixel (>= 1). */
int viz_save_tiles(const char *path, const Mat *W, int side, int channels,
                   const char *const *captions, int cols_per_row, int scale);
/* The same with a title centred above the grid (NULL or "" for none). */
int viz_save_tiles_titled(const char *path, const char *title, const Mat *W, int side, int channels,
                          const char *const *captions, int cols_per_row, int scale);

#endif
