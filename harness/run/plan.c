/* plan.c - a sweep's identity, its blocks and shards, and --plan's listing. */
#include "plan.h"

#include <stdarg.h>
#include <string.h>

#include "registry.h"

static unsigned plan_pairs(const struct run_options *o, unsigned structure)
{
    unsigned pairs = 0;
    for (unsigned k = 0; k < o->nschemes; k++)
        pairs += !registry_pair_unusable(o->structures[structure], o->schemes[k]);
    return pairs;
}

unsigned plan_blocks(const struct run_options *o)
{
    return o->reps * o->nstructures * o->nthreads;
}

unsigned plan_cells(const struct run_options *o)
{
    unsigned cells = 0;
    for (unsigned s = 0; s < o->nstructures; s++)
        cells += plan_pairs(o, s);
    return cells * o->reps * o->nthreads;
}

struct fnv {
    uint64_t h;
};

static void fnv_bytes(struct fnv *f, const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        f->h ^= b[i];
        f->h *= 0x100000001b3ULL;
    }
}

/* Each field as text with a separator, so that no two plans' fields run
   together into the same bytes. */
static void fnv_field(struct fnv *f, const char *name, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void fnv_field(struct fnv *f, const char *name, const char *fmt, ...)
{
    char buf[256];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    fnv_bytes(f, name, strlen(name) + 1);
    fnv_bytes(f, buf, n < 0 ? 0 : (size_t)n < sizeof buf ? (size_t)n : sizeof buf - 1);
    fnv_bytes(f, "", 1);
}

uint64_t plan_id(const struct run_options *o)
{
    struct fnv f = {0xcbf29ce484222325ULL};
    for (unsigned i = 0; i < o->nstructures; i++)
        fnv_field(&f, "structure", "%s", o->structures[i]);
    for (unsigned i = 0; i < o->nschemes; i++)
        fnv_field(&f, "scheme", "%s", o->schemes[i]->name);
    for (unsigned i = 0; i < o->nthreads; i++)
        fnv_field(&f, "threads", "%u", o->threads[i]);
    fnv_field(&f, "reps", "%u", o->reps);
    fnv_field(&f, "window", "%.9g %.9g", o->duration_s, o->warmup_s);
    fnv_field(&f, "mix", "%u %d", o->read_percent, o->mix_given);
    fnv_field(&f, "keys", "%llu %d %llu %d", (unsigned long long)o->keys, o->keys_given,
              (unsigned long long)o->prefill, o->prefill_given);
    fnv_field(&f, "dist", "%s", o->dist_arg);
    fnv_field(&f, "writers", "%d", o->writers);
    fnv_field(&f, "stall", "%d %.9g %.9g", o->stall_thread, o->stall_start_s, o->stall_len_s);
    fnv_field(&f, "pin", "%s", o->pin_arg);
    fnv_field(&f, "alloc", "%d", (int)o->alloc);
    fnv_field(&f, "seed", "%llu", (unsigned long long)o->seed);
    fnv_field(&f, "sample", "%u", o->sample_ms);
    for (unsigned i = 0; i < o->ntunes; i++)
        fnv_field(&f, "tune", "%s", o->tunes[i].arg);
    for (unsigned i = 0; i < o->nopts; i++)
        fnv_field(&f, "opt", "%s", o->opts[i].arg);
    return f.h;
}

void plan_print(FILE *f, const struct run_options *o)
{
    unsigned blocks = plan_blocks(o), cells = plan_cells(o), here = 0, block = 0;
    double per_cell = o->duration_s + o->warmup_s;
    fprintf(f, "# plan %016llx", (unsigned long long)plan_id(o));
    if (o->shard_count)
        fprintf(f, ", shard %u/%u", o->shard_index, o->shard_count);
    fprintf(f, "\n# rep structure threads scheme block\n");
    /* The sweep's order (sweep.c): schemes innermost. */
    for (unsigned rep = 0; rep < o->reps; rep++)
        for (unsigned s = 0; s < o->nstructures; s++)
            for (unsigned t = 0; t < o->nthreads; t++, block++) {
                if (!plan_block_here(o, block))
                    continue;
                for (unsigned k = 0; k < o->nschemes; k++) {
                    if (registry_pair_unusable(o->structures[s], o->schemes[k]))
                        continue;
                    fprintf(f, "%u %s %u %s %u\n", rep, o->structures[s], o->threads[t],
                            o->schemes[k]->name, block);
                    here++;
                }
            }
    fprintf(f, "# %u cell(s) here of %u in %u block(s) (every scheme of one repetition, "
               "structure and thread count); at least %.0f s of windows\n",
            here, cells, blocks, here * per_cell);
    /* A shard takes whole blocks: more shards than blocks leaves some idle. */
    fprintf(f, "# shards: --shard I/N for N from 1 to %u (a shard takes whole blocks)", blocks);
    for (unsigned n = 2; n <= blocks && n <= 16; n *= 2)
        fprintf(f, "%s N=%u: ~%.0f s", n == 2 ? "; windows per shard with" : ",", n,
                (double)((blocks + n - 1) / n) * cells / blocks * per_cell);
    fprintf(f, "\n");
}
