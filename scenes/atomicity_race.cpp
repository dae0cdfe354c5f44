// Scene "atomicity/race": the talk's atomicity slide. Threads each run
// foo += 1 as read, increment, write; an unlucky interleaving loses an update.
// A mutex makes the three steps one critical section; an atomic fetch-add
// makes them one indivisible step.
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

enum Sync { kNone = 0, kMutex = 1, kAtomic = 2 };

class RaceRun final : public Run {
public:
    RaceRun(const Settings& settings, int sync, int threads)
        : Run(settings), foo_("foo", 0), atomic_foo_("foo", 0), lock_("m"), sync_(sync), threads_(threads) {
        if (sync == kAtomic) {
            rt().add(atomic_foo_);
            listings_.push_back({"each thread", {"TMP = fetch_add(foo, 1)  // one atomic step"}});
        } else {
            rt().add(foo_);
            if (sync == kMutex) {
                rt().add(lock_);
                listings_.push_back({"each thread", {"lock(m)", "TMP = foo      // read", "TMP = TMP + 1  // increment",
                                                     "foo = TMP      // write", "unlock(m)"}});
            } else {
                listings_.push_back({"each thread",
                                     {"TMP = foo      // read", "TMP = TMP + 1  // increment", "foo = TMP      // write"}});
            }
        }
        for (int i = 0; i < threads; ++i) {
            rt().spawn("T" + std::to_string(i + 1), 0, [this](Ctx& ctx) { return program(ctx); });
        }
    }

    std::string outcome_key() const override { return "foo = " + std::to_string(sync_ == kAtomic ? atomic_foo_.value() : foo_.value()); }

    Outcome scene_outcome() const override {
        const auto value = sync_ == kAtomic ? atomic_foo_.value() : foo_.value();
        if (!over()) return {false, false, "running: foo = " + std::to_string(value)};
        if (!is_real() && sched().verdict() != engine::Verdict::Finished) {
            return {true, true, std::string(engine::to_string(sched().verdict())) + ": " + verdict_words(sched())};
        }
        if (value == threads_) return {true, false, "foo = " + std::to_string(value) + ": every increment counted"};
        return {true, true,
                "foo = " + std::to_string(value) + ": lost update! " + counted(threads_ - value, "increment") + " overwritten"};
    }

private:
    Task program(Ctx& ctx) {
        if (sync_ == kAtomic) {
            const std::int64_t old = co_await atomic_foo_.fetch_add(ctx.at(0), 1);
            ctx.set_local("TMP", old);
            co_return;
        }
        const bool locked = sync_ == kMutex;
        const int base = locked ? 1 : 0;
        if (locked) co_await lock_.lock(ctx.at(0));
        std::int64_t tmp = co_await foo_.read(ctx.at(base + 0));
        ctx.set_local("TMP", tmp);
        tmp = co_await engine::ComputeStep(ctx.at(base + 1), "TMP = TMP + 1", tmp + 1);
        ctx.set_local("TMP", tmp);
        co_await foo_.write(ctx.at(base + 2), tmp);
        if (locked) co_await lock_.unlock(ctx.at(base + 3));
    }

    engine::SharedVar foo_;
    engine::Atomic atomic_foo_;
    engine::Mutex lock_;
    int sync_;
    int threads_;
};

}  // namespace

Scene atomicity_race() {
    Scene s;
    s.id = "atomicity/race";
    s.title = "Atomicity: foo += 1";
    s.section = "General concepts";
    s.row = models::kThreadsMutexes;
    s.slide =
        "foo += 1 looks like one operation, but the machine does three: read foo into TMP, add one to TMP, "
        "write TMP back to foo. If the scheduler switches threads between the read and the write, both threads "
        "read the same old value and one increment is lost. A mutex makes the three steps one critical section; "
        "an atomic fetch-add makes them one indivisible step.";
    s.notes =
        "Pause (P) and step with '.': point at each thread's TMP after both reads, they hold the same value. "
        "The every-schedule beat finds the lost update without luck. V picks the mutex (the second thread "
        "waits in the lock's queue), V again the atomic: one step per thread, never lost.";
    s.params = {
        {"sync", "protection", 0, 2, 0, "how foo += 1 is protected", {"none", "mutex", "atomic fetch-add"}},
        {"threads", "threads", 2, 4, 2, "how many threads increment foo", {}},
    };
    s.runs_on_real_threads = true;
    s.claims = [](const Settings& st) {
        const bool plain = st.params.at("sync") == kNone;
        return Claim{plain, plain ? "a lost update is reachable" : "no schedule loses an update"};
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        return std::make_unique<RaceRun>(settings, settings.params.at("sync"),
                                         settings.params.at("threads"));
    };
    return s;
}

}  // namespace such::scenes
