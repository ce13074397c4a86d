/*
 * viz.h - images through libpng: write and read PNG, weight templates and
 * captioned image grids drawn for slides.
 *
 * Functions return 0 on success and -1 on failure with a reason in err_last();
 * they never print or exit. (viz_save_tiles and viz_save_tiles_titled, the first
 * version, abort on a NULL W or a wrong shape; everything added after returns -1.)
 *
 * Images: rows of a Mat (or any D doubles), D = side*side*channels, channels 1
 * (gray) or 3 (planar RGB as CIFAR-10 stores it: all red, then all green, then
 * all blue), pixels in [0, 1] unless said otherwise. The figures are RGB PNGs
 * on white with a built-in 5x9 bitmap font (printable ASCII; '\n' starts a new
 * line in captions and labels).
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

/* ------------------------------------------------------------------ weight templates */

/* How the colours of template tiles are scaled (VizTemplateOpts.shared). */
enum {
    VIZ_SCALE_TILE = 0,   /* each tile on its own scale: +-max|w| of that tile (gray), or its own
                           * min..max (RGB, as CS231n does); best contrast, magnitudes not comparable */
    VIZ_SCALE_SET = 1,    /* one scale per template set (per row label); the set's max |w| is
                           * printed under its label */
    VIZ_SCALE_ALL = 2,    /* one scale for every tile in the figure; the key shows its numbers */
};

typedef struct {
    const char *title;             /* above everything; NULL: none */
    const char *const *captions;   /* K strings under the tiles (class names), or NULL */
    int cols_per_row;              /* tiles per row; 0: all K in one row when K <= 10, else ~sqrt(K) */
    int scale;                     /* pixel upscaling; 0: automatic, at least 4 and tiles >= 112 px */
    int shared;                    /* VIZ_SCALE_TILE (0), VIZ_SCALE_SET or VIZ_SCALE_ALL */
    bool no_key;                   /* leave out the colour key (it is drawn by default) */
} VizTemplateOpts;

/* Weight templates for a slide: column k of W (D, K), or (D+1, K) with the
 * trailing bias row ignored, drawn as a side x side tile, upscaled, with class
 * names under the tiles, a title and a colour key under the grid.
 * channels 1: a diverging map, negative weights blue, 0 white, positive red,
 *   symmetric around 0 (t = w / m, m = max |w| on the scale o->shared picks);
 *   the key is a blue-white-red bar labelled "-m  0  +m" (numbers when shared is
 *   VIZ_SCALE_ALL, "-max|w|  0  +max|w|" when each tile has its own m).
 * channels 3 (planar RGB): each tile (or set, or all) rescaled to min..max -> 0..255
 *   per value, as CS231n shows colour templates; the key says so.
 * o may be NULL (all defaults). -1 with a reason on NULL path or W, channels not 1
 * or 3, side < 1, W->rows not D or D+1, K < 1, scale < 0.
 * Example, the linear classifier's templates on Fashion-MNIST:
 *     VizTemplateOpts o = {.title = "softmax templates (reg 1e-3)", .captions = names};
 *     viz_save_templates("out/weights_softmax.png", W, 28, 1, &o);   // W (785, 10)
 * CIFAR-10: viz_save_templates(path, W, 32, 3, &o) with W (3073, 10). */
int viz_save_templates(const char *path, const Mat *W, int side, int channels, const VizTemplateOpts *o);

/* Several template sets stacked in one figure, one row (or block of rows) per
 * set with set_labels[s] at its left, so they can be compared: e.g. strong vs
 * weak regularisation. All W[s] need the same number of columns K (same captions).
 * set_labels may be NULL. VIZ_SCALE_SET is the usual choice here: each row
 * has its own scale and its max |w| is printed under its label, so "the weakly
 * regularised templates are larger and noisier" can be read off. Example:
 *     const Mat *Ws[2] = {W_strong, W_weak};
 *     const char *rows[2] = {"reg 1e-1", "reg 1e-5"};
 *     VizTemplateOpts o = {.title = "softmax templates: strong vs weak regularisation",
 *                          .captions = names, .shared = VIZ_SCALE_SET};
 *     viz_save_template_sets("out/weights_reg.png", Ws, rows, 2, 28, 1, &o); */
