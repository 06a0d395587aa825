/* bst_walk.c - the walk of a quiescent Natarajan-Mittal tree (bst_node.h), compiled once. */
#include "bst_node.h"

/* A node to visit and the keys its place allows, [lo, hi]. */
struct bst_frame {
    struct bst_node *node;
    uint64_t lo, hi;
};

static void bst_census_node(struct bst_tally *c, const struct bst_frame *f, bool leaf)
{
    struct bst_node *n = f->node;
    c->unordered += n->key < f->lo || n->key > f->hi;
    if (!leaf) {
        c->unordered += n->key == 0; /* nothing can go left of it */
        return;
    }
    c->malformed += atomic_load_explicit(&n->child[1], memory_order_relaxed) != NULL;
    if (n->key < BST_INF0) {
        c->count++;
        c->key_sum += n->key;
    }
}

void bst_walk(struct bst_node *root, struct bst_tally *census,
              void (*visit)(struct bst_node *n, void *ctx), void *ctx)
{
    size_t cap = 64, top = 0;
    struct bst_frame *stack = malloc(cap * sizeof(*stack));
    if (!stack)
        abort();
    stack[top++] = (struct bst_frame){root, 0, UINT64_MAX};
    uint64_t sentinels = 0;
    while (top) {
        struct bst_frame f = stack[--top];
        bst_check(f.node);
        bool leaf = bst_is_leaf(f.node);
        if (census) {
            bst_census_node(census, &f, leaf);
            sentinels += leaf && f.node->key >= BST_INF0;
        }
        for (unsigned d = 0; !leaf && d < 2; d++) {
            /* acquire: the child's contents, published with the link */
            void *edge = atomic_load_explicit(&f.node->child[d], memory_order_acquire);
            if (census)
                census->dirty += bst_bits(edge) != 0;
            if (!bst_addr(edge)) {
                if (census)
                    census->malformed++;
                continue;
            }
            if (top == cap) {
                cap *= 2;
                stack = realloc(stack, cap * sizeof(*stack));
                if (!stack)
                    abort();
            }
            /* Left: keys below the node's key (>= 1: it is the larger of two keys). */
            stack[top++] = d ? (struct bst_frame){bst_addr(edge), f.node->key, f.hi}
                             : (struct bst_frame){bst_addr(edge), f.lo, f.node->key - 1};
        }
        if (visit)
            visit(f.node, ctx);
    }
    free(stack);
    /* The three sentinel leaves INF0, INF1, INF2, each once (order checked above). */
    if (census && sentinels != 3)
        census->malformed++;
}
