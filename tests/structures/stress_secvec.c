/*
 * stress_secvec.c - SecVec under contention, one program per scheme, linked
 * with the checked core (poison-on-reclaim, descriptor canaries).
 *
 *   stress_secvec_<scheme> THREADS MILLISECONDS
 *       PREFILL elements, then threads push_back, pop_back, get, set and
 *       size at random. Each thread pops only after its own pushes, so the
 *       size never drops below PREFILL, and sets go below PREFILL, where no
 *       push or pop reaches. Values are unique and say who wrote them:
 *       (writer + 1) << 56 | sequence for a push, plus a set flag and the
 *       index for a set. Checks:
 *         - every descriptor and write descriptor dereferenced has its
 *           canary (a reclaimed one is poisoned: exit 86);
 *         - size() never below PREFILL;
 *         - get(i), i below a size just read, returns a value written to
 *           index i: a set of index i, the prefill of index i, or a push
 *           that landed at i (push_back returns its index; checked after
 *           the run for up to GET_LOG gets per thread), never 0;
 *         - conservation: every pushed value popped (by a thread or by the
 *           final drain) exactly once, none lost, none invented; a thread
 *           only ever pops pushed values;
 *         - at the end size() == PREFILL + pushes - pops, the drain finds
 *           that many elements at the right indices, and the vector is
 *           then empty;
 *         - retired == 2 x pushes + pops, and destroy reclaims them all.
 *
 *   stress_secvec_<scheme> --yield N THREADS MILLISECONDS
 *       The same, with the vector's and the scheme's race windows yielding
 *       the CPU every Nth pass (smr_test_window).
 *
 *   stress_secvec_<scheme> --negative-control THREADS MILLISECONDS
 *       The stress with free-on-retire in child processes (up to 20 tries);
 *       succeeds only if a child fails: proof that the checks catch a
 *       premature descriptor free.
 *
 *   stress_secvec_<scheme> --tutorial-bug THREADS MILLISECONDS
 *       The stress (yielding every 8th window pass) with the tutorial's
 *       complete_write in child processes; succeeds only if a child fails.
 */
#include "secvec.h"
#include "stress_rig.h"

#define MAX_THREADS RIG_MAX_THREADS
#define PREFILL 1024
#define GET_LOG (1u << 18)

#define WRITER_SHIFT 56
#define SET_FLAG (1ull << 55)
#define SET_INDEX_SHIFT 32
#define SET_INDEX_MASK ((1ull << 23) - 1)
#define SEQ_MASK ((1ull << SET_INDEX_SHIFT) - 1)
#define PUSH_SEQ_MASK (SET_FLAG - 1)

static uint64_t push_value(unsigned writer, uint64_t seq)
{
    return (uint64_t)(writer + 1) << WRITER_SHIFT | seq;
}

static uint64_t set_value(unsigned writer, uint64_t index, uint64_t seq)
{
    return (uint64_t)(writer + 1) << WRITER_SHIFT | SET_FLAG | index << SET_INDEX_SHIFT |
           (seq & SEQ_MASK);
}

static unsigned value_writer(uint64_t v) { return (unsigned)(v >> WRITER_SHIFT) - 1; }

struct get_seen {
    uint64_t index, value;
};

struct worker {
    alignas(SMR_PAD_ALIGN) unsigned id;
    struct secvec *vec;
    struct rng rng;
    uint64_t *landed;         /* landed[seq]: the index push number seq returned */
    size_t npushed, cap;
    uint64_t *popped;
    size_t npopped, popped_cap;
    struct get_seen *gets;    /* gets that returned another thread's push */
    size_t ngets;
    uint64_t sets, reads, unlogged_gets;
    uint64_t bad_size, bad_get, bad_pop; /* failures seen while running */
};

static unsigned prefill_writer; /* the prefill's writer id: nthreads */

