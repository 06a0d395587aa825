/*
 * mix.h - the read/write mix: each operation is a read with probability
 * read_percent, decided from one random draw by comparing its low 32 bits
 * with a precomputed threshold (no division in the loop).
 */
#ifndef WORKLOAD_MIX_H
#define WORKLOAD_MIX_H

#include <stdbool.h>
#include <stdint.h>

static inline uint64_t mix_read_threshold(unsigned read_percent)
{
    return ((uint64_t)read_percent << 32) / 100;
}

static inline bool mix_is_read(uint64_t draw, uint64_t threshold)
{
    return (draw & 0xffffffffull) < threshold;
}

#endif /* WORKLOAD_MIX_H */
