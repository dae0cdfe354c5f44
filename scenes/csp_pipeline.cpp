// Scene "csp/pipeline": stages connected by channels. A generator feeds a
// slow squaring stage that feeds a summer: the slow stage sets the pace, and
// with small buffers the backpressure travels upstream to the generator.
// Fan-in: two producers merged by a select, with a deadline as a timer case.
// Models table row: CSP.
#include "engine/channel.hpp"
#include "engine/co.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

enum Shape { kPipeline = 0, kFanIn = 1 };

class PipelineRun final : public Run {
public:
    PipelineRun(const Settings& settings, int shape, int n, int buffer, int slow, int deadline)
        : Run(settings), numbers_("numbers", buffer), squares_("squares", buffer), evens_("evens", buffer), odds_("odds", buffer),
          deadline_("deadline"), done_("done"), shape_(shape), n_(n * (settings.runtime == RuntimeKind::Real ? 10000 : 1)), slow_(slow), ticks_(deadline) {
        if (shape == kPipeline) {
            rt().add(numbers_);
            rt().add(squares_);
            const std::string count = std::to_string(n_);
            listings_.push_back({"generate", {"for i in 1.." + count + ": numbers <- i", "close(numbers)"}});
            listings_.push_back({"square (slow)", {"for x := range numbers:", "  work " + std::to_string(slow) + " steps", "  squares <- x * x", "close(squares)"}});
            listings_.push_back({"sum", {"for y := range squares:", "  total += y"}});
            numbers_.set_sender(rt().spawn("generate", 0, [this](Ctx& ctx) { return generate(ctx); }));
            squares_.set_sender(rt().spawn("square", 1, [this](Ctx& ctx) { return square(ctx); }));
            rt().spawn("sum", 2, [this](Ctx& ctx) { return sum(ctx); });
        } else {
            rt().add(evens_);
            rt().add(odds_);
            rt().add(deadline_);
            rt().add(done_);
            const std::string count = std::to_string(n_);
            listings_.push_back({"evens / odds", {"for i in 1.." + count + ":", "  work " + std::to_string(slow) + " ms",
                                                  "  select { case out <- next: ; case <-done: return }", "close(out)"}});
            if (ticks_ > 0) {
                listings_.push_back({"merge", {"deadline := after(" + std::to_string(ticks_) + ")", "loop: select {", "  case x := <-evens: total += x",
                                               "  case x := <-odds: total += x", "  case <-deadline: close(done); stop }"}});
                // On the simulator the clock decides how the merge ends: the producers'
                // last values are ready at n x work ms. A deadline after that never
                // fires; one by then (at that ms too: it fires as they wake) stops
                // both producers before they close.
                const std::int64_t last = n_ * slow_;
                if (settings.runtime == RuntimeKind::Simulated && ticks_ > last) listings_[1].never = {4};  // the deadline's case
                if (settings.runtime == RuntimeKind::Simulated && ticks_ <= last) listings_[0].never = {3};  // close(out)
            } else {
                listings_.push_back({"merge", {"loop: select {", "  case x := <-evens: total += x", "  case x := <-odds: total += x }"}});
            }
            evens_.set_sender(rt().spawn("evens", 0, [this](Ctx& ctx) { return produce(ctx, evens_, 0); }));
            odds_.set_sender(rt().spawn("odds", 0, [this](Ctx& ctx) { return produce(ctx, odds_, 1); }));
            rt().spawn("merge", 1, [this](Ctx& ctx) { return merge(ctx); });
        }
    }

    std::int64_t expected() const {
        std::int64_t total = 0;
        for (std::int64_t i = 1; i <= n_; ++i) total += shape_ == kPipeline ? i * i : (2 * i - 2) + (2 * i - 1);
        return total;
    }

    std::string outcome_key() const override {
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return "deadlock";
        return timed_out_ ? "stopped at the deadline" : "total = " + std::to_string(total_);
    }

