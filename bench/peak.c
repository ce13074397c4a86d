/*
 * peak.c - the machine's fp64 peak, measured: the ceiling every GFLOP/s figure
 * in bench/results.md is a fraction of.
 *
 * Each thread runs a loop of independent fused multiply-adds on registers
 * only (no memory traffic), as wide as -march=native allows: AVX-512 (8
 * doubles) when the compiler targets it, else AVX2 (4), else scalar. Enough
 * independent accumulators cover the FMA latency times the number of FMA
 * pipes, so the loop is limited by FMA throughput alone.
 *
 * The figure is wall-clock work / wall-clock time, the only one that means
 * "what this machine gives a program". On a shared machine other processes
 * take turns on the same cores, so each thread also measures the CPU time it
 * was actually given (CLOCK_THREAD_CPUTIME_ID): the ratio tells whether a low
 * figure comes from sharing (threads off the CPU part of the time) or from
 * the cores themselves (e.g. two vCPUs that are SMT siblings of one physical
 * core, which share its FMA units: each thread then runs all the time at half
 * the rate).
 *
 * Usage: peak [threads] [seconds-per-try]   (defaults: the core count, 0.5 s)
 * Prints, for the best of 5 tries:
 *   peak <threads> <gflops> <width-bits> <cpu-share> <gflops-per-cpu-second>
 * cpu-share = the threads' CPU time / (threads x wall time), 1.0 when nothing
 * else ran; gflops-per-cpu-second = the rate of one thread while it was on a
 * CPU, which does not depend on sharing.
 */
#include "timer.h"

#include <immintrin.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/* 16 accumulators: FMA latency 4 cycles x 2 pipes needs at least 8 in flight;
 * 16 leaves headroom and still fits in the 32 vector registers with a and b. */
enum { PEAK_ACC = 16 };

#if defined(__AVX512F__)
typedef __m512d PeakVec;
#define PEAK_LANES 8
#define PEAK_SET1 _mm512_set1_pd
#define PEAK_FMA _mm512_fmadd_pd
#define PEAK_ADD _mm512_add_pd
#define PEAK_SUM _mm512_reduce_add_pd
#elif defined(__FMA__) && defined(__AVX__)
typedef __m256d PeakVec;
#define PEAK_LANES 4
#define PEAK_SET1 _mm256_set1_pd
#define PEAK_FMA _mm256_fmadd_pd
#define PEAK_ADD _mm256_add_pd
static double PEAK_SUM(__m256d v)
{
    double t[4];
    _mm256_storeu_pd(t, v);
    return t[0] + t[1] + t[2] + t[3];
}
#else
typedef double PeakVec;
#define PEAK_LANES 1
#define PEAK_SET1(x) (x)
#define PEAK_FMA(a, b, c) ((a) * (b) + (c))
#define PEAK_ADD(a, b) ((a) + (b))
#define PEAK_SUM(v) (v)
#endif

typedef struct {
    long iters;
    double seed;     /* a run-time value, so the compiler cannot fold the loop */
    double result;   /* kept, so the loop is not dead code */
    double cpu_s;    /* CPU time this thread was given */
} PeakJob;

static double peak_thread_cpu(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *peak_run(void *arg)
{
    PeakJob *job = arg;
    double c0 = peak_thread_cpu();
    PeakVec acc[PEAK_ACC];
    for (int i = 0; i < PEAK_ACC; i++) acc[i] = PEAK_SET1(job->seed + i);
    /* acc = acc * a + b with a just below 1: values stay finite forever. */
    PeakVec a = PEAK_SET1(0.999999), b = PEAK_SET1(job->seed * 1e-9);
    for (long it = 0; it < job->iters; it++)
        for (int i = 0; i < PEAK_ACC; i++) acc[i] = PEAK_FMA(acc[i], a, b);
    PeakVec s = acc[0];
    for (int i = 1; i < PEAK_ACC; i++) s = PEAK_ADD(s, acc[i]);
    job->result = PEAK_SUM(s);
    job->cpu_s = peak_thread_cpu() - c0;
    return NULL;
}

typedef struct {
    double gflops;        /* wall-clock rate of all threads together */
    double cpu_share;     /* CPU time given / (threads x wall time) */
    double per_cpu_sec;   /* GFLOP per CPU-second of one thread */
} PeakTry;

/* Runs `threads` jobs of `iters` iterations at once. */
static PeakTry peak_try(int threads, long iters)
{
    pthread_t tid[64];
    PeakJob job[64];
    double t0 = timer_now();
    for (int t = 0; t < threads; t++) {
        job[t] = (PeakJob){ iters, 1.0 + t, 0.0, 0.0 };
        if (pthread_create(&tid[t], NULL, peak_run, &job[t]) != 0) {
            fprintf(stderr, "peak: pthread_create failed\n");
            exit(1);
        }
    }
    double sink = 0.0, cpu = 0.0;
    for (int t = 0; t < threads; t++) {
        pthread_join(tid[t], NULL);
        sink += job[t].result;
        cpu += job[t].cpu_s;
    }
    double s = timer_now() - t0;
    if (sink == 42.0) fprintf(stderr, " ");   /* uses the results */
    /* One FMA = 2 flops per lane. */
    double gflop = 2.0 * PEAK_LANES * PEAK_ACC * (double)iters * threads / 1e9;
    return (PeakTry){ gflop / s, cpu / (threads * s), cpu > 0 ? gflop / cpu : 0.0 };
}

int main(int argc, char **argv)
{
    int threads = argc > 1 ? atoi(argv[1]) : (int)sysconf(_SC_NPROCESSORS_ONLN);
    double seconds = argc > 2 ? atof(argv[2]) : 0.5;
    if (threads < 1 || threads > 64) threads = 1;
    /* Calibrate the iteration count to about `seconds` per try on one thread. */
    long iters = 1000000;
    double g = peak_try(1, iters).per_cpu_sec;
    iters = (long)(g * 1e9 * seconds / (2.0 * PEAK_LANES * PEAK_ACC));
    if (iters < 1000) iters = 1000;
    PeakTry best = { 0.0, 0.0, 0.0 };
    for (int r = 0; r < 5; r++) {
        PeakTry v = peak_try(threads, iters);
        if (v.gflops > best.gflops) best = v;
    }
    printf("peak %d %.1f %d %.2f %.1f\n", threads, best.gflops, PEAK_LANES * 64, best.cpu_share, best.per_cpu_sec);
    return 0;
}
