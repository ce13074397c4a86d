/* red team: keeps state between tests, in a static counter and in a file under
 * /tmp, to learn from one test what the next one wants.
 * expect: FORBIDDEN your code called open(at)?\(\)
 * (under SAN=1 an open fails with EACCES instead of ending the test)
 * expect-san: TODO */
#include "lab.h"
#include "linear.h"

#include <stdio.h>

static int calls;

static void remember(void)
{
    calls++;
    printf("redteam-call %d\n", calls);
    FILE *f = fopen("/tmp/gradlab-redteam-state", "a");
    if (f) {
        fprintf(f, "%d\n", calls);
        fclose(f);
    }
    LAB_TODO();   /* where the file could not be opened (SAN=1): no work done, none claimed */
}

double random_search(LossFn loss, const Mat *X, const int *y, int num_tries, double scale, Rng *rng, Mat *best_W)
{ (void)loss; (void)X; (void)y; (void)num_tries; (void)scale; (void)rng; (void)best_W; remember(); return 0.0; }
double random_local_search(LossFn loss, const Mat *X, const int *y, int num_steps, double step_size, Rng *rng, Mat *W)
{ (void)loss; (void)X; (void)y; (void)num_steps; (void)step_size; (void)rng; (void)W; remember(); return 0.0; }
void sgd_sample_batch(const Mat *X, const int *y, Rng *rng, Mat *X_batch, int *y_batch)
{ (void)X; (void)y; (void)rng; (void)X_batch; (void)y_batch; remember(); }
void linear_train(Mat *W, LossFn loss, const Mat *X, const int *y, const SgdConfig *cfg, Rng *rng, double *loss_history)
{ (void)W; (void)loss; (void)X; (void)y; (void)cfg; (void)rng; (void)loss_history; remember(); }
void linear_predict(const Mat *W, const Mat *X, int *y_pred) { (void)W; (void)X; (void)y_pred; remember(); }
