/* red team: opens a network socket to send the test's inputs out (or fetch answers).
 * expect: FORBIDDEN your code called socket\(\) */
#include "gradcheck.h"

#include <netinet/in.h>
#include <sys/socket.h>

static void phone_home(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = { .sin_family = AF_INET, .sin_port = htons(9), .sin_addr = { htonl(0x7f000001) } };
    if (s >= 0) connect(s, (struct sockaddr *)&a, sizeof a);
}

void numerical_gradient(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad) { (void)f; (void)ctx; (void)x; (void)h; (void)grad; phone_home(); }
void numerical_gradient_forward(ScalarFn f, void *ctx, Mat *x, double h, Mat *grad) { (void)f; (void)ctx; (void)x; (void)h; (void)grad; phone_home(); }
double rel_error(const Mat *a, const Mat *b) { (void)a; (void)b; phone_home(); return 0.0; }
double grad_check_sparse(ScalarFn f, void *ctx, Mat *x, const Mat *analytic, int num_checks, double h, Rng *rng)
{ (void)f; (void)ctx; (void)x; (void)analytic; (void)num_checks; (void)h; (void)rng; phone_home(); return 0.0; }
