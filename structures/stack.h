/*
 * stack.h - Treiber's lock-free stack, written once against smr.h.
 *
 * Include after defining SMR_SCHEME: the names below are mangled per scheme
 * (stack_push is stack_push__ebr when SMR_SCHEME=ebr), so every scheme's
 * instantiation links into one program.
 */
#ifndef STACK_H
#define STACK_H

#include "../schemes/smr.h"

#define stack_create SMR_MANGLE(stack_create)
#define stack_destroy SMR_MANGLE(stack_destroy)
#define stack_push SMR_MANGLE(stack_push)
#define stack_pop SMR_MANGLE(stack_pop)
#define stack_peek SMR_MANGLE(stack_peek)
#define stack_domain SMR_MANGLE(stack_domain)

/* Hazard slots the stack needs: the top node. */
#define STACK_SLOTS 1

struct stack;

/* cfg may be NULL (defaults); hazard_slots is set by the stack. */
struct stack *stack_create(const struct smr_config *cfg);
/* Frees the nodes still on the stack and the domain; threads must have unregistered. */
void stack_destroy(struct stack *s, struct smr_stats *final);
smr_domain_t *stack_domain(struct stack *s);

void stack_push(struct stack *s, smr_thread_t *t, uint64_t value);
/* Returns false when empty. */
bool stack_pop(struct stack *s, smr_thread_t *t, uint64_t *value);
bool stack_peek(struct stack *s, smr_thread_t *t, uint64_t *value);

#endif /* STACK_H */
