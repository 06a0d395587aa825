/*
 * stack.c - Treiber stack against smr.h (its benchmark operations: stack_bench.c).
 *
 * push never dereferences the old top, so it needs no protection. pop
 * protects the top, reads its next pointer and, once its CAS wins, retires
 * the node. ABA is impossible as long as a node's address comes back only
 * through the scheme's reclaimer (never a private free list).
 */
#include "stack.h"

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
