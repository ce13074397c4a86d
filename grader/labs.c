/*
 * labs.c - the grader's own list of labs, their functions and their test suites.
 *
 * The list of tests and their points comes from here and the suites, never from
 * the student's code. Each lab is worth 20 points, public and hidden together;
 * the student release, which has no hidden suites, says how many the autograder adds. Suites are weak references: a release without hidden
 * tests leaves those NULL. Each lab's functions (labs_fns_NN) are generated
 * from grader/api.spec, like the proxies (gen/labs_fns.c).
 */
#include "grader.h"

#include <string.h>

#define LABS_SUITES(n)                                                                       \
    extern const GtSuite gt_suite_##n##_public __attribute__((weak));                       \
    extern const GtSuite gt_suite_##n##_hidden __attribute__((weak));                       \
    extern const LabsFn labs_fns_##n[];
LABS_SUITES(01)
LABS_SUITES(02)
LABS_SUITES(03)
LABS_SUITES(04)
LABS_SUITES(05)

#define LABS_COUNT(a) ((int)(sizeof(a) / sizeof((a)[0])))
const LabsInfo labs_table[] = {
    { "01", "01-knn", "knn.c", "k-nearest neighbours", labs_fns_01,
      { &gt_suite_01_public, &gt_suite_01_hidden }, 20.0 },
    { "02", "02-loss", "loss.c", "SVM and softmax losses", labs_fns_02,
      { &gt_suite_02_public, &gt_suite_02_hidden }, 20.0 },
    { "03", "03-gradcheck", "gradcheck.c", "numerical gradients", labs_fns_03,
      { &gt_suite_03_public, &gt_suite_03_hidden }, 20.0 },
    { "04", "04-sgd", "linear.c", "SGD and a linear classifier", labs_fns_04,
      { &gt_suite_04_public, &gt_suite_04_hidden }, 20.0 },
    { "05", "05-mlp", "mlp.c", "a two-layer neural network", labs_fns_05,
      { &gt_suite_05_public, &gt_suite_05_hidden }, 20.0 },
};
const int labs_count = LABS_COUNT(labs_table);

double labs_suite_points(const LabsInfo *lab, GtVisibility vis)
{
    const GtSuite *s = lab->suites[vis];
    double sum = 0.0;
    for (int t = 0; s && t < s->count; t++) sum += s->tests[t].points;
    return sum;
}

const LabsFn *labs_test_fn(const LabsInfo *lab, const char *test_name)
{
    /* "01 knn_predict_labels: ties" -> "knn_predict_labels" */
    const char *start = strchr(test_name, ' ');
    if (!start) return NULL;
    start++;
    size_t len = strcspn(start, ": ");
    for (int i = 0; lab->fns[i].name; i++)
        if (strlen(lab->fns[i].name) == len && strncmp(lab->fns[i].name, start, len) == 0)
            return &lab->fns[i];
    return NULL;
}
