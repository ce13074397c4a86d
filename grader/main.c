/*
 * main.c - gradlab-grade: grades the labs linked into this binary.
 *
 *   gradlab-grade [--lab NN]... [--test PATTERN] [--list] [--seed N|random]
 *                 [--json FILE] [--tsv FILE] [--autolab] [--verbose] [--no-color]
 *                 [--mem-limit MB] [--timeout-scale X] [--budget SECONDS]
 *                 [--build-dir DIR] [--source-dir DIR] [--run-as USER]
 *
 * The tests run here; the student's functions run in each lab's worker program
 * (BUILD_DIR/NN-name/gradlab-worker), a sandboxed process per test (proxy.c).
 *
 * Exit status: 0 every selected test passed; 1 some did not; 2 usage error, or
 * a lab that did not compile.
 */
#include "grader.h"
#include "sandbox.h"
#include "mat.h"
#include "oracle.h"

/* 1 in gradlab-debug, the lab code linked in (main.c compiled a second time). */
#ifndef GRADLAB_DEBUG_BINARY
#define GRADLAB_DEBUG_BINARY 0
#endif

#include <fnmatch.h>
#include <math.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

typedef struct {
    const char *labs[16];
    int nlabs;
    const char *pattern;
    bool list;
    const char *build_dir;
    double budget;          /* seconds for the whole run; 0: no limit */
    bool autolab;           /* end with Autolab's one JSON line */
    const char *run_as;     /* user the workers run as when the grader is root; NULL: nobody */
    bool every_test;        /* a line for every test, even in a lab whose tests are all TODO */
    bool summary;           /* only the table of labs at the end */
    const char *debug;      /* run the one test that matches in this process (gradlab-debug) */
    const char *record_answers;   /* write the public tests' answers here (oracle.h) */
    const char *answers;          /* replay the public tests' answers from here */
    RunConfig run;
    ReportConfig report;
} Options;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: gradlab-grade [options]\n"
            "  --lab NN            grade only lab NN, e.g. 01 or 1 (repeat for several; default: all)\n"
            "  --test PATTERN      only tests whose name matches (glob, or a plain substring)\n"
            "  --list              list the tests with their points and stop\n"
            "  --seed N|random     seed of the tests' random inputs (default 1); public tests graded on\n"
            "                      recorded answers (the student release) draw the recorded inputs\n"
            "  --json FILE         also write Gradescope's results.json to FILE\n"
            "  --tsv FILE          also write one line per test: status, lab, score, max, name\n"
            "  --junit FILE        also write JUnit XML (GitLab, Jenkins, any CI)\n"
            "  --prairielearn FILE also write PrairieLearn's external grading results\n"
            "  --github-classroom FILE  also write GitHub Classroom's autograding result (see .github/)\n"
            "  --autolab           end with Autolab's JSON line: {\"scores\": {\"lab01\": ...}, \"scoreboard\": [...]}\n"
            "  --verbose           show every test's output and time, passed ones too\n"
            "  --every-test        a line for every test (by default a lab whose tests are all TODO is one line)\n"
            "  --summary           only the table of labs and points at the end\n"
            "  --debug PATTERN     run the first test that matches in one process, ready for gdb\n"
            "                      (make grade ARGS='--debug PATTERN' builds and runs gradlab-debug)\n"
            "  --no-color          plain text even on a terminal\n"
            "  --mem-limit MB      address space each test may add (default 1024)\n"
            "  --timeout-scale X   multiply every test's time limit by X (default 1)\n"
            "  --budget SECONDS    stop the whole run after this long (default 480; 0: none); tests\n"
            "                      not run then score 0, and the report and JSON still appear\n"
            "  --run-as USER       run as root, the student's code runs as USER (default nobody;\n"
            "                      '' keeps root, still inside the seccomp sandbox)\n"
            "  --record-answers FILE  write the reference's answers to the public tests into FILE\n"
            "                      (instructors; make release ships them as grader/tests/public/answers.gz)\n"
            "  --answers FILE      take the public tests' answers from FILE, not from the reference\n");
}

/* Check reads CK_* variables (CK_FORK, CK_RUN_CASE, CK_TIMEOUT_MULTIPLIER...): the
 * grader decides what runs and how, so none of them may come from outside. */
