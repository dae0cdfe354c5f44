// Scene "loop/c10k": many connections, two servers. One event loop watches
// every connection and answers each request in a callback; or a thread per
// connection, each blocked in its read until its request comes. Clients send
// one request on every connection and wait for all the answers. On real
// threads natively every connection is a real socket pair, and the scene
// measures each server: the time per request, the memory per connection
// (thread stacks, or the loop's bookkeeping) and the context switches per
// request. The C10k problem: ten thousand connections, one machine.
// Models table row: evented (against threads).
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <deque>

#include "scenes/loop_scene.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::EventLoop;
using engine::Task;

enum Model { kLoop = 0, kThreads = 1 };
constexpr int kCounts[] = {6, 1000, 5000, 10000};
constexpr int kSimulated = 6;  // the simulator shows six connections
constexpr int kDrawn = 6;
constexpr int kTraced = 1000;  // connections whose events are recorded

Settings untraced_beyond(Settings s, int count) {
    if (s.runtime == RuntimeKind::Real && count > kTraced) s.record = false;
    return s;
}

class C10kRun final : public Run {
public:
    C10kRun(const Settings& settings, int model, int count)
        : Run(untraced_beyond(settings, count)), loop_("loop"), model_(model), count_(settings.runtime == RuntimeKind::Real ? count : std::min(count, kSimulated)) {
        if (model == kLoop) rt().add(loop_);  // drawn first
        for (int i = 0; i < count_; ++i) {
            engine::Stream& s = conns_.emplace_back("conn " + std::to_string(i + 1));
            if (!is_real() && i < kDrawn) rt().add(s);
        }
        before_ = engine::MemoryMark{};
        const std::string n = grouped(count_);
        if (model == kLoop) {
            listings_.push_back({"server: one event loop", {"for each of the " + n + " connections:", "  watch(conn, () => {", "    req = read(conn)",
                                                                    "    if (req) reply(conn, req) else unwatch(conn) })"}});
            listings_.push_back(loop::loop_listing("event loop"));
            loop_.at(loop::lines(0, 0, 3));  // the main script: the whole program
            rt().spawn("loop", 1, [this](Ctx& ctx) { return loop::loop_task(ctx, loop_, "main", [this](EventLoop& l) { serve(l); }); });
        } else {
            listings_.push_back({"server: a thread per connection", {"loop: req = read(conn)  // blocks this thread until data comes", "  if (!req) done", "  reply(conn, req)"}});
            for (int i = 0; i < count_; ++i) rt().spawn("thread " + std::to_string(i + 1), 0, [this, i](Ctx& ctx) { return thread_server(ctx, i); });
        }
        listings_.push_back({"clients", {"send a request on every connection", "wait until every answer is in", "measure; close every connection"}});
        rt().spawn("clients", static_cast<int>(listings_.size()) - 1, [this](Ctx& ctx) { return clients(ctx); });
    }

    std::string outcome_key() const override { return std::to_string(answered_.load()) + " of " + std::to_string(count_) + " answered"; }

    Outcome scene_outcome() const override {
        const std::string who = grouped(count_) + (model_ == kLoop ? " connections on one event loop" : " connections, a thread each");
        if (!over()) return {false, false, who + ": " + grouped(answered_.load()) + " answered so far"};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        if (is_real() && !real().failure().empty()) return {true, true, real().failure()};
        const bool ok = answered_.load() == count_;
        if (!is_real()) return {true, !ok, who + ": every request answered once; real threads measure its cost"};
        char text[200];
        std::snprintf(text, sizeof text, ": %.2f us per request", seconds_ * 1e6 / count_);
        std::string h = who + text;
        // Where the system does not say (the browser), say so rather than show zeros.
        if (engine::resident_bytes() + engine::heap_bytes() > 0) {
            std::snprintf(text, sizeof text, ", %.1f KB per connection", static_cast<double>(memory_) / 1024.0 / count_);
            h += text;
        } else {
            h += ", memory not measurable here";
        }
        if (engine::context_switches() > 0) {
            std::snprintf(text, sizeof text, ", %.2f context switches per request", static_cast<double>(switches_) / count_);
            h += text;
        } else {
            h += ", context switches not measurable here";
        }
        return {true, !ok, h};
    }

private:
    void serve(EventLoop& l) {
        for (engine::Stream& s : conns_) {
            engine::Stream* sp = &s;
            l.at(loop::lines(0, 1, 3)).watch(s, s.name(), [this, sp](EventLoop& x) {
                const std::string req = sp->read();
                if (req.empty()) {
                    x.unwatch(*sp);
                } else {
                    sp->reply(req);
                    ++answered_;
                }
            });
        }
    }

