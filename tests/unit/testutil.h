/*
 * testutil.h - helpers the unit tests share: scratch directories under /tmp,
 * small file helpers for checks, and running code in a forked child with its
 * stderr captured.
 *
 * Scratch directories come in two layers. Each TCase gets a root directory,
 * made and removed in the runner process (Check's unchecked fixture), so it
 * goes away even when a forked test fails or aborts part-way and skips its own
 * teardown. Each test works in a fresh directory inside that root, made and
 * removed in the test's forked child (checked fixture). tu_scratch_fixtures()
 * adds both to a TCase.
 *
 * Everything here that can fail does so through ck_assert, so it must run
 * inside a test or a checked fixture (never in an unchecked one), except
 * tu_root_make/tu_root_remove, which never assert.
 */
#ifndef GRADLAB_TEST_UTIL_H
#define GRADLAB_TEST_UTIL_H

#include <check.h>
#include <stdbool.h>
#include <stddef.h>

/* Unchecked fixture: makes the TCase's root /tmp/gradlab-unit-XXXXXX. On failure
 * the root stays unset and tu_dir_make reports it. */
void tu_root_make(void);
/* Unchecked fixture: removes the root and everything below it. */
void tu_root_remove(void);
/* Checked fixture: makes this test's directory, <root>/test-XXXXXX. */
void tu_dir_make(void);
/* Checked fixture: removes this test's directory and everything below it. */
void tu_dir_remove(void);
/* Adds tu_root_make/tu_root_remove and tu_dir_make/tu_dir_remove to tc. */
void tu_scratch_fixtures(TCase *tc);

/* This test's directory (do not free). */
const char *tu_dir(void);
/* <test dir>/name in one of 8 rotating static buffers, so a few can be in use
 * at once (do not free). */
const char *tu_path(const char *name);

/* Creates (or replaces) path holding buf[0..n). */
void tu_write_file(const char *path, const void *buf, size_t n);
/* The whole file in new memory with a NUL after its last byte (so text can be
 * searched with strstr); *n gets its size unless n is NULL. Free with free(). */
char *tu_slurp(const char *path, size_t *n);
/* Whether anything exists at path. */
bool tu_file_exists(const char *path);

/* Runs fn() in a forked child with stderr sent to a pipe and returns the
 * child's wait status; out gets what it printed (truncated to cap-1 bytes,
 * NUL-terminated). If fn returns, the child exits with status 0. */
int tu_run_captured(void (*fn)(void), char *out, size_t cap);
/* "exited with status N" / "died of signal N" for a wait status, written into
 * buf (cap bytes) and returned, for failure messages. */
const char *tu_describe(int status, char *buf, size_t cap);

#endif