static void clear_check_env(void)
{
    for (;;) {
        char name[256] = "";
        for (char **e = environ; *e; e++)
            if (strncmp(*e, "CK_", 3) == 0) {
                snprintf(name, sizeof name, "%.*s", (int)strcspn(*e, "="), *e);
                break;
            }
        if (!name[0]) break;
        unsetenv(name);
    }
}

static int parse_args(int argc, char **argv, Options *o)
{
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        bool takes = true;
        if (!strcmp(a, "--lab") && v) {
            /* "01", "1", "lab1" and "01-knn" all mean lab 01. */
            const char *d = strncmp(v, "lab", 3) ? v : v + 3;
            char *end;
            long num = strtol(d, &end, 10);
            if (end == d || num < 0 || num > 99 || (*end && *end != '-'))
                return fprintf(stderr, "gradlab-grade: --lab wants a lab number such as 01 or 4, not '%s'\n", v), -1;
            static char nums[16][3];
            if (o->nlabs < 16) {
                snprintf(nums[o->nlabs], sizeof nums[0], "%02ld", num);
                o->labs[o->nlabs] = nums[o->nlabs];
                o->nlabs++;
            }
        } else if (!strcmp(a, "--test") && v) {
            o->pattern = v;
        } else if (!strcmp(a, "--seed") && v) {
            if (!strcmp(v, "random")) {
                o->run.seed = (uint64_t)time(NULL) ^ ((uint64_t)getpid() << 20);
            } else {
                char *end;
                o->run.seed = strtoull(v, &end, 10);
                if (*end) return fprintf(stderr, "gradlab-grade: --seed wants a number or 'random', not '%s'\n", v), -1;
            }
        } else if (!strcmp(a, "--json") && v) {
            o->report.json_path = v;
        } else if (!strcmp(a, "--tsv") && v) {
            o->report.tsv_path = v;
        } else if (!strcmp(a, "--junit") && v) {
            o->report.junit_path = v;
        } else if (!strcmp(a, "--prairielearn") && v) {
            o->report.prairielearn_path = v;
        } else if (!strcmp(a, "--github-classroom") && v) {
            o->report.classroom_path = v;
        } else if (!strcmp(a, "--mem-limit") && v) {
            o->run.mem_limit_mb = atol(v);
        } else if (!strcmp(a, "--timeout-scale") && v) {
            o->run.timeout_scale = atof(v);
            if (!(o->run.timeout_scale > 0)) return fprintf(stderr, "gradlab-grade: --timeout-scale must be > 0\n"), -1;
        } else if (!strcmp(a, "--budget") && v) {
            o->budget = atof(v);
            if (!(o->budget >= 0)) return fprintf(stderr, "gradlab-grade: --budget must be >= 0 seconds\n"), -1;
        } else if (!strcmp(a, "--build-dir") && v) {
            o->build_dir = v;
        } else if (!strcmp(a, "--source-dir") && v) {
            o->report.source_dir = v;
        } else if (!strcmp(a, "--run-as") && v) {
            o->run_as = v;
        } else if (!strcmp(a, "--debug") && v) {
            o->debug = v;
            o->pattern = v;
        } else if (!strcmp(a, "--record-answers") && v) {
            o->record_answers = v;
        } else if (!strcmp(a, "--answers") && v) {
            o->answers = v;
        } else {
            takes = false;
            if (!strcmp(a, "--list")) o->list = true;
            else if (!strcmp(a, "--verbose") || !strcmp(a, "-v")) o->report.verbose = true;
            else if (!strcmp(a, "--every-test")) o->every_test = true;
            else if (!strcmp(a, "--summary")) o->summary = true;
            else if (!strcmp(a, "--no-color")) o->report.color = false;
            else if (!strcmp(a, "--autolab")) o->autolab = true;
            else if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
                usage(stdout);
                exit(0);
            } else {
                fprintf(stderr, "gradlab-grade: unknown or incomplete option '%s'\n", a);
                usage(stderr);
                return -1;
            }
        }
        if (takes) i++;
    }
    for (int i = 0; i < o->nlabs; i++) {
        bool known = false;
        for (int li = 0; li < labs_count; li++) known |= !strcmp(o->labs[i], labs_table[li].num);
        if (!known) return fprintf(stderr, "gradlab-grade: there is no lab '%s' (labs are 01..%02d)\n", o->labs[i], labs_count), -1;
    }
    return 0;
}

