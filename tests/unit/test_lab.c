/*
 * test_lab.c - lab.c: what reaching LAB_TODO() does. The default handler ends
 * the program with status 2 and one friendly line naming the function and its
 * file:line; lab_attempt() catches it and carries on; handlers are swapped and
 * restored as lab.h promises.
 *
 * Anything that may end a process runs in a forked grandchild (stderr sent to a
 * pipe when its text matters), so each test sees its own exit status.
 */
#include <check.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "lab.h"
#include "suites.h"
#include "testutil.h"

/* ---- functions that are "not written yet" ---- */

/* The line of the LAB_TODO() in unwritten_fn, for the file:line check. */
static const int unwritten_line = __LINE__ + 5;
static int unwritten_calls;
static void unwritten_fn(void)
{
    unwritten_calls++;   /* side effects before the marker still happen */
    LAB_TODO();
}

static void other_unwritten_fn(void)
{
    LAB_TODO();
}

/* lab_attempt() callees: ctx is an int the callee sets, to show it ran. */
static void attempt_todo(void *ctx)
{
    *(int *)ctx = 1;
    unwritten_fn();
    *(int *)ctx = 2;   /* never reached */
}

static void attempt_other_todo(void *ctx)
{
    (void)ctx;
    other_unwritten_fn();
}

static void attempt_finishes(void *ctx)
{
    *(int *)ctx = 42;
}

/* A custom handler that records its arguments and jumps back to the test. */
static jmp_buf test_jump;
static const char *seen_func, *seen_file;
static int seen_line;
static void recording_handler(const char *func, const char *file, int line)
{
    seen_func = func;
    seen_file = file;
    seen_line = line;
    longjmp(test_jump, 1);
}

static void other_handler(const char *func, const char *file, int line)
{
    (void)func;
    (void)file;
    (void)line;
    _exit(77);
}

/* A handler that breaks the rule and returns. */
static void returning_handler(const char *func, const char *file, int line)
{
    (void)func;
    (void)file;
    (void)line;
}

/* ---- core ---- */

START_TEST(test_default_handler_exits_2)
{
    char out[1024], how[64];
    int status = tu_run_captured(unwritten_fn, out, sizeof out);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 2,
                  "LAB_TODO() with the default handler: expected exit status 2, but the child %s",
                  tu_describe(status, how, sizeof how));
    ck_assert_msg(strstr(out, "unwritten_fn") != NULL,
                  "LAB_TODO() message should name the function \"unwritten_fn\"; stderr was \"%s\"", out);
    char where[256];
    snprintf(where, sizeof where, "%s:%d", __FILE__, unwritten_line);
    ck_assert_msg(strstr(out, where) != NULL,
                  "LAB_TODO() message should give the place \"%s\"; stderr was \"%s\"", where, out);
}
END_TEST

START_TEST(test_attempt_catches_todo)
{
    int state = 0;
    unwritten_calls = 0;
    bool finished = lab_attempt(attempt_todo, &state);
    ck_assert_msg(!finished, "lab_attempt on a function reaching LAB_TODO(): expected false");
    ck_assert_msg(state == 1, "lab_attempt: expected the callee to run up to its TODO (state 1), got %d",
                  state);
    ck_assert_msg(unwritten_calls == 1, "expected unwritten_fn to be entered once, got %d",
                  unwritten_calls);
    ck_assert_msg(lab_todo_name() != NULL && strcmp(lab_todo_name(), "unwritten_fn") == 0,
                  "lab_todo_name(): expected \"unwritten_fn\" (the function holding the LAB_TODO), got "
                  "\"%s\"", lab_todo_name() ? lab_todo_name() : "(null)");
}
END_TEST

START_TEST(test_attempt_finishes)
{
    int state = 0;
    bool finished = lab_attempt(attempt_finishes, &state);
    ck_assert_msg(finished, "lab_attempt on a function that returns normally: expected true");
    ck_assert_msg(state == 42, "lab_attempt must pass ctx to the callee: expected 42, got %d", state);
}
END_TEST

