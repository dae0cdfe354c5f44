// Scene "futures/pinger": the talk's futures. Asking for a future returns at
// once with a reference to a value still being made; the caller does other
// work and blocks only when it asks for the value. A chain of `then`s runs
// as each value arrives. Dataflow variables (as in Oz): X = Y + Z waits until
// both are bound, whatever order they come in.
// Models table row: futures & promises (threads, preemptive, shared values).
#include "engine/co.hpp"
#include "engine/future.hpp"
#include "scenes/models.hpp"
#include "scenes/narrate.hpp"
#include "scenes/scene.hpp"

namespace such::scenes {
namespace {

using engine::Ctx;
using engine::Task;

enum Variant { kPinger = 0, kChain = 1, kDataflow = 2 };

class FuturesRun final : public Run {
public:
    FuturesRun(const Settings& settings, int variant, int ping_time, int other_work)
        : Run(settings), reply_("reply"), doubled_("doubled"), message_("message"), x_("X", true), y_("Y", true), z_("Z", true),
          variant_(variant), ping_time_(ping_time), other_(other_work) {
        const std::string ping = "ping the server (" + std::to_string(ping_time) + " steps)";
        const std::string work = "other work (" + std::to_string(other_work) + " steps)";
        if (variant == kDataflow) {
            for (engine::Promise* p : {&x_, &y_, &z_}) rt().add(*p);
            listings_.push_back({"adder", {"X = Y + Z  // waits for Y, then for Z"}});
            listings_.push_back(binder_listing("y", ping_time, "bind Y = 3"));
            listings_.push_back(binder_listing("z", other_work, "bind Z = 4"));
            rt().spawn("adder", 0, [this](Ctx& ctx) { return adder(ctx); });
            rt().spawn("y", 1, [this](Ctx& ctx) { return binder(ctx, y_, 3, ping_time_); });
            rt().spawn("z", 2, [this](Ctx& ctx) { return binder(ctx, z_, 4, other_); });
            return;
        }
        rt().add(reply_);
        if (variant == kChain) {
            rt().add(doubled_);
            rt().add(message_);
            listings_.push_back({"main", {"reply := pinger.ping()  // a future, at once", "doubled := reply.then(x * 2)",
                                          "message := doubled.then(x + 1)"}});
        } else {
            listings_.push_back({"main", {"reply := pinger.ping()  // a future, at once"}});
        }
        if (other_work > 0) listings_.back().lines.push_back(work);
        listings_.back().lines.push_back(variant == kChain ? "print message.value  // blocks if not there" : "print reply.value  // blocks if not there");
        listings_.push_back({"pinger", {ping, "reply.set(rtt)"}});
        rt().spawn("main", 0, [this](Ctx& ctx) { return main_task(ctx); });
        rt().spawn("pinger", 1, [this](Ctx& ctx) { return pinger(ctx); });
    }

    std::string outcome_key() const override {
        return "printed " + std::to_string(printed_) + (variant_ == kDataflow ? "" : waited_ ? ", main waited" : ", main never waited");
    }

