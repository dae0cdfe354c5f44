// Real processes (engine/os_process.hpp), natively: what a child prints
// crosses a real pipe byte for byte, `date | xargs echo` prints the real
// date, two forked children share a page and its mutex, and a child's other
// writes stay in its own copy. The expected bytes come from running the same
// commands directly through the shell (popen), not from the code under test.
#include <doctest/doctest.h>

#include <csignal>
#include <cstdio>
#include <sstream>

#include "engine/os_process.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

using namespace such;
using namespace such::engine;

namespace {

// What a shell command prints, run directly (the peer the tests compare with).
std::string shell(const std::string& command) {
    std::string out;
    FILE* f = ::popen(command.c_str(), "r");
    REQUIRE(f);
    char buf[256];
    while (std::fgets(buf, sizeof buf, f)) out += buf;
    ::pclose(f);
    return out;
}

// xargs's view of its input: words split at blanks, joined by one space.
std::string words(const std::string& text) {
    std::istringstream in(text);
    std::string word, out;
    while (in >> word) out += (out.empty() ? "" : " ") + word;
    return out;
}

std::int64_t sum_of(const Trace& trace, EventKind kind) {
    std::int64_t n = 0;
    for (const Event& e : trace.events()) n += e.kind == kind ? e.value : 0;
    return n;
}

Task start_and_read(Ctx& ctx, OsProcess& p, std::vector<std::string> argv, OsPipe& out) {
    co_await p.start(ctx, argv, nullptr, &out);
    for (;;) {
        const std::string bytes = co_await out.read(ctx, 3);  // small reads: several must add up
        if (bytes.empty()) break;
    }
    co_await p.wait(ctx);
}

struct Child {
    SharedPage* page;
    std::int64_t n;
    std::int64_t* mine;
    int report;
};

// A forked child's body: the page's lock and plain memory only.
int add_n(void* arg) {
    const auto& c = *static_cast<const Child*>(arg);
    for (std::int64_t i = 0; i < c.n; ++i) {
        c.page->lock();
        c.page->at(0) += 1;
        c.page->unlock();
        *c.mine += 1;
    }
    c.page->at(c.report) = *c.mine;
    return 0;
}

int exit_seven(void*) { return 7; }
int terminate_self(void*) {
    // The test runner's handler for SIGTERM came along with the fork; the
    // child dies by the signal's default action, not by the runner's report.
    struct sigaction plain {};
    plain.sa_handler = SIG_DFL;
    sigaction(SIGTERM, &plain, nullptr);  // async-signal-safe, like raise
    std::raise(SIGTERM);
    return 0;
}

Task fork_both(Ctx& ctx, OsProcess& a, OsProcess& b, OsProcess::ChildBody body, Child* args) {
    co_await a.fork(ctx, body, &args[0]);
    co_await b.fork(ctx, body, &args[1]);
    co_await a.wait(ctx);
    co_await b.wait(ctx);
}

}  // namespace

TEST_CASE("a real child's output crosses a pipe(2) byte for byte: date +%Y read back is what the shell's date +%Y prints") {
    REQUIRE(os_processes_available());
    OsProcess date{"date"};
    OsPipe out{"out"};
    RealRuntime rt;
    rt.add(date);
    rt.add(out);
    rt.spawn("parent", 0, [&](Ctx& c) { return start_and_read(c, date, {"date", "+%Y"}, out); });
    rt.run();
    REQUIRE(rt.error().empty());
    const std::string direct = shell("date +%Y");  // the peer: a year changes only at New Year's midnight
    CHECK(out.seen() == direct);
    CHECK(sum_of(rt.trace(), EventKind::PipeRead) == static_cast<std::int64_t>(direct.size()));
    CHECK(date.pid() > 0);
    CHECK(date.status() == 0);
    REQUIRE(rt.trace().count(EventKind::ProcessStart) == 1);
    REQUIRE(rt.trace().count(EventKind::ProcessExit) == 1);
    for (const Event& e : rt.trace().events()) {
        if (e.kind == EventKind::ProcessStart) CHECK(e.value == date.pid());
        if (e.kind == EventKind::ProcessExit) CHECK(e.value == 0);
    }
}

