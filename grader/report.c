/*
 * report.c - what the grader tells people: a terminal report (colour only on a
 * terminal), a TSV line per test for scripts, and Gradescope's results.json.
 * Scores are always computed here, from the grader's own list of tests and
 * points, never from anything a submission printed.
 */
#include "grader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *report_color(const ReportConfig *rc, RunStatus s)
{
    if (!rc->color) return "";
    switch (s) {
    case RUN_PASS: return "\033[32m";
    case RUN_TODO: return "\033[33m";
    default: return "\033[31m";
    }
}

static const char *report_reset(const ReportConfig *rc)
{
    return rc->color ? "\033[0m" : "";
}

/* Points as people write them: "20.0", "1.5", "0.75" (two decimals only when
 * the second one is needed, so quarter points are not shown rounded). */
static const char *report_pts(char *buf, size_t n, double v)
{
    snprintf(buf, n, "%.2f", v);
    size_t len = strlen(buf);
    if (len >= 4 && buf[len - 1] == '0' && buf[len - 2] != '.') buf[len - 1] = '\0';
    return buf;
}

/* Prints text with every line indented by `indent`. */
static void report_indented(FILE *f, const char *text, const char *indent)
{
    const char *p = text;
    while (*p) {
        size_t len = strcspn(p, "\n");
        fprintf(f, "%s%.*s\n", indent, (int)len, p);
        p += len;
        if (*p == '\n') p++;
    }
}

void report_test(FILE *f, const ReportConfig *rc, const RunResult *r)
{
    /* Names longer than the column push the score right rather than being cut. */
    char got[16], max[16];
    fprintf(f, "  %s%-9s%s %-72s %4s/%s%s", report_color(rc, r->status), run_status_name(r->status),
            report_reset(rc), r->test->name, report_pts(got, sizeof got, r->score),
            report_pts(max, sizeof max, r->test->points), r->vis == GT_HIDDEN ? " (hidden)" : "");
    if (rc->verbose) fprintf(f, "  %.2fs", r->seconds);
    fprintf(f, "\n");
    if (r->status == RUN_PASS && !rc->verbose) return;
    /* A lab that does not compile at all: its compiler errors are printed once, above. */
    if (r->status == RUN_BUILD && rc->build_logs[r->lab - labs_table]) return;
    if (r->message && r->status != RUN_PASS) report_indented(f, r->message, "          ");
    if (r->output && (r->status != RUN_TODO || rc->verbose)) {
        fprintf(f, "          -- what the test printed --\n");
        report_indented(f, r->output, "          | ");
    }
}

double report_summary(FILE *f, const ReportConfig *rc, const RunResult *rs, int n)
{
    double total = 0.0, total_max = 0.0;
    int total_pass = 0;
    fprintf(f, "\n  %-4s %-30s %-9s %-6s %s\n", "lab", "", "passed", "todo", "score");
    for (int li = 0; li < labs_count; li++) {
        const LabsInfo *lab = &labs_table[li];
        double score = 0.0, max = 0.0;
        int count = 0, pass = 0, todo = 0;
        for (int i = 0; i < n; i++) {
            if (rs[i].lab != lab) continue;
            count++;
            score += rs[i].score;
            max += rs[i].test->points;
            pass += rs[i].status == RUN_PASS;
            todo += rs[i].status == RUN_TODO;
        }
        if (count == 0) continue;
        char passed[32], got[16], of[16], more[80] = "";
        snprintf(passed, sizeof passed, "%d/%d", pass, count);
        /* Without hidden suites (the student release): what the autograder adds. */
        double hidden = lab->points - labs_suite_points(lab, GT_PUBLIC);
        if (!lab->suites[GT_HIDDEN] && hidden > 0.0)
            snprintf(more, sizeof more, "   public tests; hidden tests add %s points when you submit",
                     report_pts(of, sizeof of, hidden));
        fprintf(f, "  %-4s %-30s %-9s %-6d %5s / %s%s\n", lab->num, lab->title, passed, todo,
                report_pts(got, sizeof got, score), report_pts(of, sizeof of, max), more);
        total += score;
        total_max += max;
        total_pass += pass;
    }
    char passed[32], got[16], of[16];
    snprintf(passed, sizeof passed, "%d/%d", total_pass, n);
    fprintf(f, "  %-4s %-30s %-9s %-6s %s%5s / %s%s\n", "", "total", passed, "",
            rc->color ? "\033[1m" : "", report_pts(got, sizeof got, total),
            report_pts(of, sizeof of, total_max), report_reset(rc));
    return total;
}

