/*
 * stack_bench.c - the Treiber stack's benchmark operations: read = peek
 * the top value; write = push or pop, alternating per thread, so the size
 * stays near the prefill. Thread `tid` pushes tid << 40, tid << 40 + 1, ...
 *
 * The pair's translation unit: the stack itself is compiled in here, so
 * its operations inline into read and write (bench_glue.h).
 */
#include "stack.c"

struct stack_bench_own {
    uint64_t next_value;
    bool pop_next;
};

/* What the stall reads once it wakes: the top it protected, if any, still
   safe to read (its canary, in checked builds). */
static uint64_t stack_stall_read(struct stack_node *h)
{
    if (!h)
        return 0;
    stack_check(h);
    return h->value;
}

/*
 * Live nodes at once. Every thread alternates push and pop, so its pushes
 * exceed its pops by at most one: the stack holds at most prefill + T, or
 * 2T after pops that found it empty (it then restarts from 0); at most T
 * more are being pushed and T popped but not yet retired.
 */
#define BG_SET struct stack
#define BG_OWN struct stack_bench_own
#define BG_DOMAIN(s) stack_domain(s)
#define BG_SLOTS STACK_SLOTS
#define BG_MAX_LIVE(p) ((p)->prefill + 4 * (uint64_t)(p)->threads)
#define BG_STALL_LINK(set) (&(set)->top)
#define BG_STALL_READ(node) stack_stall_read(node)
#include "bench_glue.h"

static void *stack_bench_create(const struct bench_params *p)
{
    struct smr_config c;
    bg_domain_config(p, &c);
    return stack_create(&c);
}

static void stack_bench_destroy(void *s, struct smr_stats *final)
{
    stack_destroy(s, final);
}

static void *stack_bench_attach(void *s, unsigned tid, uint64_t seed)
{
    (void)seed;
    struct bench_thread *bt = bg_thread_new(s, s);
    bt->own.next_value = (uint64_t)tid << 40;
    return bt;
}

static void stack_bench_prefill(void *ctx, uint64_t count)
{
    struct bench_thread *bt = ctx;
    for (uint64_t i = 0; i < count; i++)
        stack_push(bt->set, bt->smr, bt->own.next_value++);
}

static void stack_bench_read(void *ctx, uint64_t key)
{
    (void)key;
    struct bench_thread *bt = ctx;
    uint64_t v;
    if (stack_peek(bt->set, bt->smr, &v))
        bt->sink += v;
}

static void stack_bench_write(void *ctx, uint64_t key)
{
    (void)key;
    struct bench_thread *bt = ctx;
    uint64_t v;
    if (bt->own.pop_next)
        (void)stack_pop(bt->set, bt->smr, &v);
    else
        stack_push(bt->set, bt->smr, bt->own.next_value++);
    bt->own.pop_next = !bt->own.pop_next;
}

const struct bench_ops SMR_MANGLE(stack_ops) = {
    .structure = "stack",
    .scheme = &smr_scheme,
    .create = stack_bench_create,
    .destroy = stack_bench_destroy,
    .attach = stack_bench_attach,
    .detach = bg_detach,
    .prefill = stack_bench_prefill,
    .read = stack_bench_read,
    .write = stack_bench_write,
    BG_BENCH_OPS_COMMON,
    .keyless = true,
};