static bool lab_selected(const Options *o, const LabsInfo *lab)
{
    if (o->nlabs == 0) return true;
    for (int i = 0; i < o->nlabs; i++)
        if (!strcmp(o->labs[i], lab->num)) return true;
    return false;
}

static bool test_selected(const Options *o, const GtTest *t)
{
    if (!o->pattern) return true;
    /* A glob matches the whole name, with or without its "NN " prefix. */
    if (strpbrk(o->pattern, "*?["))
        return fnmatch(o->pattern, t->name, 0) == 0 || (strlen(t->name) > 3 && fnmatch(o->pattern, t->name + 3, 0) == 0);
    return strstr(t->name, o->pattern) != NULL;
}

/* The first 25 lines of BUILD_DIR/NN-name/F<suffix>, or NULL when there is no such
 * file; empty_text stands in for an empty one (NULL: an empty file gives NULL). */
static char *read_build_file(const Options *o, const LabsInfo *lab, const char *suffix, const char *empty_text)
{
    char path[1100];
    snprintf(path, sizeof path, "%s/%s/%.*s%s", o->build_dir, lab->dir, (int)strcspn(lab->file, "."), lab->file,
             suffix);
    FILE *f = fopen(path, "r");
    if (!f) return NULL;
    char *text = calloc(1, 8192);
    if (text) {
        char line[512];
        size_t used = 0;
        for (int n = 0; n < 25 && fgets(line, sizeof line, f); n++) {
            size_t len = strlen(line);
            if (used + len + 1 >= 8192) break;
            memcpy(text + used, line, len + 1);
            used += len;
        }
        if (!text[0]) {
            if (empty_text) {
                snprintf(text, 8192, "%s", empty_text);
            } else {
                free(text);
                text = NULL;
            }
        }
    }
    fclose(f);
    return text;
}

/* The compiler's output for a lab that failed to build (first 25 lines), or NULL. */
static char *read_build_log(const Options *o, const LabsInfo *lab)
{
    if (!o->build_dir) return NULL;
    char path[1100];
    snprintf(path, sizeof path, "%s/%s/%.*s.failed", o->build_dir, lab->dir, (int)strcspn(lab->file, "."), lab->file);
    if (access(path, F_OK) != 0) return NULL;
    char *text = read_build_file(o, lab, ".log", "(no compiler output was saved)\n");
    return text ? text : strdup("(no compiler output was saved)\n");
}

/* What the build noted on a lab that built (globals it made local), or NULL. */
static char *read_build_notes(const Options *o, const LabsInfo *lab)
{
    return o->build_dir ? read_build_file(o, lab, ".notes", NULL) : NULL;
}

/* Whether fn is one of the functions the build left out of a lab because they cannot be
 * built ("name\twhy\n" lines, from NAME.dropped). */
static bool fn_dropped(const char *dropped, const char *fn)
{
    size_t len = strlen(fn);
    for (const char *p = dropped; p && *p;) {
        if (strncmp(p, fn, len) == 0 && p[len] == '\t') return true;
        p = strchr(p, '\n');
        if (p) p++;
    }
    return false;
}

/* Prints text line by line, each after prefix. */
static void print_lines(const char *prefix, const char *text)
{
    while (*text) {
        size_t len = strcspn(text, "\n");
        printf("%s%.*s\n", prefix, (int)len, text);
        text += len + (text[len] == '\n');
    }
}

/* Whether the lab's object defines fn: BUILD_DIR/NN-name/F.syms lists what it
 * defines (written at build time by scripts/lab-symbols.sh from readelf, a trusted
 * tool), read once per lab as "\nname\nname\n". Without the list the answer is yes, and a worker asked for a
 * missing function says so. */
static bool fn_defined(const Options *o, const LabsInfo *lab, const char *fn)
{
    static char *syms[16];
    static bool read[16];
    int li = (int)(lab - labs_table);
    if (!o->build_dir || li < 0 || li >= 16) return true;
    if (!read[li]) {
        read[li] = true;
        char path[1200];
        snprintf(path, sizeof path, "%s/%s/%.*s.syms", o->build_dir, lab->dir, (int)strcspn(lab->file, "."), lab->file);
        FILE *f = fopen(path, "r");
        if (f) {
            syms[li] = calloc(1, 8192);
            if (syms[li]) {
                syms[li][0] = '\n';
                size_t n = fread(syms[li] + 1, 1, 8192 - 3, f);
                if (n > 0 && syms[li][n] != '\n') syms[li][++n] = '\n';
            }
            fclose(f);
        }
    }
    if (!syms[li]) return true;
    char key[160];
    snprintf(key, sizeof key, "\n%s\n", fn);
    return strstr(syms[li], key) != NULL;
}

