/*
 * formats.c - the grader's results for the platforms courses use besides
 * Gradescope (report.c): JUnit XML for any CI, PrairieLearn's external grading
 * results, and GitHub Classroom's autograding reporter. Like results.json, each
 * is written by the trusted grader from its own verdicts, after the last test.
 */
#include "grader.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Opens path.tmp; fmt_close renames it into place, so a reader never sees half a file. */
static FILE *fmt_open(const char *path, char *tmp, size_t n)
{
    snprintf(tmp, n, "%s.tmp", path);
    return fopen(tmp, "w");
}

static int fmt_close(FILE *f, const char *tmp, const char *path)
{
    int bad = ferror(f);
    if (fclose(f) != 0 || bad) return -1;
    return rename(tmp, path);
}

static double fmt_total(const RunResult *rs, int n, double *max)
{
    double total = 0.0;
    *max = 0.0;
    for (int i = 0; i < n; i++) {
        total += rs[i].score;
        *max += rs[i].test->points;
    }
    return total;
}

/* ---- JUnit XML ---- */

/* s with XML's five special characters escaped and control characters other
 * than tab and newline (not allowed in XML 1.0) as '?'; ASCII only. */
static void fmt_xml(FILE *f, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        switch (*p) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&apos;", f); break;
        default:
            if ((*p < 0x20 && *p != '\n' && *p != '\t') || *p >= 0x7f) fputc('?', f);
            else fputc(*p, f);
        }
    }
}

/* The first line of s, for a failure's message attribute. */
static void fmt_xml_first_line(FILE *f, const char *s)
{
    char line[300];
    snprintf(line, sizeof line, "%.*s", (int)strcspn(s ? s : "", "\n"), s ? s : "");
    fmt_xml(f, line);
}

int fmt_junit(const ReportConfig *rc, const RunResult *rs, int n)
{
    if (!rc->junit_path) return 0;
    char tmp[1100];
    FILE *f = fmt_open(rc->junit_path, tmp, sizeof tmp);
    if (!f) return -1;
    int failures = 0, errors = 0;
    double seconds = 0.0;
    for (int i = 0; i < n; i++) {
        failures += rs[i].status == RUN_FAIL || rs[i].status == RUN_TODO;
        errors += rs[i].status != RUN_PASS && rs[i].status != RUN_FAIL && rs[i].status != RUN_TODO;
        seconds += rs[i].seconds;
    }
    fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<testsuites name=\"gradlab\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">\n",
            n, failures, errors, seconds);
    for (int li = 0; li < labs_count; li++) {
        const LabsInfo *lab = &labs_table[li];
        int count = 0, lf = 0, le = 0;
        double ls = 0.0;
        for (int i = 0; i < n; i++)
            if (rs[i].lab == lab) {
                count++;
                lf += rs[i].status == RUN_FAIL || rs[i].status == RUN_TODO;
                le += rs[i].status != RUN_PASS && rs[i].status != RUN_FAIL && rs[i].status != RUN_TODO;
                ls += rs[i].seconds;
            }
        if (!count) continue;
        fprintf(f, "  <testsuite name=\"lab %s ", lab->num);
        fmt_xml(f, lab->title);
        fprintf(f, "\" tests=\"%d\" failures=\"%d\" errors=\"%d\" time=\"%.3f\">\n", count, lf, le, ls);
        for (int i = 0; i < n; i++) {
            const RunResult *r = &rs[i];
            if (r->lab != lab) continue;
            fprintf(f, "    <testcase classname=\"gradlab.lab%s.%s\" name=\"", lab->num,
                    r->vis == GT_HIDDEN ? "hidden" : "public");
            fmt_xml(f, r->test->name);
            fprintf(f, "\" time=\"%.3f\">\n      <properties><property name=\"points\" value=\"%.4f\"/>"
                       "<property name=\"max_points\" value=\"%.4f\"/><property name=\"status\" value=\"%s\"/>"
                       "</properties>\n", r->seconds, r->score, r->test->points, run_status_name(r->status));
            if (r->status != RUN_PASS) {
                const char *tag = r->status == RUN_FAIL || r->status == RUN_TODO ? "failure" : "error";
                fprintf(f, "      <%s type=\"%s\" message=\"", tag, run_status_name(r->status));
                fmt_xml_first_line(f, r->message);
                fputs("\">", f);
                fmt_xml(f, r->message);
                fprintf(f, "</%s>\n", tag);
            }
            if (r->output && r->output[0]) {
                fputs("      <system-out>", f);
                fmt_xml(f, r->output);
                fputs("</system-out>\n", f);
            }
            fputs("    </testcase>\n", f);
        }
        fputs("  </testsuite>\n", f);
    }
    fputs("</testsuites>\n", f);
    return fmt_close(f, tmp, rc->junit_path);
}

