/*
 * grader.h - the grader's internal modules: the lab table (labs.c), running one
 * test in a child process (run.c), and the report in its three forms (report.c).
 * main.c ties them together. Test files never include this header.
 */
#ifndef GRADLAB_GRADER_H
#define GRADLAB_GRADER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include "gt.h"

/* ---- labs.c: what the grader knows about each lab, independent of student code ---- */

typedef struct {
    const char *name;   /* "knn_predict_labels" */
} LabsFn;

typedef struct {
    const char *num;            /* "01" */
    const char *dir;            /* "01-knn" */
    const char *file;           /* "knn.c" */
    const char *title;          /* "k-nearest neighbours" */
    const LabsFn *fns;          /* ends with { NULL }; from grader/api.spec */
    const GtSuite *suites[2];   /* public, hidden; NULL where absent */
    double points;              /* the lab's worth, public and hidden tests together */
} LabsInfo;

/* The points of a lab's suite (0 when it is absent). */
double labs_suite_points(const LabsInfo *lab, GtVisibility vis);

extern const LabsInfo labs_table[];
extern const int labs_count;

/* The function a test grades, from its name "NN fn_name: ..." (NULL if not in the lab's API). */
const LabsFn *labs_test_fn(const LabsInfo *lab, const char *test_name);

/* ---- run.c: one test, in a child process under limits ---- */

typedef enum {
    RUN_PASS, RUN_FAIL, RUN_TODO, RUN_CRASH, RUN_TIMEOUT, RUN_EXIT, RUN_BUILD, RUN_MISSING, RUN_FORBIDDEN,
} RunStatus;

typedef struct {
    uint64_t seed;
    long mem_limit_mb;      /* extra address space a test may map */
    long output_cap;        /* bytes of stdout+stderr kept from one test */
    double timeout_scale;   /* multiplies every test's timeout */
    char tmpdir[256];       /* the run's private scratch directory */
    const char *build_dir;  /* each lab's worker program: BUILD_DIR/NN-name/gradlab-worker */
    bool drop;              /* workers switch to uid/gid (the grader runs as root) */
    uid_t uid;
    gid_t gid;
} RunConfig;

typedef struct {
    const LabsInfo *lab;
    const GtTest *test;
    GtVisibility vis;
    int number;             /* 1-based position within its lab */
    RunStatus status;
    double score;
    double seconds;
    char *message;          /* what went wrong (malloc'ed, may be NULL) */
    char *output;           /* what the test printed, cut to size (malloc'ed, may be NULL) */
} RunResult;

/* The seed of a public test's inputs where its answers are recorded or replayed (the
 * student release): recorded answers are for these inputs only. */
enum { RUN_PUBLIC_SEED = 1 };
/* The seed a test draws its inputs with: --seed, but RUN_PUBLIC_SEED for a public test
 * whose answers are recorded or replayed. The autograder grades with a seed of its own,
 * so the release's recorded answers say nothing of its public tests' random inputs. */
uint64_t run_test_seed(const RunConfig *cfg, GtVisibility vis);

/* Creates cfg->tmpdir; 0 ok, -1 with a message on stderr. */
int run_setup(RunConfig *cfg);
/* Removes cfg->tmpdir. */
void run_cleanup(const RunConfig *cfg);
/* Runs r->test in its own process and fills status, score, seconds, message, output. */
void run_test(const RunConfig *cfg, RunResult *r);
/* Fills r for a test that cannot run (its lab did not build, or its function is missing). */
void run_skip(RunResult *r, RunStatus status, const char *message);
/* ---- debug.c: one test in this process, for gdb (the gradlab-debug program) ---- */

/* Runs r's test here, printing how to do it under gdb (self: this program's
 * path); returns 0 on PASS, or exits 1 after printing FAIL or TODO. */
int debug_run(const RunConfig *cfg, const RunResult *r, const char *self);
/* True while debug_run runs a test. */
bool debug_on(void);
/* Prints the verdict and message and exits 1. */
_Noreturn void debug_fail(const char *status, const char *msg);

/* "PASS", "FAIL", "TODO", ... */
const char *run_status_name(RunStatus s);
/* What a signal that ended a process usually means, in a few words. */
const char *run_signal_why(int sig);

/* ---- guard.c: the grader survives the test and cleans up after it ---- */

