// Scene "threads/buffer": producers and consumers share a bounded buffer,
// guarded by a mutex with two condition variables (not full, not empty), or
// by two counting semaphores. Re-checking the condition with `if` instead of
// `while` lets a woken consumer take from an empty buffer: the scene says so.
// Models table row: threads & mutexes (native threads, preemptive, shared memory).
#include "engine/condvar.hpp"
#include "engine/semaphore.hpp"
#include "engine/shared_var.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

enum Style { kWhile = 0, kIf = 1, kSemaphores = 2 };

class BufferRun final : public Run {
public:
    BufferRun(const Settings& settings, int capacity, int items, int style)
        : Run(settings), count_("count", 0), taken_("taken", 0), lock_("m"), not_full_("not_full"),
          not_empty_("not_empty"), slots_("free slots", capacity), filled_("filled", 0), capacity_(capacity),
          items_(items), style_(style) {
        rt().add(count_);
        rt().add(taken_);
        rt().add(lock_);
        // The producer makes the items both consumers take.
        const std::string produce = "repeat " + std::to_string(2 * items) + " times:";
        const std::string consume = "repeat " + std::to_string(items) + " times:";
        if (style == kSemaphores) {
            rt().add(slots_);
            rt().add(filled_);
            listings_.push_back({"producer", {produce, "  acquire(free slots)", "  lock(m)",
                                              "  count = count + 1", "  unlock(m)", "  release(filled)"}});
            listings_.push_back({"consumer", {consume, "  acquire(filled)", "  lock(m)",
                                              "  count = count - 1", "  unlock(m)", "  release(free slots)"}});
        } else {
            rt().add(not_full_);
            rt().add(not_empty_);
            const char* check = style == kWhile ? "while" : "if";
            listings_.push_back({"producer", {produce, "  lock(m)",
                                              std::string("  ") + check + " count == CAPACITY: wait(not_full, m)",
                                              "  count = count + 1", "  notify_all(not_empty)", "  unlock(m)"}});
            listings_.push_back({"consumer", {consume, "  lock(m)",
                                              std::string("  ") + check + " count == 0: wait(not_empty, m)",
                                              "  count = count - 1", "  notify_all(not_full)", "  unlock(m)"}});
        }
        rt().spawn("Producer", 0, [this](Ctx& ctx) { return producer(ctx); });
        for (int i = 0; i < 2; ++i) {
            rt().spawn("Consumer" + std::to_string(i + 1), 1, [this](Ctx& ctx) { return consumer(ctx); });
        }
    }

