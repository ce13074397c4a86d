/*
 * err.h - how library code in common/ reports a failure without printing or exiting.
 *
 * A failing function (a loader given a corrupt file, say) returns NULL or -1 and
 * records one line of reason with err_set(); the program that called it prints
 * err_last() with its own context and a hint. The reason is per thread and stays
 * until the next err_set().
 */
#ifndef GRADLAB_ERR_H
#define GRADLAB_ERR_H

/* Records the reason for the failure being returned (printf-style). */
void err_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The last reason recorded on this thread ("" if none). Do not free. */
const char *err_last(void);

#endif
