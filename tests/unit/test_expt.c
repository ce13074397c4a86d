/*
 * test_expt.c - expt.c's command line (expt_parse): values given in both forms,
 * what is left "not given", and every kind of bad input answered with one line
 * naming the option; and dataset_parse_spec, which --data relies on.
 */
#include <check.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "expt.h"
#include "suites.h"

/* What lab 05 accepts (the parser only looks at the flags). */
static const ExptOpt opts05[] = {
    { EXPT_OPT_DATA, NULL, NULL },     { EXPT_OPT_LR, NULL, NULL },       { EXPT_OPT_REG, NULL, NULL },
    { EXPT_OPT_EPOCHS, NULL, NULL },   { EXPT_OPT_BATCH, NULL, NULL },    { EXPT_OPT_HIDDEN, NULL, NULL },
    { EXPT_OPT_MOMENTUM, NULL, NULL }, { EXPT_OPT_LR_DECAY, NULL, NULL }, { EXPT_OPT_TRAIN_SIZE, NULL, NULL },
    { EXPT_OPT_NO_SEARCH, NULL, NULL }, { 0 },
};
static const ExptOpt opts01[] = {
    { EXPT_OPT_K, NULL, NULL }, { EXPT_OPT_FOLDS, NULL, NULL }, { EXPT_OPT_NO_SEARCH, NULL, NULL }, { 0 },
};

/* Splits line at spaces into argv (argv[0] is the program) and parses it. */
static int parse(const char *prog, const char *line, const ExptOpt *opts, ExptArgs *a, char *err, size_t cap)
{
    static char buf[512];
    char *argv[32];
    int argc = 0;
    snprintf(buf, sizeof buf, "%s", line);
    argv[argc++] = (char *)prog;
    for (char *t = strtok(buf, " "); t && argc < 31; t = strtok(NULL, " ")) argv[argc++] = t;
    argv[argc] = NULL;
    return expt_parse(argc, argv, opts, a, err, cap);
}

START_TEST(test_defaults_not_given)
{
    ExptArgs a;
    char err[300];
    ck_assert_int_eq(parse("build/bin/05-mlp", "", opts05, &a, err, sizeof err), 0);
    ck_assert_str_eq(a.out_dir, "out");
    ck_assert(!a.quick && !a.no_search && a.data == NULL);
    ck_assert_int_eq((int)a.seed, 1);
    ck_assert(isnan(a.lr) && isnan(a.reg) && isnan(a.momentum) && isnan(a.lr_decay));
    ck_assert(a.epochs < 0 && a.batch < 0 && a.hidden < 0 && a.k < 0 && a.folds < 0 && a.train_size < 0);
    ck_assert_double_eq(expt_d(a.lr, 0.25), 0.25);
    ck_assert_int_eq(expt_i(a.hidden, 512), 512);
}
END_TEST

START_TEST(test_values_both_forms)
{
    ExptArgs a;
    char err[300];
    int rc = parse("05-mlp", "--lr=0.05 --reg 1e-3 --epochs=7 --batch 64 --hidden 256 --momentum 0 --lr-decay=1 "
                   "--train-size 1000 --no-search --quick --seed=42 --out=o/x --data cifar10:/d",
                   opts05, &a, err, sizeof err);
    ck_assert_msg(rc == 0, "rc %d: %s", rc, err);
    ck_assert_double_eq(a.lr, 0.05);
    ck_assert_double_eq(a.reg, 1e-3);
    ck_assert_int_eq(a.epochs, 7);
    ck_assert_int_eq(a.batch, 64);
    ck_assert_int_eq(a.hidden, 256);
    ck_assert_double_eq(a.momentum, 0.0);   /* 0 is a value, not "not given" */
    ck_assert_double_eq(expt_d(a.momentum, 0.9), 0.0);
    ck_assert_double_eq(a.lr_decay, 1.0);
    ck_assert_int_eq(a.train_size, 1000);
    ck_assert(a.no_search && a.quick);
    ck_assert_int_eq((int)a.seed, 42);
    ck_assert_str_eq(a.out_dir, "o/x");
    ck_assert_str_eq(a.data, "cifar10:/d");
}
END_TEST

START_TEST(test_help)
{
    ExptArgs a;
    char err[300];
    ck_assert_int_eq(parse("05-mlp", "--lr 0.1 --help", opts05, &a, err, sizeof err), 1);
    ck_assert_int_eq(parse("05-mlp", "-h", opts05, &a, err, sizeof err), 1);
}
END_TEST

