// Scene "coroutines/green": green threads next to native threads. A main
// task spawns N actors, passes a token twice round all of them, and stops
// them. On real threads it measures what each model costs: the time to spawn
// one, the memory one takes while it waits (its task, its stack or frame, its
// mailbox), and one hand-off of the token on the second lap (a message and a switch to
// another task). Green: all N share 2 worker threads, a waiting actor parks
// and frees its worker (M:N). Native: every actor is an OS thread (1:1), and
// every hand-off goes through the kernel.
// Models table row: green threads / VM processes.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdio>
#include <deque>

#include "engine/actor.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

enum Model { kGreen = 0, kNative = 1 };
constexpr int kCounts[] = {6, 1000, 10000, 100000};
constexpr int kSimulated = 6;   // the simulator shows six; real threads run the chosen count
constexpr int kDrawn = 16;      // mailboxes the views draw; beyond, counts only
constexpr int kTraced = 1000;   // actors whose events are recorded

Settings with_model(Settings s, int model, int count) {
    if (s.runtime == RuntimeKind::Real) {
        s.workers = model == kGreen ? 2 : 0;
        if (count > kTraced) s.record = false;
    }
    return s;
}

std::string per(double total, int n, double scale, const char* unit) {
    char text[48];
    std::snprintf(text, sizeof text, "%.2f %s", total * scale / n, unit);
    return text;
}

class GreenRun final : public Run {
public:
    GreenRun(const Settings& settings, int model, int count)
        : Run(with_model(settings, model, count)), main_box_("<0.1> main"), model_(model),
          count_(settings.runtime == RuntimeKind::Real ? count : std::min(count, kSimulated)) {
        rt().add(main_box_);
        const std::string n = std::to_string(count_);
        listings_.push_back({"main", {"for i in 1.." + n + ": spawn actor(i)  // timed", "send(actor 1, token)  // twice: lap 2 is timed",
                                      "receive token  // it went round all " + n, "measure memory; send stop to each"}});
        listings_.push_back({"actor i", {"receive token  // twice", "send(actor i+1, token)  // the last one: to main", "receive stop"}});
        main_box_.set_owner(rt().spawn("main", 0, [this](Ctx& ctx) { return main_task(ctx); }));
    }

    std::string outcome_key() const override { return "token went round " + std::to_string(hops_) + " actors twice, " + std::to_string(stopped_.load()) + " stopped"; }

    Outcome scene_outcome() const override {
        const std::string who = grouped(count_) + (model_ == kGreen ? " green threads" : " native threads");
        if (!over()) return {false, false, who + ": " + counted(static_cast<long>(passed_.load()), "hand-off") + " of the token so far"};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        if (is_real() && !real().error().empty()) return {true, true, real().error()};
        const bool ok = hops_ == count_ && stopped_ == count_;
        if (!is_real()) return {true, !ok, who + ": the token went round all " + std::to_string(hops_) + " twice and came back; real threads measure its speed"};
        std::string h = who + (model_ == kGreen ? " on 2 workers" : ", one each") + ": spawn " + per(spawn_s_, count_, 1e6, "us") + ", " +
                        (memory_ ? per(static_cast<double>(memory_), count_, 1.0 / 1024, "KB") + " each" : std::string("memory not measurable here")) + ", a hand-off " + per(ring_s_, count_, 1e6, "us");
        if (is_real() && real().green()) h += " (" + grouped(static_cast<int>(real().green_stats().steals)) + " tasks stolen between workers)";
        return {true, !ok, h};
    }

private:
    Task main_task(Ctx& ctx) {
        using clock = std::chrono::steady_clock;
        const engine::MemoryMark before;
        const auto t0 = clock::now();
        for (int i = 0; i < count_; ++i) {
            engine::Mailbox& box = boxes_.emplace_back("<0." + std::to_string(i + 2) + "> actor" + std::to_string(i + 1));
            if (i < kDrawn && !is_real()) rt().add(box);
            // The actor is handed its box: on real threads it starts at once on
            // another worker, while this loop still grows the deque (whose
            // elements stay put, but whose index does not).
            box.set_owner(rt().spawn("actor" + std::to_string(i + 1), 1, [this, i, &box](Ctx& c) { return actor(c, box, i); }));
        }
        const auto t1 = clock::now();
        // Lap 1 wakes every actor for the first time; lap 2, timed, is hand-offs alone.
        co_await boxes_.front().send(ctx.at(1).from(0), "token", 0);  // after the spawns, which take no step
        const auto lap1 = co_await main_box_.receive(ctx.at(2));
        memory_ = before.grown();  // all N alive and waiting
        const auto t2 = clock::now();
        co_await boxes_.front().send(ctx.at(1), "token", lap1->value);
        const auto lap2 = co_await main_box_.receive(ctx.at(2));
        const auto t3 = clock::now();
        hops_ = static_cast<int>(lap2->value / 2);
        ctx.set_local("hops", lap2->value);
        spawn_s_ = std::chrono::duration<double>(t1 - t0).count();
        ring_s_ = std::chrono::duration<double>(t3 - t2).count();
        for (auto& box : boxes_) co_await box.send(ctx.at(3), "stop");
    }

