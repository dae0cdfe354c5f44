// The classic stateless-model-checking programs: the explorer runs exactly one
// execution per Mazurkiewicz trace, checked against brute force where that
// finishes, and against the published counts for indexer; with wakeup trees
// none is cut short.
#include <doctest/doctest.h>

#include "bench/classic.hpp"
#include "tests/engine/trace_oracle.hpp"
#include "tests/scenes/explore_scene.hpp"

using namespace such;

namespace {
engine::ExploreResult dpor(const engine::Explorer::Make& make) { return engine::explore(make, {}); }
}  // namespace

TEST_CASE("lastzero: one execution per trace, as brute force counts them") {
    for (int n = 2; n <= 3; ++n) {
        CAPTURE(n);
        const auto make = [n] { return std::make_unique<classic::LastZero>(n); };
        const auto r = dpor(make);
        CHECK(r.complete);
        CHECK(r.executions == testing::count_traces(make));
        CHECK(r.pruned == 0);
    }
    // Beyond what brute force can enumerate in a test: the published count of
    // traces, (N+3)*2^(N-2) (Abdulla et al. 2014), gives 28 and 64.
    CHECK(dpor([] { return std::make_unique<classic::LastZero>(4); }).executions == (4 + 3) << (4 - 2));
    CHECK(dpor([] { return std::make_unique<classic::LastZero>(5); }).executions == (5 + 3) << (5 - 2));
}

TEST_CASE("lastzero: wakeup trees cut no run short, and run the (N+3)*2^(N-2) traces") {
    for (int n = 2; n <= 6; ++n) {
        CAPTURE(n);
        const auto r = dpor([n] { return std::make_unique<classic::LastZero>(n); });
        CHECK(r.complete);
        CHECK(r.executions == static_cast<std::uint64_t>(n + 3) << (n - 2));
        CHECK(r.pruned == 0);
    }
}

TEST_CASE("lastzero: DPOR finds the same last zeros as every interleaving") {
    for (int n = 2; n <= 3; ++n) {
        CAPTURE(n);
        const auto make = [n] { return std::make_unique<classic::LastZero>(n); };
        engine::ExploreOptions all;
        all.reduction = engine::ExploreOptions::Reduction::None;
        const auto full = engine::explore(make, all);
        REQUIRE(full.complete);
        CHECK(tests::outcomes(dpor(make)) == tests::outcomes(full));
    }
}

TEST_CASE("indexer: one trace below 12 threads, then the published 8, 64") {
    CHECK(dpor([] { return std::make_unique<classic::Indexer>(2); }).executions ==
          testing::count_traces([] { return std::make_unique<classic::Indexer>(2); }));
    CHECK(dpor([] { return std::make_unique<classic::Indexer>(11); }).executions == 1);
    CHECK(dpor([] { return std::make_unique<classic::Indexer>(12); }).executions == 8);
    CHECK(dpor([] { return std::make_unique<classic::Indexer>(13); }).executions == 64);
}

TEST_CASE("indexer with a lock around each slot's compare-and-swap: the same published 8, 64") {
    // A lock a thread waits for is not a step of its own, so each collision is
    // one race between two critical sections, as between two CASes: the
    // published indexer counts (Flanagan & Godefroid 2005; Abdulla et al.
    // 2014, Table 1), and 1 below 12 threads, where no two threads collide.
    CHECK(dpor([] { return std::make_unique<classic::Indexer>(11, true); }).executions == 1);   // no collision
    CHECK(dpor([] { return std::make_unique<classic::Indexer>(12, true); }).executions == 8);   // published
    CHECK(dpor([] { return std::make_unique<classic::Indexer>(13, true); }).executions == 64);  // published
}

TEST_CASE("filesystem: one trace until two threads share a block, then the published 2, 4, 8, none cut short") {
    CHECK(dpor([] { return std::make_unique<classic::FileSystem>(2); }).executions ==
          testing::count_traces([] { return std::make_unique<classic::FileSystem>(2); }));
    CHECK(dpor([] { return std::make_unique<classic::FileSystem>(13); }).executions == 1);
    // Abdulla et al. 2014 (Table 1): optimal DPOR runs 2, 4, 8 executions on
    // filesystem(14), (15), (16): each lock a thread waits for is one race.
    CHECK(dpor([] { return std::make_unique<classic::FileSystem>(14); }).executions == 2);  // published
    CHECK(dpor([] { return std::make_unique<classic::FileSystem>(15); }).executions == 4);  // published
    const auto r = dpor([] { return std::make_unique<classic::FileSystem>(16); });
    CHECK(r.executions == 8);
    CHECK(r.pruned == 0);
}
