// Scene "conclusion/one_counter": the talk's last word, "use the best tool". One
// problem, W workers each adding 1 to a count M times, solved in six models:
// shared memory with no lock and with a mutex, a transaction, a channel to an
// owner, an actor's mailbox, and callbacks posted to an event loop. Only the
// first loses updates; the others differ in who owns the count and what waits.
// Models table row: all of them (models::kUseTheBestTool).
#include <atomic>

#include "engine/actor.hpp"
#include "engine/channel.hpp"
#include "engine/mutex.hpp"
#include "engine/shared_var.hpp"
#include "engine/stm.hpp"
#include "scenes/narrate.hpp"
#include "scenes/stm_accounts.hpp"
#include "scenes/loop_scene.hpp"
#include "scenes/models.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;
using engine::Tx;

enum Model { kNoLock = 0, kMutex = 1, kStm = 2, kChannel = 3, kActor = 4, kLoop = 5 };

// M on the simulator is the parameter itself; on real threads it is scaled so
// that a run takes tens of milliseconds in every model: an increment costs
// about a hundred nanoseconds under a lock, microseconds through a rendezvous.
constexpr std::int64_t kRealScale[] = {100000, 100000, 50000, 10000, 50000, 20000};
std::int64_t increments(int param, bool real, int model) { return real ? std::int64_t{param} * kRealScale[model] : param; }

class CountRun final : public Run {
public:
    CountRun(const Settings& settings, int workers, int m, int model)
        : Run(settings), shared_("count", 0), lock_("m"), tvar_("count", 0), chan_("increments"), box_("<0.1> counter"), loop_("loop"),
          model_(model), workers_(workers), each_(increments(m, settings.runtime == RuntimeKind::Real, model)) {
        const std::string repeat = "repeat " + std::to_string(each_) + " times:";
        const std::string all = std::to_string(expected());
        switch (model) {
        case kNoLock:
            rt().add(shared_);
            listings_.push_back({"each worker", {repeat, "  tmp = count", "  count = tmp + 1"}});
            break;
        case kMutex:
            rt().add(shared_);
            rt().add(lock_);
            listings_.push_back({"each worker", {repeat, "  lock(m)", "  tmp = count", "  count = tmp + 1", "  unlock(m)"}});
            break;
        case kStm:
            rt().add(stm_);
            rt().add(tvar_);
            listings_.push_back({"each worker", {"repeat " + std::to_string(each_) + " times: atomically {", "  n = read(count)", "  write(count, n + 1)", "}"}});
            break;
        case kChannel:
            rt().add(chan_);
            listings_.push_back({"each worker", {repeat, "  increments <- 1"}});
            listings_.push_back({"owner (keeps count)", {"repeat " + all + " times:", "  x := <-increments", "  count += x"}});
            break;
        case kActor:
            rt().add(box_);
            listings_.push_back({"each worker", {repeat, "  send(counter, add(1))"}});
            listings_.push_back({"counter actor (keeps count)", {"repeat " + all + " times: receive", "  add(n) -> count += n"}});
            break;
        default:
            rt().add(loop_);
            listings_.push_back({"each worker", {repeat, "  post(loop, () => count += 1)"}});
            listings_.push_back(loop::loop_listing("event loop (keeps count)"));
            break;
        }
        for (int i = 0; i < workers; ++i) {
            const engine::TaskId t = rt().spawn("W" + std::to_string(i + 1), 0, [this](Ctx& ctx) { return worker(ctx); });
            if (i == 0) chan_.set_sender(t);
        }
        if (model == kChannel) rt().spawn("owner", 1, [this](Ctx& ctx) { return owner(ctx); });
        if (model == kActor) box_.set_owner(rt().spawn("counter", 1, [this](Ctx& ctx) { return actor(ctx); }));
        if (model == kLoop) {
            rt().spawn("loop", 1, [this](Ctx& ctx) {
                // The loop lives until the last increment has come: an active handle, as libuv has.
                return loop::loop_task(ctx, loop_, "main", [](engine::EventLoop& l) { l.keep_alive(1); });
            });
        }
    }

    std::int64_t expected() const { return each_ * workers_; }
    std::int64_t value() const {
        if (model_ == kNoLock || model_ == kMutex) return shared_.value();
        if (model_ == kStm) return tvar_.value();
        return owned_.load(std::memory_order_relaxed);
    }

    std::string outcome_key() const override { return "count = " + std::to_string(value()); }

    Outcome scene_outcome() const override {
        const std::string count = "count = " + grouped(static_cast<long>(value())) + " of " + grouped(static_cast<long>(expected()));
        if (!over()) return {false, false, "running: " + count};
        if (!is_real() && sched().verdict() != engine::Verdict::Finished) {
            return {true, true, std::string(engine::to_string(sched().verdict())) + ": " + verdict_words(sched())};
        }
        // Real threads scale M by model: the time per increment is what compares.
        const std::string cost = is_real() ? "; " + grouped(static_cast<long>(real().seconds() * 1e9 / static_cast<double>(expected()))) +
                                                 " ns each"
                                           : "";
        if (value() == expected()) return {true, false, count + ": every increment counted" + cost};
        const long lost = static_cast<long>(expected() - value());
        return {true, true, count + ": " + grouped(lost) + (lost == 1 ? " lost update" : " lost updates") + cost};
    }

private:
    // Each model's worker is its own coroutine; this picks it (not a coroutine itself).
    Task worker(Ctx& ctx) {
        switch (model_) {
        case kNoLock:
        case kMutex: return shared_worker(ctx);
        case kStm: return stm_worker(ctx);
        case kChannel: return channel_worker(ctx);
        case kActor: return actor_worker(ctx);
        default: return loop_worker(ctx);
        }
    }

