/*
 * oracle.c - the reference's answers for public tests: asked, recorded, replayed.
 *
 * A record is one text line, gzip'd with the others into answers.gz:
 *
 *   KEY EXACT FP0 FP1 N W1 ... WN
 *
 * KEY (16 hex digits) hashes the test's name, the function and the call's
 * occurrence in the test; EXACT hashes the inputs' shapes and integers; FP0 and
 * FP1 (hex floats) are sums over the inputs' numbers, position-weighted and of
 * their sizes; W1..WN are the outputs as 64-bit words (a double's bits, an
 * int sign-extended), in the order the generated oracle lists them.
 */
#include "oracle.h"
#include "gt.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

typedef struct {
    uint64_t key, exact;
    double fp[2];
    size_t first, count;   /* its outputs in ora_pool */
} OraRecord;

static OraMode ora_run_mode = ORA_REF;
static const char *ora_record_path;
static char ora_answers_path[4096];
static const char *ora_load_error;       /* why there are no answers to replay, or NULL */
static OraRecord *ora_table;             /* open addressing on key; key 0 is empty */
static size_t ora_table_cap;
static uint64_t *ora_pool;

/* The running test (in its child). */
static char ora_test[256];
static int ora_test_public;
enum { ORA_MAX_SEEN = 256 };
typedef struct { uint64_t fn_key; int n; } OraSeen;
static OraSeen ora_seen[ORA_MAX_SEEN];
static int ora_nseen;

static uint64_t ora_mix(uint64_t h, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) h = (h ^ b[i]) * 1099511628211ULL;
    return h;
}

static uint64_t ora_mix_str(uint64_t h, const char *s)
{
    return ora_mix(h, s, strlen(s) + 1);
}

static OraRecord *ora_slot(uint64_t key)
{
    size_t i = (size_t)(key ^ (key >> 29)) & (ora_table_cap - 1);
    while (ora_table[i].key && ora_table[i].key != key) i = (i + 1) & (ora_table_cap - 1);
    return &ora_table[i];
}

/* Reads the whole gzip'd file into a NUL-terminated buffer, or NULL. */
static char *ora_read_gz(const char *path, size_t *len)
{
    gzFile f = gzopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 1 << 20, n = 0;
    char *buf = malloc(cap);
    for (;;) {
        if (!buf) break;
        if (n + (1 << 16) + 1 > cap) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb) {
                free(buf);
                buf = NULL;
                break;
            }
            buf = nb;
        }
        int got = gzread(f, buf + n, 1 << 16);
        if (got < 0) {
            free(buf);
            buf = NULL;
            break;
        }
        if (got == 0) break;
        n += (size_t)got;
    }
    gzclose(f);
    if (buf) buf[n] = '\0';
    *len = n;
    return buf;
}

/* Parses the answers file into the table; on failure sets ora_load_error. */
static void ora_load(const char *path)
{
    snprintf(ora_answers_path, sizeof ora_answers_path, "%s", path);
    size_t len;
    char *text = ora_read_gz(path, &len);
    if (!text) {
        ora_load_error = "cannot be read";
        return;
    }
    size_t lines = 0, words = 0;
    for (size_t i = 0; i < len; i++) {
        if (text[i] == '\n') lines++;
        if (text[i] == ' ') words++;
    }
    ora_table_cap = 64;
    while (ora_table_cap < 2 * lines + 2) ora_table_cap *= 2;
    ora_table = calloc(ora_table_cap, sizeof *ora_table);
    ora_pool = malloc((words + 1) * sizeof *ora_pool);
    if (!ora_table || !ora_pool) {
        ora_load_error = "is too large to load";
        free(text);
        return;
    }
    size_t used = 0;
    char *p = text;
    while (*p) {
        char *end;
        OraRecord r = { 0 };
        r.key = strtoull(p, &end, 16);
        int ok = end != p;
        r.exact = strtoull(p = end, &end, 16);
        ok &= end != p;
        r.fp[0] = strtod(p = end, &end);
        ok &= end != p;
        r.fp[1] = strtod(p = end, &end);
        ok &= end != p;
        unsigned long long n = strtoull(p = end, &end, 10);
        ok &= end != p && r.key != 0 && n <= words - used;
        r.first = used;
        r.count = (size_t)n;
        for (unsigned long long k = 0; ok && k < n; k++) {
            ora_pool[used++] = strtoull(p = end, &end, 16);
            ok &= end != p;
        }
        if (!ok || (*end != '\n' && *end != '\0')) {
            ora_load_error = "is damaged (a line that is not a record)";
            free(text);
            return;
        }
        *ora_slot(r.key) = r;
        p = *end ? end + 1 : end;
    }
    free(text);
}

