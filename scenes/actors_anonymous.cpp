// Scene "actors/anonymous": threads and message passing without identities
// ("anonymous actors"). Workers share nothing: they take jobs from one queue
// and put results on another, and a collector adds them up. Next to it, the
// same job with a shared total behind a mutex: the same answer, but the
// workers wait on the lock instead of on the queues.
// Models table row: ~anonymous actors (threads, preemptive, message queues).
#include "engine/channel.hpp"
#include "engine/mutex.hpp"
#include "engine/shared_var.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

enum Style { kQueues = 0, kSharedTotal = 1 };

class AnonymousRun final : public Run {
public:
    AnonymousRun(const Settings& settings, int style, int workers, int jobs)
        : Run(settings), jobs_q_("jobs", 2), results_q_("results", 2), total_("total", 0), lock_("m"), style_(style), workers_(workers),
          jobs_(jobs * (settings.runtime == RuntimeKind::Real ? 10000 : 1)) {
        const std::string n = std::to_string(jobs_);
        if (style == kQueues) {
            rt().add(jobs_q_);
            rt().add(results_q_);
            listings_.push_back({"boss", {"for job in 1.." + n + ": jobs <- job", "close(jobs)"}});
            listings_.push_back({"worker", {"for job := range jobs:", "  results <- job * job  // nothing shared"}});
            listings_.push_back({"collector", {"repeat " + n + " times: total += <-results"}});
            rt().spawn("boss", 0, [this](Ctx& ctx) { return boss(ctx); });
            for (int w = 1; w <= workers; ++w) rt().spawn("worker" + std::to_string(w), 1, [this](Ctx& ctx) { return queue_worker(ctx); });
            rt().spawn("collector", 2, [this](Ctx& ctx) { return collector(ctx); });
        } else {
            rt().add(total_);
            rt().add(lock_);
            listings_.push_back({"worker w", {"for job in my share of 1.." + n + ":", "  lock(m)", "  total = total + job * job", "  unlock(m)"}});
            for (int w = 0; w < workers; ++w) rt().spawn("worker" + std::to_string(w + 1), 0, [this, w](Ctx& ctx) { return locked_worker(ctx, w); });
        }
    }

    std::int64_t expected() const {
        std::int64_t sum = 0;
        for (std::int64_t j = 1; j <= jobs_; ++j) sum += j * j;
        return sum;
    }
    std::int64_t total() const { return style_ == kQueues ? collected_ : total_.value(); }

    std::string outcome_key() const override { return "total = " + std::to_string(total()); }

    Outcome scene_outcome() const override {
        const std::string t = "total = " + std::to_string(total());
        if (!over()) return {false, false, t + " so far"};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        if (total() != expected()) return {true, true, t + ", expected " + std::to_string(expected())};
        std::string waits;
        if (!is_real()) {
            const std::size_t n = rt().trace().count(style_ == kQueues ? engine::EventKind::ChanWait : engine::EventKind::LockWait);
            waits = style_ == kQueues ? "; " + std::to_string(n) + " waits on the queues, no locks" : "; " + std::to_string(n) + " waits on the lock";
        }
        return {true, false, t + waits};
    }

private:
    Task boss(Ctx& ctx) {
        for (std::int64_t j = 1; j <= jobs_; ++j) co_await jobs_q_.send(ctx.at(0), j);
        co_await jobs_q_.close(ctx.at(1));
    }
    Task queue_worker(Ctx& ctx) {
        for (;;) {
            const engine::Received job = co_await jobs_q_.recv(ctx.at(0));
            if (!job.ok) break;
            co_await results_q_.send(ctx.at(1), job.value * job.value);
        }
    }
    Task collector(Ctx& ctx) {
        for (std::int64_t k = 0; k < jobs_; ++k) {
            const engine::Received r = co_await results_q_.recv(ctx.at(0));
            collected_ += r.value;
            ctx.set_local("total", collected_);
        }
    }
    Task locked_worker(Ctx& ctx, int w) {
        for (std::int64_t j = 1 + w; j <= jobs_; j += workers_) {
            co_await lock_.lock(ctx.at(1).from(0));  // from the loop's test
            const auto t = co_await total_.read(ctx.at(2));
            co_await total_.write(ctx.at(2), t + j * j);
            co_await lock_.unlock(ctx.at(3));
        }
    }

    engine::Channel<std::int64_t> jobs_q_, results_q_;
    engine::SharedVar total_;
    engine::Mutex lock_;
    int style_;
    int workers_;
    std::int64_t jobs_;
    std::int64_t collected_ = 0;
};

}  // namespace

Scene actors_anonymous() {
    Scene s;
    s.id = "actors/anonymous";
    s.title = "Threads that only pass messages";
    s.section = "Threads & message passing";
    s.row = models::kAnonymousActors;
    s.slide =
        "Between threads-and-locks and actors: threads that share nothing and talk through queues, with no "
        "identity of their own. Workers take jobs from one queue and put results on another; a collector adds "
        "them up. The same job with a shared total needs a lock, and the workers queue up on it instead.";
    s.notes =
        "Queues: the workers never touch the total; only the collector does. V switches to a shared total "
        "behind a mutex: the same answer, with lock waits. Page Down shows the end, then every schedule: the "
        "same total in each.";
    s.params = {
        {"style", "style", 0, 1, 0, "how results come together", {"queues (share nothing)", "a shared total and a mutex"}},
        {"workers", "workers", 1, 4, 2, "how many workers", {}},
        {"jobs", "jobs", 1, 6, 4, "how many jobs (x 10,000 on real threads)", {}},
    };
    s.runs_on_real_threads = true;
    // Too many schedules to finish past two workers and four jobs (9,228 runs
    // there): the claim is checked within one preemption (3,912 runs with four
    // workers, since waiting on a queue is no step of its own).
    s.proof_bound = 1;
    s.claims = [](const Settings&) { return Claim{false, "the total is right in every schedule"}; };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        const auto& p = settings.params;
        return std::make_unique<AnonymousRun>(settings, p.at("style"), p.at("workers"), p.at("jobs"));
    };
    return s;
}

}  // namespace such::scenes
