/*
 * stress_keyed.c - the list and the hash map under contention, one program
 * per scheme, linked with the checked core (poison-on-reclaim, canaries).
 *
 *   stress_keyed_<scheme> [MODE] STRUCTURE THREADS MILLISECONDS
 *       STRUCTURE is list (256 keys) or hashmap (4,096 keys, 16 per
 *       bucket, so its lists are long enough to race in). Half the keys are
 *       inserted first; then threads insert, delete and look up random keys
 *       (30/30/40 %), each counting its successful inserts and deletes and
 *       their key sums. At the end a census must find exactly prefill +
 *       inserted - deleted keys (count and sum), sorted, with no marked node
 *       reachable; every successful delete retired exactly one node;
 *       destroy reclaims everything. A reclaimed node read by a thread
 *       trips its canary (exit 86).
 *   MODE --yield N
 *       The scheme's and the list's race windows yield every Nth pass.
 *   MODE --negative-control
 *       The stress in child processes with free-on-retire (up to 20
 *       tries): succeeds only if a child fails.
 *   MODE --planted-traversal
 *       The same with lookups that walk through marked nodes trusting their
 *       frozen links (Harris's traversal, hml_find_planted): with pointer-
 *       and era-based schemes it reads freed nodes and must be caught.
 */
#include "hashmap.h"
#include "list.h"
#include "stress_rig.h"

#define MAX_THREADS RIG_MAX_THREADS

struct counts {
    uint64_t inserted, inserted_sum, deleted, deleted_sum, ops;
};

struct worker {
    alignas(SMR_PAD_ALIGN) unsigned id;
    struct rng rng;
    struct counts c;
};

static const char *structure;
static uint64_t nkeys;
static struct list *the_list;
static struct hashmap *the_map;

static smr_domain_t *set_domain(void)
{
    return the_list ? list_domain(the_list) : hashmap_domain(the_map);
}
static bool set_insert(smr_thread_t *t, uint64_t k)
{
    return the_list ? list_insert(the_list, t, k) : hashmap_insert(the_map, t, k);
}
static bool set_delete(smr_thread_t *t, uint64_t k)
{
    return the_list ? list_delete(the_list, t, k) : hashmap_delete(the_map, t, k);
}
static bool set_lookup(smr_thread_t *t, uint64_t k)
{
    return the_list ? list_lookup(the_list, t, k) : hashmap_lookup(the_map, t, k);
}
static void set_census(struct hml_census *c)
{
    if (the_list)
        list_census(the_list, c);
    else
        hashmap_census(the_map, c);
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    smr_thread_t *t = smr_thread_register(set_domain());
    rig_started();
    while (rig_running()) {
        for (int i = 0; i < 64; i++) {
            uint64_t r = rng_next(&w->rng), k = (r >> 16) % nkeys;
            unsigned op = (unsigned)(r % 10);
            if (op < 3) {
                if (set_insert(t, k)) {
                    w->c.inserted++;
                    w->c.inserted_sum += k;
                }
            } else if (op < 6) {
                if (set_delete(t, k)) {
                    w->c.deleted++;
                    w->c.deleted_sum += k;
                }
            } else {
                (void)set_lookup(t, k);
            }
        }
        w->c.ops += 64;
    }
    smr_thread_unregister(t);
    return NULL;
}

