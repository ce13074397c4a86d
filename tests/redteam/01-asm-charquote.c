/* red team: a file read into the program by the assembler, hidden from a text search of
 * the assembly. In assembler syntax '" is a character constant (the byte 0x22), not the
 * start of a string, so a search that takes string literals out of each line first sees
 *     .byte '", 0; .incbin "/etc/passwd"; .byte '"
 * as `.byte '` followed by one long string, and no directive. The assembler reads the
 * file. Only the assembler's own list of the files it read (--MD) shows it.
 * expect: BUILD assembly uses \.incbin or \.include to read /etc/passwd */
#include "knn.h"

__asm__(".section .rodata\n"
        "gradlab_redteam_blob: .byte '\", 0; .inc" "bin \"/etc/passwd\"; .byte '\"\n"
        "\t.previous\n");

void knn_distances_two_loops(const Mat *X_train, const Mat *X_test, Mat *dists) { (void)X_train; (void)X_test; (void)dists; }
void knn_distances_one_loop(const Mat *X_train, const Mat *X_test, Mat *dists) { (void)X_train; (void)X_test; (void)dists; }
void knn_distances_no_loops(const Mat *X_train, const Mat *X_test, Mat *dists) { (void)X_train; (void)X_test; (void)dists; }
void knn_distances_l1(const Mat *X_train, const Mat *X_test, Mat *dists) { (void)X_train; (void)X_test; (void)dists; }
void knn_predict_labels(const Mat *dists, const int *y_train, int k, int *y_pred) { (void)dists; (void)y_train; (void)k; (void)y_pred; }
void knn_cross_validate(const Mat *X, const int *y, int num_folds, const int *k_choices, int num_k, Mat *accuracies)
{ (void)X; (void)y; (void)num_folds; (void)k_choices; (void)num_k; (void)accuracies; }
