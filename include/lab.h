/*
 * lab.h - what a lab stub needs: the LAB_TODO() marker.
 *
 * Every function a student must write starts as a stub whose body calls
 * LAB_TODO(). Reaching it means "not written yet", which is not a crash:
 *  - in an experiment program it prints one friendly line naming the function
 *    and where it lives, then ends the program (exit status 2);
 *  - the grader installs its own handler and reports the test as TODO;
 *  - lab_attempt() lets a program try an optional step and carry on if that
 *    step is still a TODO (lab 02's experiment uses lab 03 this way).
 */
#ifndef GRADLAB_LAB_H
#define GRADLAB_LAB_H

#include <stdbool.h>

/* Marks an unwritten function. Delete this line when you write the function. */
#define LAB_TODO() lab_todo(__func__, __FILE__, __LINE__)

/* Called by LAB_TODO(); never returns. */
_Noreturn void lab_todo(const char *func, const char *file, int line);

/* A handler for LAB_TODO(). It must not return (exit, longjmp, ...). */
typedef void (*LabTodoHandler)(const char *func, const char *file, int line);
/* Installs h (NULL restores the default handler); returns the previous one. */
LabTodoHandler lab_set_todo_handler(LabTodoHandler h);

/* Runs fn(ctx). Returns true if it finished, false if it reached a LAB_TODO()
 * (the function's name is then in lab_todo_name()). Not reentrant. */
bool lab_attempt(void (*fn)(void *ctx), void *ctx);
/* The function named by the last LAB_TODO() that lab_attempt() caught. */
const char *lab_todo_name(void);

#endif
