/*
 * weak_api.h - forced into every grader test file (-include).
 *
 * Each lab is compiled on its own; when a student's lab does not compile, an
 * empty object stands in for it. Referring to the lab API weakly lets the
 * grader link anyway (the missing functions are NULL) and grade every other
 * lab. The runner never calls into a lab that failed to build, and reports a
 * function that is missing from a lab that did build.
 */
#ifndef GRADLAB_WEAK_API_H
#define GRADLAB_WEAK_API_H

#pragma weak knn_distances_two_loops
#pragma weak knn_distances_one_loop
#pragma weak knn_distances_no_loops
#pragma weak knn_distances_l1
#pragma weak knn_predict_labels
#pragma weak knn_cross_validate

#pragma weak svm_loss_naive
#pragma weak svm_loss_vectorized
#pragma weak softmax_loss_naive
#pragma weak softmax_loss_vectorized

#pragma weak numerical_gradient
#pragma weak numerical_gradient_forward
#pragma weak rel_error
#pragma weak grad_check_sparse

#pragma weak random_search
#pragma weak random_local_search
#pragma weak sgd_sample_batch
#pragma weak linear_train
#pragma weak linear_predict

#pragma weak affine_forward
#pragma weak affine_backward
#pragma weak relu_forward
#pragma weak relu_backward
#pragma weak sigmoid_forward
#pragma weak sigmoid_backward
#pragma weak softmax_loss
#pragma weak two_layer_net_loss
#pragma weak two_layer_net_predict

#endif
