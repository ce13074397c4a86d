/*
 * gt_child.h - the link between a test's child process and the runner:
 * how a test starts and how a failure leaves the child (runner internals,
 * not for test files).
 */
#ifndef GRADLAB_GT_CHILD_H
#define GRADLAB_GT_CHILD_H

#include <stddef.h>
#include <stdint.h>

/* Called once by the runner before any test: puts the context and hint notes in
 * memory the test children share with it. */
void gt_share_notes(void);
/* Empties both notes (the runner, before each test). */
void gt_clear_notes(void);
/* The last context and hint the latest test set (copied into buf; "" if none). */
const char *gt_last_context(char *buf, size_t n);
const char *gt_last_hint(char *buf, size_t n);

/* Resets context and hint and seeds gt_rng() for this test. */
void gt_child_begin(const char *test_name, uint64_t seed);
/* Ends the child with a failure message (through Check). */
_Noreturn void gt_child_fail(const char *msg);
/* Ends the child with a verdict other than FAIL (a RunStatus: CRASH, TIMEOUT,
 * EXIT, FORBIDDEN, BUILD) decided by the proxy about a worker. */
_Noreturn void gt_child_verdict(int status, const char *msg);

#endif
