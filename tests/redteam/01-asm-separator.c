/* red team: a file read into the program by the assembler, with the directive where
 * a look at the start of each assembly line does not see it: after a statement
 * separator (`nop; .incbin ...`) and after a label on the same line. The files named
 * are the grader's (the reference labs 01 and 02), read by their path relative to the
 * tree the build runs in; the functions would look their results up in the copy. The directive is pieced together from string
 * literals, so the source itself never spells it.
 * expect: BUILD assembly uses \.incbin */
#include "knn.h"

__asm__(".section .rodata\n"
        "\tnop; .inc" "bin \"solutions/01-knn/knn.c\"\n"
        "gradlab_redteam_blob: .inc" "bin \"solutions/02-loss/loss.c\"\n"
        "\t.previous\n");

void knn_distances_two_loops(const Mat *X_train, const Mat *X_test, Mat *dists) { (void)X_train; (void)X_test; (void)dists; }
void knn_distances_one_loop(const Mat *X_train, const Mat *X_test, Mat *dists) { (void)X_train; (void)X_test; (void)dists; }
void knn_distances_no_loops(const Mat *X_train, const Mat *X_test, Mat *dists) { (void)X_train; (void)X_test; (void)dists; }
void knn_distances_l1(const Mat *X_train, const Mat *X_test, Mat *dists) { (void)X_train; (void)X_test; (void)dists; }
void knn_predict_labels(const Mat *dists, const int *y_train, int k, int *y_pred) { (void)dists; (void)y_train; (void)k; (void)y_pred; }
void knn_cross_validate(const Mat *X, const int *y, int num_folds, const int *k_choices, int num_k, Mat *accuracies)
{ (void)X; (void)y; (void)num_folds; (void)k_choices; (void)num_k; (void)accuracies; }
