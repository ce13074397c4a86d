/*
 * rng.c - xoshiro256** (Blackman and Vigna), seeded through splitmix64.
 * Integer arithmetic only, so a seed gives the same stream on every machine.
 */
#include "rng.h"

#include <math.h>

static uint64_t rng_splitmix(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint64_t rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

void rng_seed(Rng *r, uint64_t seed)
{
    uint64_t x = seed;
    for (int i = 0; i < 4; i++) r->s[i] = rng_splitmix(&x);
    r->has_spare = 0;
    r->spare = 0.0;
}

uint64_t rng_u64(Rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rng_rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rng_rotl(s[3], 45);
    return result;
}

double rng_uniform(Rng *r)
{
    return (double)(rng_u64(r) >> 11) * 0x1.0p-53;   /* 53 random bits -> [0, 1) */
}

double rng_normal(Rng *r)
{
    /* Box-Muller: two uniforms give two independent normals; keep the second. */
    if (r->has_spare) {
        r->has_spare = 0;
        return r->spare;
    }
    double u1 = 1.0 - rng_uniform(r);   /* (0, 1]: log(u1) is finite */
    double u2 = rng_uniform(r);
    double radius = sqrt(-2.0 * log(u1));
    double angle = 2.0 * M_PI * u2;
    r->spare = radius * sin(angle);
    r->has_spare = 1;
    return radius * cos(angle);
}

int rng_int(Rng *r, int n)
{
    if (n <= 1) return 0;
    /* Rejection sampling removes the bias of a plain modulo. */
    uint64_t bound = (uint64_t)n;
    uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
    uint64_t x;
    do x = rng_u64(r);
    while (x >= limit);
    return (int)(x % bound);
}

void rng_shuffle(Rng *r, int *a, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = rng_int(r, i + 1);
        int t = a[i];
        a[i] = a[j];
        a[j] = t;
    }
}