static void do_push(struct worker *w, smr_thread_t *t)
{
    if (w->npushed == w->cap)
        w->landed = test_grow(w->landed, &w->cap, sizeof(uint64_t));
    uint64_t seq = w->npushed;
    w->landed[seq] = secvec_push_back(w->vec, t, push_value(w->id, seq));
    w->npushed++;
}

static void record_pop(struct worker *w, uint64_t v)
{
    if (w->npopped == w->popped_cap)
        w->popped = test_grow(w->popped, &w->popped_cap, sizeof(uint64_t));
    w->popped[w->npopped++] = v;
}

/* A value read at index i below a size of at least PREFILL: checked now where possible. */
static void check_get(struct worker *w, uint64_t i, uint64_t v)
{
    unsigned writer = value_writer(v);
    if (v == 0 || writer > prefill_writer) {
        w->bad_get++;
    } else if (v & SET_FLAG) {
        w->bad_get += (v >> SET_INDEX_SHIFT & SET_INDEX_MASK) != i || i >= PREFILL;
    } else if (writer == prefill_writer) {
        w->bad_get += (v & PUSH_SEQ_MASK) != i; /* the prefill pushed sequence i at index i */
    } else if (i < PREFILL) {
        w->bad_get++; /* pushes during the run land at PREFILL or above */
    } else if (w->ngets < GET_LOG) {
        w->gets[w->ngets++] = (struct get_seen){i, v};
    } else {
        w->unlogged_gets++;
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    smr_thread_t *t = smr_thread_register(secvec_domain(w->vec));
    w->gets = malloc(GET_LOG * sizeof(struct get_seen));
    if (!w->gets)
        abort();
    rig_started();
    uint64_t own = 0; /* our pushes not yet matched by our pops */
    while (rig_running()) {
        for (int k = 0; k < 64; k++) {
            uint64_t r = rng_next(&w->rng) % 100, v;
            if (r < 27) {
                do_push(w, t);
                own++;
            } else if (r < 54 && own > 0) {
                /* our own unmatched push keeps the vector above PREFILL */
                if (secvec_pop_back(w->vec, t, &v)) {
                    record_pop(w, v);
                    own--;
                } else {
                    w->bad_pop++;
                }
            } else if (r < 80) {
                uint64_t n = secvec_size(w->vec, t);
                if (n < PREFILL) {
                    w->bad_size++;
                    continue;
                }
                uint64_t i = rng_next(&w->rng) % n;
                if (secvec_get(w->vec, i, &v))
                    check_get(w, i, v);
                else
                    w->bad_get++;
                w->reads++;
            } else if (r < 92) {
                uint64_t i = rng_next(&w->rng) % PREFILL;
                w->bad_get += !secvec_set(w->vec, i, set_value(w->id, i, w->sets++));
            } else {
                w->bad_size += secvec_size(w->vec, t) < PREFILL;
            }
        }
    }
    smr_thread_unregister(t);
    return NULL;
}

/* The drained element at `index`: which writer's push, or a prefill/set value. */
static bool drained_ok(const struct worker *w, unsigned nthreads, uint64_t index, uint64_t v)
{
    unsigned writer = value_writer(v);
    if (v == 0 || writer > nthreads)
        return false;
    if (index < PREFILL) {
        if (v & SET_FLAG)
            return (v >> SET_INDEX_SHIFT & SET_INDEX_MASK) == index;
        return writer == nthreads && (v & PUSH_SEQ_MASK) == index;
    }
    uint64_t seq = v & PUSH_SEQ_MASK;
    return !(v & SET_FLAG) && writer < nthreads && seq < w[writer].npushed &&
           w[writer].landed[seq] == index;
}

/* Returns 0 if every check passed. */
static int rig_stress(unsigned nthreads, unsigned ms)
{
    struct secvec *vec = secvec_create(NULL);
    struct worker *w = smr_record_alloc((nthreads + 1) * sizeof(*w)); /* padded, aligned */
    prefill_writer = nthreads;

    smr_thread_t *main_t = smr_thread_register(secvec_domain(vec));
    struct worker *pre = &w[nthreads];
    pre->id = nthreads;
    pre->vec = vec;
    for (int i = 0; i < PREFILL; i++)
        do_push(pre, main_t);

    for (unsigned i = 0; i < nthreads; i++) {
        w[i].id = i;
        w[i].vec = vec;
        rng_seed(&w[i].rng, 0x9e3779b97f4a7c15ull * (i + 1));
    }
    rig_run(nthreads, ms, worker_main, w, sizeof(*w));

    uint64_t pushed = 0, popped = 0, reads = 0, sets = 0, logged = 0, unlogged = 0;
    uint64_t bad_size = 0, bad_get = 0, bad_pop = 0;
    for (unsigned i = 0; i < nthreads; i++) {
        pushed += w[i].npushed;
        popped += w[i].npopped;
        reads += w[i].reads;
        sets += w[i].sets;
        logged += w[i].ngets;
        unlogged += w[i].unlogged_gets;
        bad_size += w[i].bad_size;
        bad_get += w[i].bad_get;
        bad_pop += w[i].bad_pop;
    }

    /* The end state, then drain it from the top, index by index. */
    uint64_t size = secvec_size(vec, main_t);
    uint64_t want = PREFILL + pushed - popped, drained = 0, bad_drain = 0, v;
    for (uint64_t index = size; index-- > 0;) {
        if (!secvec_pop_back(vec, main_t, &v)) {
            bad_drain++;
            break;
        }
        bad_drain += !drained_ok(w, nthreads, index, v);
        if (index >= PREFILL)
            record_pop(pre, v); /* run pushes, counted for conservation below */
        drained++;
    }
    bool empty = !secvec_pop_back(vec, main_t, &v) && secvec_size(vec, main_t) == 0;
    smr_thread_unregister(main_t);

    /* Conservation of the pushes made during the run: a bitmap per writer. */
    uint8_t *seen[MAX_THREADS];
    for (unsigned i = 0; i < nthreads; i++)
        seen[i] = calloc(w[i].npushed + 1, 1);
    uint64_t dup = 0, bogus = 0, lost = 0, bad_landing = 0;
    for (unsigned i = 0; i <= nthreads; i++) {
        for (size_t j = 0; j < w[i].npopped; j++) {
            uint64_t val = w[i].popped[j];
            unsigned writer = value_writer(val);
            uint64_t seq = val & PUSH_SEQ_MASK;
            if ((val & SET_FLAG) || writer >= nthreads || seq >= w[writer].npushed)
                bogus++; /* a prefill or set value popped by a thread, or garbage */
            else if (seen[writer][seq]++)
                dup++;
        }
    }
    for (unsigned i = 0; i < nthreads; i++) {
        for (uint64_t j = 0; j < w[i].npushed; j++)
            lost += !seen[i][j];
        for (size_t j = 0; j < w[i].ngets; j++) {
            uint64_t val = w[i].gets[j].value, seq = val & PUSH_SEQ_MASK;
            unsigned writer = value_writer(val);
            bad_landing += writer >= nthreads || seq >= w[writer].npushed ||
                           w[writer].landed[seq] != w[i].gets[j].index;
        }
    }

    struct smr_stats fin;
    secvec_destroy(vec, &fin);
    uint64_t all_pushes = PREFILL + pushed, all_pops = popped + drained;

    int before = test_failed;
    CHECK(bad_size == 0, "%llu sizes below the prefill", (unsigned long long)bad_size);
    CHECK(bad_get == 0, "%llu gets returned a value never written to that index (or no bucket)",
          (unsigned long long)bad_get);
    CHECK(bad_landing == 0, "%llu gets returned a push value that landed elsewhere",
          (unsigned long long)bad_landing);
    CHECK(bad_pop == 0, "%llu pops found the vector empty above the prefill",
          (unsigned long long)bad_pop);
    CHECK(size == want, "size %llu at the end, want prefill + pushes - pops = %llu",
          (unsigned long long)size, (unsigned long long)want);
    CHECK(bad_drain == 0, "%llu drained elements not written at their index",
          (unsigned long long)bad_drain);
    CHECK(empty, "not empty after draining %llu elements", (unsigned long long)drained);
    CHECK(bogus == 0, "%llu popped values were never pushed", (unsigned long long)bogus);
    CHECK(dup == 0, "%llu values popped twice", (unsigned long long)dup);
    CHECK(lost == 0, "%llu pushed values were never popped", (unsigned long long)lost);
    CHECK(fin.retired == 2 * all_pushes + all_pops, "retired %llu != 2 x %llu pushes + %llu pops",
          (unsigned long long)fin.retired, (unsigned long long)all_pushes,
          (unsigned long long)all_pops);
    CHECK(fin.reclaimed == fin.retired, "reclaimed %llu != retired %llu after destroy",
          (unsigned long long)fin.reclaimed, (unsigned long long)fin.retired);
    printf("secvec/%s %u threads %u ms: %llu pushes, %llu pops, %llu reads (%llu checked after "
           "the run, %llu not logged), %llu sets, end size %llu, %llu scans\n",
           smr_scheme.name, nthreads, ms, (unsigned long long)pushed, (unsigned long long)popped,
           (unsigned long long)reads, (unsigned long long)logged, (unsigned long long)unlogged,
           (unsigned long long)sets, (unsigned long long)size, (unsigned long long)fin.scans);

    for (unsigned i = 0; i < nthreads; i++)
        free(seen[i]);
    for (unsigned i = 0; i <= nthreads; i++) {
        free(w[i].landed);
        free(w[i].popped);
        free(w[i].gets);
    }
    free(w);
    return test_failed != before;
}

/* The tutorial's bug (complete_write clears the current descriptor's
   pending write, not the completed one's), the race windows yielding every
   8th pass. */
static void plant_tutorial_bug(void)
{
    atomic_store(&secvec_test_fault, SECVEC_FAULT_CLEAR_CURRENT);
    atomic_store(&smr_test_yield_every, 8);
}

int main(int argc, char **argv)
{
    const char *mode = argc > 1 && argv[1][0] == '-' ? argv[1] : NULL;
    int a = 1;
    if (mode && strcmp(mode, "--yield") == 0 && argc > 2) {
        atomic_store(&smr_test_yield_every, (unsigned)atoi(argv[2]));
        a = 3;
    } else if (mode && (strcmp(mode, "--negative-control") == 0 ||
                        strcmp(mode, "--tutorial-bug") == 0)) {
        a = 2;
    } else if (mode) {
        a = argc; /* unknown flag: usage */
    }
    if (argc != a + 2) {
        fprintf(stderr, "usage: %s [--yield N | --negative-control | --tutorial-bug] THREADS "
                "MILLISECONDS\n", argv[0]);
        return 2;
    }
    unsigned nthreads = (unsigned)atoi(argv[a]), ms = (unsigned)atoi(argv[a + 1]);
    if (nthreads < 1 || nthreads > MAX_THREADS - 1) {
        fprintf(stderr, "THREADS must be 1..%d\n", MAX_THREADS - 1);
        return 2;
    }
    if (mode && strcmp(mode, "--yield") != 0) {
        bool tutorial = strcmp(mode, "--tutorial-bug") == 0;
        const char *what = tutorial ? "tutorial-bug" : "negative-control";
        int r = tutorial ? rig_expect_caught(what, NULL, plant_tutorial_bug, nthreads, ms)
                         : rig_expect_caught(what, &smr_test_free_on_retire, NULL, nthreads, ms);
        printf("%s: %d passed, %d failed\n", what, !r, r);
        return r;
    }
    rig_stress(nthreads, ms);
    char what[64];
    snprintf(what, sizeof what, "stress-secvec-%s", smr_scheme.name);
    return test_finish(what);
}
