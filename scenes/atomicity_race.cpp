// Scene "atomicity/race": the talk's atomicity slide. Two threads each run
// foo += 1 as read, increment, write; an unlucky interleaving loses an update.
// Models table row: threads & mutexes (native threads, preemptive, shared memory).
#include "engine/mutex.hpp"
#include "engine/shared_var.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

class RaceRun final : public Run {
public:
    RaceRun(const Settings& settings, bool use_mutex, int threads)
        : Run(settings), foo_("foo", 0), lock_("m"), threads_(threads) {
        sched_.add(foo_);
        if (use_mutex) {
            sched_.add(lock_);
            listings_.push_back({"each thread", {"lock(m)", "TMP = foo      // read", "TMP = TMP + 1  // increment",
                                                 "foo = TMP      // write", "unlock(m)"}});
        } else {
            listings_.push_back(
                {"each thread", {"TMP = foo      // read", "TMP = TMP + 1  // increment", "foo = TMP      // write"}});
        }
        Mutex* m = use_mutex ? &lock_ : nullptr;
        for (int i = 0; i < threads; ++i) {
            sched_.spawn("T" + std::to_string(i + 1), 0, [this, m](Ctx& ctx) { return increment(ctx, foo_, m); });
        }
    }

    Outcome outcome() const override {
        const auto value = foo_.value();
        if (sched_.verdict() != engine::Verdict::Finished) {
            return {false, false, "running: foo = " + std::to_string(value)};
        }
        if (value == threads_) {
            return {true, false, "foo = " + std::to_string(value) + ": every increment counted"};
        }
        return {true, true,
                "foo = " + std::to_string(value) + ": lost update! " + std::to_string(threads_ - value) +
                    " increment(s) overwritten"};
    }

private:
    using Mutex = engine::Mutex;

    static Task increment(Ctx& ctx, engine::SharedVar& foo, Mutex* m) {
        const int base = m ? 1 : 0;
        if (m) co_await m->lock(ctx.at(0));
        std::int64_t tmp = co_await foo.read(ctx.at(base + 0));
        ctx.set_local("TMP", tmp);
        tmp = co_await engine::ComputeStep(ctx.at(base + 1), "TMP = TMP + 1 = " + std::to_string(tmp + 1), tmp + 1);
        ctx.set_local("TMP", tmp);
        co_await foo.write(ctx.at(base + 2), tmp);
        if (m) co_await m->unlock(ctx.at(base + 3));
        ctx.at(base + (m ? 4 : 3));
    }

    engine::SharedVar foo_;
    Mutex lock_;
    int threads_;
};

}  // namespace

Scene atomicity_race() {
    Scene s;
    s.id = "atomicity/race";
    s.title = "Atomicity: foo += 1";
    s.section = "General concepts: atomicity";
    s.row = {"Threads & mutexes", "native threads", "preemptive", "shared memory", "concurrent and parallel",
             "C, Java, C++"};
    s.slide =
        "foo += 1 looks like one operation, but the machine does three: read foo into TMP, add one to TMP, "
        "write TMP back to foo. If the scheduler switches threads between the read and the write, both threads "
        "read the same old value and one increment is lost. A mutex makes the three steps one critical section.";
    s.notes =
        "Step through slowly. Point at each thread's TMP after both reads: they hold the same value. Then turn on "
        "the mutex and show that the second thread waits in the lock's queue.";
    s.params = {
        {"mutex", "use a mutex", 0, 1, 0, "wrap the read-increment-write in lock(m) ... unlock(m)"},
        {"threads", "threads", 2, 4, 2, "how many threads increment foo"},
    };
    s.build = [](const Settings& settings) -> std::unique_ptr<Run> {
        const Scene& self = *find_scene("atomicity/race");
        return std::make_unique<RaceRun>(settings, param_value(self, settings, "mutex") != 0,
                                         param_value(self, settings, "threads"));
    };
    return s;
}

}  // namespace such::scenes
