/*
 * progress.h - a one-line progress bar on stderr for work that takes a while.
 *
 * Drawn only when stderr is a terminal; silent otherwise (logs, the grader, CI).
 * Plain text when NO_COLOR is set. progress_start returns an object the caller
 * ends with progress_end (which frees it); NULL is accepted everywhere.
 */
#ifndef GRADLAB_PROGRESS_H
#define GRADLAB_PROGRESS_H

typedef struct Progress Progress;

/* Starts a bar for `total` units of work labelled `label` (copied). */
Progress *progress_start(const char *label, long total);
/* Sets the amount done so far; redraws at most ~10 times a second. */
void progress_update(Progress *p, long done);
/* Clears the bar and frees p. */
void progress_end(Progress *p);

#endif
