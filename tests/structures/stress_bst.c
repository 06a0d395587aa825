/*
 * stress_bst.c - the Natarajan-Mittal tree under contention, one program
 * per scheme, linked with the checked core (poison-on-reclaim, canaries).
 *
 *   stress_bst_<scheme> [MODE] THREADS MILLISECONDS
 *       128 keys, half inserted first (a small range, so that deletes of
 *       neighbouring leaves, inserts beside a cleanup and seeks through
 *       pending cleanups are frequent); then threads insert, delete and
 *       look up random keys (30/30/40 %), each counting its successful
 *       inserts and deletes and their key sums. At the end a census must
 *       find exactly prefill + inserted - deleted keys (count and sum), in
 *       order, with no flagged or tagged edge reachable; every successful
 *       delete retired exactly two nodes; destroy reclaims everything. A
 *       reclaimed node read by a thread trips its canary (exit 86).
 *   MODE --yield N          the scheme's and the tree's race windows yield
 *                           every Nth pass.
 *   MODE --negative-control the stress in child processes with free-on-
 *                           retire (up to 20 tries): passes only if caught.
 *   MODE --planted          the same with lookups that walk through
 *                           flagged and tagged edges (NM's published seek,
 *                           bst_lookup_planted): with pointer- and era-
 *                           based schemes it reads freed nodes and must be
 *                           caught.
 */
#include "bst.h"
#include "stress_rig.h"

#define KEYS 128

struct worker {
    alignas(SMR_PAD_ALIGN) struct bst *tree;
    struct rng rng;
    uint64_t inserted, inserted_sum, deleted, deleted_sum, ops;
};

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    smr_thread_t *t = smr_thread_register(bst_domain(w->tree));
    rig_started();
    while (rig_running()) {
        for (int i = 0; i < 64; i++) {
            uint64_t r = rng_next(&w->rng), k = (r >> 16) % KEYS;
            unsigned op = (unsigned)(r % 10);
            if (op < 3) {
                if (bst_insert(w->tree, t, k)) {
                    w->inserted++;
                    w->inserted_sum += k;
                }
            } else if (op < 6) {
                if (bst_delete(w->tree, t, k)) {
                    w->deleted++;
                    w->deleted_sum += k;
                }
            } else {
                (void)bst_lookup(w->tree, t, k);
            }
        }
        w->ops += 64;
    }
    smr_thread_unregister(t);
    return NULL;
}

static int rig_stress(unsigned nthreads, unsigned ms)
{
    int before = test_failed;
    struct bst *tr = bst_create(NULL);
    smr_thread_t *t = smr_thread_register(bst_domain(tr));
    uint64_t want = 0, want_sum = 0;
    /* Every other key, in a shuffled order so the tree starts bushy. */
    for (uint64_t i = 0; i < KEYS / 2; i++) {
        uint64_t k = 2 * ((i * 37) % (KEYS / 2));
        CHECK(bst_insert(tr, t, k), "prefill insert %llu", (unsigned long long)k);
        want++;
        want_sum += k;
    }
    smr_thread_unregister(t);

    struct worker *w = smr_record_alloc(nthreads * sizeof(*w));
    for (unsigned i = 0; i < nthreads; i++) {
        w[i].tree = tr;
        rng_seed(&w[i].rng, (i + 1) ^ (uint64_t)getpid() << 16);
    }
    rig_run(nthreads, ms, worker_main, w, sizeof(*w));
    uint64_t ops = 0, deleted = 0;
    for (unsigned i = 0; i < nthreads; i++) {
        want += w[i].inserted - w[i].deleted;
        want_sum += w[i].inserted_sum - w[i].deleted_sum;
        deleted += w[i].deleted;
        ops += w[i].ops;
    }

    struct bst_tally c;
    bst_census(tr, &c);
    CHECK(c.count == want && c.key_sum == want_sum,
          "census %llu keys (sum %llu); prefill + inserted - deleted = %llu (sum %llu)",
          (unsigned long long)c.count, (unsigned long long)c.key_sum, (unsigned long long)want,
          (unsigned long long)want_sum);
    CHECK(c.dirty == 0, "%llu flagged or tagged edge(s) reachable after every thread left",
          (unsigned long long)c.dirty);
    CHECK(c.unordered == 0 && c.malformed == 0, "%llu node(s) out of order, %llu malformed",
          (unsigned long long)c.unordered, (unsigned long long)c.malformed);
    struct smr_stats st;
    smr_stats(bst_domain(tr), &st);
    CHECK(st.retired == 2 * deleted, "%llu nodes retired for %llu successful deletes (2 each)",
          (unsigned long long)st.retired, (unsigned long long)deleted);
    printf("bst/%s %u threads %u ms: %llu ops, %llu deleted, %llu scans\n", smr_scheme.name,
           nthreads, ms, (unsigned long long)ops, (unsigned long long)deleted,
           (unsigned long long)st.scans);

    struct smr_stats fin;
    bst_destroy(tr, &fin);
    CHECK(fin.retired == fin.reclaimed, "destroy left %llu of %llu retired nodes unreclaimed",
          (unsigned long long)(fin.retired - fin.reclaimed), (unsigned long long)fin.retired);
    free(w);
    return test_failed - before;
}

int main(int argc, char **argv)
{
    return rig_main(argc, argv, "stress-bst", &bst_test_unsafe_seek);
}