START_TEST(test_attempt_name_follows_last_todo)
{
    int state = 0;
    ck_assert_msg(!lab_attempt(attempt_todo, &state), "first attempt: expected false");
    ck_assert_msg(!lab_attempt(attempt_other_todo, NULL), "second attempt: expected false");
    ck_assert_msg(strcmp(lab_todo_name(), "other_unwritten_fn") == 0,
                  "lab_todo_name() after a second caught TODO: expected \"other_unwritten_fn\", got \"%s\"",
                  lab_todo_name());
    /* A finished attempt catches nothing, so the last caught name stays. */
    ck_assert_msg(lab_attempt(attempt_finishes, &state), "third attempt: expected true");
    ck_assert_msg(strcmp(lab_todo_name(), "other_unwritten_fn") == 0,
                  "lab_todo_name() after a finished attempt: expected the last caught name "
                  "\"other_unwritten_fn\", got \"%s\"", lab_todo_name());
}
END_TEST

START_TEST(test_set_handler_returns_previous)
{
    LabTodoHandler dflt = lab_set_todo_handler(recording_handler);
    ck_assert_msg(dflt != NULL, "the first lab_set_todo_handler should return the default handler");
    LabTodoHandler prev = lab_set_todo_handler(other_handler);
    ck_assert_msg(prev == recording_handler, "lab_set_todo_handler: expected the previous handler back");
    prev = lab_set_todo_handler(NULL);
    ck_assert_msg(prev == other_handler, "lab_set_todo_handler(NULL): expected the previous handler back");
    prev = lab_set_todo_handler(NULL);
    ck_assert_msg(prev == dflt, "after lab_set_todo_handler(NULL), the default should be installed again");
    /* Re-installing what was returned works as a restore. */
    lab_set_todo_handler(recording_handler);
    prev = lab_set_todo_handler(dflt);
    ck_assert_msg(prev == recording_handler && lab_set_todo_handler(NULL) == dflt,
                  "restoring the returned default should put it back");
}
END_TEST

START_TEST(test_custom_handler_gets_place)
{
    LabTodoHandler old = lab_set_todo_handler(recording_handler);
    seen_func = seen_file = NULL;
    seen_line = 0;
    if (setjmp(test_jump) == 0) {
        unwritten_fn();
        ck_abort_msg("unwritten_fn returned past LAB_TODO()");
    }
    lab_set_todo_handler(old);
    ck_assert_msg(seen_func && strcmp(seen_func, "unwritten_fn") == 0,
                  "handler func: expected \"unwritten_fn\", got \"%s\"", seen_func ? seen_func : "(null)");
    ck_assert_msg(seen_file && strcmp(seen_file, __FILE__) == 0, "handler file: expected \"%s\", got \"%s\"",
                  __FILE__, seen_file ? seen_file : "(null)");
    ck_assert_msg(seen_line == unwritten_line, "handler line: expected %d, got %d", unwritten_line,
                  seen_line);
}
END_TEST

START_TEST(test_attempt_restores_custom_handler)
{
    int state = 0;
    lab_set_todo_handler(other_handler);
    ck_assert_msg(!lab_attempt(attempt_todo, &state), "lab_attempt: expected false");
    LabTodoHandler now = lab_set_todo_handler(NULL);
    ck_assert_msg(now == other_handler, "after a caught TODO, lab_attempt should restore the handler "
                  "that was installed before it");
    lab_set_todo_handler(other_handler);
    ck_assert_msg(lab_attempt(attempt_finishes, &state), "lab_attempt: expected true");
    now = lab_set_todo_handler(NULL);
    ck_assert_msg(now == other_handler, "after a finished attempt, lab_attempt should restore the handler "
                  "that was installed before it");
}
END_TEST

/* After lab_attempt, a LAB_TODO outside any attempt must reach the default
 * handler again, not jump back into the finished lab_attempt frame. */