    Task thread_server(Ctx& ctx, int i) {
        engine::Stream* s = &conns_[static_cast<std::size_t>(i)];
        for (;;) {
            // The read, and what the thread does with it before it reads again.
            const std::string req = co_await s->wait_read(ctx.at(0).through(2));
            if (req.empty()) break;
            s->reply(req);
            ++answered_;
        }
    }

    Task clients(Ctx& ctx) {
        using clock = std::chrono::steady_clock;
        const std::uint64_t switches0 = engine::context_switches();
        const auto t0 = clock::now();
        for (engine::Stream& s : conns_) co_await s.write(ctx.at(0), "GET /" + s.name().substr(5));
        while (answered_.load() < count_) co_await engine::SleepStep(ctx.at(1), 1);
        seconds_ = std::chrono::duration<double>(clock::now() - t0).count();
        switches_ = engine::context_switches() - std::min(switches0, engine::context_switches());
        // Every connection open, every server alive and waiting: what they hold.
        memory_ = before_.grown();
        for (engine::Stream& s : conns_) co_await s.close(ctx.at(2));
    }

    EventLoop loop_;
    std::deque<engine::Stream> conns_;
    int model_;
    int count_;
    std::atomic<int> answered_{0};
    engine::MemoryMark before_;  // taken before any thread or connection exists
    std::size_t memory_ = 0;
    std::uint64_t switches_ = 0;
    double seconds_ = 0;
};

}  // namespace

Scene loop_c10k() {
    Scene s;
    s.id = "loop/c10k";
    s.title = "C10k: ten thousand connections";
    s.section = "Evented";
    s.row = models::kEvented;
    s.slide =
        "A thread per connection is simple: each reads and blocks, and the kernel switches between them. At ten "
        "thousand connections that is ten thousand stacks and a switch per request. One event loop watches every "
        "connection with epoll and answers whichever is ready, on one thread: nginx, Redis and node work this way.";
    s.notes =
        "Six connections on one event loop: one thread watches them all. V for a thread per connection: six "
        "threads, each blocked in its read.";
    s.params = {
        {"model", "server", 0, 1, 0, "how the server waits", {"one event loop", "a thread per connection"}},
        {"count", "connections", 0, 3, 1, "how many (the simulator shows 6)", {"6", "1,000", "5,000", "10,000"}},
    };
    s.runs_on_real_threads = true;
    s.real_refusal = [](const Settings& st) -> std::string {
        const int n = kCounts[st.params.at("count")];
        const std::size_t limit = engine::descriptor_limit();
        // Both ends of every connection live in this process, plus a few for the loop and the app.
        if (limit > 0 && static_cast<std::size_t>(2 * n + 64) > limit)
            return grouped(n) + " connections need " + grouped(2 * n + 64) + " descriptors (both ends live in this process); this machine allows " +
                   grouped(static_cast<long>(limit)) + ". Try fewer.";
        return st.params.at("model") == kThreads ? thread_limit_refusal(st, n + 1, grouped(n + 1) + " threads") : "";
    };
    // Too many schedules to finish, even within two preemptions for threads: the claim that nothing goes wrong is checked within 1 preemption.
    s.proof_bound = 1;
    s.claims = [](const Settings&) { return Claim{false, "every request is answered once, in every schedule"}; };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        return std::make_unique<C10kRun>(settings, settings.params.at("model"), kCounts[settings.params.at("count")]);
    };
    return s;
}

}  // namespace such::scenes