int ora_setup(int ref_linked, const char *record_path, const char *answers_path, const char *default_answers)
{
    if (record_path) {
        if (!ref_linked) {
            fprintf(stderr, "gradlab-grade: --record-answers needs the reference solutions, which this grader "
                            "was not built with\n");
            return -1;
        }
        int fd = open(record_path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
        if (fd < 0) {
            fprintf(stderr, "gradlab-grade: cannot write %s: %s\n", record_path, strerror(errno));
            return -1;
        }
        close(fd);
        ora_record_path = record_path;
        ora_run_mode = ORA_RECORD;
        return 0;
    }
    if (answers_path) {
        ora_run_mode = ORA_REPLAY;
        ora_load(answers_path);
        if (ora_load_error) {
            fprintf(stderr, "gradlab-grade: the recorded answers %s %s\n", answers_path, ora_load_error);
            return -1;
        }
        return 0;
    }
    if (ref_linked) {
        ora_run_mode = ORA_REF;
        return 0;
    }
    /* The release: a missing file fails only the tests that need it, each saying why. */
    ora_run_mode = ORA_REPLAY;
    ora_load(default_answers);
    return 0;
}

OraMode ora_mode(void)
{
    return ora_run_mode;
}

void ora_test_begin(const char *test_name, int is_public)
{
    snprintf(ora_test, sizeof ora_test, "%s", test_name);
    ora_test_public = is_public;
    ora_nseen = 0;
}

void ora_begin(OraCall *c, const char *fn)
{
    *c = (OraCall){ .fn = fn, .mode = ora_test_public ? ora_run_mode : ORA_REF, .exact = 1469598103934665603ULL };
    c->exact = ora_mix_str(c->exact, fn);
}

/* Folds numbers into the fingerprint: each weighted by its position in the call. */
static void ora_fold(OraCall *c, const double *p, long n)
{
    for (long i = 0; i < n; i++) {
        double w = 1.0 + (double)(c->nweights++ % 97) / 97.0;
        if (isfinite(p[i])) {
            c->fp[0] += w * p[i];
            c->fp[1] += fabs(p[i]);
        } else {   /* NaN and Inf are exact facts about the input */
            uint64_t bits;
            memcpy(&bits, &p[i], sizeof bits);
            c->exact = ora_mix(c->exact, &bits, sizeof bits);
        }
    }
}

void ora_in_int(OraCall *c, long long v)
{
    c->exact = ora_mix(c->exact, &v, sizeof v);
}

void ora_in_double(OraCall *c, double v)
{
    ora_fold(c, &v, 1);
}

void ora_in_mat(OraCall *c, const Mat *m)
{
    ora_in_int(c, m ? m->rows : -1);
    ora_in_int(c, m ? m->cols : -1);
    if (m) ora_fold(c, m->data, (long)m->rows * m->cols);
}

void ora_in_ints(OraCall *c, const int *p, long n)
{
    ora_in_int(c, p ? n : -1);
    for (long i = 0; p && i < n; i++) ora_in_int(c, p[i]);
}

void ora_in_doubles(OraCall *c, const double *p, long n)
{
    ora_in_int(c, p ? n : -1);
    if (p) ora_fold(c, p, n);
}

void ora_in_rng(OraCall *c, const Rng *r)
{
    ora_in_int(c, r != NULL);
    if (!r) return;
    c->exact = ora_mix(c->exact, r->s, sizeof r->s);
    ora_in_int(c, r->has_spare);
    if (r->has_spare) ora_fold(c, &r->spare, 1);
}

void ora_in_sgd(OraCall *c, const SgdConfig *cfg)
{
    ora_in_int(c, cfg != NULL);
    if (!cfg) return;
    ora_in_double(c, cfg->learning_rate);
    ora_in_double(c, cfg->reg);
    ora_in_int(c, cfg->num_iters);
    ora_in_int(c, cfg->batch_size);
}

void ora_in_net(OraCall *c, const TwoLayerNet *net)
{
    ora_in_int(c, net != NULL);
    if (!net) return;
    ora_in_mat(c, net->W1);
    ora_in_mat(c, net->b1);
    ora_in_mat(c, net->W2);
    ora_in_mat(c, net->b2);
}

/* The fingerprints agree when the numbers differ by rounding only. */
static int ora_same_inputs(const OraCall *c, const OraRecord *r)
{
    double scale = fmax(c->fp[1], r->fp[1]);
    return c->exact == r->exact && fabs(c->fp[0] - r->fp[0]) <= 1e-9 * 2.0 * scale &&
           fabs(c->fp[1] - r->fp[1]) <= 1e-9 * scale;
}

int ora_compute(OraCall *c)
{
    /* The key: test, function and how many calls of it the test made before. */
    uint64_t fn_key = ora_mix_str(ora_mix_str(1469598103934665603ULL, ora_test), c->fn);
    int occurrence = 0, k;
    for (k = 0; k < ora_nseen && ora_seen[k].fn_key != fn_key; k++) {}
    if (k < ora_nseen) occurrence = ++ora_seen[k].n;
    else if (ora_nseen < ORA_MAX_SEEN) ora_seen[ora_nseen++] = (OraSeen){ fn_key, 0 };
    c->key = ora_mix(fn_key, &occurrence, sizeof occurrence);
    if (!c->key) c->key = 1;
    if (c->mode != ORA_REPLAY) return 1;

    if (ora_load_error || !ora_table)
        gt_fail("the grader's recorded answers for the public tests, %s, %s: without them the public tests "
                "cannot know what %s should return. Restore the file from the release (it is not yours to "
                "edit)", ora_answers_path, ora_load_error ? ora_load_error : "are missing", c->fn);
    const OraRecord *r = ora_slot(c->key);
    if (!r->key)
        gt_fail("the grader has no recorded answer for call %d of %s in this test: the public tests' answers "
                "(%s) were recorded for the tests as released. Was a file under grader/ changed? Restore it "
                "from the release", occurrence + 1, c->fn, ora_answers_path);
    if (!ora_same_inputs(c, r))
        gt_fail("call %d of %s in this test has inputs other than the ones its answer was recorded for (%s). "
                "Was a file under grader/ changed? Restore it from the release", occurrence + 1, c->fn,
                ora_answers_path);
    c->words = ora_pool + r->first;
    c->nwords = r->count;
    return 0;
}

/* One output word: appended (recording), read (replaying), or ignored. */
static uint64_t ora_word(OraCall *c, uint64_t w)
{
    if (c->mode == ORA_RECORD) {
        if (c->nwords == c->cap) {
            size_t cap = c->cap ? 2 * c->cap : 256;
            if (cap > ORA_MAX_OUT) gt_fail("grader bug: %s's answer is too large to record", c->fn);
            uint64_t *nw = realloc(c->words, cap * sizeof *nw);
            if (!nw) gt_fail("grader bug: out of memory recording %s's answer", c->fn);
            c->words = nw;
            c->cap = cap;
        }
        c->words[c->nwords++] = w;
        return w;
    }
    if (c->mode == ORA_REPLAY) {
        if (c->pos >= c->nwords)
            gt_fail("the recorded answer for %s is shorter than this call's outputs (%s): was a file under "
                    "grader/ changed?", c->fn, ora_answers_path);
        return c->words[c->pos++];
    }
    return w;
}

static double ora_word_double(OraCall *c, double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    bits = ora_word(c, bits);
    memcpy(&v, &bits, sizeof v);
    return v;
}

void ora_out_mat(OraCall *c, Mat *m)
{
    if (!m) return;
    for (long i = 0; i < (long)m->rows * m->cols; i++) m->data[i] = ora_word_double(c, m->data[i]);
}

void ora_out_ints(OraCall *c, int *p, long n)
{
    for (long i = 0; p && i < n; i++) p[i] = (int)(int64_t)ora_word(c, (uint64_t)(int64_t)p[i]);
}

void ora_out_doubles(OraCall *c, double *p, long n)
{
    for (long i = 0; p && i < n; i++) p[i] = ora_word_double(c, p[i]);
}

void ora_out_rng(OraCall *c, Rng *r)
{
    if (!r) return;
    for (int i = 0; i < 4; i++) r->s[i] = ora_word(c, r->s[i]);
    r->has_spare = (int)ora_word(c, (uint64_t)r->has_spare);
    r->spare = ora_word_double(c, r->spare);
}

void ora_out_net(OraCall *c, TwoLayerNet *net)
{
    if (!net) return;
    ora_out_mat(c, net->W1);
    ora_out_mat(c, net->b1);
    ora_out_mat(c, net->W2);
    ora_out_mat(c, net->b2);
}

double ora_out_double(OraCall *c, double v)
{
    return ora_word_double(c, v);
}

/* Appends the record as one line with one write (O_APPEND). */
static void ora_write_record(const OraCall *c)
{
    size_t cap = 128 + 17 * c->nwords, n = 0;
    char *line = malloc(cap);
    if (!line) gt_fail("grader bug: out of memory recording %s's answer", c->fn);
    n += (size_t)snprintf(line + n, cap - n, "%016" PRIx64 " %016" PRIx64 " %a %a %zu", c->key, c->exact, c->fp[0],
                          c->fp[1], c->nwords);
    for (size_t i = 0; i < c->nwords; i++) n += (size_t)snprintf(line + n, cap - n, " %" PRIx64, c->words[i]);
    line[n++] = '\n';
    int fd = open(ora_record_path, O_WRONLY | O_APPEND);
    if (fd < 0 || write(fd, line, n) != (ssize_t)n)
        gt_fail("grader bug: cannot append to %s: %s", ora_record_path, strerror(errno));
    close(fd);
    free(line);
}

void ora_end(OraCall *c)
{
    if (c->mode == ORA_RECORD) {
        ora_write_record(c);
        free(c->words);
    } else if (c->mode == ORA_REPLAY && c->pos != c->nwords) {
        gt_fail("the recorded answer for %s is longer than this call's outputs (%s): was a file under grader/ "
                "changed?", c->fn, ora_answers_path);
    }
    c->words = NULL;
}