    Task actor(Ctx& ctx, engine::Mailbox& me, int i) {
        for (int lap = 0; lap < 2; ++lap) {
            const auto token = co_await me.receive(ctx.at(0), engine::tagged("token"));
            // Spawning is over before main sends the token: the deque no longer changes.
            engine::Mailbox& next = i + 1 < count_ ? boxes_[static_cast<std::size_t>(i + 1)] : main_box_;
            co_await next.send(ctx.at(1), "token", token->value + 1);
            ++passed_;
        }
        co_await me.receive(ctx.at(2), engine::tagged("stop"));
        ++stopped_;
    }

    engine::Mailbox main_box_;
    std::deque<engine::Mailbox> boxes_;
    int model_;
    int count_;
    int hops_ = 0;
    std::atomic<int> stopped_{0};
    std::atomic<int> passed_{0};
    std::size_t memory_ = 0;
    double spawn_s_ = 0, ring_s_ = 0;
};

}  // namespace

Scene coroutines_green() {
    Scene s;
    s.id = "coroutines/green";
    s.title = "Green threads and native threads";
    s.section = "Green threads";
    s.row = models::kGreenThreads;
    s.slide =
        "A native thread is the kernel's: its own stack, a kernel task, and every switch through the kernel. "
        "Green threads are the runtime's: thousands of small tasks take turns on a few OS threads (M:N), and "
        "a task that waits parks and frees its thread for another. Erlang's processes and Go's goroutines "
        "work this way.";
    s.notes =
        "It plays: the token goes round six actors on green threads. V switches to native threads, one OS "
        "thread each: the same program, the same hand-offs.";
    s.params = {
        {"model", "threads", 0, 1, 0, "how actors get OS threads", {"green (M:N)", "native (1:1)"}},
        {"count", "actors", 0, 3, 2, "how many (the simulator shows 6)", {"6", "1,000", "10,000", "100,000"}},
    };
    s.runs_on_real_threads = true;
    s.real_workers = 2;
    s.real_refusal = [](const Settings& st) -> std::string {
        if (st.params.at("model") != kNative) return "";
        if (st.params.at("count") == 3)
            return "100,000 native threads would need 100,000 kernel tasks and stacks: more than this machine should give a demo. Try 10,000, or green threads.";
        const int threads = kCounts[st.params.at("count")] + 1;
        const std::string why = thread_limit_refusal(st, threads, std::to_string(threads) + " native threads");
        return why.empty() ? why : why + " Green threads need only 2.";
    };
    // Too many schedules to finish: the claim that nothing goes wrong is checked within 2 preemptions.
    s.proof_bound = 2;
    s.claims = [](const Settings&) { return Claim{false, "the token goes round every actor twice and every actor stops, in every schedule"}; };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        const int model = settings.params.at("model");
        return std::make_unique<GreenRun>(settings, model, kCounts[settings.params.at("count")]);
    };
    return s;
}

}  // namespace such::scenes
