/*
 * stack.c - Treiber stack against smr.h, and its benchmark operations.
 *
 * push never dereferences the old top, so it needs no protection. pop
 * protects the top, reads its next pointer and, once its CAS wins, retires
 * the node. ABA is impossible as long as a node's address comes back only
 * through the scheme's reclaimer (never a private free list).
 */
#include "stack.h"

#include "bench_ops.h"

struct stack_node {
    uint64_t value;
    struct stack_node *next; /* immutable once pushed */
#ifdef SMR_CHECKED
    uint64_t canary;
#endif
};

#define STACK_CANARY 0x57ac4ca7a12ee0c1ull

#ifdef SMR_CHECKED
static inline void stack_check(const struct stack_node *n)
{
    if (SMR_UNLIKELY(n->canary != STACK_CANARY))
        smr_check_failed("stack: node read after reclamation (canary)", n);
}
#else
static inline void stack_check(const struct stack_node *n) { (void)n; }
#endif

struct stack {
    alignas(SMR_PAD_ALIGN) smr_atomic_ptr top;
    alignas(SMR_PAD_ALIGN) smr_domain_t *domain;
};

struct stack *stack_create(const struct smr_config *cfg)
{
    struct stack *s = smr_record_alloc(sizeof(*s));
    struct smr_config c = cfg ? *cfg : (struct smr_config){0};
    c.hazard_slots = STACK_SLOTS;
    s->domain = smr_domain_create(&c);
    atomic_init(&s->top, NULL);
    return s;
}

smr_domain_t *stack_domain(struct stack *s)
{
    return s->domain;
}

void stack_destroy(struct stack *s, struct smr_stats *final)
{
    /* No thread is left: the remaining nodes were never retired. */
    smr_thread_t *t = smr_thread_register(s->domain);
    struct stack_node *n = atomic_load_explicit(&s->top, memory_order_acquire);
    while (n) {
        struct stack_node *next = n->next;
        smr_dealloc_unpublished(t, n);
        n = next;
    }
    smr_thread_unregister(t);
    smr_domain_destroy(s->domain, final);
    free(s);
}

void stack_push(struct stack *s, smr_thread_t *t, uint64_t value)
{
    struct stack_node *n = smr_alloc(t, sizeof(*n));
    n->value = value;
#ifdef SMR_CHECKED
    n->canary = STACK_CANARY;
#endif
    void *head = atomic_load_explicit(&s->top, memory_order_relaxed);
    do {
        n->next = head;
        /* release: the node's fields are visible to whoever loads it from top */
    } while (!atomic_compare_exchange_weak_explicit(&s->top, &head, n, memory_order_release,
                                                    memory_order_relaxed));
}

bool stack_pop(struct stack *s, smr_thread_t *t, uint64_t *value)
{
    smr_enter(t);
    for (;;) {
        struct stack_node *h = smr_protect(t, 0, &s->top);
        if (!h) {
            smr_leave(t);
            return false;
        }
        stack_check(h);
        void *expected = h;
        smr_test_window(); /* the ABA window: h->next may be stale by the CAS */
        stack_check(h);    /* still protected after the window */
        /* acq_rel: continues the release sequence on top, so the next
           popper that reads h->next from top also sees its contents */
        if (atomic_compare_exchange_weak_explicit(&s->top, &expected, h->next,
                                                  memory_order_acq_rel, memory_order_relaxed)) {
            stack_check(h);
            *value = h->value; /* still protected: read before retiring */
            smr_retire_after_rmw(t, h, NULL, NULL); /* unlinked by our CAS */
            smr_leave(t);
            return true;
        }
    }
}

bool stack_peek(struct stack *s, smr_thread_t *t, uint64_t *value)
{
    smr_enter(t);
    struct stack_node *h = smr_protect(t, 0, &s->top);
    if (h) {
        stack_check(h);
        *value = h->value;
    }
    smr_leave(t);
    return h != NULL;
}

/* ---- benchmark operations: read = peek, write = push or pop, alternating ---- */

