/* red team: a section the linker copies into the program's header. An `.interp`
 * section names the program that the kernel runs in place of the dynamic loader:
 * code of the student's choosing (here /bin/true) before the worker can confine
 * itself. Lab objects may hold only code, data, debug and unwind sections.
 * expect: BUILD section */
#include "gradcheck.h"

__attribute__((section(".interp"), used)) static const char gradlab_interp[] = "/bin/true";

void numerical_gradient(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad) { (void)f; (void)ctx; (void)x; (void)h; (void)grad; }
void numerical_gradient_forward(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad) { (void)f; (void)ctx; (void)x; (void)h; (void)grad; }
double rel_error(const Mat *a, const Mat *b) { (void)a; (void)b; return 0.0; }
double grad_check_sparse(ScalarFn f, void *ctx, Mat *x, const Mat *analytic, int num_checks, double h, Rng *rng)
{ (void)f; (void)ctx; (void)x; (void)analytic; (void)num_checks; (void)h; (void)rng; return 0.0; }
