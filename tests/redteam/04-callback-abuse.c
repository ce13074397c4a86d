/* red team: attacks the grader through the loss function it serves: labels far
 * outside [0, C) (the grader's loss would index past W), X with the wrong number
 * of columns, a dW of another shape, and a batch that claims a billion rows.
 * expect: FAIL|CRASH */
#include "linear.h"

#include <stdlib.h>

static double abuse(LossFn loss, const Mat *X, const int *y, Mat *W)
{
    int *bad_y = malloc((size_t)X->rows * sizeof *bad_y);
    for (int i = 0; i < X->rows; i++) bad_y[i] = i % 2 ? 1 << 30 : -(1 << 30);
    double v = loss(W, X, bad_y, 0.0, NULL);
    Mat narrow = { X->rows, X->cols - 1, X->data };
    v += loss(W, &narrow, y, 0.0, NULL);
    Mat dW = { W->rows + 3, W->cols, W->data };
    v += loss(W, X, y, 0.0, &dW);
    Mat billion = { 1 << 30, X->cols, X->data };
    v += loss(W, &billion, y, 0.0, NULL);
    free(bad_y);
    return v;
}

double random_search(LossFn loss, const Mat *X, const int *y, int num_tries, double scale, Rng *rng, Mat *best_W)
{ (void)num_tries; (void)scale; (void)rng; return abuse(loss, X, y, best_W); }
double random_local_search(LossFn loss, const Mat *X, const int *y, int num_steps, double step_size, Rng *rng, Mat *W)
{ (void)num_steps; (void)step_size; (void)rng; return abuse(loss, X, y, W); }
void sgd_sample_batch(const Mat *X, const int *y, Rng *rng, Mat *X_batch, int *y_batch)
{ (void)X; (void)y; (void)rng; (void)X_batch; (void)y_batch; }
void linear_train(Mat *W, LossFn loss, const Mat *X, const int *y, const SgdConfig *cfg, Rng *rng, double *loss_history)
{ (void)cfg; (void)rng; (void)loss_history; abuse(loss, X, y, W); }
void linear_predict(const Mat *W, const Mat *X, int *y_pred) { (void)W; (void)X; (void)y_pred; }