/* When the grader runs as root, the workers switch to an unprivileged user. */
static void setup_run_as(Options *o)
{
    if (geteuid() != 0) return;
    const char *user = o->run_as ? o->run_as : "nobody";
    if (!user[0]) return;
    struct passwd *pw = getpwnam(user);
    if (!pw || pw->pw_uid == 0) {
        fprintf(stderr, "gradlab-grade: no unprivileged user '%s': the student's code runs as root, inside the "
                        "seccomp sandbox only\n", user);
        return;
    }
    o->run.drop = true;
    o->run.uid = pw->pw_uid;
    o->run.gid = pw->pw_gid;
}

static void free_results(RunResult *rs, int n, ReportConfig *rc)
{
    for (int i = 0; i < n; i++) {
        free(rs[i].message);
        free(rs[i].output);
    }
    free(rs);
    for (int li = 0; li < labs_count; li++) {
        free((char *)rc->build_logs[li]);
        free((char *)rc->build_notes[li]);
        free((char *)rc->build_dropped[li]);
        free((char *)rc->build_dropped_log[li]);
    }
}

int main(int argc, char **argv)
{
    clear_check_env();
    Options o = { 0 };
    o.run.seed = 1;
    o.run.mem_limit_mb = 1024;
    o.run.output_cap = 1 << 20;
    o.run.timeout_scale = 1.0;
    o.budget = 480.0;   /* under Gradescope's default 10-minute limit, with room to spare */
    const char *nc = getenv("NO_COLOR");
    o.report.color = isatty(STDOUT_FILENO) && !(nc && nc[0]);
    o.report.source_dir = "labs";
    if (parse_args(argc, argv, &o) != 0) return 2;
    o.report.seed = o.run.seed;
    o.run.build_dir = o.build_dir;
    setup_run_as(&o);
    mat_set_threads(1);   /* tests are small; one BLAS thread keeps forked children simple */

    /* The selected tests, in lab order, public before hidden. */
    int total = 0;
    for (int li = 0; li < labs_count; li++)
        for (int v = 0; v < 2; v++)
            if (labs_table[li].suites[v]) total += labs_table[li].suites[v]->count;
    RunResult *rs = calloc((size_t)(total ? total : 1), sizeof *rs);
    if (!rs) return 2;
    int n = 0;
    for (int li = 0; li < labs_count; li++) {
        const LabsInfo *lab = &labs_table[li];
        if (!lab_selected(&o, lab)) continue;
        int number = 0;
        for (int v = 0; v < 2; v++) {
            const GtSuite *s = lab->suites[v];
            for (int t = 0; s && t < s->count; t++) {
                number++;
                if (!test_selected(&o, &s->tests[t])) continue;
                rs[n++] = (RunResult){ .lab = lab, .test = &s->tests[t], .vis = s->vis, .number = number };
            }
        }
    }

    if (o.list) {
        /* Exact points (quarters show as 0.25), and each lab's totals after its tests. */
        printf("%-70s %9s  %-6s  %5s\n", "test", "points", "shown", "limit");
        for (int i = 0; i < n; i++) {
            printf("%-70s %5.2f pts  %-6s  %4.0fs\n", rs[i].test->name, rs[i].test->points,
                   rs[i].vis == GT_HIDDEN ? "hidden" : "public", rs[i].test->timeout > 0 ? rs[i].test->timeout : 10.0);
            if (i + 1 == n || rs[i + 1].lab != rs[i].lab) {
                double pub = 0.0, hid = 0.0;
                int count = 0;
                for (int j = 0; j < n; j++)
                    if (rs[j].lab == rs[i].lab) {
                        count++;
                        *(rs[j].vis == GT_HIDDEN ? &hid : &pub) += rs[j].test->points;
                    }
                printf("lab %s: %d test%s, %.2f points (public %.2f, hidden %.2f)\n\n", rs[i].lab->num, count,
                       count == 1 ? "" : "s",
                       pub + hid, pub, hid);
            }
        }
        printf("%d test%s\n", n, n == 1 ? "" : "s");
        free_results(rs, n, &o.report);
        return 0;
    }
    if (n == 0) {
        fprintf(stderr, "gradlab-grade: no test matches the selection%s\n",
                o.debug ? " (make grade ARGS='--list' lists them)" : "");
        free_results(rs, n, &o.report);
        return 2;
    }
    if (o.debug) {
        if (!GRADLAB_DEBUG_BINARY) {
            fprintf(stderr, "gradlab-grade: --debug runs a test in one process with your lab code linked in: "
                            "use make grade ARGS='--debug PATTERN', which builds and runs gradlab-debug\n");
            free_results(rs, n, &o.report);
            return 2;
        }
        if (n > 1) {
            printf("gradlab debug: %d tests match '%s'; this runs the first (a longer pattern picks another):\n", n,
                   o.debug);
            for (int i = 0; i < n && i < 12; i++) printf("  %s\n", rs[i].test->name);
            printf("\n");
        }
        if (ora_setup(ora_ref_linked(), NULL, o.answers, GRADLAB_ANSWERS) != 0) return 2;
        char self[4096];   /* this program's full path, for the gdb command it prints */
        ssize_t len = readlink("/proc/self/exe", self, sizeof self - 1);
        if (len > 0) self[len] = '\0';
        else snprintf(self, sizeof self, "%s", argv[0]);
        int rc = debug_run(&o.run, &rs[0], self);
        free_results(rs, n, &o.report);
        return rc;
    }
    for (int li = 0; li < labs_count; li++) {   /* instructors: each lab keeps its worth */
        const LabsInfo *lab = &labs_table[li];
        double sum = labs_suite_points(lab, GT_PUBLIC) + labs_suite_points(lab, GT_HIDDEN);
        if (lab->suites[GT_HIDDEN] && fabs(sum - lab->points) > 1e-9)
            fprintf(stderr, "gradlab-grade: warning: lab %s's tests add up to %g points, not %g (grader/labs.c)\n",
                    lab->num, sum, lab->points);
    }
    if (ora_setup(ora_ref_linked(), o.record_answers, o.answers, GRADLAB_ANSWERS) != 0) {
        free_results(rs, n, &o.report);
        return 2;
    }
    if (run_setup(&o.run) != 0) {
        free_results(rs, n, &o.report);
        return 2;
    }
    bool selected[64] = { false };
    for (int li = 0; li < labs_count && li < 64; li++) selected[li] = lab_selected(&o, &labs_table[li]);
    if (!getenv("GRADLAB_NO_ZYGOTE"))   /* set: every worker starts from its program (tests of the grader) */
        sbx_zygotes_start(o.run.build_dir, selected, o.run.drop, o.run.uid, o.run.gid);
    guard_init(o.budget);

    bool build_failed = false;
    for (int li = 0; li < labs_count; li++)
        if (lab_selected(&o, &labs_table[li])) {
            o.report.build_logs[li] = read_build_log(&o, &labs_table[li]);
            build_failed |= o.report.build_logs[li] != NULL;
            if (!o.report.build_logs[li] && o.build_dir) {
                o.report.build_notes[li] = read_build_notes(&o, &labs_table[li]);
                o.report.build_dropped[li] = read_build_file(&o, &labs_table[li], ".dropped", NULL);
                if (o.report.build_dropped[li])
                    o.report.build_dropped_log[li] = read_build_file(&o, &labs_table[li], ".log", NULL);
            }
        }

    int seeded = 0;   /* tests whose inputs follow --seed (run_test_seed) */
    for (int i = 0; i < n; i++) seeded += run_test_seed(&o.run, rs[i].vis) == o.run.seed;
    if (seeded)
        printf("gradlab grader: %d test%s, seed %llu (rerun with --seed %llu)\n", n, n == 1 ? "" : "s",
               (unsigned long long)o.run.seed, (unsigned long long)o.run.seed);
    else
        printf("gradlab grader: %d test%s\n", n, n == 1 ? "" : "s");
    const LabsInfo *current = NULL;
    ReportLines lines = { 0 };
    for (int i = 0; i < n; i++) {
        RunResult *r = &rs[i];
        int li = (int)(r->lab - labs_table);
        if (r->lab != current && !o.summary) {
            report_lines_end(&lines);
            report_lines_begin(&lines, !o.report.verbose && !o.every_test);
            current = r->lab;
            printf("\nlab %s: %s (%s/%s/%s)\n", r->lab->num, r->lab->title, o.report.source_dir, r->lab->dir, r->lab->file);
            if (o.report.build_logs[li]) {
                printf("  BUILD ERROR: %s/%s/%s does not compile, so every test of this lab scores 0.\n"
                       "  The compiler said:\n", o.report.source_dir, r->lab->dir, r->lab->file);
                print_lines("    ", o.report.build_logs[li]);
            }
            for (const char *p = o.report.build_dropped[li]; p && *p;) {
                size_t len = strcspn(p, "\t\n");
                /* "name\terror: ..." (the compiler's), or "name\tit calls helper(), which ..." */
                const char *why = p[len] == '\t' ? p + len + 1 : "error:";
                if (strncmp(why, "error:", 6) == 0)
                    printf("  BUILD ERROR: %.*s() does not compile, so its tests score 0; the lab's other functions "
                           "are graded.\n", (int)len, p);
                else
                    printf("  BUILD ERROR: %.*s() cannot be built: %.*s. Its tests score 0; the lab's other "
                           "functions are graded.\n", (int)len, p, (int)strcspn(why, "\n"), why);
                p = strchr(p, '\n');
                if (p) p++;
            }
            if (o.report.build_dropped_log[li]) {
                printf("  The compiler said:\n");
                print_lines("    ", o.report.build_dropped_log[li]);
            }
            if (o.report.build_notes[li]) print_lines("  NOTE: ", o.report.build_notes[li]);
        }
        const LabsFn *fn = labs_test_fn(r->lab, r->test->name);
        char msg[512];
        if (guard_stopped()[0]) {
            snprintf(msg, sizeof msg, "not run: %s before this test", guard_stopped());
            run_skip(r, RUN_TIMEOUT, msg);
        } else if (o.report.build_logs[li]) {
            run_skip(r, RUN_BUILD, "the lab does not compile");
        } else if (fn && fn_dropped(o.report.build_dropped[li], fn->name)) {
            snprintf(msg, sizeof msg, "%s() cannot be built (the compiler's or linker's words are under the lab's "
                     "name)", fn->name);
            run_skip(r, RUN_BUILD, msg);
        } else if (fn && !fn_defined(&o, r->lab, fn->name)) {
            snprintf(msg, sizeof msg, "%s() is not defined in %s/%s/%s: was it deleted or renamed?", fn->name,
                     o.report.source_dir, r->lab->dir, r->lab->file);
            run_skip(r, RUN_MISSING, msg);
        } else {
            guard_run_test(&o.run, r);
        }
        /* Only a test that reached its end passes, and it earns its points, never more. */
        r->score = r->status == RUN_PASS ? r->test->points : 0.0;
        if (!o.summary) report_test(report_lines_file(&lines, r), &o.report, r);
        fflush(stdout);
        if (report_json(&o.report, rs, i + 1, n) != 0)
            fprintf(stderr, "gradlab-grade: cannot write %s\n", o.report.json_path);
    }
    report_lines_end(&lines);
    run_cleanup(&o.run);
    report_summary(stdout, &o.report, rs, n);
    if (report_tsv(&o.report, rs, n) != 0) fprintf(stderr, "gradlab-grade: cannot write %s\n", o.report.tsv_path);
    if (fmt_junit(&o.report, rs, n) != 0) fprintf(stderr, "gradlab-grade: cannot write %s\n", o.report.junit_path);
    if (fmt_prairielearn(&o.report, rs, n) != 0)
        fprintf(stderr, "gradlab-grade: cannot write %s\n", o.report.prairielearn_path);
    if (fmt_classroom(&o.report, rs, n) != 0)
        fprintf(stderr, "gradlab-grade: cannot write %s\n", o.report.classroom_path);
    if (o.autolab) report_autolab(stdout, rs, n);

    bool all_pass = true;
    for (int i = 0; i < n; i++) all_pass &= rs[i].status == RUN_PASS;
    free_results(rs, n, &o.report);
    if (build_failed) return 2;
    return all_pass ? 0 : 1;
}
