/*
 * gl_bench.c - gradlab's side of `make bench`: times the common library and
 * the reference solutions on Fashion-MNIST, one workload per invocation.
 *
 * bench/run.sh calls this program and bench/peers.py (numpy, scikit-learn)
 * in turn, several times, so the two sides see the same machine state; it
 * takes the median of the repetitions. Each timing is printed as one line
 *
 *   R <workload> <implementation> <seconds> <gflop|-> <note|->
 *
 * (gflop = floating-point work counted for the workload, in 1e9 operations;
 * the note carries accuracy or peak memory, without spaces). Only the timed
 * region is counted: loading and converting the data is not.
 *
 * Workloads (argv[1]):
 *   gemm SIZE REPS        mat_gemm vs cblas_dgemm, square SIZE, alternating
 *   gemm-knn BLOCK REPS   (10000x784)(784x60000) in blocks of BLOCK test rows
 *   knn BLOCK [M] [K]     full kNN: distances + selection + vote, k = 1, 5, 9, the
 *                         blocks on par_workers() threads (GRADLAB_THREADS)
 *                         (M: only the first M test rows, for trying the script out;
 *                         K: only that k)
 *   knn-loops M N         two-loop / one-loop / no-loop distances, M test x N train
 *   loss REPS             softmax and SVM loss + gradient on the full training set,
 *                         then one SGD epoch (batch 200) of each
 *   blas-info             prints OpenBLAS's configuration and the kernel it picked
 *   mlp HIDDEN [EPOCHS]   one epoch of SGD + momentum, batch 200 (lab 05's trainer);
 *                         the last of EPOCHS (default 2) is reported
 */
#include "dataset.h"
#include "err.h"
#include "knn.h"
#include "linear.h"
#include "loss.h"
#include "mat.h"
#include "mlp.h"
#include "par.h"
#include "rng.h"
#include "timer.h"
#include "trainer.h"

#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

/* ---- helpers ---------------------------------------------------------------- */

static void bench_result(const char *workload, const char *impl, double seconds, double gflop, const char *note)
{
    char g[32] = "-";
    if (gflop > 0) snprintf(g, sizeof g, "%.4f", gflop);
    printf("R %s %s %.6f %s %s\n", workload, impl, seconds, g, note && *note ? note : "-");
    fflush(stdout);
}

/* Peak resident memory of this process so far, in MB (Linux: ru_maxrss in KB). */
static double bench_peak_rss_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0;
}

static void bench_load(Fashion *f)
{
    if (dataset_load_fashion(f, NULL) != 0) {
        fprintf(stderr, "gl_bench: cannot load Fashion-MNIST: %s\n", err_last());
        exit(1);
    }
    if (f->mini) {
        fprintf(stderr, "gl_bench: only the mini subset was found (%s); install dataset-fashion-mnist\n", f->dir);
        exit(1);
    }
}

static void bench_randn(Mat *m, Rng *rng)
{
    size_t n = (size_t)m->rows * m->cols;
    for (size_t i = 0; i < n; i++) m->data[i] = rng_normal(rng);
}

static void *bench_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fprintf(stderr, "gl_bench: out of memory (%zu bytes)\n", n);
        exit(1);
    }
    return p;
}

static double bench_accuracy(const int *pred, const int *y, int n)
{
    int ok = 0;
    for (int i = 0; i < n; i++) ok += pred[i] == y[i];
    return (double)ok / n;
}

/* ---- matrix products ------------------------------------------------------------ */

/* C = A B^T, the shape mat_gemm and cblas_dgemm are compared on, alternating
 * so drifting clock speeds hit both alike. */
static void bench_gemm(int size, int reps)
{
    Rng rng;
    rng_seed(&rng, 1);
    Mat *A = mat_new(size, size), *B = mat_new(size, size), *C = mat_new(size, size);
    bench_randn(A, &rng);
    bench_randn(B, &rng);
    double gflop = 2.0 * size * (double)size * size / 1e9;
    char name[32];
    snprintf(name, sizeof name, "gemm_%d", size);
    mat_gemm(A, false, B, true, 1.0, 0.0, C);   /* warm-up: threads started, pages touched */
    for (int r = 0; r < reps; r++) {
        double t0 = timer_now();
        mat_gemm(A, false, B, true, 1.0, 0.0, C);
        bench_result(name, "gradlab", timer_now() - t0, gflop, NULL);
        t0 = timer_now();
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, size, size, size, 1.0, A->data, size, B->data,
                    size, 0.0, C->data, size);
        bench_result(name, "cblas", timer_now() - t0, gflop, NULL);
    }
    mat_free(A);
    mat_free(B);
    mat_free(C);
}