    Outcome scene_outcome() const override {
        const std::string total = "total = " + std::to_string(total_);
        if (!over()) return {false, false, total + " so far"};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        if (timed_out_) {
            return {true, false, "the deadline passed after " + std::to_string(received_) + " of " + std::to_string(2 * n_) + " values; " + total};
        }
        if (total_ != expected()) return {true, true, total + ", expected " + std::to_string(expected())};
        std::string pace;
        if (!is_real() && shape_ == kPipeline) pace = "; the generator waited " + counted(static_cast<long>(rt().trace().count(engine::EventKind::ChanWait, 0)), "time") + ": backpressure";
        return {true, false, total + ": every value arrived once" + pace};
    }

private:
    // The pipeline's slow stage works in steps (its pace is the steps it
    // takes); fan-in's producers work for ms of the clock, so the deadline
    // (a timer) has something to race. Its first step also runs the lines
    // from `first` (a loop's test).
    engine::Co<void> work(Ctx& ctx, std::int64_t x, int line, int first) {
        if (shape_ == kFanIn && !ctx.real()) {
            engine::SleepStep busy(ctx.at(line).from(first), static_cast<std::uint64_t>(slow_), "works on value " + std::to_string(x));
            co_await busy;
            co_return;
        }
        for (int i = 0; i < slow_; ++i) co_await engine::ComputeStep(i == 0 ? ctx.at(line).from(first) : ctx.at(line), "works on value", x);
    }
    Task generate(Ctx& ctx) {
        for (std::int64_t i = 1; i <= n_; ++i) co_await numbers_.send(ctx.at(0), i);
        co_await numbers_.close(ctx.at(1));
    }
    Task square(Ctx& ctx) {
        for (;;) {
            const engine::Received r = co_await numbers_.recv(ctx.at(0));
            if (!r.ok) break;
            co_await work(ctx, r.value, 1, 1);
            co_await squares_.send(ctx.at(2), r.value * r.value);
        }
        co_await squares_.close(ctx.at(3));
    }
    Task sum(Ctx& ctx) {
        for (;;) {
            const engine::Received r = co_await squares_.recv(ctx.at(0).through(1));  // and adds it up, on its own
            if (!r.ok) break;
            total_ += r.value;
            ctx.set_local("total", total_);
        }
    }
    // Sends, unless the merge has given up (done closed): Go's cancellation idiom,
    // without which a producer would wait forever on a send nobody takes.
    Task produce(Ctx& ctx, engine::Channel<std::int64_t>& out, int parity) {
        for (std::int64_t i = 1; i <= n_; ++i) {
            co_await work(ctx, i, 1, 0);  // from the loop's test
            std::vector<engine::SelectCase> cases{engine::send_case(out, 2 * i - 2 + parity), engine::recv_case(done_)};
            const engine::Selected s = co_await engine::select(ctx.at(2), std::move(cases));
            if (s.index == 1) co_return;
        }
        co_await out.close(ctx.at(3));
    }
    // The select runs its channel cases' lines (adding up what one took, on
    // its own); the deadline's case closes done, a step of its own.
    Task merge(Ctx& ctx) {
        const int select = ticks_ > 0 ? 1 : 0;
        if (ticks_ > 0) co_await deadline_.start(ctx.at(0), static_cast<std::uint64_t>(ticks_));
        bool evens_open = true, odds_open = true;
        while (evens_open || odds_open) {
            std::vector<engine::SelectCase> cases(3, engine::SelectCase{nullptr, false});
            if (evens_open) cases[0] = engine::recv_case(evens_);
            if (odds_open) cases[1] = engine::recv_case(odds_);
            if (ticks_ > 0) cases[2] = engine::recv_case(deadline_);
            const engine::Selected s = co_await engine::select(ctx.at(select).through(select + 2), std::move(cases));
            if (s.index == 2) {
                timed_out_ = true;
                co_await done_.close(ctx.at(4));
                break;
            }
            if (!s.ok) {
                (s.index == 0 ? evens_open : odds_open) = false;
                continue;
            }
            total_ += s.value;
            ++received_;
            ctx.set_local("total", total_);
        }
    }

    engine::Channel<std::int64_t> numbers_, squares_, evens_, odds_;
    engine::Timer deadline_;
    engine::Channel<int> done_;
    int shape_;
    std::int64_t n_;
    int slow_;
    int ticks_;
    std::int64_t total_ = 0;
    std::int64_t received_ = 0;
    bool timed_out_ = false;
};

}  // namespace

Scene csp_pipeline() {
    Scene s;
    s.id = "csp/pipeline";
    s.title = "Pipelines, backpressure and fan-in";
    s.section = "CSP";
    s.row = models::kCsp;
    s.slide =
        "Stages connected by channels run concurrently, each at its own pace; the slowest sets the pace of "
        "all, and when buffers fill, the waiting travels upstream: backpressure, with no code for it. select "
        "merges several inputs, taking whichever is ready; a timer case gives up at a deadline.";
    s.notes =
        "Pipeline: the slow square stage sets the pace, and the generator waits at its channel. V for fan-in: "
        "the merge's select takes evens and odds as they come.";
    s.params = {
        {"shape", "shape", 0, 1, 0, "which program", {"pipeline: generate, square, sum", "fan-in: two producers and a select"}},
        {"n", "values", 1, 6, 4, "values each producer makes (x 10,000 on real threads)", {}},
        {"buffer", "buffers", 0, 3, 0, "each channel's buffer", {}},
        {"slow", "work", 1, 4, 2, "work per value: steps in the pipeline's slow stage, ms in fan-in's producers", {}},
        {"deadline", "deadline", 0, 40, 0, "fan-in: ms before the merge gives up (0: none)", {}},
    };
    s.runs_on_real_threads = true;
    // Six values or a buffer of three have too many schedules to finish: the claim that nothing goes wrong is checked within 2 preemptions.
    s.proof_bound = 2;
    s.claims = [](const Settings& st) {
        if (st.params.at("shape") == kFanIn && st.params.at("deadline") > 0) {
            return Claim{false, "the merge ends: with every value, or at the deadline"};
        }
        return Claim{false, "every value arrives exactly once, in every schedule"};
    };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        const auto& p = settings.params;
        return std::make_unique<PipelineRun>(settings, p.at("shape"), p.at("n"), p.at("buffer"), p.at("slow"), p.at("deadline"));
    };
    return s;
}

}  // namespace such::scenes