struct stack_bench_thread {
    struct stack *stack;
    smr_thread_t *smr;
    uint64_t next_value;
    uint64_t sink; /* keeps peeked values alive for the optimiser */
    bool pop_next;
};

/*
 * Live nodes at once. Every thread alternates push and pop, so its pushes
 * exceed its pops by at most one: the stack holds at most prefill + T, or
 * 2T after pops that found it empty (it then restarts from 0); at most T
 * more are being pushed and T popped but not yet retired.
 */
static void stack_bench_domain_config(const struct bench_params *p, struct smr_config *out)
{
    *out = p->smr;
    out->hazard_slots = STACK_SLOTS;
    out->max_live = p->prefill + 4 * (uint64_t)p->threads;
}

static void *stack_bench_create(const struct bench_params *p)
{
    struct smr_config c;
    stack_bench_domain_config(p, &c);
    return stack_create(&c);
}

static void stack_bench_destroy(void *s, struct smr_stats *final)
{
    stack_destroy(s, final);
}

static void *stack_bench_attach(void *s, unsigned tid, uint64_t seed)
{
    (void)seed;
    struct stack_bench_thread *bt = smr_record_alloc(sizeof(*bt));
    bt->stack = s;
    bt->smr = smr_thread_register(((struct stack *)s)->domain);
    bt->next_value = (uint64_t)tid << 40;
    return bt;
}

static void stack_bench_detach(void *ctx)
{
    struct stack_bench_thread *bt = ctx;
    smr_thread_unregister(bt->smr);
    free(bt);
}

static void stack_bench_prefill(void *ctx, uint64_t count)
{
    struct stack_bench_thread *bt = ctx;
    for (uint64_t i = 0; i < count; i++)
        stack_push(bt->stack, bt->smr, bt->next_value++);
}

static void stack_bench_read(void *ctx, uint64_t key)
{
    (void)key;
    struct stack_bench_thread *bt = ctx;
    uint64_t v;
    if (stack_peek(bt->stack, bt->smr, &v))
        bt->sink += v;
}

static void stack_bench_write(void *ctx, uint64_t key)
{
    (void)key;
    struct stack_bench_thread *bt = ctx;
    uint64_t v;
    if (bt->pop_next)
        (void)stack_pop(bt->stack, bt->smr, &v);
    else
        stack_push(bt->stack, bt->smr, bt->next_value++);
    bt->pop_next = !bt->pop_next;
}

static void stack_bench_stall(void *ctx, double seconds, _Atomic int *cancel)
{
    struct stack_bench_thread *bt = ctx;
    smr_enter(bt->smr);
    struct stack_node *h = smr_protect(bt->smr, 0, &bt->stack->top);
    bench_stall_sleep(seconds, cancel);
    if (h) {
        stack_check(h);
        bt->sink += h->value; /* the node is still safe to read after the stall */
    }
    smr_leave(bt->smr);
}

static void stack_bench_quiescent(void *ctx)
{
    smr_quiescent(((struct stack_bench_thread *)ctx)->smr);
}

static void stack_bench_thread_stats(void *ctx, struct smr_stats *out)
{
    smr_thread_stats(((struct stack_bench_thread *)ctx)->smr, out);
}

static void stack_bench_stats(void *s, struct smr_stats *out)
{
    smr_stats(((struct stack *)s)->domain, out);
}

const struct bench_ops SMR_MANGLE(stack_ops) = {
    .structure = "stack",
    .scheme = &smr_scheme,
    .domain_config = stack_bench_domain_config,
    .create = stack_bench_create,
    .destroy = stack_bench_destroy,
    .attach = stack_bench_attach,
    .detach = stack_bench_detach,
    .prefill = stack_bench_prefill,
    .read = stack_bench_read,
    .write = stack_bench_write,
    .stall = stack_bench_stall,
    .quiescent = stack_bench_quiescent,
    .thread_stats = stack_bench_thread_stats,
    .stats = stack_bench_stats,
    .keyless = true,
};
