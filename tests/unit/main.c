/*
 * main.c - runs the common library's Check unit tests: one suite per module.
 * Exits non-zero when any test fails. Fork mode is forced so one crashing test
 * cannot take the others with it.
 */
#include <check.h>
#include <stdlib.h>

#include "suites.h"

int main(void)
{
    Suite *(*const suites[])(void) = {
        mat_suite, rng_suite, lab_suite, idx_suite, cifar_suite, dataset_suite, viz_suite, plot_suite, expt_suite,
        par_suite,
    };
    SRunner *sr = srunner_create(NULL);
    for (size_t i = 0; i < sizeof suites / sizeof suites[0]; i++) srunner_add_suite(sr, suites[i]());
    srunner_set_fork_status(sr, CK_FORK);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed == 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}