static void todo_after_attempts(void)
{
    int state = 0;
    if (lab_attempt(attempt_todo, &state)) _exit(10);
    if (!lab_attempt(attempt_finishes, &state)) _exit(11);
    other_unwritten_fn();
    _exit(12);
}

START_TEST(test_default_back_after_attempt)
{
    char out[1024], how[64];
    int status = tu_run_captured(todo_after_attempts, out, sizeof out);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 2,
                  "LAB_TODO() after two lab_attempt calls: expected the default handler's exit status 2, "
                  "but the child %s (10/11: wrong attempt result, 12: LAB_TODO returned)",
                  tu_describe(status, how, sizeof how));
    ck_assert_msg(strstr(out, "other_unwritten_fn") != NULL,
                  "expected the default message naming \"other_unwritten_fn\"; stderr was \"%s\"", out);
}
END_TEST

/* ---- limits ---- */

/* LAB_TODO is _Noreturn: if a handler breaks the rule and returns, the
 * program must not fall through into the rest of the stub. */
static void todo_with_returning_handler(void)
{
    lab_set_todo_handler(returning_handler);
    other_unwritten_fn();
    _exit(12);
}

START_TEST(test_returning_handler_does_not_return)
{
    char out[1024], how[64];
    int status = tu_run_captured(todo_with_returning_handler, out, sizeof out);
    ck_assert_msg(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT,
                  "a handler that returns: expected lab_todo to abort (SIGABRT), but the child %s",
                  tu_describe(status, how, sizeof how));
}
END_TEST

/* A custom handler that exits is used instead of the default. */
static void todo_with_exiting_handler(void)
{
    lab_set_todo_handler(other_handler);
    unwritten_fn();
}

START_TEST(test_custom_handler_replaces_default)
{
    char out[1024], how[64];
    int status = tu_run_captured(todo_with_exiting_handler, out, sizeof out);
    ck_assert_msg(WIFEXITED(status) && WEXITSTATUS(status) == 77,
                  "with a custom handler that exits 77: expected status 77, but the child %s",
                  tu_describe(status, how, sizeof how));
    ck_assert_msg(out[0] == '\0', "the default message should not be printed; stderr was \"%s\"", out);
}
END_TEST

START_TEST(test_attempt_many_times)
{
    /* Many catches in a row: the jump buffer and handler are reset every time. */
    LabTodoHandler before = lab_set_todo_handler(NULL);
    for (int k = 0; k < 1000; k++) {
        int state = 0;
        ck_assert_msg(!lab_attempt(k % 2 ? attempt_todo : attempt_other_todo, &state),
                      "attempt %d: expected false", k);
        ck_assert_msg(lab_attempt(attempt_finishes, &state) && state == 42,
                      "attempt %d: expected a finished call to return true", k);
    }
    ck_assert_msg(lab_set_todo_handler(NULL) == before,
                  "after many attempts the default handler should be installed again");
}
END_TEST

Suite *lab_suite(void)
{
    Suite *s = suite_create("lab");

    TCase *core = tcase_create("core");
    tcase_add_test(core, test_default_handler_exits_2);
    tcase_add_test(core, test_attempt_catches_todo);
    tcase_add_test(core, test_attempt_finishes);
    tcase_add_test(core, test_attempt_name_follows_last_todo);
    tcase_add_test(core, test_set_handler_returns_previous);
    tcase_add_test(core, test_custom_handler_gets_place);
    tcase_add_test(core, test_attempt_restores_custom_handler);
    tcase_add_test(core, test_default_back_after_attempt);
    suite_add_tcase(s, core);

    TCase *limits = tcase_create("limits");
    tcase_add_test(limits, test_returning_handler_does_not_return);
    tcase_add_test(limits, test_custom_handler_replaces_default);
    tcase_add_test(limits, test_attempt_many_times);
    suite_add_tcase(s, limits);
    return s;
}
