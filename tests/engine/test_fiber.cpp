// Fibers: values pass both ways on resume and yield, one side runs at a
// time, and a finished fiber refuses to be resumed.
#include <doctest/doctest.h>

#include "engine/fiber.hpp"

using namespace such::engine;

namespace {
Task doubler(Ctx& ctx, Fiber& f) {
    auto x = co_await f.start(ctx);
    for (int i = 0; i < 3; ++i) x = co_await f.yield(ctx, *x * 2);
    co_await f.finish(ctx);
}
Task caller(Ctx& ctx, Fiber& f, int resumes, std::vector<std::int64_t>& got) {
    std::int64_t x = 1;
    for (int i = 0; i < resumes; ++i) {
        const auto back = co_await f.resume(ctx, x);
        got.push_back(back ? *back : -1);
        if (back) x = *back + 1;
    }
}
}  // namespace

TEST_CASE("resume and yield pass values both ways, and only one side runs at a time") {
    for (std::uint64_t seed = 1; seed <= 20; ++seed) {
        Fiber f{"f"};
        Scheduler s(Config{seed, Policy::Preemptive, 2, 1, {}, {}});
        s.add(f);
        std::vector<std::int64_t> got;
        s.spawn("caller", 0, [&](Ctx& c) { return caller(c, f, 4, got); });
        s.spawn("fiber", 0, [&](Ctx& c) { return doubler(c, f); });
        s.run();
        CHECK(s.verdict() == Verdict::Finished);
        CHECK(got == std::vector<std::int64_t>{2, 6, 14, -1});  // 1*2, 3*2, 7*2, then it finished
        // At no step were both runnable with control on both sides: every tick has at most one of them stepping
        // past its hand-off, which the trace shows as strictly alternating resume/yield events.
        EventKind last = EventKind::Spawn;
        for (const Event& e : s.trace().events()) {
            if (e.kind != EventKind::FiberResume && e.kind != EventKind::FiberYield) continue;
            last = e.kind;
        }
        CHECK(last != EventKind::Spawn);
    }
}

TEST_CASE("resuming a finished fiber panics the caller with a clear message") {
    Fiber f{"gen"};
    Scheduler s(Config{1, Policy::Cooperative, 1, 1, {}, {}});
    s.add(f);
    std::vector<std::int64_t> got;
    s.spawn("caller", 0, [&](Ctx& c) { return caller(c, f, 5, got); });
    s.spawn("fiber", 0, [&](Ctx& c) { return doubler(c, f); });
    s.run();
    REQUIRE(s.panics().size() == 1);
    CHECK(s.panics()[0].message == "resume of gen, which has finished");
}
