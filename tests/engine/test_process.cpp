// Processes and pipes on the simulator: private memory, blocking reads and
// writes, end of file, and copies.
#include <doctest/doctest.h>

#include "tests/engine/sim.hpp"
#include "engine/process.hpp"

using namespace such::engine;
using namespace such::tests;

namespace {
Task writer(Ctx& ctx, Pipe& p, std::string bytes, bool close_after) {
    co_await p.write(ctx, std::move(bytes));
    if (close_after) co_await p.close(ctx);
}
Task reader(Ctx& ctx, Pipe& p, std::vector<std::string>& got) {
    for (;;) {
        std::string bytes = co_await p.read(ctx, 3);
        got.push_back(bytes);
        if (bytes.empty()) break;
    }
}
Task peek(Ctx& ctx, ProcessMemory& m) { co_await m.read(ctx, "secret"); }
}  // namespace

TEST_CASE("a pipe's reader blocks until the writer writes, and ends at end of file") {
    Pipe p{"pipe", 4};
    Scheduler s(manual());
    s.add(p);
    std::vector<std::string> got;
    const TaskId r = s.spawn("reader", 0, [&](Ctx& c) { return reader(c, p, got); });
    const TaskId w = s.spawn("writer", 0, [&](Ctx& c) { return writer(c, p, "abcdefg", true); });
    s.step_task(r);
    CHECK(s.task(r).state == TaskState::Blocked);
    s.step_task(w);
    CHECK(p.bytes() == "abcd");  // full: the writer waits with "efg" left
    CHECK(s.task(w).state == TaskState::Blocked);
    drain(s);
    CHECK(got == std::vector<std::string>{"abc", "d", "efg", ""});
}

TEST_CASE("a process's memory is private: another process reading it panics") {
    ProcessMemory mine{"p1"};
    Scheduler s(Config{1, Policy::Cooperative, 1, 1, {}, {}});
    s.add(mine);
    s.spawn("p2", 0, [&](Ctx& c) { return peek(c, mine); });
    s.run();
    REQUIRE(s.panics().size() == 1);
    CHECK(s.panics()[0].message == "p2 cannot read p1's memory: processes share nothing");
}
