/*
 * gt_child.h - the link between a test's child process and the runner:
 * how a test starts and how a failure leaves the child (runner internals,
 * not for test files).
 */
#ifndef GRADLAB_GT_CHILD_H
#define GRADLAB_GT_CHILD_H

#include <stdint.h>

/* Resets context and hint and seeds gt_rng() for this test. */
void gt_child_begin(const char *test_name, uint64_t seed);
/* Ends the child with a failure message (through Check). */
_Noreturn void gt_child_fail(const char *msg);

#endif
