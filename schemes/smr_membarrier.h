/*
 * smr_membarrier.h - membarrier(2), the heavy side of an asymmetric fence:
 * the calling thread makes every CPU that runs a thread of this process
 * execute a full memory barrier, so those threads can order their own
 * store-then-load with a compiler barrier alone (see hp_asym.h).
 */
#ifndef SMR_MEMBARRIER_H
#define SMR_MEMBARRIER_H

/*
 * Check that MEMBARRIER_CMD_PRIVATE_EXPEDITED is offered (MEMBARRIER_CMD_QUERY)
 * and register the process for it (MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
 * idempotent). Returns 0 when smr_membarrier may be used, else an errno
 * value: ENOSYS (no such system call or command: old kernel, not Linux),
 * EPERM (refused, e.g. by a container's seccomp filter), ...
 */
int smr_membarrier_setup(void);

/* Full barrier on every CPU running a thread of this process, the caller's
   included. Only after smr_membarrier_setup() returned 0; aborts if the
   kernel refuses (it then could no longer keep the promise). */
void smr_membarrier(void);

#endif /* SMR_MEMBARRIER_H */
