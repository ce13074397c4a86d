/*
 * oracle.h - what the reference answers, for the public tests.
 *
 * A public test that needs the right answer for its own inputs calls the lab
 * function's oracle: ora_<name>, with the lab function's signature (declared
 * in the generated gen/oracles.h, made from grader/api.spec like the proxies).
 * The oracle answers in one of three ways, chosen once per run:
 *
 *   ORA_REF     the instructors' tree: the reference solution, linked into the
 *               grader as ref_<name>, computes it (the hidden tests use it too);
 *   ORA_RECORD  the same, and each answer a public test got is written down
 *               (gradlab-grade --record-answers FILE; make release does it);
 *   ORA_REPLAY  the student release, which has no reference: the answer is the
 *               one recorded, read from grader/tests/public/answers.gz.
 *
 * So the release ships answers as data for the public tests' inputs, never code
 * that computes a lab function. A recorded answer is found by the test's name,
 * the function and how many times the test called it before; the inputs it was
 * recorded for are checked too (their shapes and integers exactly, their
 * numbers to 1e-9, since another machine's libm or BLAS may round differently),
 * so a changed test or input is one clear failure, never a wrong number.
 * Hidden tests always get the reference (they exist only where it does).
 *
 * In ORA_REPLAY the oracle does not call the callbacks (ScalarFn, LossFn) it
 * is given; tests must not count on their side effects.
 */
#ifndef GRADLAB_ORACLE_H
#define GRADLAB_ORACLE_H

#include <stddef.h>
#include <stdint.h>

#include "linear.h"
#include "mat.h"
#include "mlp.h"
#include "rng.h"

typedef enum { ORA_REF, ORA_RECORD, ORA_REPLAY } OraMode;

/* 1 when the grader was built with the reference solutions (generated, gen/oracles.c). */
int ora_ref_linked(void);

/* The runner, once before any test (in the parent, so every test inherits the
 * loaded answers). ref_linked: the generated ora_ref_linked(). record_path
 * (NULL: none) selects ORA_RECORD; answers_path (NULL: none) forces ORA_REPLAY
 * from that file even where the reference is linked; without either the mode
 * is ORA_REF when the reference is linked, else ORA_REPLAY from default_answers.
 * Returns 0, or -1 after one line on stderr (a bad option, an unreadable file). */
int ora_setup(int ref_linked, const char *record_path, const char *answers_path, const char *default_answers);
OraMode ora_mode(void);
/* The runner, in a test's child: which test runs, and whether it is public. */
void ora_test_begin(const char *test_name, int is_public);

/* ---- what the generated oracles call ---- */

enum { ORA_MAX_OUT = 1 << 22 };   /* 64-bit words of output one call may record */

typedef struct {
    const char *fn;
    OraMode mode;         /* for this call: hidden tests always ORA_REF */
    uint64_t key;         /* test, function, occurrence */
    uint64_t exact;       /* hash of the shapes and integers of the inputs */
    double fp[2];         /* weighted sums of the inputs' numbers, and of their sizes */
    uint64_t nweights;    /* numbers folded into fp so far */
    uint64_t *words;      /* outputs: being recorded, or the recorded ones */
    size_t nwords, cap, pos;
} OraCall;

void ora_begin(OraCall *c, const char *fn);
void ora_in_mat(OraCall *c, const Mat *m);
void ora_in_ints(OraCall *c, const int *p, long n);
void ora_in_doubles(OraCall *c, const double *p, long n);
void ora_in_int(OraCall *c, long long v);
void ora_in_double(OraCall *c, double v);
void ora_in_rng(OraCall *c, const Rng *r);
void ora_in_sgd(OraCall *c, const SgdConfig *cfg);
void ora_in_net(OraCall *c, const TwoLayerNet *net);
/* After the inputs: 1 when the reference is to be called now (ORA_REF,
 * ORA_RECORD); 0 in ORA_REPLAY, having found the recorded answer (a missing or
 * mismatched one fails the test with a message saying so). */
int ora_compute(OraCall *c);
/* The outputs, in order: recorded after the reference's call, or filled in from the record. */
void ora_out_mat(OraCall *c, Mat *m);
void ora_out_ints(OraCall *c, int *p, long n);
void ora_out_doubles(OraCall *c, double *p, long n);
void ora_out_rng(OraCall *c, Rng *r);
void ora_out_net(OraCall *c, TwoLayerNet *net);
double ora_out_double(OraCall *c, double v);
/* Writes the record (ORA_RECORD) and frees the call. */
void ora_end(OraCall *c);

#endif