    Task shared_worker(Ctx& ctx) {
        const bool locked = model_ == kMutex;
        const int base = locked ? 2 : 1;
        for (std::int64_t i = 0; i < each_; ++i) {
            // Each iteration's first step runs the loop's test (line 0) too.
            if (locked) co_await lock_.lock(ctx.at(1).from(0));
            const std::int64_t tmp = co_await shared_.read(locked ? ctx.at(base) : ctx.at(base).from(0));
            ctx.set_local("tmp", tmp);
            co_await shared_.write(ctx.at(base + 1), tmp + 1);
            if (locked) co_await lock_.unlock(ctx.at(base + 2));
        }
    }

    Task stm_worker(Ctx& ctx) {
        for (std::int64_t i = 0; i < each_; ++i) {
            co_await engine::atomically(ctx.at(0), stm_, [this](Tx& tx) { return increment(tx, tvar_); });
        }
    }

    Task channel_worker(Ctx& ctx) {
        for (std::int64_t i = 0; i < each_; ++i) co_await chan_.send(ctx.at(1).from(0), 1);  // from the loop's test
    }
    Task owner(Ctx& ctx) {
        for (std::int64_t i = 0; i < expected(); ++i) {
            const engine::Received r = co_await chan_.recv(ctx.at(1).from(0).through(2));  // and adds it, on its own
            add(r.value);
            ctx.set_local("count", value());
        }
    }

    Task actor_worker(Ctx& ctx) {
        for (std::int64_t i = 0; i < each_; ++i) co_await box_.send(ctx.at(1).from(0), "add", 1);
    }
    Task actor(Ctx& ctx) {
        for (std::int64_t i = 0; i < expected(); ++i) {
            const auto m = co_await box_.receive(ctx.at(0).through(1));  // and its pattern's addition, on its own
            add(m->value);
            ctx.set_local("count", value());
        }
    }

    Task loop_worker(Ctx& ctx) {
        for (std::int64_t i = 0; i < each_; ++i) {
            // A named step: g++ 12 destroys a temporary std::function of a co_await expression twice.
            engine::EventLoop::PostStep done = loop_.post(ctx.at(1).from(0), "count += 1", [this](engine::EventLoop& l) {
                add(1);
                if (value() == expected()) l.keep_alive(-1);  // the last one: the loop may end
            });
            co_await done;
        }
    }

    // Only the owner (the channel's receiver, the actor, the loop) changes it,
    // one increment at a time; atomic only so the views may read it meanwhile.
    void add(std::int64_t n) { owned_.store(owned_.load(std::memory_order_relaxed) + n, std::memory_order_relaxed); }

    engine::SharedVar shared_;
    engine::Mutex lock_;
    engine::Stm stm_;
    engine::TVar<long> tvar_;
    engine::Channel<int> chan_;
    engine::Mailbox box_;
    engine::EventLoop loop_;
    int model_;
    int workers_;
    std::int64_t each_;
    std::atomic<std::int64_t> owned_{0};
};

}  // namespace

Scene conclusion_counter() {
    Scene s;
    s.id = "conclusion/one_counter";  // not ".../counter": "counter" alone must keep naming threads/counter
    s.title = "One counter, six models";
    s.section = "Conclusion";
    s.row = models::kUseTheBestTool;
    s.slide =
        "The same job in every model: W workers each add one to a count M times. Shared memory without a lock "
        "loses updates; a mutex or a transaction makes each increment whole; a channel, an actor or an event "
        "loop gives the count one owner, and the workers only send. Use the best tool: they cost differently.";
    s.notes =
        "The same counter in six models: the lock queues the workers, the transaction rolls back, the channel "
        "and the mailbox carry ones to the owner, the loop runs posted callbacks one at a time.";
    s.params = {
        {"workers", "workers", 2, 3, 2, "how many workers", {}},
        {"m", "increments", 1, 4, 2, "increments per worker (x 10,000 to 100,000 on real threads, by model)", {}},
        {"model", "model", 0, 5, 0, "how the count is shared",
         {"threads, no lock", "threads & a mutex", "transactional memory", "a channel (CSP)", "an actor", "an event loop"}},
    };
    s.runs_on_real_threads = true;
    // On real threads each model runs as its programmers run it: shared memory,
    // locks and transactions on a native thread per task (1:1, as in C++); the
    // channel and the actor on green threads over two workers (M:N, as Go and
    // Erlang), where a send or receive that must wait parks its task instead
    // of its thread (a thread per task measured 2,901 ns an increment for the
    // channel, two green workers 353: the column would show our threads' cost).
    s.real_workers_by = [](const Settings& st) {
        const int model = st.params.at("model");
        return model == kChannel || model == kActor ? 2 : 0;
    };
    // The transactional model has too many schedules to finish: the claim that nothing goes wrong is checked within 2 preemptions.
    s.proof_bound = 2;
    s.claims = [](const Settings& st) {
        const bool plain = st.params.at("model") == kNoLock;
        return Claim{plain, plain ? "a lost update is reachable" : "no schedule loses an update"};
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        const auto& p = settings.params;
        return std::make_unique<CountRun>(settings, p.at("workers"), p.at("m"), p.at("model"));
    };
    return s;
}

}  // namespace such::scenes
