// Scene "threads/counter": N threads each add 1 to a shared counter M times,
// with no protection, a mutex, or an atomic. On the simulator every lost
// update can be watched; on real threads (M up to a million) they are counted.
// Models table row: threads & mutexes (native threads, preemptive, shared memory).
#include "engine/atomic.hpp"
#include "engine/mutex.hpp"
#include "engine/shared_var.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

enum Sync { kPlain = 0, kLocked = 1, kAtomic = 2 };

// M on the simulator is the parameter itself; on real threads it is scaled up
// so the race has time to show (the talk's "2 threads x 1,000,000").
std::int64_t increments(int param, bool real) { return real ? std::int64_t{param} * 100000 : param; }

class CounterRun final : public Run {
public:
    CounterRun(const Settings& settings, int threads, int m, int sync)
        : Run(settings), counter_("counter", 0), atomic_("counter", 0), lock_("m"), sync_(sync), threads_(threads),
          per_thread_(increments(m, settings.runtime == RuntimeKind::Real)) {
        const std::string loop = "repeat " + std::to_string(per_thread_) + " times:";
        if (sync == kAtomic) {
            rt().add(atomic_);
            listings_.push_back({"each thread", {loop, "  fetch_add(counter, 1)"}});
        } else {
            rt().add(counter_);
            if (sync == kLocked) {
                rt().add(lock_);
                listings_.push_back({"each thread", {loop, "  lock(m)", "  TMP = counter", "  TMP = TMP + 1", "  counter = TMP", "  unlock(m)"}});
            } else {
                listings_.push_back({"each thread", {loop, "  TMP = counter", "  TMP = TMP + 1", "  counter = TMP"}});
            }
        }
        for (int i = 0; i < threads; ++i) {
            rt().spawn("T" + std::to_string(i + 1), 0, [this](Ctx& ctx) { return program(ctx); });
        }
    }

    std::int64_t expected() const { return per_thread_ * threads_; }
    std::int64_t value() const { return sync_ == kAtomic ? atomic_.value() : counter_.value(); }

    std::string outcome_key() const override { return "counter = " + std::to_string(value()); }

    Outcome scene_outcome() const override {
        const std::int64_t v = value();
        if (!over()) return {false, false, "running: counter = " + std::to_string(v) + " of " + std::to_string(expected())};
        if (!is_real() && sched().verdict() != engine::Verdict::Finished) {
            return {true, true, std::string(engine::to_string(sched().verdict())) + ": " + verdict_words(sched())};
        }
        if (v == expected()) return {true, false, "counter = " + std::to_string(v) + ": every increment counted"};
        return {true, true,
                "counter = " + std::to_string(v) + " of " + std::to_string(expected()) + ": " +
                    std::to_string(expected() - v) + " lost updates"};
    }

private:
    // Before each step the task declares its state for the explorer's state
    // cache (Ctx::set_state): the iteration, and TMP while it is live.
    Task program(Ctx& ctx) {
        for (std::int64_t i = 0; i < per_thread_; ++i) {
            ctx.set_state({i});
            // Each iteration's first step runs the loop's test (line 0) too.
            if (sync_ == kAtomic) {
                co_await atomic_.fetch_add(ctx.at(1).from(0), 1);
                continue;
            }
            const bool locked = sync_ == kLocked;
            const int base = locked ? 2 : 1;
            if (locked) co_await lock_.lock(ctx.at(1).from(0));
            std::int64_t tmp = co_await counter_.read(locked ? ctx.at(base) : ctx.at(base).from(0));
            ctx.set_local("TMP", tmp);
            ctx.set_state({i, tmp});
            tmp = co_await engine::ComputeStep(ctx.at(base + 1), "TMP = TMP + 1", tmp + 1);
            ctx.set_local("TMP", tmp);
            ctx.set_state({i, tmp});
            co_await counter_.write(ctx.at(base + 2), tmp);
            ctx.set_state({i});
            if (locked) co_await lock_.unlock(ctx.at(base + 3));
        }
    }

    engine::SharedVar counter_;
    engine::Atomic atomic_;
    engine::Mutex lock_;
    int sync_;
    int threads_;
    std::int64_t per_thread_;
};

}  // namespace

Scene threads_counter() {
    Scene s;
    s.id = "threads/counter";
    s.title = "Threads & mutexes: a shared counter";
    s.section = "Threads & mutexes";
    s.row = models::kThreadsMutexes;
    s.slide =
        "N threads each add one to a shared counter M times. Without protection, increments that overlap are "
        "lost, and the final count can be anything up to N x M. A mutex serialises the critical section; an "
        "atomic fetch-add makes each increment indivisible. Run it on real threads to count real lost updates.";
    s.notes =
        "Two threads, three increments each, no protection: the every-schedule beat finds lost updates. V for "
        "a mutex, V again for the atomic: never lost.";
    s.params = {
        {"threads", "threads", 2, 4, 2, "how many threads", {}},
        {"m", "increments", 1, 10, 3, "increments per thread (x 100,000 on real threads)", {}},
        {"sync", "protection", 0, 2, 0, "how counter += 1 is protected", {"none", "mutex", "atomic fetch-add"}},
    };
    s.runs_on_real_threads = true;
    s.claims = [](const Settings& st) {
        const bool plain = st.params.at("sync") == kPlain;
        return Claim{plain, plain ? "a lost update is reachable" : "no schedule loses an update"};
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        return std::make_unique<CounterRun>(settings, settings.params.at("threads"),
                                            settings.params.at("m"), settings.params.at("sync"));
    };
    return s;
}

}  // namespace such::scenes