/* ---- a lab's lines: one line for a lab not started ---- */

void report_lines_begin(ReportLines *l, bool hold)
{
    *l = (ReportLines){ 0 };
    if (hold) l->held = open_memstream(&l->text, &l->len);
}

/* Where r's line goes; a verdict other than TODO lets the held lines out. */
FILE *report_lines_file(ReportLines *l, const RunResult *r)
{
    if (l->held && r->status != RUN_TODO) {
        fclose(l->held);
        fwrite(l->text, 1, l->len, stdout);
        free(l->text);
        *l = (ReportLines){ 0 };
    }
    if (!l->held) return stdout;
    l->todo++;
    return l->held;
}

void report_lines_end(ReportLines *l)
{
    if (!l->held) return;
    fclose(l->held);
    free(l->text);
    if (l->todo == 1)
        printf("  TODO      the one test of this lab reaches a function that is still LAB_TODO() (--verbose names it)\n");
    else if (l->todo)
        printf("  TODO      all %d tests of this lab reach a function that is still LAB_TODO() (--verbose lists them)\n",
               l->todo);
    *l = (ReportLines){ 0 };
}

/* ---- JSON ---- */

void report_json_string(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", f); break;
        case '\\': fputs("\\\\", f); break;
        case '\n': fputs("\\n", f); break;
        case '\t': fputs("\\t", f); break;
        case '\r': fputs("\\r", f); break;
        default:
            if (*p < 0x20) fprintf(f, "\\u%04x", *p);
            else if (*p < 0x80) fputc(*p, f);
            else fputc('?', f);   /* invalid UTF-8 would make the whole file unreadable */
        }
    }
    fputc('"', f);
}

/* The text Gradescope shows under a test: status, message, output. */
char *report_test_text(const RunResult *r)
{
    size_t cap = 64 + (r->message ? strlen(r->message) : 0) + (r->output ? strlen(r->output) : 0) + 64;
    char *s = malloc(cap);
    if (!s) return NULL;
    int n = snprintf(s, cap, "%s", run_status_name(r->status));
    if (r->message) n += snprintf(s + n, cap - (size_t)n, ": %s", r->message);
    if (r->output) snprintf(s + n, cap - (size_t)n, "\n\nwhat the test printed:\n%s", r->output);
    return s;
}