    Outcome scene_outcome() const override {
        if (!over()) return {false, false, waited_ ? "main waits for the value" : "main goes on without waiting"};
        if (!is_real() && sched().verdict() == engine::Verdict::Deadlock) return {true, true, verdict_words(sched())};
        const std::string blocked = waited_ ? "main had to wait for it" : "the value was ready: main never waited";
        switch (variant_) {
        case kDataflow: return {true, printed_ != 7, "X = " + std::to_string(printed_) + ", bound as soon as Y and Z were"};
        case kChain: return {true, printed_ != 2 * kRtt + 1, "message = " + std::to_string(printed_) + " (the chain ran as values arrived); " + blocked};
        default: return {true, printed_ != kRtt, "printed reply = " + std::to_string(printed_) + "; " + blocked};
        }
    }

private:
    static constexpr std::int64_t kRtt = 21;
    // A computation (or none) on its listing line and the binding after it.
    static Listing binder_listing(std::string title, int steps, std::string bind) {
        Listing l{std::move(title), {}};
        if (steps > 0) l.lines.push_back("compute (" + std::to_string(steps) + " steps)");
        l.lines.push_back(std::move(bind));
        return l;
    }
    // `steps` steps on listing line `line`; the first also runs the lines from `first`.
    engine::Co<void> busy(Ctx& ctx, int line, int steps, const char* what, int first) {
        for (int i = 0; i < steps; ++i) co_await engine::ComputeStep(ctx.at(line).from(i == 0 ? first : line), what, i + 1);
    }
    Task main_task(Ctx& ctx) {
        // The future exists at once: asking (line 0) takes no step of its own,
        // so main's first step runs it too.
        int line = 1, first = 0;
        if (variant_ == kChain) {
            co_await reply_.then(ctx.at(1).from(0), "x * 2", [](std::int64_t x) { return x * 2; }, doubled_);
            co_await doubled_.then(ctx.at(2), "x + 1", [](std::int64_t x) { return x + 1; }, message_);
            line = first = 3;
        }
        if (other_ > 0) {
            co_await busy(ctx, line, other_, "other work, step", first);
            first = ++line;
        }
        engine::Promise& wanted = variant_ == kChain ? message_ : reply_;
        printed_ = co_await wanted.get(ctx.at(line).from(first));
        waited_ = wanted.waited(ctx.id());
        ctx.set_local("printed", printed_);
    }
    Task pinger(Ctx& ctx) {
        co_await busy(ctx, 0, ping_time_, "waiting for the echo, step", 0);
        co_await reply_.set(ctx.at(1), kRtt);
    }
    Task adder(Ctx& ctx) {
        const std::int64_t y = co_await y_.get(ctx.at(0));
        const std::int64_t z = co_await z_.get(ctx.at(0));
        co_await x_.set(ctx.at(0), y + z);
        printed_ = y + z;
    }
    Task binder(Ctx& ctx, engine::Promise& var, std::int64_t value, int steps) {
        co_await busy(ctx, 0, steps, "computing, step", 0);
        co_await var.set(ctx.at(steps > 0 ? 1 : 0), value);
    }

    engine::Promise reply_, doubled_, message_, x_, y_, z_;
    int variant_;
    int ping_time_;
    int other_;
    std::int64_t printed_ = 0;
    bool waited_ = false;
};

}  // namespace

Scene futures_pinger() {
    Scene s;
    s.id = "futures/pinger";
    s.title = "Futures: ask now, wait later";
    s.section = "Futures & promises";
    s.row = models::kFutures;
    s.slide =
        "A future is a reference to a value that is still being made. Asking for it returns at once, so the "
        "caller can do other work; it blocks only when it asks for the value and the value is not there yet. "
        "A continuation (then) attaches the next step, run when the value arrives. A dataflow variable is bound once; whoever "
        "reads it waits until it is.";
    s.notes =
        "Pinger: main asks for the reply only after its other work, and waits only if it has not arrived. V "
        "for the then chain: the thens fire as the reply arrives, not when main asks. V again for dataflow: Y "
        "and Z arrive in any order; X follows.";
    s.params = {
        {"variant", "program", 0, 2, 0, "which example", {"pinger: a future", "then chain", "dataflow variables"}},
        {"ping", "ping time", 1, 8, 5, "steps until the value is made", {}},
        {"work", "other work", 0, 8, 2, "steps of other work before asking", {}},
    };
    s.runs_on_real_threads = true;
    s.claims = [](const Settings&) { return Claim{false, "the right value is printed in every schedule"}; };
    s.make = [](const Settings& settings) -> std::unique_ptr<Run> {
        const auto& p = settings.params;
        return std::make_unique<FuturesRun>(settings, p.at("variant"), p.at("ping"), p.at("work"));
    };
    return s;
}

}  // namespace such::scenes
