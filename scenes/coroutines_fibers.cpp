// Scene "coroutines/fibers": fibers hand control back and forth explicitly.
// The caller resumes the fiber with a value and waits; the fiber runs until
// it yields a value back. Exactly one of them runs at a time: cooperation,
// not preemption. A generator is a fiber that yields the next value each time
// it is resumed; resuming a finished fiber is an error.
// Models table row: coroutines (one thread, cooperative, yield/resume).
#include "engine/fiber.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

enum Variant { kPingPong = 0, kGenerator = 1, kOverrun = 2 };

class FiberRun final : public Run {
public:
    FiberRun(const Settings& settings, int variant, int count)
        : Run(settings), fiber_(variant == kPingPong ? "doubler" : "fibonacci"), variant_(variant),
          count_(count * (settings.runtime == RuntimeKind::Real ? 10000 : 1)) {
        rt().add(fiber_);
        const std::string n = std::to_string(count_);
        if (variant == kPingPong) {
            listings_.push_back({"caller", {"x := 1", "repeat " + n + " times: x = resume(doubler, x)  // waits for the yield",
                                            "resume(doubler, x)  // lets it finish"}});
            listings_.push_back({"fiber doubler", {"x := start()", "repeat " + n + " times: x = yield(x * 2)  // hands x * 2 back, waits", "finish"}});
        } else {
            const std::string pulls = std::to_string(count_ + (variant == kOverrun ? 2 : 1));
            listings_.push_back({"caller", {"repeat " + pulls + " times: v := resume(fibonacci)", "  sum += v  // nothing once it has finished"}});
            listings_.push_back({"fiber fibonacci", {"start()", "a, b := 1, 1", "repeat " + n + " times: yield(a); a, b = b, a + b", "finish"}});
        }
        rt().spawn("caller", 0, [this](Ctx& ctx) { return caller(ctx); });
        rt().spawn(fiber_.name(), 1, [this](Ctx& ctx) { return variant_ == kPingPong ? doubler(ctx) : fibonacci(ctx); });
    }

    std::string outcome_key() const override {
        if (!is_real() && !sched().panics().empty()) return "resume refused";
        return "result " + std::to_string(result_);
    }

    Outcome scene_outcome() const override {
        const std::string switches = counted(static_cast<long>(fiber_.switches()), "hand-off");
        if (!over()) return {false, false, switches + " so far"};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        if (!is_real() && !sched().panics().empty()) return {true, false, "refused: " + sched().panics().front().message};
        if (is_real() && !real().error().empty()) return {true, false, "refused: " + real().error()};
        if (variant_ == kPingPong) return {true, false, "x = " + std::to_string(result_) + " after " + switches + ", one side running at a time"};
        return {true, false, "the sum of the first " + std::to_string(count_) + " Fibonacci numbers is " + std::to_string(result_) + " (" + switches + ")"};
    }

private:
    Task caller(Ctx& ctx) {
        if (variant_ == kPingPong) {
            std::int64_t x = 1;
            for (std::int64_t i = 0; i < count_; ++i) {
                const auto back = co_await fiber_.resume(i == 0 ? ctx.at(1).from(0) : ctx.at(1), x);  // the first after x := 1
                x = *back;
                if (x > (std::int64_t{1} << 40)) x = 1;  // keep the numbers readable on real threads
                ctx.set_local("x", x);
            }
            result_ = x;
            co_await fiber_.resume(ctx.at(2), x);
            co_return;
        }
        // One resume past the last value lets the generator finish; overrun resumes once more.
        const std::int64_t pulls = count_ + (variant_ == kOverrun ? 2 : 1);
        for (std::int64_t i = 0; i < pulls; ++i) {
            const auto v = co_await fiber_.resume(ctx.at(0).through(1), 0);  // and adds up, on its own
            if (!v) continue;  // the generator has just finished
            result_ += *v;
            ctx.set_local("sum", result_);
        }
    }
    Task doubler(Ctx& ctx) {
        auto x = co_await fiber_.start(ctx.at(0));
        for (std::int64_t i = 0; i < count_; ++i) x = co_await fiber_.yield(ctx.at(1), *x * 2);
        co_await fiber_.finish(ctx.at(2));
    }
    Task fibonacci(Ctx& ctx) {
        co_await fiber_.start(ctx.at(0).through(1));  // and sets a and b, on its own
        std::int64_t a = 1, b = 1;
        for (std::int64_t i = 0; i < count_; ++i) {
            co_await fiber_.yield(ctx.at(2), a);
            const std::int64_t next = a + b;
            a = b;
            b = next % 1000000007;
        }
        co_await fiber_.finish(ctx.at(3));
    }

    engine::Fiber fiber_;
    int variant_;
    std::int64_t count_;
    std::int64_t result_ = 0;
};

}  // namespace

Scene coroutines_fibers() {
    Scene s;
    s.id = "coroutines/fibers";
    s.title = "Coroutines: fibers hand control back and forth";
    s.section = "Coroutines";
    s.row = models::kCoroutines;
    s.slide =
        "A fiber runs only when resumed, and runs until it yields: control passes by hand, with a value each "
        "way, and exactly one side runs at a time. No locks are needed because nothing is preempted. A "
        "generator is a fiber that yields its next value each time it is resumed. Resume a finished fiber and "
        "there is nothing left to run.";
    s.notes =
        "Ping-pong: control moves, never both at once (one lane lit at a time on the timeline). V for the "
        "generator: the caller pulls Fibonacci numbers. V again: one resume too many, refused.";
    s.params = {
        {"variant", "program", 0, 2, 0, "which example", {"ping-pong of control", "a generator", "one resume too many"}},
        {"count", "count", 1, 8, 5, "hand-offs or values (x 10,000 on real threads)", {}},
    };
    s.runs_on_real_threads = true;
    s.real_workers = 2;  // green threads: each hand-off parks one side instead of blocking a thread
    s.claims = [](const Settings& st) {
        if (st.params.at("variant") == kOverrun) return Claim{false, "the extra resume is refused in every schedule"};
        return Claim{false, "the same result in every schedule: one side runs at a time"};
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        return std::make_unique<FiberRun>(settings, settings.params.at("variant"), settings.params.at("count"));
    };
    return s;
}

}  // namespace such::scenes