int viz_save_template_sets(const char *path, const Mat *const *W, const char *const *set_labels, int nsets,
                           int side, int channels, const VizTemplateOpts *o);

/* ------------------------------------------------------------------ image grids */

/* Frame colours for grid cells (VizCell.frame). */
enum {
    VIZ_FRAME_NONE = 0,
    VIZ_FRAME_GOOD = 1,    /* green: correct / same class */
    VIZ_FRAME_BAD = 2,     /* red: wrong / other class */
    VIZ_FRAME_QUERY = 3,   /* blue: the image being asked about (e.g. the test image) */
};

/* One cell of a grid. */
typedef struct {
    const double *pixels;  /* D = side*side*channels values, e.g. &MAT_AT(X, i, 0); NULL: empty cell */
    const char *caption;   /* under the image ('\n' for a second line), or NULL */
    int frame;             /* VIZ_FRAME_* */
} VizCell;

typedef struct {
    const char *title;              /* NULL: none */
    const char *const *row_labels;  /* rows strings at the left (NULL entries: none), or NULL */
    const char *const *col_labels;  /* cols strings above the columns, or NULL */
    const char *note;               /* one line under the grid (a legend for the frames), or NULL */
    int scale;                      /* pixel upscaling; 0: automatic (4 for side <= 32) */
    bool rescale;                   /* stretch each image to its own min..max (for mean-subtracted
                                     * data); otherwise values are clamped to [0, 1] */
} VizGridOpts;

/* A grid of rows x cols images with captions, optional row labels, column
 * headers and a coloured frame per image. cells: rows*cols, row-major. o may be
 * NULL. -1 with a reason on NULL path/cells, rows or cols < 1, channels not 1 or 3.
 * Example (a 2 x 3 grid from X (N, 784)):
 *     VizCell c[6] = {{&MAT_AT(X, 0, 0), "Shirt", VIZ_FRAME_GOOD}, ...};
 *     VizGridOpts o = {.title = "some images"};
 *     viz_save_grid("out/some.png", c, 2, 3, 28, 1, &o); */
int viz_save_grid(const char *path, const VizCell *cells, int rows, int cols, int side, int channels,
                  const VizGridOpts *o);

/* The first per_class images of each class in X (N, D) with labels y (N values
 * in 0..K-1), one row per class labelled with class_names (K strings, or NULL for
 * "class k"); a class with fewer images leaves cells empty. Example:
 *     viz_save_class_samples("out/samples.png", "Fashion-MNIST: 10 training images per class",
 *                            train->X, train->y, 10, names, 10, 28, 1); */
int viz_save_class_samples(const char *path, const char *title, const Mat *X, const int *y, int K,
                           const char *const *class_names, int per_class, int side, int channels);

/* Nearest neighbours: one row per query image q (row q of Xq, label yq[q]): the
 * query first (blue frame, its class name, column header "test image"), then
 * its k neighbours, Xref rows nn[q*k + j] (nearest first) captioned with their class name (and
 * the distance when dist is not NULL: dist[q*k + j]), framed green when the
 * neighbour's class is the query's, red otherwise. nq rows of Xq are used.
 * class_names: K names or NULL. Example (lab 01, 5 test images, k = 7):
 *     viz_save_neighbors("out/knn_neighbors.png", "7 nearest training images (L2)",
 *                        &five_test, five_labels, 5, train->X, train->y, nn, NULL, 7, names, 28, 1); */
int viz_save_neighbors(const char *path, const char *title, const Mat *Xq, const int *yq, int nq, const Mat *Xref,
                       const int *yref, const int *nn, const double *dist, int k, const char *const *class_names,
                       int side, int channels);

/* Misclassified examples: the first max_show i with y_true[i] != y_pred[i]
 * among the n rows of X, in a grid of cols columns, captioned "true: <name>" /
 * "pred: <name>" (two lines) in red frames. No mistakes: a figure that says so.
 * Example: viz_save_misclassified("out/mistakes.png", "softmax: test images it gets wrong",
 *                                 test->X, test->y, pred, test->X->rows, names, 24, 8, 28, 1); */
int viz_save_misclassified(const char *path, const char *title, const Mat *X, const int *y_true, const int *y_pred,
                           int n, const char *const *class_names, int max_show, int cols, int side, int channels);

#endif