    Outcome scene_outcome() const override {
        // The bug's first sign is the outcome, though the run goes on as the
        // program does: the count written then says which way the buffer broke.
        if (low_ < 0) return {over(), true, "a consumer took from an empty buffer (count = " + std::to_string(low_) +
                                                "): it woke, did not re-check, and went on"};
        if (high_ > capacity_) return {over(), true, "the producer put into a full buffer (count = " + std::to_string(high_) + " of " +
                                                         std::to_string(capacity_) + "): it woke, did not re-check, and went on"};
        if (!over()) return {false, false, "buffer holds " + std::to_string(count_.value()) + " of " + std::to_string(capacity_)};
        if (sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        return {true, false, "all " + std::to_string(2 * items_) + " items passed through; the buffer never over- or underflowed"};
    }

private:
    Task producer(Ctx& ctx) {
        for (int i = 0; i < 2 * items_; ++i) {
            if (style_ == kSemaphores) {
                co_await slots_.acquire(ctx.at(1).from(0));  // from the loop's test
                co_await lock_.lock(ctx.at(2));
                const auto c = co_await count_.read(ctx.at(3));
                co_await count_.write(ctx.at(3), c + 1);
                co_await lock_.unlock(ctx.at(4));
                co_await filled_.release(ctx.at(5));
                continue;
            }
            co_await lock_.lock(ctx.at(1).from(0));
            auto c = co_await count_.read(ctx.at(2));
            if (c == capacity_) {
                do {
                    co_await not_full_.wait(ctx.at(2), lock_);
                    c = co_await count_.read(ctx.at(2));
                } while (style_ == kWhile && c == capacity_);
            }
            co_await count_.write(ctx.at(3), c + 1);
            if (c + 1 > capacity_ && high_ <= capacity_) high_ = c + 1;
            co_await not_empty_.notify_all(ctx.at(4));
            co_await lock_.unlock(ctx.at(5));
        }
    }

    Task consumer(Ctx& ctx) {
        for (int i = 0; i < items_; ++i) {
            if (style_ == kSemaphores) {
                co_await filled_.acquire(ctx.at(1).from(0));
                co_await lock_.lock(ctx.at(2));
                const auto c = co_await count_.read(ctx.at(3));
                co_await count_.write(ctx.at(3), c - 1);
                co_await lock_.unlock(ctx.at(4));
                co_await slots_.release(ctx.at(5));
                continue;
            }
            co_await lock_.lock(ctx.at(1).from(0));
            auto c = co_await count_.read(ctx.at(2));
            if (c == 0) {
                do {
                    co_await not_empty_.wait(ctx.at(2), lock_);
                    c = co_await count_.read(ctx.at(2));
                } while (style_ == kWhile && c == 0);
            }
            co_await count_.write(ctx.at(3), c - 1);
            // Taken from an empty buffer: the consumer goes on as its listing
            // does (it unlocks and takes its next), so the run ends as the
            // program would, not in a deadlock on the lock it would still hold.
            if (c - 1 < 0 && low_ >= 0) low_ = c - 1;
            const auto t = co_await taken_.read(ctx.at(3));
            co_await taken_.write(ctx.at(3), t + 1);
            co_await not_full_.notify_all(ctx.at(4));
            co_await lock_.unlock(ctx.at(5));
        }
    }

    engine::SharedVar count_, taken_;
    engine::Mutex lock_;
    engine::CondVar not_full_, not_empty_;
    engine::Semaphore slots_, filled_;
    int capacity_, items_, style_;
    std::int64_t low_ = 0, high_ = 0;  // the count written when the buffer first under- or overflowed
};

}  // namespace

Scene threads_buffer() {
    Scene s;
    s.id = "threads/buffer";
    s.title = "Condition variables: a bounded buffer";
    s.section = "Threads & mutexes";
    s.row = models::kThreadsMutexes;
    s.slide =
        "A producer fills a buffer with room for a few items; two consumers empty it. When the buffer is full the "
        "producer sleeps on a condition variable, releasing the lock; when it is empty the consumers do. A woken "
        "task must check the condition again (while, not if): another task may have got there first. Two "
        "counting semaphores (free slots, filled slots) do the same job.";
    s.notes =
        "'while' first: every consumer takes an item. V for 'if (bug)', then S for the next seed until a "
        "consumer wakes to an empty buffer; the every-schedule beat finds it without luck.";
    s.params = {
        {"capacity", "capacity", 1, 4, 2, "how many items the buffer holds", {}},
        {"items", "items", 1, 4, 3, "items each consumer takes", {}},
        {"style", "waiting", 0, 2, 0, "how tasks wait", {"while (correct)", "if (bug)", "semaphores"}},
    };
    // A buffer of one slot has too many schedules to finish (two preemptions: 91,000 runs): the claim that nothing goes wrong is checked within 1 preemption.
    s.proof_bound = 1;
    s.claims = [](const Settings& st) {
        const bool buggy = st.params.at("style") == kIf;
        return Claim{buggy, buggy ? "taking from an empty buffer is reachable" : "no schedule over- or underflows the buffer"};
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        return std::make_unique<BufferRun>(settings, settings.params.at("capacity"),
                                           settings.params.at("items"), settings.params.at("style"));
    };
    return s;
}

}  // namespace such::scenes