/* Each bad command line: rejected (-1) with one line containing `says`. */
static const struct {
    const char *prog, *line, *says;
} bad_cases[] = {
    { "01-knn", "--k 0", "--k 0: --k must be a whole number at least 1" },
    { "01-knn", "--k -3", "--k -3:" },
    { "01-knn", "--k 2.5", "not a whole number" },
    { "01-knn", "--k 1e99", "at most" },
    { "01-knn", "--folds 1", "--folds must be a whole number at least 2" },
    { "01-knn", "--k", "--k needs a value" },
    { "01-knn", "--k --no-search", "--k needs a value" },
    { "01-knn", "--k=", "--k '': not a number" },
    { "01-knn", "--lr 0.1", "--lr is not used by lab 01 (options: --k --folds --no-search --out --quick --seed)" },
    { "05-mlp", "--k 5", "--k is not used by lab 05" },
    { "05-mlp", "--batch 0", "--batch 0:" },
    { "05-mlp", "--lr -1", "--lr must be greater than 0" },
    { "05-mlp", "--lr 0", "--lr must be greater than 0" },
    { "05-mlp", "--lr abc", "--lr 'abc': not a number" },
    { "05-mlp", "--lr 0.1x", "not a number" },
    { "05-mlp", "--lr inf", "not a number" },
    { "05-mlp", "--reg -1e-3", "--reg must be at least 0" },
    { "05-mlp", "--momentum 1", "less than 1" },
    { "05-mlp", "--lr-decay 0", "greater than 0" },
    { "05-mlp", "--lr-decay 1.5", "at most 1" },
    { "05-mlp", "--hidden 0", "--hidden 0:" },
    { "05-mlp", "--epochs 0", "--epochs 0:" },
    { "05-mlp", "--train-size 0", "--train-size 0:" },
    { "05-mlp", "--no-search=1", "--no-search takes no value" },
    { "05-mlp", "--quick=yes", "--quick takes no value" },
    { "05-mlp", "--seed -1", "--seed '-1'" },
    { "05-mlp", "--seed x", "--seed 'x'" },
    { "05-mlp", "--out", "--out needs a value" },
    { "05-mlp", "--data", "--data needs a value" },
    { "05-mlp", "--data imagenet", "unknown data set 'imagenet'" },
    { "05-mlp", "--data cifar10:", "no directory after the ':'" },
    { "05-mlp", "--frobnicate 3", "unknown option '--frobnicate'" },
    { "05-mlp", "lr=3", "unexpected argument 'lr=3'" },
    { "05-mlp", "--", "unexpected argument '--'" },
};

START_TEST(test_bad_values)
{
    ExptArgs a;
    char err[400];
    int i = _i;
    const ExptOpt *opts = strcmp(bad_cases[i].prog, "01-knn") == 0 ? opts01 : opts05;
    int rc = parse(bad_cases[i].prog, bad_cases[i].line, opts, &a, err, sizeof err);
    ck_assert_msg(rc == -1, "%s %s: rc %d, expected -1", bad_cases[i].prog, bad_cases[i].line, rc);
    ck_assert_msg(strstr(err, bad_cases[i].says) != NULL, "%s %s: \"%s\" does not say \"%s\"", bad_cases[i].prog,
                  bad_cases[i].line, err, bad_cases[i].says);
    ck_assert_msg(strchr(err, '\n') == NULL, "%s: the message is more than one line: \"%s\"", bad_cases[i].line, err);
}
END_TEST

START_TEST(test_parse_spec)
{
    DatasetKind k;
    char dir[64];
    ck_assert_int_eq(dataset_parse_spec(NULL, &k, dir, sizeof dir), 0);
    ck_assert(k == DATASET_FASHION && dir[0] == '\0');
    ck_assert_int_eq(dataset_parse_spec("MNIST", &k, dir, sizeof dir), 0);
    ck_assert(k == DATASET_MNIST);
    ck_assert_int_eq(dataset_parse_spec("cifar-10:/a/b:c", &k, dir, sizeof dir), 0);
    ck_assert(k == DATASET_CIFAR10);
    ck_assert_str_eq(dir, "/a/b:c");
    ck_assert_int_eq(dataset_parse_spec("fashionx", &k, dir, sizeof dir), -1);
    char tiny[4];
    ck_assert_int_eq(dataset_parse_spec("mnist:/long/dir", &k, tiny, sizeof tiny), -1);
}
END_TEST

Suite *expt_suite(void)
{
    Suite *s = suite_create("expt");
    TCase *core = tcase_create("core");
    tcase_add_test(core, test_defaults_not_given);
    tcase_add_test(core, test_values_both_forms);
    tcase_add_test(core, test_help);
    tcase_add_test(core, test_parse_spec);
    suite_add_tcase(s, core);
    TCase *limits = tcase_create("limits");
    tcase_add_loop_test(limits, test_bad_values, 0, (int)(sizeof bad_cases / sizeof bad_cases[0]));
    suite_add_tcase(s, limits);
    return s;
}