/* The kNN product X_test X_train^T (10000 x 60000, K = 784) in blocks of
 * `block` test rows: the whole 4.8 GB output is not needed at once. */
static void bench_gemm_knn(int block, int reps)
{
    Fashion f;
    bench_load(&f);
    const Mat *Xtr = f.train.X, *Xte = f.test.X;
    int M = Xte->rows, N = Xtr->rows, D = Xtr->cols;
    Mat *C = mat_new(block, N);
    double gflop = 2.0 * M * (double)N * D / 1e9;
    char note[64];
    for (int r = 0; r < reps; r++) {
        for (int impl = 0; impl < 2; impl++) {
            double t0 = timer_now();
            for (int s = 0; s < M; s += block) {
                int n = M - s < block ? M - s : block;
                Mat a = mat_rows_view(Xte, s, n);
                Mat c = mat_rows_view(C, 0, n);
                if (impl == 0)
                    mat_gemm(&a, false, Xtr, true, 1.0, 0.0, &c);
                else
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, N, D, 1.0, a.data, D, Xtr->data, D,
                                0.0, c.data, N);
            }
            snprintf(note, sizeof note, "block=%d", block);
            bench_result("gemm_knn", impl == 0 ? "gradlab" : "cblas", timer_now() - t0, gflop, note);
        }
    }
    mat_free(C);
    dataset_fashion_free(&f);
}

/* ---- k-nearest neighbours ------------------------------------------------------- */

/* The whole test set against the whole training set, as lab 01's experiment
 * runs it: blocks of test rows, each block's no-loop distances then
 * knn_predict_labels, the blocks spread over par_workers() threads (one block
 * and one BLAS thread each; GRADLAB_THREADS=n sets how many). One pass over the
 * test set per figure, each timed on the wall clock: distances alone; for each
 * k, distances + that k's selection and vote; all three k on the same
 * distances. A prediction hash in the notes shows that every thread count
 * predicts the same labels. only_k > 0: only that k's pass. */
typedef struct {
    const Mat *Xtr, *Xte;
    const int *ytr;
    int M, block, nk;
    const int *ks;
    Mat **dists;      /* one (block, N) matrix per worker */
    int **pred;       /* (nk) arrays of M predictions */
} BenchKnn;

static void bench_knn_block(void *ctx, int b, int worker)
{
    BenchKnn *c = ctx;
    int s = b * c->block, n = c->M - s < c->block ? c->M - s : c->block;
    Mat xb = mat_rows_view(c->Xte, s, n);
    Mat db = mat_rows_view(c->dists[worker], 0, n);
    knn_distances_no_loops(c->Xtr, &xb, &db);
    for (int i = 0; i < c->nk; i++) knn_predict_labels(&db, c->ytr, c->ks[i], c->pred[i] + s);
}

/* FNV-1a of the predictions: equal hashes, equal labels. */
static unsigned bench_hash(const int *p, int n)
{
    unsigned h = 2166136261u;
    for (int i = 0; i < n; i++) h = (h ^ (unsigned)p[i]) * 16777619u;
    return h;
}