/* ---- PrairieLearn ---- */

int fmt_prairielearn(const ReportConfig *rc, const RunResult *rs, int n)
{
    if (!rc->prairielearn_path) return 0;
    char tmp[1100];
    FILE *f = fmt_open(rc->prairielearn_path, tmp, sizeof tmp);
    if (!f) return -1;
    double max, total = fmt_total(rs, n, &max);
    int pass = 0;
    for (int i = 0; i < n; i++) pass += rs[i].status == RUN_PASS;
    char message[200];
    snprintf(message, sizeof message, "gradlab: %d of %d tests passed, %.2f of %.2f points", pass, n, total, max);
    fprintf(f, "{\n  \"gradable\": true,\n  \"score\": %.6f,\n  \"message\": ", max > 0 ? total / max : 0.0);
    report_json_string(f, message);
    fputs(",\n  \"tests\": [\n", f);
    for (int i = 0; i < n; i++) {
        const RunResult *r = &rs[i];
        fputs("    {\"name\": ", f);
        report_json_string(f, r->test->name);
        fprintf(f, ", \"description\": \"lab %s, %s test\", \"points\": %.4f, \"max_points\": %.4f, \"message\": ",
                r->lab->num, r->vis == GT_HIDDEN ? "hidden" : "public", r->score, r->test->points);
        report_json_string(f, r->status == RUN_PASS ? "PASS" : run_status_name(r->status));
        fputs(", \"output\": ", f);
        char *text = report_test_text(r);
        report_json_string(f, text);
        free(text);
        fprintf(f, "}%s\n", i + 1 < n ? "," : "");
    }
    fputs("  ]\n}\n", f);
    return fmt_close(f, tmp, rc->prairielearn_path);
}

/* ---- GitHub Classroom ---- */

int fmt_classroom(const ReportConfig *rc, const RunResult *rs, int n)
{
    if (!rc->classroom_path) return 0;
    char tmp[1100];
    FILE *f = fmt_open(rc->classroom_path, tmp, sizeof tmp);
    if (!f) return -1;
    double max;
    fmt_total(rs, n, &max);
    int all_pass = 1, any_error = 0;
    for (int i = 0; i < n; i++) {
        all_pass &= rs[i].status == RUN_PASS;
        any_error |= rs[i].status == RUN_BUILD;
    }
    fprintf(f, "{\n  \"version\": 1,\n  \"status\": \"%s\",\n  \"max_score\": %.4f,\n  \"tests\": [\n",
            all_pass ? "pass" : any_error ? "error" : "fail", max);
    for (int i = 0; i < n; i++) {
        const RunResult *r = &rs[i];
        fputs("    {\"name\": ", f);
        report_json_string(f, r->test->name);
        fprintf(f, ", \"status\": \"%s\", \"score\": %.4f, \"max_score\": %.4f, \"execution_time\": \"%.2fs\", "
                   "\"message\": ", r->status == RUN_PASS ? "pass" : r->status == RUN_BUILD ? "error" : "fail",
                r->score, r->test->points, r->seconds);
        char *text = r->status == RUN_PASS ? NULL : report_test_text(r);
        report_json_string(f, text ? text : "");
        free(text);
        fprintf(f, "}%s\n", i + 1 < n ? "," : "");
    }
    fputs("  ]\n}\n", f);
    return fmt_close(f, tmp, rc->classroom_path);
}
