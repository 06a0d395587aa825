// gbench_shim.cc - the C API of gbench_shim.h over Google Benchmark.
//
// Each entry point catches every exception: C callers see a NULL, false or
// -1, and a benchmark body whose shim call failed is skipped with an error.
#include "gbench_shim.h"

#include <benchmark/benchmark.h>

#include <cstdio>
#include <exception>
#include <string>

// gbs_state and gbs_bench stay incomplete: they are a benchmark::State and
// a benchmark::internal::Benchmark seen through opaque pointers.

namespace {

benchmark::State &state(gbs_state *s)
{
    return *reinterpret_cast<benchmark::State *>(s);
}

const benchmark::State &state(const gbs_state *s)
{
    return *reinterpret_cast<const benchmark::State *>(s);
}

benchmark::internal::Benchmark &bench(gbs_bench *b)
{
    return *reinterpret_cast<benchmark::internal::Benchmark *>(b);
}

void say_failed(const char *what, const char *why)
{
    std::fprintf(stderr, "smrbench: %s failed in Google Benchmark: %s\n", what, why);
}

}  // namespace

extern "C" {

gbs_bench *gbs_register(const char *name, gbs_fn fn, void *arg)
{
    try {
        benchmark::internal::Benchmark *b = benchmark::RegisterBenchmark(
            name, [fn, arg](benchmark::State &st) {
                fn(reinterpret_cast<gbs_state *>(&st), arg);
            });
        return reinterpret_cast<gbs_bench *>(b);
    } catch (const std::exception &e) {
        say_failed("registering a benchmark", e.what());
    } catch (...) {
        say_failed("registering a benchmark", "unknown exception");
    }
    return nullptr;
}

void gbs_add_threads(gbs_bench *b, int threads)
{
    try {
        bench(b).Threads(threads);
    } catch (...) {
        say_failed("setting a thread count", "exception");
    }
}

void gbs_set_iterations(gbs_bench *b, uint64_t n)
{
    try {
        bench(b).Iterations(static_cast<benchmark::IterationCount>(n));
    } catch (...) {
        say_failed("setting an iteration count", "exception");
    }
}

bool gbs_keep_running_batch(gbs_state *st, uint64_t n)
{
    // Inline in Google Benchmark's header: one call from C per batch.
    return state(st).KeepRunningBatch(static_cast<benchmark::IterationCount>(n));
}

uint64_t gbs_iterations_left(const gbs_state *st)
{
    const benchmark::State &s = state(st);
    benchmark::IterationCount done = s.iterations();
    return done < s.max_iterations ? static_cast<uint64_t>(s.max_iterations - done) : 0;
}

int gbs_thread_index(const gbs_state *st)
{
    return state(st).thread_index();
}

int gbs_thread_count(const gbs_state *st)
{
    return state(st).threads();
}

void gbs_skip_with_error(gbs_state *st, const char *msg)
{
    state(st).SkipWithError(msg);
}

void gbs_set_counter(gbs_state *st, const char *name, double value, unsigned flags)
{
    int f = benchmark::Counter::kDefaults;
    if (flags & GBS_COUNTER_RATE)
        f |= benchmark::Counter::kIsRate;
    if (flags & GBS_COUNTER_AVG_THREADS)
        f |= benchmark::Counter::kAvgThreads;
    if (flags & GBS_COUNTER_PER_ITERATION)
        f |= benchmark::Counter::kAvgIterations;
    try {
        state(st).counters[name] =
            benchmark::Counter(value, static_cast<benchmark::Counter::Flags>(f));
    } catch (...) {
        state(st).SkipWithError("could not record a counter (out of memory)");
    }
}

void gbs_add_context(const char *key, const char *value)
{
    try {
        benchmark::AddCustomContext(key, value);
    } catch (...) {
        say_failed("adding a context entry", "exception");
    }
}

bool gbs_initialize(int *argc, char **argv, void (*help)(void))
{
    try {
        benchmark::Initialize(argc, argv, help);
        return true;
    } catch (const std::exception &e) {
        say_failed("parsing its flags", e.what());
    } catch (...) {
        say_failed("parsing its flags", "unknown exception");
    }
    return false;
}

long gbs_run(void)
{
    try {
        return static_cast<long>(benchmark::RunSpecifiedBenchmarks());
    } catch (const std::exception &e) {
        say_failed("running the benchmarks", e.what());
    } catch (...) {
        say_failed("running the benchmarks", "unknown exception");
    }
    return -1;
}

void gbs_shutdown(void)
{
    try {
        benchmark::Shutdown();
    } catch (...) {
    }
}

}  // extern "C"
