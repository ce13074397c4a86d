/*
 * testutil.c - the unit tests' shared helpers (see testutil.h).
 */
#include "testutil.h"

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- scratch directories ---- */

/* The root is set in the runner process and inherited by every forked test of
 * the TCase; the test directory is set in the forked child only. */
static char root[64], tdir[128];

static int rm_entry(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

/* Depth first, so each directory is empty by the time it is removed; links are
 * removed, never followed. */
static void remove_tree(const char *dir)
{
    nftw(dir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

void tu_root_make(void)
{
    /* No ck_assert here: this runs in the runner process, outside any test. */
    strcpy(root, "/tmp/gradlab-unit-XXXXXX");
    if (!mkdtemp(root)) root[0] = '\0';
}

void tu_root_remove(void)
{
    if (root[0]) remove_tree(root);
    root[0] = '\0';
}

void tu_dir_make(void)
{
    ck_assert_msg(root[0], "could not create a directory under /tmp");
    snprintf(tdir, sizeof tdir, "%s/test-XXXXXX", root);
    ck_assert_msg(mkdtemp(tdir) != NULL, "mkdtemp(%s) failed", tdir);
}

void tu_dir_remove(void)
{
    if (tdir[0]) remove_tree(tdir);
    tdir[0] = '\0';
}

void tu_scratch_fixtures(TCase *tc)
{
    tcase_add_unchecked_fixture(tc, tu_root_make, tu_root_remove);
    tcase_add_checked_fixture(tc, tu_dir_make, tu_dir_remove);
}

const char *tu_dir(void)
{
    ck_assert_msg(tdir[0], "no test directory: the TCase needs tu_scratch_fixtures()");
    return tdir;
}

const char *tu_path(const char *name)
{
    static char bufs[8][512];
    static unsigned next;
    char *p = bufs[next++ % 8];
    int len = snprintf(p, sizeof bufs[0], "%s/%s", tu_dir(), name);
    ck_assert_msg(len >= 0 && (size_t)len < sizeof bufs[0], "test path too long: %s", name);
    return p;
}

/* ---- files ---- */

void tu_write_file(const char *path, const void *buf, size_t n)
{
    FILE *f = fopen(path, "wb");
    ck_assert_msg(f != NULL, "cannot create %s", path);
    ck_assert_msg(fwrite(buf, 1, n, f) == n, "short write to %s", path);
    ck_assert_msg(fclose(f) == 0, "cannot close %s", path);
}

char *tu_slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    ck_assert_msg(f != NULL, "cannot open %s", path);
    size_t len = 0, cap = 4096;
    char *buf = malloc(cap);
    ck_assert(buf != NULL);
    for (;;) {
        /* Keep one byte free for the terminating NUL. */
        if (cap - len < 2) {
            cap *= 2;
            buf = realloc(buf, cap);
            ck_assert(buf != NULL);
        }
        size_t got = fread(buf + len, 1, cap - 1 - len, f);
        len += got;
        if (got == 0) break;
    }
    ck_assert_msg(!ferror(f), "error reading %s", path);
    fclose(f);
    buf[len] = '\0';
    if (n) *n = len;
    return buf;
}

bool tu_file_exists(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0;
}

/* ---- forked children ---- */

int tu_run_captured(void (*fn)(void), char *out, size_t cap)
{
    ck_assert_msg(cap > 0, "tu_run_captured needs room for at least the NUL");
    int fd[2];
    ck_assert_msg(pipe(fd) == 0, "pipe() failed");
    fflush(NULL);   /* buffered output must not be written twice */
    pid_t pid = fork();
    ck_assert_msg(pid >= 0, "fork() failed");
    if (pid == 0) {
        close(fd[0]);
        dup2(fd[1], STDERR_FILENO);
        close(fd[1]);
        fn();
        _exit(0);
    }
    close(fd[1]);
    /* Drain the pipe to the end, past cap, so a chatty child never blocks on it. */
    size_t len = 0;
    char scratch[256];
    for (;;) {
        ssize_t got = len + 1 < cap ? read(fd[0], out + len, cap - 1 - len)
                                    : read(fd[0], scratch, sizeof scratch);
        if (got <= 0) break;
        if (len + 1 < cap) len += (size_t)got;
    }
    out[len] = '\0';
    close(fd[0]);
    int status = 0;
    ck_assert_msg(waitpid(pid, &status, 0) == pid, "waitpid() failed");
    return status;
}

const char *tu_describe(int status, char *buf, size_t cap)
{
    if (WIFEXITED(status))
        snprintf(buf, cap, "exited with status %d", WEXITSTATUS(status));
    else if (WIFSIGNALED(status))
        snprintf(buf, cap, "died of signal %d", WTERMSIG(status));
    else
        snprintf(buf, cap, "ended with wait status %#x", (unsigned)status);
    return buf;
}
