/*
 * labs.c - the grader's own list of labs, their functions and their test suites.
 *
 * The list of tests and their points comes from here and the suites, never from
 * the student's code. Suites are weak references: a release without hidden
 * tests leaves those NULL.
 */
#include "grader.h"

#include <string.h>

#define LABS_FN(f) { #f }
#define LABS_SUITES(n)                                                                       \
    extern const GtSuite gt_suite_##n##_public __attribute__((weak));                       \
    extern const GtSuite gt_suite_##n##_hidden __attribute__((weak));
LABS_SUITES(01)
LABS_SUITES(02)
LABS_SUITES(03)
LABS_SUITES(04)
LABS_SUITES(05)

static const LabsFn labs_fns_01[] = {
    LABS_FN(knn_distances_two_loops), LABS_FN(knn_distances_one_loop), LABS_FN(knn_distances_no_loops),
    LABS_FN(knn_distances_l1),        LABS_FN(knn_predict_labels),     LABS_FN(knn_cross_validate),
};
static const LabsFn labs_fns_02[] = {
    LABS_FN(svm_loss_naive), LABS_FN(svm_loss_vectorized),
    LABS_FN(softmax_loss_naive), LABS_FN(softmax_loss_vectorized),
};
static const LabsFn labs_fns_03[] = {
    LABS_FN(numerical_gradient), LABS_FN(numerical_gradient_forward),
    LABS_FN(rel_error), LABS_FN(grad_check_sparse),
};
static const LabsFn labs_fns_04[] = {
    LABS_FN(random_search), LABS_FN(random_local_search), LABS_FN(sgd_sample_batch),
    LABS_FN(linear_train),  LABS_FN(linear_predict),
};
static const LabsFn labs_fns_05[] = {
    LABS_FN(affine_forward),  LABS_FN(affine_backward),  LABS_FN(relu_forward),
    LABS_FN(relu_backward),   LABS_FN(sigmoid_forward),  LABS_FN(sigmoid_backward),
    LABS_FN(softmax_loss),    LABS_FN(two_layer_net_loss), LABS_FN(two_layer_net_predict),
};

#define LABS_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
const LabsInfo labs_table[] = {
    { "01", "01-knn", "knn.c", "k-nearest neighbours", labs_fns_01, LABS_COUNT(labs_fns_01),
      { &gt_suite_01_public, &gt_suite_01_hidden } },
    { "02", "02-loss", "loss.c", "SVM and softmax losses", labs_fns_02, LABS_COUNT(labs_fns_02),
      { &gt_suite_02_public, &gt_suite_02_hidden } },
    { "03", "03-gradcheck", "gradcheck.c", "numerical gradients", labs_fns_03, LABS_COUNT(labs_fns_03),
      { &gt_suite_03_public, &gt_suite_03_hidden } },
    { "04", "04-sgd", "linear.c", "SGD and a linear classifier", labs_fns_04, LABS_COUNT(labs_fns_04),
      { &gt_suite_04_public, &gt_suite_04_hidden } },
    { "05", "05-mlp", "mlp.c", "a two-layer neural network", labs_fns_05, LABS_COUNT(labs_fns_05),
      { &gt_suite_05_public, &gt_suite_05_hidden } },
};
const int labs_count = LABS_COUNT(labs_table);

const LabsFn *labs_test_fn(const LabsInfo *lab, const char *test_name)
{
    /* "01 knn_predict_labels: ties" -> "knn_predict_labels" */
    const char *start = strchr(test_name, ' ');
    if (!start) return NULL;
    start++;
    size_t len = strcspn(start, ": ");
    for (int i = 0; i < lab->nfns; i++)
        if (strlen(lab->fns[i].name) == len && strncmp(lab->fns[i].name, start, len) == 0)
            return &lab->fns[i];
    return NULL;
}
