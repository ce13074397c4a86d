/* red team: a "function name" with newlines prints a fake summary through the
 * TODO message, and a results.json of its own is written next to the grader's.
 * expect: TODO|FORBIDDEN */
#include "lab.h"
#include "linear.h"

#include <stdio.h>

#define FAKE "x()\n  PASS      04 everything  100.0/100.0\n       total                          121/121          100.0 / 100.0\n"

static void write_results(void)
{
    FILE *f = fopen("results.json", "w");
    if (f) {
        fputs("{\"score\": 1000, \"output\": \"FORGED\", \"tests\": []}\n", f);
        fclose(f);
    }
    lab_todo(FAKE, FAKE, 4);   /* where the file could not be written (SAN=1): the fake summary again */
}

double random_search(LossFn loss, const Mat *X, const int *y, int num_tries, double scale, Rng *rng, Mat *best_W)
{ (void)loss; (void)X; (void)y; (void)num_tries; (void)scale; (void)rng; (void)best_W; lab_todo(FAKE, FAKE, 1); }
double random_local_search(LossFn loss, const Mat *X, const int *y, int num_steps, double step_size, Rng *rng, Mat *W)
{ (void)loss; (void)X; (void)y; (void)num_steps; (void)step_size; (void)rng; (void)W; lab_todo(FAKE, FAKE, 2); }
void sgd_sample_batch(const Mat *X, const int *y, Rng *rng, Mat *X_batch, int *y_batch)
{ (void)X; (void)y; (void)rng; (void)X_batch; (void)y_batch; write_results(); }
void linear_train(Mat *W, LossFn loss, const Mat *X, const int *y, const SgdConfig *cfg, Rng *rng, double *loss_history)
{ (void)W; (void)loss; (void)X; (void)y; (void)cfg; (void)rng; (void)loss_history; write_results(); }
void linear_predict(const Mat *W, const Mat *X, int *y_pred) { (void)W; (void)X; (void)y_pred; lab_todo(FAKE, FAKE, 3); }
