/* suites.h - one Check suite per module of common/, each in tests/unit/test_<module>.c. */
#ifndef GRADLAB_TEST_SUITES_H
#define GRADLAB_TEST_SUITES_H

#include <check.h>

Suite *mat_suite(void);
Suite *rng_suite(void);
Suite *lab_suite(void);
Suite *idx_suite(void);
Suite *cifar_suite(void);
Suite *dataset_suite(void);
Suite *viz_suite(void);
Suite *plot_suite(void);
Suite *expt_suite(void);
Suite *par_suite(void);

#endif