/* Makes the grader a child subreaper (orphans of tests come back to it) and
 * turns SIGTERM, SIGINT and SIGHUP into a clean stop: the running test is ended,
 * the rest are not run, and the report and results.json still appear. A budget
 * > 0 (seconds) stops the run the same way once it has run that long. */
void guard_init(double budget_seconds);
/* Why the run stopped early ("" while it goes on); set by guard_run_test(). */
const char *guard_stopped(void);
/* run_test() inside a worker process with the grader's own deadline; afterwards every
 * process the test left behind is killed. A worker that dies scores the test 0 with
 * "the grader was interrupted during this test". */
void guard_run_test(const RunConfig *cfg, RunResult *r);
/* SIGKILLs every descendant of the grader and reaps them;
 * test_ended: the test's process ended on its own, so a quick check may show none is left. */
void guard_kill_descendants(bool test_ended);

/* ---- report.c: the terminal report, a TSV table, Gradescope JSON ---- */

typedef struct {
    bool color;
    bool verbose;
    uint64_t seed;
    const char *json_path;  /* NULL: none */
    const char *tsv_path;   /* NULL: none */
    const char *junit_path;        /* formats.c: JUnit XML, NULL: none */
    const char *prairielearn_path; /* formats.c: PrairieLearn's results.json, NULL: none */
    const char *classroom_path;    /* formats.c: GitHub Classroom's runner result, NULL: none */
    const char *source_dir; /* "labs" or "solutions": for messages */
    const char *build_logs[16];   /* per lab index: compiler output when the lab failed to build */
    const char *build_notes[16];  /* per lab index: the build's notes on a lab that built (NAME.notes) */
    /* per lab index, when the lab was built without some of its functions because they
     * cannot be built: "name\twhy\n" per function (NAME.dropped), and the compiler's or
     * linker's words */
    const char *build_dropped[16];
    const char *build_dropped_log[16];
} ReportConfig;

/* The line printed for one finished test (plus its message and output). */
void report_test(FILE *f, const ReportConfig *rc, const RunResult *r);
/* The lab table and the total; returns the total score. */
double report_summary(FILE *f, const ReportConfig *rc, const RunResult *rs, int n);
/* A lab's test lines are held back while every one so far is TODO: a lab not
 * started yet is one line, not one per test. The first other verdict prints them all
 * and the rest stream as they come. */
typedef struct {
    FILE *held;   /* NULL: streaming to stdout */
    char *text;
    size_t len;
    int todo;     /* TODO lines held */
} ReportLines;

void report_lines_begin(ReportLines *l, bool hold);
/* Where r's line goes; a verdict other than TODO lets the held lines out. */
FILE *report_lines_file(ReportLines *l, const RunResult *r);
/* Ends the lab: its held TODO lines become one line. */
void report_lines_end(ReportLines *l);
/* Writes Gradescope's results.json for rs[0..n) (atomically: tmp file + rename). 0 ok. */
int report_json(const ReportConfig *rc, const RunResult *rs, int n, int total_tests);
/* Writes one TSV line per test: status, lab, score, max, name. 0 ok. */
int report_tsv(const ReportConfig *rc, const RunResult *rs, int n);
/* Autolab's one JSON line, {"scores": {"lab01": 20.0, ...}, "scoreboard": [total, lab01, ...]},
 * for every lab that has selected tests; Autolab reads the last line of the output. */
void report_autolab(FILE *f, const RunResult *rs, int n);
/* s as a JSON string, quotes included (printable ASCII; other bytes as '?'). */
void report_json_string(FILE *f, const char *s);
/* What a platform shows under a test: status, message, output (malloc'ed, or NULL). */
char *report_test_text(const RunResult *r);

/* ---- formats.c: the same results for other platforms; each writes its file
 * (when its path is set) and returns 0, or -1 when it could not ---- */

/* JUnit XML (GitLab, Jenkins, any CI): a testsuite per lab, a testcase per test with
 * its points as properties; FAIL and TODO are <failure>, other verdicts <error>. */
int fmt_junit(const ReportConfig *rc, const RunResult *rs, int n);
/* PrairieLearn's external grading results: score in [0, 1], tests with points. */
int fmt_prairielearn(const ReportConfig *rc, const RunResult *rs, int n);
/* GitHub Classroom's autograding reporter: one runner's result, version 1, per-test
 * points (the workflow base64-encodes it into GRADLAB_RESULTS). */
int fmt_classroom(const ReportConfig *rc, const RunResult *rs, int n);

#endif