TEST_CASE("a program that cannot start ends its task with why; exit statuses and deaths by signal are recorded as they are") {
    OsProcess missing{"missing"};
    OsPipe out{"out"};
    RealRuntime rt;
    rt.add(missing);
    rt.add(out);
    rt.spawn("parent", 0, [&](Ctx& c) { return start_and_read(c, missing, {"such-no-such-program"}, out); });
    rt.run();
    CHECK(rt.error() == "parent: missing cannot start: No such file or directory");  // ENOENT's words

    const auto fork_two = [](OsProcess::ChildBody body, int& first, int& second) {
        OsProcess a{"a"}, b{"b"};
        Child unused[2] = {};
        RealRuntime r;
        r.add(a);
        r.add(b);
        r.spawn("parent", 0, [&](Ctx& c) { return fork_both(c, a, b, body, unused); });
        r.run();
        first = a.status();
        second = b.status();
    };
    int first = 0, second = 0;
    fork_two(&exit_seven, first, second);
    CHECK(first == 7);  // exit_seven's result
    CHECK(second == 7);
    fork_two(&terminate_self, first, second);
    CHECK(first == -SIGTERM);  // killed by the signal it raised: -N for signal N
    CHECK(second == -SIGTERM);
}

TEST_CASE("two forked children add N each to a counter on a shared page under its process-shared mutex: the parent reads 2N, and its own memory is untouched") {
    constexpr std::int64_t kN = 100000;  // chosen here; each child adds kN
    SharedPage page{"page"};
    REQUIRE(page.map().empty());
    OsProcess a{"a"}, b{"b"};
    std::int64_t mine = 0;  // an ordinary variable of the parent's
    Child args[2] = {{&page, kN, &mine, 1}, {&page, kN, &mine, 2}};
    RealRuntime rt;
    rt.add(page);
    rt.add(a);
    rt.add(b);
    rt.spawn("parent", 0, [&](Ctx& c) { return fork_both(c, a, b, &add_n, args); });
    rt.run();
    REQUIRE(rt.error().empty());
    CHECK(a.status() == 0);
    CHECK(b.status() == 0);
    CHECK(page.value(0) == 2 * kN);  // both children's increments, none lost
    // Each child counted its own copy of `mine` to kN (it says so through the
    // page); the parent's never moved: a child's writes are copy-on-write.
    CHECK(page.value(1) == kN);
    CHECK(page.value(2) == kN);
    CHECK(mine == 0);
}

TEST_CASE("proc/pipe on real threads runs the real date and xargs: xargs prints \"The date is: \" and the words date printed, every byte of them crossed the pipe") {
    scenes::Settings s;
    s.runtime = scenes::RuntimeKind::Real;
    const scenes::Scene& scene = *scenes::find_scene("proc/pipe");
    REQUIRE(scenes::check_settings(scene, s).empty());
    auto run = scene.build(s);
    const long before = std::stol(shell("date +%s"));
    run->real().run();
    const long after = std::stol(shell("date +%s"));
    const scenes::Outcome o = run->outcome();
    INFO(o.headline);
    CHECK_FALSE(o.bad);
    const std::string lead = "xargs printed \"";
    REQUIRE(o.headline.rfind(lead, 0) == 0);
    const std::string printed = o.headline.substr(lead.size(), o.headline.find('"', lead.size()) - lead.size());
    // date ran at some second between the two readings of the clock: what the
    // shell's date prints for that second, word for word, after xargs's words.
    std::string date;
    for (long t = before; t <= after && date.empty(); ++t) {
        const std::string at = shell("date -d @" + std::to_string(t));
        if (printed == "The date is: " + words(at)) date = at;
    }
    REQUIRE_FALSE(date.empty());
    const Trace& trace = run->real().trace();
    CHECK(sum_of(trace, EventKind::PipeWrite) == static_cast<std::int64_t>(date.size()));  // all date printed waited in the pipe
    CHECK(sum_of(trace, EventKind::PipeRead) == static_cast<std::int64_t>(printed.size() + 1));  // xargs's line and its newline came back
    std::vector<std::string> exits;
    for (const Event& e : trace.events()) {
        if (e.kind == EventKind::ProcessStart) CHECK(e.value > 0);
        if (e.kind == EventKind::ProcessExit) exits.push_back(scenes::sentence(e, *run));
    }
    CHECK(exits == std::vector<std::string>{"date exits with status 0; reaped", "xargs exits with status 0; reaped"});
}

TEST_CASE("proc/pipe's shared-memory example on real threads: two forked children, 2N on the shared page, N in each child's copy, 0 in the parent's") {
    scenes::Settings s;
    s.runtime = scenes::RuntimeKind::Real;
    s.params = {{"variant", 3}, {"counts", 1}};
    auto run = scenes::find_scene("proc/pipe")->build(s);
    run->real().run();
    const scenes::Outcome o = run->outcome();
    INFO(o.headline);
    CHECK_FALSE(o.bad);
    // counts 1 on real threads is 100,000 increments per child (the parameter's help says x 100,000): 2N = 200,000.
    CHECK(o.headline.rfind("page.counter = 200,000 = 2 x 100,000: two forked children", 0) == 0);
    CHECK(o.headline.find("mine reached 100,000 and 100,000 in their copies and is 0 in the parent's") != std::string::npos);
    CHECK(run->real().trace().count(EventKind::ProcessExit) == 2);
}
