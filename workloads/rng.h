/*
 * rng.h - per-thread pseudo-random numbers for the run loop: xoshiro256**
 * seeded through splitmix64. No shared state, no lock, a few cycles a draw.
 */
#ifndef WORKLOAD_RNG_H
#define WORKLOAD_RNG_H

#include <stdint.h>

struct rng {
    uint64_t s[4];
};

static inline uint64_t rng_splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline void rng_seed(struct rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = rng_splitmix64(&seed);
}

static inline uint64_t rng_rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static inline uint64_t rng_next(struct rng *r)
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

/* A value in [0, n) from the high 32 bits, by multiply-shift (no division). */
static inline uint64_t rng_below32(uint64_t x, uint64_t n)
{
    return ((x >> 32) * n) >> 32;
}

/* Seed of worker `tid` in repetition `rep`, derived from the run's --seed. */
static inline uint64_t rng_thread_seed(uint64_t seed, unsigned rep, unsigned tid)
{
    uint64_t x = seed ^ ((uint64_t)rep << 32) ^ tid;
    return rng_splitmix64(&x);
}

#endif /* WORKLOAD_RNG_H */