int report_json(const ReportConfig *rc, const RunResult *rs, int n, int total_tests)
{
    if (!rc->json_path) return 0;
    char tmp[1100];
    snprintf(tmp, sizeof tmp, "%s.tmp", rc->json_path);
    FILE *f = fopen(tmp, "w");
    if (!f) return -1;
    double total = 0.0;
    for (int i = 0; i < n; i++) total += rs[i].score;
    fprintf(f, "{\n  \"score\": %.4f,\n  \"visibility\": \"visible\",\n  \"stdout_visibility\": \"hidden\",\n", total);
    fprintf(f, "  \"extra_data\": {\"seed\": %llu, \"tests_run\": %d, \"tests_total\": %d},\n",
            (unsigned long long)rc->seed, n, total_tests);
    /* The top-level output, which students see at once: one line per lab, from the
     * public tests only. Hidden tests are "after_published": nothing here may say how
     * they went before the instructor publishes (only how many points they hold). */
    char summary[4096];
    int len = snprintf(summary, sizeof summary, "gradlab grader, seed %llu%s\n", (unsigned long long)rc->seed,
                       n < total_tests ? " (interrupted: not every test ran)" : "");
    for (int li = 0; li < labs_count; li++) {
        double score = 0.0, max = 0.0, hidden_max = 0.0;
        char got[16], of[16], hid[16];
        int count = 0, pass = 0, hidden = 0;
        for (int i = 0; i < n; i++) {
            if (rs[i].lab != &labs_table[li]) continue;
            if (rs[i].vis == GT_HIDDEN) {
                hidden++;
                hidden_max += rs[i].test->points;
                continue;
            }
            count++;
            score += rs[i].score;
            max += rs[i].test->points;
            pass += rs[i].status == RUN_PASS;
        }
        if ((count || hidden) && len < (int)sizeof summary)
            len += snprintf(summary + len, sizeof summary - (size_t)len,
                            "lab %s %s: public tests %s/%s (%d/%d passed)%s%s%s%s\n", labs_table[li].num,
                            labs_table[li].title, report_pts(got, sizeof got, score), report_pts(of, sizeof of, max),
                            pass, count, hidden ? "; hidden tests, " : "",
                            hidden ? report_pts(hid, sizeof hid, hidden_max) : "",
                            hidden ? " points, shown when grades are published" : "",
                            rc->build_logs[li]      ? " - did not compile"
                            : rc->build_dropped[li] ? " - some functions could not be built"
                                                    : "");
        for (const char *p = count || hidden ? rc->build_notes[li] : NULL; p && *p && len < (int)sizeof summary;) {
            size_t n = strcspn(p, "\n");
            len += snprintf(summary + len, sizeof summary - (size_t)len, "  note: %.*s\n", (int)n, p);
            p += n + (p[n] == '\n');
        }
    }
    fputs("  \"output\": ", f);
    report_json_string(f, summary);
    fputs(",\n  \"tests\": [\n", f);
    for (int i = 0; i < n; i++) {
        const RunResult *r = &rs[i];
        char number[32];
        snprintf(number, sizeof number, "%s.%d", r->lab->num, r->number);
        fputs("    {\"name\": ", f);
        report_json_string(f, r->test->name);
        fprintf(f, ", \"number\": \"%s\", \"score\": %.4f, \"max_score\": %.4f, \"status\": \"%s\", "
                   "\"gradlab_status\": \"%s\", \"visibility\": \"%s\", \"execution_time\": %.3f, \"output\": ",
                number, r->score, r->test->points, r->status == RUN_PASS ? "passed" : "failed",
                run_status_name(r->status), r->vis == GT_HIDDEN ? "after_published" : "visible", r->seconds);
        char *text = report_test_text(r);
        if (r->status == RUN_BUILD) {
            int li = (int)(r->lab - labs_table);
            free(text);
            const char *words = rc->build_logs[li] ? rc->build_logs[li] : rc->build_dropped_log[li];
            size_t cap = 256 + strlen(r->message ? r->message : "") + (words ? strlen(words) : 0);
            text = malloc(cap);
            if (text) snprintf(text, cap, "BUILD: %s\n%s", r->message ? r->message : "", words ? words : "");
        }
        report_json_string(f, text);
        free(text);
        fprintf(f, "}%s\n", i + 1 < n ? "," : "");
    }
    fputs("  ]\n}\n", f);
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) return -1;
    return rename(tmp, rc->json_path);
}

int report_tsv(const ReportConfig *rc, const RunResult *rs, int n)
{
    if (!rc->tsv_path) return 0;
    FILE *f = fopen(rc->tsv_path, "w");
    if (!f) return -1;
    for (int i = 0; i < n; i++)
        fprintf(f, "%s\t%s\t%.4f\t%.4f\t%s\n", run_status_name(rs[i].status), rs[i].lab->num, rs[i].score,
                rs[i].test->points, rs[i].test->name);
    return fclose(f);
}

/* ---- Autolab ---- */

void report_autolab(FILE *f, const RunResult *rs, int n)
{
    double per_lab[16] = { 0 }, total = 0.0;
    bool seen[16] = { false };
    for (int i = 0; i < n; i++) {
        int li = (int)(rs[i].lab - labs_table);
        if (li < 0 || li >= 16) continue;
        per_lab[li] += rs[i].score;
        seen[li] = true;
        total += rs[i].score;
    }
    fputs("{\"scores\": {", f);
    const char *sep = "";
    for (int li = 0; li < labs_count && li < 16; li++)
        if (seen[li]) {
            fprintf(f, "%s\"lab%s\": %.2f", sep, labs_table[li].num, per_lab[li]);
            sep = ", ";
        }
    fprintf(f, "}, \"scoreboard\": [%.2f", total);
    for (int li = 0; li < labs_count && li < 16; li++)
        if (seen[li]) fprintf(f, ", %.2f", per_lab[li]);
    fputs("]}\n", f);
}