/* Returns the number of failed checks. */
static int rig_stress(unsigned nthreads, unsigned ms)
{
    int before = test_failed;
    bool is_list = strcmp(structure, "list") == 0;
    nkeys = is_list ? 256 : 4096;
    the_list = is_list ? list_create(NULL) : NULL;
    the_map = is_list ? NULL : hashmap_create(NULL, nkeys / 16);

    smr_thread_t *t = smr_thread_register(set_domain());
    uint64_t pre = 0, pre_sum = 0;
    for (uint64_t k = 0; k < nkeys; k += 2) {
        CHECK(set_insert(t, k), "prefill insert %llu", (unsigned long long)k);
        pre++;
        pre_sum += k;
    }
    smr_thread_unregister(t);

    struct worker *w = smr_record_alloc(nthreads * sizeof(*w));
    for (unsigned i = 0; i < nthreads; i++) {
        w[i].id = i;
        rng_seed(&w[i].rng, 0x9e3779b97f4a7c15ull * (i + 1) ^ (uint64_t)getpid());
    }
    rig_run(nthreads, ms, worker_main, w, sizeof(*w));
    struct counts sum = {0};
    for (unsigned i = 0; i < nthreads; i++) {
        sum.inserted += w[i].c.inserted;
        sum.inserted_sum += w[i].c.inserted_sum;
        sum.deleted += w[i].c.deleted;
        sum.deleted_sum += w[i].c.deleted_sum;
        sum.ops += w[i].c.ops;
    }

    struct hml_census c;
    set_census(&c);
    uint64_t want = pre + sum.inserted - sum.deleted;
    uint64_t want_sum = pre_sum + sum.inserted_sum - sum.deleted_sum;
    CHECK(c.count == want && c.key_sum == want_sum,
          "census %llu keys (sum %llu); prefill + inserted - deleted = %llu (sum %llu)",
          (unsigned long long)c.count, (unsigned long long)c.key_sum, (unsigned long long)want,
          (unsigned long long)want_sum);
    CHECK(c.marked == 0, "%llu marked link(s) reachable after every thread left",
          (unsigned long long)c.marked);
    CHECK(c.unordered == 0, "%llu key(s) out of order or in the wrong bucket",
          (unsigned long long)c.unordered);
    struct smr_stats st;
    smr_stats(set_domain(), &st);
    CHECK(st.retired == sum.deleted, "%llu nodes retired for %llu successful deletes",
          (unsigned long long)st.retired, (unsigned long long)sum.deleted);
    printf("%s/%s %u threads %u ms: %llu ops, %llu inserted, %llu deleted, %llu scans\n",
           structure, smr_scheme.name, nthreads, ms, (unsigned long long)sum.ops,
           (unsigned long long)sum.inserted, (unsigned long long)sum.deleted,
           (unsigned long long)st.scans);

    struct smr_stats fin;
    if (the_list)
        list_destroy(the_list, &fin);
    else
        hashmap_destroy(the_map, &fin);
    CHECK(fin.retired == fin.reclaimed, "destroy left %llu of %llu retired nodes unreclaimed",
          (unsigned long long)(fin.retired - fin.reclaimed), (unsigned long long)fin.retired);
    free(w);
    return test_failed - before;
}

int main(int argc, char **argv)
{
    int a = 1;
    enum { NORMAL, NEGATIVE, PLANTED } mode = NORMAL;
    if (a < argc && strcmp(argv[a], "--negative-control") == 0) {
        mode = NEGATIVE;
        a++;
    } else if (a < argc && strcmp(argv[a], "--planted-traversal") == 0) {
        mode = PLANTED;
        a++;
    } else if (a + 1 < argc && strcmp(argv[a], "--yield") == 0) {
        atomic_store(&smr_test_yield_every, (unsigned)atoi(argv[a + 1]));
        a += 2;
    }
    if (argc - a != 3 || (strcmp(argv[a], "list") != 0 && strcmp(argv[a], "hashmap") != 0)) {
        fprintf(stderr, "usage: %s [--negative-control | --planted-traversal | --yield N] "
                        "list|hashmap THREADS MILLISECONDS\n", argv[0]);
        return 2;
    }
    structure = argv[a];
    unsigned nthreads = (unsigned)atoi(argv[a + 1]), ms = (unsigned)atoi(argv[a + 2]);
    if (nthreads < 1 || nthreads > MAX_THREADS) {
        fprintf(stderr, "THREADS must be 1..%d\n", MAX_THREADS);
        return 2;
    }
    char what[96];
    if (mode != NORMAL) {
        int r = mode == NEGATIVE
                    ? rig_expect_caught("negative control", &smr_test_free_on_retire, NULL,
                                        nthreads, ms)
                    : rig_expect_caught("planted traversal", &hml_test_unsafe_traversal, NULL,
                                        nthreads, ms);
        printf("%s: %d passed, %d failed\n", mode == NEGATIVE ? "negative-control"
                                                                 : "planted-traversal", !r, r);
        return r;
    }
    rig_stress(nthreads, ms);
    snprintf(what, sizeof what, "stress-%s-%s", structure, smr_scheme.name);
    return test_finish(what);
}
