// Scene "threads/philosophers": dining philosophers. N philosophers share N
// forks (mutexes). Naively taking the left fork first can deadlock, and the
// engine names the cycle; taking the lower-numbered fork first never does;
// polite philosophers who put a fork back when the other is busy can livelock.
// Models table row: threads & mutexes (native threads, preemptive, shared memory).
#include <deque>

#include "engine/mutex.hpp"
#include "engine/atomic.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

enum Strategy { kNaive = 0, kOrdered = 1, kPolite = 2 };
constexpr int kPoliteTries = 6;

class PhilosophersRun final : public Run {
public:
    PhilosophersRun(const Settings& settings, int n, int meals, int strategy)
        : Run(settings), eaten_("meals", 0), strategy_(strategy), n_(n), meals_(meals) {
        for (int i = 0; i < n; ++i) forks_.emplace_back("fork" + std::to_string(i));
        for (auto& f : forks_) rt().add(f);
        rt().add(eaten_);
        const std::string repeat = "repeat " + std::to_string(meals) + " times:";
        if (strategy == kPolite) {
            listings_.push_back({"philosopher i", {repeat, "  lock(left fork)", "  if !try_lock(right fork):",
                                                   "    unlock(left fork); yield; try again", "  eat",
                                                   "  unlock(right fork)", "  unlock(left fork)"}});
        } else {
            const char* a = strategy == kOrdered ? "  lock(lower-numbered fork)" : "  lock(left fork)";
            const char* b = strategy == kOrdered ? "  lock(higher-numbered fork)" : "  lock(right fork)";
            listings_.push_back({"philosopher i", {repeat, a, b, "  eat", "  unlock(second fork)", "  unlock(first fork)"}});
        }
        for (int i = 0; i < n; ++i) {
            rt().spawn("P" + std::to_string(i), 0, [this, i](Ctx& ctx) { return program(ctx, i); });
        }
    }

    Outcome scene_outcome() const override {
        const auto eaten = eaten_.value();
        const auto all = static_cast<std::int64_t>(n_) * meals_;
        if (!over()) return {false, false, "dining: " + std::to_string(eaten) + " of " + std::to_string(all) + " meals eaten"};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) {
            return {true, true, verdict_words(sched())};
        }
        if (gave_up_ > 0) {
            return {true, true, "livelock: " + counted(gave_up_, "philosopher") + " gave up after " +
                                    std::to_string(kPoliteTries) + " polite retries; " + std::to_string(eaten) +
                                    " of " + std::to_string(all) + " meals eaten"};
        }
        return {true, false, "everyone ate: " + std::to_string(eaten) + " meals, no deadlock"};
    }

private:
    Task program(Ctx& ctx, int i) {
        engine::Mutex* left = &forks_[static_cast<std::size_t>(i)];
        engine::Mutex* right = &forks_[static_cast<std::size_t>((i + 1) % n_)];
        engine::Mutex* first = left;
        engine::Mutex* second = right;
        if (strategy_ == kOrdered && (i + 1) % n_ < i) std::swap(first, second);
        for (int meal = 0; meal < meals_; ++meal) {
            if (strategy_ == kPolite) {
                bool fed = false;
                for (int attempt = 0; attempt < kPoliteTries && !fed; ++attempt) {
                    co_await left->lock(attempt == 0 ? ctx.at(1).from(0) : ctx.at(1));  // the first try runs the loop's test
                    const bool got = co_await right->try_lock(ctx.at(2));
                    if (got) {
                        fed = true;
                        break;
                    }
                    co_await left->unlock(ctx.at(3));
                    co_await engine::YieldStep(ctx.at(3));
                }
                if (!fed) {
                    ++gave_up_;
                    co_return;
                }
                co_await eat(ctx, 4);
                co_await right->unlock(ctx.at(5));
                co_await left->unlock(ctx.at(6));
            } else {
                co_await first->lock(ctx.at(1).from(0));  // from the loop's test
                co_await second->lock(ctx.at(2));
                co_await eat(ctx, 3);
                co_await second->unlock(ctx.at(4));
                co_await first->unlock(ctx.at(5));
            }
        }
    }

    // Eating is one atomic step on the meal tally (two philosophers with no
    // fork in common may eat at the same time).
    engine::Atomic::OpStep<engine::Atomic::Op::FetchAdd> eat(Ctx& ctx, int line) { return eaten_.fetch_add(ctx.at(line), 1); }

    std::deque<engine::Mutex> forks_;
    engine::Atomic eaten_;
    int strategy_;
    int n_;
    int meals_;
    int gave_up_ = 0;
};

}  // namespace

Scene threads_philosophers() {
    Scene s;
    s.id = "threads/philosophers";
    s.title = "Deadlock: dining philosophers";
    s.section = "Threads & mutexes";
    s.row = models::kThreadsMutexes;
    s.slide =
        "Each philosopher needs both neighbouring forks to eat. If everyone picks up the left fork first, they "
        "can all hold one fork and wait forever for the other: a deadlock, a cycle of waiting. Taking the "
        "lower-numbered fork first breaks the cycle. Putting the fork back politely avoids the deadlock but can "
        "livelock: everyone keeps busy and nobody eats.";
    s.notes =
        "Naive with 5 philosophers: it plays until the red cycle appears; read it out. V for ordered: no "
        "schedule deadlocks. V again for polite: they put forks back and may go round without eating.";
    s.params = {
        {"n", "philosophers", 2, 6, 5, "how many philosophers (and forks)", {}},
        {"meals", "meals", 1, 3, 2, "meals each philosopher wants", {}},
        {"strategy", "strategy", 0, 2, 0, "how forks are picked up", {"left first (naive)", "lower first (ordered)", "polite (put back)"}},
    };
    // Ordered forks with five philosophers have too many schedules to finish: the
    // claim that nothing goes wrong is checked within 2 preemptions.
    s.proof_bound = 2;
    s.claims = [](const Settings& st) {
        switch (st.params.at("strategy")) {
        case kNaive: return Claim{true, "a deadlock is reachable"};
        case kOrdered: return Claim{false, "no schedule deadlocks"};
        default: return Claim{true, "a livelock (philosophers giving up) is reachable"};
        }
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        return std::make_unique<PhilosophersRun>(settings, settings.params.at("n"),
                                                 settings.params.at("meals"), settings.params.at("strategy"));
    };
    return s;
}

}  // namespace such::scenes
