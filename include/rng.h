/*
 * rng.h - a small seeded random generator (xoshiro256**, seeded by splitmix64).
 *
 * The state is a plain struct the caller owns and passes explicitly, so every
 * run that starts from the same seed draws the same numbers on every machine.
 * Nothing here allocates or fails.
 */
#ifndef GRADLAB_RNG_H
#define GRADLAB_RNG_H

#include <stdint.h>

typedef struct {
    uint64_t s[4];       /* xoshiro256** state */
    int has_spare;       /* rng_normal makes values in pairs */
    double spare;
} Rng;

/* Resets the generator from a 64-bit seed. */
void rng_seed(Rng *r, uint64_t seed);
/* The next raw 64 random bits. */
uint64_t rng_u64(Rng *r);
/* Uniform double in [0, 1). */
double rng_uniform(Rng *r);
/* Standard normal: mean 0, standard deviation 1. */
double rng_normal(Rng *r);
/* Uniform integer in [0, n), without modulo bias; n >= 1. */
int rng_int(Rng *r, int n);
/* Shuffles a[0..n) in place (Fisher-Yates). */
void rng_shuffle(Rng *r, int *a, int n);

#endif
