/*
 * plan.h - a sweep's cells as a plan: its identity, its blocks, and the
 * shard (--shard I/N) a block belongs to.
 *
 * A block is every scheme of one (repetition, structure, thread count):
 * the unit a shard takes whole, so the schemes of a block still run
 * interleaved on one machine and drift hits them alike. Blocks are
 * numbered in the sweep's own order (repetition, then structure, then
 * thread count) and dealt out round-robin: block b runs in shard b mod N.
 */
#ifndef PLAN_H
#define PLAN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "cli.h"

/* The plan's identity: a 64-bit FNV-1a hash of everything that defines the
   cells (structures, schemes, threads, repetitions, window, mix, keys,
   prefill, distribution, roles, stall, pinning, allocator, seed, sampling,
   tunables and options), not of where the results go or how they are
   shown. Shards of one plan carry the same id. */
uint64_t plan_id(const struct run_options *o);
/* Cells of the whole plan and its blocks (pairs a scheme cannot serve left out). */
unsigned plan_cells(const struct run_options *o);
unsigned plan_blocks(const struct run_options *o);
/* Does block `block` run here (always, without --shard)? */
static inline bool plan_block_here(const struct run_options *o, unsigned block)
{
    return o->shard_count == 0 || block % o->shard_count == o->shard_index;
}
/* --plan: every cell of this shard (or of the plan), one line each, and
   the shard counts that make sense. */
void plan_print(FILE *f, const struct run_options *o);

#endif /* PLAN_H */