static void bench_knn(int block, int m, int only_k)
{
    Fashion f;
    bench_load(&f);
    const Mat *Xtr = f.train.X, *Xte = f.test.X;
    int M = m > 0 && m < Xte->rows ? m : Xte->rows, N = Xtr->rows, D = Xtr->cols;
    static const int ks[] = { 1, 5, 9 };
    enum { NK = sizeof ks / sizeof ks[0] };
    double rss_before = bench_peak_rss_mb();
    int blocks = (M + block - 1) / block, workers = par_workers();
    if (workers > blocks) workers = blocks;

    Mat **dists = bench_xmalloc(sizeof *dists * (size_t)workers);
    for (int w = 0; w < workers; w++) dists[w] = mat_new(block, N);
    int *pred[NK];
    for (int c = 0; c < NK; c++) pred[c] = bench_xmalloc(sizeof(int) * (size_t)M);
    double gflop = 2.0 * M * (double)N * D / 1e9;   /* the product; the O(MN) rest is not counted */
    char name[32], note[160];
    BenchKnn ctx = { .Xtr = Xtr, .Xte = Xte, .ytr = f.train.y, .M = M, .block = block, .dists = dists };

    if (only_k <= 0) {
        ctx.nk = 0;
        double t = timer_now();
        par_run(bench_knn_block, &ctx, blocks, workers);
        t = timer_now() - t;
        snprintf(note, sizeof note, "block=%d,threads=%d,peak_rss=%.0fMB(data_alone=%.0fMB)", block, workers,
                 bench_peak_rss_mb(), rss_before);
        bench_result("knn_dist", "gradlab", t, gflop, note);
    }
    for (int c = 0; c < NK; c++) {
        if (only_k > 0 && ks[c] != only_k) continue;
        ctx.nk = 1;
        ctx.ks = &ks[c];
        ctx.pred = &pred[c];
        double t = timer_now();
        par_run(bench_knn_block, &ctx, blocks, workers);
        t = timer_now() - t;
        snprintf(note, sizeof note, "acc=%.4f,threads=%d,pred_hash=%08x", bench_accuracy(pred[c], f.test.y, M),
                 workers, bench_hash(pred[c], M));
        snprintf(name, sizeof name, "knn_k%d", ks[c]);
        if (only_k <= 0) bench_result(name, "gradlab", t, gflop, note);
        snprintf(name, sizeof name, "knn_k%d_t%d", ks[c], workers);
        bench_result(name, "gradlab", t, gflop, note);
    }
    if (only_k <= 0) {
        ctx.nk = NK;
        ctx.ks = ks;
        ctx.pred = pred;
        double t = timer_now();
        par_run(bench_knn_block, &ctx, blocks, workers);
        t = timer_now() - t;
        snprintf(note, sizeof note, "threads=%d", workers);
        bench_result("knn_all", "gradlab", t, gflop, note);
    }
    for (int c = 0; c < NK; c++) free(pred[c]);
    for (int w = 0; w < workers; w++) mat_free(dists[w]);
    free(dists);
    dataset_fashion_free(&f);
}

/* The three ways lab 01 computes L2 distances, on the first M test and N
 * training images. */
static void bench_knn_loops(int M, int N)
{
    Fashion f;
    bench_load(&f);
    Mat Xtr = mat_rows_view(f.train.X, 0, N), Xte = mat_rows_view(f.test.X, 0, M);
    int D = Xtr.cols;
    Mat *d[3];
    static const char *names[3] = { "knn_two_loops", "knn_one_loop", "knn_no_loops" };
    /* two loops: subtract, square, add per element (3 flops); the others: one multiply-add (2) */
    double gflop[3] = { 3.0 * M * N * D / 1e9, 2.0 * M * N * D / 1e9, 2.0 * M * N * D / 1e9 };
    for (int v = 0; v < 3; v++) {
        d[v] = mat_new(M, N);
        double t0 = timer_now();
        if (v == 0) knn_distances_two_loops(&Xtr, &Xte, d[v]);
        if (v == 1) knn_distances_one_loop(&Xtr, &Xte, d[v]);
        if (v == 2) knn_distances_no_loops(&Xtr, &Xte, d[v]);
        double t = timer_now() - t0;
        char note[64];
        snprintf(note, sizeof note, "max_diff_vs_two_loops=%.1e", mat_max_abs_diff(d[v], d[0]));
        bench_result(names[v], "gradlab", t, gflop[v], v ? note : NULL);
    }
    for (int v = 0; v < 3; v++) mat_free(d[v]);
    dataset_fashion_free(&f);
}

/* ---- linear classifiers ---------------------------------------------------------- */

/* Pixels centred with the training mean, then a bias column: (N, 785). */
static Mat *bench_linear_features(const Fashion *f)
{
    Mat *mean = dataset_mean_image(f->train.X);
    dataset_subtract_mean(f->train.X, mean);
    mat_free(mean);
    return dataset_append_bias(f->train.X);
}

static void bench_loss(int reps)
{
    Fashion f;
    bench_load(&f);
    Mat *X = bench_linear_features(&f);
    const int *y = f.train.y;
    int N = X->rows, D = X->cols, C = FASHION_CLASSES;
    Rng rng;
    rng_seed(&rng, 1);
    Mat *W = mat_new(D, C), *dW = mat_new(D, C);
    bench_randn(W, &rng);
    for (size_t i = 0; i < (size_t)D * C; i++) W->data[i] *= 1e-3;
    static const char *names[2] = { "softmax", "svm" };
    static const LossFn fns[2] = { softmax_loss_vectorized, svm_loss_vectorized };
    double gflop_full = 4.0 * N * (double)D * C / 1e9;   /* scores X W, gradient X^T M */

    for (int v = 0; v < 2; v++) fns[v](W, X, y, 1e-4, dW);   /* warm-up */
    for (int r = 0; r < reps; r++) {
        for (int v = 0; v < 2; v++) {
            char name[32];
            snprintf(name, sizeof name, "%s_full", names[v]);
            double t0 = timer_now();
            double l = fns[v](W, X, y, 1e-4, dW);
            char note[32];
            snprintf(note, sizeof note, "loss=%.4f", l);
            bench_result(name, "gradlab", timer_now() - t0, gflop_full, note);
        }
    }
    /* One epoch: N / 200 steps of linear_train (batches drawn with replacement). */
    SgdConfig cfg = { .learning_rate = 1e-3, .reg = 1e-4, .num_iters = N / 200, .batch_size = 200 };
    double *hist = bench_xmalloc(sizeof(double) * (size_t)cfg.num_iters);
    for (int v = 0; v < 2; v++) {
        mat_fill(W, 0.0);
        double t0 = timer_now();
        linear_train(W, fns[v], X, y, &cfg, &rng, hist);
        double t = timer_now() - t0;
        char name[32], note[64];
        snprintf(name, sizeof name, "%s_epoch", names[v]);
        snprintf(note, sizeof note, "first_loss=%.3f,last_loss=%.3f", hist[0], hist[cfg.num_iters - 1]);
        bench_result(name, "gradlab", t, gflop_full, note);
    }
    free(hist);
    mat_free(W);
    mat_free(dW);
    mat_free(X);
    dataset_fashion_free(&f);
}

/* ---- two-layer net ------------------------------------------------------------ */

static void bench_mlp(int H, int epochs)
{
    Fashion f;
    bench_load(&f);
    Mat *mean = dataset_mean_image(f.train.X);
    dataset_subtract_mean(f.train.X, mean);
    dataset_subtract_mean(f.test.X, mean);
    mat_free(mean);
    int N = f.train.X->rows, D = f.train.X->cols, C = FASHION_CLASSES;
    Rng rng;
    rng_seed(&rng, 1);
    TwoLayerNet net = trainer_net_new(D, H, C, 0.0, &rng);
    /* The last epoch is reported (the first one pays for page faults). */
    TrainerConfig cfg = { .batch_size = 200, .epochs = epochs < 2 ? 2 : epochs, .learning_rate = 0.05, .lr_decay = 1.0,
                          .momentum = 0.9, .reg = 1e-4, .acc_samples = 1000, .verbose = false };
    TrainerHistory hist;
    int rc = trainer_train(&net, &f.train, &f.test, &cfg, &rng, &hist);
    if (rc != 0) {
        fprintf(stderr, "gl_bench mlp: %s\n", hist.message);
        exit(1);
    }
    /* forward X W1, h W2; backward dW2, dh, dW1 (no dX): 4 N D H + 6 N H C */
    double gflop = (4.0 * N * (double)D * H + 6.0 * N * (double)H * C) / 1e9;
    char name[32], note[64];
    snprintf(name, sizeof name, "mlp_%d", H);
    snprintf(note, sizeof note, "test_acc=%.4f", hist.val_acc[hist.epochs - 1]);
    bench_result(name, "gradlab", hist.epoch_seconds[hist.epochs - 1], gflop, note);
    trainer_history_free(&hist);
    trainer_net_free(&net);
    dataset_fashion_free(&f);
}

/* ---- main ------------------------------------------------------------------------ */

int main(int argc, char **argv)
{
    const char *w = argc > 1 ? argv[1] : "";
    int a = argc > 2 ? atoi(argv[2]) : 0, b = argc > 3 ? atoi(argv[3]) : 0;
    if (!strcmp(w, "gemm") && a > 0 && b > 0) bench_gemm(a, b);
    else if (!strcmp(w, "gemm-knn") && a > 0 && b > 0) bench_gemm_knn(a, b);
    else if (!strcmp(w, "knn") && a > 0) bench_knn(a, b, argc > 4 ? atoi(argv[4]) : 0);
    else if (!strcmp(w, "knn-loops") && a > 0 && b > 0) bench_knn_loops(a, b);
    else if (!strcmp(w, "loss") && a > 0) bench_loss(a);
    else if (!strcmp(w, "mlp") && a > 0) bench_mlp(a, b);
    else if (!strcmp(w, "blas-info")) printf("%s, core %s\n", openblas_get_config(), openblas_get_corename());
    else {
        fprintf(stderr, "usage: gl_bench gemm SIZE REPS | gemm-knn BLOCK REPS | knn BLOCK [M] [K] | knn-loops M N |\n"
                        "                loss REPS | mlp HIDDEN [EPOCHS]\n");
        return 2;
    }
    return 0;
}
